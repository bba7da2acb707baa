package io.eventlens.core.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who consumed one captured Kafka event: the followed consumer groups that committed past it
 * (committed offset greater than the event's offset on its partition) and those that never did by
 * the capture's end (docs/decisions/0021-consumer-groups.md; {@code consumedBy} and
 * {@code notConsumedBy} in {@code timeline --format json}).
 *
 * @param consumedBy    groups that committed past it, by commit time
 * @param notConsumedBy groups reading its topic that had not committed past it when the capture ended
 */
public record Consumption(List<ConsumedBy> consumedBy, List<NotConsumedBy> notConsumedBy) {

    public Consumption {
        consumedBy = List.copyOf(consumedBy);
        notConsumedBy = List.copyOf(notConsumedBy);
    }

    /** True when no followed group reads the event's topic. */
    public boolean isEmpty() {
        return consumedBy.isEmpty() && notConsumedBy.isEmpty();
    }

    /**
     * A group that committed past the event.
     *
     * @param group         the consumer group ID
     * @param committedAt   when its first commit past the event was made (or, between polls, seen)
     * @param delayMs       {@code committedAt} − the event's observed time, ms (negative with clock skew)
     * @param timePrecision {@code exact}, {@code between-polls} or {@code before-capture}
     *                      ({@code io.eventlens.core.consumers.TimePrecision})
     * @param pollIntervalMs for {@code between-polls}: how wide the window was (ms), else 0
     */
    public record ConsumedBy(String group, Instant committedAt, long delayMs, String timePrecision, long pollIntervalMs) {
        public ConsumedBy {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(committedAt, "committedAt");
            Objects.requireNonNull(timePrecision, "timePrecision");
        }

        /** {@code inventory-service committed past it 230 ms later} (with {@code between polls, ≤} when not exact). */
        public String describe() {
            String delay = TimelineAnalyzer.formatDuration(java.time.Duration.ofMillis(Math.abs(delayMs)));
            return switch (timePrecision) {
                case "exact" -> group + " committed past it " + delay + (delayMs < 0 ? " before it was observed" : " later");
                case "before-capture" -> group + " had committed past it before the capture's first poll";
                default -> group + " committed past it within " + delay + " (between two polls "
                        + pollIntervalMs + " ms apart)";
            };
        }
    }

    /**
     * A group that never committed past the event by the capture's end.
     *
     * @param group           the consumer group ID
     * @param lagAtEndRecords the group's lag on the event's partition at the capture's end (records), or -1 unknown
     * @param committedOffset its committed offset on the partition then, or -1 when it had none
     * @param stateAtEnd      the group's state at the end ({@code Stable}, {@code Empty}, ...), or {@code Unknown}
     * @param membersAtEnd    its active members at the end
     * @param waitedMs        from the event's observed time to the capture's end, ms
     * @param stalled         true when this explains a stopped flow: the group had no members or was
     *                        rebalancing at the end, or the event waited at least
     *                        {@link #STALL_AFTER_MS} ms
     */
    public record NotConsumedBy(String group, long lagAtEndRecords, long committedOffset, String stateAtEnd,
                                int membersAtEnd, long waitedMs, boolean stalled) {

        /** How long an unread event waits before it counts as stalled: 5,000 ms (a few auto-commit intervals). */
        public static final long STALL_AFTER_MS = 5_000;

        public NotConsumedBy {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(stateAtEnd, "stateAtEnd");
        }

        /** Why the group did not read it, for people: {@code no active members}, {@code rebalancing}, or empty. */
        public String reason() {
            if (membersAtEnd == 0) {
                return "no active members";
            }
            return switch (stateAtEnd) {
                case "PreparingRebalance", "CompletingRebalance", "Reconciling", "Assigning" -> "rebalancing";
                default -> "";
            };
        }

        /** {@code inventory-service never committed past it (lag 3 records at capture end; no active members)}. */
        public String describe() {
            String why = reason();
            return group + " never committed past it (" + (lagAtEndRecords < 0 ? "lag unknown"
                    : "lag " + lagAtEndRecords + (lagAtEndRecords == 1 ? " record" : " records")) + " at capture end"
                    + (why.isEmpty() ? "" : "; " + why) + ")";
        }
    }
}
