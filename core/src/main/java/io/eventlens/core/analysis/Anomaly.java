package io.eventlens.core.analysis;

import java.util.Map;
import java.util.Objects;

/**
 * A finding on one event of a timeline. Every anomaly says why it fired: {@link #rule()} names the
 * rule and {@link #evidence()} holds the values it compared.
 *
 * @param kind     the anomaly kind
 * @param message  a human sentence, for example
 *                 {@code "payment-3 took 4.2 s after orders (SLO 2 s)"}
 * @param rule     short rule id, for example {@code "lag.previous-step"}
 * @param evidence the compared values by name (strings, numbers; insertion-ordered); never null
 * @param relatedSeq store sequence of the event this one is compared with (the original of a
 *                 duplicate, the previous step of a lag), or 0 when there is none
 */
public record Anomaly(AnomalyKind kind, String message, String rule, Map<String, Object> evidence, long relatedSeq) {

    public Anomaly {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(rule, "rule");
        evidence = evidence == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }
}
