package io.eventlens.core.flowmodel;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Learns the expected flows of a capture from <em>all</em> its flows (not a sample), in one
 * sequential pass over the store (docs/reference/anomalies-and-verdicts.md, "Expected flows";
 * docs/decisions/0017-expected-flows.md).
 *
 * <p>Two rounds over the flows' paths: the first learns every transition's limit over the whole
 * capture, to tell which flows the capture cut off (a flow that starts with a step other steps lead
 * to, sooner after the capture's start than such a hop may take; a flow whose last step may still be
 * followed before the capture's end); the second learns each family (keyed by its first step) from
 * the flows that were not cut off: steps reached, ends, transitions with hop latency percentiles,
 * and which step comes before which. Below {@link FlowModelSettings#minFlows()} flows a family is
 * kept but marked not learned: nothing is inferred from it.
 *
 * <p>Memory: three longs per step event of the capture while learning (the path of each flow),
 * then the model (a few objects per distinct step and transition). At most
 * {@value #MAX_STEPS_PER_FLOW} steps of a flow are learned from.
 */
public final class FlowModelLearner {

    /** Steps of one flow learned from at most (the rest of a huge flow is not a path). */
    public static final int MAX_STEPS_PER_FLOW = 1_000;
    /** Distinct steps of one flow compared pairwise for "comes before" at most. */
    static final int MAX_PAIR_STEPS = 64;

    private FlowModelLearner() {
    }

    /**
     * Learns from every event of a capture store (read-only use: {@link CaptureStore#page}).
     *
     * @param store     the capture, may be read-only
     * @param settings  the thresholds
     * @param progress  told the store sequence reached after each page (may be null)
     * @param cancelled polled between pages (may be null)
     * @throws CancellationException when {@code cancelled} says so
     */
    public static FlowModel learn(CaptureStore store, FlowModelSettings settings, LongConsumer progress,
                                  BooleanSupplier cancelled) {
        return learn(store, settings, List.of(), progress, cancelled);
    }

    /**
     * Learns from every event of a capture store like {@link #learn(CaptureStore, FlowModelSettings,
     * LongConsumer, BooleanSupplier)}, with these declared flows, and judges every flow against the
     * model ({@link FlowModel#verdicts()}).
     */
    public static FlowModel learn(CaptureStore store, FlowModelSettings settings, List<DeclaredFlow> declared,
                                  LongConsumer progress, BooleanSupplier cancelled) {
        return learn(store, List.of(), settings, declared, progress, cancelled);
    }

    /**
     * Learns from every event of a capture store and of other captures of the same system (more
     * healthy flows to learn from), and judges the flows of {@code store} only. Each capture's own
     * start and end decide which of its flows it cut off; "overdue" is measured against the end of
     * {@code store}.
     *
     * @param store  the capture judged (its flows make {@link FlowModel#verdicts()})
     * @param others more captures to learn from, read once each
     * @throws CancellationException when {@code cancelled} says so
     */
    public static FlowModel learn(CaptureStore store, List<CaptureStore> others, FlowModelSettings settings,
                                  List<DeclaredFlow> declared, LongConsumer progress, BooleanSupplier cancelled) {
        List<Capture> captures = new ArrayList<>();
        captures.add(read(store, progress, cancelled));
        for (CaptureStore other : others) {
            captures.add(read(other, null, cancelled));
        }
        FlowModel model = learn(captures, settings).withDeclared(declared);
        return model.withVerdicts(judgeAll(model, captures.get(0).paths(), cancelled));
    }

    /**
     * The flows of one capture and its time extent.
     *
     * @param paths      every flow's path
     * @param startNanos the capture's first observed time (ns since the epoch)
     * @param endNanos   the capture's last observed time
     */
    public record Capture(List<FlowPath> paths, long startNanos, long endNanos) {
    }

    /** Reads the paths of every flow of a store in one sequential pass. */
    static Capture read(CaptureStore store, LongConsumer progress, BooleanSupplier cancelled) {
        Map<String, long[]> raw = new HashMap<>();
        Map<String, Integer> sizes = new HashMap<>();
        Map<Step, Integer> stepIds = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        long last = store.eventCount();
        long next = 1;
        while (next <= last) {
            if (cancelled != null && cancelled.getAsBoolean()) {
                throw new CancellationException("learning expected flows cancelled");
            }
            int n = (int) Math.min(10_000, last - next + 1);
            for (CapturedEvent e : store.page(next, n)) {
                long at = FlowPath.nanos(e);
                start = Math.min(start, at);
                end = Math.max(end, at);
                String id = e.derived().correlationIdValue();
                if (id == null || !FlowPath.isStepEvent(e)) {
                    continue;
                }
                Step step = FlowPath.stepOf(e);
                Integer sid = stepIds.get(step);
                if (sid == null) {
                    sid = steps.size();
                    stepIds.put(step, sid);
                    steps.add(step);
                }
                int size = sizes.getOrDefault(id, 0);
                if (size >= MAX_STEPS_PER_FLOW) {
                    continue;
                }
                long[] a = raw.get(id);
                if (a == null || a.length < (size + 1) * 3) {
                    a = a == null ? new long[12] : Arrays.copyOf(a, Math.min(a.length * 2, MAX_STEPS_PER_FLOW * 3));
                    raw.put(id, a);
                }
                int i = size * 3;
                a[i] = at;
                a[i + 1] = e.seq();
                a[i + 2] = ((long) sid << 32) | (FlowPath.eventIdOf(e).hashCode() & 0xffffffffL);
                sizes.put(id, size + 1);
            }
            next += n;
            if (progress != null) {
                progress.accept(next - 1);
            }
        }
        List<FlowPath> paths = new ArrayList<>(raw.size());
        for (Map.Entry<String, long[]> en : raw.entrySet()) {
            paths.add(path(en.getKey(), en.getValue(), sizes.get(en.getKey()), steps));
        }
        return new Capture(paths, start == Long.MAX_VALUE ? 0 : start, end == Long.MIN_VALUE ? 0 : end);
    }

    /** The flows the model judges STOPPED, MISSING_STEP, LAG or IN_FLIGHT, worst first, then latest first. */
    static List<FlowVerdict> judgeAll(FlowModel model, Collection<FlowPath> paths, BooleanSupplier cancelled) {
        FlowJudge judge = new FlowJudge(model);
        List<FlowVerdict> out = new ArrayList<>();
        int n = 0;
        for (FlowPath p : paths) {
            if (cancelled != null && (++n & 1023) == 0 && cancelled.getAsBoolean()) {
                throw new CancellationException("learning expected flows cancelled");
            }
            FlowJudge.Judgement j = judge.judge(p);
            io.eventlens.core.analysis.VerdictKind kind = j.kind();
            if (kind == null) {
                continue;
            }
            String message = null;
            for (var x : j.expected()) {
                if (x.kind().name().equals(kind.name())) {
                    message = x.message();
                    break;
                }
            }
            if (message == null) {
                message = j.findings().isEmpty() ? kind.name() : j.findings().get(0).anomaly().message();
            }
            out.add(new FlowVerdict(p.correlationId(), kind, message, j.family(), p.atMs(0), p.atMs(p.size() - 1),
                    p.size()));
        }
        out.sort(java.util.Comparator.comparing(FlowVerdict::kind)
                .thenComparing(FlowVerdict::lastObservedMs, java.util.Comparator.reverseOrder())
                .thenComparing(FlowVerdict::correlationId));
        return out;
    }

    /** One flow's path from its packed events: sorted by observed time, then sequence; one step per event ID. */
    private static FlowPath path(String id, long[] a, int n, List<Step> steps) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> {
            int c = Long.compare(a[x * 3], a[y * 3]);
            return c != 0 ? c : Long.compare(a[x * 3 + 1], a[y * 3 + 1]);
        });
        List<Step> s = new ArrayList<>(n);
        long[] at = new long[n];
        long[] seq = new long[n];
        Set<Integer> ids = new HashSet<>();
        int k = 0;
        for (int i : order) {
            long packed = a[i * 3 + 2];
            if (!ids.add((int) packed)) {
                continue;   // the same event ID again: a redelivery or another observation
            }
            s.add(steps.get((int) (packed >>> 32)));
            at[k] = a[i * 3];
            seq[k] = a[i * 3 + 1];
            k++;
        }
        return new FlowPath(id, s, Arrays.copyOf(at, k), Arrays.copyOf(seq, k));
    }

    /**
     * Learns from flow paths of one capture.
     *
     * @param paths       every flow of the capture
     * @param startNanos  the capture's first observed time (ns since the epoch)
     * @param endNanos    the capture's last observed time
     * @param settings    the thresholds
     */
    public static FlowModel learn(Collection<FlowPath> paths, long startNanos, long endNanos, FlowModelSettings settings) {
        return learn(List.of(new Capture(List.copyOf(paths), startNanos, endNanos)), settings);
    }

    /**
     * Learns from the flows of several captures; the first is the one judged (the model's extent).
     *
     * @param captures at least one capture
     * @param settings the thresholds
     */
    public static FlowModel learn(List<Capture> captures, FlowModelSettings settings) {
        // round 1: every transition over all captures, for the cut-off rules
        Map<Step, Map<Step, Samples>> all = new HashMap<>();
        for (Capture c : captures) {
            for (FlowPath p : c.paths()) {
                for (int i = 1; i < p.size(); i++) {
                    all.computeIfAbsent(p.steps().get(i - 1), k -> new HashMap<>())
                            .computeIfAbsent(p.steps().get(i), k -> new Samples()).add(p.atMs(i) - p.atMs(i - 1));
                }
            }
        }
        Map<Step, Long> incoming = new HashMap<>();
        Map<Step, Long> outgoing = new HashMap<>();
        all.forEach((from, tos) -> tos.forEach((to, samples) -> {
            long limit = HopStats.of(from, to, samples.toArray(), settings).thresholdMs();
            incoming.merge(to, limit, Math::max);
            outgoing.merge(from, limit, Math::max);
        }));
        all.clear();

        // round 2: families from the flows that were not cut off, each by its own capture's extent
        Map<Step, Builder> builders = new LinkedHashMap<>();
        long flows = 0;
        for (int ci = 0; ci < captures.size(); ci++) {
            Capture c = captures.get(ci);
            long startMs = Math.floorDiv(c.startNanos(), 1_000_000L);
            long endMs = Math.floorDiv(c.endNanos(), 1_000_000L);
            for (FlowPath p : c.paths()) {
                if (p.isEmpty()) {
                    continue;
                }
                if (ci == 0) {
                    flows++;
                }
                Step first = p.steps().get(0);
                Builder b = builders.computeIfAbsent(first, Builder::new);
                Long in = incoming.get(first);
                Long out = outgoing.get(p.steps().get(p.size() - 1));
                boolean cutStart = in != null && p.atMs(0) - startMs <= in;
                boolean cutEnd = out != null && endMs - p.atMs(p.size() - 1) <= out;
                if (cutStart || cutEnd) {
                    b.cutOff++;
                } else {
                    b.add(p);
                }
            }
        }
        List<FlowFamily> families = new ArrayList<>();
        builders.values().forEach(b -> families.add(b.build(settings)));
        families.sort((x, y) -> Integer.compare(y.flowCount() + y.cutOffFlows(), x.flowCount() + x.cutOffFlows()));
        Map<Step, FlowFamily> byStart = new LinkedHashMap<>();
        families.forEach(f -> byStart.put(f.start(), f));
        Capture judged = captures.get(0);
        return new FlowModel(byStart, Map.of(), judged.startNanos(), judged.endNanos(), incoming, flows, settings,
                List.of());
    }

    /** A growable list of hop latencies in ms. */
    private static final class Samples {
        long[] values = new long[4];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = Math.max(0, v);
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }

    /** The counts of one family while its flows are added. */
    private static final class Builder {
        final Step start;
        int flows;
        int cutOff;
        final Map<Step, int[]> steps = new LinkedHashMap<>();   // visits, ends, flows
        final Map<Step, Map<Step, Samples>> hops = new LinkedHashMap<>();
        final Map<Step, Map<Step, Integer>> before = new HashMap<>();

        Builder(Step start) {
            this.start = start;
        }

        void add(FlowPath p) {
            flows++;
            List<Step> firsts = new ArrayList<>();
            Set<Step> seen = new HashSet<>();
            for (int i = 0; i < p.size(); i++) {
                Step s = p.steps().get(i);
                int[] c = steps.computeIfAbsent(s, k -> new int[3]);
                c[0]++;
                if (seen.add(s)) {
                    c[2]++;
                    if (firsts.size() < MAX_PAIR_STEPS) {
                        for (Step x : firsts) {
                            before.computeIfAbsent(x, k -> new HashMap<>()).merge(s, 1, Integer::sum);
                        }
                        firsts.add(s);
                    }
                }
                if (i > 0) {
                    hops.computeIfAbsent(p.steps().get(i - 1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(s, k -> new Samples()).add(p.atMs(i) - p.atMs(i - 1));
                }
            }
            steps.get(p.steps().get(p.size() - 1))[1]++;
        }

        FlowFamily build(FlowModelSettings settings) {
            Map<Step, FlowFamily.StepStats> st = new LinkedHashMap<>();
            steps.forEach((s, c) -> st.put(s, new FlowFamily.StepStats(s, c[0], c[1], c[2])));
            Map<Step, Map<Step, HopStats>> h = new LinkedHashMap<>();
            hops.forEach((from, tos) -> {
                Map<Step, HopStats> m = new LinkedHashMap<>();
                tos.forEach((to, samples) -> m.put(to, HopStats.of(from, to, samples.toArray(), settings)));
                h.put(from, m);
            });
            return new FlowFamily(start, flows, cutOff, flows >= settings.minFlows(), st, h, before, settings);
        }
    }
}
