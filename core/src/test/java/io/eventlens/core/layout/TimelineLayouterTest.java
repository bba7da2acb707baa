package io.eventlens.core.layout;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;
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

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineLayouterTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private final TimelineLayouter layouter =
            new TimelineLayouter(TimelineLayouter.Metrics.defaults(), name -> name.endsWith(".DLT"));

    static TimelineEntry entry(long seq, String channel, long atMs, String type, Anomaly... anomalies) {
        CapturedEvent e = new CapturedEvent(seq, Channel.kafkaTopic(channel),
                new SourcePosition.Kafka(0, seq, TimestampType.CREATE_TIME), T0.plusMillis(atMs), T0.plusMillis(atMs),
                null, List.of(), null,
                new DerivedFields(new Derived<>("c-1", "header correlationId"), new Derived<>("e-" + seq, "header eventId"),
                        new Derived<>(type, "json /type"), null, null, null));
        return new TimelineEntry(e, List.of(anomalies));
    }

    static Anomaly anomaly(AnomalyKind kind, String message) {
        return new Anomaly(kind, message, "test", Map.of(), 0);
    }

    static Timeline timeline(TimelineEntry... entries) {
        return new Timeline("c-1", List.of(entries), new Verdict(VerdictKind.HEALTHY, "healthy", 0));
    }

    @Test
    void onLanePerChannelInOrderOfFirstAppearanceWithDeadLetterLanesMarked() {
        TimelineLayout layout = layouter.layout(timeline(
                entry(1, "orders", 0, "OrderPlaced"),
                entry(2, "payments", 100, "PaymentTaken"),
                entry(3, "orders", 200, "OrderConfirmed"),
                entry(4, "orders.DLT", 300, "OrderPlaced")), 1000);

        assertThat(layout.lanes()).extracting(TimelineLayout.Lane::channel)
                .containsExactly("orders", "payments", "orders.DLT");
        assertThat(layout.lanes()).extracting(TimelineLayout.Lane::deadLetter).containsExactly(false, false, true);
        assertThat(layout.lanes()).extracting(TimelineLayout.Lane::eventCount).containsExactly(2, 1, 1);
        assertThat(layout.markers()).extracting(TimelineLayout.Marker::lane).containsExactly(0, 1, 0, 2);
        assertThat(layout.height()).isEqualTo(28 + 3 * 44.0);
    }

    @Test
    void markerXGrowsLinearlyWithObservedTime() {
        TimelineLayout layout = layouter.layout(timeline(
                entry(1, "a", 0, "x"), entry(2, "b", 500, "x"), entry(3, "c", 1000, "x")), 1000);

        List<TimelineLayout.Marker> m = layout.markers();
        double d1 = m.get(1).x() - m.get(0).x();
        double d2 = m.get(2).x() - m.get(1).x();
        assertThat(d1).isPositive().isCloseTo(d2, org.assertj.core.data.Offset.offset(0.001));
        assertThat(m.get(0).x()).isEqualTo(layouter.plotLeft());
        assertThat(m.get(2).x()).isLessThanOrEqualTo(1000 - 24);
    }

    @Test
    void eventsAtTheSameTimeInOneLaneAreNudgedApartSoEachStaysClickable() {
        TimelineLayout layout = layouter.layout(timeline(
                entry(1, "orders", 0, "a"), entry(2, "orders", 0, "b"), entry(3, "orders", 2000, "c")), 1000);

        TimelineLayout.Marker first = layout.markers().get(0);
        TimelineLayout.Marker second = layout.markers().get(1);
        assertThat(second.x() - first.x()).isGreaterThanOrEqualTo(first.radius() * 1.5);
        assertThat(layout.markerAt(first.x() - 2, first.y()).seq()).isEqualTo(1);
        assertThat(layout.markerAt(second.x() + 2, second.y()).seq()).isEqualTo(2);
        assertThat(layout.markerAt(first.x(), first.y() + 30)).isNull();
    }

    @Test
    void markerCarriesAnomalyKindsMostSevereFirstAndTooltipWithEveryMessage() {
        TimelineLayout layout = layouter.layout(timeline(
                entry(1, "orders", 0, "OrderPlaced"),
                entry(2, "orders", 3000, "OrderPlaced",
                        anomaly(AnomalyKind.DUPLICATE, "e-1 redelivered with an identical payload"),
                        anomaly(AnomalyKind.LAG, "3.0 s after OrderPlaced (SLO 2 s)"))), 1200);

        TimelineLayout.Marker m = layout.markerForSeq(2);
        assertThat(m.kinds()).containsExactly(AnomalyKind.LAG, AnomalyKind.DUPLICATE);
        assertThat(m.primaryKind()).isEqualTo(AnomalyKind.LAG);
        assertThat(m.tooltip()).contains("LAG: 3.0 s after OrderPlaced (SLO 2 s)")
                .contains("DUPLICATE: e-1 redelivered with an identical payload")
                .contains("OrderPlaced").contains("+3000 ms");
        assertThat(layout.markerForSeq(1).primaryKind()).isNull();
        assertThat(layout.markerForSeq(1).tooltip()).contains("no anomalies");
    }

    @Test
    void axisTicksAreNiceStepsLabelledInMillisecondsOrSeconds() {
        TimelineLayout ms = layouter.layout(timeline(entry(1, "a", 0, "x"), entry(2, "a", 800, "x")), 1000);
        assertThat(ms.axis()).extracting(TimelineLayout.Tick::label).contains("0", "+200 ms", "+800 ms");

        TimelineLayout s = layouter.layout(timeline(entry(1, "a", 0, "x"), entry(2, "a", 12_000, "x")), 1000);
        assertThat(s.axis()).extracting(TimelineLayout.Tick::label).contains("0", "+2 s", "+12 s");
        assertThat(s.axis()).isSortedAccordingTo(java.util.Comparator.comparingDouble(TimelineLayout.Tick::x));
    }

    @Test
    void niceStepPicksOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(TimelineLayouter.niceStep(1000, 10)).isEqualTo(100);
        assertThat(TimelineLayouter.niceStep(1500, 10)).isEqualTo(200);
        assertThat(TimelineLayouter.niceStep(4100, 10)).isEqualTo(500);
        assertThat(TimelineLayouter.niceStep(1, 10)).isEqualTo(1);
        assertThat(TimelineLayouter.formatOffset(1500, 500)).isEqualTo("+1.5 s");
        assertThat(TimelineLayouter.formatOffset(180_000, 60_000)).isEqualTo("+3 min");
    }

    @Test
    void emptyTimelineHasNoLanesOrMarkers() {
        TimelineLayout layout = layouter.layout(timeline(), 800);
        assertThat(layout.lanes()).isEmpty();
        assertThat(layout.markers()).isEmpty();
        assertThat(layout.markerAt(10, 10)).isNull();
    }

    @Test
    void singleEventTimelineStillHasAPositiveTimeSpan() {
        TimelineLayout layout = layouter.layout(timeline(entry(1, "a", 0, "x")), 800);
        assertThat(layout.endMs()).isGreaterThan(layout.startMs());
        assertThat(layout.markers()).hasSize(1);
    }

    @Test
    void expectedStepsAreHollowMarkersInTheirLaneAtTheirExpectedTime() {
        Timeline t = new Timeline("c-1", List.of(entry(1, "orders", 0, "OrderPlaced"), entry(2, "payments", 100, "PaymentAuthorized")),
                new Verdict(VerdictKind.STOPPED, "stopped", 2),
                List.of(new io.eventlens.core.analysis.ExpectedStep(io.eventlens.core.analysis.ExpectedStep.Kind.STOPPED,
                        "InventoryReserved", "inventory", T0.plusMillis(300), 2, 0, "after PaymentAuthorized ...",
                        "expected.learned-next", Map.of())));
        TimelineLayout layout = layouter.layout(t, 900);
        assertThat(layout.lanes()).extracting(TimelineLayout.Lane::channel).containsExactly("orders", "payments", "inventory");
        assertThat(layout.lanes().get(2).eventCount()).isZero();
        assertThat(layout.ghosts()).singleElement().satisfies(g -> {
            assertThat(g.lane()).isEqualTo(2);
            assertThat(g.y()).isEqualTo(layout.lanes().get(2).centerY());
            assertThat(g.fromX()).isEqualTo(layout.markerForSeq(2).x());
            assertThat(g.x()).isGreaterThan(layout.markerForSeq(2).x());
            assertThat(g.tooltip()).startsWith("InventoryReserved on inventory\nexpected next, never came (STOPPED)"
                    + "  ·  expected at +300 ms\nafter PaymentAuthorized ...");
            assertThat(layout.ghostAt(g.x(), g.y())).isSameAs(g);
        });
        assertThat(layout.endMs() - layout.startMs()).isGreaterThanOrEqualTo(300);
    }
}
