package io.eventlens.core.analysis;

import java.util.List;
import java.util.Objects;

/**
 * All captured events of one correlation ID across all channels, in observed order, with their
 * anomalies and the verdict. Computed by {@link TimelineAnalyzer}; free of any UI type so the
 * desktop app and the CLI give the same answers.
 *
 * @param correlationId the correlation ID
 * @param entries       events in observed order (observed time, then store sequence)
 * @param verdict       the verdict
 */
public record Timeline(String correlationId, List<TimelineEntry> entries, Verdict verdict) {
    public Timeline {
        Objects.requireNonNull(correlationId, "correlationId");
        entries = List.copyOf(entries);
        Objects.requireNonNull(verdict, "verdict");
    }
}
