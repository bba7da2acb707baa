package io.eventlens.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link SourcePosition} as the capture store keeps it for source kinds without an encoding of
 * their own: the answers the position gave when it was stored, returned unchanged. Reading a
 * capture never needs the class of the source that made it, so a capture of a source kind this
 * build does not know still opens and describes its events.
 *
 * @param sourceKind          see {@link SourcePosition#sourceKind()}; not blank
 * @param orderingStream      see {@link SourcePosition#orderingStream()}; may be null
 * @param messageCoordinates  see {@link SourcePosition#messageCoordinates()}; may be null
 * @param description         what {@link #describe()} returns; not null
 * @param attributes          see {@link SourcePosition#attributes()}: names in a stable order,
 *                            values {@link String}, {@link Integer}, {@link Long}, {@link Boolean}
 *                            or null; copied, unmodifiable
 * @param observedTimeMeaning see {@link SourcePosition#observedTimeMeaning()}; not null
 */
public record StoredPosition(String sourceKind, String orderingStream, String messageCoordinates, String description,
                             Map<String, Object> attributes, String observedTimeMeaning) implements SourcePosition {

    /**
     * @throws NullPointerException     when a required component is null
     * @throws IllegalArgumentException when {@code sourceKind} is blank or an attribute value is
     *                                  of a type other than those listed (naming the attribute)
     */
    public StoredPosition {
        Objects.requireNonNull(sourceKind, "sourceKind");
        if (sourceKind.isBlank()) {
            throw new IllegalArgumentException("sourceKind: must not be blank");
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(observedTimeMeaning, "observedTimeMeaning");
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : Objects.requireNonNull(attributes, "attributes").entrySet()) {
            Object v = a.getValue();
            if (!(v == null || v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean)) {
                throw new IllegalArgumentException("attributes: '" + a.getKey() + "' of a " + sourceKind
                        + " position is a " + v.getClass().getSimpleName() + "; allowed are String, Integer, Long, Boolean");
            }
            copy.put(Objects.requireNonNull(a.getKey(), "attribute name"), v);
        }
        attributes = Collections.unmodifiableMap(copy);
    }

    /**
     * The stored answers of {@code position}; {@code position} itself when it is a stored position
     * already (immutable), so a source can build it on the pipeline's worker threads instead of the
     * store's one writer thread (docs/decisions/0011-amqp-source.md).
     */
    public static StoredPosition of(SourcePosition position) {
        if (position instanceof StoredPosition stored) {
            return stored;
        }
        return new StoredPosition(position.sourceKind(), position.orderingStream(), position.messageCoordinates(),
                position.describe(), position.attributes(), position.observedTimeMeaning());
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
