package io.eventlens.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The extractor's allocation-free paths give what the plain ones they replace give: times parsed
 * from bytes, the date arithmetic, header names looked up without lower-casing, shared strings.
 */
class ExtractorFastPathsTest {

    private static final Channel CH = Channel.kafkaTopic("orders");

    @Test
    void epochDayIsLocalDatesForEveryMonthAndDayOfManyYears() {
        for (int year = 0; year <= 9999; year += year < 2200 ? 1 : 37) {
            for (int month = 0; month <= 13; month++) {
                for (int day = 0; day <= 32; day++) {
                    long expected;
                    try {
                        expected = LocalDate.of(year, month, day).toEpochDay();
                    } catch (DateTimeException e) {
                        expected = Long.MIN_VALUE;
                    }
                    assertThat(EventExtractor.epochDay(year, month, day)).as("%d-%d-%d", year, month, day).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void timesParsedFromBytesAreTheTextsTimes() {
        Random r = new Random(11);
        String[] shapes = {"2026-11-30T08:00:00Z", "2026-11-30T08:00:00.1Z", "2026-11-30t08:00:00.123456789z",
            "2024-02-29T23:59:59.999+14:00", "1970-01-01T00:00:00-18:00", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "2023-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-30T24:00:00Z", "2026-11-30T08:60:00Z",
            "2026-11-30T08:00:60Z", "2026-11-30T08:00:00.Z", "2026-11-30T08:00:00.1234567891Z", "2026-11-30T08:00:00+19:00",
            "2026-11-30T08:00:00+02:60", "2026-11-30T08:00:00+0200", "2026-11-30T08:00:00", "2026-11-30 08:00:00Z",
            "1763784000123", "-1763784000123", "+17", " 2026-11-30T08:00:00Z", "2026-11-30T08:00:00Z ", "", "Z",
            "99999999999999999999", "2026-11-30T08:00:00.123+01:30x", "+2026-11-30T08:00:00Z", "2026-1-30T08:00:00Z"};
        for (String shape : shapes) {
            assertSameTime(shape);
        }
        byte[] alphabet = "0123456789-:T.tZz+ x".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = shapes[r.nextInt(shapes.length)].getBytes(StandardCharsets.ISO_8859_1);
            if (b.length > 0) {
                b[r.nextInt(b.length)] = alphabet[r.nextInt(alphabet.length)];
            }
            assertSameTime(new String(b, StandardCharsets.ISO_8859_1));
        }
    }

    private static void assertSameTime(String text) {
        byte[] framed = ("\"" + text + "\"").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(EventExtractor.parseTimeAscii(framed, 1, framed.length - 1)).as("'%s'", text)
                .isEqualTo(EventExtractor.parseTime(text));
        if (text.length() >= 20) {
            assertThat(EventExtractor.parseIsoFast(framed, 1, framed.length - 1)).as("'%s'", text)
                    .isEqualTo(EventExtractor.parseIsoFast(text));
        }
    }

    @Test
    void headerNamesAreFoundAsLowerCasingThemWouldFindThem() {
        Map<String, String> byLowerCase = new HashMap<>();
        for (String name : List.of("correlationid", "ce_id", "content-type", "amqp.correlation_id", "x", "k\u00e9y",
                "\u00df", "kafka_correlationid")) {
            byLowerCase.put(name, name.toUpperCase(Locale.ROOT));
        }
        AsciiNameTable<String> table = new AsciiNameTable<>(byLowerCase);
        Random r = new Random(5);
        String chars = "correlationIDCORRELATIONce_-.idamqpxXkK\u00e9\u00c9\u212a\u0130\u0131\u00df";
        for (int i = 0; i < 100_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(4) == 0 ? r.nextInt(22) : 0;
            for (int k = 0; k < n; k++) {
                sb.append(chars.charAt(r.nextInt(chars.length())));
            }
            String name = n > 0 ? sb.toString() : randomCase(r, List.copyOf(byLowerCase.keySet()).get(r.nextInt(byLowerCase.size())));
            String expected = byLowerCase.get(name.toLowerCase(Locale.ROOT));
            if (AsciiNameTable.isAscii(name)) {
                assertThat(table.get(name)).as(name).isEqualTo(expected);
            } else {
                assertThat(table.get(name)).as(name).isNull();
            }
        }
    }

    private static String randomCase(Random r, String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(r.nextBoolean() ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    @Test
    void aHeaderNameThatLowerCasesToARuleStillFindsIt() {
        // KELVIN SIGN lower-cases to 'k' (Locale.ROOT), as before: the name is not ASCII, so it takes the slow path
        List<Header> headers = List.of(Header.ofString("\u212Aafka_CorrelationId", "c-k"));
        DerivedFields d = EventExtractor.withDefaults().extract(CH, null, headers, null);
        assertThat(d.correlationIdValue()).isEqualTo("c-k");
        assertThat(d.correlationIdRule()).isEqualTo("header kafka_correlationId");
    }

    @Test
    void sharedStringsAreTheTextsOfTheBytes() {
        TextCache cache = new TextCache();
        Random r = new Random(3);
        byte[][] values = new byte[600][];
        for (int i = 0; i < values.length; i++) {
            byte[] v = new byte[r.nextInt(4) == 0 ? 70 : r.nextInt(12)];
            for (int k = 0; k < v.length; k++) {
                v[k] = switch (r.nextInt(10)) {
                    case 0 -> (byte) r.nextInt(256);
                    case 1 -> 0x7f;
                    default -> (byte) (0x20 + r.nextInt(0x5f));
                };
            }
            values[i] = v;
        }
        for (int i = 0; i < 50_000; i++) {
            byte[] v = values[r.nextInt(r.nextBoolean() ? 8 : values.length)];
            assertThat(cache.text(v)).isEqualTo(HeaderValues.text(v));
            byte[] framed = new byte[v.length + 2];
            System.arraycopy(v, 0, framed, 1, v.length);
            if (isJsonAscii(v)) {
                assertThat(cache.text(framed, 1, framed.length - 1)).isEqualTo(new String(v, StandardCharsets.ISO_8859_1));
            }
        }
        byte[] mutable = "OrderPlaced".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(cache.text(mutable)).isEqualTo("OrderPlaced");
        mutable[0] = 'X';
        assertThat(cache.text(mutable)).as("the cache keeps its own copy of the bytes").isEqualTo("XrderPlaced");
    }

    /** What a JSON string without escapes of only ASCII can hold: 0x20 to 0x7F. */
    private static boolean isJsonAscii(byte[] v) {
        for (byte b : v) {
            if (b < 0x20) {
                return false;
            }
        }
        return true;
    }
}
