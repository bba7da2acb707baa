package io.eventlens.core.extract;

import com.fasterxml.jackson.core.JsonPointer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where to read each derived field: header names, CloudEvents attributes, JSON Pointers into the
 * payload and the W3C {@code traceparent} header, in priority order (first match wins).
 *
 * <p>Immutable and thread-safe. {@link #defaults()} gives the default rules of
 * docs/reference/extraction-rules.md;
 * other rule sets are built fluently and validated when built:
 * <pre>{@code
 * ExtractionRules rules = ExtractionRules.defaults().toBuilder()
 *         .correlationId(header("x-request-id"), json("/meta/requestId"))
 *         .build();
 * }</pre>
 * Header names are compared case-insensitively. JSON Pointers follow RFC 6901.
 */
public final class ExtractionRules {

    /** The derived fields that rules can fill (see {@link io.eventlens.core.model.DerivedFields}). */
    public enum Field {
        /** The correlation ID: the key of a timeline. */
        CORRELATION_ID("correlationId"),
        /** The event ID (identity for duplicate detection). */
        EVENT_ID("eventId"),
        /** The event type. */
        EVENT_TYPE("eventType"),
        /** The event's own declared time: ISO-8601 text or epoch milliseconds. */
        EVENT_TIME("eventTime"),
        /** The sequence number: an integer. */
        SEQUENCE("sequence"),
        /** The ID of the event that caused this one. */
        CAUSATION_ID("causationId");

        private final String label;

        Field(String label) {
            this.label = label;
        }

        /** The field's name as used in messages and in the builder, e.g. {@code correlationId}. */
        public String label() {
            return label;
        }
    }

    /**
     * One place to read a field from. Sealed: a header, a JSON Pointer, a CloudEvents attribute
     * (binary-mode headers or structured-mode JSON), or the trace-id of a W3C {@code traceparent}.
     */
    public sealed interface Source permits HeaderSource, JsonSource, CloudEventsSource, TraceparentSource {
        /** The human rule text recorded with a value it found, e.g. {@code header correlationId}. */
        String describe();
    }

    /**
     * A message header, compared case-insensitively. The first header of that name counts.
     *
     * @param name header name; not blank
     */
    public record HeaderSource(String name) implements Source {
        @Override
        public String describe() {
            return "header " + name;
        }
    }

    /**
     * A JSON Pointer (RFC 6901) into a payload whose first non-blank byte is <code>{</code>.
     * Strings and integral numbers match; {@code null}, booleans, objects and arrays do not.
     *
     * @param pointer the pointer, for example {@code /data/correlationId}; starts with {@code /}
     */
    public record JsonSource(String pointer) implements Source {
        @Override
        public String describe() {
            return "json " + pointer;
        }
    }

    /**
     * A CloudEvents context attribute (CloudEvents 1.0 protocol bindings): the Kafka binary-mode
     * header {@code ce_<attr>}, the AMQP headers {@code cloudEvents_<attr>} or
     * {@code cloudEvents:<attr>}, the HTTP header {@code ce-<attr>}, or in a JSON payload the
     * top-level member {@code /<attr>} when the payload is a CloudEvents envelope (it has
     * {@code /specversion}, or the {@code content-type} header is
     * {@code application/cloudevents+json}).
     *
     * @param attribute the attribute name: 1 to 20 lowercase letters or digits, e.g. {@code id}
     */
    public record CloudEventsSource(String attribute) implements Source {
        @Override
        public String describe() {
            return "CloudEvents ce_" + attribute;
        }
    }

    /**
     * The trace-id of a valid W3C Trace Context {@code traceparent} header
     * ({@code version-traceid-parentid-flags}, 2-32-16-2 lowercase hex). Correlation ID only.
     */
    public record TraceparentSource() implements Source {
        @Override
        public String describe() {
            return "traceparent trace-id";
        }
    }

    private static final Pattern CE_ATTRIBUTE = Pattern.compile("[a-z0-9]{1,20}");

    private static final ExtractionRules DEFAULTS = builder()
            .correlationId(cloudEvents("correlationid"), header("correlationId"), header("correlation-id"),
                    header("x-correlation-id"), header("kafka_correlationId"), header("amqp.correlation_id"),
                    json("/correlationId"), json("/correlation_id"), json("/metadata/correlationId"),
                    json("/data/correlationId"), traceparent())
            .eventId(cloudEvents("id"), header("eventId"), header("event-id"), header("message-id"),
                    header("amqp.message_id"), json("/eventId"), json("/id"))
            .eventType(cloudEvents("type"), header("eventType"), header("type"), header("amqp.type"),
                    json("/eventType"), json("/type"))
            .eventTime(cloudEvents("time"), json("/timestamp"), json("/createdAt"), json("/time"),
                    header("amqp.timestamp"))
            .sequence(cloudEvents("sequence"), header("sequence"), header("seq"), header("version"),
                    json("/sequence"), json("/seq"), json("/version"))
            .causationId(header("causationId"), header("causation-id"), json("/causationId"))
            .build();

    private final Map<Field, List<Source>> sources;

    private ExtractionRules(Map<Field, List<Source>> sources) {
        this.sources = sources;
    }

    /**
     * The default rules (docs/reference/extraction-rules.md), first match wins:
     * <ul>
     * <li>correlation ID: the CloudEvents extension attribute {@code correlationid} (binary mode
     *     {@code ce_correlationid}, structured mode {@code /correlationid}); headers {@code correlationId},
     *     {@code correlation-id}, {@code x-correlation-id}, {@code kafka_correlationId}; JSON {@code /correlationId},
     *     {@code /correlation_id}, {@code /metadata/correlationId}, {@code /data/correlationId};
     *     the trace-id of {@code traceparent} last;</li>
     * <li>event ID: CloudEvents {@code id}; headers {@code eventId}, {@code event-id}, {@code message-id};
     *     JSON {@code /eventId}, {@code /id};</li>
     * <li>event type: CloudEvents {@code type}; headers {@code eventType}, {@code type}; JSON
     *     {@code /eventType}, {@code /type};</li>
     * <li>event time: CloudEvents {@code time}; JSON {@code /timestamp}, {@code /createdAt}, {@code /time};</li>
     * <li>sequence: the CloudEvents Sequence extension {@code sequence} (a string holding an integer);
     *     headers then JSON {@code sequence}, {@code seq}, {@code version};</li>
     * <li>causation ID: headers {@code causationId}, {@code causation-id}; JSON {@code /causationId}.</li>
     * </ul>
     * AMQP basic properties are headers named {@code amqp.<property>} (docs/reference/extraction-rules.md,
     * "AMQP messages"): {@code amqp.correlation_id} after the correlation headers, {@code amqp.message_id}
     * after the event-ID headers, {@code amqp.type} after the type headers, {@code amqp.timestamp} after
     * the JSON time rules.
     */
    public static ExtractionRules defaults() {
        return DEFAULTS;
    }

    /** A builder with no rules for any field. */
    public static Builder builder() {
        return new Builder(new EnumMap<>(Field.class));
    }

    /** A builder starting from these rules. */
    public Builder toBuilder() {
        return new Builder(new EnumMap<>(sources));
    }

    /** The sources of one field in priority order; never null, possibly empty. */
    public List<Source> sources(Field field) {
        return sources.getOrDefault(Objects.requireNonNull(field, "field"), List.of());
    }

    /** A header source. @throws IllegalArgumentException when the name is blank */
    public static Source header(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("header name must not be blank, was " + quote(name));
        }
        return new HeaderSource(name);
    }

    /** A JSON Pointer source. @throws IllegalArgumentException when the pointer is not a non-empty RFC 6901 pointer */
    public static Source json(String pointer) {
        if (pointer == null || pointer.isEmpty() || pointer.charAt(0) != '/') {
            throw new IllegalArgumentException("JSON pointer must start with '/', was " + quote(pointer));
        }
        try {
            JsonPointer.compile(pointer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid JSON pointer " + quote(pointer) + ": " + e.getMessage(), e);
        }
        return new JsonSource(pointer);
    }

    /** A CloudEvents attribute source. @throws IllegalArgumentException unless 1-20 lowercase letters/digits */
    public static Source cloudEvents(String attribute) {
        if (attribute == null || !CE_ATTRIBUTE.matcher(attribute).matches()) {
            throw new IllegalArgumentException(
                    "CloudEvents attribute must be 1-20 lowercase letters or digits, was " + quote(attribute));
        }
        return new CloudEventsSource(attribute);
    }

    /** The W3C {@code traceparent} trace-id source (correlation ID only). */
    public static Source traceparent() {
        return new TraceparentSource();
    }

    /**
     * Parses one rule from its {@link Source#describe()} text: {@code header NAME}, {@code json /POINTER},
     * {@code CloudEvents ce_ATTR} or {@code traceparent trace-id}. Used for user-edited rules.
     *
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    public static Source parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.startsWith("header ")) {
            return header(t.substring(7).strip());
        }
        if (t.startsWith("json ")) {
            return json(t.substring(5).strip());
        }
        if (t.startsWith("CloudEvents ce_")) {
            return cloudEvents(t.substring(15).strip());
        }
        if (t.equals("traceparent trace-id") || t.equals("traceparent")) {
            return traceparent();
        }
        throw new IllegalArgumentException("extraction rule " + quote(text)
                + " is not one of 'header NAME', 'json /POINTER', 'CloudEvents ce_ATTR', 'traceparent trace-id'");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExtractionRules r && sources.equals(r.sources);
    }

    @Override
    public int hashCode() {
        return sources.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ExtractionRules[");
        for (Field f : Field.values()) {
            sb.append(f.label()).append('=').append(sources(f).stream().map(Source::describe).toList()).append(' ');
        }
        return sb.append(']').toString();
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }

    /**
     * Fluent builder; each setter replaces the sources of one field. {@link #build()} validates.
     * Not thread-safe.
     */
    public static final class Builder {
        private final EnumMap<Field, List<Source>> sources;

        private Builder(EnumMap<Field, List<Source>> sources) {
            this.sources = sources;
        }

        /** Sets the sources of one field, in priority order (an empty list turns the field off). */
        public Builder sources(Field field, List<Source> fieldSources) {
            Objects.requireNonNull(field, "field");
            if (fieldSources == null) {
                throw new IllegalArgumentException("extraction rules: " + field.label() + " sources must not be null");
            }
            sources.put(field, new ArrayList<>(fieldSources));
            return this;
        }

        /** Sets the correlation ID sources. */
        public Builder correlationId(Source... s) {
            return sources(Field.CORRELATION_ID, listOf(s));
        }

        /** Sets the event ID sources. */
        public Builder eventId(Source... s) {
            return sources(Field.EVENT_ID, listOf(s));
        }

        /** Sets the event type sources. */
        public Builder eventType(Source... s) {
            return sources(Field.EVENT_TYPE, listOf(s));
        }

        /** Sets the event time sources. */
        public Builder eventTime(Source... s) {
            return sources(Field.EVENT_TIME, listOf(s));
        }

        /** Sets the sequence sources. */
        public Builder sequence(Source... s) {
            return sources(Field.SEQUENCE, listOf(s));
        }

        /** Sets the causation ID sources. */
        public Builder causationId(Source... s) {
            return sources(Field.CAUSATION_ID, listOf(s));
        }

        private static List<Source> listOf(Source[] s) {
            return s == null ? null : java.util.Arrays.asList(s);
        }

        /**
         * The immutable rules.
         *
         * @throws IllegalArgumentException naming the field and position of a null source, or of a
         *                                  {@code traceparent} source on a field other than correlationId
         */
        public ExtractionRules build() {
            EnumMap<Field, List<Source>> copy = new EnumMap<>(Field.class);
            for (Field f : Field.values()) {
                List<Source> list = sources.getOrDefault(f, List.of());
                for (int i = 0; i < list.size(); i++) {
                    Source s = list.get(i);
                    if (s == null) {
                        throw new IllegalArgumentException("extraction rules: " + f.label() + "[" + i + "] is null");
                    }
                    if (s instanceof TraceparentSource && f != Field.CORRELATION_ID) {
                        throw new IllegalArgumentException("extraction rules: " + f.label() + "[" + i
                                + "]: traceparent trace-id can only give a correlationId");
                    }
                    // Records built directly (not via the factories) are validated here too.
                    try {
                        switch (s) {
                            case HeaderSource h -> header(h.name());
                            case JsonSource j -> json(j.pointer());
                            case CloudEventsSource c -> cloudEvents(c.attribute());
                            case TraceparentSource t -> { }
                        }
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(
                                "extraction rules: " + f.label() + "[" + i + "]: " + e.getMessage(), e);
                    }
                }
                copy.put(f, List.copyOf(list));
            }
            return new ExtractionRules(Collections.unmodifiableMap(copy));
        }
    }
}
