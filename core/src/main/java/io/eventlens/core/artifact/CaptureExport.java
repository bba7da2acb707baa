package io.eventlens.core.artifact;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.eventlens.core.filter.EventFilter;
import io.eventlens.core.filter.FilterContext;
import io.eventlens.core.filter.FilteredScan;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * EventLens's own export: NDJSON that {@code import} reads back with full fidelity
 * (docs/decisions/0014-artifact-import-and-triage.md, "Export"), one self-describing line per
 * observation, in store order:
 * <pre>
 * {"eventlensExport":1,"channelKind":"KAFKA_TOPIC","channel":"orders",
 *  "position":{"sourceKind":"kafka","orderingStream":"partition 0","messageCoordinates":"0@41",
 *              "description":"p0@41","observedTimeMeaning":"Kafka CreateTime",
 *              "attributes":[["partition","int",0],["offset","long",41],["timestampType","string","CREATE_TIME"]]},
 *  "observedAt":"2026-11-29T10:00:00.123456789Z","capturedAt":"...",
 *  "key":"base64 or null","headers":[["name","base64 or null"]],"payload":"base64 or null"}
 * </pre>
 * Bytes (key, header values, payload) are base64, so they round-trip exactly whatever they hold;
 * times keep their nanoseconds; positions keep their answers (Kafka positions come back as Kafka
 * positions). Derived fields are not exported: the importing capture's extraction rules derive them.
 */
public final class CaptureExport {

    /** The format's version, the value of the {@code eventlensExport} member. */
    public static final int VERSION = 1;
    /** The member that marks an export line. */
    public static final String MARKER = "eventlensExport";

    private static final JsonFactory JSON = new JsonFactory();

    private CaptureExport() {
    }

