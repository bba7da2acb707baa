package io.eventlens.core.analysis;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Thresholds of the analysis rules. Immutable; build with {@link #defaults()} and the
 * {@code with*} methods, which validate their argument at once.
 *
 * @param lagSlo                default latency SLO between consecutive steps (DESIGN.md: 2 s)
 * @param channelLagSlo         per-channel SLO overrides, by channel name
 * @param clockSkewTolerance    tolerance before an event time later than its observed time is
 *                              CLOCK_SKEW (DESIGN.md: 500 ms)
 * @param deadLetterChannels    channel names configured as dead-letter channels, in addition to the
 *                              naming convention
 */
public record AnalysisSettings(
        Duration lagSlo,
        Map<String, Duration> channelLagSlo,
        Duration clockSkewTolerance,
        Set<String> deadLetterChannels) {

    public AnalysisSettings {
        requirePositive(lagSlo, "lagSlo");
        requirePositive(clockSkewTolerance, "clockSkewTolerance");
        channelLagSlo = Map.copyOf(channelLagSlo);
        channelLagSlo.forEach((channel, slo) -> requirePositive(slo, "channelLagSlo[" + channel + "]"));
        deadLetterChannels = Set.copyOf(deadLetterChannels);
    }

    /** DESIGN.md defaults: lag SLO 2 s, clock-skew tolerance 500 ms, no configured DLQs. */
    public static AnalysisSettings defaults() {
        return new AnalysisSettings(Duration.ofSeconds(2), Map.of(), Duration.ofMillis(500), Set.of());
    }

    /** A copy with another default lag SLO. @throws IllegalArgumentException when not positive */
    public AnalysisSettings withLagSlo(Duration slo) {
        return new AnalysisSettings(slo, channelLagSlo, clockSkewTolerance, deadLetterChannels);
    }

    /** A copy with another clock-skew tolerance. @throws IllegalArgumentException when not positive */
    public AnalysisSettings withClockSkewTolerance(Duration tolerance) {
        return new AnalysisSettings(lagSlo, channelLagSlo, tolerance, deadLetterChannels);
    }

    /**
     * A copy with a lag SLO for steps arriving on one channel.
     *
     * @throws IllegalArgumentException when the channel is blank or the SLO not positive
     */
    public AnalysisSettings withChannelLagSlo(String channel, Duration slo) {
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("channelLagSlo channel must not be blank");
        }
        Map<String, Duration> copy = new java.util.HashMap<>(channelLagSlo);
        copy.put(channel, slo);
        return new AnalysisSettings(lagSlo, copy, clockSkewTolerance, deadLetterChannels);
    }

    /**
     * A copy with these channel names configured as dead-letter channels (in addition to the
     * naming conventions of {@link DeadLetterChannels}).
     *
     * @throws NullPointerException when the set or a name is null
     */
    public AnalysisSettings withDeadLetterChannels(Set<String> channels) {
        return new AnalysisSettings(lagSlo, channelLagSlo, clockSkewTolerance, channels);
    }

    /** True when the channel is a dead-letter channel: configured, or named by convention. */
    public boolean isDeadLetterChannel(String channel) {
        return deadLetterChannels.contains(channel) || DeadLetterChannels.isDeadLetter(channel);
    }

    /** The lag SLO that applies to a step arriving on {@code channel}. */
    public Duration lagSloFor(String channel) {
        return channelLagSlo.getOrDefault(channel, lagSlo);
    }

    private static void requirePositive(Duration d, String field) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration, was " + d);
        }
    }
}
