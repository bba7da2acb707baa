package io.eventlens.core.layout;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A timeline sorted into lanes once, so that every zoom and pan step lays out only the visible window
 * (docs/decisions/0016-timeline-at-scale.md). Built off the FX thread; immutable and thread-safe.
 * Holds, per lane, the indexes of its entries in observed-time order, every entry's observed time and
 * anomaly kinds, and the indexes of the entries with anomalies (the next/previous-anomaly keys).
 */
public final class PreparedTimeline {

    /** Grouping by key keeps at most this many lanes; the rest share one "other keys" lane. */
    public static final int MAX_LANES = 40;
    /** Title of the lane that holds the keys beyond {@link #MAX_LANES}. */
    public static final String OTHER_KEYS = "(other keys)";

    /**
     * One lane before layout.
     *
     * @param title      lane title (channel, {@code channel · pN} or key)
     * @param deadLetter true when every event in the lane is on a dead-letter channel
     * @param entries    indexes into {@link Timeline#entries()} in observed-time order (ties: observed order)
     */
    public record LaneData(String title, boolean deadLetter, int[] entries) {
        /** Number of events in the lane. */
        public int size() {
            return entries.length;
        }
    }

    private final Timeline timeline;
    private final LaneGrouping grouping;
    private final List<LaneData> lanes;
    private final int[] laneOf;
    private final long[] times;
    private final long[] sortedTimes;
    private final List<List<AnomalyKind>> kinds;
    private final int[] anomalous;
    private final Map<String, Integer> channelLanes;
    private final long[] axisTimes;

    private PreparedTimeline(Timeline timeline, LaneGrouping grouping, List<LaneData> lanes, int[] laneOf,
                             long[] times, List<List<AnomalyKind>> kinds, int[] anomalous,
                             Map<String, Integer> channelLanes) {
        this.timeline = timeline;
        this.grouping = grouping;
        this.lanes = List.copyOf(lanes);
        this.laneOf = laneOf;
        this.times = times;
        this.sortedTimes = times.clone();
        Arrays.sort(this.sortedTimes);
        this.kinds = kinds;
        this.anomalous = anomalous;
        this.channelLanes = Map.copyOf(channelLanes);
        List<ExpectedStep> expected = timeline.expectedSteps();
        long[] axis = Arrays.copyOf(sortedTimes, sortedTimes.length + expected.size());
        for (int i = 0; i < expected.size(); i++) {
            axis[sortedTimes.length + i] = expected.get(i).expectedAt().toEpochMilli();
        }
        Arrays.sort(axis);
        this.axisTimes = axis;
    }

