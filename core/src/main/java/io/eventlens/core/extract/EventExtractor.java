package io.eventlens.core.extract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import io.eventlens.core.extract.ExtractionRules.CloudEventsSource;
import io.eventlens.core.extract.ExtractionRules.Field;
import io.eventlens.core.extract.ExtractionRules.HeaderSource;
import io.eventlens.core.extract.ExtractionRules.JsonSource;
import io.eventlens.core.extract.ExtractionRules.Source;
import io.eventlens.core.extract.ExtractionRules.TraceparentSource;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Finds the derived fields of a message by {@link ExtractionRules} (docs/reference/extraction-rules.md;
 * first match wins). Thread-safe and allocation-light: it sits on the capture hot path.
 *
 * <p>How it works: the rules are compiled once into a table from lower-cased header name to the
 * rules that read it (looked up without lower-casing a copy of the name), and a trie of the JSON
 * Pointers. Headers are scanned once. The payload is parsed at most once, and only when (a) some
 * field still has a JSON rule ranked above what the headers gave, and (b) the first non-blank byte
 * is <code>{</code>: by a scanner that makes no objects and only notes where the wanted values are
 * (a strict subset of JSON; see {@code FastJsonScanner}), or, for a payload outside that subset,
 * with Jackson's streaming parser, which descends only into members on a wanted pointer's path and
 * skips everything else without building values. Jackson decides which payloads are JSON: a payload
 * that is not one complete JSON object for it (binary, truncated, nested deeper than its limits)
 * matches no JSON rule. Only the values that a rule takes become strings. Per-thread scratch state
 * is reused from call to call, and repeated short correlation IDs and event types share one string.
 *
 * <p>Value conversions: IDs and types are strings or integral numbers (header bytes as UTF-8,
 * binary header values as {@code 0x}-hex); the event time is ISO-8601 text (with {@code Z} or an
 * offset) or epoch milliseconds (a JSON integer or decimal text); the sequence is an integer (JSON
 * integer, decimal text, or a 1-, 4- or 8-byte big-endian header value). A value that does not
 * convert does not match, and the next rule is tried. With no event ID, the ID is the hex SHA-256
 * of channel name, key and payload, with rule {@link DerivedFields#SYNTHETIC_EVENT_ID_RULE}.
 *
 * <p>With no event time from a header or the payload, the event time is the broker timestamp of the
 * observation, when its source position says that its observed time is one
 * ({@link #withBrokerTimestampFallback(DerivedFields, SourcePosition, Instant)}).
 */
public final class EventExtractor {

    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final HexFormat HEX = HexFormat.of();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    });
    private static final String STRUCTURED_CLOUDEVENTS = "application/cloudevents+json";
    private static final Field[] FIELD_VALUES = Field.values();
    private static final HeaderRule[] NO_RULES = new HeaderRule[0];
    /** Header names whose rules each thread remembers at most. */
    private static final int MAX_CACHED_NAMES = 1_024;
    private static final int FIELDS = FIELD_VALUES.length;

    private enum Kind { PLAIN, TRACEPARENT, CONTENT_TYPE }

    /** A rule reading one header: the field it fills, its rank, and the rule text it records. */
    private record HeaderRule(Field field, int priority, Kind kind, String ruleText) {
    }

    /**
     * A rule reading one JSON slot; {@code cloudEvents} rules count only in a CloudEvents envelope;
     * a {@code traceparent} rule takes the trace-id of a W3C traceparent value.
     */
    private record JsonRule(int priority, int slot, boolean cloudEvents, boolean traceparent, String ruleText) {
        JsonRule(int priority, int slot, boolean cloudEvents, String ruleText) {
            this(priority, slot, cloudEvents, false, ruleText);
        }
    }

    /** A JSON number that is not a long: kept as its text (an ID may be one; a time or sequence not). */
    private record JsonNumber(String text) {
    }

    /** What one thread reuses from call to call: the extract state, the JSON slots and scanner, a string cache. */
    private static final class Scratch {
        final Object[] values = new Object[FIELDS];
        final String[] ruleTexts = new String[FIELDS];
        final int[] best = new int[FIELDS];
        final FastJsonScanner.Slots slots;
        final FastJsonScanner scanner = new FastJsonScanner();
        final TextCache texts = new TextCache();
        /**
         * The rules of header names seen on this thread, by the name as delivered: a source that
         * shares its name strings makes this a lookup by a cached hash and an identity check.
         */
        final Map<String, HeaderRule[]> headerRules = new HashMap<>();

        Scratch(int slotCount) {
            slots = new FastJsonScanner.Slots(slotCount);
        }
    }

    private final ExtractionRules rules;
    /** Rules by lower-cased header name (Locale.ROOT), all of them. */
    private final Map<String, HeaderRule[]> headerRules = new HashMap<>();
    /** The same for names that are ASCII, looked up by a header name of any case without copying it. */
    private final AsciiNameTable<HeaderRule[]> asciiHeaderRules;
    private final JsonRule[][] jsonRules = new JsonRule[FIELDS][];
    private final int[] firstJsonPriority = new int[FIELDS];
    private final PointerTrie trie = new PointerTrie();
    private final int slotCount;
    private final int specversionSlot;
    private final ThreadLocal<Scratch> scratch;
    private final boolean fastJson;

    /** An extractor applying these rules. */
    public EventExtractor(ExtractionRules rules) {
        this(rules, true);
    }

    /** An extractor applying these rules; with {@code fastJson} false, every payload is parsed by Jackson (for tests). */
    EventExtractor(ExtractionRules rules, boolean fastJson) {
        this.fastJson = fastJson;
        this.rules = Objects.requireNonNull(rules, "rules");
        Map<String, List<HeaderRule>> byName = new HashMap<>();
        boolean anyCloudEvents = false;
        for (Field f : Field.values()) {
            List<Source> sources = rules.sources(f);
            List<JsonRule> json = new ArrayList<>();
            for (int p = 0; p < sources.size(); p++) {
                switch (sources.get(p)) {
                    case HeaderSource h -> addHeader(byName, h.name(), new HeaderRule(f, p, Kind.PLAIN, h.describe()));
                    case TraceparentSource t -> {
                        addHeader(byName, "traceparent", new HeaderRule(f, p, Kind.TRACEPARENT, t.describe()));
                        // the CloudEvents Distributed Tracing extension, in every binding and in structured mode
                        for (String prefix : List.of("ce_", "cloudEvents_", "cloudEvents:", "ce-")) {
                            addHeader(byName, prefix + "traceparent", new HeaderRule(f, p, Kind.TRACEPARENT,
                                    "CloudEvents " + prefix + "traceparent trace-id"));
                        }
                        anyCloudEvents = true;
                        json.add(new JsonRule(p, trie.slotFor("/traceparent"), true, true,
                                "CloudEvents json /traceparent trace-id"));
                    }
                    case JsonSource j -> json.add(new JsonRule(p, trie.slotFor(j.pointer()), false, j.describe()));
                    case CloudEventsSource c -> {
                        anyCloudEvents = true;
                        String a = c.attribute();
                        addHeader(byName, "ce_" + a, new HeaderRule(f, p, Kind.PLAIN, "CloudEvents ce_" + a));
                        addHeader(byName, "cloudevents_" + a, new HeaderRule(f, p, Kind.PLAIN, "CloudEvents cloudEvents_" + a));
                        addHeader(byName, "cloudevents:" + a, new HeaderRule(f, p, Kind.PLAIN, "CloudEvents cloudEvents:" + a));
                        addHeader(byName, "ce-" + a, new HeaderRule(f, p, Kind.PLAIN, "CloudEvents ce-" + a));
                        json.add(new JsonRule(p, trie.slotFor("/" + a), true, "CloudEvents json /" + a));
                    }
                }
            }
            jsonRules[f.ordinal()] = json.toArray(new JsonRule[0]);
            firstJsonPriority[f.ordinal()] = json.isEmpty() ? Integer.MAX_VALUE : json.get(0).priority();
        }
        if (anyCloudEvents) {
            addHeader(byName, "content-type", new HeaderRule(null, -1, Kind.CONTENT_TYPE, "content-type"));
            specversionSlot = trie.slotFor("/specversion");
        } else {
            specversionSlot = -1;
        }
        byName.forEach((name, list) -> headerRules.put(name, list.toArray(new HeaderRule[0])));
        asciiHeaderRules = new AsciiNameTable<>(headerRules);
        trie.freeze();
        slotCount = trie.slots();
        scratch = ThreadLocal.withInitial(() -> new Scratch(slotCount));
    }

    /** An extractor applying the default rules. */
    public static EventExtractor withDefaults() {
        return new EventExtractor(ExtractionRules.defaults());
    }

    /** The rules in force. */
    public ExtractionRules rules() {
        return rules;
    }

    private static void addHeader(Map<String, List<HeaderRule>> byName, String name, HeaderRule rule) {
        byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(rule);
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
        Objects.requireNonNull(channel, "channel");
        Scratch sc = scratch.get();
        Object[] values = sc.values;
        String[] ruleTexts = sc.ruleTexts;
        int[] best = sc.best;
        for (int f = 0; f < FIELDS; f++) {
            values[f] = null;
            ruleTexts[f] = null;
            best[f] = Integer.MAX_VALUE;
        }
        boolean structured = false;

        if (headers != null) {
            if (headers instanceof RandomAccess) {
                for (int i = 0, n = headers.size(); i < n; i++) {
                    structured |= header(headers.get(i), sc);
                }
            } else {
                for (Header h : headers) {
                    structured |= header(h, sc);
                }
            }
        }

        boolean jsonWanted = false;
        for (int f = 0; f < FIELDS; f++) {
            jsonWanted |= firstJsonPriority[f] < best[f];
        }
        if (jsonWanted && looksLikeJsonObject(payload)) {
            FastJsonScanner.Slots slots = sc.slots;
            slots.clear();
            boolean json = fastJson && sc.scanner.scan(payload, trie.root(), slots);
            if (!json) {
                slots.clear();
                Object[] found = parse(payload);
                json = found != null;
                if (json) {
                    slots.setObjects(found);
                }
            }
            if (json) {
                boolean envelope = structured || (specversionSlot >= 0 && slots.present(specversionSlot));
                for (int f = 0; f < FIELDS; f++) {
                    Field field = FIELD_VALUES[f];
                    for (JsonRule r : jsonRules[f]) {
                        if (r.priority() >= best[f]) {
                            break;
                        }
                        if (r.cloudEvents() && !envelope) {
                            continue;
                        }
                        Object v = r.traceparent() ? jsonTraceId(slots, r.slot()) : fromJson(field, slots, r.slot(), sc.texts);
                        if (v != null) {
                            values[f] = v;
                            ruleTexts[f] = r.ruleText();
                            best[f] = r.priority();
                            break;
                        }
                    }
                }
            }
            slots.clear();
        }

        int c = Field.CORRELATION_ID.ordinal();
        int id = Field.EVENT_ID.ordinal();
        int type = Field.EVENT_TYPE.ordinal();
        int t = Field.EVENT_TIME.ordinal();
        int s = Field.SEQUENCE.ordinal();
        int cause = Field.CAUSATION_ID.ordinal();
        String eventId = (String) values[id];
        String eventIdRule = ruleTexts[id];
        if (eventId == null) {
            eventId = syntheticEventId(channel, key, payload);
            eventIdRule = DerivedFields.SYNTHETIC_EVENT_ID_RULE;
        }
        return DerivedFields.of((String) values[c], ruleTexts[c], eventId, eventIdRule,
                (String) values[type], ruleTexts[type], (Instant) values[t], ruleTexts[t],
                (Long) values[s], ruleTexts[s], (String) values[cause], ruleTexts[cause]);
    }

    /** Applies the rules reading this header; true when it marks a structured CloudEvents payload. */
    private boolean header(Header h, Scratch sc) {
        HeaderRule[] matches = sc.headerRules.get(h.name());
        if (matches == null) {
            matches = headerRules(h.name());
            if (matches == null) {
                matches = NO_RULES;
            }
            if (sc.headerRules.size() < MAX_CACHED_NAMES) {
                sc.headerRules.put(h.name(), matches);
            }
        }
        if (matches.length == 0) {
            return false;
        }
        boolean structured = false;
        int[] best = sc.best;
        for (HeaderRule r : matches) {
            if (r.kind() == Kind.CONTENT_TYPE) {
                structured |= isStructuredCloudEvents(h.value());
                continue;
            }
            int f = r.field().ordinal();
            if (r.priority() >= best[f]) {
                continue;
            }
            Object v = r.kind() == Kind.TRACEPARENT
                    ? traceId(h.value())
                    : fromHeader(r.field(), h.value(), sc.texts);
            if (v != null) {
                sc.values[f] = v;
                sc.ruleTexts[f] = r.ruleText();
                best[f] = r.priority();
            }
        }
        return structured;
    }

    /** The rules reading a header of this name, compared case-insensitively (as lower-cased by Locale.ROOT). */
    private HeaderRule[] headerRules(String name) {
        HeaderRule[] found = asciiHeaderRules.get(name);
        if (found != null || AsciiNameTable.isAscii(name)) {
            return found;
        }
        return headerRules.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Extracts the derived fields of one observation, with the event time falling back to the
     * broker timestamp ({@link #withBrokerTimestampFallback(DerivedFields, SourcePosition, Instant)}).
     *
     * @param channel    the channel it was observed on
     * @param key        key bytes or {@code null}
     * @param headers    headers in delivered order
     * @param payload    payload bytes or {@code null}
     * @param source     where the observation came from; says what {@code observedAt} means
     * @param observedAt the observation's observed time
     * @return the derived fields; never null
     * @throws NullPointerException when {@code channel}, {@code source} or {@code observedAt} is null
     */
    public DerivedFields extract(Channel channel, byte[] key, List<Header> headers, byte[] payload,
                                 SourcePosition source, Instant observedAt) {
        return withBrokerTimestampFallback(extract(channel, key, headers, payload), source, observedAt);
    }

    /**
     * The derived fields with the event time set to the broker timestamp when no rule found one
     * (docs/reference/extraction-rules.md, "Event time"): when {@code derived} has no event time and
     * {@code source} says its observed time is a broker timestamp ({@link #brokerTimestampRule}),
     * the event time becomes {@code observedAt} with that rule; otherwise {@code derived} is
     * returned unchanged. Idempotent.
     *
     * @throws NullPointerException when an argument is null
     */
    public static DerivedFields withBrokerTimestampFallback(DerivedFields derived, SourcePosition source, Instant observedAt) {
        Objects.requireNonNull(derived, "derived");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
        if (derived.eventTimeValue() != null) {
            return derived;
        }
        String rule = brokerTimestampRule(source);
        return rule == null ? derived : derived.withEventTime(new Derived<>(observedAt, rule));
    }

    /**
     * The event with the broker-timestamp fallback applied to its derived fields (see
     * {@link #withBrokerTimestampFallback(DerivedFields, SourcePosition, Instant)}); the same
     * instance when nothing changes. For events captured before the fallback existed.
     */
    public static CapturedEvent withBrokerTimestampFallback(CapturedEvent e) {
        DerivedFields d = withBrokerTimestampFallback(e.derived(), e.source(), e.observedAt());
        return d == e.derived() ? e : new CapturedEvent(e.seq(), e.channel(), e.source(), e.observedAt(),
                e.capturedAt(), e.key(), e.headers(), e.payload(), d);
    }

    /**
     * The rule text of a broker-timestamp event time for an observation from {@code source}, for
     * example {@code "broker timestamp (CreateTime)"}, or {@code null} when its observed time is not
     * a broker timestamp (a capture or poll time, or no timestamp). A source position says its
     * observed time is a broker timestamp with the attribute {@code timestampType} =
     * {@code CREATE_TIME} or {@code LOG_APPEND_TIME} ({@link io.eventlens.core.model.TimestampType}
     * names, as Kafka positions do).
     */
    public static String brokerTimestampRule(SourcePosition source) {
        Object type = source.attributes().get("timestampType");
        if ("CREATE_TIME".equals(type)) {
            return DerivedFields.BROKER_TIMESTAMP_RULE + " (CreateTime)";
        }
        if ("LOG_APPEND_TIME".equals(type)) {
            return DerivedFields.BROKER_TIMESTAMP_RULE + " (LogAppendTime)";
        }
        return null;
    }

    /**
     * The synthetic event ID of a message without one: lowercase hex SHA-256 (64 characters) of the
     * channel name, key and payload, each length-prefixed so that no two different triples collide
     * by concatenation.
     */
    public static String syntheticEventId(Channel channel, byte[] key, byte[] payload) {
        MessageDigest md = SHA256.get();
        md.reset();
        byte[] name = channel.name().getBytes(StandardCharsets.UTF_8);
        update(md, name);
        update(md, key);
        update(md, payload);
        return HEX.formatHex(md.digest());
    }

    private static void update(MessageDigest md, byte[] part) {
        int len = part == null ? -1 : part.length;
        md.update((byte) (len >>> 24));
        md.update((byte) (len >>> 16));
        md.update((byte) (len >>> 8));
        md.update((byte) len);
        if (part != null) {
            md.update(part);
        }
    }

    // ---- header values -------------------------------------------------------------------------

    private static boolean isStructuredCloudEvents(byte[] value) {
        if (value == null || value.length < STRUCTURED_CLOUDEVENTS.length()) {
            return false;
        }
        String text = new String(value, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
        return text.startsWith(STRUCTURED_CLOUDEVENTS)
                && (text.length() == STRUCTURED_CLOUDEVENTS.length()
                    || text.charAt(STRUCTURED_CLOUDEVENTS.length()) == ';'
                    || text.charAt(STRUCTURED_CLOUDEVENTS.length()) == ' ');
    }

    private static Object fromHeader(Field field, byte[] value, TextCache texts) {
        if (value == null || value.length == 0) {
            return null;
        }
        return switch (field) {
            case SEQUENCE -> HeaderValues.integer(value);
            case EVENT_TIME -> parseTime(HeaderValues.text(value));
            case CORRELATION_ID, EVENT_TYPE -> nonBlank(texts.text(value));
            default -> nonBlank(HeaderValues.text(value));
        };
    }

    /**
     * The trace-id of a W3C Trace Context {@code traceparent} value, or {@code null} when invalid:
     * {@code version-traceid-parentid-flags}, 2-32-16-2 lowercase hex; version {@code ff}, an all-zero
     * trace-id or parent-id are invalid; version {@code 00} has exactly these four parts, later
     * versions may append {@code -...}.
     */
    static String traceId(byte[] value) {
        if (value == null || value.length < 55) {
            return null;
        }
        if (value[2] != '-' || value[35] != '-' || value[52] != '-') {
            return null;
        }
        if (!lowerHex(value, 0, 2) || !lowerHex(value, 3, 35) || !lowerHex(value, 36, 52) || !lowerHex(value, 53, 55)) {
            return null;
        }
        boolean v00 = value[0] == '0' && value[1] == '0';
        if ((value[0] == 'f' && value[1] == 'f') || (v00 && value.length != 55)
                || (value.length > 55 && value[55] != '-')) {
            return null;
        }
        if (allZero(value, 3, 35) || allZero(value, 36, 52)) {
            return null;
        }
        return new String(value, 3, 32, StandardCharsets.ISO_8859_1);
    }

    private static boolean lowerHex(byte[] v, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = v[i];
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(byte[] v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (v[i] != '0') {
                return false;
            }
        }
        return true;
    }

    // ---- JSON ----------------------------------------------------------------------------------

    private static boolean looksLikeJsonObject(byte[] payload) {
        if (payload == null) {
            return false;
        }
        int i = 0;
        if (payload.length >= 3 && payload[0] == (byte) 0xEF && payload[1] == (byte) 0xBB && payload[2] == (byte) 0xBF) {
            i = 3; // UTF-8 byte order mark
        }
        for (; i < payload.length; i++) {
            byte b = payload[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    /**
     * For tests: the values at the wanted pointers by slot, as the Jackson walk makes them
     * ({@code String}, {@code Long} or a JSON number's text), found by the fast scanner
     * ({@code fast}; {@code null} when it leaves the payload to Jackson) or by Jackson ({@code null}
     * when the payload is not one complete JSON object).
     */
    Object[] jsonValues(byte[] payload, boolean fast) {
        if (!fast) {
            return parse(payload);
        }
        FastJsonScanner.Slots slots = new FastJsonScanner.Slots(slotCount);
        if (!new FastJsonScanner().scan(payload, trie.root(), slots)) {
            return null;
        }
        Object[] values = new Object[slotCount];
        for (int i = 0; i < slotCount; i++) {
            values[i] = switch (slots.kind[i]) {
                case FastJsonScanner.NONE -> null;
                case FastJsonScanner.LONG -> slots.number[i];
                case FastJsonScanner.NUMBER_TEXT -> new JsonNumber(slots.text(i));
                default -> slots.text(i);
            };
        }
        return values;
    }

    /** The values at the wanted pointers, or {@code null} when the payload is not one complete JSON object. */
    private Object[] parse(byte[] payload) {
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Object[] slots = new Object[slotCount];
            walkObject(p, trie.root(), slots);
            return slots;
        } catch (IOException | RuntimeException e) {
            // Not JSON, truncated, or beyond Jackson's stream limits: no JSON rule matches.
            return null;
        }
    }

    private static void walkObject(JsonParser p, PointerTrie.Node node, Object[] slots) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            PointerTrie.Node child = node.children.get(p.currentName());
            visit(p, p.nextToken(), child, slots);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + t + " in JSON object");
        }
    }

    private static void walkArray(JsonParser p, PointerTrie.Node node, Object[] slots) throws IOException {
        JsonToken t;
        int index = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new IOException("end of input inside a JSON array");
            }
            visit(p, t, node.children.get(Integer.toString(index++)), slots);
        }
    }

    private static void visit(JsonParser p, JsonToken t, PointerTrie.Node node, Object[] slots) throws IOException {
        if (t == null) {
            throw new IOException("end of input inside a JSON object");
        }
        if (node == null || (t.isStructStart() && node.children.isEmpty())) {
            p.skipChildren();
            return;
        }
        switch (t) {
            case START_OBJECT -> walkObject(p, node, slots);
            case START_ARRAY -> walkArray(p, node, slots);
            case VALUE_STRING -> setFirst(slots, node, p.getText());
            case VALUE_NUMBER_INT -> setFirst(slots, node, switch (p.getNumberType()) {
                case INT, LONG -> (Object) p.getLongValue();
                default -> new JsonNumber(p.getText());
            });
            case VALUE_NUMBER_FLOAT -> setFirst(slots, node, new JsonNumber(p.getText()));
            default -> { } // true, false, null: match nothing
        }
    }

    private static void setFirst(Object[] slots, PointerTrie.Node node, Object value) {
        if (node.slot >= 0 && slots[node.slot] == null) {
            slots[node.slot] = value;
        }
    }

    /** The trace-id of the W3C traceparent string in this slot, or {@code null}. */
    private static String jsonTraceId(FastJsonScanner.Slots slots, int slot) {
        return switch (slots.kind[slot]) {
            case FastJsonScanner.STRING_ASCII, FastJsonScanner.STRING_UTF8, FastJsonScanner.STRING_ESCAPED ->
                    traceId(slots.text(slot).getBytes(StandardCharsets.UTF_8));
            case FastJsonScanner.OBJECT -> slots.object[slot] instanceof String tp ? traceId(tp.getBytes(StandardCharsets.UTF_8)) : null;
            default -> null;
        };
    }

    /**
     * The value of a field from the JSON value in this slot, as {@link #fromJson(Field, Object)}
     * gives it for the value the Jackson walk makes, without making a string that is not taken.
     */
    private static Object fromJson(Field field, FastJsonScanner.Slots slots, int slot, TextCache texts) {
        switch (slots.kind[slot]) {
            case FastJsonScanner.NONE:
                return null;
            case FastJsonScanner.OBJECT:
                return fromJson(field, slots.object[slot]);
            case FastJsonScanner.LONG:
                return fromJson(field, (Object) slots.number[slot]);
            case FastJsonScanner.NUMBER_TEXT:
                return fromJson(field, new JsonNumber(slots.text(slot)));
            case FastJsonScanner.STRING_ASCII: {
                byte[] b = slots.payload;
                int from = slots.start[slot];
                int to = slots.end[slot];
                return switch (field) {
                    case SEQUENCE -> HeaderValues.decimal(b, from, to);
                    case EVENT_TIME -> parseTimeAscii(b, from, to);
                    case CORRELATION_ID, EVENT_TYPE -> nonBlank(texts.text(b, from, to));
                    default -> nonBlank(slots.text(slot));
                };
            }
            default:
                return fromJson(field, slots.text(slot));
        }
    }

    private static Object fromJson(Field field, Object value) {
        if (value == null) {
            return null;
        }
        return switch (field) {
            case SEQUENCE -> switch (value) {
                case Long l -> l;
                case String s -> HeaderValues.decimal(s.getBytes(StandardCharsets.ISO_8859_1));
                default -> null;
            };
            case EVENT_TIME -> switch (value) {
                case Long l -> epochMillis(l);
                case String s -> parseTime(s);
                default -> null;
            };
            default -> switch (value) {
                case String s -> nonBlank(s);
                case Long l -> l.toString();
                case JsonNumber n -> n.text();
                default -> null;
            };
        };
    }

    // ---- conversions ---------------------------------------------------------------------------

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** ISO-8601 instant text ({@code Z} or an offset), or decimal epoch milliseconds; else {@code null}. */
    public static Instant parseTime(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        if (s.isEmpty()) {
            return null;
        }
        if (Character.isDigit(s.charAt(s.length() - 1)) && s.indexOf('T') < 0 && s.indexOf('t') < 0) {
            Long millis = HeaderValues.decimal(s.getBytes(StandardCharsets.ISO_8859_1));
            return millis == null ? null : epochMillis(millis);
        }
        Instant fast = parseIsoFast(s);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeException e2) {
                return null; // no zone, or not a date: not a usable event time
            }
        }
    }

    /**
     * Fast path for the usual shape {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|+HH:MM|-HH:MM)}, about ten
     * times cheaper than {@link Instant#parse}; {@code null} for anything else (the caller falls back).
     */
    static Instant parseIsoFast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != 't')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && Character.isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, i + 3);
            int om = digits(s, i + 4, i + 6);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        try {
            long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
        } catch (DateTimeException e) {
            return null; // e.g. February 30th
        }
    }

    /**
     * {@link #parseTime(String)} of the text of these ASCII bytes (JSON string bytes without escapes),
     * without making the text for the usual shapes.
     */
    static Instant parseTimeAscii(byte[] b, int from, int to) {
        if (from == to || b[from] <= ' ' || b[to - 1] <= ' ') {
            return parseTime(new String(b, from, to - from, StandardCharsets.ISO_8859_1)); // blank or to be stripped
        }
        byte last = b[to - 1];
        if (last >= '0' && last <= '9' && !containsT(b, from, to)) {
            Long millis = HeaderValues.decimal(b, from, to);
            return millis == null ? null : epochMillis(millis);
        }
        Instant fast = parseIsoFast(b, from, to);
        return fast != null ? fast : parseTime(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static boolean containsT(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 'T' || b[i] == 't') {
                return true;
            }
        }
        return false;
    }

    /** {@link #parseIsoFast(String)} of the text of the ASCII bytes {@code b[from, to)}. */
    static Instant parseIsoFast(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 20 || b[from + 4] != '-' || b[from + 7] != '-' || (b[from + 10] != 'T' && b[from + 10] != 't')
                || b[from + 13] != ':' || b[from + 16] != ':') {
            return null;
        }
        int year = digits(b, from, from + 4);
        int month = digits(b, from + 5, from + 7);
        int day = digits(b, from + 8, from + 10);
        int hour = digits(b, from + 11, from + 13);
        int minute = digits(b, from + 14, from + 16);
        int second = digits(b, from + 17, from + 19);
        if ((year | month | day | hour | minute | second) < 0 || hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        int i = from + 19;
        int nanos = 0;
        if (b[i] == '.') {
            int start = ++i;
            while (i < to && i - start < 9 && b[i] >= '0' && b[i] <= '9') {
                nanos = nanos * 10 + (b[i] - '0');
                i++;
            }
            if (i == start) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == to - 1 && (b[i] == 'Z' || b[i] == 'z')) {
            offsetSeconds = 0;
        } else if (i == to - 6 && (b[i] == '+' || b[i] == '-') && b[i + 3] == ':') {
            int oh = digits(b, i + 1, i + 3);
            int om = digits(b, i + 4, i + 6);
            if ((oh | om) < 0 || oh > 18 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay = epochDay(year, month, day);
        if (epochDay == Long.MIN_VALUE) {
            return null; // e.g. February 30th
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /**
     * {@code LocalDate.of(year, month, day).toEpochDay()} for a year of 0 to 9999, without making the
     * date; {@link Long#MIN_VALUE} when {@code LocalDate.of} would throw (no such month or day).
     */
    static long epochDay(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return Long.MIN_VALUE;
        }
        if (day > 28) {
            boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
            int length = switch (month) {
                case 2 -> leap ? 29 : 28;
                case 4, 6, 9, 11 -> 30;
                default -> 31;
            };
            if (day > length) {
                return Long.MIN_VALUE;
            }
        }
        // java.time.LocalDate#toEpochDay
        long y = year;
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        } else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
            if (!leap) {
                total--;
            }
        }
        return total - 719_528; // days 0000 to 1970
    }

    private static int digits(byte[] b, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private static Instant epochMillis(long millis) {
        try {
            return Instant.ofEpochMilli(millis);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
