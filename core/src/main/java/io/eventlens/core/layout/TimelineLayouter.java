package io.eventlens.core.layout;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.model.CapturedEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Computes a {@link TimelineLayout} from a {@link Timeline}: one lane per channel in order of first
 * appearance, x from each event's observed time on a linear axis with "nice" ticks (1, 2 or 5 times a
 * power of ten ms), and one marker per event. Events closer than a marker's diameter in one lane are
 * nudged right so every marker stays visible and clickable. A pure function: no UI toolkit, no clock.
 */
public final class TimelineLayouter {

    /** Sizes of the drawing, in px. */
    public record Metrics(double laneLabelWidth, double axisHeight, double laneHeight,
                          double markerRadius, double rightPadding, double minTickSpacing) {
        /** The sizes the desktop app uses. */
        public static Metrics defaults() {
            return new Metrics(150, 28, 44, 8, 24, 90);
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

    /**
     * Lays out a timeline in a drawing of {@code width} px.
     *
     * @param timeline the analyzed timeline; may have no entries
     * @param width    available width in px; a narrow width is widened to keep a usable plot area
     * @return the layout; its height is the axis plus one lane per channel
     */
    public TimelineLayout layout(Timeline timeline, double width) {
        Objects.requireNonNull(timeline, "timeline");
        List<TimelineEntry> entries = timeline.entries();
        double left = plotLeft();
        double w = Math.max(width, left + 200 + metrics.rightPadding());
        double right = w - metrics.rightPadding() - metrics.markerRadius();
        if (entries.isEmpty()) {
            return TimelineLayout.empty(w, metrics.axisHeight() + metrics.laneHeight());
        }

        Map<String, List<TimelineEntry>> byChannel = new LinkedHashMap<>();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (TimelineEntry entry : entries) {
            CapturedEvent e = entry.event();
            byChannel.computeIfAbsent(e.channel().name(), k -> new ArrayList<>()).add(entry);
            long t = e.observedAt().toEpochMilli();
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        for (ExpectedStep x : timeline.expectedSteps()) {
            byChannel.computeIfAbsent(x.channel(), k -> new ArrayList<>());
            long t = x.expectedAt().toEpochMilli();
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        long span = Math.max(1, max - min);
        long step = niceStep(span, Math.max(1, (int) ((right - left) / metrics.minTickSpacing())));
        long end = min + Math.max(span, step);
        double scale = (right - left) / (double) (end - min);

        List<TimelineLayout.Lane> lanes = new ArrayList<>();
        Map<String, Integer> laneIndex = new LinkedHashMap<>();
        double top = metrics.axisHeight();
        for (Map.Entry<String, List<TimelineEntry>> lane : byChannel.entrySet()) {
            int index = lanes.size();
            laneIndex.put(lane.getKey(), index);
            lanes.add(new TimelineLayout.Lane(index, lane.getKey(), deadLetterChannel.test(lane.getKey()),
                    top, metrics.laneHeight(), lane.getValue().size()));
            top += metrics.laneHeight();
        }

        List<TimelineLayout.Tick> ticks = new ArrayList<>();
        for (long off = 0; off <= end - min; off += step) {
            ticks.add(new TimelineLayout.Tick(left + off * scale, off, formatOffset(off, step)));
        }

        List<TimelineLayout.Marker> markers = new ArrayList<>();
        double[] lastX = new double[lanes.size()];
        java.util.Arrays.fill(lastX, Double.NEGATIVE_INFINITY);
        double r = metrics.markerRadius();
        for (int i = 0; i < entries.size(); i++) {
            TimelineEntry entry = entries.get(i);
            CapturedEvent e = entry.event();
            int lane = laneIndex.get(e.channel().name());
            double x = left + (e.observedAt().toEpochMilli() - min) * scale;
            if (x < lastX[lane] + r * 1.6) {
                x = lastX[lane] + r * 1.6;
            }
            lastX[lane] = x;
            markers.add(new TimelineLayout.Marker(i, e.seq(), lane, x, lanes.get(lane).centerY(), r,
                    AnomalySeverity.kindsOf(entry.anomalies()), label(e), tooltip(entry, min), entry));
        }
        List<TimelineLayout.Ghost> ghosts = new ArrayList<>();
        for (ExpectedStep x : timeline.expectedSteps()) {
            int lane = laneIndex.get(x.channel());
            double gx = left + (x.expectedAt().toEpochMilli() - min) * scale;
            TimelineLayout.Marker from = null;
            for (TimelineLayout.Marker m : markers) {
                if (m.seq() == x.afterSeq()) {
                    from = m;
                }
            }
            ghosts.add(new TimelineLayout.Ghost(lane, gx, lanes.get(lane).centerY(), r,
                    from == null ? Double.NaN : from.x(), from == null ? Double.NaN : from.y(), x,
                    x.type() == null ? "" : x.type(), ghostTooltip(x, min)));
        }
        return new TimelineLayout(w, top, min, end, ticks, lanes, markers, ghosts);
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
     * {@code +2 min} (from two minutes on with steps of a minute or more).
     */
    static String formatOffset(long offsetMs, long stepMs) {
        if (offsetMs == 0) {
            return "0";
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
