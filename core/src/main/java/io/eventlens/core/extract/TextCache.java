package io.eventlens.core.extract;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Shares one string among repeated short values of printable ASCII (event types, the four events
 * of one flow naming its correlation ID): the text of such bytes is what both
 * {@link HeaderValues#text(byte[])} and a JSON string without escapes give, so a hit returns an
 * equal string without decoding, and the captured events in flight hold one copy instead of one
 * each. Direct-mapped, {@link #SIZE} entries of at most {@link #MAX_BYTES} bytes. Not thread-safe:
 * one per thread.
 */
final class TextCache {

    static final int SIZE = 256;
    static final int MAX_BYTES = 64;

    private final byte[][] keys = new byte[SIZE][];
    private final String[] texts = new String[SIZE];

    /** {@link HeaderValues#text(byte[])} of a header value. */
    String text(byte[] value) {
        String s = cached(value, 0, value.length);
        return s != null ? s : HeaderValues.text(value);
    }

    /** The text of the printable-ASCII bytes {@code b[from, to)} (a JSON string without escapes or control characters). */
    String text(byte[] b, int from, int to) {
        String s = cached(b, from, to);
        return s != null ? s : new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** The cached text, cached now, or {@code null} when these bytes are not cacheable (long, or not printable ASCII). */
    private String cached(byte[] b, int from, int to) {
        int n = to - from;
        if (n > MAX_BYTES) {
            return null;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c < 0x20 || c == 0x7f) { // negative: not ASCII
                return null;
            }
            h = 31 * h + c;
        }
        int slot = (h ^ (h >>> 8) ^ (h >>> 16)) & (SIZE - 1);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) {
            return texts[slot];
        }
        key = Arrays.copyOfRange(b, from, to);
        String text = new String(key, StandardCharsets.ISO_8859_1);
        keys[slot] = key;
        texts[slot] = text;
        return text;
    }
}
