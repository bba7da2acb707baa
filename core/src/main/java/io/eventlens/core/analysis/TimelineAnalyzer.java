package io.eventlens.core.analysis;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;

/**
 * Computes a {@link Timeline}: orders the events of one correlation ID, finds anomalies by the rules
 * of DESIGN.md ("Anomaly kinds") and gives the verdict ("The verdict"). A pure function of its
 * input events and settings: no I/O, no clock.
 */
public final class TimelineAnalyzer {

    private final AnalysisSettings settings;

    /** An analyzer with these thresholds. */
    public TimelineAnalyzer(AnalysisSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
    }

    /** The settings in force. */
    public AnalysisSettings settings() {
        return settings;
    }

    /**
     * Analyzes the events of one correlation ID.
     *
     * @param correlationId the correlation ID asked for
     * @param events        its captured events in any order (usually store order); may be empty
     * @return the timeline in observed order, with anomalies and verdict
     */
    public Timeline analyze(String correlationId, List<CapturedEvent> events) {
        throw new UnsupportedOperationException("TODO: analysis (issue 2)");
    }
}
