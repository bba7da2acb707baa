package io.eventlens.core.analysis;

/** The kinds of verdict, in the order a person triages (docs/reference/anomalies-and-verdicts.md, "Verdicts"). */
public enum VerdictKind {
    NO_EVENTS,
    DEAD_LETTERED,
    STOPPED,
    MISSING_STEP,
    /** An event broke its contract (and was not dead-lettered: a dead letter's verdict names the contract first). */
    CONTRACT_VIOLATION,
    ISOLATION_BROKEN,
    CONFLICTING_DUPLICATE,
    OUT_OF_ORDER,
    LAG,
    IN_FLIGHT,
    HEALTHY
}
