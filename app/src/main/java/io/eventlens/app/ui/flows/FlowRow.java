package io.eventlens.app.ui.flows;

import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.flows.FlowCategory;
import io.eventlens.core.flows.FlowSummary;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the Flows panel: the stored summary of one correlation ID's flow (no events are kept).
 *
 * @param correlationId the correlation ID
 * @param category      its rank (verdict kind, healthy with notes, healthy)
 * @param message       the one-line verdict message
 * @param eventCount    the number of events on the timeline
 * @param lastObserved  the latest observed time on the timeline ({@link Instant#EPOCH} when none)
 */
public record FlowRow(String correlationId, FlowCategory category, String message, int eventCount, Instant lastObserved) {

    /** Most severe first; within a category the most recently observed first, then by correlation ID. */
    public static final Comparator<FlowRow> MOST_SEVERE_FIRST = Comparator.comparing(FlowRow::category)
            .thenComparing(FlowRow::lastObserved, Comparator.reverseOrder())
            .thenComparing(FlowRow::correlationId);

    public FlowRow {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(lastObserved, "lastObserved");
    }

    /** The row of a flow summary. */
    public static FlowRow of(FlowSummary s) {
        return new FlowRow(s.correlationId(), s.category(), s.verdictMessage(), s.eventCount(), s.lastObserved());
    }

    /** The verdict kind. */
    public VerdictKind verdict() {
        return category.verdict();
    }

    /** Where the next page of flows starts after this row ({@link FlowSummary#WORST_FIRST} compares only these fields). */
    FlowSummary cursor() {
        return new FlowSummary(correlationId, category, message, eventCount, lastObserved, lastObserved, 0, List.of(),
                Map.of());
    }
}
