package io.eventlens.core.analysis;

/** The kinds of anomaly EventLens reports (DESIGN.md, "Anomaly kinds"). */
public enum AnomalyKind {
    DUPLICATE,
    CONFLICTING_DUPLICATE,
    OUT_OF_ORDER,
    LAG,
    DEAD_LETTERED,
    RETRIED,
    CLOCK_SKEW,
    MISSING_STEP,
    FOREIGN_EVENT
}
