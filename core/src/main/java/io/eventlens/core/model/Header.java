package io.eventlens.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One message header as the broker delivered it: a name and raw value bytes (a Kafka record
 * header, an AMQP header table entry encoded as UTF-8). Headers keep their delivered order and
 * may repeat a name.
 *
 * @param name  header name as delivered (case preserved)
 * @param value raw value bytes, or {@code null} for a header without a value
 */
public record Header(String name, byte[] value) {

    /**
     * Set by EventLens on a probe observation whose event names another correlation ID than the
     * one the probe was asked for; its value is the event's own ID (docs/decisions/0019-probe-source.md).
     * The analysis reports such an event as {@code FOREIGN_EVENT}.
     */
    public static final String PROBE_FOREIGN_CORRELATION_ID = "eventlens.probe.foreign-correlation-id";

    public Header {
        Objects.requireNonNull(name, "name");
    }

    /** A header whose value is the UTF-8 encoding of {@code value}. */
    public static Header ofString(String name, String value) {
        return new Header(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The value decoded as UTF-8, or {@code null} when the header has no value. */
    public String valueAsString() {
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && name.equals(h.name) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + valueAsString();
    }
}
