package io.eventlens.core.flowmodel;

import io.eventlens.core.analysis.VerdictKind;
import java.util.Objects;

/**
 * What the expected flows say about one flow of the capture, found while learning (every flow is
 * judged against the model once): for the app's Flows panel, which lists STOPPED and MISSING_STEP
 * flows among the worst.
 *
 * @param correlationId  the flow's correlation ID
 * @param kind           STOPPED, MISSING_STEP, LAG (a learned or declared hop limit) or IN_FLIGHT
 * @param message        the evidence of its first expected step or finding
 * @param family         the family's name
 * @param firstObservedMs the flow's first step, epoch ms
 * @param lastObservedMs the flow's last step, epoch ms
 * @param steps          its number of steps
 */
public record FlowVerdict(String correlationId, VerdictKind kind, String message, String family, long firstObservedMs,
                          long lastObservedMs, int steps) {
    public FlowVerdict {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
