package io.eventlens.core.extract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The extractor's fast path through a JSON payload: one pass over the bytes, no objects made, that
 * records where the values of the wanted pointers are ({@link Slots}). It accepts only a strict
 * subset of the JSON that Jackson's streaming parser (with {@link EventExtractor}'s factory
 * settings) accepts, and finds the same values in it; on anything outside that subset it gives up
 * ({@link #scan} returns false) and the extractor parses the payload with Jackson as before, so
 * what is found, and which payloads match no JSON rule, stay Jackson's decision.
 *
 * <p>The subset: at most {@link #MAX_BYTES} bytes; a first non-blank byte <code>{</code> (no byte
 * order mark); JSON whitespace (space, tab, CR, LF); member names of printable ASCII without
 * escapes, at most {@link #MAX_NAME} bytes; strings of well-formed UTF-8 (Unicode table 3-7)
 * without unescaped control characters, escapes {@code \" \\ \/ \b \f \n \r \t \\uXXXX}; numbers in
 * the JSON grammar, at most {@link #MAX_NUMBER} characters, integers at most 18 digits;
 * {@code true}, {@code false}, {@code null}; nesting at most {@link #MAX_DEPTH} deep; the value after
 * a name, number or literal followed by a delimiter. Like the Jackson walk, it reads nothing after
 * the object's closing brace. Not thread-safe: one per thread.
 */
final class FastJsonScanner {

    /** Larger payloads go to Jackson (its string length limit is far above this). */
    static final int MAX_BYTES = 1 << 20;
    /** Deeper nesting goes to Jackson (its limit is 500 or more). */
    static final int MAX_DEPTH = 64;
    /** Longer member names go to Jackson (its limit is 50,000). */
    static final int MAX_NAME = 1_000;
    /** Longer numbers go to Jackson (its limit is 1,000 digits). */
    static final int MAX_NUMBER = 100;

    /** No value. */
    static final byte NONE = 0;
    /** A string of printable ASCII (and DEL) without escapes: the bytes are the text. */
    static final byte STRING_ASCII = 1;
    /** A string of well-formed UTF-8 with non-ASCII characters, without escapes. */
    static final byte STRING_UTF8 = 2;
    /** A string with escapes. */
    static final byte STRING_ESCAPED = 3;
    /** An integer of at most 18 digits: {@link Slots#number}. */
    static final byte LONG = 4;
    /** A number with a fraction or exponent: its ASCII text. */
    static final byte NUMBER_TEXT = 5;
    /** A value the Jackson walk found: {@link Slots#object}. */
    static final byte OBJECT = 6;

    /**
     * The values found at the wanted pointers of one payload: per slot a kind and the value's byte
     * range in {@link #payload} (or its number, or the object the Jackson walk made). The first value
     * at a pointer counts. Reused per thread.
     */
    static final class Slots {
        final byte[] kind;
        final int[] start;
        final int[] end;
        final long[] number;
        final Object[] object;
        /** The slots set, {@link #used} of them. */
        private final int[] set;
        private int used;
        byte[] payload;

        Slots(int slots) {
            kind = new byte[slots];
            start = new int[slots];
            end = new int[slots];
            number = new long[slots];
            object = new Object[slots];
            set = new int[slots];
        }

        void clear() {
            for (int i = 0; i < used; i++) {
                int slot = set[i];
                if (kind[slot] == OBJECT) {
                    object[slot] = null;
                }
                kind[slot] = NONE;
            }
            used = 0;
            payload = null;
        }

        boolean present(int slot) {
            return kind[slot] != NONE;
        }

        void setFirst(int slot, byte k, int from, int to) {
            if (slot >= 0 && kind[slot] == NONE) {
                set[used++] = slot;
                kind[slot] = k;
                start[slot] = from;
                end[slot] = to;
            }
        }

        void setFirstLong(int slot, long value) {
            if (slot >= 0 && kind[slot] == NONE) {
                set[used++] = slot;
                kind[slot] = LONG;
                number[slot] = value;
            }
        }

        /** Takes the values of the Jackson walk ({@code null}: none). */
        void setObjects(Object[] values) {
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null && kind[i] == NONE) {
                    set[used++] = i;
                    kind[i] = OBJECT;
                    object[i] = values[i];
                }
            }
        }

        /** The text of a string slot, as Jackson's {@code getText()} gives it. */
        String text(int slot) {
            int from = start[slot];
            int to = end[slot];
            return switch (kind[slot]) {
                case STRING_ASCII, NUMBER_TEXT -> new String(payload, from, to - from, StandardCharsets.ISO_8859_1);
                case STRING_UTF8 -> new String(payload, from, to - from, StandardCharsets.UTF_8);
                case STRING_ESCAPED -> unescape(payload, from, to);
                default -> throw new IllegalStateException("slot " + slot + " holds no text");
            };
        }
    }

    /** Bytes that stand for themselves in a string or name: printable ASCII and DEL, but for {@code "} and {@code \}. */
    private static final boolean[] PLAIN = new boolean[256];

    static {
        for (int c = 0x20; c < 0x80; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    /** Eight bytes at once, in any byte order (the test is per byte). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * True when all eight bytes of {@code x} are {@link #PLAIN}: none is {@code "}, {@code \}, below
     * 0x20 or above 0x7F (the zero-byte and less-than tests of "Bit Twiddling Hacks", exact for
     * bytes below 0x80; a byte above 0x7F sets its high bit anyway).
     */
    private static boolean plain8(long x) {
        long quote = x ^ 0x2222222222222222L;
        long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
        long t = ((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | ((x - 0x2020202020202020L) & ~x) | x;
        return (t & HIGH_BITS) == 0;
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private byte[] b;
    private int p;
    private int end;
    private Slots slots;

    /**
     * Scans {@code payload} for the values at the trie's pointers.
     *
     * @return true when the payload is one JSON object of the subset: {@code slots} hold its values;
     *         false when it is not (Jackson decides then; {@code slots} hold partial values)
     */
    boolean scan(byte[] payload, PointerTrie.Node root, Slots into) {
        if (payload.length > MAX_BYTES) {
            return false;
        }
        b = payload;
        end = payload.length;
        p = 0;
        slots = into;
        into.payload = payload;
        try {
            ws();
            return p < end && b[p] == '{' && object(root.leaf() ? null : root, 1);
        } finally {
            b = null;
            slots = null;
        }
    }

    private void ws() {
        while (p < end) {
            byte c = b[p];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                p++;
            } else {
                return;
            }
        }
    }

    /** At <code>{</code>; {@code node} null when nothing is wanted inside. */
    private boolean object(PointerTrie.Node node, int depth) {
        p++;
        ws();
        if (p >= end) {
            return false;
        }
        if (b[p] == '}') {
            p++;
            return true;
        }
        while (true) {
            if (p >= end || b[p] != '"') {
                return false;
            }
            int from = ++p;
            while (p + 8 <= end && plain8((long) LONGS.get(b, p))) {
                p += 8;
            }
            while (p < end && PLAIN[b[p] & 0xFF]) {
                p++;
            }
            if (p >= end || b[p] != '"') {
                return false; // an escape, a control character or a character that is not ASCII
            }
            int to = p++;
            if (to - from > MAX_NAME) {
                return false;
            }
            PointerTrie.Node child = node == null ? null : node.child(b, from, to, PointerTrie.hash(b, from, to));
            ws();
            if (p >= end || b[p] != ':') {
                return false;
            }
            p++;
            ws();
            if (!value(child, depth)) {
                return false;
            }
            ws();
            if (p >= end) {
                return false;
            }
            byte c = b[p++];
            if (c == '}') {
                return true;
            }
            if (c != ',') {
                return false;
            }
            ws();
        }
    }

    /** At <code>[</code>. */
    private boolean array(PointerTrie.Node node, int depth) {
        p++;
        ws();
        if (p >= end) {
            return false;
        }
        if (b[p] == ']') {
            p++;
            return true;
        }
        int index = 0;
        while (true) {
            if (!value(node == null ? null : node.child(index++), depth)) {
                return false;
            }
            ws();
            if (p >= end) {
                return false;
            }
            byte c = b[p++];
            if (c == ']') {
                return true;
            }
            if (c != ',') {
                return false;
            }
            ws();
        }
    }

    private boolean value(PointerTrie.Node node, int depth) {
        if (p >= end) {
            return false;
        }
        byte c = b[p];
        switch (c) {
            case '{':
                return depth < MAX_DEPTH && object(node == null || node.leaf() ? null : node, depth + 1);
            case '[':
                return depth < MAX_DEPTH && array(node == null || node.leaf() ? null : node, depth + 1);
            case '"':
                return string(node);
            case 't':
                return literal(TRUE);
            case 'n':
                return literal(NULL);
            case 'f':
                return literal(FALSE);
            default:
                return (c == '-' || (c >= '0' && c <= '9')) && number(node);
        }
    }

    /** The literal's bytes at {@code p}, followed by a delimiter. */
    private boolean literal(byte[] word) {
        int n = word.length;
        if (p + n >= end || !Arrays.equals(b, p, p + n, word, 0, n)) {
            return false;
        }
        p += n;
        return delimiter(b[p]);
    }

    private static boolean delimiter(byte c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private boolean string(PointerTrie.Node node) {
        int from = ++p;
        byte kind = STRING_ASCII;
        while (true) {
            while (p + 8 <= end && plain8((long) LONGS.get(b, p))) {
                p += 8;
            }
            while (p < end && PLAIN[b[p] & 0xFF]) {
                p++;
            }
            if (p >= end) {
                return false;
            }
            byte c = b[p];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                kind = STRING_ESCAPED;
                if (++p >= end) {
                    return false;
                }
                byte e = b[p];
                if (e == 'u') {
                    if (p + 4 >= end || !hex(b[p + 1]) || !hex(b[p + 2]) || !hex(b[p + 3]) || !hex(b[p + 4])) {
                        return false;
                    }
                    p += 5;
                } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                    p++;
                } else {
                    return false;
                }
            } else if (c >= 0x20) {
                p++;
            } else if (c >= 0) {
                return false; // unescaped control character
            } else {
                int n = utf8(b, p, end);
                if (n == 0) {
                    return false;
                }
                p += n;
                if (kind == STRING_ASCII) {
                    kind = STRING_UTF8;
                }
            }
        }
        int to = p++;
        if (node != null) {
            slots.setFirst(node.slot, kind, from, to);
        }
        return true;
    }

    private boolean number(PointerTrie.Node node) {
        int from = p;
        boolean negative = b[p] == '-';
        if (negative && ++p >= end) {
            return false;
        }
        byte c = b[p];
        if (c < '0' || c > '9') {
            return false;
        }
        long v = 0;
        if (c == '0') {
            p++;
            if (p < end && b[p] >= '0' && b[p] <= '9') {
                return false; // leading zero
            }
        } else {
            int digits = 0;
            while (p < end && (c = b[p]) >= '0' && c <= '9') {
                if (++digits > 18) {
                    return false;
                }
                v = v * 10 + (c - '0');
                p++;
            }
        }
        boolean integral = true;
        if (p < end && b[p] == '.') {
            integral = false;
            int digitsFrom = ++p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == digitsFrom) {
                return false;
            }
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            integral = false;
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            int digitsFrom = p;
            while (p < end && b[p] >= '0' && b[p] <= '9') {
                p++;
            }
            if (p == digitsFrom) {
                return false;
            }
        }
        if (p - from > MAX_NUMBER || p >= end || !delimiter(b[p])) {
            return false;
        }
        if (node != null) {
            if (integral) {
                slots.setFirstLong(node.slot, negative ? -v : v);
            } else {
                slots.setFirst(node.slot, NUMBER_TEXT, from, p);
            }
        }
        return true;
    }

    private static boolean hex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean continuation(byte c) {
        return (c & 0xC0) == 0x80;
    }

    /**
     * The length of the well-formed UTF-8 sequence of a non-ASCII character at {@code i} (Unicode
     * table 3-7: no overlong forms, no surrogates, at most U+10FFFF), or 0.
     */
    static int utf8(byte[] b, int i, int end) {
        int b0 = b[i] & 0xFF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            return i + 1 < end && continuation(b[i + 1]) ? 2 : 0;
        }
        if (b0 >= 0xE0 && b0 <= 0xEF) {
            if (i + 2 >= end) {
                return 0;
            }
            int b1 = b[i + 1] & 0xFF;
            int lo = b0 == 0xE0 ? 0xA0 : 0x80;
            int hi = b0 == 0xED ? 0x9F : 0xBF;
            return b1 >= lo && b1 <= hi && continuation(b[i + 2]) ? 3 : 0;
        }
        if (b0 >= 0xF0 && b0 <= 0xF4) {
            if (i + 3 >= end) {
                return 0;
            }
            int b1 = b[i + 1] & 0xFF;
            int lo = b0 == 0xF0 ? 0x90 : 0x80;
            int hi = b0 == 0xF4 ? 0x8F : 0xBF;
            return b1 >= lo && b1 <= hi && continuation(b[i + 2]) && continuation(b[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    /** The text of a scanned string with escapes (well-formed UTF-8 between them). */
    static String unescape(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int run = from;
        int i = from;
        while (i < to) {
            if (b[i] != '\\') {
                i++;
                continue;
            }
            if (i > run) {
                sb.append(new String(b, run, i - run, StandardCharsets.UTF_8));
            }
            byte e = b[i + 1];
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append((char) Integer.parseInt(new String(b, i + 2, 4, StandardCharsets.ISO_8859_1), 16));
                default -> sb.append((char) e); // " \ /
            }
            i += e == 'u' ? 6 : 2;
            run = i;
        }
        if (to > run) {
            sb.append(new String(b, run, to - run, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
