package io.eventlens.core.replay;

import io.eventlens.core.store.ReplayLog;
import java.util.List;

/**
 * What a replay run (or resume) did.
 *
 * @param replayId            the run's ID
 * @param replayCorrelationId the fresh correlation ID, or null
 * @param state               {@code COMPLETED}, {@code FAILED} (a send failed or its outcome is
 *                            unknown: resume it), or {@code CANCELLED}
 * @param total               sends in the run
 * @param sentNow             sends acknowledged in this call
 * @param alreadySent         sends found sent before this call (resume): logged as sent, or read
 *                            back from the target by their replay marker
 * @param reconciled          of {@code alreadySent}, those found on the target by their marker
 * @param remaining           sends not acknowledged when this call ended
 * @param sends               each send handled in this call, in order
 * @param gapFidelity         achieved vs asked gaps of this call's sends
 * @param elapsedMs           how long this call sent, milliseconds
 */
public record ReplayResult(String replayId, String replayCorrelationId, String state, int total, int sentNow,
                           int alreadySent, int reconciled, int remaining, List<SendReport> sends,
                           GapFidelity gapFidelity, long elapsedMs) {

    public ReplayResult {
        sends = List.copyOf(sends);
    }

    /**
     * One send's outcome.
     *
     * @param index    the send's index
     * @param outcome  {@code SENT}, {@code FAILED} or {@code IN_FLIGHT} (unknown)
     * @param position where it landed, or null
     * @param message  the error, or a note (a partition the target lacks), or null
     */
    public record SendReport(int index, ReplayLog.Outcome outcome, String position, String message) {
    }

    /** True when every send was acknowledged. */
    public boolean completed() {
        return "COMPLETED".equals(state);
    }
}
