package io.eventlens.core.extract;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import java.time.Instant;
import java.util.List;

/**
 * Finds the derived fields of a message by {@link ExtractionRules} (DESIGN.md, "Default extraction
 * rules"; first match wins). Thread-safe; sits on the capture hot path, so it parses a JSON payload
 * at most once and only when a header did not already answer every field.
 */
public final class EventExtractor {

    private final ExtractionRules rules;

    /** An extractor applying these rules. */
    public EventExtractor(ExtractionRules rules) {
        this.rules = java.util.Objects.requireNonNull(rules, "rules");
    }

    /** An extractor applying the default rules. */
    public static EventExtractor withDefaults() {
        return new EventExtractor(ExtractionRules.defaults());
    }

    /**
     * Extracts the derived fields of one message.
     *
     * @param channel    the channel it was observed on (part of a synthetic event ID)
     * @param key        key bytes or {@code null}
     * @param headers    headers in delivered order
     * @param payload    payload bytes or {@code null}; need not be JSON
     * @return the derived fields; never null. Never throws on bad payloads: an unparseable payload
     *         simply matches no JSON rule.
     */
    public DerivedFields extract(Channel channel, byte[] key, List<Header> headers, byte[] payload) {
        throw new UnsupportedOperationException("TODO: extraction (issue 2)");
    }
}
