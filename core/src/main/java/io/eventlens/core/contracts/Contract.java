package io.eventlens.core.contracts;

import com.networknt.schema.Schema;
import java.util.Objects;

/**
 * One loaded contract: which events it applies to and the schema their payload must satisfy
 * (docs/reference/contracts.md).
 *
 * @param name           the contract's name, for example {@code "payments/v3"}
 * @param channel        the channel it applies to, or null for any channel
 * @param type           the event type it applies to, or null for any type (at least one of
 *                       channel and type is set, except for contracts found only by {@code dataschema})
 * @param schemaRef      where the schema is, for people: a file relative to the contracts folder,
 *                       with {@code #/pointer} into an AsyncAPI document; null when envelope rules only
 * @param envelope       the envelope of the events: {@link Envelope#NONE} or
 *                       {@link Envelope#CLOUDEVENTS} (then the schema applies to {@code /data})
 * @param payloadPointer a JSON Pointer to the member the schema applies to, or null for the whole payload
 * @param declaredIn     where it was declared, for people: {@code "eventlens-contracts.yaml contracts[2]"},
 *                       {@code "AsyncAPI shop.asyncapi.yaml"}
 * @param schema         the compiled schema, or null when envelope rules only
 */
public record Contract(String name, String channel, String type, String schemaRef, Envelope envelope,
                       String payloadPointer, String declaredIn, Schema schema) {

    /** The envelope around the event's data. */
    public enum Envelope {
        /** The payload is the event. */
        NONE,
        /** A CloudEvents 1.0 structured-mode JSON envelope: attributes checked, schema on {@code /data}. */
        CLOUDEVENTS
    }

    public Contract {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(declaredIn, "declaredIn");
    }

    /** {@code " (AsyncAPI shop.yaml)"}: where it was declared, as a suffix of a "matched by" text. */
    String origin() {
        return " (" + declaredIn + ")";
    }
}
