package io.eventlens.core.extract;

import static io.eventlens.core.extract.ExtractionRules.cloudEvents;
import static io.eventlens.core.extract.ExtractionRules.header;
import static io.eventlens.core.extract.ExtractionRules.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded differential fuzzer of the extractor's fast JSON scanner against Jackson: payloads from
 * a corpus of the shapes the scanner takes and the edges it leaves to Jackson (escapes, UTF-8 of 1
 * to 4 bytes and ill-formed UTF-8, numbers at the 18/19-digit and leading-zero edges, literals,
 * nesting, duplicates, odd whitespace, truncation), random JSON objects, and their mutations (bit
 * flips, special bytes, truncation, duplicated slices, splices). For each, under the default rules and
 * rules with array indexes, escaped and non-ASCII pointers and a pointer inside another's value:
 * <ul>
 *   <li>when the scanner accepts a payload, Jackson accepts it too and finds equal values at every pointer;</li>
 *   <li>the extractor finds the same derived fields as one that leaves every payload to Jackson;</li>
 *   <li>nothing throws.</li>
 * </ul>
 * {@value #DEFAULT_CASES} cases by default ({@code -Deventlens.fuzz.cases=N} for more);
 * {@code -Deventlens.fuzz.seed=S} replays a run (a failure prints its seed and case).
 */
class EventExtractorFuzzTest {

    private static final int DEFAULT_CASES = 20_000;
    private static final int CASES = Integer.getInteger("eventlens.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xE57_4AC7L);
    private static final byte[] SPECIAL = "{}[]\"\\:, \n\t\r\0\u007f0123456789-+.eEtfnu/".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] HIGH = {(byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0,
        (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
    private static final Channel CH = Channel.kafkaTopic("orders");

    private static final ExtractionRules CUSTOM = ExtractionRules.builder()
            .correlationId(json("/items/1/corr"), json("/a~1b"), json("/caf\u00e9"), json("/"), json("/data/correlationId"))
            .eventId(json("/data"), json("/items/0"), json("/id"))
            .eventType(cloudEvents("type"), json("/deep/a/b/c/d"), json("/type"))
            .eventTime(json("/t"), json("/timestamp"), json("/items/2"))
            .sequence(json("/seq"), json("/items/10"), json("/n"))
            .causationId(json("/x\u007fy"), json("/e\u0301"))
            .build();

    private static final List<String> CORPUS = List.of(
            "{\"eventId\":\"e-1\",\"correlationId\":\"bench-0\",\"eventType\":\"OrderPlaced\",\"sequence\":1,"
                    + "\"timestamp\":\"2026-11-30T08:00:00.033001Z\",\"data\":{\"amountCents\":1,\"note\":\"xxxxxxxxxxxxxxxxxxxxxx\"}}",
            "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"type\":\"com.shop.OrderPlaced\",\"source\":\"/orders\","
                    + "\"time\":\"2026-11-22T04:00:00Z\",\"correlationid\":\"c-9\",\"sequence\":\"42\","
                    + "\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",\"data\":{\"correlationId\":\"c-42\",\"total\":12.5}}",
            "{\"correlationId\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\ud800x\",\"eventId\":\"\\u0041\"}",
            "{\"correlationId\":\"caf\u00e9 \u20ac \uD83D\uDE00 \u0800 \uFFFD\",\"type\":\"\u00ff\",\"caf\u00e9\":\"named\"}",
            "{\"id\":0,\"seq\":-0,\"sequence\":123456789012345678,\"version\":1234567890123456789,\"n\":9223372036854775807}",
            "{\"id\":-9223372036854775808,\"seq\":1.5,\"sequence\":1e5,\"version\":1E-2,\"n\":-12.5e+3,\"t\":0.0}",
            "{\"timestamp\":\"2026-11-30T08:00:00+02:00\",\"createdAt\":\"2026-02-30T00:00:00Z\",\"time\":\"1763784000123\"}",
            "{\"timestamp\":\" 2026-11-30T08:00:00Z \",\"t\":\"2024-02-29t23:59:59.123456789z\",\"time\":\"2023-02-29T00:00:00Z\"}",
            "{\"timestamp\":\"2026-11-30T08:00:00.1234567891Z\",\"t\":\"2026-11-30T08:00:00-18:00\",\"createdAt\":\"+2026-11-30T08:00:00Z\"}",
            "{\"timestamp\":1763784000123,\"sequence\":\"  42 \",\"seq\":\"+7\",\"version\":\"-3\",\"time\":\"x\"}",
            "{\"a\":true,\"b\":false,\"c\":null,\"d\":[],\"e\":{},\"f\":[1,[2,[3]],{\"g\":\"h\"}],\"correlationId\":null,\"correlationId\":\"dup\"}",
            "  \r\n\t{ \"items\" : [ \"i0\" , {\"corr\":\"no\"} , {\"corr\":\"yes\"} , 3 ] , \"a/b\" : \"slash\" , \"\" : \"empty\" }  trailing",
            "{\"data\":{\"correlationId\":\"inner\"},\"data\":\"later\",\"deep\":{\"a\":{\"b\":{\"c\":{\"d\":\"deep\"}}}}}",
            "{\"data\":\"text\",\"items\":[\"a\",\"b\",\"2026-01-01T00:00:00Z\",3,4,5,6,7,8,9,\"10th\"],\"x\u007fy\":\"del\"}",
            "{\"correlationId\":\"\",\"eventId\":\"   \",\"eventType\":\"\\u0020\",\"causationId\":\"c\"}",
            "{\"eventId\":01,\"sequence\":-,\"version\":+1,\"seq\":.5,\"n\":1.,\"t\":1e}",
            "{\"eventId\":NaN,\"sequence\":tru,\"version\":nulls,\"seq\":falsey}",
            "{\"eventId\":\"e\",}",
            "{\"eventId\":\"e\" \"x\":1}",
            "{'eventId':'e'}",
            "{\"eventId\":\"e\"/*c*/}",
            "\uFEFF{\"eventId\":\"bom\"}",
            "{\"e\u0301\":\"combining\",\"eventId\":\"\\uZZZZ\"}",
            "{\"correlationId\":\"tab\there\"}",
            "{\"eventType\":\"x\",\"eventType\":\"y\",\"type\":1,\"eventId\":1e400,\"sequence\":99999999999999999999}",
            "{\"eventId\":\"" + "a".repeat(2000) + "\",\"" + "n".repeat(1200) + "\":1,\"sequence\":" + "1".repeat(120) + "}",
            "{\"data\":" + "[".repeat(70) + "]".repeat(70) + ",\"eventId\":\"after deep\"}",
            "{\"a\":" + "{\"a\":".repeat(80) + "1" + "}".repeat(80) + ",\"eventId\":\"after deeper\"}");

    private final EventExtractor fastDefaults = new EventExtractor(ExtractionRules.defaults(), true);
    private final EventExtractor jacksonDefaults = new EventExtractor(ExtractionRules.defaults(), false);
    private final EventExtractor fastCustom = new EventExtractor(CUSTOM, true);
    private final EventExtractor jacksonCustom = new EventExtractor(CUSTOM, false);

    @Test
    void theCorpusTakesBothPaths() {
        int fast = 0;
        for (String s : CORPUS) {
            byte[] payload = s.getBytes(StandardCharsets.UTF_8);
            check(payload, "corpus " + s);
            fast += fastDefaults.jsonValues(payload, true) != null ? 1 : 0;
        }
        // most corpus entries are for the scanner, some on purpose for Jackson alone
        assertThat(fast).isBetween(8, CORPUS.size() - 8);
    }

    @Test
    void randomAndMutatedPayloadsGiveWhatJacksonGives() {
        Random random = new Random(SEED);
        List<byte[]> corpus = new ArrayList<>();
        for (String s : CORPUS) {
            corpus.add(s.getBytes(StandardCharsets.UTF_8));
        }
        int accepted = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] payload = switch (random.nextInt(4)) {
                case 0 -> randomObject(random).getBytes(StandardCharsets.UTF_8);
                case 1 -> mutate(random, randomObject(random).getBytes(StandardCharsets.UTF_8));
                default -> mutate(random, corpus.get(random.nextInt(corpus.size())));
            };
            String where = "seed " + SEED + " case " + i + ": " + new String(payload, StandardCharsets.ISO_8859_1);
            check(payload, where);
            accepted += fastCustom.jsonValues(payload, true) != null ? 1 : 0;
        }
        assertThat(accepted).as("payloads the scanner took (names with escapes or not ASCII, and 19-digit integers, are left to Jackson)")
                .isGreaterThan(CASES / 8);
    }

    private void check(byte[] payload, String where) {
        try {
            for (EventExtractor[] pair : new EventExtractor[][] {{fastDefaults, jacksonDefaults}, {fastCustom, jacksonCustom}}) {
                Object[] fast = pair[0].jsonValues(payload, true);
                Object[] jackson = pair[1].jsonValues(payload, false);
                if (fast != null) {
                    assertThat(jackson).as("Jackson accepts what the scanner accepts: %s", where).isNotNull();
                    assertThat(fast).as("values at the pointers: %s", where).containsExactly(jackson);
                }
                List<Header> headers = List.of(Header.ofString("content-type", "application/cloudevents+json"));
                for (List<Header> h : List.of(List.<Header>of(), headers)) {
                    DerivedFields a = pair[0].extract(CH, null, h, payload);
                    DerivedFields b = pair[1].extract(CH, null, h, payload);
                    assertThat(a).as("derived fields: %s", where).isEqualTo(b);
                }
            }
        } catch (RuntimeException e) {
            fail(where + " threw " + e, e);
        }
    }

    // ---- generation

    private static String randomObject(Random r) {
        StringBuilder sb = new StringBuilder();
        object(r, sb, 0);
        return sb.toString();
    }

    private static final String[] NAMES = {"eventId", "correlationId", "eventType", "sequence", "timestamp", "data",
        "items", "id", "type", "seq", "version", "time", "createdAt", "specversion", "traceparent", "correlationid",
        "causationId", "a/b", "caf\u00e9", "", "t", "n", "deep", "a", "b", "c", "d", "corr", "x\u007fy", "metadata"};

    private static void object(Random r, StringBuilder sb, int depth) {
        sb.append('{');
        int n = r.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            ws(r, sb);
            string(r, sb, NAMES[r.nextInt(NAMES.length)], r.nextInt(10) == 0);
            ws(r, sb);
            sb.append(':');
            ws(r, sb);
            value(r, sb, depth);
            ws(r, sb);
        }
        sb.append('}');
    }

    private static void value(Random r, StringBuilder sb, int depth) {
        switch (r.nextInt(depth > 3 ? 4 : 7)) {
            case 0 -> string(r, sb, randomText(r), r.nextInt(4) == 0);
            case 1 -> sb.append(number(r));
            case 2 -> sb.append(List.of("true", "false", "null").get(r.nextInt(3)));
            case 3 -> string(r, sb, List.of("2026-11-30T08:00:00Z", "2026-11-30T08:00:00.123+01:30", "1763784000123",
                    "2024-02-29T12:00:00.1z", "2026-13-01T00:00:00Z", " 42", "-7 ", "0x10").get(r.nextInt(8)), false);
            case 4 -> object(r, sb, depth + 1);
            default -> {
                sb.append('[');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    value(r, sb, depth + 1);
                }
                sb.append(']');
            }
        }
    }

    private static String number(Random r) {
        return switch (r.nextInt(8)) {
            case 0, 6, 7 -> Integer.toString(r.nextInt(r.nextBoolean() ? 10 : Integer.MAX_VALUE));
            case 1 -> Long.toString(r.nextLong()); // mostly 19 digits: left to Jackson
            case 2 -> Long.toString(r.nextLong() >> r.nextInt(64));
            case 3 -> (r.nextBoolean() ? "-" : "") + "1" + "0".repeat(r.nextInt(25));
            case 4 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            default -> r.nextInt(100) + "." + r.nextInt(1000) + (r.nextBoolean() ? "e" + (r.nextInt(20) - 10) : "");
        };
    }

    private static String randomText(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(r.nextInt(8) == 0 ? 200 : 16);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(12)) {
                case 0 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                case 1 -> sb.append((char) (0x800 + r.nextInt(0xD000)));
                case 2 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                case 3 -> sb.append((char) r.nextInt(0x20));
                case 4 -> sb.append(List.of("\"", "\\", "/", "\u007f").get(r.nextInt(4)));
                default -> sb.append((char) (0x20 + r.nextInt(0x5f)));
            }
        }
        return sb.toString();
    }

    /** A JSON string of {@code text}: escaped as JSON requires, and more when {@code escapeMore}. */
    private static void string(Random r, StringBuilder sb, String text, boolean escapeMore) {
        sb.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (escapeMore && r.nextInt(3) == 0)) {
                sb.append(String.format(r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            } else if (escapeMore && c == '/' && r.nextBoolean()) {
                sb.append("\\/");
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static void ws(Random r, StringBuilder sb) {
        if (r.nextInt(4) == 0) {
            sb.append(List.of(" ", "\n", "\t", "\r\n", "  ").get(r.nextInt(5)));
        }
    }

    private static byte[] mutate(Random r, byte[] in) {
        byte[] b = in.clone();
        int rounds = 1 + r.nextInt(3);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = SPECIAL[r.nextInt(SPECIAL.length)];
                case 2 -> b[at] = HIGH[r.nextInt(HIGH.length)];
                case 3 -> b = Arrays.copyOf(b, at);
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 5 -> {
                    byte[] out = new byte[b.length + 1];
                    System.arraycopy(b, 0, out, 0, at);
                    out[at] = SPECIAL[r.nextInt(SPECIAL.length)];
                    System.arraycopy(b, at, out, at + 1, b.length - at);
                    b = out;
                }
                default -> {
                    byte[] out = new byte[b.length - 1];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + 1, out, at, b.length - at - 1);
                    b = out;
                }
            }
        }
        return b;
    }
}
