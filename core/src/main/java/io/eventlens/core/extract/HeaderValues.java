package io.eventlens.core.extract;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Decoding of raw header value bytes as the usual producers write them. Kafka headers are bytes
 * with no declared type: Spring Kafka writes ints as 4-byte big-endian and longs as 8-byte
 * big-endian (old {@code retry_topic-attempts}: 1 byte), most other producers write UTF-8 text.
 * Every method is total: bad input gives {@code null}, never an exception.
 */
public final class HeaderValues {

    private static final HexFormat HEX = HexFormat.of();

    private HeaderValues() {
    }

    /**
     * The value as text: UTF-8 when the bytes are valid UTF-8 without control characters (other
     * than tab, line feed and carriage return), else lowercase hex prefixed with {@code 0x} (for binary IDs such as Spring's raw
     * {@code kafka_correlationId}).
     *
     * @return the text, or {@code null} for a {@code null} value
     */
    public static String text(byte[] value) {
        if (value == null) {
            return null;
        }
        boolean ascii = true;
        for (byte b : value) {
            if (b < 0x20 || b == 0x7f) { // negative bytes: non-ASCII, checked below
                if (b >= 0 && b != '\t' && b != '\n' && b != '\r') {
                    return "0x" + HEX.formatHex(value);
                }
                ascii = ascii && b >= 0;
            }
        }
        if (ascii) {
            return new String(value, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return "0x" + HEX.formatHex(value);
        }
    }

    /**
     * The value as an integer: decimal ASCII text (optional sign, surrounding spaces allowed), else
     * a 1-byte (unsigned; only when not a printable ASCII character, which is text), 4-byte or
     * 8-byte big-endian binary integer.
     *
     * @return the number, or {@code null} when the value is none of these
     */
    public static Long integer(byte[] value) {
        if (value == null || value.length == 0) {
            return null;
        }
        Long decimal = decimal(value);
        if (decimal != null) {
            return decimal;
        }
        return switch (value.length) {
            case 1 -> value[0] >= 0x20 && value[0] < 0x7f ? null : (Long) (long) (value[0] & 0xff);
            case 4 -> (long) ByteBuffer.wrap(value).getInt();
            case 8 -> ByteBuffer.wrap(value).getLong();
            default -> null;
        };
    }

    /** Decimal ASCII digits with an optional sign and surrounding spaces, or {@code null}. */
    static Long decimal(byte[] value) {
        return decimal(value, 0, value.length);
    }

    /** {@link #decimal(byte[])} of the bytes {@code value[from, to)}. */
    static Long decimal(byte[] value, int from, int to) {
        int start = from;
        int end = to;
        while (start < end && value[start] == ' ') {
            start++;
        }
        while (end > start && value[end - 1] == ' ') {
            end--;
        }
        if (start == end) {
            return null;
        }
        boolean negative = false;
        if (value[start] == '-' || value[start] == '+') {
            negative = value[start] == '-';
            start++;
        }
        if (start == end || end - start > 18) { // 18 digits always fit a long
            return null;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            int d = value[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            n = n * 10 + d;
        }
        return negative ? -n : n;
    }
}
