package io.eventlens.core.flowmodel;

import static io.eventlens.core.flowmodel.SyntheticFlows.at;
import static io.eventlens.core.flowmodel.SyntheticFlows.steps;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.store.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synthetic captures with known families (issue 9): healthy flows, flows stopped at each step, a
 * skipped step, flows in flight at the end, a family with too few flows, branches, a common
 * failure that must not become the norm, a flow cut off by the capture's start, learned LAG and
 * its false-positive rate, and the learned percentiles against values computed here.
 */
class ExpectedFlowsTest {

    static final String A = "OrderPlaced@orders";
    static final String B = "PaymentAuthorized@payments";
    static final String C = "InventoryReserved@inventory";
    static final String D = "OrderShipped@shipping";
    static final Step SA = new Step("OrderPlaced", "orders");
    static final Step SB = new Step("PaymentAuthorized", "payments");
    static final Step SC = new Step("InventoryReserved", "inventory");
    static final Step SD = new Step("OrderShipped", "shipping");

    @TempDir
    Path dir;

    /** Hop latencies generated, per hop index (0: A→B, 1: B→C, 2: C→D). */
    private final List<List<Long>> hops = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

    /** {@code n} healthy A→B→C→D flows, one every second from {@code fromMs}, hops of 50-299 ms. */
    private SyntheticFlows healthy(SyntheticFlows s, String prefix, int n, long fromMs, Random r) {
        for (int i = 0; i < n; i++) {
            long t = fromMs + i * 1000L;
            long[] times = new long[4];
            times[0] = t;
            for (int h = 0; h < 3; h++) {
                long hop = 50 + r.nextInt(250);
                hops.get(h).add(hop);
                times[h + 1] = times[h] + hop;
            }
            s.flow(prefix + i, steps(A, B, C, D), times);
        }
        return s;
    }

    private static long nearestRank(List<Long> samples, double p) {
        long[] sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[rank - 1];
    }

