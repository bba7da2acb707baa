package io.eventlens.core.replay;

import java.time.Duration;

/**
 * When each send of a replay is due (docs/reference/replay.md, "Timing"): as fast as possible
 * ({@code speed} null), or the original gaps between the events' observed times divided by
 * {@code speed}; then no gap longer than {@code gapCap}, and no more than {@code maxRate} sends a
 * second. Per-key order is kept whatever the timing: sends go one after the other in plan order.
 *
 * @param speed   the speed factor, 0.1 to 100 ({@code 2} = twice as fast as the original), or null for as fast as possible
 * @param gapCap  the longest gap between two sends, or null for no cap
 * @param maxRate the most sends per second, or 0 for no limit
 */
public record ReplayTiming(Double speed, Duration gapCap, double maxRate) {

    /** The slowest speed factor accepted. */
    public static final double MIN_SPEED = 0.1;
    /** The fastest speed factor accepted. */
    public static final double MAX_SPEED = 100;

    /** As fast as possible, no rate limit. */
    public static final ReplayTiming AS_FAST_AS_POSSIBLE = new ReplayTiming(null, null, 0);

    /**
     * @throws IllegalArgumentException naming the value when the speed is outside 0.1..100, the cap
     *                                  is negative or the rate negative
     */
    public ReplayTiming {
        if (speed != null && (speed.isNaN() || speed < MIN_SPEED || speed > MAX_SPEED)) {
            throw new IllegalArgumentException("speed: must be 0.1 to 100, was " + speed);
        }
        if (gapCap != null && gapCap.isNegative()) {
            throw new IllegalArgumentException("gap cap: must not be negative, was " + gapCap);
        }
        if (Double.isNaN(maxRate) || maxRate < 0) {
            throw new IllegalArgumentException("max rate: must be 0 (no limit) or more, was " + maxRate);
        }
    }

    /** The original gaps scaled by this speed factor. */
    public static ReplayTiming atSpeed(double speed) {
        return new ReplayTiming(speed, null, 0);
    }

    /**
     * The gap asked between two sends whose events were observed {@code originalNanos} apart.
     *
     * @param originalNanos the original gap, nanoseconds (a negative one counts as 0)
     * @return the asked gap in nanoseconds, 0 or more
     */
    public long askedGapNanos(long originalNanos) {
        long gap = speed == null ? 0 : (long) (Math.max(0, originalNanos) / speed);
        if (gapCap != null) {
            gap = Math.min(gap, gapCap.toNanos());
        }
        if (maxRate > 0) {
            gap = Math.max(gap, (long) (1_000_000_000L / maxRate));
        }
        return gap;
    }
}
