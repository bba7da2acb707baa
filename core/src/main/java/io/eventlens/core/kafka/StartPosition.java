package io.eventlens.core.kafka;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * Where a capture starts reading each partition: {@code earliest}, {@code latest}, a point in time,
 * or {@code resume} (the store's stored position, else earliest).
 */
public sealed interface StartPosition {

    /** The first retained record of each partition. */
    record Earliest() implements StartPosition { }

    /** Only records produced after the capture starts. */
    record Latest() implements StartPosition { }

    /** The first record whose timestamp is at or after {@code time}. */
    record AtTime(Instant time) implements StartPosition {
        public AtTime {
            Objects.requireNonNull(time, "time");
        }
    }

    /** Resume each partition from the store's stored position; partitions without one start earliest. */
    record Resume() implements StartPosition { }

    /**
     * Parses the CLI's {@code --from} value: {@code earliest}, {@code latest} or an ISO-8601 instant.
     *
     * @throws IllegalArgumentException naming the value when it is none of those
     */
    static StartPosition parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("--from: a value is required (earliest, latest or an ISO-8601 instant)");
        }
        switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "earliest":
                return new Earliest();
            case "latest":
                return new Latest();
            default:
                try {
                    return new AtTime(Instant.parse(value.trim()));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("--from: '" + value
                            + "' is not earliest, latest or an ISO-8601 instant such as 2026-11-22T10:15:30Z");
                }
        }
    }
}
