package io.eventlens.core.extract;

import com.fasterxml.jackson.core.JsonPointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON Pointers of an {@link EventExtractor}'s rules as a trie: children by member name (or
 * array index), and a value slot per pointer. Built once; read-only and thread-safe after
 * {@link #freeze()}.
 */
final class PointerTrie {

    /** One node: children by member name and a value slot ({@code -1}: none). */
    static final class Node {
        /** Children by member name (an array index as its decimal text), for the Jackson walk. */
        final Map<String, Node> children = new HashMap<>();
        int slot = -1;
        /**
         * Children whose names are ASCII, by the names' bytes, for {@link FastJsonScanner}: an
         * open-addressing table keyed by {@link #hash} of the name.
         */
        private byte[][] asciiNames = new byte[1][];
        private int[] asciiHashes = new int[1];
        /** {@link #head} and {@link #tail} of each name: with its length, the whole name when at most 16 bytes. */
        private long[] asciiHeads = new long[1];
        private long[] asciiTails = new long[1];
        private Node[] asciiChildren = new Node[1];
        /** Children whose names are array indexes ({@code Integer.toString(index)}). */
        private int[] indexes = new int[0];
        private Node[] indexChildren = new Node[0];

        /** The child named by the ASCII bytes {@code name[from, to)} whose {@link #hash} is {@code hash}, or {@code null}. */
        Node child(byte[] name, int from, int to, int hash) {
            int mask = asciiNames.length - 1;
            for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
                byte[] n = asciiNames[i];
                if (n == null) {
                    return null;
                }
                if (asciiHashes[i] == hash && n.length == to - from && head(name, from, to) == asciiHeads[i]
                        && tail(name, from, to) == asciiTails[i]
                        && (n.length <= 16 || Arrays.equals(n, 8, n.length - 8, name, from + 8, to - 8))) {
                    return asciiChildren[i];
                }
            }
        }

        /** The child at this array index, or {@code null}. */
        Node child(int index) {
            int[] idx = indexes;
            for (int i = 0; i < idx.length; i++) {
                if (idx[i] == index) {
                    return indexChildren[i];
                }
            }
            return null;
        }

        /** True when the walk has nothing to find below this node. */
        boolean leaf() {
            return children.isEmpty();
        }

        private void freeze() {
            int ascii = 0;
            int index = 0;
            for (String name : children.keySet()) {
                ascii += isAscii(name) ? 1 : 0;
                index += arrayIndex(name) >= 0 ? 1 : 0;
            }
            int size = 2;
            while (size < ascii * 3) {
                size <<= 1;
            }
            asciiNames = new byte[size][];
            asciiHashes = new int[size];
            asciiHeads = new long[size];
            asciiTails = new long[size];
            asciiChildren = new Node[size];
            indexes = new int[index];
            indexChildren = new Node[index];
            int x = 0;
            for (Map.Entry<String, Node> e : children.entrySet()) {
                if (isAscii(e.getKey())) {
                    byte[] name = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
                    int h = hash(name, 0, name.length);
                    int slot = spread(h) & (size - 1);
                    while (asciiNames[slot] != null) {
                        slot = (slot + 1) & (size - 1);
                    }
                    asciiNames[slot] = name;
                    asciiHashes[slot] = h;
                    asciiHeads[slot] = head(name, 0, name.length);
                    asciiTails[slot] = tail(name, 0, name.length);
                    asciiChildren[slot] = e.getValue();
                }
                int i = arrayIndex(e.getKey());
                if (i >= 0) {
                    indexes[x] = i;
                    indexChildren[x++] = e.getValue();
                }
                e.getValue().freeze();
            }
        }
    }

    private final Node root = new Node();
    private int slots;

    /** The root. */
    Node root() {
        return root;
    }

    /** Number of slots handed out. */
    int slots() {
        return slots;
    }

    /** The slot of this pointer, a new one unless the pointer has one already. */
    int slotFor(String pointer) {
        Node node = root;
        for (JsonPointer ptr = JsonPointer.compile(pointer); !ptr.matches(); ptr = ptr.tail()) {
            node = node.children.computeIfAbsent(ptr.getMatchingProperty(), k -> new Node());
        }
        if (node.slot < 0) {
            node.slot = slots++;
        }
        return node.slot;
    }

    /** Builds the lookup arrays of {@link FastJsonScanner}; call once, after the last {@link #slotFor}. */
    void freeze() {
        root.freeze();
    }

    /** The hash of a member name's bytes {@code b[from, to)}: of its length and its first and last two bytes, in constant time. */
    static int hash(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return n == 0 ? 0 : b[from];
        }
        return (((n * 31 + b[from]) * 31 + b[from + 1]) * 31 + b[to - 2]) * 31 + b[to - 1];
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The first 8 bytes of {@code b[from, to)} as a long; fewer, zero-extended, when shorter. */
    static long head(byte[] b, int from, int to) {
        if (to - from >= 8) {
            return (long) LONGS.get(b, from);
        }
        long v = 0;
        for (int i = to - 1; i >= from; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** The last 8 bytes of {@code b[from, to)} as a long, or 0 when shorter than 8 (then {@link #head} has them all). */
    static long tail(byte[] b, int from, int to) {
        return to - from >= 8 ? (long) LONGS.get(b, to - 8) : 0;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The index whose {@code Integer.toString} is {@code name}, or -1 (the Jackson walk looks children up so). */
    private static int arrayIndex(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        try {
            int i = Integer.parseInt(name);
            return i >= 0 && Integer.toString(i).equals(name) ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
