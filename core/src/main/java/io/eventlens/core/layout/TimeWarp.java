package io.eventlens.core.layout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The timeline's time axis with idle gaps collapsed (docs/reference/timeline-layout.md, "Idle gaps"):
 * maps an observed time (epoch ms) to a "virtual" position in ms from the flow's first event, where
 * every hop between consecutive events longer than the threshold ({@code factor} times the flow's
 * median hop, at least {@link #MIN_THRESHOLD_MS}) is shrunk to a fixed break width. Gaps the user
 * expanded (by their start time) keep their real length. Immutable and thread-safe.
 */
public final class TimeWarp {

    /** The default threshold factor: a gap is idle when longer than 10 times the median hop. */
    public static final double DEFAULT_FACTOR = 10;
    /** The threshold never falls below 1 s, so a flow of bursts at the same millisecond keeps its seconds. */
    public static final long MIN_THRESHOLD_MS = 1000;
    /** A collapsed gap takes this share of the flow's active (uncollapsed) span on the axis. */
    static final double BREAK_SHARE = 0.03;

    /**
     * One idle gap longer than the threshold.
     *
     * @param startMs      observed time of the event before the gap (epoch ms)
     * @param endMs        observed time of the event after the gap (epoch ms)
     * @param virtualStart position of {@code startMs} on the warped axis (ms from the flow's start)
     * @param virtualEnd   position of {@code endMs} on the warped axis
     * @param collapsed    true when drawn as a break; false when the user expanded it
     */
    public record Gap(long startMs, long endMs, double virtualStart, double virtualEnd, boolean collapsed) {
        /** The gap's real length in ms. */
        public long lengthMs() {
            return endMs - startMs;
        }
    }

    private final long originMs;
    private final long[] realStarts;   // segment starts (real ms) where the mapping changes
    private final double[] virtStarts; // virtual position of each segment start
    private final double[] slopes;     // virtual ms per real ms in each segment (1, or squeezed for a break)
    private final double virtualSpan;
    private final long medianHopMs;
    private final long thresholdMs;
    private final List<Gap> gaps;

    private TimeWarp(long originMs, long[] realStarts, double[] virtStarts, double[] slopes, double virtualSpan,
                     long medianHopMs, long thresholdMs, List<Gap> gaps) {
        this.originMs = originMs;
        this.realStarts = realStarts;
        this.virtStarts = virtStarts;
        this.slopes = slopes;
        this.virtualSpan = virtualSpan;
        this.medianHopMs = medianHopMs;
        this.thresholdMs = thresholdMs;
        this.gaps = List.copyOf(gaps);
    }

    /**
     * Builds the warp of a flow.
     *
     * @param sortedTimes  observed times (epoch ms) in ascending order; may be empty
     * @param factor       threshold factor (times the median hop); 0 or less, or infinite, collapses nothing
     * @param expanded     start times ({@link Gap#startMs()}) of gaps the user expanded
     * @return the warp; with no events, the identity over a 1 ms span
     */
    public static TimeWarp build(long[] sortedTimes, double factor, Set<Long> expanded) {
        int n = sortedTimes.length;
        if (n == 0) {
            return new TimeWarp(0, new long[] {0}, new double[] {0}, new double[] {1}, 1, 0, Long.MAX_VALUE, List.of());
        }
        long origin = sortedTimes[0];
        long[] hops = new long[Math.max(0, n - 1)];
        for (int i = 1; i < n; i++) {
            hops[i - 1] = sortedTimes[i] - sortedTimes[i - 1];
        }
        long median = medianOf(hops);
        long threshold = factor > 0 && Double.isFinite(factor)
                ? Math.max(MIN_THRESHOLD_MS, (long) Math.ceil(median * factor)) : Long.MAX_VALUE;
        long idle = 0;
        for (long h : hops) {
            if (h > threshold) {
                idle += h;
            }
        }
        long active = Math.max(1, sortedTimes[n - 1] - origin - idle);
        double breakWidth = Math.max(1, Math.max(threshold == Long.MAX_VALUE ? 1 : Math.min(threshold, active),
                active * BREAK_SHARE));
        List<Long> rs = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        List<Double> sl = new ArrayList<>();
        List<Gap> gaps = new ArrayList<>();
        rs.add(origin);
        vs.add(0.0);
        sl.add(1.0);
        double v = 0;
        long at = origin;
        for (int i = 1; i < n; i++) {
            long h = sortedTimes[i] - sortedTimes[i - 1];
            if (h <= threshold) {
                continue;
            }
            long gs = sortedTimes[i - 1];
            long ge = sortedTimes[i];
            v += gs - at; // uncollapsed stretch up to the gap
            boolean collapsed = !expanded.contains(gs);
            double w = collapsed ? breakWidth : h;
            rs.add(gs);
            vs.add(v);
            sl.add(w / h);
            gaps.add(new Gap(gs, ge, v, v + w, collapsed));
            v += w;
            at = ge;
            rs.add(ge);
            vs.add(v);
            sl.add(1.0);
        }
        v += sortedTimes[n - 1] - at;
        return new TimeWarp(origin, rs.stream().mapToLong(Long::longValue).toArray(),
                vs.stream().mapToDouble(Double::doubleValue).toArray(),
                sl.stream().mapToDouble(Double::doubleValue).toArray(), Math.max(1, v), median, threshold, gaps);
    }

    /** The median of these values (the lower middle one for an even count); 0 when empty. */
    static long medianOf(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] c = values.clone();
        Arrays.sort(c);
        return c[(c.length - 1) / 2];
    }

    /** The position of an observed time (epoch ms) on the warped axis, in ms from the flow's start. */
    public double toVirtual(long ms) {
        int i = Arrays.binarySearch(realStarts, ms);
        if (i < 0) {
            i = -i - 2;
        }
        if (i < 0) {
            return ms - originMs;
        }
        // several segments can start at the same real time (a gap's end and the next gap's start); take the last
        while (i + 1 < realStarts.length && realStarts[i + 1] == ms) {
            i++;
        }
        return virtStarts[i] + (ms - realStarts[i]) * slopes[i];
    }

    /** The observed time (epoch ms) at a position of the warped axis; inside a break, a time within the gap. */
    public long toReal(double virtual) {
        int lo = 0;
        int hi = virtStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (virtStarts[mid] <= virtual) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return realStarts[lo] + Math.round((virtual - virtStarts[lo]) / slopes[lo]);
    }

    /** Observed time (epoch ms) of the flow's first event. */
    public long originMs() {
        return originMs;
    }

    /** Length of the warped axis in virtual ms (at least 1). */
    public double virtualSpan() {
        return virtualSpan;
    }

    /** The flow's median hop between consecutive events in ms (0 for fewer than two events). */
    public long medianHopMs() {
        return medianHopMs;
    }

    /** The idle threshold in ms ({@link Long#MAX_VALUE} when collapsing is off). */
    public long thresholdMs() {
        return thresholdMs;
    }

    /** Every gap longer than the threshold, collapsed or expanded, in time order. */
    public List<Gap> gaps() {
        return gaps;
    }

    /**
     * A gap's length for people: {@code 850 ms}, {@code 12.4 s}, {@code 40 min}, {@code 2 h 5 min},
     * {@code 3 d 4 h}.
     */
    public static String formatDuration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            double s = ms / 1000.0;
            return (s < 10 ? String.format(java.util.Locale.ROOT, "%.1f", s) : String.valueOf(Math.round(s))) + " s";
        }
        long min = Math.round(ms / 60_000.0);
        if (min < 60) {
            return min + " min";
        }
        long h = min / 60;
        if (h < 24) {
            return h + " h" + (min % 60 == 0 ? "" : " " + min % 60 + " min");
        }
        return h / 24 + " d" + (h % 24 == 0 ? "" : " " + h % 24 + " h");
    }
}
