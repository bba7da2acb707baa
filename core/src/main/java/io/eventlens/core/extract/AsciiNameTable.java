package io.eventlens.core.extract;

import java.util.Map;

/**
 * A read-only table from lower-case ASCII names to values, looked up by a name in any case without
 * lower-casing a copy of it: {@code get(name)} is {@code map.get(name.toLowerCase(Locale.ROOT))} for
 * an ASCII {@code name}, restricted to the map's ASCII keys (for an ASCII name, {@code Locale.ROOT}
 * lower-casing only maps {@code A-Z} to {@code a-z}). Open addressing; thread-safe.
 *
 * @param <V> value type
 */
final class AsciiNameTable<V> {

    private final String[] keys;
    private final int[] hashes;
    private final Object[] values;
    private final int mask;

    /** A table of the entries of {@code byLowerCaseName} whose keys are ASCII. */
    AsciiNameTable(Map<String, V> byLowerCaseName) {
        int size = 16;
        while (size < byLowerCaseName.size() * 4) {
            size <<= 1;
        }
        keys = new String[size];
        hashes = new int[size];
        values = new Object[size];
        mask = size - 1;
        byLowerCaseName.forEach((key, value) -> {
            if (isAscii(key)) {
                int h = key.hashCode();
                int i = spread(h) & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                hashes[i] = h;
                values[i] = value;
            }
        });
    }

    /** The value of the key equal to {@code name} lower-cased, or {@code null} (also for a name that is not ASCII). */
    @SuppressWarnings("unchecked")
    V get(String name) {
        int n = name.length();
        int h = 0;
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            h = 31 * h + lower(c);
        }
        for (int i = spread(h) & mask; keys[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && equalsLowered(keys[i], name)) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** True when every char of {@code s} is ASCII. */
    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsLowered(String key, String name) {
        int n = key.length();
        if (name.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (key.charAt(i) != lower(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
