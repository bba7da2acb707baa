package io.eventlens.core.replay;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.core.extract.ExtractionRules;
import io.eventlens.core.extract.ExtractionRules.CloudEventsSource;
import io.eventlens.core.extract.ExtractionRules.HeaderSource;
import io.eventlens.core.extract.ExtractionRules.JsonSource;
import io.eventlens.core.extract.ExtractionRules.Source;
import io.eventlens.core.extract.ExtractionRules.TraceparentSource;
import io.eventlens.core.model.Header;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rewrites of a replay (docs/reference/replay.md, "Rewrites"): a field's value written wherever
 * the extraction rules read it, header changes, dead-letter header stripping and the replay markers.
 * Works on a mutable header list and payload of one message ({@link Message}).
 *
 * <p>Where a value is written: every place a rule of the field reads ({@link ExtractionRules#sources})
 * that holds exactly the original value: a header (case-insensitive name); a CloudEvents attribute
 * in its binary-mode headers ({@code ce_}, {@code cloudEvents_}, {@code cloudEvents:}, {@code ce-}) or,
 * in a structured CloudEvents payload, its top-level member; a JSON Pointer into a payload that is a
 * JSON object; the trace-id of a W3C {@code traceparent} header (when the new value is 32 lowercase
 * hex digits). The place the extraction found the original (its rule text) is always one of them;
 * others holding the same value are rewritten too so that no consumer reads the old one. A JSON
 * payload that changes is written back by Jackson (member order kept; whitespace not).
 */
public final class Rewrites {

    /** The replay-marker header: the replay run's ID, on every replayed message. */
    public static final String REPLAY_ID_HEADER = "eventlens-replay-id";
    /** The send's index within its run (decimal text), so a send can be found on the target again. */
    public static final String REPLAY_SEND_HEADER = "eventlens-replay-send";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern TRACEPARENT = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final List<String> CE_PREFIXES = List.of("ce_", "cloudEvents_", "cloudEvents:", "ce-");

    /**
     * Header names of the dead-letter conventions EventLens reads (docs/reference/anomalies-and-verdicts.md,
     * "Dead-letter channels"), stripped from a redriven message by default: exact names and prefixes.
     */
    static final List<String> DEAD_LETTER_PREFIXES = List.of("kafka_dlt-", "kafka_original-", "kafka_exception-",
            "retry_topic-", "__connect.errors.", "x-first-death-", "x-last-death-", "x-exception-");
    static final Set<String> DEAD_LETTER_NAMES = Set.of("x-death", "x-original-exchange", "x-original-routingkey",
            "kafka_deliveryattempt");

    private Rewrites() {
    }

    /** One message being rewritten: its headers (mutable) and payload. */
    static final class Message {
        final List<Header> headers;
        byte[] payload;
        final List<String> notes = new ArrayList<>();

        Message(List<Header> headers, byte[] payload) {
            this.headers = new ArrayList<>(headers);
            this.payload = payload;
        }
    }

    /**
     * Writes {@code newValue} wherever a rule of {@code field} reads {@code oldValue}.
     *
     * @param foundBy the rule text the extraction recorded (for the note)
     * @return how many places were rewritten (0: none held the value)
     */
    static int writeField(Message m, ExtractionRules rules, ExtractionRules.Field field, String oldValue,
                          String newValue, String foundBy) {
        int changed = 0;
        JsonNode[] tree = {null};
        boolean structured = isStructuredCloudEvents(m, tree);
        for (Source s : rules.sources(field)) {
            switch (s) {
                case HeaderSource h -> changed += replaceHeader(m, h.name(), oldValue, newValue);
                case CloudEventsSource c -> {
                    for (String prefix : CE_PREFIXES) {
                        changed += replaceHeader(m, prefix + c.attribute(), oldValue, newValue);
                    }
                    if (structured) {
                        changed += replaceJson(m, tree, "/" + c.attribute(), oldValue, newValue);
                    }
                }
                case JsonSource j -> changed += replaceJson(m, tree, j.pointer(), oldValue, newValue);
                case TraceparentSource t -> {
                    if (TRACE_ID.matcher(newValue).matches()) {
                        for (String name : List.of("traceparent", "ce_traceparent", "cloudEvents_traceparent",
                                "cloudEvents:traceparent", "ce-traceparent")) {
                            changed += replaceTraceId(m, name, oldValue, newValue);
                        }
                    }
                }
            }
        }
        if (tree[0] != null && changed > 0) {
            try {
                m.payload = JSON.writeValueAsBytes(tree[0]);
            } catch (IOException e) {
                throw new IllegalStateException("a JSON tree always serializes", e);
            }
        }
        m.notes.add(field.label() + (changed == 0 ? " not rewritten: '" + oldValue + "' (found by " + foundBy
                + ") is in no place a rule writes" : " " + oldValue + " -> " + newValue + " (found by " + foundBy
                + (changed > 1 ? "; " + changed + " places" : "") + ")"));
        return changed;
    }

    /**
     * Writes {@code newTime} wherever an event-time rule reads a time equal to {@code oldTime}, in the
     * form found there: ISO-8601 text keeps its offset ({@code Z} or {@code +02:00}), epoch milliseconds
     * stay epoch milliseconds (a JSON number or decimal text).
     *
     * @return how many places were rewritten
     */
    static int writeTime(Message m, ExtractionRules rules, java.time.Instant oldTime, java.time.Instant newTime,
                         String foundBy) {
        int changed = 0;
        JsonNode[] tree = {null};
        boolean structured = isStructuredCloudEvents(m, tree);
        for (Source s : rules.sources(ExtractionRules.Field.EVENT_TIME)) {
            switch (s) {
                case HeaderSource h -> changed += replaceTimeHeader(m, h.name(), oldTime, newTime);
                case CloudEventsSource c -> {
                    for (String prefix : CE_PREFIXES) {
                        changed += replaceTimeHeader(m, prefix + c.attribute(), oldTime, newTime);
                    }
                    if (structured) {
                        changed += replaceTimeJson(m, tree, "/" + c.attribute(), oldTime, newTime);
                    }
                }
                case JsonSource j -> changed += replaceTimeJson(m, tree, j.pointer(), oldTime, newTime);
                case TraceparentSource t -> { }
            }
        }
        if (tree[0] != null && changed > 0) {
            try {
                m.payload = JSON.writeValueAsBytes(tree[0]);
            } catch (IOException e) {
                throw new IllegalStateException("a JSON tree always serializes", e);
            }
        }
        if (changed > 0) {
            m.notes.add("eventTime shifted by " + java.time.Duration.between(oldTime, newTime).toSeconds() + " s to "
                    + newTime + " (found by " + foundBy + ")");
        }
        return changed;
    }

    /** {@code newTime} in the form of {@code text} (which holds {@code oldTime}), or null when it does not. */
    private static String retime(String text, java.time.Instant oldTime, java.time.Instant newTime) {
        if (text == null || !oldTime.equals(io.eventlens.core.extract.EventExtractor.parseTime(text))) {
            return null;
        }
        String t = text.strip();
        if (t.indexOf('T') < 0 && t.indexOf('t') < 0) {
            return Long.toString(newTime.toEpochMilli());
        }
        try {
            java.time.ZoneOffset offset = java.time.OffsetDateTime.parse(t).getOffset();
            return newTime.atOffset(offset).toString();
        } catch (java.time.DateTimeException e) {
            return newTime.toString();
        }
    }

    private static int replaceTimeHeader(Message m, String name, java.time.Instant oldTime, java.time.Instant newTime) {
        int n = 0;
        for (int i = 0; i < m.headers.size(); i++) {
            Header h = m.headers.get(i);
            if (h.name().equalsIgnoreCase(name)) {
                String v = retime(h.valueAsString(), oldTime, newTime);
                if (v != null) {
                    m.headers.set(i, Header.ofString(h.name(), v));
                    n++;
                }
            }
        }
        return n;
    }

    private static int replaceTimeJson(Message m, JsonNode[] tree, String pointer, java.time.Instant oldTime,
                                       java.time.Instant newTime) {
        JsonNode root = tree(m, tree);
        if (root == null) {
            return 0;
        }
        JsonPointer ptr = JsonPointer.compile(pointer);
        JsonNode parent = root.at(ptr.head());
        String member = ptr.last().getMatchingProperty();
        if (parent instanceof ObjectNode o && o.get(member) instanceof JsonNode v) {
            if (v.isIntegralNumber() && v.canConvertToLong() && oldTime.toEpochMilli() == v.asLong()
                    && oldTime.equals(java.time.Instant.ofEpochMilli(v.asLong()))) {
                o.put(member, newTime.toEpochMilli());
                return 1;
            }
            if (v.isTextual()) {
                String t = retime(v.textValue(), oldTime, newTime);
                if (t != null) {
                    o.put(member, t);
                    return 1;
                }
            }
        }
        return 0;
    }

    private static boolean isStructuredCloudEvents(Message m, JsonNode[] tree) {
        for (Header h : m.headers) {
            if (h.name().equalsIgnoreCase("content-type") || h.name().equalsIgnoreCase("amqp.content_type")) {
                String v = h.valueAsString();
                if (v != null && v.toLowerCase(Locale.ROOT).startsWith("application/cloudevents+json")) {
                    return true;
                }
            }
        }
        JsonNode root = tree(m, tree);
        return root != null && root.has("specversion");
    }

    private static JsonNode tree(Message m, JsonNode[] tree) {
        if (tree[0] == null && m.payload != null) {
            int i = 0;
            while (i < m.payload.length && Character.isWhitespace(m.payload[i])) {
                i++;
            }
            if (i < m.payload.length && m.payload[i] == '{') {
                try {
                    JsonNode n = JSON.readTree(m.payload);
                    tree[0] = n != null && n.isObject() ? n : null;
                } catch (IOException | RuntimeException e) {
                    tree[0] = null;   // not JSON: no JSON rule applies
                }
            }
        }
        return tree[0];
    }

    private static int replaceHeader(Message m, String name, String oldValue, String newValue) {
        int n = 0;
        for (int i = 0; i < m.headers.size(); i++) {
            Header h = m.headers.get(i);
            if (h.name().equalsIgnoreCase(name) && oldValue.equals(h.valueAsString())) {
                m.headers.set(i, Header.ofString(h.name(), newValue));
                n++;
            }
        }
        return n;
    }

    private static int replaceTraceId(Message m, String name, String oldValue, String newValue) {
        int n = 0;
        for (int i = 0; i < m.headers.size(); i++) {
            Header h = m.headers.get(i);
            String v = h.valueAsString();
            if (h.name().equalsIgnoreCase(name) && v != null) {
                var matcher = TRACEPARENT.matcher(v.strip());
                if (matcher.matches() && matcher.group(2).equals(oldValue)) {
                    m.headers.set(i, Header.ofString(h.name(), matcher.group(1) + "-" + newValue + "-"
                            + matcher.group(3) + "-" + matcher.group(4)));
                    n++;
                }
            }
        }
        return n;
    }

    private static int replaceJson(Message m, JsonNode[] tree, String pointer, String oldValue, String newValue) {
        JsonNode root = tree(m, tree);
        if (root == null) {
            return 0;
        }
        JsonPointer ptr = JsonPointer.compile(pointer);
        JsonNode parent = root.at(ptr.head());
        String member = ptr.last().getMatchingProperty();
        if (parent instanceof ObjectNode o && o.get(member) instanceof JsonNode v
                && (v.isTextual() || v.isIntegralNumber()) && oldValue.equals(v.asText())) {
            o.put(member, newValue);
            return 1;
        }
        return 0;
    }

    /** Removes every header with one of these names (case-insensitive); returns how many. */
    static int remove(Message m, Set<String> names) {
        Set<String> lower = lower(names);
        int before = m.headers.size();
        m.headers.removeIf(h -> lower.contains(h.name().toLowerCase(Locale.ROOT)));
        return before - m.headers.size();
    }

    /** Sets headers: an existing header of the name (case-insensitive) is replaced, else one is added. */
    static void set(Message m, Map<String, String> headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            remove(m, Set.of(e.getKey()));
            m.headers.add(Header.ofString(e.getKey(), e.getValue()));
        }
    }

    /** True for a header name of a dead-letter convention ({@link #DEAD_LETTER_PREFIXES}, {@link #DEAD_LETTER_NAMES}). */
    public static boolean isDeadLetterHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return DEAD_LETTER_NAMES.contains(n) || DEAD_LETTER_PREFIXES.stream().anyMatch(n::startsWith);
    }

    /** Strips the dead-letter headers; returns how many. */
    static int stripDeadLetterHeaders(Message m) {
        int before = m.headers.size();
        m.headers.removeIf(h -> isDeadLetterHeader(h.name()));
        return before - m.headers.size();
    }

    /** Replaces any earlier replay markers by this run's. */
    static void mark(Message m, String replayId, int index) {
        m.headers.removeIf(h -> h.name().equalsIgnoreCase(REPLAY_ID_HEADER) || h.name().equalsIgnoreCase(REPLAY_SEND_HEADER));
        m.headers.add(Header.ofString(REPLAY_ID_HEADER, replayId));
        m.headers.add(Header.ofString(REPLAY_SEND_HEADER, Integer.toString(index)));
    }

    private static Set<String> lower(Set<String> names) {
        Set<String> out = new java.util.HashSet<>();
        names.forEach(n -> out.add(n.toLowerCase(Locale.ROOT)));
        return out;
    }

    /** The payload as UTF-8 text when it is valid UTF-8, else null. */
    static String utf8OrNull(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
