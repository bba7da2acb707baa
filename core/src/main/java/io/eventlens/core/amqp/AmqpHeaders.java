package io.eventlens.core.amqp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import io.eventlens.core.model.Header;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * The header encoding contract of AMQP messages (docs/reference/extraction-rules.md, "AMQP messages"):
 * how basic properties and the header table of an AMQP 0-9-1 message become {@link Header}s.
 *
 * <ul>
 * <li>Basic properties come first, named {@code amqp.<property>} as AMQP 0-9-1 spells them:
 *     {@code amqp.content_type}, {@code amqp.content_encoding}, {@code amqp.delivery_mode},
 *     {@code amqp.priority}, {@code amqp.correlation_id}, {@code amqp.reply_to},
 *     {@code amqp.expiration}, {@code amqp.message_id}, {@code amqp.timestamp}, {@code amqp.type},
 *     {@code amqp.user_id}, {@code amqp.app_id}; absent properties give no header.</li>
 * <li>Then each entry of the header table, under its own name, its value encoded as: strings
 *     ({@code LongString}, {@code String}) their UTF-8 bytes as delivered; numbers and booleans their
 *     decimal / {@code true}/{@code false} text; timestamps ISO-8601 UTC text
 *     ({@code 2026-01-02T03:04:05Z}); byte arrays as they are; nested tables and arrays (such as
 *     {@code x-death}) JSON objects and arrays, whose strings, numbers and booleans are JSON values,
 *     timestamps ISO-8601 strings and byte arrays base64 strings; a void value gives a header
 *     without a value.</li>
 * </ul>
 * Stateless and thread-safe.
 */
public final class AmqpHeaders {

    /** The prefix of headers that carry AMQP basic properties. */
    public static final String PROPERTY_PREFIX = "amqp.";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AmqpHeaders() {
    }

    /** The headers of a message with these properties (null for none), properties first. */
    public static List<Header> of(AMQP.BasicProperties p) {
        return of(p, null);
    }

    /**
     * The headers of a message with these properties (null for none), properties first, leaving out
     * the table entry named {@code omit} (null: none), such as the {@code x-stream-offset} a stream
     * adds to each delivery. One exactly sized array per message: this runs once per captured
     * message on the pipeline's worker threads.
     */
    static List<Header> of(AMQP.BasicProperties p, String omit) {
        if (p == null) {
            return List.of();
        }
        Map<String, Object> table = p.getHeaders();
        int n = count(p.getContentType()) + count(p.getContentEncoding()) + count(p.getDeliveryMode())
                + count(p.getPriority()) + count(p.getCorrelationId()) + count(p.getReplyTo()) + count(p.getExpiration())
                + count(p.getMessageId()) + count(p.getTimestamp()) + count(p.getType()) + count(p.getUserId())
                + count(p.getAppId());
        boolean omitted = omit != null && table != null && table.containsKey(omit);
        if (table != null) {
            n += table.size() - (omitted ? 1 : 0);
        }
        Header[] out = new Header[n];
        int i = 0;
        i = add(out, i, CONTENT_TYPE, p.getContentType());
        i = add(out, i, CONTENT_ENCODING, p.getContentEncoding());
        i = add(out, i, DELIVERY_MODE, p.getDeliveryMode());
        i = add(out, i, PRIORITY, p.getPriority());
        i = add(out, i, CORRELATION_ID, p.getCorrelationId());
        i = add(out, i, REPLY_TO, p.getReplyTo());
        i = add(out, i, EXPIRATION, p.getExpiration());
        i = add(out, i, MESSAGE_ID, p.getMessageId());
        i = add(out, i, TIMESTAMP, p.getTimestamp());
        i = add(out, i, TYPE, p.getType());
        i = add(out, i, USER_ID, p.getUserId());
        i = add(out, i, APP_ID, p.getAppId());
        if (table != null) {
            for (Map.Entry<String, Object> e : table.entrySet()) {
                if (!omitted || !e.getKey().equals(omit)) {
                    out[i++] = new Header(e.getKey(), encode(e.getValue()));
                }
            }
        }
        return List.of(out);
    }

