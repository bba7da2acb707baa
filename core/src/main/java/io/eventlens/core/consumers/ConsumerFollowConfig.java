package io.eventlens.core.consumers;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which consumer groups a Kafka capture follows, and how often (docs/decisions/0021-consumer-groups.md;
 * CLI: {@code capture --consumer-group}, {@code --consumer-poll-interval}, {@code --no-consumer-groups}).
 *
 * @param groups         the groups to follow; empty = every group with committed offsets on a
 *                       captured topic (looked for at the start and every 5 s)
 * @param pollInterval   pause between two polls of the Admin client, 100 ms to 1 h (default 500 ms)
 * @param readCommitLog  read commit times from {@code __consumer_offsets} where the user may read
 *                       it; false = times between polls only
 */
public record ConsumerFollowConfig(List<String> groups, Duration pollInterval, boolean readCommitLog) {

    /** The default pause between two polls: 500 ms. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    /**
     * @throws IllegalArgumentException naming the value when the interval is out of range or a group is blank
     */
    public ConsumerFollowConfig {
        groups = List.copyOf(groups);
        for (String g : groups) {
            if (g.isBlank()) {
                throw new IllegalArgumentException("consumer group: a name must not be blank");
            }
        }
        pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
        if (pollInterval.compareTo(Duration.ofMillis(100)) < 0 || pollInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("consumer poll interval: must be 100ms to 1h, was " + pollInterval.toMillis() + " ms");
        }
        Objects.requireNonNull(pollInterval);
    }

    /** Every group with commits on a captured topic, every 500 ms, with commit times from the commit log. */
    public static ConsumerFollowConfig defaults() {
        return new ConsumerFollowConfig(List.of(), DEFAULT_POLL_INTERVAL, true);
    }
}
