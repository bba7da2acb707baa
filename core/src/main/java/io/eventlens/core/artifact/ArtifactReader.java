package io.eventlens.core.artifact;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one artifact file (or one HTTP probe answer, io.eventlens.core.probe.ProbeSource): detects its format from its content ({@link ArtifactFormat}), streams its
 * records and hands each to a {@link Sink}, reporting damage with the file and line while keeping
 * the valid records around it (docs/decisions/0014-artifact-import-and-triage.md).
 *
 * <p>Records of JSON and NDJSON files, each one object:
 * <ul>
 *   <li>a probe event {@code {id, type, correlationId, createdAt, payload}} or its variants
 *       ({@code eventId}, {@code eventType}, {@code timestamp}/{@code time}); an object with an
 *       {@code events} array holds them too. Channel: the record's {@code channel}/{@code topic}/
 *       {@code queue} member, else the file's name without its extension; observed time: its
 *       {@code createdAt}/{@code timestamp}/{@code time};</li>
 *   <li>a structured-mode CloudEvent (it has {@code specversion}), alone or in a batch (a JSON array,
 *       {@code application/cloudevents-batch+json}); observed time: its {@code time};</li>
 *   <li>a kcat {@code -J} record ({@code topic}, {@code partition}, {@code offset}, {@code tstype},
 *       {@code ts}, {@code headers}, {@code key}, {@code payload}): kept as a Kafka observation with
 *       its coordinates; observed time: {@code ts}.</li>
 * </ul>
 * The payload of a probe event or CloudEvent is the record's JSON (an NDJSON line's own bytes), so
 * the extraction rules find its correlation ID, event ID, type and time. A record without a time of
 * its own gets the file's modification time, and its position says so. JSON is read with
 * {@link StreamReadConstraints} limits: nesting depth {@value #MAX_DEPTH}, strings of at most
 * {@value #MAX_STRING_CHARS} characters, numbers of at most {@value #MAX_NUMBER_CHARS} digits;
 * an NDJSON line of more than {@value #MAX_LINE_BYTES} bytes is refused.
 */
public final class ArtifactReader {

    static final int MAX_DEPTH = 200;
    static final int MAX_STRING_CHARS = 16 * 1024 * 1024;
    static final int MAX_NUMBER_CHARS = 100;
    static final int MAX_LINE_BYTES = 32 * 1024 * 1024;
    private static final int PEEK_BYTES = 64 * 1024;

    /** Where records and damage go. */
    public interface Sink {
        /** One record; may block (back-pressure). */
        void record(ArtifactRecord record) throws InterruptedException;

        /** Damage at a line; the reader continues where it can. */
        void problem(ArtifactProblem problem);

        /** The failed tests of a JUnit report. */
        void testReport(String file, int tests, List<FailedTest> failed);
    }

    private final ObjectMapper mapper;
    /** Reads one NDJSON line: one JSON value and nothing after it. */
    private final com.fasterxml.jackson.databind.ObjectReader lineReader;

    /** A reader with the limits above. */
    public ArtifactReader() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_STRING_CHARS)
                        .maxNumberLength(MAX_NUMBER_CHARS)
                        .maxNameLength(64 * 1024)
                        .build())
                .build();
        mapper = new ObjectMapper(factory);
        lineReader = mapper.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Reads one file.
     *
     * @param name     its name in the CI run
     * @param in       its content, supporting mark/reset; not closed
     * @param modified its modification time, or null
     * @return what was made of it
     * @throws IOException          when reading the stream fails (not for damage, which goes to the sink)
     * @throws InterruptedException when interrupted while the sink blocks
     */
    public ArtifactFileSummary read(String name, InputStream in, Instant modified, Sink sink)
            throws IOException, InterruptedException {
        FileState f = new FileState(name, modified == null ? Instant.EPOCH : modified, sink);
        ArtifactFormat format = detect(in);
        switch (format) {
            case NDJSON -> readLines(f, in);
            case JSON -> readDocument(f, in);
            case JUNIT_XML -> {
                try {
                    JUnitReportReader.Result r = JUnitReportReader.read(name, in);
                    if (!r.isJUnit()) {
                        return new ArtifactFileSummary(name, ArtifactFormat.UNKNOWN, List.of("XML, not a JUnit report"), 0, 0);
                    }
                    sink.testReport(name, r.tests(), r.failed());
                    return new ArtifactFileSummary(name, format,
                            List.of(r.tests() + " tests, " + r.failed().size() + " failed"), r.failed().size(), 0);
                } catch (ArtifactFormatException e) {
                    f.problem(e.line(), e.getMessage());
                }
            }
            case UNKNOWN -> {
            }
        }
        return new ArtifactFileSummary(name, format, List.copyOf(f.mappings), f.records, f.problems);
    }

    /**
     * The format by the first bytes: {@code <} XML; {@code [} a JSON document; <code>{</code> NDJSON when
     * the first line is one complete object, else a JSON document spanning lines; anything else
     * unknown. A UTF-8 BOM and leading white space are skipped.
     */
    ArtifactFormat detect(InputStream in) throws IOException {
        in.mark(PEEK_BYTES);
        byte[] head = in.readNBytes(PEEK_BYTES);
        in.reset();
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < head.length && isSpace(head[i])) {
            i++;
        }
        if (i >= head.length) {
            return ArtifactFormat.UNKNOWN;
        }
        return switch (head[i]) {
            case '<' -> ArtifactFormat.JUNIT_XML;
            case '[' -> ArtifactFormat.JSON;
            case '{' -> {
                int end = i;
                while (end < head.length && head[end] != '\n') {
                    end++;
                }
                String first = new String(head, i, end - i, StandardCharsets.UTF_8).strip();
                if (end >= head.length && head.length == PEEK_BYTES) {
                    yield ArtifactFormat.NDJSON; // a first line longer than the peek: a long NDJSON record
                }
                boolean complete;
                try {
                    complete = lineReader.readTree(first) instanceof ObjectNode;
                } catch (JacksonException e) {
                    complete = false;
                }
                char last = first.isEmpty() ? '{' : first.charAt(first.length() - 1);
                boolean opens = last == '{' || last == '[' || last == ',' || last == ':';
                yield complete || !opens ? ArtifactFormat.NDJSON : ArtifactFormat.JSON;
            }
            default -> ArtifactFormat.UNKNOWN;
        };
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private void readLines(FileState f, InputStream in) throws IOException, InterruptedException {
        LineReader lines = new LineReader(in, MAX_LINE_BYTES);
        while (lines.next()) {
            long line = lines.lineNumber();
            if (lines.tooLong()) {
                f.problem(line, "line longer than " + MAX_LINE_BYTES + " bytes: refused");
                continue;
            }
            if (lines.blank()) {
                continue;
            }
            JsonNode node;
            try {
                node = lineReader.readTree(lines.bytes(), 0, lines.length());
            } catch (JacksonException e) {
                f.problem(line, "not a JSON object: " + e.getOriginalMessage());
                continue;
            }
            byte[] raw = java.util.Arrays.copyOf(lines.bytes(), lines.length());
            f.node(node, line, raw, false);
        }
    }

    private void readDocument(FileState f, InputStream in) throws IOException, InterruptedException {
        try (JsonParser p = mapper.getFactory().createParser(in)) {
            try {
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    streamArray(f, p, true);
                } else if (t == JsonToken.START_OBJECT) {
                    long line = p.currentTokenLocation().getLineNr();
                    ObjectNode rest = mapper.createObjectNode();
                    boolean sawEvents = false;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken v = p.nextToken();
                        if (field.equals("events") && v == JsonToken.START_ARRAY && !rest.has("specversion")) {
                            sawEvents = true;
                            f.mappings.add("an object with an events array");
                            streamArray(f, p, false);
                        } else {
                            rest.set(field, mapper.readTree(p));
                        }
                    }
                    if (!sawEvents) {
                        f.node(rest, line, null, false);
                    }
                }
                if (p.nextToken() != null) {
                    f.problem(p.currentTokenLocation().getLineNr(), "content after the end of the JSON document: ignored");
                }
            } catch (JacksonException e) {
                long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                f.problem(line, "not valid JSON: " + e.getOriginalMessage()
                        + "; the records before it were imported, the rest of the file is not readable");
            }
        }
    }

    private void streamArray(FileState f, JsonParser p, boolean topLevel) throws IOException, InterruptedException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input inside an array");
            }
            long line = p.currentTokenLocation().getLineNr();
            JsonNode node = mapper.readTree(p);
            f.node(node, line, null, topLevel);
        }
    }

    /** Per-file state: counts, mappings used, and the record conversions. */
    private final class FileState {
        final String name;
        final Instant modified;
        final Sink sink;
        final String probeChannel;
        final Set<String> mappings = new LinkedHashSet<>();
        long records;
        long problems;

        FileState(String name, Instant modified, Sink sink) {
            this.name = name;
            this.modified = modified;
            this.sink = sink;
            String base = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('!')) + 1);
            int dot = base.indexOf('.');
            this.probeChannel = dot > 0 ? base.substring(0, dot) : base.isBlank() ? "artifact" : base;
        }

        void problem(long line, String message) {
            problems++;
            sink.problem(new ArtifactProblem(name, line, message));
        }

        void node(JsonNode node, long line, byte[] raw, boolean inArray) throws InterruptedException {
            if (!(node instanceof ObjectNode o)) {
                problem(line, "expected a JSON object, found " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
                return;
            }
            JsonNode events = o.get("events");
            if (events != null && events.isArray() && !o.has("specversion") && !o.has(CaptureExport.MARKER)) {
                mappings.add("an object with an events array");
                for (JsonNode e : events) {
                    node(e, line, null, false);
                }
                return;
            }
            try {
                if (o.has(CaptureExport.MARKER)) {
                    mappings.add("EventLens export");
                    ArtifactRecord r = CaptureExport.read(o);
                    records++;
                    sink.record(r);
                } else if (o.has("specversion")) {
                    cloudEvent(o, line, raw, inArray);
                } else if (o.path("topic").isTextual() && o.path("partition").canConvertToInt()
                        && o.path("offset").canConvertToLong() && (o.has("payload") || o.has("key"))) {
                    kcat(o, line);
                } else if (hasAny(o, "id", "eventId", "event_id", "type", "eventType", "event_type",
                        "correlationId", "correlation_id")) {
                    probe(o, line, raw);
                } else {
                    problem(line, "not a probe event, CloudEvent or kcat -J record: it has none of id/eventId,"
                            + " type/eventType, correlationId, specversion, or topic+partition+offset");
                }
            } catch (IllegalArgumentException e) {
                problem(line, e.getMessage());
            }
        }

        private void probe(ObjectNode o, long line, byte[] raw) throws InterruptedException {
            String idField = first(o, "id", "eventId", "event_id");
            String typeField = first(o, "type", "eventType", "event_type");
            String corrField = first(o, "correlationId", "correlation_id");
            String timeField = first(o, "createdAt", "timestamp", "time", "eventTime", "occurredAt");
            mappings.add("probe events: " + String.join(", ", nonNull(idField, typeField, corrField, timeField,
                    o.has("payload") ? "payload" : null)));
            Instant at = timeField == null ? null : time(o.get(timeField));
            if (timeField != null && at == null) {
                problem(line, "'" + timeField + "' is not an ISO-8601 instant or epoch milliseconds: "
                        + abbreviate(o.get(timeField).toString()) + "; the file's time is used");
            }
            String channel = text(o, "channel", "topic", "queue");
            emit(new Channel(ChannelKind.PROBE, channel == null ? probeChannel : channel), line, at, timeField,
                    null, List.of(), raw != null ? raw : bytes(o));
        }

        private void cloudEvent(ObjectNode o, long line, byte[] raw, boolean inArray) throws InterruptedException {
            mappings.add(inArray ? "CloudEvents batch (structured mode)" : "CloudEvents structured mode");
            Instant at = o.has("time") ? time(o.get("time")) : null;
            emit(new Channel(ChannelKind.PROBE, probeChannel), line, at, at == null ? null : "time",
                    null, List.of(Header.ofString("content-type", "application/cloudevents+json")),
                    raw != null ? raw : bytes(o));
        }

        private void kcat(ObjectNode o, long line) throws InterruptedException {
            mappings.add("kcat -J records");
            int partition = o.get("partition").asInt();
            long offset = o.get("offset").asLong();
            String tstype = o.path("tstype").asText("");
            TimestampType type = switch (tstype) {
                case "create" -> TimestampType.CREATE_TIME;
                case "logappend" -> TimestampType.LOG_APPEND_TIME;
                default -> TimestampType.NONE;
            };
            long ts = o.path("ts").asLong(-1);
            List<Header> headers = new ArrayList<>();
            JsonNode h = o.get("headers");
            if (h != null && h.isArray()) {
                for (int i = 0; i + 1 < h.size(); i += 2) {
                    headers.add(new Header(h.get(i).asText(), h.get(i + 1).isNull() ? null
                            : h.get(i + 1).asText().getBytes(StandardCharsets.UTF_8)));
                }
            } else if (h != null && h.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    headers.add(new Header(e.getKey(), e.getValue().isNull() ? null
                            : e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
                }
            }
            SourcePosition pos = new SourcePosition.Kafka(partition, offset, type);
            Instant at = ts >= 0 ? Instant.ofEpochMilli(ts) : modified;
            records++;
            sink.record(new ArtifactRecord(Channel.kafkaTopic(o.get("topic").asText()), pos, at,
                    content(o.get("key")), headers, content(o.get("payload"))));
        }

        private byte[] content(JsonNode n) {
            if (n == null || n.isNull()) {
                return null;
            }
            return n.isTextual() ? n.asText().getBytes(StandardCharsets.UTF_8) : bytes(n);
        }

        private void emit(Channel channel, long line, Instant at, String timeField, byte[] key, List<Header> headers,
                          byte[] payload) throws InterruptedException {
            String rule = at == null ? "artifact file time (the record has no time)" : "artifact " + timeField;
            SourcePosition pos = new ArtifactPosition(name, line, records, rule);
            records++;
            sink.record(new ArtifactRecord(channel, pos, at == null ? modified : at, key, headers, payload));
        }

        private byte[] bytes(JsonNode n) {
            try {
                return mapper.writeValueAsBytes(n);
            } catch (JacksonException e) {
                throw new IllegalArgumentException("cannot write the record back as JSON: " + e.getOriginalMessage());
            }
        }
    }

    private static boolean hasAny(ObjectNode o, String... names) {
        return first(o, names) != null;
    }

    private static String first(ObjectNode o, String... names) {
        for (String n : names) {
            JsonNode v = o.get(n);
            if (v != null && !v.isNull()) {
                return n;
            }
        }
        return null;
    }

    private static String text(ObjectNode o, String... names) {
        for (String n : names) {
            JsonNode v = o.get(n);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    private static List<String> nonNull(String... s) {
        List<String> out = new ArrayList<>();
        for (String x : s) {
            if (x != null) {
                out.add(x);
            }
        }
        return out;
    }

    /** ISO-8601 instant (with a zone or offset), or epoch milliseconds as a number or digits; else null. */
    static Instant time(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        try {
            if (n.isIntegralNumber()) {
                return Instant.ofEpochMilli(n.asLong());
            }
            String s = n.asText().strip();
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() <= 18) {
                return Instant.ofEpochMilli(Long.parseLong(s));
            }
            try {
                return Instant.parse(s);
            } catch (DateTimeException e) {
                return OffsetDateTime.parse(s).toInstant();
            }
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
