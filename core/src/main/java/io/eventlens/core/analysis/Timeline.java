package io.eventlens.core.analysis;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * All captured events of one correlation ID across all channels, in observed order, with their
 * anomalies and the verdict. Computed by {@link TimelineAnalyzer}; free of any UI type so the
 * desktop app and the CLI give the same answers.
 *
 * @param correlationId the correlation ID
 * @param entries       events in observed order (observed time, then store sequence)
 * @param verdict       the verdict
 * @param expectedSteps steps the flow's expected flow wanted and the flow did not have (skipped,
 *                      overdue or still awaited), in the order found; empty when no expected flow
 *                      applies (docs/reference/anomalies-and-verdicts.md, "Expected flows")
 * @param consumption   who consumed each Kafka event, by the store sequence of the entry's first
 *                      observation; empty when no consumer groups were followed (docs/decisions/0021-consumer-groups.md)
 */
public record Timeline(String correlationId, List<TimelineEntry> entries, Verdict verdict,
                       List<ExpectedStep> expectedSteps, Map<Long, Consumption> consumption) {
    public Timeline {
        Objects.requireNonNull(correlationId, "correlationId");
        entries = List.copyOf(entries);
        Objects.requireNonNull(verdict, "verdict");
        expectedSteps = expectedSteps == null ? List.of() : List.copyOf(expectedSteps);
        consumption = consumption == null ? Map.of() : Map.copyOf(consumption);
    }

    /** A timeline without consumer-group progress. */
    public Timeline(String correlationId, List<TimelineEntry> entries, Verdict verdict, List<ExpectedStep> expectedSteps) {
        this(correlationId, entries, verdict, expectedSteps, Map.of());
    }

    /** Who consumed the entry's event, or null when no followed group reads its topic (or it is no Kafka event). */
    public Consumption consumptionOf(TimelineEntry entry) {
        return consumption.get(entry.event().seq());
    }

    /** This timeline with consumer-group progress and the verdict it leads to. */
    public Timeline withConsumption(Map<Long, Consumption> byEntrySeq, Verdict newVerdict) {
        return new Timeline(correlationId, entries, newVerdict, expectedSteps, byEntrySeq);
    }

    /** A timeline judged without an expected flow. */
    public Timeline(String correlationId, List<TimelineEntry> entries, Verdict verdict) {
        this(correlationId, entries, verdict, List.of());
    }

    /**
     * The number of anomalies of each kind on this timeline; every {@link AnomalyKind} is a key
     * (0 when absent), in declaration order.
     */
    public Map<AnomalyKind, Integer> anomalyCounts() {
        Map<AnomalyKind, Integer> counts = new EnumMap<>(AnomalyKind.class);
        for (AnomalyKind k : AnomalyKind.values()) {
            counts.put(k, 0);
        }
        for (TimelineEntry entry : entries) {
            for (Anomaly a : entry.anomalies()) {
                counts.merge(a.kind(), 1, Integer::sum);
            }
        }
        return Collections.unmodifiableMap(counts);
    }

    /** True when any event of the timeline has an anomaly of this kind (for {@code --fail-on}). */
    public boolean has(AnomalyKind kind) {
        return entries.stream().anyMatch(e -> e.has(kind));
    }
}
