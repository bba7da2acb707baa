package io.eventlens.core.flowmodel;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Judges flows against their expected flow (docs/reference/anomalies-and-verdicts.md, "Expected
 * flows"): a declared family when the flow's first step starts one (declared beats learned), else
 * the learned family of its first step when it was learned from enough flows.
 *
 * <ul>
 *   <li>{@code STOPPED}: the flow's last step is usually (learned: by most visits) or by declaration
 *       followed by another, and that step has not come within its limit (learned p99, or the
 *       declared timeout) before the capture's end. A flow the capture cut off at its start is
 *       never STOPPED.</li>
 *   <li>{@code IN_FLIGHT}: the same, but the next step is not overdue yet when the capture ends.</li>
 *   <li>{@code MISSING_STEP} (anomaly on the step that came in its place): a step that came before
 *       a later step in nearly all flows that reached that later step (or is declared before it)
 *       is absent while the later step came.</li>
 *   <li>{@code LAG} (rule {@code lag.learned-hop}): a hop slower than {@link FlowModelSettings#lagFactor()}
 *       times its learned limit and at least {@link FlowModelSettings#lagFloor()}; or (rule
 *       {@code lag.declared-slo}) slower than the step's declared {@code slo}.</li>
 * </ul>
 */
public final class FlowJudge {

    /** An anomaly the judge puts on the step at {@code stepIndex} of the judged path. */
    public record Finding(int stepIndex, Anomaly anomaly) {
    }

    /**
     * What the judge found for one flow.
     *
     * @param family   the family's name (its first step's label or the declared name), or null
     * @param source   {@code "declared"}, {@code "learned"}, or {@code "none"}
     * @param expected the expected steps not had (MISSING_STEP, STOPPED, IN_FLIGHT)
     * @param findings the anomalies on the path's steps
     * @param note     why nothing was inferred ("too few flows"), or null
     */
    public record Judgement(String family, String source, List<ExpectedStep> expected, List<Finding> findings,
                            String note) {
        public Judgement {
            expected = List.copyOf(expected);
            findings = List.copyOf(findings);
        }

        /** The expected-flow verdict alone: STOPPED, MISSING_STEP, LAG, IN_FLIGHT in that order, or null. */
        public VerdictKind kind() {
            if (expected.stream().anyMatch(x -> x.kind() == ExpectedStep.Kind.STOPPED)) {
                return VerdictKind.STOPPED;
            }
            if (expected.stream().anyMatch(x -> x.kind() == ExpectedStep.Kind.MISSING_STEP)) {
                return VerdictKind.MISSING_STEP;
            }
            if (!findings.isEmpty()) {
                return VerdictKind.LAG;
            }
            if (expected.stream().anyMatch(x -> x.kind() == ExpectedStep.Kind.IN_FLIGHT)) {
                return VerdictKind.IN_FLIGHT;
            }
            return null;
        }
    }

    private final FlowModel model;

    /** A judge of flows of the capture {@code model} was learned from. */
    public FlowJudge(FlowModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    /** The model judged against. */
    public FlowModel model() {
        return model;
    }

    /**
     * The timeline with the judge's findings: MISSING_STEP and LAG anomalies added to its entries,
     * the expected steps set, and the verdict chosen again
     * ({@link TimelineAnalyzer#verdict(List, List)}). A timeline without events is returned as is.
     */
    public Timeline apply(Timeline t) {
        if (t.entries().isEmpty()) {
            return t;
        }
        List<CapturedEvent> events = new ArrayList<>(t.entries().size());
        Map<Long, Integer> entryOfSeq = new HashMap<>();
        for (int i = 0; i < t.entries().size(); i++) {
            events.add(t.entries().get(i).event());
            entryOfSeq.put(t.entries().get(i).event().seq(), i);
        }
        FlowPath path = FlowPath.of(t.correlationId(), events);
        Judgement j = judge(path);
        if (j.expected().isEmpty() && j.findings().isEmpty()) {
            return t;
        }
        Map<Integer, List<Anomaly>> added = new HashMap<>();
        for (Finding f : j.findings()) {
            Integer entry = entryOfSeq.get(path.seqs()[f.stepIndex()]);
            if (entry == null) {
                continue;
            }
            TimelineEntry e = t.entries().get(entry);
            boolean sloLagThere = f.anomaly().kind() == AnomalyKind.LAG
                    && e.anomalies().stream().anyMatch(a -> a.rule().equals("lag.previous-step"));
            if (!sloLagThere) {
                added.computeIfAbsent(entry, k -> new ArrayList<>()).add(f.anomaly());
            }
        }
        List<TimelineEntry> entries = new ArrayList<>(t.entries().size());
        for (int i = 0; i < t.entries().size(); i++) {
            TimelineEntry e = t.entries().get(i);
            List<Anomaly> more = added.get(i);
            if (more == null) {
                entries.add(e);
            } else {
                List<Anomaly> all = new ArrayList<>(e.anomalies());
                all.addAll(more);
                entries.add(new TimelineEntry(e.event(), e.observations(), all));
            }
        }
        return new Timeline(t.correlationId(), entries, TimelineAnalyzer.verdict(entries, j.expected()), j.expected());
    }

    /** Judges one flow's path. */
    public Judgement judge(FlowPath p) {
        if (p.isEmpty()) {
            return new Judgement(null, "none", List.of(), List.of(), null);
        }
        Step first = p.steps().get(0);
        DeclaredFlow declared = model.declared().get(first);
        if (declared != null) {
            return judgeDeclared(p, declared);
        }
        FlowFamily family = model.family(first);
        if (family == null) {
            return new Judgement(null, "none", List.of(), List.of(), "no flow family starts with " + first.label());
        }
        if (!family.learned()) {
            return new Judgement(family.name(), "none", List.of(), List.of(), "family " + family.name() + ": "
                    + family.flowCount() + (family.flowCount() == 1 ? " flow" : " flows") + " to learn from, "
                    + model.settings().minFlows() + " needed; nothing inferred");
        }
        return judgeLearned(p, family);
    }

    // ---- learned -------------------------------------------------------------------------------

    private Judgement judgeLearned(FlowPath p, FlowFamily family) {
        FlowModelSettings s = model.settings();
        List<ExpectedStep> expected = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (int i = 1; i < p.size(); i++) {
            HopStats hop = family.hop(p.steps().get(i - 1), p.steps().get(i));
            if (hop == null || hop.count() < s.minFlows()) {
                continue;
            }
            long gap = p.atMs(i) - p.atMs(i - 1);
            long limit = Math.max((long) Math.ceil(s.lagFactor() * hop.thresholdMs()), s.lagFloor().toMillis());
            if (gap > limit) {
                Map<String, Object> ev = hopEvidence(p, i, hop);
                ev.put("gapMs", gap);
                ev.put("limitMs", limit);
                ev.put("sloMs", limit);
                ev.put("lagFactor", s.lagFactor());
                findings.add(new Finding(i, new Anomaly(AnomalyKind.LAG,
                        hop.from().label() + " → " + hop.to().label() + " took " + fmt(gap) + "; learned "
                                + hop.thresholdText(s) + ", limit " + fmt(limit) + " (" + HopStats.trim(s.lagFactor())
                                + "× that, at least " + fmt(s.lagFloor().toMillis()) + ")",
                        "lag.learned-hop", ev, p.seqs()[i - 1])));
            }
        }
        if (model.cutAtStart(p)) {
            return new Judgement(family.name(), "learned", expected, findings, "may have begun before the capture started");
        }
        Set<Step> present = new HashSet<>(p.steps());
        for (Step x : family.steps().keySet()) {
            if (present.contains(x)) {
                continue;
            }
            for (int j = 1; j < p.size(); j++) {
                Step y = p.steps().get(j);
                if (family.expectedBefore(x, y)) {
                    int with = family.countBefore(x, y);
                    int reaching = family.steps().get(y).flows();
                    HopStats into = family.hop(p.steps().get(j - 1), x);
                    long prev = p.atMs(j - 1);
                    long at = into != null ? Math.min(p.atMs(j), prev + into.p50Ms()) : prev + (p.atMs(j) - prev) / 2;
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("family", family.name());
                    ev.put("missingType", x.type());
                    ev.put("missingChannel", x.channel());
                    ev.put("beforeType", y.type());
                    ev.put("beforeChannel", y.channel());
                    ev.put("flowsWithBoth", with);
                    ev.put("flowsReaching", reaching);
                    ev.put("expectedAt", Instant.ofEpochMilli(at).toString());
                    String msg = x.label() + " came before " + y.label() + " in " + with + " of " + reaching
                            + " flows of the family; this flow skipped it";
                    findings.add(new Finding(j, new Anomaly(AnomalyKind.MISSING_STEP, msg, "expected.learned-before", ev,
                            p.seqs()[j - 1])));
                    expected.add(new ExpectedStep(ExpectedStep.Kind.MISSING_STEP, x.type(), x.channel(),
                            Instant.ofEpochMilli(at), p.seqs()[j - 1], p.seqs()[j], msg, "expected.learned-before", ev));
                    break;
                }
            }
        }
        int last = p.size() - 1;
        Step lastStep = p.steps().get(last);
        HopStats next = family.expectedNext(lastStep);
        if (next != null) {
            FlowFamily.StepStats st = family.steps().get(lastStep);
            long waited = model.captureEndMs() - p.atMs(last);
            boolean overdue = waited > next.thresholdMs();
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("family", family.name());
            ev.put("afterType", lastStep.type());
            ev.put("afterChannel", lastStep.channel());
            ev.put("expectedType", next.to().type());
            ev.put("expectedChannel", next.to().channel());
            ev.put("followedIn", next.count());
            ev.put("visits", st.visits());
            ev.put("p50Ms", next.p50Ms());
            ev.put("p95Ms", next.p95Ms());
            ev.put("p99Ms", next.p99Ms());
            ev.put("maxMs", next.maxMs());
            ev.put("thresholdMs", next.thresholdMs());
            ev.put("estimated", next.estimated());
            ev.put("hops", next.count());
            ev.put("waitedMs", waited);
            String base = "after " + lastStep.label() + ", " + next.to().label() + " follows in " + next.count() + " of "
                    + st.visits() + " flows within " + next.thresholdText(s);
            String msg = overdue ? base + "; none came in " + fmt(waited)
                    : base + "; the capture ended " + fmt(waited) + " after " + lastStep.label();
            expected.add(new ExpectedStep(overdue ? ExpectedStep.Kind.STOPPED : ExpectedStep.Kind.IN_FLIGHT,
                    next.to().type(), next.to().channel(), Instant.ofEpochMilli(p.atMs(last) + next.p50Ms()),
                    p.seqs()[last], 0, msg, "expected.learned-next", ev));
        }
        return new Judgement(family.name(), "learned", expected, findings, null);
    }

    private static Map<String, Object> hopEvidence(FlowPath p, int i, HopStats hop) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("fromType", hop.from().type());
        ev.put("fromChannel", hop.from().channel());
        ev.put("toType", hop.to().type());
        ev.put("toChannel", hop.to().channel());
        ev.put("fromSeq", p.seqs()[i - 1]);
        ev.put("hops", hop.count());
        ev.put("p50Ms", hop.p50Ms());
        ev.put("p95Ms", hop.p95Ms());
        ev.put("p99Ms", hop.p99Ms());
        ev.put("maxMs", hop.maxMs());
        ev.put("thresholdMs", hop.thresholdMs());
        ev.put("estimated", hop.estimated());
        return ev;
    }

    // ---- declared ------------------------------------------------------------------------------

    private Judgement judgeDeclared(FlowPath p, DeclaredFlow flow) {
        List<ExpectedStep> expected = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        FlowFamily learned = model.family(flow.start());
        for (int i = 1; i < p.size(); i++) {
            DeclaredStep d = flow.find(p.steps().get(i));
            if (d == null || d.slo() == null) {
                continue;
            }
            long gap = p.atMs(i) - p.atMs(i - 1);
            if (gap > d.slo().toMillis()) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("family", flow.name());
                ev.put("fromType", p.steps().get(i - 1).type());
                ev.put("fromChannel", p.steps().get(i - 1).channel());
                ev.put("toType", d.step().type());
                ev.put("toChannel", d.step().channel());
                ev.put("fromSeq", p.seqs()[i - 1]);
                ev.put("gapMs", gap);
                ev.put("sloMs", d.slo().toMillis());
                ev.put("declaredAt", flow.file() + ":" + d.line());
                findings.add(new Finding(i, new Anomaly(AnomalyKind.LAG, p.steps().get(i - 1).label() + " → "
                        + d.step().label() + " took " + fmt(gap) + ", declared SLO " + fmt(d.slo().toMillis()) + " ("
                        + flow.name() + ", " + flow.file() + " line " + d.line() + ")", "lag.declared-slo", ev,
                        p.seqs()[i - 1])));
            }
        }
        if (model.cutAtStart(p)) {
            return new Judgement(flow.name(), "declared", expected, findings, "may have begun before the capture started");
        }
        Map<Step, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < p.size(); i++) {
            firstIndex.putIfAbsent(p.steps().get(i), i);
        }
        List<DeclaredStep> pending = new ArrayList<>();
        boolean terminal = false;
        for (DeclaredStep d : flow.steps()) {
            if (firstIndex.containsKey(d.step())) {
                terminal |= d.terminal();
                continue;
            }
            if (d.optional()) {
                continue;
            }
            int later = -1;
            for (int j = 1; j < p.size() && later < 0; j++) {
                DeclaredStep y = flow.find(p.steps().get(j));
                if (y != null && d.before(y)) {
                    later = j;
                }
            }
            if (later < 0) {
                pending.add(d);
                continue;
            }
            long prev = p.atMs(later - 1);
            HopStats into = learned == null ? null : learned.hop(p.steps().get(later - 1), d.step());
            long at = into != null ? Math.min(p.atMs(later), prev + into.p50Ms()) : prev + (p.atMs(later) - prev) / 2;
            Step y = p.steps().get(later);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("family", flow.name());
            ev.put("missingType", d.step().type());
            ev.put("missingChannel", d.step().channel());
            ev.put("beforeType", y.type());
            ev.put("beforeChannel", y.channel());
            ev.put("declaredAt", flow.file() + ":" + d.line());
            ev.put("expectedAt", Instant.ofEpochMilli(at).toString());
            String msg = d.step().label() + " is declared before " + y.label() + " by " + flow.name() + " ("
                    + flow.file() + " line " + d.line() + "); this flow skipped it";
            findings.add(new Finding(later, new Anomaly(AnomalyKind.MISSING_STEP, msg, "expected.declared-before", ev,
                    p.seqs()[later - 1])));
            expected.add(new ExpectedStep(ExpectedStep.Kind.MISSING_STEP, d.step().type(), d.step().channel(),
                    Instant.ofEpochMilli(at), p.seqs()[later - 1], p.seqs()[later], msg, "expected.declared-before", ev));
        }
        if (!terminal && !pending.isEmpty()) {
            DeclaredStep next = pending.get(0);
            int last = p.size() - 1;
            Step lastStep = p.steps().get(last);
            HopStats learnedHop = learned == null ? null : learned.hop(lastStep, next.step());
            long timeout;
            String source;
            if (next.timeout() != null) {
                timeout = next.timeout().toMillis();
                source = "declared timeout";
            } else if (learnedHop != null && learned.learned() && learnedHop.count() >= model.settings().minFlows()) {
                timeout = learnedHop.thresholdMs();
                source = "learned " + learnedHop.thresholdText(model.settings());
            } else {
                timeout = model.settings().declaredTimeout().toMillis();
                source = "default timeout";
            }
            long waited = model.captureEndMs() - p.atMs(last);
            boolean overdue = waited > timeout;
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("family", flow.name());
            ev.put("afterType", lastStep.type());
            ev.put("afterChannel", lastStep.channel());
            ev.put("expectedType", next.step().type());
            ev.put("expectedChannel", next.step().channel());
            ev.put("declaredAt", flow.file() + ":" + next.line());
            ev.put("timeoutMs", timeout);
            ev.put("timeoutSource", source);
            ev.put("waitedMs", waited);
            String base = "after " + lastStep.label() + ", " + next.step().label() + " is declared next by " + flow.name()
                    + " (" + flow.file() + " line " + next.line() + ") within " + fmt(timeout) + " (" + source + ")";
            String msg = overdue ? base + "; none came in " + fmt(waited)
                    : base + "; the capture ended " + fmt(waited) + " after " + lastStep.label();
            long expectedAt = p.atMs(last) + (learnedHop != null ? learnedHop.p50Ms() : timeout);
            expected.add(new ExpectedStep(overdue ? ExpectedStep.Kind.STOPPED : ExpectedStep.Kind.IN_FLIGHT,
                    next.step().type(), next.step().channel(), Instant.ofEpochMilli(expectedAt), p.seqs()[last], 0, msg,
                    "expected.declared-next", ev));
        }
        return new Judgement(flow.name(), "declared", expected, findings, null);
    }

    private static String fmt(long ms) {
        return TimelineAnalyzer.formatDuration(Duration.ofMillis(ms));
    }
}
