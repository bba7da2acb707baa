package io.eventlens.core.layout;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.eventlens.core.layout.TimelineLayouterTest.anomaly;
import static io.eventlens.core.layout.TimelineLayouterTest.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gap collapsing, clustering, label decluttering, lane grouping and the overview of
 * docs/reference/timeline-layout.md.
 */
class TimelineScaleLayoutTest {

    private final TimelineLayouter layouter =
            new TimelineLayouter(TimelineLayouter.Metrics.defaults(), name -> name.endsWith(".DLT"));

    private static Timeline timeline(List<TimelineEntry> entries) {
        return TimelineLayouterTest.timeline(entries.toArray(TimelineEntry[]::new));
    }

    /** 20 events 100 ms apart, a 40-minute stall, 20 more. */
    private static List<TimelineEntry> stalled() {
        List<TimelineEntry> list = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            list.add(entry(i + 1, "orders", i * 100L, "Step"));
        }
        long after = 1900 + 40 * 60_000L;
        for (int i = 0; i < 20; i++) {
            list.add(entry(i + 21, "orders", after + i * 100L, "Step"));
        }
        return list;
    }

    @Test
    void anIdleGapLongerThanTenMedianHopsCollapsesToABreakThatSaysHowLongItWas() {
        PreparedTimeline p = layouter.prepare(timeline(stalled()), LaneGrouping.CHANNEL);
        TimeWarp warp = p.warp(TimeWarp.DEFAULT_FACTOR, Set.of());

        assertThat(warp.medianHopMs()).isEqualTo(100);
        assertThat(warp.thresholdMs()).isEqualTo(1000);
        assertThat(warp.gaps()).singleElement().satisfies(g -> {
            assertThat(g.lengthMs()).isEqualTo(40 * 60_000L);
            assertThat(g.collapsed()).isTrue();
        });
        // 3.8 s of activity plus a break of 3 % of it: the stall no longer dwarfs the flow
        assertThat(warp.virtualSpan()).isLessThan(5000);

        TimelineLayout layout = layouter.layout(p, warp, 1200, 0, warp.virtualSpan());
        assertThat(layout.breaks()).singleElement().satisfies(b -> {
            assertThat(b.label()).isEqualTo("idle 40 min");
            assertThat(b.x1()).isGreaterThan(b.x0());
        });
        TimelineLayout.Break b = layout.breaks().get(0);
        assertThat(layout.markerForSeq(20).x()).isLessThanOrEqualTo(b.x0() + 0.001);
        assertThat(layout.markerForSeq(21).x()).isGreaterThanOrEqualTo(b.x1() - 0.001);
        assertThat(layout.breakAt((b.x0() + b.x1()) / 2, layout.lanes().get(0).centerY())).isEqualTo(b);
        // ticks restart after the break with the real offset
        assertThat(layout.axis()).extracting(TimelineLayout.Tick::label).anyMatch(l -> l.contains(" min"));
    }

    @Test
    void anExpandedGapKeepsItsRealLength() {
        PreparedTimeline p = layouter.prepare(timeline(stalled()), LaneGrouping.CHANNEL);
        long gapStart = p.warp(10, Set.of()).gaps().get(0).startMs();
        TimeWarp expanded = p.warp(10, Set.of(gapStart));

        assertThat(expanded.gaps()).singleElement().satisfies(g -> assertThat(g.collapsed()).isFalse());
        assertThat(expanded.virtualSpan()).isEqualTo(3800 + 40 * 60_000.0);
        assertThat(layouter.layout(p, expanded, 1200, 0, expanded.virtualSpan()).breaks()).isEmpty();
    }

    @Test
    void warpMapsTimesMonotonicallyAndBack() {
        TimeWarp warp = TimeWarp.build(new long[] {0, 100, 200, 100_000, 100_100, 500_000, 500_050}, 10, Set.of());
        assertThat(warp.gaps()).hasSize(2);
        double prev = -1;
        for (long t : new long[] {0, 50, 100, 200, 50_000, 100_000, 100_100, 300_000, 500_000, 500_050}) {
            double v = warp.toVirtual(t);
            assertThat(v).isGreaterThanOrEqualTo(prev);
            prev = v;
        }
        for (long t : new long[] {0, 150, 100_050, 500_020}) {
            assertThat(warp.toReal(warp.toVirtual(t))).isEqualTo(t);
        }
        assertThat(TimeWarp.build(new long[] {0, 100, 100_000}, 0, Set.of()).gaps()).isEmpty();
        assertThat(TimeWarp.formatDuration(850)).isEqualTo("850 ms");
        assertThat(TimeWarp.formatDuration(12_400)).isEqualTo("12 s");
        assertThat(TimeWarp.formatDuration(2_400)).isEqualTo("2.4 s");
        assertThat(TimeWarp.formatDuration(125 * 60_000L)).isEqualTo("2 h 5 min");
    }

    @Test
    void aDenseStretchBecomesCountBadgesThatSpreadIntoMarkersWhenZoomedIn() {
        List<TimelineEntry> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            list.add(i == 500 ? entry(i + 1, "orders", i * 10L, "Step", anomaly(AnomalyKind.LAG, "late"))
                    : entry(i + 1, "orders", i * 10L, "Step"));
        }
        PreparedTimeline p = layouter.prepare(timeline(list), LaneGrouping.CHANNEL);
        TimeWarp warp = p.warp(10, Set.of());

        TimelineLayout fit = layouter.layout(p, warp, 1200, 0, warp.virtualSpan());
        assertThat(fit.clusters()).isNotEmpty();
        assertThat(fit.markers().size() + fit.clusters().stream().mapToInt(TimelineLayout.Cluster::count).sum())
                .as("every event is a marker or counted in a badge").isEqualTo(1000);
        for (TimelineLayout.Cluster c : fit.clusters()) {
            assertThat(c.x1() - c.x0()).isLessThanOrEqualTo(layouter.metrics().maxClusterWidth());
        }
        TimelineLayout.Cluster withLag = fit.clusters().stream().filter(c -> c.anomalyCount() > 0).findFirst().orElseThrow();
        assertThat(withLag.primaryKind()).isEqualTo(AnomalyKind.LAG);
        assertThat(withLag.tooltip()).contains("LAG ×1");
        assertThat(fit.clusterAt((withLag.x0() + withLag.x1()) / 2, withLag.y())).isEqualTo(withLag);

        // zoomed into the badge's stretch: separate markers, none overlapping
        TimelineLayout zoomed = layouter.layout(p, warp, 1200, withLag.virtualStart(), withLag.virtualEnd());
        assertThat(zoomed.clusters()).isEmpty();
        assertThat(zoomed.markerForSeq(501)).isNotNull();
        List<TimelineLayout.Marker> inLane = zoomed.markers();
        for (int i = 1; i < inLane.size(); i++) {
            assertThat(inLane.get(i).x() - inLane.get(i - 1).x()).isGreaterThanOrEqualTo(8 * 1.6 - 1e-9);
        }
    }

    @Test
    void onlyTheVisibleWindowIsLaidOut() {
        List<TimelineEntry> list = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            list.add(entry(i + 1, "lane-" + (i % 3), i * 20L, "Step"));
        }
        PreparedTimeline p = layouter.prepare(timeline(list), LaneGrouping.CHANNEL);
        TimeWarp warp = p.warp(10, Set.of());
        TimelineLayout window = layouter.layout(p, warp, 1200, 100_000, 101_000);
        assertThat(window.markers()).hasSizeBetween(40, 70);
        assertThat(window.markers()).allSatisfy(m -> assertThat(m.x()).isBetween(window.plotLeft() - 100, window.plotRight() + 100));
        assertThat(window.overview().windowX1() - window.overview().windowX0()).isBetween(1.0, 10.0);
    }

    @Test
    void labelsNeverOverlapAndAreAbbreviatedOrDroppedFirst() {
        List<TimelineEntry> list = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            list.add(entry(i + 1, "orders", i * 100L, "PaymentAuthorizationRequested"));
        }
        TimelineLayout layout = layouter.layout(timeline(list), 1200);
        List<TimelineLayout.Label> labels = layout.labels();
        assertThat(labels).isNotEmpty().hasSizeLessThan(30);
        double cw = layouter.metrics().charWidth();
        List<TimelineLayout.Label> sorted = labels.stream().sorted(java.util.Comparator.comparingDouble(TimelineLayout.Label::x)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            double prevEnd = sorted.get(i - 1).x() + sorted.get(i - 1).text().length() * cw / 2;
            double start = sorted.get(i).x() - sorted.get(i).text().length() * cw / 2;
            assertThat(start).as("label %d starts after label %d ends", i, i - 1).isGreaterThanOrEqualTo(prevEnd);
        }
        assertThat(labels).anyMatch(l -> !l.abbreviated());
        assertThat(labels).filteredOn(TimelineLayout.Label::abbreviated).allSatisfy(l -> assertThat(l.text()).endsWith("…"));
        // every marker keeps its full text in the tooltip
        assertThat(layout.markers()).allSatisfy(m -> assertThat(m.tooltip()).startsWith("PaymentAuthorizationRequested"));
    }

    @Test
    void declutterPlacesAnomaliesFirstThenAbbreviatesThenDrops() {
        List<LabelDeclutter.Placed> placed = LabelDeclutter.place(List.of(
                new LabelDeclutter.Candidate(1, 100, "CleanEventName", 10),
                new LabelDeclutter.Candidate(2, 130, "DeadLettered", 0),
                new LabelDeclutter.Candidate(3, 210, "OtherLongEventName", 10),
                new LabelDeclutter.Candidate(4, 131, "Hidden", 10)), 0, 1000, 6);

        assertThat(placed.get(0).id()).isEqualTo(2);
        assertThat(placed.get(0).text()).isEqualTo("DeadLettered");
        assertThat(placed).extracting(LabelDeclutter.Placed::id).doesNotContain(4);
        LabelDeclutter.Placed third = placed.stream().filter(pl -> pl.id() == 3).findFirst().orElseThrow();
        assertThat(third.abbreviated()).isTrue();
        assertThat(third.text()).endsWith("…").hasSizeGreaterThanOrEqualTo(LabelDeclutter.MIN_CHARS);
    }

    @Test
    void lanesGroupByChannelByChannelAndPartitionOrByKey() {
        Timeline t = TimelineLayouterTest.timeline(entry(1, "orders", 0, "a"), entry(2, "orders", 10, "b"),
                entry(3, "payments", 20, "c"));
        // the test entries sit in partition 0 with no key
        assertThat(layouter.prepare(t, LaneGrouping.CHANNEL).lanes()).extracting(PreparedTimeline.LaneData::title)
                .containsExactly("orders", "payments");
        assertThat(layouter.prepare(t, LaneGrouping.CHANNEL_PARTITION).lanes()).extracting(PreparedTimeline.LaneData::title)
                .containsExactly("orders · p0", "payments · p0");
        assertThat(layouter.prepare(t, LaneGrouping.KEY).lanes()).extracting(PreparedTimeline.LaneData::title)
                .containsExactly("(no key)");
        assertThat(LaneGrouping.keyText("order-7".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("order-7");
        assertThat(LaneGrouping.keyText(new byte[] {0, (byte) 0xff})).isEqualTo("0x00ff");
    }

    @Test
    void nextAndPreviousAnomalySkipCleanEventsAndTheOverviewShowsEveryAnomaly() {
        List<TimelineEntry> list = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            list.add(i % 1000 == 7 ? entry(i + 1, "orders", i * 5L, "Step", anomaly(AnomalyKind.OUT_OF_ORDER, "x"))
                    : entry(i + 1, "orders", i * 5L, "Step"));
        }
        PreparedTimeline p = layouter.prepare(timeline(list), LaneGrouping.CHANNEL);
        assertThat(p.nextAnomaly(-1, true)).isEqualTo(7);
        assertThat(p.nextAnomaly(7, true)).isEqualTo(1007);
        assertThat(p.nextAnomaly(1500, true)).isEqualTo(2007);
        assertThat(p.nextAnomaly(1500, false)).isEqualTo(1007);
        assertThat(p.nextAnomaly(7, false)).isEqualTo(-1);
        assertThat(p.nextAnomaly(4007, true)).isEqualTo(-1);

        TimeWarp warp = p.warp(10, Set.of());
        // zoomed into a stretch with no anomaly, the overview still marks all five
        TimelineLayout layout = layouter.layout(p, warp, 1200, 100, 200);
        assertThat(layout.overview().anomalies()).hasSize(5)
                .allSatisfy(m -> assertThat(m.kind()).isEqualTo(AnomalyKind.OUT_OF_ORDER));
    }

    @Test
    void viewportZoomsAtItsAnchorPansAndStaysInsideTheFlow() {
        Viewport fit = Viewport.fit(1000);
        assertThat(fit.isFit(1000)).isTrue();
        Viewport in = fit.zoom(4, 0.25, 1000);
        assertThat(in.span()).isEqualTo(250);
        assertThat(in.start() + in.span() * 0.25).as("the anchor stays put").isEqualTo(250);
        assertThat(in.pan(0.5, 1000).start()).isEqualTo(in.start() + 125);
        assertThat(in.pan(-10, 1000).start()).as("never before the start").isZero();
        assertThat(in.pan(10, 1000).end()).as("never past the end").isEqualTo(1000);
        assertThat(in.zoom(0.01, 0.5, 1000)).as("never wider than fit").isEqualTo(fit);
        assertThat(fit.zoom(1e9, 0.5, 1000).span()).as("never narrower than 1 ms").isEqualTo(Viewport.MIN_SPAN_MS);
        assertThat(in.centerOn(990, 1000).end()).isEqualTo(1000);
        assertThat(Viewport.around(400, 500, 0.1, 1000)).isEqualTo(new Viewport(390, 510));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Viewport(5, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end must be greater than start");
    }
}
