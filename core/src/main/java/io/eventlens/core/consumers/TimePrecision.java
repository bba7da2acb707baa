package io.eventlens.core.consumers;

/**
 * How well the time of a consumer group's offset commit is known
 * (docs/decisions/0021-consumer-groups.md).
 */
public enum TimePrecision {
    /** The timestamp of the commit's record in {@code __consumer_offsets}: when the coordinator wrote it. */
    EXACT("exact"),
    /**
     * Seen by the Admin client's poll: committed after the previous poll and by the poll that saw it
     * ({@code committedAfterMs} to {@code committedAtMs}).
     */
    BETWEEN_POLLS("between-polls"),
    /** Already committed at the capture's first poll: committed at or before {@code committedAtMs}. */
    BEFORE_CAPTURE("before-capture");

    private final String label;

    TimePrecision(String label) {
        this.label = label;
    }

    /** The stable lower-case name used in the store and in {@code timeline --format json}. */
    public String label() {
        return label;
    }

    /**
     * The precision of a stored label.
     *
     * @throws IllegalArgumentException naming the value when it is none of the labels
     */
    public static TimePrecision ofLabel(String label) {
        for (TimePrecision p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown commit time precision '" + label + "'");
    }
}
