package io.eventlens.app.ui.flows;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One row of the Flows panel: the summary of one analyzed correlation ID (no events are kept).
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

    /** The summary of an analyzed timeline. */
    public static FlowRow of(Timeline timeline) {
        Instant last = Instant.EPOCH;
        for (TimelineEntry e : timeline.entries()) {
            if (e.event().observedAt() != null && e.event().observedAt().isAfter(last)) {
                last = e.event().observedAt();
            }
        }
        return new FlowRow(timeline.correlationId(), FlowCategory.of(timeline), timeline.verdict().message(),
                timeline.entries().size(), last);
    }

    /** The verdict kind. */
    public VerdictKind verdict() {
        return category.verdict();
    }
}
