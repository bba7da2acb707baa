package io.eventlens.core.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored form of one flush of flow summaries (schema V7, {@code flow_summary_block.summaries};
 * docs/decisions/0020-flow-summary-blocks.md): every flow summary of one flush in one value, so a
 * flush costs one row instead of one SQL {@code MERGE} per flow.
 *
 * <p>Layout (all integers unsigned LEB128 varints, {@code zz} zig-zag first): the whole is format
 * byte {@value #FORMAT_LZ4}, the plain length, then the plain bytes LZ4-compressed; or format byte
 * {@value #FORMAT_PLAIN} followed by the plain bytes. The plain bytes: the number of dictionary
 * strings, each string; the number of summaries; per summary its correlation ID (a string), the
 * category (dictionary index), the rank, the verdict message (dictionary index), the event count,
 * the first observed ms ({@code zz}), the last minus the first observed ms ({@code zz}), the
 * channel count, the number of channel names kept and each (dictionary index), the number of
 * anomaly kinds and per kind its name (dictionary index) and count. A string is its length in
 * chars and each char as a varint (any {@code char} kept exactly, one byte per ASCII char, as
 * {@link BlockKeys}' ID lists).
 *
 * <p>The bytes are untrusted input (docs/decisions/0007-untrusted-capture-files.md): {@link #decode}
 * checks every length, count and index against the bytes that remain and throws
 * {@link IllegalArgumentException} naming what is wrong; it never allocates more than the bytes
 * given can describe.
 */
final class FlowSummaryBlock {

    static final int FORMAT_PLAIN = 1;
    static final int FORMAT_LZ4 = 2;
    /** A plain block is at most this many times its compressed size (LZ4's bound is about 255). */
    private static final int LZ4_MAX_RATIO = 300;

    private FlowSummaryBlock() {
    }

    /** The stored bytes of these summaries (LZ4-compressed when that is smaller). */
    static byte[] encode(java.util.Collection<FlowRecord> flows) {
        return encode(flows, true);
    }

    /** As {@link #encode(java.util.Collection)}; without {@code compress}, always {@value #FORMAT_PLAIN} (tests). */
    static byte[] encode(java.util.Collection<FlowRecord> flows, boolean compress) {
        Map<String, Integer> dict = new HashMap<>();
        List<String> words = new ArrayList<>();
        Out body = new Out(64 + flows.size() * 40);
        body.varint(flows.size());
        for (FlowRecord f : flows) {
            put(body, f, dict, words);
        }
        Out plain = new Out(body.pos + 16 + words.size() * 16);
        plain.varint(words.size());
        for (String w : words) {
            plain.string(w);
        }
        plain.bytes(body.buf, body.pos);
        byte[] packed = new byte[Lz4.maxPackedLength(plain.pos)];
        int n = Lz4.pack(FORMAT_LZ4, plain.buf, plain.pos, packed);
        if (compress && n < plain.pos + 1) {
            return Arrays.copyOf(packed, n);
        }
        byte[] out = new byte[plain.pos + 1];
        out[0] = (byte) FORMAT_PLAIN;
        System.arraycopy(plain.buf, 0, out, 1, plain.pos);
        return out;
    }

    /**
     * One summary's fields into {@code body}, its strings but the correlation ID as dictionary
     * indexes. A method of its own, not the body of {@link #encode}'s loop: the JIT then compiles it
     * once, instead of again with each compilation of the loop (on-stack replacement, then the
     * method; docs/decisions/0010-bounded-memory-launch.md, amendments).
     */
    private static void put(Out body, FlowRecord f, Map<String, Integer> dict, List<String> words) {
        body.string(f.correlationId());
        body.varint(word(dict, words, f.category()));
        body.varint(Math.max(0, f.rank()));
        body.varint(word(dict, words, f.verdictMessage()));
        body.varlong(Math.max(0, f.eventCount()));
        body.zigzag(f.firstObservedMs());
        body.zigzag(f.lastObservedMs() - f.firstObservedMs());
        body.varint(Math.max(0, f.channelCount()));
        body.varint(f.channels().size());
        for (String c : f.channels()) {
            body.varint(word(dict, words, c));
        }
        body.varint(f.anomalyCounts().size());
        for (Map.Entry<String, Integer> e : f.anomalyCounts().entrySet()) {
            body.varint(word(dict, words, e.getKey()));
            body.varint(Math.max(0, e.getValue()));
        }
    }

    private static int word(Map<String, Integer> dict, List<String> words, String w) {
        Integer i = dict.get(w);
        if (i == null) {
            i = words.size();
            dict.put(w, i);
            words.add(w);
        }
        return i;
    }

    /** Receives each summary of a block as it is decoded. */
    interface Visitor {
        /**
         * @param summary the summary
         * @param offset  where it starts in the block's plain bytes ({@link Decoded#at})
         */
        void summary(FlowRecord summary, int offset);
    }

    /** A block's plain bytes and dictionary, for reading single summaries back by offset. */
    static final class Decoded {
        private final byte[] plain;
        private final String[] dict;
        final int count;
        private final int firstOffset;

        private Decoded(byte[] plain, String[] dict, int count, int firstOffset) {
            this.plain = plain;
            this.dict = dict;
            this.count = count;
            this.firstOffset = firstOffset;
        }

        /** The summary at {@code offset} (one a {@link Visitor} was given). */
        FlowRecord at(int offset) {
            return record(new In(plain, offset), dict, new HashMap<>());
        }

        /** Every summary in stored order, with its offset. */
        void forEach(Visitor visitor) {
            In in = new In(plain, firstOffset);
            Map<List<String>, List<String>> lists = new HashMap<>();
            for (int i = 0; i < count; i++) {
                int at = in.pos;
                visitor.summary(record(in, dict, lists), at);
            }
            if (in.pos != plain.length) {
                throw new IllegalArgumentException((plain.length - in.pos) + " bytes after the last summary");
            }
        }

        /** Receives what a reader orders and counts by, per summary ({@link #forEachKey}). */
        interface KeyVisitor {
            void key(String correlationId, String category, int rank, long lastObservedMs, int offset);
        }

        /**
         * Every summary's correlation ID, category, rank and last observed ms with its offset, in stored
         * order, checking the whole block as {@link #forEach} does but without making the records.
         *
         * @throws IllegalArgumentException when the bytes are damaged (the visitor may have seen some)
         */
        void forEachKey(KeyVisitor visitor) {
            In in = new In(plain, firstOffset);
            for (int i = 0; i < count; i++) {
                int at = in.pos;
                String id = in.string();
                String category = in.word(dict);
                int rank = in.count("rank", 0);
                in.word(dict);
                in.varlong();
                long first = in.zigzag();
                long last = first + in.zigzag();
                in.count("channel count", 0);
                int kept = in.count("channel names", 1);
                if (kept > FlowRecord.MAX_CHANNELS) {
                    throw new IllegalArgumentException(kept + " channel names, more than " + FlowRecord.MAX_CHANNELS);
                }
                for (int c = 0; c < kept; c++) {
                    in.word(dict);
                }
                int kinds = in.count("anomaly kinds", 2);
                for (int k = 0; k < kinds; k++) {
                    in.word(dict);
                    in.count("anomaly count", 0);
                }
                visitor.key(id, category, rank, last, at);
            }
            if (in.pos != plain.length) {
                throw new IllegalArgumentException((plain.length - in.pos) + " bytes after the last summary");
            }
        }

        /** Heap bytes this holds (estimate). */
        long weight() {
            return plain.length + 16L * dict.length + 64;
        }
    }

    /**
     * Decodes a stored block's header and dictionary; {@link Decoded#forEach} then checks and reads
     * every summary.
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not a block
     */
    static Decoded decode(byte[] data) {
        if (data == null || data.length == 0) {
            throw new IllegalArgumentException("no bytes");
        }
        byte[] plain;
        int format = data[0] & 0xFF;
        if (format == FORMAT_PLAIN) {
            plain = Arrays.copyOfRange(data, 1, data.length);
        } else if (format == FORMAT_LZ4) {
            In in = new In(data, 1);
            long declared = in.varlong();
            int compressed = data.length - in.pos;
            if (declared < 1 || declared > (long) compressed * LZ4_MAX_RATIO || declared > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("declared plain length " + declared + " does not fit " + compressed
                        + " compressed bytes");
            }
            plain = new byte[(int) declared];
            int n;
            try {
                n = Lz4.DECOMPRESSOR.decompress(data, in.pos, compressed, plain, 0, plain.length);
            } catch (net.jpountz.lz4.LZ4Exception e) {
                throw new IllegalArgumentException("LZ4 data is damaged: " + e.getMessage(), e);
            }
            if (n != declared) {
                throw new IllegalArgumentException("LZ4 data decompresses to " + n + " bytes, not " + declared);
            }
        } else {
            throw new IllegalArgumentException("unknown format " + format);
        }
        In in = new In(plain, 0);
        int words = in.count("dictionary size", 1);
        String[] dict = new String[words];
        for (int i = 0; i < words; i++) {
            dict[i] = in.string();
        }
        int count = in.count("summary count", 8);
        return new Decoded(plain, dict, count, in.pos);
    }

    private static FlowRecord record(In in, String[] dict, Map<List<String>, List<String>> lists) {
        String id = in.string();
        String category = in.word(dict);
        int rank = in.count("rank", 0);
        String verdict = in.word(dict);
        long events = in.varlong();
        long first = in.zigzag();
        long last = first + in.zigzag();
        int channelCount = in.count("channel count", 0);
        int kept = in.count("channel names", 1);
        if (kept > FlowRecord.MAX_CHANNELS) {
            throw new IllegalArgumentException(kept + " channel names, more than " + FlowRecord.MAX_CHANNELS);
        }
        List<String> channels;
        if (kept == 0) {
            channels = List.of();
        } else {
            String[] names = new String[kept];
            for (int i = 0; i < kept; i++) {
                names[i] = in.word(dict);
            }
            channels = lists.computeIfAbsent(List.of(names), l -> l);
        }
        int kinds = in.count("anomaly kinds", 2);
        Map<String, Integer> counts;
        if (kinds == 0) {
            counts = Map.of();
        } else {
            counts = new LinkedHashMap<>();
            for (int i = 0; i < kinds; i++) {
                String k = in.word(dict);
                counts.put(k, in.count("anomaly count", 0));
            }
        }
        return new FlowRecord(id, category, rank, verdict, events, first, last, channelCount, channels, counts);
    }

    /** A growing byte buffer with varint writers. */
    private static final class Out {
        byte[] buf;
        int pos;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void room(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void varint(int v) {
            varlong(v & 0xFFFFFFFFL);
        }

        void varlong(long v) {
            room(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void zigzag(long v) {
            varlong((v << 1) ^ (v >> 63));
        }

        void string(String s) {
            varint(s.length());
            room(s.length() * 3);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    buf[pos++] = (byte) c;
                } else {
                    varint(c);
                }
            }
        }

        void bytes(byte[] b, int n) {
            room(n);
            System.arraycopy(b, 0, buf, pos, n);
            pos += n;
        }
    }

    /** A reader over untrusted bytes: every read checks what remains. */
    private static final class In {
        final byte[] buf;
        int pos;

        In(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        long varlong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= buf.length) {
                    throw new IllegalArgumentException("truncated at byte " + pos);
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("varint longer than 10 bytes at byte " + pos);
        }

        long zigzag() {
            long v = varlong();
            return (v >>> 1) ^ -(v & 1);
        }

        /** A count of items of at least {@code minBytes} each, checked against the bytes that remain. */
        int count(String what, int minBytes) {
            long v = varlong();
            if (v < 0 || v > Integer.MAX_VALUE || (minBytes > 0 && v > (long) (buf.length - pos) / minBytes + 1)) {
                throw new IllegalArgumentException(what + " " + Long.toUnsignedString(v) + " at byte " + pos
                        + " does not fit the " + (buf.length - pos) + " bytes that remain");
            }
            return (int) v;
        }

        String string() {
            int n = count("string length", 1);
            char[] cs = new char[n];
            for (int i = 0; i < n; i++) {
                if (pos >= buf.length) {
                    throw new IllegalArgumentException("truncated string at byte " + pos);
                }
                byte b = buf[pos];
                if (b >= 0) {
                    cs[i] = (char) b;
                    pos++;
                } else {
                    long c = varlong();
                    if (c > Character.MAX_VALUE) {
                        throw new IllegalArgumentException("char " + c + " out of range at byte " + pos);
                    }
                    cs[i] = (char) c;
                }
            }
            return new String(cs);
        }

        String word(String[] dict) {
            long i = varlong();
            if (i < 0 || i >= dict.length) {
                throw new IllegalArgumentException("dictionary index " + Long.toUnsignedString(i) + " at byte " + pos
                        + " is not below " + dict.length);
            }
            return dict[(int) i];
        }
    }
}
