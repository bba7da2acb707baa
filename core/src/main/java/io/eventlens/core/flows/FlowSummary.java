package io.eventlens.core.flows;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.QuickOutcome;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.FlowRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one flow (all events of one correlation ID) came to, without its events: the verdict and the
 * anomaly counts of {@link io.eventlens.core.analysis.TimelineAnalyzer}'s timeline, its size, time
 * span and channels (docs/decisions/0009-flow-summaries.md). Stored with the capture, one per flow,
 * so every flow of a capture of any size can be listed without analysing it again.
 *
 * @param correlationId  the correlation ID
 * @param category       the flow's rank: its verdict kind, or healthy with notes, or healthy
 * @param verdictMessage the verdict's one human line
 * @param eventCount     the number of events on the timeline (an event observed twice counts once)
 * @param firstObserved  the earliest observed time of the flow (kept to the ms)
 * @param lastObserved   the latest observed time of the flow (kept to the ms)
 * @param channelCount   how many channels the flow's events were observed on
 * @param channels       the first {@value FlowRecord#MAX_CHANNELS} of them at most, in first-appearance order
 * @param anomalyCounts  anomalies per kind, only kinds found at least once, in {@link AnomalyKind} order
 */
public record FlowSummary(String correlationId, FlowCategory category, String verdictMessage, int eventCount,
                          Instant firstObserved, Instant lastObserved, int channelCount, List<String> channels,
                          Map<AnomalyKind, Integer> anomalyCounts) {

    /**
     * Worst first: by category, then the most recently observed first, then by correlation ID (the
     * order of {@link io.eventlens.core.store.CaptureStore#flowSummaries}).
     */
    public static final Comparator<FlowSummary> WORST_FIRST = Comparator.comparing(FlowSummary::category)
            .thenComparing(FlowSummary::lastObserved, Comparator.reverseOrder())
            .thenComparing(FlowSummary::correlationId);

    public FlowSummary {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(verdictMessage, "verdictMessage");
        Objects.requireNonNull(firstObserved, "firstObserved");
        Objects.requireNonNull(lastObserved, "lastObserved");
        // the store keeps ms: a summary compares the same before and after it was stored
        firstObserved = Instant.ofEpochMilli(firstObserved.toEpochMilli());
        lastObserved = Instant.ofEpochMilli(lastObserved.toEpochMilli());
        channels = channels == null ? List.of() : List.copyOf(channels.subList(0, Math.min(FlowRecord.MAX_CHANNELS, channels.size())));
        if (anomalyCounts == null || anomalyCounts.isEmpty()) {
            anomalyCounts = NO_ANOMALIES;
        } else {
            EnumMap<AnomalyKind, Integer> counts = new EnumMap<>(AnomalyKind.class);
            anomalyCounts.forEach((k, n) -> {
                if (n != null && n > 0) {
                    counts.put(k, n);
                }
            });
            anomalyCounts = counts.isEmpty() ? NO_ANOMALIES : Collections.unmodifiableMap(counts);
        }
    }

    /** The counts of a flow without anomalies (shared: it cannot be changed). */
    private static final Map<AnomalyKind, Integer> NO_ANOMALIES = Collections.unmodifiableMap(new EnumMap<>(AnomalyKind.class));

    /**
     * The summary of one flow's events as {@code of(analyzer.analyze(correlationId, events))} gives
     * it, without building the timeline when the analyzer finds at most lag in the flow
     * ({@link TimelineAnalyzer#quickOutcome}), as in most flows.
     *
     * @param analyzer      the analysis whose verdict is summarized
     * @param correlationId the flow's correlation ID
     * @param events        its events in any order
     * @throws NullPointerException when an argument or an event is null
     */
    public static FlowSummary summarize(TimelineAnalyzer analyzer, String correlationId, List<CapturedEvent> events) {
        QuickOutcome quick = analyzer.quickOutcome(correlationId, events);
        return quick != null ? of(quick) : of(analyzer.analyze(correlationId, events));
    }

    /** The summary of a flow with nothing found but lag ({@link TimelineAnalyzer#quickOutcome}). */
    public static FlowSummary of(QuickOutcome flow) {
        boolean lag = flow.lagFindings() > 0;
        return new FlowSummary(flow.correlationId(), lag ? FlowCategory.LAG : FlowCategory.HEALTHY, flow.verdict().message(),
                flow.eventCount(), flow.firstObserved(), flow.lastObserved(), flow.channels().size(), flow.channels(),
                lag ? Map.of(AnomalyKind.LAG, flow.lagFindings()) : null);
    }

    /** The summary of an analyzed timeline. */
    public static FlowSummary of(Timeline timeline) {
        Instant first = null;
        Instant last = null;
        // distinct channel names in first-appearance order: a list while few, then a set beside it
        List<String> channels = new ArrayList<>(4);
        Set<String> many = null;
        EnumMap<AnomalyKind, Integer> counts = null;
        for (TimelineEntry e : timeline.entries()) {
            for (CapturedEvent o : e.observations()) {
                Instant t = o.observedAt();
                first = first == null || t.isBefore(first) ? t : first;
                last = last == null || t.isAfter(last) ? t : last;
                String name = o.channel().name();
                if (many != null) {
                    if (many.add(name)) {
                        channels.add(name);
                    }
                } else if (!channels.contains(name)) {
                    channels.add(name);
                    if (channels.size() > 16) {
                        many = new HashSet<>(channels);
                    }
                }
            }
            for (Anomaly a : e.anomalies()) {
                if (counts == null) {
                    counts = new EnumMap<>(AnomalyKind.class);
                }
                counts.merge(a.kind(), 1, Integer::sum);
            }
        }
        return new FlowSummary(timeline.correlationId(), FlowCategory.of(timeline), timeline.verdict().message(),
                timeline.entries().size(), first == null ? Instant.EPOCH : first, last == null ? Instant.EPOCH : last,
                channels.size(), channels, counts);
    }

    /** The verdict kind. */
    public VerdictKind verdict() {
        return category.verdict();
    }

    /** The number of anomalies of this kind (0 when none). */
    public int count(AnomalyKind kind) {
        return anomalyCounts.getOrDefault(kind, 0);
    }

    /** This summary as the store keeps it. */
    public FlowRecord toRecord() {
        Map<String, Integer> counts = null;
        if (!anomalyCounts.isEmpty()) {
            counts = new LinkedHashMap<>();
            for (Map.Entry<AnomalyKind, Integer> e : anomalyCounts.entrySet()) {
                counts.put(e.getKey().name(), e.getValue());
            }
        }
        return new FlowRecord(correlationId, category.name(), category.storedRank(), verdictMessage, eventCount,
                firstObserved.toEpochMilli(), lastObserved.toEpochMilli(), channelCount, channels, counts);
    }

    /**
     * A stored summary, or null when it names a category this build does not know (a damaged or
     * foreign row: the store's values are untrusted, docs/decisions/0007-untrusted-capture-files.md).
     * Anomaly kinds this build does not know are left out; counts are clamped to {@code int}.
     */
    public static FlowSummary fromRecord(FlowRecord r) {
        FlowCategory category;
        try {
            category = FlowCategory.valueOf(r.category());
        } catch (IllegalArgumentException e) {
            return null;
        }
        EnumMap<AnomalyKind, Integer> counts = new EnumMap<>(AnomalyKind.class);
        r.anomalyCounts().forEach((name, n) -> {
            try {
                counts.put(AnomalyKind.valueOf(name), n);
            } catch (IllegalArgumentException e) {
                // a kind of a newer or foreign build: not shown
            }
        });
        return new FlowSummary(r.correlationId(), category, r.verdictMessage(),
                (int) Math.max(0, Math.min(Integer.MAX_VALUE, r.eventCount())),
                Instant.ofEpochMilli(r.firstObservedMs()), Instant.ofEpochMilli(r.lastObservedMs()),
                Math.max(0, r.channelCount()), r.channels(), counts);
    }
}
