package io.eventlens.core.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.Consumption;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.testkit.TestEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ConsumptionIndex}: who committed past an event, who never did, and the verdict it leads to. */
class ConsumptionIndexTest {

    private static final long T0 = TestEvents.T0.toEpochMilli();

    private static ConsumerCommit commit(String group, long offset, long atMs, TimePrecision precision) {
        return new ConsumerCommit(group, "orders", 0, offset, atMs, precision == TimePrecision.EXACT ? atMs : atMs - 500, precision);
    }

    @Test
    void theFirstCommitPastTheEventCountsAndAResetBackwardsDoesNotUndoIt() {
        CapturedEvent e = TestEvents.event("orders", 0, 3, "c-1", "e-3");   // observed at T0 + 3 ms
        ConsumerProgress p = new ConsumerProgress(List.of(
                commit("inventory", 2, T0 + 100, TimePrecision.EXACT),
                commit("inventory", 4, T0 + 233, TimePrecision.EXACT),
                commit("inventory", 1, T0 + 400, TimePrecision.EXACT),   // reset backwards
                commit("inventory", 9, T0 + 900, TimePrecision.EXACT),
                commit("billing", 5, T0 + 1_000, TimePrecision.BETWEEN_POLLS)),
                List.of(new GroupPoll("inventory", T0 + 1_000, "Stable", 1, "", 0, null)),
                List.of(new PartitionEnd("inventory", "orders", 0, 9, 9, T0 + 1_000)));
        Consumption c = new ConsumptionIndex(p).of(e);
        assertThat(c.consumedBy()).extracting(Consumption.ConsumedBy::group).containsExactly("inventory", "billing");
        Consumption.ConsumedBy inventory = c.consumedBy().get(0);
        assertThat(inventory.delayMs()).isEqualTo(230);
        assertThat(inventory.describe()).isEqualTo("inventory committed past it 230 ms later");
        assertThat(c.consumedBy().get(1).timePrecision()).isEqualTo("between-polls");
        assertThat(c.consumedBy().get(1).describe()).contains("between two polls 500 ms apart");
        assertThat(c.notConsumedBy()).isEmpty();
    }

    @Test
    void aGroupThatNeverCommittedPastIsNotConsumedByWithItsLagStateAndWhetherItStalled() {
        CapturedEvent e = TestEvents.event("orders", 0, 7, "c-1", "e-7");
        ConsumerProgress p = new ConsumerProgress(List.of(commit("inventory", 7, T0 + 50, TimePrecision.EXACT)),
                List.of(new GroupPoll("inventory", T0 + 60, "Stable", 1, "", 3, null),
                        new GroupPoll("inventory", T0 + 900, "PreparingRebalance", 1, "", 3, null)),
                List.of(new PartitionEnd("inventory", "orders", 0, 7, 10, T0 + 900)));
        Consumption.NotConsumedBy n = new ConsumptionIndex(p).of(e).notConsumedBy().get(0);
        assertThat(n.lagAtEndRecords()).isEqualTo(3);
        assertThat(n.stateAtEnd()).isEqualTo("PreparingRebalance");
        assertThat(n.stalled()).as("rebalancing at the end").isTrue();
        assertThat(n.describe()).isEqualTo("inventory never committed past it (lag 3 records at capture end; rebalancing)");

        Timeline t = new ConsumptionIndex(p).judge(TimelineAnalyzer.withDefaults().analyze("c-1", List.of(e)));
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        assertThat(t.verdict().message()).isEqualTo("stopped: inventory never committed past OrderPlaced on orders p0@7"
                + " (lag 3 records at capture end; group was rebalancing)");
    }

    @Test
    void aStableGroupThatIsMerelyBehindForLessThanTheStallTimeLeavesTheVerdictAlone() {
        CapturedEvent e = TestEvents.event("orders", 0, 7, "c-1", "e-7");
        ConsumerProgress p = new ConsumerProgress(List.of(commit("inventory", 7, T0 + 50, TimePrecision.EXACT)),
                List.of(new GroupPoll("inventory", T0 + 900, "Stable", 2, "", 1, null)),
                List.of(new PartitionEnd("inventory", "orders", 0, 7, 8, T0 + 900)));
        Timeline before = TimelineAnalyzer.withDefaults().analyze("c-1", List.of(e));
        Timeline t = new ConsumptionIndex(p).judge(before);
        assertThat(t.consumptionOf(t.entries().get(0)).notConsumedBy().get(0).stalled()).isFalse();
        assertThat(t.verdict()).isEqualTo(before.verdict());
    }

    @Test
    void eventsOfOtherTopicsOrSourcesAndAnEmptyIndexChangeNothing() {
        CapturedEvent e = TestEvents.event("payments", 0, 1, "c-1", "e-1");
        ConsumerProgress p = new ConsumerProgress(List.of(commit("inventory", 7, T0, TimePrecision.EXACT)), List.of(), List.of());
        assertThat(new ConsumptionIndex(p).of(e)).isNull();
        Timeline t = TimelineAnalyzer.withDefaults().analyze("c-1", List.of(e));
        assertThat(ConsumptionIndex.EMPTY.judge(t)).isSameAs(t);
    }

    @Test
    void committedAtGivesTheOffsetsAGroupHadThenForTheEventsWaitingThen() {
        ConsumerProgress p = new ConsumerProgress(List.of(commit("inventory", 2, T0 + 100, TimePrecision.EXACT),
                commit("inventory", 5, T0 + 300, TimePrecision.EXACT)), List.of(),
                List.of(new PartitionEnd("inventory", "orders", 1, -1, 4, T0 + 300)));
        assertThat(p.committedAt("inventory", T0 + 200)).containsEntry("orders", java.util.Map.of(0, 2L, 1, -1L));
        assertThat(p.committedAt("inventory", T0 + 50).get("orders")).containsEntry(0, -1L);
    }
}
