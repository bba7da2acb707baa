package io.eventlens.core.layout;

import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.Verdict;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.eventlens.core.layout.TimelineLayouterTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ghosts (expected steps the flow did not have, docs/decisions/0017-expected-flows.md) in the windowed
 * layout over the warped axis (docs/decisions/0016-timeline-at-scale.md).
 */
class TimelineGhostLayoutTest {

    private static final java.time.Instant T0 = java.time.Instant.parse("2026-11-22T10:00:00Z");

    private final TimelineLayouter layouter =
            new TimelineLayouter(TimelineLayouter.Metrics.defaults(), name -> name.endsWith(".DLT"));

    private static ExpectedStep stopped(String type, String channel, long atMs, long afterSeq) {
        return new ExpectedStep(ExpectedStep.Kind.STOPPED, type, channel, T0.plusMillis(atMs), afterSeq, 0,
                "after the previous step, " + type + " came in 99% of the family", "expected.learned-next", Map.of());
    }

    private static TimelineEntry onPartition(long seq, String channel, int partition, long atMs, String type) {
        CapturedEvent e = new CapturedEvent(seq, Channel.kafkaTopic(channel),
                new SourcePosition.Kafka(partition, seq, TimestampType.CREATE_TIME), T0.plusMillis(atMs),
                T0.plusMillis(atMs), null, List.of(), null,
                new DerivedFields(new Derived<>("c-1", "header correlationId"), new Derived<>("e-" + seq, "header eventId"),
                        new Derived<>(type, "json /type"), null, null, null));
        return new TimelineEntry(e, List.of());
    }

    /** 20 events 100 ms apart over two channels, then nothing: the flow stopped. */
    private static List<TimelineEntry> twentySteps() {
        List<TimelineEntry> list = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            list.add(entry(i + 1, i % 2 == 0 ? "orders" : "payments", i * 100L, "Step" + i));
        }
        return list;
    }

    @Test
    void aStoppedFlowsGhostAfterTheLastEventIsInTheFittedWindowInItsOwnLaneAfterTheLastMarker() {
        // expected 30 s after the last event (at 1.9 s): far beyond the idle threshold, so a collapsed gap
        Timeline t = new Timeline("c-1", twentySteps(), new Verdict(VerdictKind.STOPPED, "stopped", 20),
                List.of(stopped("Shipped", "shipping", 31_900, 20)));
        PreparedTimeline p = layouter.prepare(t, LaneGrouping.CHANNEL);
        TimeWarp warp = p.warp(TimeWarp.DEFAULT_FACTOR, Set.of());
        TimelineLayout layout = layouter.layout(p, warp, 1200, 0, warp.virtualSpan());

        assertThat(layout.lanes()).extracting(TimelineLayout.Lane::channel).containsExactly("orders", "payments", "shipping");
        assertThat(layout.lanes().get(2).eventCount()).isZero();
        double lastMarkerX = layout.markers().stream().mapToDouble(TimelineLayout.Marker::x).max().orElseThrow();
        assertThat(layout.ghosts()).singleElement().satisfies(g -> {
            assertThat(g.lane()).isEqualTo(2);
            assertThat(g.y()).isEqualTo(layout.lanes().get(2).centerY());
            assertThat(g.x()).isGreaterThan(lastMarkerX).isLessThanOrEqualTo(layout.plotRight() + 0.001);
            assertThat(g.fromX()).isEqualTo(layout.markerForSeq(20).x());
            assertThat(g.fromY()).isEqualTo(layout.markerForSeq(20).y());
            assertThat(g.tooltip()).startsWith("Shipped on shipping\nexpected next, never came (STOPPED)"
                    + "  ·  expected at +31900 ms");
            assertThat(layout.ghostAt(g.x(), g.y())).isSameAs(g);
        });
        // the axis reaches the expected time; the wait before it is a collapsed gap like any idle stretch
        assertThat(layout.endMs() - layout.startMs()).isEqualTo(31_900);
        assertThat(layout.breaks()).singleElement().satisfies(b -> assertThat(b.label()).isEqualTo("idle 30 s"));
        assertThat(layout.overview().ghosts()).hasSize(1);
    }

    @Test
    void theFittedLayoutOfATimelinePlacesTheGhostOnTheStepsOwnChannelLane() {
        Timeline t = new Timeline("c-1", twentySteps(), new Verdict(VerdictKind.STOPPED, "stopped", 20),
                List.of(stopped("PaymentCaptured", "payments", 2_400, 20)));
        TimelineLayout layout = layouter.layout(t, 900);

        assertThat(layout.lanes()).hasSize(2);
        assertThat(layout.ghosts()).singleElement().satisfies(g -> {
            assertThat(g.lane()).isEqualTo(1);
            assertThat(g.x()).isGreaterThan(layout.markerForSeq(20).x());
        });
    }

    @Test
    void byChannelAndPartitionTheGhostGoesToTheFirstLaneOfItsChannel() {
        Timeline t = new Timeline("c-1", List.of(
                onPartition(1, "payments", 0, 0, "PaymentRequested"),
                onPartition(2, "orders", 3, 100, "OrderPlaced"),
                onPartition(3, "orders", 1, 200, "OrderPriced")),
                new Verdict(VerdictKind.STOPPED, "stopped", 3),
                List.of(stopped("OrderConfirmed", "orders", 500, 3)));
        PreparedTimeline p = layouter.prepare(t, LaneGrouping.CHANNEL_PARTITION);
        TimeWarp warp = p.warp(TimeWarp.DEFAULT_FACTOR, Set.of());
        TimelineLayout layout = layouter.layout(p, warp, 1200, 0, warp.virtualSpan());

        assertThat(layout.lanes()).extracting(TimelineLayout.Lane::channel)
                .containsExactly("payments · p0", "orders · p3", "orders · p1");
        assertThat(layout.ghosts()).singleElement().satisfies(g -> {
            assertThat(g.lane()).isEqualTo(1);
            assertThat(g.fromY()).isEqualTo(layout.lanes().get(2).centerY());
        });
    }

    @Test
    void onlyTheGhostsInsideTheWindowAreEmittedAndTheLinkNeedsAVisibleMarker() {
        Timeline t = new Timeline("c-1", twentySteps(), new Verdict(VerdictKind.STOPPED, "stopped", 20),
                List.of(stopped("Shipped", "shipping", 2_400, 5)));
        PreparedTimeline p = layouter.prepare(t, LaneGrouping.CHANNEL);
        TimeWarp warp = p.warp(TimeWarp.DEFAULT_FACTOR, Set.of());
        double ghostV = warp.toVirtual(T0.plusMillis(2_400).toEpochMilli());

        assertThat(layouter.layout(p, warp, 1200, 0, 1000).ghosts()).isEmpty();
        TimelineLayout late = layouter.layout(p, warp, 1200, ghostV - 300, ghostV + 100);
        assertThat(late.ghosts()).singleElement().satisfies(g -> {
            assertThat(g.x()).isBetween(late.plotLeft(), late.plotRight());
            assertThat(g.fromX()).isNaN(); // step 5 (at 400 ms) is out of the window
        });
    }
}
