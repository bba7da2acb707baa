package io.eventlens.core.flowmodel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the flows of one family usually do, learned from a capture
 * (docs/reference/anomalies-and-verdicts.md, "Expected flows"): the steps they reach, where they
 * end, each transition's count and hop latency percentiles, and which steps come before which. A
 * family is keyed by its first step. Flows cut off by the capture's start or end are counted in
 * {@link #cutOffFlows()} but never define the path.
 *
 * @param start       the first step of every flow of the family
 * @param flowCount   flows learned from (not cut off)
 * @param cutOffFlows flows of the family left out because the capture cut them off
 * @param learned     true when {@code flowCount} reached {@link FlowModelSettings#minFlows()}: only
 *                    then is anything inferred
 * @param steps       each step reached, in first-seen order
 * @param hops        each transition seen, by its step before, then its step after
 * @param before      for steps X and Y: in how many flows the first X came before the first Y
 * @param settings    the thresholds it was learned with
 */
public record FlowFamily(Step start, int flowCount, int cutOffFlows, boolean learned, Map<Step, StepStats> steps,
                         Map<Step, Map<Step, HopStats>> hops, Map<Step, Map<Step, Integer>> before,
                         FlowModelSettings settings) {

    /**
     * How often the family's flows reached a step.
     *
     * @param step   the step
     * @param visits how many times flows were at it (a loop visits twice)
     * @param ends   how many flows ended at it
     * @param flows  how many flows reached it at least once
     */
    public record StepStats(Step step, int visits, int ends, int flows) {
    }

    public FlowFamily {
        Objects.requireNonNull(start, "start");
        steps = Collections.unmodifiableMap(new LinkedHashMap<>(steps));
        Map<Step, Map<Step, HopStats>> h = new LinkedHashMap<>();
        hops.forEach((k, v) -> h.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        hops = Collections.unmodifiableMap(h);
        Map<Step, Map<Step, Integer>> b = new HashMap<>();
        before.forEach((k, v) -> b.put(k, Collections.unmodifiableMap(new HashMap<>(v))));
        before = Collections.unmodifiableMap(b);
        Objects.requireNonNull(settings, "settings");
    }

    /** The transition from {@code a} straight to {@code b}, or null when none was seen. */
    public HopStats hop(Step a, Step b) {
        Map<Step, HopStats> m = hops.get(a);
        return m == null ? null : m.get(b);
    }

    /** Every transition, grouped by the step before. */
    public List<HopStats> allHops() {
        List<HopStats> out = new ArrayList<>();
        hops.values().forEach(m -> out.addAll(m.values()));
        return out;
    }

    /**
     * The step that usually follows {@code a}: when more than {@link FlowModelSettings#continueShare()}
     * of the visits to {@code a} went on, the most frequent transition out of it; else null (most
     * flows end there, or the family was not learned).
     */
    public HopStats expectedNext(Step a) {
        StepStats s = steps.get(a);
        Map<Step, HopStats> out = hops.get(a);
        if (!learned || s == null || out == null || s.visits() == 0) {
            return null;
        }
        double went = (double) (s.visits() - s.ends()) / s.visits();
        if (went <= settings.continueShare()) {
            return null;
        }
        HopStats best = null;
        for (HopStats h : out.values()) {
            if (best == null || h.count() > best.count()) {
                best = h;
            }
        }
        return best;
    }

    /**
     * Whether step {@code x} is expected before {@code y}: at least {@link FlowModelSettings#minFlows()}
     * flows reached {@code y}, and in at least {@link FlowModelSettings#nearlyAllShare()} of them
     * {@code x} came first.
     */
    public boolean expectedBefore(Step x, Step y) {
        StepStats sy = steps.get(y);
        if (!learned || sy == null || sy.flows() < settings.minFlows() || x.equals(y)) {
            return false;
        }
        Map<Step, Integer> m = before.get(x);
        int n = m == null ? 0 : m.getOrDefault(y, 0);
        return n >= settings.nearlyAllShare() * sy.flows();
    }

    /** In how many flows the first {@code x} came before the first {@code y}. */
    public int countBefore(Step x, Step y) {
        Map<Step, Integer> m = before.get(x);
        return m == null ? 0 : m.getOrDefault(y, 0);
    }

    /** The usual path: from the start, the usual next step while there is one (no step twice). */
    public List<Step> usualPath() {
        Set<Step> path = new LinkedHashSet<>();
        Step at = start;
        while (at != null && path.add(at)) {
            HopStats next = expectedNext(at);
            at = next == null ? null : next.to();
        }
        return List.copyOf(path);
    }

    /** {@code OrderPlaced on orders}: families are named by their first step. */
    public String name() {
        return start.label();
    }
}
