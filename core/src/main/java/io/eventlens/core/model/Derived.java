package io.eventlens.core.model;

import java.util.Objects;

/**
 * One derived field's value together with the extraction rule that found it, so the UI can say
 * where a value came from (for example {@code header correlationId} or {@code json /data/correlationId}).
 *
 * @param value the value found; never null
 * @param rule  a human description of the rule that matched; never blank
 * @param <T>   value type ({@link String}, {@link java.time.Instant} or {@link Long})
 */
public record Derived<T>(T value, String rule) {

    public Derived {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(rule, "rule");
    }
}
