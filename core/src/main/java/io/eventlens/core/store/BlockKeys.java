package io.eventlens.core.store;

import io.eventlens.core.model.DerivedFields;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The lookup keys of one event block, stored in its {@code block_key} row in the same transaction
 * as the block (docs/decisions/0008-block-keys.md):
 * <ul>
 *   <li>a Bloom filter of the block's correlation IDs and one of its event IDs, which tell a lookup
 *       which blocks may hold the ID (false positives are possible and cost one decode of the
 *       block's index fields; false negatives are not);</li>
 *   <li>the block's distinct correlation IDs, sorted and front-coded, which the correlation ID
 *       completion merges across blocks.</li>
 * </ul>
 *
 * <p>Formats (all stored bytes are untrusted input, like the blocks: a reader checks every length
 * and refuses what is not of this format, and the store then scans the block instead):
 * <ul>
 *   <li><b>Filter</b>: byte {@value #FILTER_FORMAT}, byte {@code k} (1..{@value #MAX_HASHES}), then
 *       {@code m / 8} bytes of bits as little-endian 64-bit words ({@code m} a multiple of 64, 0 for
 *       a block without any such ID, at most {@value #MAX_FILTER_BITS}). Key {@code s} sets bits
 *       {@code (g_i * m) >>> 32} for {@code i = 1..k}, where {@code g_i = h1 + i * h2} as an unsigned
 *       32-bit number over the low ({@code h1}) and high ({@code h2}) halves of {@link #hash}: double
 *       hashing (Kirsch and Mitzenmacher, "Less Hashing, Same Performance: Building a Better Bloom
 *       Filter", 2006) with a multiply-shift range reduction instead of a division (Lemire, "A fast
 *       alternative to the modulo reduction", 2016). Written with {@value #BITS_PER_KEY} bits per
 *       ID and {@value #HASHES} hashes: a false-positive rate of about 0.05% per block.</li>
 *   <li><b>ID list</b>: byte {@value #IDS_FORMAT}, varint count (at most {@value #MAX_IDS}), then per
 *       ID in ascending {@link String#compareTo} order: varint length of the prefix shared with the
 *       previous ID (in UTF-16 chars), varint number of further chars, and each further char as a
 *       varint (so ASCII takes one byte per char and any {@code char}, even a lone surrogate, is
 *       kept exactly). Every ID must be greater than the one before.</li>
 * </ul>
 */
final class BlockKeys {

    /** Format byte of a filter. */
    static final int FILTER_FORMAT = 1;
    /** Format byte of an ID list. */
    static final int IDS_FORMAT = 1;
    /** Bits per distinct ID the writer gives a filter. */
    static final int BITS_PER_KEY = 16;
    /** Hashes per ID the writer uses: about {@code BITS_PER_KEY * ln 2}. */
    static final int HASHES = 11;
    /** The most hashes a stored filter may name. */
    static final int MAX_HASHES = 32;
    /**
     * The most IDs of one kind in a block: one per event ({@link H2CaptureStore#BLOCK_EVENTS}).
     * A filter holds at most {@code MAX_IDS * BITS_PER_KEY} bits, rounded up to 64.
     */
    static final int MAX_IDS = H2CaptureStore.BLOCK_EVENTS;
    /** The most bits a stored filter may have; more is not a filter this writer made. */
    static final int MAX_FILTER_BITS = MAX_IDS * BITS_PER_KEY;

    private BlockKeys() {
    }

    /**
     * The 64-bit hash the filters are built from: FNV-1a over the UTF-16 chars of {@code s}, then
     * MurmurHash3's 64-bit finalizer (fmix64) so that both 32-bit halves are well mixed. Stored
     * filters depend on it: it never changes for {@link #FILTER_FORMAT} 1.
     */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0, n = s.length(); i < n; i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Collects the keys of one block while the writer encodes it. Costs per event: one comparison
     * of the correlation ID with the previous event's (a flow's events often arrive together), else
     * an insert into an open-addressing set, and one {@link #hash} of the event ID; per block,
     * sorting its distinct correlation IDs (kept in arrival order, which is often nearly sorted, so
     * the sort mostly merges runs) and setting the filters' bits. A new block reuses the arrays of
     * the one before. Not thread-safe.
     */
    static final class Builder {
        private static final int INITIAL = 256;
        /** A set grown past this by one block is dropped at the next reset rather than cleared. */
        private static final int KEEP = 8192;
        /** The block's distinct correlation IDs in arrival order. */
        private String[] ids = new String[INITIAL / 2];
        private int idCount;
        /** The same IDs as an open-addressing set (linear probing, Fibonacci hashing). */
        private String[] set = new String[INITIAL];
        private int shift = 32 - Integer.numberOfTrailingZeros(INITIAL);
        /** The correlation ID added last, or {@code null}. */
        private String lastId;
        private long[] eventHashes = new long[64];
        private int eventIds;

        /** Starts a new block. */
        void reset() {
            if (idCount > 0) {
                if (set.length > KEEP) {
                    set = new String[INITIAL];
                    shift = 32 - Integer.numberOfTrailingZeros(INITIAL);
                    ids = new String[INITIAL / 2];
                } else {
                    Arrays.fill(set, null);
                    Arrays.fill(ids, 0, idCount, null);
                }
                idCount = 0;
            }
            lastId = null;
            eventIds = 0;
        }

        /** Adds one event's IDs (either may be absent). */
        void add(DerivedFields derived) {
            add(derived.correlationIdValue(), derived.eventIdValue());
        }

        /** Adds one event's IDs; {@code null} for an absent one. */
        void add(String correlationId, String eventId) {
            if (correlationId != null && correlationId != lastId && !correlationId.equals(lastId)) {
                addCorrelationId(correlationId);
                lastId = correlationId;
            }
            if (eventId != null) {
                if (eventIds == eventHashes.length) {
                    eventHashes = Arrays.copyOf(eventHashes, eventIds * 2);
                }
                eventHashes[eventIds++] = hash(eventId);
            }
        }

        private void addCorrelationId(String id) {
            int mask = set.length - 1;
            int i = (id.hashCode() * 0x9E3779B9) >>> shift;
            for (String k; (k = set[i]) != null; i = (i + 1) & mask) {
                if (k.equals(id)) {
                    return;
                }
            }
            set[i] = id;
            if (idCount == ids.length) {
                ids = Arrays.copyOf(ids, idCount * 2);
            }
            ids[idCount++] = id;
            if (2 * idCount > set.length) {
                set = new String[set.length * 2];
                shift--;
                mask = set.length - 1;
                for (int n = 0; n < idCount; n++) {
                    int j = (ids[n].hashCode() * 0x9E3779B9) >>> shift;
                    while (set[j] != null) {
                        j = (j + 1) & mask;
                    }
                    set[j] = ids[n];
                }
            }
        }

        /** The block's keys in their stored forms. */
        Stored build() {
            String[] sorted = Arrays.copyOf(ids, idCount);
            Arrays.sort(sorted);
            long[] idHashes = new long[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                idHashes[i] = hash(sorted[i]);
            }
            return new Stored(filter(idHashes, idHashes.length), filter(eventHashes, eventIds), idList(sorted));
        }
    }

    /**
     * One block's keys as stored in its {@code block_key} row.
     *
     * @param correlationKeys the filter of its correlation IDs ({@code correlation_keys})
     * @param eventKeys       the filter of its event IDs ({@code event_keys})
     * @param correlationIds  its distinct correlation IDs, sorted ({@code correlation_ids})
     */
    record Stored(byte[] correlationKeys, byte[] eventKeys, byte[] correlationIds) {
    }

    /**
     * A filter (the format of the class comment) holding the first {@code n} of {@code hashes},
     * sized for {@code n} IDs (a repeated hash only sets its bits again).
     */
    static byte[] filter(long[] hashes, int n) {
        int words = n == 0 ? 0 : (int) ((Math.min((long) n, MAX_IDS) * BITS_PER_KEY + 63) / 64);
        long[] bits = new long[words];
        for (int i = 0; i < n; i++) {
            set(bits, hashes[i], HASHES);
        }
        ByteBuffer out = ByteBuffer.allocate(2 + words * 8).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) FILTER_FORMAT).put((byte) HASHES);
        for (long w : bits) {
            out.putLong(w);
        }
        return out.array();
    }

    private static void set(long[] bits, long hash, int k) {
        long m = bits.length * 64L;
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32);
        for (int i = 1; i <= k; i++) {
            long bit = ((h1 + i * h2) & 0xFFFF_FFFFL) * m >>> 32;
            bits[(int) (bit >>> 6)] |= 1L << bit;
        }
    }

    /** The ID list (the format of the class comment) of {@code sorted}, ascending and distinct. */
    static byte[] idList(String[] sorted) {
        Bytes out = new Bytes(16 + sorted.length * 8);
        out.put(IDS_FORMAT);
        out.varint(sorted.length);
        String prev = "";
        for (String id : sorted) {
            int shared = 0;
            int max = Math.min(prev.length(), id.length());
            while (shared < max && prev.charAt(shared) == id.charAt(shared)) {
                shared++;
            }
            out.varint(shared);
            out.varint(id.length() - shared);
            for (int i = shared; i < id.length(); i++) {
                out.varint(id.charAt(i));
            }
            prev = id;
        }
        return out.toArray();
    }

    /** A growing byte array. */
    private static final class Bytes {
        private byte[] buf;
        private int pos;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        void put(int b) {
            if (pos == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[pos++] = (byte) b;
        }

        void varint(int v) {
            while ((v & ~0x7F) != 0) {
                put((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            put(v);
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * A stored filter, read back.
     *
     * @param bits   the filter's bits ({@code m = bits.length * 64})
     * @param hashes its {@code k}
     */
    record Filter(long[] bits, int hashes) {

        /**
         * Reads a stored filter.
         *
         * @return the filter, or {@code null} when {@code stored} is not a filter of this format
         *         (the caller then treats the block as having no keys and scans it)
         */
        static Filter read(byte[] stored) {
            if (stored == null || stored.length < 2 || stored[0] != FILTER_FORMAT
                    || stored[1] < 1 || stored[1] > MAX_HASHES
                    || (stored.length - 2) % 8 != 0 || (stored.length - 2) * 8L > MAX_FILTER_BITS) {
                return null;
            }
            long[] bits = new long[(stored.length - 2) / 8];
            ByteBuffer.wrap(stored, 2, stored.length - 2).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(bits);
            return new Filter(bits, stored[1]);
        }

        /** False when no ID with this {@link #hash} was added; true when it may have been. */
        boolean mightContain(long hash) {
            long m = bits.length * 64L;
            if (m == 0) {
                return false;
            }
            int h1 = (int) hash;
            int h2 = (int) (hash >>> 32);
            for (int i = 1; i <= hashes; i++) {
                long bit = ((h1 + i * h2) & 0xFFFF_FFFFL) * m >>> 32;
                if ((bits[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        /** Bytes of memory the filter holds (for the store's accounting). */
        int bytes() {
            return bits.length * 8 + 16;
        }
    }

    /**
     * A stored ID list checked from end to end, with its first and last ID, so that a prefix
     * search skips the blocks whose range cannot hold the prefix without reading them.
     *
     * @param data  the list as stored
     * @param first its first ID, {@code null} when empty
     * @param last  its last ID, {@code null} when empty
     */
    record IdList(byte[] data, String first, String last) {

        /**
         * Reads a stored ID list.
         *
         * @return the list, or {@code null} when {@code stored} is not an ID list of this format
         *         (the caller then scans the block instead)
         */
        static IdList read(byte[] stored) {
            try {
                IdCursor cursor = new IdCursor(stored);
                String first = null;
                String last = null;
                if (cursor.next()) {
                    first = cursor.current();
                    boolean more = true;
                    while (more) {
                        last = cursor.currentIfLast();
                        more = cursor.next();
                    }
                }
                return new IdList(stored, first, last);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** False when no ID of this list can start with {@code prefix}, judged by its first and last ID. */
        boolean mayHavePrefix(String prefix) {
            return first != null && last.compareTo(prefix) >= 0
                    && (first.compareTo(prefix) <= 0 || first.startsWith(prefix));
        }

        /** A cursor before its first ID. */
        IdCursor cursor() {
            return new IdCursor(data);
        }
    }

    /**
     * Reads a stored ID list in order, one ID at a time, without creating a {@code String} for the
     * IDs it skips ({@link #skipTo}). Not thread-safe.
     */
    static final class IdCursor {
        private final byte[] data;
        private int pos;
        private int left;
        private char[] current = new char[32];
        private int length;
        private boolean valid;

        /**
         * A cursor before the first ID of {@code data}.
         *
         * @throws IllegalArgumentException when {@code data} is not an ID list of this format
         */
        IdCursor(byte[] data) {
            this.data = data;
            if (data == null || data.length < 2 || data[0] != IDS_FORMAT) {
                throw new IllegalArgumentException("not a correlation ID list of format " + IDS_FORMAT);
            }
            pos = 1;
            left = varint("count");
            if (left > MAX_IDS) {
                throw new IllegalArgumentException("correlation ID list claims " + left + " IDs, more than " + MAX_IDS);
            }
        }

        /**
         * Moves to the next ID.
         *
         * @return false at the end of the list
         * @throws IllegalArgumentException when the list is damaged (a length past its end, an ID
         *                                  not greater than the one before, trailing bytes)
         */
        boolean next() {
            if (left == 0) {
                if (pos != data.length) {
                    throw new IllegalArgumentException("correlation ID list has " + (data.length - pos) + " trailing bytes");
                }
                valid = false;
                return false;
            }
            left--;
            int shared = varint("shared prefix");
            int more = varint("suffix length");
            if (shared > length) {   // length is 0 before the first ID
                throw new IllegalArgumentException("correlation ID shares " + shared + " chars with one of " + length);
            }
            if (more > data.length - pos) {
                throw new IllegalArgumentException("correlation ID of " + more + " more chars exceeds the "
                        + (data.length - pos) + " bytes left");
            }
            int newLength = shared + more;
            if (newLength > current.length) {
                current = Arrays.copyOf(current, Math.max(newLength, current.length * 2));
            }
            boolean greater = !valid;   // the first ID needs no predecessor
            for (int i = 0; i < more; i++) {
                int c = varint("char");
                if (c > Character.MAX_VALUE) {
                    throw new IllegalArgumentException("char value " + c + " out of range");
                }
                if (!greater && shared + i < length) {
                    if (c < current[shared + i]) {
                        throw new IllegalArgumentException("correlation IDs are not in ascending order");
                    }
                    greater = c > current[shared + i];
                } else if (!greater) {
                    greater = true;   // the previous ID is a proper prefix of this one
                }
                current[shared + i] = (char) c;
            }
            if (!greater) {
                throw new IllegalArgumentException("correlation IDs are not strictly ascending");
            }
            length = newLength;
            valid = true;
            return true;
        }

        /** Compares the current ID with {@code s} as {@link String#compareTo} would. */
        int compareTo(String s) {
            int n = Math.min(length, s.length());
            for (int i = 0; i < n; i++) {
                int d = current[i] - s.charAt(i);
                if (d != 0) {
                    return d;
                }
            }
            return length - s.length();
        }

        /** Compares the current IDs of two cursors as {@link String#compareTo} would. */
        int compareTo(IdCursor other) {
            int n = Math.min(length, other.length);
            for (int i = 0; i < n; i++) {
                int d = current[i] - other.current[i];
                if (d != 0) {
                    return d;
                }
            }
            return length - other.length;
        }

        /** True when the current ID starts with {@code prefix}. */
        boolean startsWith(String prefix) {
            if (length < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (current[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Moves to the first ID not less than {@code s}, if the cursor is before it.
         *
         * @return false when no such ID is left
         */
        boolean skipTo(String s) {
            if (valid && compareTo(s) >= 0) {
                return true;
            }
            while (next()) {
                if (compareTo(s) >= 0) {
                    return true;
                }
            }
            return false;
        }

        /** The current ID. */
        String current() {
            return new String(current, 0, length);
        }

        /** The current ID when it is the last of the list (no string made for the others), else {@code null}. */
        String currentIfLast() {
            return left == 0 ? current() : null;
        }

        private int varint(String what) {
            int v = 0;
            for (int shift = 0; shift <= 28; shift += 7) {
                if (pos >= data.length) {
                    throw new IllegalArgumentException(what + ": varint past the end at byte " + pos);
                }
                byte b = data[pos++];
                v |= (b & 0x7F) << shift;
                if (b >= 0) {
                    if (v < 0) {
                        throw new IllegalArgumentException(what + ": negative varint at byte " + pos);
                    }
                    return v;
                }
            }
            throw new IllegalArgumentException(what + ": varint longer than 5 bytes at byte " + pos);
        }
    }
}
