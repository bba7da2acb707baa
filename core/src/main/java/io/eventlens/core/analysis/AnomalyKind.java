package io.eventlens.core.analysis;

/**
 * The kinds of anomaly EventLens reports; the rules of each are in
 * docs/reference/anomalies-and-verdicts.md. New kinds are added at the end: the JSON output lists
 * {@code summary.byKind} in this order.
 */
public enum AnomalyKind {
    /** An event ID delivered again on the same channel by the same source with an identical payload. */
    DUPLICATE,
    /** An event ID seen earlier in the timeline with different content. */
    CONFLICTING_DUPLICATE,
    /** A sequence regression within one ordering stream (channel, broker ordering stream, key). */
    OUT_OF_ORDER,
    /** A hop slower than its SLO, or an event observed long after its own declared time. */
    LAG,
    /** The event was observed on a dead-letter channel or carries dead-letter headers. */
    DEAD_LETTERED,
    /** The event is a retry copy or carries a delivery count above 1. */
    RETRIED,
    /** The event's declared time is later than its observed time beyond the tolerance. */
    CLOCK_SKEW,
    /** An expected step of the flow was skipped (needs an expected flow; not detected yet). */
    MISSING_STEP,
    /** A probe returned an event of another correlation ID (needs a probe source; not detected yet). */
    FOREIGN_EVENT,
    /**
     * A stream's sequence fell back to its start (a producer restarted its numbering): one finding
     * per restart, a note rather than a fault.
     */
    SEQUENCE_RESTART,
    /**
     * The event's payload broke the contract (schema) that applies to it, or its CloudEvents
     * envelope broke the CloudEvents 1.0 rules; only when contracts are given
     * ({@link TimelineAnalyzer#withContracts(ContractChecker)}).
     */
    CONTRACT_VIOLATION
}