    @Test
    void healthyFlowsStayHealthyAndTheLearnedPercentilesAreTheSamples() {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 150, 0, new Random(1));
        FlowModel m = s.learn();
        FlowFamily f = m.family(SA);
        assertThat(f.learned()).isTrue();
        assertThat(f.flowCount()).isEqualTo(150);
        assertThat(f.usualPath()).containsExactly(SA, SB, SC, SD);
        Step[] path = {SA, SB, SC, SD};
        for (int h = 0; h < 3; h++) {
            HopStats hop = f.hop(path[h], path[h + 1]);
            List<Long> samples = hops.get(h);
            assertThat(hop.count()).isEqualTo(150);
            assertThat(hop.estimated()).isFalse();
            assertThat(hop.p50Ms()).isEqualTo(nearestRank(samples, 50));
            assertThat(hop.p95Ms()).isEqualTo(nearestRank(samples, 95));
            assertThat(hop.p99Ms()).isEqualTo(nearestRank(samples, 99));
            assertThat(hop.maxMs()).isEqualTo(samples.stream().mapToLong(Long::longValue).max().orElseThrow());
            assertThat(hop.thresholdMs()).isEqualTo(hop.p99Ms());
        }
        for (String id : List.of("ok-0", "ok-77", "ok-149")) {
            Timeline t = s.timeline(m, id);
            assertThat(t.verdict().kind()).as(id).isEqualTo(VerdictKind.HEALTHY);
            assertThat(t.expectedSteps()).isEmpty();
        }
    }

    @Test
    void fewerThanAHundredHopsUseTheLargestTimesTheMarginAndSaySo() {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 40, 0, new Random(2));
        s.flow("stop-b", steps(A, B), at(100_000, 100_200));
        s.add("late", "Other", "other", 200_000);   // the capture ends long after
        FlowModel m = s.learn();
        HopStats bc = m.family(SA).hop(SB, SC);
        long max = hops.get(1).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(bc.estimated()).isTrue();
        assertThat(bc.thresholdMs()).isEqualTo((long) Math.ceil(max * 1.5));
        Timeline t = s.timeline(m, "stop-b");
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        assertThat(t.verdict().message()).contains("1.5× the largest of 40 hops, too few for a p99");
    }

    @Test
    void flowsStoppedAtEachStepAreStoppedWithTheEvidence() {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 40, 0, new Random(3));
        s.flow("stop-a", steps(A), at(500));
        s.flow("stop-b", steps(A, B), at(1500, 1600));
        s.flow("stop-c", steps(A, B, C), at(2500, 2600, 2700));
        FlowModel m = s.learn();
        long end = s.events().stream().mapToLong(e -> e.observedAt().toEpochMilli()).max().orElseThrow()
                - SyntheticFlows.T0.toEpochMilli();

        Timeline a = s.timeline(m, "stop-a");
        assertThat(a.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        assertThat(a.verdict().message()).startsWith(
                "stopped: after OrderPlaced on orders, PaymentAuthorized on payments follows in 42 of 43 flows within ");
        assertThat(a.verdict().message()).endsWith("; none came in "
                + io.eventlens.core.analysis.TimelineAnalyzer.formatDuration(java.time.Duration.ofMillis(end - 500)));
        assertThat(a.expectedSteps()).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(ExpectedStep.Kind.STOPPED);
            assertThat(x.type()).isEqualTo("PaymentAuthorized");
            assertThat(x.channel()).isEqualTo("payments");
            assertThat(x.evidence()).containsEntry("followedIn", 42).containsEntry("visits", 43)
                    .containsEntry("waitedMs", end - 500);
            assertThat(x.expectedAt()).isEqualTo(SyntheticFlows.T0.plusMillis(500 + m.family(SA).hop(SA, SB).p50Ms()));
        });

        Timeline b = s.timeline(m, "stop-b");
        assertThat(b.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        assertThat(b.verdict().message()).contains("after PaymentAuthorized on payments, InventoryReserved on inventory"
                + " follows in 41 of 42 flows");
        Timeline c = s.timeline(m, "stop-c");
        assertThat(c.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        assertThat(c.verdict().message()).contains("after InventoryReserved on inventory, OrderShipped on shipping"
                + " follows in 40 of 41 flows");
        assertThat(c.verdict().atSeq()).isEqualTo(c.entries().get(2).event().seq());
        // the learned family keeps its path
        assertThat(m.family(SA).usualPath()).containsExactly(SA, SB, SC, SD);
    }

    @Test
    void aSkippedStepIsMissingOnTheStepThatCameInItsPlace() {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 40, 0, new Random(4));
        s.flow("skip-c", steps(A, B, D), at(700, 800, 1000));
        FlowModel m = s.learn();
        Timeline t = s.timeline(m, "skip-c");
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.MISSING_STEP);
        assertThat(t.verdict().message()).isEqualTo("missing step: InventoryReserved on inventory came before"
                + " OrderShipped on shipping in 40 of 41 flows of the family; this flow skipped it");
        assertThat(t.entries().get(2).has(AnomalyKind.MISSING_STEP)).isTrue();
        assertThat(t.has(AnomalyKind.MISSING_STEP)).isTrue();
        assertThat(t.expectedSteps()).singleElement().satisfies(x -> {
            assertThat(x.kind()).isEqualTo(ExpectedStep.Kind.MISSING_STEP);
            assertThat(x.label()).isEqualTo("InventoryReserved on inventory");
            assertThat(x.afterSeq()).isEqualTo(t.entries().get(1).event().seq());
            assertThat(x.beforeSeq()).isEqualTo(t.entries().get(2).event().seq());
            assertThat(x.expectedAt()).isBetween(SyntheticFlows.T0.plusMillis(800), SyntheticFlows.T0.plusMillis(1000));
        });
    }

    @Test
    void aFlowStillInFlightAtTheEndIsInFlightNeverStoppedAndDoesNotTeach() {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 40, 0, new Random(5));
        s.flow("in-flight", steps(A, B), at(60_000, 60_100));
        s.add("tail", "Other", "other", 60_110);   // the capture ends 10 ms after B
        FlowModel m = s.learn();
        Timeline t = s.timeline(m, "in-flight");
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.IN_FLIGHT);
        assertThat(t.verdict().message()).contains("the capture ended 10 ms after PaymentAuthorized on payments");
        assertThat(t.expectedSteps()).singleElement().extracting(ExpectedStep::kind).isEqualTo(ExpectedStep.Kind.IN_FLIGHT);
        assertThat(m.family(SA).flowCount()).isEqualTo(40);
        assertThat(m.family(SA).cutOffFlows()).isEqualTo(1);
    }

    @Test
    void aFamilyWithTooFewFlowsInfersNothingAndSaysSo() {
        SyntheticFlows s = new SyntheticFlows();
        for (int i = 0; i < 3; i++) {
            s.flow("few-" + i, steps(A, B, C), at(i * 1000, i * 1000 + 100, i * 1000 + 200));
        }
        s.flow("few-stop", steps(A), at(10_000));
        s.add("tail", "Other", "other", 60_000);
        FlowModel m = s.learn();
        assertThat(m.family(SA).learned()).isFalse();
        assertThat(m.family(SA).flowCount()).isEqualTo(4);
        FlowJudge.Judgement j = new FlowJudge(m).judge(FlowPath.of("few-stop", s.byFlow().get("few-stop")));
        assertThat(j.expected()).isEmpty();
        assertThat(j.note()).isEqualTo("family OrderPlaced on orders: 4 flows to learn from, 5 needed; nothing inferred");
        Timeline t = s.timeline(m, "few-stop");
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
    }

    @Test
    void aFamilyWithBranchesExpectsTheUsualBranchAndFlagsNoBranchAsMissing() {
        SyntheticFlows s = new SyntheticFlows();
        String e = "FraudChecked@fraud";
        for (int i = 0; i < 30; i++) {
            long t = i * 1000L;
            s.flow("br-" + i, steps(A, B, i % 3 == 0 ? e : C, D), at(t, t + 100, t + 200, t + 300));
        }
        s.flow("br-stop", steps(A, B), at(40_000, 40_100));
        s.add("tail", "Other", "other", 90_000);
        FlowModel m = s.learn();
        FlowFamily f = m.family(SA);
        assertThat(f.hop(SB, SC).count()).isEqualTo(20);
        assertThat(f.hop(SB, new Step("FraudChecked", "fraud")).count()).isEqualTo(10);
        assertThat(s.timeline(m, "br-0").verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
        assertThat(s.timeline(m, "br-1").verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
        Timeline stop = s.timeline(m, "br-stop");
        assertThat(stop.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        assertThat(stop.verdict().message()).contains("InventoryReserved on inventory follows in 20 of 31 flows");
    }

    @Test
    void aCommonFailureDoesNotBecomeTheNorm() {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 14, 0, new Random(6));
        for (int i = 0; i < 6; i++) {   // 30% of the family stops after B
            s.flow("fail-" + i, steps(A, B), at(30_000 + i * 1000L, 30_100 + i * 1000L));
        }
        s.add("tail", "Other", "other", 90_000);
        FlowModel m = s.learn();
        assertThat(m.family(SA).usualPath()).containsExactly(SA, SB, SC, SD);
        for (int i = 0; i < 6; i++) {
            assertThat(s.timeline(m, "fail-" + i).verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        }
    }

    @Test
    void aFlowCutOffByTheCaptureStartIsNeverStoppedAndDefinesNoPath() {
        SyntheticFlows s = new SyntheticFlows();
        s.flow("cut", steps(B), at(0));   // its OrderPlaced came before the capture started
        healthy(s, "ok-", 40, 1000, new Random(7));
        s.add("tail", "Other", "other", 90_000);
        FlowModel m = s.learn();
        assertThat(m.cutAtStart(FlowPath.of("cut", s.byFlow().get("cut")))).isTrue();
        assertThat(m.family(SB).flowCount()).isZero();
        assertThat(m.family(SB).cutOffFlows()).isEqualTo(1);
        assertThat(s.timeline(m, "cut").verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
    }

    @Test
    void aLearnedLagFiresBeyondTheMarginWithTheLearnedFigure() {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 120, 0, new Random(8));
        s.flow("slow", steps(A, B, C, D), at(200_000, 200_100, 201_600, 201_700));   // 1.5 s: under the 2 s SLO
        FlowModel m = s.learn();
        Timeline t = s.timeline(m, "slow");
        HopStats bc = m.family(SA).hop(SB, SC);
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.LAG);
        assertThat(t.entries().get(2).anomalies()).anySatisfy(a -> {
            assertThat(a.rule()).isEqualTo("lag.learned-hop");
            assertThat(a.evidence()).containsEntry("p99Ms", bc.p99Ms()).containsEntry("gapMs", 1500L)
                    .containsEntry("limitMs", Math.max(2 * bc.p99Ms(), 500L));
            assertThat(a.message()).contains("p99 of 121 hops");
        });
    }

    @Test
    void healthySyntheticFamiliesFlagFewerThanOneHopInAThousand() {
        SyntheticFlows s = new SyntheticFlows();
        Random r = new Random(9);
        int flows = 3000;
        for (int i = 0; i < flows; i++) {
            long t = i * 200L;
            long[] times = new long[4];
            times[0] = t;
            for (int h = 0; h < 3; h++) {   // exponential hop latencies, mean 40 ms, plus 5 ms
                times[h + 1] = times[h] + 5 + (long) (-40 * Math.log(1 - r.nextDouble()));
            }
            s.flow("h-" + i, steps(A, B, C, D), times);
        }
        FlowModel m = s.learn();
        FlowJudge judge = new FlowJudge(m);
        int flagged = 0;
        int hopsSeen = 0;
        for (var en : s.byFlow().entrySet()) {
            FlowPath p = FlowPath.of(en.getKey(), en.getValue());
            hopsSeen += p.size() - 1;
            FlowJudge.Judgement j = judge.judge(p);
            flagged += j.findings().size();
            assertThat(j.expected()).isEmpty();
        }
        assertThat(hopsSeen).isEqualTo(9000);
        assertThat(flagged).isLessThan(hopsSeen / 1000);
    }

    @Test
    void learningFromAStoreSeesEveryFlowAndLeavesDeadLettersAndRedeliveriesOut(@TempDir Path tmp) {
        SyntheticFlows s = healthy(new SyntheticFlows(), "ok-", 30, 0, new Random(10));
        s.add("ok-3", "OrderPlaced", "orders.DLT", 3_500);   // a dead-letter copy is no step
        s.flow("stop", steps(A, B), at(5_200, 5_300));
        s.flow("skip", steps(A, C, D), at(6_200, 6_300, 6_400));
        Path file = tmp.resolve("cap.mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(s.events(), List.of());
        }
        FlowModel fromStore;
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            fromStore = FlowModelLearner.learn(store, FlowModelSettings.defaults(), null, null);
        }
        FlowModel inMemory = s.learn();
        FlowFamily f = fromStore.family(SA);
        assertThat(f.flowCount()).isEqualTo(32);
        assertThat(fromStore.flowCount()).isEqualTo(32);
        // every flow is judged while learning: the Flows panel lists these
        assertThat(fromStore.verdicts()).extracting(FlowVerdict::correlationId, FlowVerdict::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("stop", VerdictKind.STOPPED),
                        org.assertj.core.groups.Tuple.tuple("skip", VerdictKind.MISSING_STEP));
        assertThat(f.hop(SA, SB)).isEqualTo(inMemory.family(SA).hop(SA, SB));
        assertThat(f.steps().keySet()).containsExactly(SA, SB, SC, SD);
        assertThat(Arrays.asList(fromStore.families().keySet().toArray())).containsExactly(SA);
    }

    @Test
    void storedRanksOfTheCategoriesKnownBeforeExpectedFlowsStayTheSame() {
        var c = io.eventlens.core.flows.FlowCategory.class;
        assertThat(java.util.Arrays.stream(c.getEnumConstants()).mapToInt(io.eventlens.core.flows.FlowCategory::storedRank))
                .containsExactly(0, 1, 1, 1, 1, 2, 3, 4, 5, 5, 6, 7).isSorted();
        assertThat(io.eventlens.core.flows.FlowCategory.HEALTHY.storedRank()).isEqualTo(7);
        assertThat(io.eventlens.core.flows.FlowCategory.HEALTHY_WITH_NOTES.storedRank()).isEqualTo(6);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
