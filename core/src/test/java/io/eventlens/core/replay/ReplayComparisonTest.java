package io.eventlens.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.model.CapturedEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ReplayComparison}: steps, anomalies, hop latencies and the verdict. */
class ReplayComparisonTest {

    private static Timeline timeline(String cid, String[] types, long[] at, int[] sequences) {
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            events.add(ReplayEvents.order(i + 1, 0, "k", at[i], cid, cid + "-e" + i, sequences[i], types[i]));
        }
        return TimelineAnalyzer.withDefaults().analyze(cid, events);
    }

    @Test
    void theSameHealthyFlowIsReproducedAndAnOutOfOrderOneThatIsNowInOrderIsFixed() {
        Timeline a = timeline("a", new String[] {"Placed", "Paid", "Shipped"}, new long[] {0, 100, 200}, new int[] {1, 2, 3});
        Timeline b = timeline("b", new String[] {"Placed", "Paid", "Shipped"}, new long[] {0, 110, 190}, new int[] {1, 2, 3});
        ReplayComparison same = ReplayComparison.compare(a, b);
        assertThat(same.outcome()).isEqualTo(ReplayComparison.Outcome.REPRODUCED);
        assertThat(same.missingSteps()).isEmpty();
        assertThat(same.hops()).hasSize(2).noneMatch(ReplayComparison.Hop::changed);

        Timeline broken = timeline("c", new String[] {"Placed", "Shipped", "Paid"}, new long[] {0, 100, 200}, new int[] {1, 3, 2});
        assertThat(broken.has(AnomalyKind.OUT_OF_ORDER)).isTrue();
        ReplayComparison fixed = ReplayComparison.compare(broken, b);
        assertThat(fixed.outcome()).isEqualTo(ReplayComparison.Outcome.FIXED);
        assertThat(fixed.goneAnomalies()).containsKey(AnomalyKind.OUT_OF_ORDER);
        assertThat(ReplayComparison.compare(broken, broken).outcome()).isEqualTo(ReplayComparison.Outcome.REPRODUCED);
    }

    @Test
    void missingAndExtraStepsNewAnomaliesAndSlowerHopsMakeItDifferent() {
        Timeline a = timeline("a", new String[] {"Placed", "Paid", "Shipped"}, new long[] {0, 100, 200}, new int[] {1, 2, 3});
        Timeline b = timeline("b", new String[] {"Placed", "Paid", "Refunded"}, new long[] {0, 900, 950}, new int[] {1, 3, 2});
        ReplayComparison c = ReplayComparison.compare(a, b);
        assertThat(c.missingSteps()).containsExactly("Shipped");
        assertThat(c.extraSteps()).containsExactly("Refunded");
        assertThat(c.newAnomalies()).containsKey(AnomalyKind.OUT_OF_ORDER);
        assertThat(c.hops().get(0)).satisfies(h -> {
            assertThat(h.from()).isEqualTo("Placed");
            assertThat(h.replayMs()).isEqualTo(900L);
            assertThat(h.changed()).isTrue();
        });
        assertThat(c.hops().get(1).replayMs()).isNull();
        assertThat(c.outcome()).isEqualTo(ReplayComparison.Outcome.DIFFERENT);
        assertThat(c.toJson().get("outcome").asText()).isEqualTo("DIFFERENT");

        Timeline nothing = TimelineAnalyzer.withDefaults().analyze("z", List.of());
        assertThat(ReplayComparison.compare(a, nothing).outcome()).isEqualTo(ReplayComparison.Outcome.DIFFERENT);
    }
}
