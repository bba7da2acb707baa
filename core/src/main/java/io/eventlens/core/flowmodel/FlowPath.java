package io.eventlens.core.flowmodel;

import io.eventlens.core.analysis.DeadLetterChannels;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The steps of one flow in observed order, as the expected-flow rules see them
 * (docs/reference/anomalies-and-verdicts.md, "Expected flows"): one step per event, the first
 * observation of each event ID only (a redelivery, a second source's observation and the same
 * message read twice are not steps), and no dead-letter or retry copies (channels named as such,
 * or events carrying dead-letter headers). The same rule builds the paths the learner learns from
 * and the path of a timeline being judged, so both agree.
 *
 * @param correlationId the flow's correlation ID
 * @param steps         the steps in observed order
 * @param atNanos       observed time of each step, nanoseconds since the epoch (same length)
 * @param seqs          store sequence of each step's event (same length)
 */
public record FlowPath(String correlationId, List<Step> steps, long[] atNanos, long[] seqs) {

    public FlowPath {
        Objects.requireNonNull(correlationId, "correlationId");
        steps = List.copyOf(steps);
        if (atNanos.length != steps.size() || seqs.length != steps.size()) {
            throw new IllegalArgumentException("steps, times and sequences differ in length");
        }
    }

    /** Number of steps. */
    public int size() {
        return steps.size();
    }

    /** True when there are no steps. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Observed time of step {@code i} in epoch milliseconds. */
    public long atMs(int i) {
        return Math.floorDiv(atNanos[i], 1_000_000L);
    }

    /** Whether an event is a step of its flow at all: not a dead-letter or retry copy. */
    public static boolean isStepEvent(CapturedEvent e) {
        String channel = e.channel().name();
        return !DeadLetterChannels.isDeadLetter(channel) && !DeadLetterChannels.isRetry(channel)
                && !DeadLetterChannels.hasDeadLetterHeaders(e.headers());
    }

    /** The step of an event: its type on its channel. */
    public static Step stepOf(CapturedEvent e) {
        return new Step(e.derived().eventTypeValue(), e.channel().name());
    }

    /** The event ID the rules compare: the derived one, else the synthetic one of channel, key and payload. */
    public static String eventIdOf(CapturedEvent e) {
        String id = e.derived().eventIdValue();
        return id != null ? id : EventExtractor.syntheticEventId(e.channel(), e.key(), e.payload());
    }

    /** Nanoseconds since the epoch of an event's observed time. */
    public static long nanos(CapturedEvent e) {
        return e.observedAt().getEpochSecond() * 1_000_000_000L + e.observedAt().getNano();
    }

    /**
     * The path of events already in observed order (observed time, then store sequence), such as a
     * timeline's entries' first observations.
     */
    public static FlowPath of(String correlationId, List<CapturedEvent> observedOrder) {
        List<Step> steps = new ArrayList<>();
        List<long[]> at = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (CapturedEvent e : observedOrder) {
            if (!isStepEvent(e) || !ids.add(eventIdOf(e))) {
                continue;
            }
            steps.add(stepOf(e));
            at.add(new long[] {nanos(e), e.seq()});
        }
        long[] times = new long[steps.size()];
        long[] seqs = new long[steps.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = at.get(i)[0];
            seqs[i] = at.get(i)[1];
        }
        return new FlowPath(correlationId, steps, times, seqs);
    }
}
