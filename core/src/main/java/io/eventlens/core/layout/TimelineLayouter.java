package io.eventlens.core.layout;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.model.CapturedEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Computes a {@link TimelineLayout} for one window of a timeline (docs/reference/timeline-layout.md,
 * docs/decisions/0016-timeline-at-scale.md): lanes from a {@link PreparedTimeline}, x from each event's
 * observed time on the {@link TimeWarp} axis (idle gaps collapsed to breaks) with "nice" ticks (1, 2 or 5
 * times a power of ten ms), one marker per visible event with room of its own, and a count badge
 * ({@link TimelineLayout.Cluster}) for each dense stretch. Up to {@link #MAX_NUDGED} events closer than
 * {@link Metrics#minSpacing()} in one lane are nudged apart so each stays clickable; longer runs become a
 * badge no wider than {@link Metrics#maxClusterWidth()}. Labels are placed by {@link LabelDeclutter}.
 * Only the visible window's events are visited (binary search per lane), so a window of a 10,000-event
 * flow takes well under a millisecond per hundred visible events. A pure function: no UI toolkit, no clock;
 * safe to call off the FX thread.
 */
public final class TimelineLayouter {

    /** Runs of at most this many overlapping events are nudged apart; longer runs become a count badge. */
    public static final int MAX_NUDGED = 3;

    /**
     * Sizes of the drawing, in px.
     *
     * @param laneLabelWidth  width of the lane titles' column
     * @param axisHeight      height of the time axis above the lanes
     * @param laneHeight      height of one lane
     * @param markerRadius    marker radius
     * @param rightPadding    free space right of the plot area
     * @param minTickSpacing  least distance between two axis ticks
     * @param minSpacing      markers closer than this (centre to centre) overlap
     * @param maxClusterWidth the widest stretch one count badge covers
     * @param charWidth       estimated width of one label character (10.5 px font)
     */
    public record Metrics(double laneLabelWidth, double axisHeight, double laneHeight,
                          double markerRadius, double rightPadding, double minTickSpacing,
                          double minSpacing, double maxClusterWidth, double charWidth) {
        /** The sizes the desktop app uses. */
        public static Metrics defaults() {
            return new Metrics(150, 28, 44, 8, 24, 90, 18, 56, 6.4);
        }
    }

    private final Metrics metrics;
    private final Predicate<String> deadLetterChannel;

    /**
     * A layouter.
     *
     * @param metrics           sizes in px
     * @param deadLetterChannel tells whether a channel name is a dead-letter channel (its lane is tinted),
     *                          e.g. {@code DeadLetterChannels::isDeadLetter}
     */
    public TimelineLayouter(Metrics metrics, Predicate<String> deadLetterChannel) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.deadLetterChannel = Objects.requireNonNull(deadLetterChannel, "deadLetterChannel");
    }

    /** The sizes in force. */
    public Metrics metrics() {
        return metrics;
    }

    /** The plot area's left edge in px (right of the lane labels). */
    public double plotLeft() {
        return metrics.laneLabelWidth() + metrics.markerRadius() + 6;
    }

    /** The plot area's right edge in px for a drawing {@code width} px wide. */
    public double plotRight(double width) {
        return drawingWidth(width) - metrics.rightPadding() - metrics.markerRadius();
    }

    private double drawingWidth(double width) {
        return Math.max(width, plotLeft() + 200 + metrics.rightPadding());
    }

    /** Sorts a timeline into lanes for {@link #layout(PreparedTimeline, TimeWarp, double, double, double)}. */
    public PreparedTimeline prepare(Timeline timeline, LaneGrouping grouping) {
        return PreparedTimeline.of(timeline, grouping, deadLetterChannel);
    }

    /**
     * Lays out a whole timeline fitted to {@code width} px: lanes by channel, idle gaps collapsed at the
     * default threshold ({@link TimeWarp#DEFAULT_FACTOR}).
     *
     * @param timeline the analyzed timeline; may have no entries
     * @param width    available width in px; a narrow width is widened to keep a usable plot area
     * @return the layout; its height is the axis plus one lane per channel
     */
    public TimelineLayout layout(Timeline timeline, double width) {
        Objects.requireNonNull(timeline, "timeline");
        PreparedTimeline p = prepare(timeline, LaneGrouping.CHANNEL);
        TimeWarp warp = p.warp(TimeWarp.DEFAULT_FACTOR, Set.of());
        return layout(p, warp, width, 0, warp.virtualSpan());
    }

    /**
     * Lays out the window {@code viewStart}..{@code viewEnd} of the warped axis.
     *
     * @param p         the prepared timeline
     * @param warp      its warped time axis ({@link PreparedTimeline#warp})
     * @param width     available width in px; a narrow width is widened to keep a usable plot area
     * @param viewStart left edge of the window on the warped axis (ms from the flow's start)
     * @param viewEnd   right edge; a window shorter than 1 ms is widened to 1 ms
     * @return the layout of the window, with the overview of the whole flow
     */
    public TimelineLayout layout(PreparedTimeline p, TimeWarp warp, double width, double viewStart, double viewEnd) {
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(warp, "warp");
        double left = plotLeft();
        double w = drawingWidth(width);
        double right = plotRight(width);
        if (p.size() == 0) {
            return TimelineLayout.empty(w, metrics.axisHeight() + metrics.laneHeight());
        }
        double v0 = viewStart;
        double v1 = Math.max(viewEnd, viewStart + 1);
        double scale = (right - left) / (v1 - v0);
        long origin = warp.originMs();
        double r = metrics.markerRadius();

        List<TimelineLayout.Lane> lanes = new ArrayList<>();
        double top = metrics.axisHeight();
        for (PreparedTimeline.LaneData lane : p.lanes()) {
            lanes.add(new TimelineLayout.Lane(lanes.size(), lane.title(), lane.deadLetter(), top,
                    metrics.laneHeight(), lane.size()));
            top += metrics.laneHeight();
        }

        List<TimelineLayout.Marker> markers = new ArrayList<>();
        List<TimelineLayout.Cluster> clusters = new ArrayList<>();
        List<TimelineLayout.Label> labels = new ArrayList<>();
        double margin = (metrics.maxClusterWidth() + r) / scale;
        long realLo = warp.toReal(v0 - margin);
        List<TimelineEntry> entries = p.timeline().entries();
        for (int li = 0; li < lanes.size(); li++) {
            PreparedTimeline.LaneData laneData = p.lanes().get(li);
            TimelineLayout.Lane lane = lanes.get(li);
            int[] idx = laneData.entries();
            int k = firstAtOrAfter(p, idx, realLo);
            List<Integer> run = new ArrayList<>();
            double[] runX = new double[idx.length == 0 ? 1 : Math.min(idx.length, 4096)];
            double lastPlaced = Double.NEGATIVE_INFINITY;
            List<LabelDeclutter.Candidate> candidates = new ArrayList<>();
            for (; k <= idx.length; k++) {
                boolean end = k == idx.length;
                double x = 0;
                if (!end) {
                    x = left + (warp.toVirtual(p.timeOf(idx[k])) - v0) * scale;
                    end = x > right + metrics.maxClusterWidth() + r;
                }
                if (!end && !run.isEmpty() && x - runX[run.size() - 1] < metrics.minSpacing()
                        && x - runX[0] <= metrics.maxClusterWidth() && run.size() < runX.length) {
                    runX[run.size()] = x;
                    run.add(idx[k]);
                    continue;
                }
                if (!run.isEmpty()) {
                    lastPlaced = flush(p, warp, run, runX, lane, v0, scale, left, lastPlaced, markers, clusters,
                            candidates, entries, origin);
                    run.clear();
                }
                if (end) {
                    break;
                }
                runX[0] = x;
                run.add(idx[k]);
            }
            for (LabelDeclutter.Placed pl : LabelDeclutter.place(candidates, left - r, w - 4, metrics.charWidth())) {
                labels.add(new TimelineLayout.Label(pl.id(), pl.x(), lane.centerY() + r + 3, pl.text(),
                        pl.abbreviated(), p.kindsOf(pl.id()).isEmpty() ? null : p.kindsOf(pl.id()).get(0)));
            }
        }
        markers.sort(java.util.Comparator.comparingInt(TimelineLayout.Marker::index));

        List<TimelineLayout.Break> breaks = new ArrayList<>();
        for (TimeWarp.Gap g : warp.gaps()) {
            if (g.collapsed() && g.virtualEnd() >= v0 && g.virtualStart() <= v1) {
                breaks.add(new TimelineLayout.Break(left + (g.virtualStart() - v0) * scale,
                        left + (g.virtualEnd() - v0) * scale, g.startMs(), g.endMs(),
                        "idle " + TimeWarp.formatDuration(g.lengthMs())));
            }
        }
        List<TimelineLayout.Tick> ticks = new ArrayList<>();
        for (TimelineLayout.Tick tick : ticks(warp, v0, v1, left, right, scale)) {
            // a break's label on the axis wins over a tick label it would overlap
            double half = tick.label().length() * metrics.charWidth() / 2 + 4;
            boolean clear = true;
            for (TimelineLayout.Break b : breaks) {
                double bc = Math.max(left + b.labelWidth() / 2, Math.min(w - b.labelWidth() / 2 - 2, (b.x0() + b.x1()) / 2));
                if (Math.abs(tick.x() - bc) < half + b.labelWidth() / 2) {
                    clear = false;
                }
            }
            if (clear) {
                ticks.add(tick);
            }
        }
        List<TimelineLayout.Ghost> ghosts = new ArrayList<>();
        for (ExpectedStep x : p.timeline().expectedSteps()) {
            int lane = p.laneOfChannel(x.channel());
            if (lane < 0 || lane >= lanes.size()) {
                continue;
            }
            double gx = left + (warp.toVirtual(x.expectedAt().toEpochMilli()) - v0) * scale;
            if (gx < left - r || gx > right + r) {
                continue; // only the ghosts inside the window
            }
            TimelineLayout.Marker from = null;
            for (TimelineLayout.Marker m : markers) {
                if (m.seq() == x.afterSeq()) {
                    from = m;
                }
            }
            ghosts.add(new TimelineLayout.Ghost(lane, gx, lanes.get(lane).centerY(), r,
                    from == null ? Double.NaN : from.x(), from == null ? Double.NaN : from.y(), x,
                    x.type() == null ? "" : x.type(), ghostTooltip(x, origin)));
        }
        TimelineLayout.Overview overview = overview(p, warp, left, right, v0, v1);
        long last = Math.max(p.sortedTimes()[p.size() - 1], p.axisEndMs());
        return new TimelineLayout(w, top, origin, Math.max(origin + 1, last), ticks, lanes, markers, clusters, breaks,
                labels, overview, v0, v1, warp.virtualSpan(), left, right, ghosts);
    }

    private static String ghostTooltip(ExpectedStep x, long startMs) {
        String what = switch (x.kind()) {
            case MISSING_STEP -> "expected, skipped";
            case STOPPED -> "expected next, never came (STOPPED)";
            case IN_FLIGHT -> "expected next, not due yet (IN FLIGHT)";
        };
        return x.label() + "\n" + what + "  ·  expected at +" + (x.expectedAt().toEpochMilli() - startMs) + " ms\n"
                + x.message();
    }

    /** The first position in {@code idx} whose event is observed at or after {@code ms}. */
    private static int firstAtOrAfter(PreparedTimeline p, int[] idx, long ms) {
        int lo = 0;
        int hi = idx.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.timeOf(idx[mid]) < ms) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Turns a run of overlapping events into nudged markers or one count badge; returns the last marker x. */
    private double flush(PreparedTimeline p, TimeWarp warp, List<Integer> run, double[] runX, TimelineLayout.Lane lane,
                         double v0, double scale, double left, double lastPlaced, List<TimelineLayout.Marker> markers,
                         List<TimelineLayout.Cluster> clusters, List<LabelDeclutter.Candidate> candidates,
                         List<TimelineEntry> entries, long origin) {
        double r = metrics.markerRadius();
        double nudge = r * 1.6;
        if (run.size() <= MAX_NUDGED) {
            for (int j = 0; j < run.size(); j++) {
                int i = run.get(j);
                double x = Math.max(runX[j], lastPlaced + nudge);
                lastPlaced = x;
                TimelineEntry entry = entries.get(i);
                CapturedEvent e = entry.event();
                List<AnomalyKind> kinds = p.kindsOf(i);
                String label = label(e);
                markers.add(new TimelineLayout.Marker(i, e.seq(), lane.index(), x, lane.centerY(), r, kinds, label,
                        tooltip(entry, origin), entry));
                if (!label.isEmpty()) {
                    int priority = kinds.isEmpty() ? AnomalySeverity.ORDER.size()
                            : AnomalySeverity.ORDER.indexOf(kinds.get(0));
                    candidates.add(new LabelDeclutter.Candidate(i, x, label, priority));
                }
            }
            return lastPlaced;
        }
        AnomalyKind worst = null;
        int anomalies = 0;
        java.util.Map<AnomalyKind, Integer> byKind = new java.util.EnumMap<>(AnomalyKind.class);
        int first = run.get(0);
        for (int i : run) {
            List<AnomalyKind> kinds = p.kindsOf(i);
            if (!kinds.isEmpty()) {
                anomalies++;
                for (AnomalyKind k : kinds) {
                    byKind.merge(k, 1, Integer::sum);
                }
                if (worst == null || AnomalySeverity.MOST_SEVERE_FIRST.compare(kinds.get(0), worst) < 0) {
                    worst = kinds.get(0);
                }
            }
            first = Math.min(first, i);
        }
        long t0 = p.timeOf(run.get(0));
        long t1 = p.timeOf(run.get(run.size() - 1));
        StringBuilder tip = new StringBuilder(String.format(java.util.Locale.ROOT, "%,d events", run.size()))
                .append(" on ").append(lane.channel()).append("  ·  +").append(t0 - origin).append(" ms … +")
                .append(t1 - origin).append(" ms");
        if (anomalies > 0) {
            tip.append('\n').append(anomalies).append(anomalies == 1 ? " with an anomaly:" : " with anomalies:");
            byKind.entrySet().stream().sorted((a, b) -> AnomalySeverity.MOST_SEVERE_FIRST.compare(a.getKey(), b.getKey()))
                    .forEach(en -> tip.append("\n  ").append(en.getKey()).append(" ×").append(en.getValue()));
        }
        tip.append("\nclick or zoom in (Ctrl+wheel, +) to see each event");
        double x0 = runX[0];
        double x1 = runX[run.size() - 1];
        clusters.add(new TimelineLayout.Cluster(lane.index(), x0, x1, lane.centerY(), run.size(), worst, anomalies,
                first, (x0 - left) / scale + v0, (x1 - left) / scale + v0, tip.toString()));
        return x1 + metrics.minSpacing() - r * 1.6;
    }

    /** Ticks of the visible window: nice steps of real time, restarted after every collapsed gap. */
    private List<TimelineLayout.Tick> ticks(TimeWarp warp, double v0, double v1, double left, double right, double scale) {
        long step = niceStep((long) Math.ceil(v1 - v0), Math.max(1, (int) ((right - left) / metrics.minTickSpacing())));
        long origin = warp.originMs();
        List<long[]> segments = new ArrayList<>(); // real start, real end of each uncollapsed stretch
        long segStart = origin;
        for (TimeWarp.Gap g : warp.gaps()) {
            if (g.collapsed()) {
                segments.add(new long[] {segStart, g.startMs()});
                segStart = g.endMs();
            }
        }
        segments.add(new long[] {segStart, warp.toReal(warp.virtualSpan())});
        List<TimelineLayout.Tick> ticks = new ArrayList<>();
        double lastX = Double.NEGATIVE_INFINITY;
        for (long[] seg : segments) {
            double sv0 = warp.toVirtual(seg[0]);
            double sv1 = warp.toVirtual(seg[1]);
            if (sv1 < v0 || sv0 > v1) {
                continue;
            }
            long from = Math.max(seg[0], warp.toReal(Math.max(v0, sv0)));
            long to = Math.min(seg[1], warp.toReal(Math.min(v1, sv1)));
            long off = Math.floorDiv(from - origin + step - 1, step) * step;
            for (; origin + off <= to; off += step) {
                double x = left + (warp.toVirtual(origin + off) - v0) * scale;
                if (x < left - 0.5 || x > right + 0.5) {
                    continue;
                }
                if (x - lastX >= metrics.minTickSpacing() * 0.6) {
                    ticks.add(new TimelineLayout.Tick(x, off, formatOffset(off, step)));
                    lastX = x;
                }
            }
        }
        return ticks;
    }

    /** The overview strip: the whole warped axis squeezed into the plot area. */
    private static TimelineLayout.Overview overview(PreparedTimeline p, TimeWarp warp, double left, double right,
                                                    double v0, double v1) {
        double span = warp.virtualSpan();
        double scale = (right - left) / span;
        int columns = Math.max(1, (int) Math.ceil((right - left) / TimelineLayout.Overview.COLUMN) + 1);
        int[] density = new int[columns];
        int max = 1;
        for (long t : p.sortedTimes()) {
            int c = (int) Math.min(columns - 1, Math.max(0, warp.toVirtual(t) * scale / TimelineLayout.Overview.COLUMN));
            max = Math.max(max, ++density[c]);
        }
        java.util.TreeMap<Integer, TimelineLayout.OverviewMark> marks = new java.util.TreeMap<>();
        for (int i : p.anomalous()) {
            double x = left + warp.toVirtual(p.timeOf(i)) * scale;
            int px = (int) Math.round(x);
            AnomalyKind kind = p.kindsOf(i).get(0);
            TimelineLayout.OverviewMark prev = marks.get(px);
            if (prev == null || AnomalySeverity.MOST_SEVERE_FIRST.compare(kind, prev.kind()) < 0) {
                marks.put(px, new TimelineLayout.OverviewMark(px, kind, prev == null ? i : Math.min(i, prev.index())));
            }
        }
        List<double[]> breaks = new ArrayList<>();
        for (TimeWarp.Gap g : warp.gaps()) {
            if (g.collapsed()) {
                breaks.add(new double[] {left + g.virtualStart() * scale, left + g.virtualEnd() * scale});
            }
        }
        List<Double> ghosts = new ArrayList<>();
        for (ExpectedStep x : p.timeline().expectedSteps()) {
            ghosts.add(left + warp.toVirtual(x.expectedAt().toEpochMilli()) * scale);
        }
        return new TimelineLayout.Overview(density, max, List.copyOf(marks.values()),
                left + Math.max(0, v0) * scale, left + Math.min(span, v1) * scale, breaks, ghosts);
    }

    /**
     * The smallest step of 1, 2 or 5 times a power of ten (ms) that splits {@code spanMs} into at most
     * {@code maxTicks} intervals.
     */
    static long niceStep(long spanMs, int maxTicks) {
        long raw = Math.max(1, (long) Math.ceil(spanMs / (double) Math.max(1, maxTicks)));
        long pow = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (m * pow >= raw) {
                    return m * pow;
                }
            }
            pow *= 10;
        }
    }

    /**
     * A tick label: {@code 0}, {@code +250 ms} (under a second, or steps under 100 ms), {@code +1.5 s},
     * {@code +2 min} (from two minutes on with steps of a minute or more), {@code +40 min 1.5 s} (from two
     * minutes on with smaller steps: ticks after a collapsed idle gap).
     */
    static String formatOffset(long offsetMs, long stepMs) {
        if (offsetMs == 0) {
            return "0";
        }
        if (offsetMs >= 120_000 && stepMs < 60_000) { // after a collapsed gap, zoomed in: minutes and seconds
            long min = offsetMs / 60_000;
            double s = (offsetMs % 60_000) / 1000.0;
            return "+" + min + " min " + (s == Math.rint(s) ? String.valueOf((long) s) : trim(s)) + " s";
        }
        if (offsetMs < 1000 || stepMs < 100) {
            return "+" + offsetMs + " ms";
        }
        if (offsetMs < 120_000 || stepMs < 60_000) {
            double s = offsetMs / 1000.0;
            return "+" + (s == Math.rint(s) ? String.valueOf((long) s) : trim(s)) + " s";
        }
        double min = offsetMs / 60_000.0;
        return "+" + (min == Math.rint(min) ? String.valueOf((long) min) : trim(min)) + " min";
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String label(CapturedEvent e) {
        String type = e.derived().eventTypeValue();
        if (type != null) {
            return type;
        }
        String id = e.derived().eventIdValue();
        return id == null || e.derived().eventIdSynthetic() ? "" : id;
    }

    private static String tooltip(TimelineEntry entry, long startMs) {
        CapturedEvent e = entry.event();
        StringBuilder sb = new StringBuilder();
        String type = e.derived().eventTypeValue();
        sb.append(type == null ? "event" : type);
        String id = e.derived().eventIdValue();
        if (id != null) {
            sb.append("  ·  ").append(id);
            if (e.derived().eventIdSynthetic()) {
                sb.append(" (synthetic)");
            }
        }
        sb.append('\n').append(e.channel().name()).append(' ').append(e.source().describe())
                .append("  ·  +").append(e.observedAt().toEpochMilli() - startMs).append(" ms")
                .append("  ·  seq ").append(e.seq());
        if (entry.observedMoreThanOnce()) {
            sb.append("\nobserved ").append(entry.observations().size()).append(" times:");
            for (CapturedEvent o : entry.observations()) {
                sb.append("\n  ").append(o.source().sourceKind()).append(' ').append(o.channel().name()).append(' ')
                        .append(o.source().describe()).append("  ·  +").append(o.observedAt().toEpochMilli() - startMs)
                        .append(" ms  ·  seq ").append(o.seq());
            }
        }
        List<Anomaly> anomalies = new ArrayList<>(entry.anomalies());
        anomalies.sort((a, b) -> AnomalySeverity.MOST_SEVERE_FIRST.compare(a.kind(), b.kind()));
        for (Anomaly a : anomalies) {
            sb.append('\n').append(a.kind()).append(": ").append(a.message());
        }
        if (anomalies.isEmpty()) {
            sb.append("\nno anomalies");
        }
        return sb.toString();
    }

    /** The kinds used in a timeline, most severe first (for a legend that shows only what is drawn). */
    public static List<AnomalyKind> kindsIn(Timeline timeline) {
        return timeline.entries().stream().flatMap(en -> en.anomalies().stream()).map(Anomaly::kind)
                .distinct().sorted(AnomalySeverity.MOST_SEVERE_FIRST).toList();
    }
}
