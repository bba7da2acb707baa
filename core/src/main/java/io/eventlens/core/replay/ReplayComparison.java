package io.eventlens.core.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The original flow compared with its replay (docs/reference/replay.md, "Comparison"): steps missing
 * from or extra in the replay, anomaly kinds the replay has and the original had not (and the other
 * way round), the latency of each hop between consecutive steps in both, and a verdict.
 *
 * <p>A step is an event type (the channel name for events without one). Hops are between the
 * first occurrences of consecutive distinct steps, in the original's order. A hop changed when it
 * took more than twice or less than half as long and at least {@link #HOP_CHANGE_MIN} more or less.
 *
 * <p>The verdict: {@link Outcome#FIXED} when the original went wrong (any verdict but HEALTHY) and the
 * replay is HEALTHY; {@link Outcome#REPRODUCED} when both have the same verdict kind and, for two
 * healthy flows, the same steps; {@link Outcome#DIFFERENT} otherwise (also when nothing of the replay
 * was captured).
 *
 * @param originalCorrelationId the original flow's ID
 * @param replayCorrelationId   the replayed flow's ID
 * @param originalVerdict       the original's verdict kind
 * @param replayVerdict         the replay's verdict kind
 * @param replayVerdictMessage  the replay's verdict line
 * @param originalEvents        events in the original flow
 * @param replayEvents          events captured of the replay
 * @param missingSteps          steps of the original the replay lacks, in the original's order
 * @param extraSteps            steps of the replay the original lacks, in the replay's order
 * @param newAnomalies          anomaly kinds the replay has and the original has not, with their counts
 * @param goneAnomalies         anomaly kinds the original has and the replay has not, with their counts
 * @param hops                  each hop in both flows
 * @param outcome               the verdict of the comparison
 */
public record ReplayComparison(String originalCorrelationId, String replayCorrelationId, VerdictKind originalVerdict,
                               VerdictKind replayVerdict, String replayVerdictMessage, int originalEvents,
                               int replayEvents, List<String> missingSteps, List<String> extraSteps,
                               Map<AnomalyKind, Integer> newAnomalies, Map<AnomalyKind, Integer> goneAnomalies,
                               List<Hop> hops, Outcome outcome) {

    /** A hop changes only when it moved by at least this much (50 ms) as well as by a factor of 2. */
    public static final Duration HOP_CHANGE_MIN = Duration.ofMillis(50);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The verdict of a comparison. */
    public enum Outcome {
        /** The replay went wrong the same way. */
        REPRODUCED,
        /** The original went wrong; the replay is healthy. */
        FIXED,
        /** The replay went another way. */
        DIFFERENT
    }

    /**
     * One hop between consecutive steps.
     *
     * @param from       the step it leaves
     * @param to         the step it reaches
     * @param originalMs its latency in the original, milliseconds
     * @param replayMs   its latency in the replay, milliseconds, or null when the replay lacks either step
     * @param changed    true when it changed (see the class comment)
     */
    public record Hop(String from, String to, long originalMs, Long replayMs, boolean changed) {
    }

    public ReplayComparison {
        missingSteps = List.copyOf(missingSteps);
        extraSteps = List.copyOf(extraSteps);
        newAnomalies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(newAnomalies));
        goneAnomalies = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(goneAnomalies));
        hops = List.copyOf(hops);
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Compares an original timeline with the replay's. */
    public static ReplayComparison compare(Timeline original, Timeline replay) {
        Map<String, Instant> origSteps = firstSteps(original);
        Map<String, Instant> replaySteps = firstSteps(replay);
        List<String> missing = origSteps.keySet().stream().filter(s -> !replaySteps.containsKey(s)).toList();
        List<String> extra = replaySteps.keySet().stream().filter(s -> !origSteps.containsKey(s)).toList();
        Map<AnomalyKind, Integer> newKinds = new LinkedHashMap<>();
        Map<AnomalyKind, Integer> gone = new LinkedHashMap<>();
        Map<AnomalyKind, Integer> o = original.anomalyCounts();
        Map<AnomalyKind, Integer> r = replay.anomalyCounts();
        for (AnomalyKind k : AnomalyKind.values()) {
            if (r.get(k) > 0 && o.get(k) == 0) {
                newKinds.put(k, r.get(k));
            }
            if (o.get(k) > 0 && r.get(k) == 0) {
                gone.put(k, o.get(k));
            }
        }
        List<Hop> hops = new ArrayList<>();
        List<String> order = new ArrayList<>(origSteps.keySet());
        for (int i = 1; i < order.size(); i++) {
            String from = order.get(i - 1);
            String to = order.get(i);
            long om = Duration.between(origSteps.get(from), origSteps.get(to)).toMillis();
            Long rm = replaySteps.containsKey(from) && replaySteps.containsKey(to)
                    ? Duration.between(replaySteps.get(from), replaySteps.get(to)).toMillis() : null;
            boolean changed = rm != null && Math.abs(rm - om) >= HOP_CHANGE_MIN.toMillis()
                    && (rm > 2 * Math.max(om, 0) || 2 * rm < om);
            hops.add(new Hop(from, to, om, rm, changed));
        }
        VerdictKind ov = original.verdict().kind();
        VerdictKind rv = replay.verdict().kind();
        Outcome outcome;
        if (rv == VerdictKind.NO_EVENTS) {
            outcome = Outcome.DIFFERENT;
        } else if (ov != VerdictKind.HEALTHY && rv == VerdictKind.HEALTHY) {
            outcome = Outcome.FIXED;
        } else if (ov == rv && (ov != VerdictKind.HEALTHY || (missing.isEmpty() && extra.isEmpty()))) {
            outcome = Outcome.REPRODUCED;
        } else {
            outcome = Outcome.DIFFERENT;
        }
        return new ReplayComparison(original.correlationId(), replay.correlationId(), ov, rv,
                replay.verdict().message(), original.entries().size(), replay.entries().size(), missing, extra,
                newKinds, gone, hops, outcome);
    }

    private static Map<String, Instant> firstSteps(Timeline t) {
        Map<String, Instant> out = new LinkedHashMap<>();
        for (TimelineEntry e : t.entries()) {
            String type = e.event().derived().eventTypeValue();
            out.putIfAbsent(type != null ? type : "channel " + e.event().channel().name(), e.event().observedAt());
        }
        return out;
    }

    /** The comparison as the summary's {@code comparison} member. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("outcome", outcome.name());
        n.put("originalCorrelationId", originalCorrelationId);
        n.put("replayCorrelationId", replayCorrelationId);
        n.put("originalVerdict", originalVerdict.name());
        n.put("replayVerdict", replayVerdict.name());
        n.put("replayVerdictMessage", replayVerdictMessage);
        n.put("originalEvents", originalEvents);
        n.put("replayEvents", replayEvents);
        ArrayNode m = n.putArray("missingSteps");
        missingSteps.forEach(m::add);
        ArrayNode x = n.putArray("extraSteps");
        extraSteps.forEach(x::add);
        ObjectNode na = n.putObject("newAnomalies");
        newAnomalies.forEach((k, v) -> na.put(k.name(), v));
        ObjectNode ga = n.putObject("goneAnomalies");
        goneAnomalies.forEach((k, v) -> ga.put(k.name(), v));
        ArrayNode hs = n.putArray("hops");
        for (Hop h : hops) {
            ObjectNode hn = hs.addObject();
            hn.put("from", h.from());
            hn.put("to", h.to());
            hn.put("originalMs", h.originalMs());
            if (h.replayMs() == null) {
                hn.putNull("replayMs");
            } else {
                hn.put("replayMs", h.replayMs());
            }
            hn.put("changed", h.changed());
        }
        return n;
    }
}
