package io.eventlens.core.flows;

/**
 * The correlation IDs a {@link FlowSummarizer} may have seen before the events it holds: a Bloom
 * filter of fixed size ({@value #BITS} bits, 4 MiB), so "never seen" is certain and costs no store
 * read, and "maybe seen" costs one lookup ({@code findByCorrelationId}) that finds nothing when it
 * was a false positive. At 1M IDs about 0.2% are false positives, at 5M about 4%. Not thread-safe.
 */
final class SeenFlows {

    static final int BITS = 1 << 25;
    private static final int HASHES = 5;

    /** Allocated on the first {@link #add}: a summarizer that never evicts costs nothing. */
    private long[] words;
    private long added;

    /** Remembers {@code id}. */
    void add(String id) {
        if (words == null) {
            words = new long[BITS / 64];
        }
        long h = hash(id);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32);
        for (int i = 0; i < HASHES; i++) {
            int bit = (h1 + i * h2) & (BITS - 1);
            words[bit >>> 6] |= 1L << bit;
        }
        added++;
    }

    /** False when {@code id} was certainly never {@linkplain #add added}. */
    boolean mightContain(String id) {
        if (added == 0) {
            return false;
        }
        long h = hash(id);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32);
        for (int i = 0; i < HASHES; i++) {
            int bit = (h1 + i * h2) & (BITS - 1);
            if ((words[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /** How many IDs were added (with repeats). */
    long added() {
        return added;
    }

    /**
     * The string's own hash (kept by the string: the summarizer looked the ID up by it already) and
     * length, spread over 64 bits with a SplitMix64 mix. Only in memory, never stored.
     */
    private static long hash(String s) {
        long h = (long) s.length() << 32 ^ (s.hashCode() & 0xFFFF_FFFFL) ^ 0x9E37_79B9_7F4A_7C15L;
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h | 1L << 32;   // h2 odd-ish and non-zero in its upper half
    }
}
