package io.eventlens.core.capture;

import java.time.Duration;

/**
 * When a capture ends by itself (besides {@link CapturePipeline#stop()} and a finite source's end).
 *
 * @param maxEvents stop after exactly this many events (0 = no limit)
 * @param duration  stop after this long from the start of {@link CapturePipeline#run} (null = until stopped)
 */
public record CaptureLimits(long maxEvents, Duration duration) {

    /** No limits: until stopped. */
    public static final CaptureLimits NONE = new CaptureLimits(0, null);

    /**
     * @throws IllegalArgumentException naming the field: a negative max events, a zero or negative duration
     */
    public CaptureLimits {
        if (maxEvents < 0) {
            throw new IllegalArgumentException("maxEvents: must be 0 (no limit) or more, was " + maxEvents);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration: must be positive, was " + duration);
        }
    }
}
