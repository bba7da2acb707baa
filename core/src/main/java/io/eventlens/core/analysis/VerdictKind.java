package io.eventlens.core.analysis;

/** The kinds of verdict, in the order a person triages (docs/reference/anomalies-and-verdicts.md, "Verdicts"). */
public enum VerdictKind {
    NO_EVENTS,
    DEAD_LETTERED,
    STOPPED,
    MISSING_STEP,
    CONFLICTING_DUPLICATE,
    OUT_OF_ORDER,
    LAG,
    IN_FLIGHT,
    HEALTHY
}
