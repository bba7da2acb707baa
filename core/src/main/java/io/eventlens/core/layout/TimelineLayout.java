package io.eventlens.core.layout;

import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.TimelineEntry;

import java.util.List;
import java.util.Objects;

/**
 * The geometry of one drawn window of a timeline, free of any UI toolkit (docs/reference/timeline-layout.md):
 * lanes, a time axis with ticks, one marker per visible event that has room of its own, count badges
 * ({@link Cluster}) for dense stretches, breaks for collapsed idle gaps, the labels that fit without
 * overlapping, and the overview strip of the whole flow. A view paints it as is and uses the hit tests
 * ({@link #markerAt(double, double)}, {@link #clusterAt}, {@link #breakAt}) for hover and click.
 * Coordinates are in px from the top-left corner of the drawing area; the overview's x share the
 * drawing's, its y are its own strip's.
 *
 * @param width       drawing width in px
 * @param height      drawing height in px (axis plus all lanes)
 * @param startMs     observed time (epoch ms) of the flow's first event
 * @param endMs       observed time (epoch ms) of the flow's last event or latest expected step; greater than {@code startMs}
 * @param axis        the time axis ticks, left to right
 * @param lanes       lanes, top to bottom
 * @param markers     markers of the visible events in observed order (later markers are drawn on top)
 * @param clusters    count badges of dense stretches, per lane left to right
 * @param breaks      collapsed idle gaps in the visible window, left to right
 * @param labels      marker labels that fit without overlapping
 * @param overview    the overview strip of the whole flow
 * @param viewStart   left edge of the plot area on the warped axis (ms from the flow's start, see {@link TimeWarp})
 * @param viewEnd     right edge of the plot area on the warped axis; greater than {@code viewStart}
 * @param virtualSpan length of the whole warped axis (the "fit" window is 0 to this)
 * @param plotLeft    x of the plot area's left edge in px
 * @param plotRight   x of the plot area's right edge in px
 * @param ghosts      hollow markers of the expected steps the flow did not have
 *                    ({@link Timeline#expectedSteps()}), at their expected time on the warped axis in their
 *                    channel's lane; only those inside the visible window
 */
