package io.eventlens.core.flowmodel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The expected flows of a capture: the families learned from all its flows, the families declared
 * in a flow file (declared beats learned: a declared family replaces the learned one with the same
 * first step), and the capture's time extent, which decides whether a flow's next step is overdue
 * (docs/reference/anomalies-and-verdicts.md, "Expected flows").
 *
 * @param families          learned families by first step, largest first
 * @param declared          declared families by first step, in file order
 * @param captureStartNanos the earliest observed time of the capture, ns since the epoch
 * @param captureEndNanos   the latest observed time of the capture, ns since the epoch
 * @param incomingMs        for each step, the largest learned limit of a hop into it over the whole
 *                          capture: a flow that starts with that step sooner than this after the
 *                          capture's start may have begun before it (cut off at the start)
 * @param flowCount         how many flows the capture has (with at least one step)
 * @param settings          the thresholds
 * @param verdicts          the flows of the capture the model judged STOPPED, MISSING_STEP, LAG or
 *                          IN_FLIGHT when it was learned (with the declarations known then), worst first
 */
public record FlowModel(Map<Step, FlowFamily> families, Map<Step, DeclaredFlow> declared, long captureStartNanos,
                        long captureEndNanos, Map<Step, Long> incomingMs, long flowCount, FlowModelSettings settings,
                        List<FlowVerdict> verdicts) {

    public FlowModel {
        families = Collections.unmodifiableMap(new LinkedHashMap<>(families));
        declared = Collections.unmodifiableMap(new LinkedHashMap<>(declared));
        incomingMs = Map.copyOf(incomingMs);
        Objects.requireNonNull(settings, "settings");
        verdicts = verdicts == null ? List.of() : List.copyOf(verdicts);
    }

    /** A model of nothing: no family, no extent. */
    public static FlowModel empty() {
        return new FlowModel(Map.of(), Map.of(), 0, 0, Map.of(), 0, FlowModelSettings.defaults(), List.of());
    }

    /**
     * This model with the flows of a flow file declared (replacing earlier declarations of the same
     * first step). {@link #verdicts()} stay those judged when learning.
     */
    public FlowModel withDeclared(List<DeclaredFlow> flows) {
        Map<Step, DeclaredFlow> d = new LinkedHashMap<>(declared);
        for (DeclaredFlow f : flows) {
            d.put(f.start(), f);
        }
        return new FlowModel(families, d, captureStartNanos, captureEndNanos, incomingMs, flowCount, settings, verdicts);
    }

    /** This model with these flow verdicts. */
    FlowModel withVerdicts(List<FlowVerdict> list) {
        return new FlowModel(families, declared, captureStartNanos, captureEndNanos, incomingMs, flowCount, settings, list);
    }

    /** The learned family of flows starting with {@code start}, or null. */
    public FlowFamily family(Step start) {
        return families.get(start);
    }

    /** The learned families with enough flows, largest first. */
    public List<FlowFamily> learnedFamilies() {
        List<FlowFamily> out = new ArrayList<>();
        families.values().forEach(f -> {
            if (f.learned()) {
                out.add(f);
            }
        });
        return out;
    }

    /** The capture's end in epoch ms. */
    public long captureEndMs() {
        return Math.floorDiv(captureEndNanos, 1_000_000L);
    }

    /** The capture's start in epoch ms. */
    public long captureStartMs() {
        return Math.floorDiv(captureStartNanos, 1_000_000L);
    }

    /**
     * Whether the capture may have cut off the start of this flow: its first step is also reached
     * from other steps, and it came sooner after the capture's start than such a hop may take.
     */
    public boolean cutAtStart(FlowPath p) {
        if (p.isEmpty()) {
            return false;
        }
        Long in = incomingMs.get(p.steps().get(0));
        return in != null && p.atMs(0) - captureStartMs() <= in;
    }
}
