package io.eventlens.core.flowmodel;

import java.time.Duration;
import java.util.Objects;

/**
 * One step of a declared flow (docs/reference/flow-files.md).
 *
 * @param step     the event type on its channel
 * @param optional true when a flow may lack it (never MISSING_STEP, never waited for)
 * @param terminal true when a flow that reached it is complete (never STOPPED after it)
 * @param timeout  how long after the flow's previous step it may take before the flow counts as
 *                 STOPPED; null for the learned figure or the default
 * @param slo      the slowest hop into it that is not LAG; null for none
 * @param stage    the position of its item in the flow's {@code steps} list (0-based)
 * @param branch   its branch within a {@code parallel} item (0 outside one)
 * @param index    its position within its branch (0 outside a {@code parallel} item)
 * @param line     the line of the flow file that declares it (1-based)
 */
public record DeclaredStep(Step step, boolean optional, boolean terminal, Duration timeout, Duration slo, int stage,
                           int branch, int index, int line) {

    public DeclaredStep {
        Objects.requireNonNull(step, "step");
    }

    /**
     * Whether this step comes before {@code other} in every run of the flow: an earlier item of
     * {@code steps}, or earlier in the same parallel branch. Steps of different branches of one
     * {@code parallel} item come in any order.
     */
    public boolean before(DeclaredStep other) {
        return stage < other.stage || (stage == other.stage && branch == other.branch && index < other.index);
    }
}
