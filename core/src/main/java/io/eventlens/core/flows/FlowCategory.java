package io.eventlens.core.flows;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.VerdictKind;

/**
 * How a flow (one correlation ID's timeline) is ranked, most severe first, in the app's Flows panel
 * and in the stored flow summaries: the verdict order of docs/reference/anomalies-and-verdicts.md,
 * then a healthy flow with notes (benign duplicates, retries, clock skew or a sequence restart:
 * findings that are no verdict), then a plain healthy flow. The declaration order is the order;
 * the stored rank is {@link #storedRank()} (docs/decisions/0009-flow-summaries.md), so new categories
 * go where they rank and a stored rank is never read back as a category (its name is).
 */
public enum FlowCategory {
    /** An event of the flow was dead-lettered. */
    DEAD_LETTERED(VerdictKind.DEAD_LETTERED, "Dead-lettered", 0),
    /** The expected next step is overdue at the capture's end (expected flows). */
    STOPPED(VerdictKind.STOPPED, "Stopped", 1),
    /** A step nearly every flow of the family has was skipped (expected flows). */
    MISSING_STEP(VerdictKind.MISSING_STEP, "Missing step", 1),
    /** An event broke its contract (only when the flow was analyzed with contracts). */
    CONTRACT_VIOLATION(VerdictKind.CONTRACT_VIOLATION, "Contract", 1),
    /** A probe returned events of other correlation IDs for this one. */
    ISOLATION_BROKEN(VerdictKind.ISOLATION_BROKEN, "Isolation", 1),
    /** An event ID was seen again with a different payload. */
    CONFLICTING_DUPLICATE(VerdictKind.CONFLICTING_DUPLICATE, "Conflicting", 2),
    /** A sequence went backwards. */
    OUT_OF_ORDER(VerdictKind.OUT_OF_ORDER, "Out of order", 3),
    /** A hop exceeded its latency SLO. */
    LAG(VerdictKind.LAG, "Lag", 4),
    /** No events (only when a timeline of an unknown ID was analyzed). */
    NO_EVENTS(VerdictKind.NO_EVENTS, "No events", 5),
    /** Still in flight when the capture ended: its next step was not overdue yet (expected flows). */
    IN_FLIGHT(VerdictKind.IN_FLIGHT, "In flight", 5),
    /** Healthy, with notes: benign duplicates, retries, clock skew or sequence restarts. */
    HEALTHY_WITH_NOTES(VerdictKind.HEALTHY, "Notes", 6),
    /** Healthy, no anomalies at all. */
    HEALTHY(VerdictKind.HEALTHY, "Healthy", 7);

    private final VerdictKind verdict;
    private final String label;
    private final int storedRank;

    FlowCategory(VerdictKind verdict, String label, int storedRank) {
        this.verdict = verdict;
        this.label = label;
        this.storedRank = storedRank;
    }

    /**
     * The rank a stored flow summary keeps ({@code flow_summary.category_rank}): the ordinal of the
     * categories known before expected flows (0 to 7), so files written before them sort and filter
     * the same. The expected-flow categories (STOPPED's neighbour MISSING_STEP, IN_FLIGHT) share the
     * rank of their neighbour; stored summaries never have them (the summaries do not know expected
     * flows, docs/decisions/0017-expected-flows.md). Non-decreasing in declaration order.
     */
    public int storedRank() {
        return storedRank;
    }

    /** The verdict kind of flows in this category. */
    public VerdictKind verdict() {
        return verdict;
    }

    /** A short human label for the header counts ("Dead-lettered", "Lag", "Notes"). */
    public String label() {
        return label;
    }

    /** True for a plain healthy flow (hidden unless "show healthy flows too" is on). */
    public boolean plainHealthy() {
        return this == HEALTHY;
    }

    /** True for the categories of flows that went wrong: every category before the healthy ones. */
    public boolean wentWrong() {
        return compareTo(HEALTHY_WITH_NOTES) < 0;
    }

    /** The category of an analyzed timeline. */
    public static FlowCategory of(Timeline timeline) {
        return switch (timeline.verdict().kind()) {
            case DEAD_LETTERED -> DEAD_LETTERED;
            case STOPPED -> STOPPED;
            case MISSING_STEP -> MISSING_STEP;
            case IN_FLIGHT -> IN_FLIGHT;
            case CONTRACT_VIOLATION -> CONTRACT_VIOLATION;
            case ISOLATION_BROKEN -> ISOLATION_BROKEN;
            case CONFLICTING_DUPLICATE -> CONFLICTING_DUPLICATE;
            case OUT_OF_ORDER -> OUT_OF_ORDER;
            case LAG -> LAG;
            case NO_EVENTS -> NO_EVENTS;
            case HEALTHY -> anyAnomaly(timeline) ? HEALTHY_WITH_NOTES : HEALTHY;
        };
    }

    private static boolean anyAnomaly(Timeline timeline) {
        for (var e : timeline.entries()) {
            if (!e.anomalies().isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