public record TimelineLayout(
        double width,
        double height,
        long startMs,
        long endMs,
        List<Tick> axis,
        List<Lane> lanes,
        List<Marker> markers,
        List<Cluster> clusters,
        List<Break> breaks,
        List<Label> labels,
        Overview overview,
        double viewStart,
        double viewEnd,
        double virtualSpan,
        double plotLeft,
        double plotRight,
        List<Ghost> ghosts) {

    public TimelineLayout {
        axis = List.copyOf(axis);
        lanes = List.copyOf(lanes);
        markers = List.copyOf(markers);
        clusters = List.copyOf(clusters);
        breaks = List.copyOf(breaks);
        labels = List.copyOf(labels);
        Objects.requireNonNull(overview, "overview");
        ghosts = ghosts == null ? List.of() : List.copyOf(ghosts);
    }

    /** A layout without expected steps (no ghosts). */
    public TimelineLayout(double width, double height, long startMs, long endMs, List<Tick> axis, List<Lane> lanes,
                          List<Marker> markers, List<Cluster> clusters, List<Break> breaks, List<Label> labels,
                          Overview overview, double viewStart, double viewEnd, double virtualSpan, double plotLeft,
                          double plotRight) {
        this(width, height, startMs, endMs, axis, lanes, markers, clusters, breaks, labels, overview, viewStart,
                viewEnd, virtualSpan, plotLeft, plotRight, List.of());
    }

    /**
     * A fitted layout of markers only (no badges, breaks, labels, overview or ghosts): the plot area spans
     * {@code startMs}..{@code endMs} over the whole width.
     */
    public TimelineLayout(double width, double height, long startMs, long endMs, List<Tick> axis, List<Lane> lanes,
                          List<Marker> markers) {
        this(width, height, startMs, endMs, axis, lanes, markers, List.of(), List.of(), List.of(), Overview.EMPTY,
                0, Math.max(1, endMs - startMs), Math.max(1, endMs - startMs), 0, width, List.of());
    }

    /** {@link #TimelineLayout(double, double, long, long, List, List, List)} with ghosts. */
    public TimelineLayout(double width, double height, long startMs, long endMs, List<Tick> axis, List<Lane> lanes,
                          List<Marker> markers, List<Ghost> ghosts) {
        this(width, height, startMs, endMs, axis, lanes, markers, List.of(), List.of(), List.of(), Overview.EMPTY,
                0, Math.max(1, endMs - startMs), Math.max(1, endMs - startMs), 0, width, ghosts);
    }

    /** The hollow marker under a point (its radius plus 3 px), or {@code null}. */
    public Ghost ghostAt(double x, double y) {
        for (int i = ghosts.size() - 1; i >= 0; i--) {
            Ghost g = ghosts.get(i);
            double r = g.radius() + 3;
            double dx = x - g.x();
            double dy = y - g.y();
            if (dx * dx + dy * dy <= r * r) {
                return g;
            }
        }
        return null;
    }

    /**
     * The hollow marker of an expected step the flow did not have (docs/reference/anomalies-and-verdicts.md,
     * "Expected flows").
     *
     * @param lane    lane index (a lane of its own when the flow has no event on that channel)
     * @param x       centre x in px: the expected time
     * @param y       centre y in px
     * @param radius  radius in px
     * @param fromX   x of the step it was expected after (for a dashed link), or NaN
     * @param fromY   y of that step, or NaN
     * @param step    the expected step
     * @param label   short label (the expected event type)
     * @param tooltip hover text: kind, step, expected time and the evidence
     */
    public record Ghost(int lane, double x, double y, double radius, double fromX, double fromY, ExpectedStep step,
                        String label, String tooltip) {
    }

    /** An empty layout (no events) of this size. */
    public static TimelineLayout empty(double width, double height) {
        return new TimelineLayout(width, height, 0, 1, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), Overview.EMPTY, 0, 1, 1, 0, width);
    }

    /** The count badge under a point, or {@code null}. */
    public Cluster clusterAt(double x, double y) {
        for (Cluster c : clusters) {
            if (x >= c.left() && x <= c.right() && Math.abs(y - c.y()) <= c.halfHeight()) {
                return c;
            }
        }
        return null;
    }

    /** The collapsed gap under a point (anywhere in its column below the axis), or {@code null}. */
    public Break breakAt(double x, double y) {
        if (lanes.isEmpty() || y < lanes.get(0).top()) {
            return null;
        }
        for (Break b : breaks) {
            if (x >= b.x0() - 2 && x <= b.x1() + 2) {
                return b;
            }
        }
        return null;
    }

    /** Px per virtual ms in the plot area. */
    public double scale() {
        return (plotRight - plotLeft) / (viewEnd - viewStart);
    }

    /**
     * The marker under a point, or {@code null}: the topmost (last drawn) marker whose hit box
     * (the marker's radius plus {@code slop} px) contains the point.
     */
    public Marker markerAt(double x, double y, double slop) {
        for (int i = markers.size() - 1; i >= 0; i--) {
            Marker m = markers.get(i);
            double r = m.radius() + slop;
            double dx = x - m.x();
            double dy = y - m.y();
            if (dx * dx + dy * dy <= r * r) {
                return m;
            }
        }
        return null;
    }

    /** {@link #markerAt(double, double, double)} with 3 px of slop. */
    public Marker markerAt(double x, double y) {
        return markerAt(x, y, 3);
    }

    /** The marker of the event with this store sequence, or {@code null}. */
    public Marker markerForSeq(long seq) {
        for (Marker m : markers) {
            if (m.seq() == seq) {
                return m;
            }
        }
        return null;
    }

    /**
     * One tick of the time axis.
     *
     * @param x       x position in px
     * @param offsetMs observed time since {@link TimelineLayout#startMs()}, the first event, in ms
     * @param label   the tick label, e.g. {@code "+250 ms"} or {@code "+1.5 s"}
     */
    public record Tick(double x, long offsetMs, String label) {
    }

    /**
     * One lane: the events of one channel (or channel and partition, or key: {@link LaneGrouping}).
     *
     * @param index      0-based, top to bottom
     * @param channel    lane title: the channel name, {@code channel · pN}, or the key
     * @param deadLetter true when all the lane's events are on a dead-letter channel (drawn tinted)
     * @param top        y of the lane's top edge in px
     * @param height     lane height in px
     * @param eventCount number of events in the lane
     */
    public record Lane(int index, String channel, boolean deadLetter, double top, double height, int eventCount) {
        /** y of the lane's centre line in px. */
        public double centerY() {
            return top + height / 2;
        }
    }

    /**
     * One event's marker.
     *
     * @param index     the event's index in the timeline's entries (observed order)
     * @param seq       the event's store sequence
     * @param lane      lane index
     * @param x         centre x in px
     * @param y         centre y in px
     * @param radius    radius in px
     * @param kinds     anomaly kinds on the event, most severe first; empty for a clean event
     * @param label     short label (event type, else event ID), may be empty; what is drawn is in {@link TimelineLayout#labels()}
     * @param tooltip   hover text: event, time and every anomaly message, one per line
     * @param entry     the timeline entry drawn
     */
    public record Marker(int index, long seq, int lane, double x, double y, double radius,
                         List<AnomalyKind> kinds, String label, String tooltip, TimelineEntry entry) {
        public Marker {
            kinds = List.copyOf(kinds);
            Objects.requireNonNull(entry, "entry");
        }

        /** The most severe anomaly kind on the event, or {@code null} for a clean event. */
        public AnomalyKind primaryKind() {
            return kinds.isEmpty() ? null : kinds.get(0);
        }
    }

    /**
     * A count badge: a dense stretch of one lane whose markers would overlap at this zoom. Zooming into
     * {@code virtualStart}..{@code virtualEnd} spreads them out (a click does that).
     *
     * @param lane         lane index
     * @param x0           x of the first event in px
     * @param x1           x of the last event in px
     * @param y            centre y in px
     * @param count        number of events
     * @param primaryKind  most severe anomaly kind among them, or {@code null} when all are clean
     * @param anomalyCount number of events with an anomaly
     * @param firstIndex   entry index of the earliest event
     * @param virtualStart warped-axis position of the first event
     * @param virtualEnd   warped-axis position of the last event
     * @param tooltip      hover text: count, time range and anomalies by kind
     */
    public record Cluster(int lane, double x0, double x1, double y, int count, AnomalyKind primaryKind,
                          int anomalyCount, int firstIndex, double virtualStart, double virtualEnd, String tooltip) {
        /** The badge's text, e.g. {@code 1,234}. */
        public String text() {
            return String.format(java.util.Locale.ROOT, "%,d", count);
        }

        /** Half the badge's height in px. */
        public double halfHeight() {
            return 9;
        }

        /**
         * Width of the badge in px: its stretch less 4 px (so that neighbouring badges keep a gap), at
         * least as wide as its text.
         */
        public double badgeWidth() {
            return Math.max(x1 - x0 - 4, text().length() * 6.5 + 12);
        }

        /** Left edge of the badge in px. */
        public double left() {
            return (x0 + x1) / 2 - badgeWidth() / 2;
        }

        /** Right edge of the badge in px. */
        public double right() {
            return (x0 + x1) / 2 + badgeWidth() / 2;
        }
    }

    /**
     * A collapsed idle gap in the visible window, drawn as a break that says how long it was.
     *
     * @param x0      left edge in px
     * @param x1      right edge in px
     * @param startMs observed time of the event before the gap (epoch ms); the key to expand it
     * @param endMs   observed time of the event after the gap (epoch ms)
     * @param label   e.g. {@code "idle 40 min"}
     */
    public record Break(double x0, double x1, long startMs, long endMs, String label) {
        /** Width in px of the label's box on the axis (estimated from the text). */
        public double labelWidth() {
            return label.length() * 6.2 + 12;
        }
    }

    /**
     * A marker label that fits: drawn centred on {@code x} with its top at {@code y}.
     *
     * @param markerIndex the entry index of the labelled marker
     * @param x           centre x in px
     * @param y           top y in px
     * @param text        the drawn text, possibly abbreviated with a trailing ellipsis
     * @param abbreviated true when {@code text} is shorter than the marker's full label
     * @param kind        the marker's most severe anomaly kind (the label's colour), or {@code null}
     */
    public record Label(int markerIndex, double x, double y, String text, boolean abbreviated, AnomalyKind kind) {
    }

    /**
     * The overview strip: the whole flow squeezed into the plot area's width, with the visible window
     * marked. Every anomaly is drawn at any zoom.
     *
     * @param density     event count per column of {@link #COLUMN} px, from {@link TimelineLayout#plotLeft()}
     * @param maxDensity  the largest count (for scaling the bars), at least 1
     * @param anomalies   one mark per px column holding anomalies (the most severe kind there), left to right
     * @param windowX0    x of the visible window's left edge in px
     * @param windowX1    x of the visible window's right edge in px
     * @param breaks      x ranges {x0, x1} of the collapsed gaps
     * @param ghosts      x of every expected step the flow did not have (hollow marks), left to right as listed
     */
    public record Overview(int[] density, int maxDensity, List<OverviewMark> anomalies,
                           double windowX0, double windowX1, List<double[]> breaks, List<Double> ghosts) {
        /** Width of one density column in px. */
        public static final double COLUMN = 2;
        /** The overview of no flow. */
        public static final Overview EMPTY = new Overview(new int[0], 1, List.of(), 0, 0, List.of());

        public Overview {
            anomalies = List.copyOf(anomalies);
            breaks = List.copyOf(breaks);
            ghosts = ghosts == null ? List.of() : List.copyOf(ghosts);
        }

        /** An overview without ghosts. */
        public Overview(int[] density, int maxDensity, List<OverviewMark> anomalies, double windowX0,
                        double windowX1, List<double[]> breaks) {
            this(density, maxDensity, anomalies, windowX0, windowX1, breaks, List.of());
        }
    }

    /**
     * An anomaly on the overview strip.
     *
     * @param x     x in px
     * @param kind  most severe kind in this px column
     * @param index entry index of the first anomalous event in the column (a click jumps to it)
     */
    public record OverviewMark(double x, AnomalyKind kind, int index) {
    }
}
