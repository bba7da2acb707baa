package io.eventlens.core.consumers;

import java.util.Objects;

/**
 * One committed offset of a consumer group on one partition, as the capture store keeps it (table
 * {@code consumer_commit}, schema version 8; docs/decisions/0021-consumer-groups.md). A row is
 * written when the group's committed offset of the partition changes (and once for the offset it
 * had at the capture's first poll).
 *
 * @param group            the consumer group ID
 * @param topic            the topic
 * @param partition        the partition, 0 or more
 * @param committedOffset  the committed offset: the next record the group will read (Kafka's
 *                         convention), so every record below it counts as consumed
 * @param committedAtMs    when it was committed, epoch ms: the commit record's timestamp
 *                         ({@link TimePrecision#EXACT}), else the poll that first saw it (an upper bound)
 * @param committedAfterMs the lower bound, epoch ms: equal to {@code committedAtMs} when exact, the
 *                         previous poll when between polls, 0 before the capture
 * @param precision        how the time is known
 * @throws IllegalArgumentException when the partition or offset is negative or the bounds are reversed
 */
public record ConsumerCommit(String group, String topic, int partition, long committedOffset, long committedAtMs,
                             long committedAfterMs, TimePrecision precision) {
    public ConsumerCommit {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(precision, "precision");
        if (partition < 0 || committedOffset < 0) {
            throw new IllegalArgumentException("partition and committedOffset must be >= 0, were " + partition
                    + " and " + committedOffset);
        }
        if (committedAfterMs > committedAtMs) {
            throw new IllegalArgumentException("committedAfterMs " + committedAfterMs + " is after committedAtMs "
                    + committedAtMs);
        }
    }
}
