package io.eventlens.core.analysis;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A step a flow was expected to have and did not have (yet), by its flow family's learned or
 * declared expected flow (docs/reference/anomalies-and-verdicts.md, "Expected flows"). The app
 * draws it as a hollow marker at {@link #expectedAt()}; {@code timeline --format json} lists it in
 * {@code expectedSteps}.
 *
 * @param kind       {@link Kind#MISSING_STEP} (skipped while later steps came), {@link Kind#STOPPED}
 *                   (the next step is overdue at the capture's end) or {@link Kind#IN_FLIGHT}
 *                   (the next step is not overdue yet when the capture ends)
 * @param type       the expected event type (null when the step is untyped)
 * @param channel    the channel the step is expected on
 * @param expectedAt when it was expected: the time of the step before it plus the usual (p50) hop
 *                   latency, or that step's time plus the declared timeout
 * @param afterSeq   store sequence of the flow's step it was expected after, or 0
 * @param beforeSeq  store sequence of the flow's step that came in its place (a skipped step), or 0
 * @param message    one human sentence with the evidence
 * @param rule       rule id: {@code expected.learned-next}, {@code expected.learned-before},
 *                   {@code expected.declared-next}, {@code expected.declared-before}
 * @param evidence   the compared values by name (never null, insertion-ordered)
 */
public record ExpectedStep(Kind kind, String type, String channel, Instant expectedAt, long afterSeq, long beforeSeq,
                           String message, String rule, Map<String, Object> evidence) {

    /** What became of the expected step. */
    public enum Kind {
        /** Skipped: later steps came without it. */
        MISSING_STEP,
        /** Overdue when the capture ended: the flow stopped before it. */
        STOPPED,
        /** Not overdue yet when the capture ended: the flow is still in flight. */
        IN_FLIGHT
    }

    public ExpectedStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(expectedAt, "expectedAt");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(rule, "rule");
        evidence = evidence == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }

    /** {@code PaymentAuthorized on payments}; {@code (untyped) on payments} without a type. */
    public String label() {
        return (type == null ? "(untyped)" : type) + " on " + channel;
    }
}
