package io.eventlens.core.consumers;

import java.util.Objects;

/**
 * Where a consumer group stood on one partition at the latest poll of the capture (table
 * {@code consumer_partition_end}, schema version 8, one row per group and partition, replaced at
 * each poll): gives the lag at the capture's end (docs/decisions/0021-consumer-groups.md).
 *
 * @param group           the consumer group ID
 * @param topic           the topic
 * @param partition       the partition
 * @param committedOffset the group's committed offset then, or -1 when it had none on this partition
 * @param logEndOffset    the partition's log end offset then (the next offset a producer writes)
 * @param polledAtMs      when, epoch ms
 */
public record PartitionEnd(String group, String topic, int partition, long committedOffset, long logEndOffset,
                           long polledAtMs) {
    public PartitionEnd {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(topic, "topic");
        if (partition < 0 || logEndOffset < 0) {
            throw new IllegalArgumentException("partition and logEndOffset must be >= 0, were " + partition + " and "
                    + logEndOffset);
        }
        committedOffset = Math.max(-1, committedOffset);
    }

    /** Records the group had not consumed then: log end offset − committed offset (all of it without a commit). */
    public long lag() {
        return Math.max(0, logEndOffset - Math.max(0, committedOffset));
    }
}
