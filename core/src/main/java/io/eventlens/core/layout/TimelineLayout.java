package io.eventlens.core.layout;

import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.TimelineEntry;

import java.util.List;
import java.util.Objects;

/**
 * The geometry of one drawn timeline, free of any UI toolkit: lanes (one per channel), a time axis
 * with ticks, and one marker per event at an x position taken from its observed time. A view draws
 * it on a canvas as is and uses {@link #markerAt(double, double)} for hit tests (hover, click).
 * All coordinates are in pixels from the top-left corner of the drawing area.
 *
 * @param width   drawing width in px
 * @param height  drawing height in px (axis plus all lanes)
 * @param startMs observed time (epoch ms) at the left edge of the plot area
 * @param endMs   observed time (epoch ms) at the right edge of the plot area; greater than {@code startMs}
 * @param axis    the time axis ticks, left to right
 * @param lanes   lanes, top to bottom
 * @param markers markers in observed order (later markers are drawn on top)
 * @param ghosts  hollow markers of the expected steps the flow did not have
 *                ({@link Timeline#expectedSteps()}), at their expected time in their channel's lane
 */
public record TimelineLayout(
        double width,
        double height,
        long startMs,
        long endMs,
        List<Tick> axis,
        List<Lane> lanes,
        List<Marker> markers,
        List<Ghost> ghosts) {

    public TimelineLayout {
        axis = List.copyOf(axis);
        lanes = List.copyOf(lanes);
        markers = List.copyOf(markers);
        ghosts = ghosts == null ? List.of() : List.copyOf(ghosts);
    }

    /** A layout without expected steps. */
    public TimelineLayout(double width, double height, long startMs, long endMs, List<Tick> axis, List<Lane> lanes,
                          List<Marker> markers) {
        this(width, height, startMs, endMs, axis, lanes, markers, List.of());
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
        return new TimelineLayout(width, height, 0, 1, List.of(), List.of(), List.of());
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
     * @param offsetMs time since {@link TimelineLayout#startMs()} of the first event, in ms
     * @param label   the tick label, e.g. {@code "+250 ms"} or {@code "+1.5 s"}
     */
    public record Tick(double x, long offsetMs, String label) {
    }

    /**
     * One lane: the events of one channel.
     *
     * @param index      0-based, top to bottom
     * @param channel    channel name
     * @param deadLetter true for a dead-letter channel (drawn tinted)
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
     * @param label     short label drawn near the marker (event type, else event ID), may be empty
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
}