    /**
     * Sorts a timeline's entries into lanes.
     *
     * @param timeline          the analyzed timeline
     * @param grouping          how entries are split into lanes
     * @param deadLetterChannel tells whether a channel name is a dead-letter channel
     * @return the prepared timeline; lanes in order of first appearance (by key: the {@link #MAX_LANES} − 1
     *         largest keys in order of first appearance, then {@link #OTHER_KEYS})
     */
    public static PreparedTimeline of(Timeline timeline, LaneGrouping grouping, Predicate<String> deadLetterChannel) {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(grouping, "grouping");
        List<TimelineEntry> entries = timeline.entries();
        int n = entries.size();
        long[] times = new long[n];
        String[] titles = new String[n];
        Map<String, List<Integer>> byLane = new LinkedHashMap<>();
        Map<String, boolean[]> dlt = new LinkedHashMap<>();
        List<List<AnomalyKind>> kinds = new ArrayList<>(n);
        List<Integer> anomalous = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TimelineEntry e = entries.get(i);
            times[i] = e.event().observedAt().toEpochMilli();
            titles[i] = grouping.laneOf(e.event());
            byLane.computeIfAbsent(titles[i], k -> new ArrayList<>()).add(i);
            boolean d = deadLetterChannel.test(e.event().channel().name());
            dlt.computeIfAbsent(titles[i], k -> new boolean[] {true})[0] &= d;
            List<AnomalyKind> k = e.anomalies().isEmpty() ? List.of() : AnomalySeverity.kindsOf(e.anomalies());
            kinds.add(k);
            if (!k.isEmpty()) {
                anomalous.add(i);
            }
        }
        if (byLane.size() > MAX_LANES) {
            List<String> keep = byLane.entrySet().stream()
                    .sorted(Comparator.comparingInt((Map.Entry<String, List<Integer>> en) -> en.getValue().size()).reversed())
                    .limit(MAX_LANES - 1L).map(Map.Entry::getKey).toList();
            Map<String, List<Integer>> capped = new LinkedHashMap<>();
            List<Integer> other = new ArrayList<>();
            for (Map.Entry<String, List<Integer>> en : byLane.entrySet()) {
                if (keep.contains(en.getKey())) {
                    capped.put(en.getKey(), en.getValue());
                } else {
                    other.addAll(en.getValue());
                    dlt.computeIfAbsent(OTHER_KEYS, k -> new boolean[] {true})[0] &= dlt.get(en.getKey())[0];
                }
            }
            other.sort(null);
            capped.put(OTHER_KEYS, other);
            byLane = capped;
        }
        List<LaneData> lanes = new ArrayList<>();
        int[] laneOf = new int[n];
        for (Map.Entry<String, List<Integer>> en : byLane.entrySet()) {
            int li = lanes.size();
            int[] idx = en.getValue().stream().mapToInt(Integer::intValue).toArray();
            // stable sort by observed time, ties in observed order
            Integer[] boxed = Arrays.stream(idx).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, Comparator.comparingLong((Integer i) -> times[i]).thenComparingInt(i -> i));
            idx = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
            for (int i : idx) {
                laneOf[i] = li;
            }
            lanes.add(new LaneData(en.getKey(), dlt.get(en.getKey())[0], idx));
        }
        // ghosts (expected steps the flow did not have) go into the first lane holding their channel, or a lane
        // of their own after the others when the flow has no event there (docs/decisions/0017-expected-flows.md)
        Map<String, Integer> channelLanes = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            channelLanes.merge(entries.get(i).event().channel().name(), laneOf[i], Math::min);
        }
        for (ExpectedStep x : timeline.expectedSteps()) {
            if (!channelLanes.containsKey(x.channel())) {
                channelLanes.put(x.channel(), lanes.size());
                lanes.add(new LaneData(x.channel(), deadLetterChannel.test(x.channel()), new int[0]));
            }
        }
        return new PreparedTimeline(timeline, grouping, lanes, laneOf, times, kinds,
                anomalous.stream().mapToInt(Integer::intValue).toArray(), channelLanes);
    }

    /** The timeline prepared. */
    public Timeline timeline() {
        return timeline;
    }

    /** The grouping the lanes follow. */
    public LaneGrouping grouping() {
        return grouping;
    }

    /** Lanes, top to bottom. */
    public List<LaneData> lanes() {
        return lanes;
    }

    /** Number of entries. */
    public int size() {
        return times.length;
    }

    /** The lane index of entry {@code i}. */
    public int laneOf(int i) {
        return laneOf[i];
    }

    /** The observed time (epoch ms) of entry {@code i}. */
    public long timeOf(int i) {
        return times[i];
    }

    /** All observed times in ascending order (a copy). */
    public long[] sortedTimes() {
        return sortedTimes.clone();
    }

    /** Anomaly kinds of entry {@code i}, most severe first; empty for a clean event. */
    public List<AnomalyKind> kindsOf(int i) {
        return kinds.get(i);
    }

    /** Indexes of the entries with at least one anomaly, in observed order (a copy). */
    public int[] anomalous() {
        return anomalous.clone();
    }

    /**
     * The lane of an expected step's channel: the first lane holding an event on it, or the lane of its own
     * added for it; −1 for a channel of no event and no expected step.
     */
    public int laneOfChannel(String channel) {
        return channelLanes.getOrDefault(channel, -1);
    }

    /**
     * The warped time axis of this flow: over the observed times and the expected times of the steps the flow
     * did not have ({@link Timeline#expectedSteps()}), so that a ghost after the last event (STOPPED,
     * IN_FLIGHT) still fits in the "fit" window.
     *
     * @see TimeWarp#build(long[], double, java.util.Set)
     */
    public TimeWarp warp(double factor, java.util.Set<Long> expanded) {
        return TimeWarp.build(axisTimes, factor, expanded);
    }

    /** The latest time on the axis (epoch ms): the last event or the latest expected step, whichever is later. */
    public long axisEndMs() {
        return axisTimes.length == 0 ? 0 : axisTimes[axisTimes.length - 1];
    }

    /**
     * The next (or previous) entry with an anomaly after (before) entry {@code from} in observed order.
     *
     * @param from    an entry index, or −1 for "before the first"
     * @param forward true for the next anomaly, false for the previous one
     * @return the entry index, or −1 when there is none in that direction
     */
    public int nextAnomaly(int from, boolean forward) {
        return nextIn(anomalous, from, forward);
    }

    /**
     * {@link #nextAnomaly(int, boolean)} over a sorted array of entry indexes ({@link #anomalous()}).
     *
     * @return the next (previous) index in {@code anomalous} after (before) {@code from}, or −1
     */
    public static int nextIn(int[] anomalous, int from, boolean forward) {
        int at = Arrays.binarySearch(anomalous, from);
        if (forward) {
            int i = at >= 0 ? at + 1 : -at - 1;
            return i < anomalous.length ? anomalous[i] : -1;
        }
        int i = at >= 0 ? at - 1 : -at - 2;
        return i >= 0 ? anomalous[i] : -1;
    }
}