    /**
     * Writes every event of {@code store} to {@code out}, one line each, in store order, paging
     * through the store (bounded memory).
     *
     * @param progress told the number of events written after each page
     * @return events written
     * @throws IOException when writing fails
     */
    public static long write(CaptureStore store, OutputStream out, LongConsumer progress) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            return write(store, g, progress);
        }
    }

    /**
     * Writes every event of {@code store} to {@code out} as {@link #write(CaptureStore, OutputStream, LongConsumer)}
     * does; {@code out} is flushed, not closed. Written as UTF-8 it is the same bytes.
     */
    public static long write(CaptureStore store, java.io.Writer out, LongConsumer progress) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            return write(store, g, progress);
        }
    }

    /**
     * Writes the events of {@code store} that {@code filter} keeps, as {@link #write(CaptureStore,
     * OutputStream, LongConsumer)} does (docs/decisions/0022-cel-filters.md); the filter sees no
     * analysis ({@code anomalies} empty, {@code verdict} ""). Reads through the store in steps
     * ({@link FilteredScan}, bounded memory).
     *
     * @param progress told the number of events written after each step
     * @return events written
     * @throws IOException when writing fails
     */
    public static long write(CaptureStore store, OutputStream out, EventFilter filter, LongConsumer progress)
            throws IOException {
        if (filter.keepsAll()) {
            return write(store, out, progress);
        }
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            return writeFiltered(store, g, filter, progress);
        }
    }

    /** {@link #write(CaptureStore, OutputStream, EventFilter, LongConsumer)} to a writer; flushed, not closed. */
    public static long write(CaptureStore store, java.io.Writer out, EventFilter filter, LongConsumer progress)
            throws IOException {
        if (filter.keepsAll()) {
            return write(store, out, progress);
        }
        try (JsonGenerator g = JSON.createGenerator(out)) {
            return writeFiltered(store, g, filter, progress);
        }
    }

    private static long writeFiltered(CaptureStore store, JsonGenerator g, EventFilter filter, LongConsumer progress)
            throws IOException {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setRootValueSeparator(null);
        FilteredScan scan = new FilteredScan(store, filter, FilterContext.NONE);
        long n = 0;
        while (!scan.done()) {
            for (CapturedEvent e : scan.next(10_000, 50_000).events()) {
                line(g, e);
                g.writeRaw('\n');
                n++;
            }
            g.flush();
            progress.accept(n);
        }
        return n;
    }

    private static long write(CaptureStore store, JsonGenerator g, LongConsumer progress) throws IOException {
        long n = 0;
        {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setRootValueSeparator(null);
            long from = 1;
            while (true) {
                List<CapturedEvent> page = store.page(from, 1_000);
                if (page.isEmpty()) {
                    break;
                }
                for (CapturedEvent e : page) {
                    line(g, e);
                    g.writeRaw('\n');
                    n++;
                }
                g.flush();
                progress.accept(n);
                from = page.get(page.size() - 1).seq() + 1;
            }
        }
        return n;
    }

    private static void line(JsonGenerator g, CapturedEvent e) throws IOException {
        g.writeStartObject();
        g.writeNumberField(MARKER, VERSION);
        g.writeStringField("channelKind", e.channel().kind().name());
        g.writeStringField("channel", e.channel().name());
        SourcePosition p = e.source();
        g.writeObjectFieldStart("position");
        g.writeStringField("sourceKind", p.sourceKind());
        g.writeStringField("orderingStream", p.orderingStream());
        g.writeStringField("messageCoordinates", p.messageCoordinates());
        g.writeStringField("description", p.describe());
        g.writeStringField("observedTimeMeaning", p.observedTimeMeaning());
        g.writeArrayFieldStart("attributes");
        for (Map.Entry<String, Object> a : p.attributes().entrySet()) {
            g.writeStartArray();
            g.writeString(a.getKey());
            Object v = a.getValue();
            switch (v) {
                case null -> {
                    g.writeString("null");
                    g.writeNull();
                }
                case Integer i -> {
                    g.writeString("int");
                    g.writeNumber(i);
                }
                case Long l -> {
                    g.writeString("long");
                    g.writeNumber(l);
                }
                case Boolean b -> {
                    g.writeString("boolean");
                    g.writeBoolean(b);
                }
                default -> {
                    g.writeString("string");
                    g.writeString(v.toString());
                }
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeStringField("observedAt", e.observedAt().toString());
        g.writeStringField("capturedAt", e.capturedAt().toString());
        bytes(g, "key", e.key());
        g.writeArrayFieldStart("headers");
        for (Header h : e.headers()) {
            g.writeStartArray();
            g.writeString(h.name());
            if (h.value() == null) {
                g.writeNull();
            } else {
                g.writeString(Base64.getEncoder().encodeToString(h.value()));
            }
            g.writeEndArray();
        }
        g.writeEndArray();
        bytes(g, "payload", e.payload());
        g.writeEndObject();
    }

    private static void bytes(JsonGenerator g, String name, byte[] b) throws IOException {
        if (b == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, Base64.getEncoder().encodeToString(b));
        }
    }

    /**
     * Reads one export line back.
     *
     * @throws IllegalArgumentException naming the member that is missing or malformed
     */
    static ArtifactRecord read(JsonNode o) {
        int version = o.path(MARKER).asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("EventLens export version " + o.path(MARKER) + " is not " + VERSION);
        }
        ChannelKind kind;
        try {
            kind = ChannelKind.valueOf(text(o, "channelKind"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channelKind: '" + o.path("channelKind").asText() + "' is not one of "
                    + List.of(ChannelKind.values()));
        }
        Channel channel = new Channel(kind, text(o, "channel"));
        JsonNode p = o.path("position");
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (JsonNode a : p.path("attributes")) {
            String name = a.path(0).asText();
            JsonNode v = a.path(2);
            attributes.put(name, switch (a.path(1).asText()) {
                case "int" -> requireInt(v, name);
                case "long" -> requireLong(v, name);
                case "boolean" -> v.asBoolean();
                case "string" -> v.asText();
                case "null" -> null;
                default -> throw new IllegalArgumentException("position attribute '" + name + "': unknown type "
                        + a.path(1));
            });
        }
        StoredPosition answers = new StoredPosition(text(p, "sourceKind"), nullableText(p, "orderingStream"),
                nullableText(p, "messageCoordinates"), text(p, "description"), attributes, text(p, "observedTimeMeaning"));
        return new ArtifactRecord(channel, position(answers), instant(o, "observedAt"), bytes(o, "key"),
                headers(o.path("headers")), bytes(o, "payload"), instant(o, "capturedAt"));
    }

    /** A Kafka position back as one (the store encodes it compactly) when its answers are a Kafka position's. */
    private static SourcePosition position(StoredPosition answers) {
        if ("kafka".equals(answers.sourceKind()) && answers.attributes().get("partition") instanceof Integer partition
                && answers.attributes().get("offset") instanceof Long offset
                && answers.attributes().get("timestampType") instanceof String type) {
            try {
                SourcePosition.Kafka k = new SourcePosition.Kafka(partition, offset, TimestampType.valueOf(type));
                if (StoredPosition.of(k).equals(answers)) {
                    return k;
                }
            } catch (IllegalArgumentException e) {
                // not a valid Kafka position: keep the answers as they are
            }
        }
        return answers;
    }

    private static List<Header> headers(JsonNode array) {
        List<Header> out = new ArrayList<>();
        for (JsonNode h : array) {
            JsonNode v = h.path(1);
            out.add(new Header(h.path(0).asText(), v.isNull() || v.isMissingNode() ? null : decode(v.asText(), "header value")));
        }
        return out;
    }

    private static byte[] bytes(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : decode(v.asText(), name);
    }

    private static byte[] decode(String base64, String what) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": not base64: " + e.getMessage());
        }
    }

    private static Instant instant(JsonNode o, String name) {
        try {
            return Instant.parse(text(o, name));
        } catch (java.time.DateTimeException e) {
            throw new IllegalArgumentException(name + ": not an ISO-8601 instant: " + o.path(name).asText());
        }
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = o.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(name + ": missing or not a string");
        }
        return v.asText();
    }

    private static String nullableText(JsonNode o, String name) {
        JsonNode v = o.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Integer requireInt(JsonNode v, String name) {
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("position attribute '" + name + "': not an int");
        }
        return v.intValue();
    }

    private static Long requireLong(JsonNode v, String name) {
        if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("position attribute '" + name + "': not a long");
        }
        return v.longValue();
    }
}
