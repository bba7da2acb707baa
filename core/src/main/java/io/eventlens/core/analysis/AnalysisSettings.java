package io.eventlens.core.analysis;

import com.fasterxml.jackson.core.JsonPointer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Thresholds and hooks of the analysis rules (docs/reference/anomalies-and-verdicts.md). Immutable;
 * build with {@link #defaults()} and the {@code with*} methods, which validate their argument at once.
 *
 * @param lagSlo                default latency SLO between consecutive steps (2 s by default)
 * @param channelLagSlo         per-channel SLO overrides, by channel name
 * @param clockSkewTolerance    tolerance before an event time later than its observed time is
 *                              CLOCK_SKEW (500 ms by default)
 * @param deadLetterChannels    channel names configured as dead-letter channels, in addition to the
 *                              naming convention
 * @param payloadMembers        where the event's payload sits inside an observation's payload, by
 *                              {@link io.eventlens.core.model.SourcePosition#sourceKind() source kind}:
 *                              a JSON Pointer (RFC 6901), for example {@code "/payload"} for a probe
 *                              that wraps each event in an envelope. Content is compared across
 *                              sources on that member; sources not listed are compared on the whole payload
 */
public record AnalysisSettings(
        Duration lagSlo,
        Map<String, Duration> channelLagSlo,
        Duration clockSkewTolerance,
        Set<String> deadLetterChannels,
        Map<String, String> payloadMembers) {

    public AnalysisSettings {
        requirePositive(lagSlo, "lagSlo");
        requirePositive(clockSkewTolerance, "clockSkewTolerance");
        channelLagSlo = Map.copyOf(channelLagSlo);
        channelLagSlo.forEach((channel, slo) -> requirePositive(slo, "channelLagSlo[" + channel + "]"));
        deadLetterChannels = Set.copyOf(deadLetterChannels);
        payloadMembers = Map.copyOf(payloadMembers);
        payloadMembers.forEach(AnalysisSettings::requirePointer);
    }

    /** The defaults: lag SLO 2 s, clock-skew tolerance 500 ms, no configured DLQs, no payload members. */
    public static AnalysisSettings defaults() {
        return new AnalysisSettings(Duration.ofSeconds(2), Map.of(), Duration.ofMillis(500), Set.of(), Map.of());
    }

    /** A copy with another default lag SLO. @throws IllegalArgumentException when not positive */
    public AnalysisSettings withLagSlo(Duration slo) {
        return new AnalysisSettings(slo, channelLagSlo, clockSkewTolerance, deadLetterChannels, payloadMembers);
    }

    /** A copy with another clock-skew tolerance. @throws IllegalArgumentException when not positive */
    public AnalysisSettings withClockSkewTolerance(Duration tolerance) {
        return new AnalysisSettings(lagSlo, channelLagSlo, tolerance, deadLetterChannels, payloadMembers);
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
        return new AnalysisSettings(lagSlo, copy, clockSkewTolerance, deadLetterChannels, payloadMembers);
    }

    /**
     * A copy with these channel names configured as dead-letter channels (in addition to the
     * naming conventions of {@link DeadLetterChannels}).
     *
     * @throws NullPointerException when the set or a name is null
     */
    public AnalysisSettings withDeadLetterChannels(Set<String> channels) {
        return new AnalysisSettings(lagSlo, channelLagSlo, clockSkewTolerance, channels, payloadMembers);
    }

    /**
     * A copy in which observations of one source kind carry the event's payload in a member of
     * their own payload: the hook a source that wraps events (a probe's answer, an artifact's
     * record) uses so that its observations are compared with a broker's on the event's content.
     *
     * @param sourceKind  the source kind, as its positions report it (for example {@code "probe"})
     * @param jsonPointer a JSON Pointer (RFC 6901) to the member, for example {@code "/payload"}
     * @throws IllegalArgumentException when the source kind is blank or the pointer is not a valid
     *                                  JSON Pointer starting with {@code /}
     */
    public AnalysisSettings withPayloadMember(String sourceKind, String jsonPointer) {
        if (sourceKind == null || sourceKind.isBlank()) {
            throw new IllegalArgumentException("payloadMembers source kind must not be blank");
        }
        Map<String, String> copy = new java.util.HashMap<>(payloadMembers);
        copy.put(sourceKind, jsonPointer);
        return new AnalysisSettings(lagSlo, channelLagSlo, clockSkewTolerance, deadLetterChannels, copy);
    }

    /** True when the channel is a dead-letter channel: configured, or named by convention. */
    public boolean isDeadLetterChannel(String channel) {
        return deadLetterChannels.contains(channel) || DeadLetterChannels.isDeadLetter(channel);
    }

    /** The lag SLO that applies to a step arriving on {@code channel}. */
    public Duration lagSloFor(String channel) {
        return channelLagSlo.getOrDefault(channel, lagSlo);
    }

    /** The JSON Pointer of the event's payload inside observations of this source kind, or {@code null}. */
    public String payloadMemberOf(String sourceKind) {
        return payloadMembers.get(sourceKind);
    }

    private static void requirePositive(Duration d, String field) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + " must be a positive duration, was " + d);
        }
    }

    private static void requirePointer(String sourceKind, String pointer) {
        if (pointer == null || !pointer.startsWith("/")) {
            throw new IllegalArgumentException("payloadMembers[" + sourceKind + "] must be a JSON Pointer starting with '/', was "
                    + (pointer == null ? "null" : "'" + pointer + "'"));
        }
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("payloadMembers[" + sourceKind + "] is not a valid JSON Pointer: '" + pointer + "'", e);
        }
    }
}
