package io.eventlens.core.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stored summary of one flow (all events of one correlation ID), as the capture store keeps it
 * in {@code flow_summary} (schema V4 to V6, docs/decisions/0009-flow-summaries.md) and in
 * {@code flow_summary_block} (schema V7, docs/decisions/0020-flow-summary-blocks.md). The store does not
 * interpret the category or anomaly kind names: it orders by {@link #rank()} (lower first) and
 * counts by {@link #category()}; {@code io.eventlens.core.flows.FlowSummary} gives them their
 * meaning.
 *
 * @param correlationId   the flow's correlation ID; never null
 * @param category        the flow's category name (a verdict kind, or a healthy category); never null
 * @param rank            the category's place in the worst-first order, lower first, 0 or more
 * @param verdictMessage  the verdict's one human line; never null
 * @param eventCount      the number of events on the flow's timeline, 1 or more
 * @param firstObservedMs the earliest observed time of the flow, in ms since the epoch
 * @param lastObservedMs  the latest observed time of the flow, in ms since the epoch
 * @param channelCount    how many channels the flow's events were observed on (may exceed {@code channels})
 * @param channels        the first {@value #MAX_CHANNELS} channel names at most, in first-appearance order
 * @param anomalyCounts   anomalies per kind name, only kinds with a count above 0, in a fixed kind order
 */
public record FlowRecord(String correlationId, String category, int rank, String verdictMessage, long eventCount,
                         long firstObservedMs, long lastObservedMs, int channelCount, List<String> channels,
                         Map<String, Integer> anomalyCounts) {

    /** At most this many channel names are kept per flow. */
    public static final int MAX_CHANNELS = 16;

    public FlowRecord {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(verdictMessage, "verdictMessage");
        channels = channels == null ? List.of() : List.copyOf(channels.subList(0, Math.min(MAX_CHANNELS, channels.size())));
        anomalyCounts = anomalyCounts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(anomalyCounts));
    }

    /**
     * True when {@code other} comes after this record in the worst-first order the store lists:
     * rank ascending, then the latest observed time descending, then correlation ID ascending.
     */
    public boolean isBefore(FlowRecord other) {
        if (rank != other.rank) {
            return rank < other.rank;
        }
        if (lastObservedMs != other.lastObservedMs) {
            return lastObservedMs > other.lastObservedMs;
        }
        return correlationId.compareTo(other.correlationId) < 0;
    }
}