    // the property header names, built once (not per message)
    private static final String CONTENT_TYPE = PROPERTY_PREFIX + "content_type";
    private static final String CONTENT_ENCODING = PROPERTY_PREFIX + "content_encoding";
    private static final String DELIVERY_MODE = PROPERTY_PREFIX + "delivery_mode";
    private static final String PRIORITY = PROPERTY_PREFIX + "priority";
    private static final String CORRELATION_ID = PROPERTY_PREFIX + "correlation_id";
    private static final String REPLY_TO = PROPERTY_PREFIX + "reply_to";
    private static final String EXPIRATION = PROPERTY_PREFIX + "expiration";
    private static final String MESSAGE_ID = PROPERTY_PREFIX + "message_id";
    private static final String TIMESTAMP = PROPERTY_PREFIX + "timestamp";
    private static final String TYPE = PROPERTY_PREFIX + "type";
    private static final String USER_ID = PROPERTY_PREFIX + "user_id";
    private static final String APP_ID = PROPERTY_PREFIX + "app_id";

    private static int count(Object value) {
        return value == null ? 0 : 1;
    }

    private static int add(Header[] out, int i, String name, Object value) {
        if (value == null) {
            return i;
        }
        out[i] = new Header(name, encode(value));
        return i + 1;
    }

    /** The bytes of one header value by the contract above; {@code null} for a void value. */
    public static byte[] encode(Object value) {
        return switch (value) {
            case null -> null;
            case LongString s -> s.getBytes();
            case String s -> s.getBytes(StandardCharsets.UTF_8);
            case byte[] b -> b;
            case Date d -> d.toInstant().toString().getBytes(StandardCharsets.UTF_8);
            case BigDecimal d -> d.toPlainString().getBytes(StandardCharsets.UTF_8);
            case Number n -> n.toString().getBytes(StandardCharsets.UTF_8);
            case Boolean b -> b.toString().getBytes(StandardCharsets.UTF_8);
            case Map<?, ?> m -> json(m);
            case List<?> l -> json(l);
            case Object[] a -> json(List.of(a));
            default -> value.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(node(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /** One AMQP field value as a JSON node (see the class comment). */
    static JsonNode node(Object value) {
        return switch (value) {
            case null -> NODES.nullNode();
            case LongString s -> NODES.textNode(s.toString());
            case String s -> NODES.textNode(s);
            case byte[] b -> NODES.binaryNode(b);
            case Date d -> NODES.textNode(d.toInstant().toString());
            case BigDecimal d -> NODES.numberNode(d);
            case Long n -> NODES.numberNode(n);
            case Integer n -> NODES.numberNode(n);
            case Short n -> NODES.numberNode(n);
            case Byte n -> NODES.numberNode(n);
            case Double n -> NODES.numberNode(n);
            case Float n -> NODES.numberNode(n);
            case Boolean b -> NODES.booleanNode(b);
            case Map<?, ?> m -> {
                ObjectNode o = NODES.objectNode();
                m.forEach((k, v) -> o.set(String.valueOf(k), node(v)));
                yield o;
            }
            case List<?> l -> {
                ArrayNode a = NODES.arrayNode();
                l.forEach(v -> a.add(node(v)));
                yield a;
            }
            case Object[] arr -> node(List.of(arr));
            default -> NODES.textNode(value.toString());
        };
    }

    /**
     * When the message was last dead-lettered: the latest {@code time} of its {@code x-death}
     * entries (RabbitMQ writes one per queue and reason), or {@code null} when it has none.
     */
    public static Instant deadLetterTime(Map<String, Object> table) {
        if (table == null || !(table.get("x-death") instanceof List<?> deaths)) {
            return null;
        }
        Instant latest = null;
        for (Object d : deaths) {
            if (d instanceof Map<?, ?> m && m.get("time") instanceof Date t) {
                Instant i = t.toInstant();
                if (latest == null || i.isAfter(latest)) {
                    latest = i;
                }
            }
        }
        return latest;
    }
}
