package io.eventlens.app.ui.timeline;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.layout.LaneGrouping;
import io.eventlens.core.layout.TimelineLayout;
import io.eventlens.core.model.CapturedEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline view model's window (docs/reference/timeline-layout.md) without a toolkit: fit on open,
 * next/previous anomaly with the window following, gaps expanding and collapsing, lane grouping, and a
 * live reload that keeps the window (fitted stays fitted as the flow grows).
 */
class TimelineWindowViewModelTest {

    private final List<String> status = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final TimelineViewModel vm = new TimelineViewModel(() -> null, DesktopServices.real(), new DirectTaskExecutor(),
            m -> { }, errors::add, status::add);

    private static Timeline flow(int n) {
        List<CapturedEvent> events = new ArrayList<>();
        long seq = 1;
        for (CapturedEvent e : UiTestData.longFlow(UiTestData.LONG, n)) {
            events.add(new CapturedEvent(seq++, e.channel(), e.source(), e.observedAt(), e.capturedAt(), e.key(),
                    e.headers(), e.payload(), e.derived()));
        }
        return DesktopServices.real().analyzer().analyze(UiTestData.LONG, events);
    }

    private TimelineLayout layout() {
        return vm.windowLayoutProperty().get();
    }

    @Test
    void opensFittedAndNextAnomalyZoomsInUntilTheAnomalyHasItsOwnMarker() {
        vm.setViewWidth(1200);
        vm.show(flow(3000), false);
        assertThat(layout().viewStart()).isZero();
        assertThat(layout().viewEnd()).isEqualTo(layout().virtualSpan());
        assertThat(vm.windowTextProperty().get()).matches("whole flow · \\d+ min · 2 idle gaps collapsed");

        vm.selectRelative(-Integer.MAX_VALUE / 2);
        assertThat(vm.selectAnomaly(true)).isTrue();
        var first = vm.selectedProperty().get();
        assertThat(first.anomalies()).isNotEmpty();
        assertThat(layout().markerForSeq(first.event().seq())).as("its own marker, not a badge").isNotNull();
        assertThat(vm.windowTextProperty().get()).matches(".+ of \\d+ min shown · 2 idle gaps collapsed");

        assertThat(vm.selectAnomaly(true)).isTrue();
        var second = vm.selectedProperty().get();
        assertThat(second.event().seq()).isGreaterThan(first.event().seq());
        assertThat(layout().markerForSeq(second.event().seq())).isNotNull();
        assertThat(vm.selectAnomaly(false)).isTrue();
        assertThat(vm.selectedProperty().get()).isSameAs(first);

        vm.selectRelative(Integer.MAX_VALUE / 2);
        assertThat(vm.selectAnomaly(true)).as("the last event is the dead letter: nothing after it").isFalse();
        assertThat(status).contains("No anomaly after this event.");
        assertThat(errors).isEmpty();
    }

    @Test
    void gapsExpandAndCollapseAndLanesRegroup() {
        vm.setViewWidth(1200);
        vm.show(flow(2000), false);
        TimelineLayout.Break stall = layout().breaks().stream().filter(b -> b.label().equals("idle 40 min")).findFirst().orElseThrow();
        assertThat(vm.gapsExpandedProperty().get()).isFalse();
        vm.expandGap(stall.startMs());
        assertThat(vm.gapsExpandedProperty().get()).isTrue();
        assertThat(layout().breaks()).extracting(TimelineLayout.Break::label).doesNotContain("idle 40 min");
        assertThat(layout().viewEnd() - layout().viewStart()).as("the window shows the expanded gap")
                .isGreaterThan(40 * 60_000.0).isLessThan(50 * 60_000.0);
        vm.collapseGaps();
        assertThat(vm.gapsExpandedProperty().get()).isFalse();
        vm.fit();
        assertThat(layout().breaks()).extracting(TimelineLayout.Break::label).contains("idle 40 min", "idle 6 min");

        vm.laneGroupingProperty().set(LaneGrouping.CHANNEL_PARTITION);
        assertThat(layout().lanes()).extracting(TimelineLayout.Lane::channel)
                .contains("orders · p0", "orders · p1", "orders · p2", "payments · p0", "payments · p1", "orders.DLT · p0");
        vm.laneGroupingProperty().set(LaneGrouping.KEY);
        assertThat(layout().lanes()).extracting(TimelineLayout.Lane::channel)
                .containsExactlyInAnyOrder("order-7/line-0", "order-7/line-1", "order-7/line-2", "order-7/line-3");
    }

    @Test
    void aLiveReloadKeepsTheWindowAndAFittedWindowGrowsWithTheFlow() {
        vm.setViewWidth(1200);
        vm.show(flow(1000), false);
        double small = layout().virtualSpan();
        vm.show(flow(1500), true);
        assertThat(layout().virtualSpan()).isGreaterThan(small);
        assertThat(layout().viewEnd()).as("fitted stays fitted").isEqualTo(layout().virtualSpan());

        vm.zoom(4, 0.5);
        double start = layout().viewStart();
        double end = layout().viewEnd();
        vm.show(flow(1500), true);
        assertThat(layout().viewStart()).as("a reload does not move a zoomed window").isEqualTo(start);
        assertThat(layout().viewEnd()).isEqualTo(end);
    }
}
