package io.eventlens.core.store;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact binary encoding of a block of consecutive captured events (the {@code data} column
 * of {@code event_block}). Our own format, chosen for speed: no reflection; stored LZ4-compressed
 * ({@link #FORMAT_LZ4}, about 1 GB/s) when that makes it smaller.
 *
 * <p>Layout: a format byte ({@value #FORMAT}), then each event in turn; the event count and the
 * first store sequence live in the row, so sequences are implicit. Integers are unsigned LEB128
 * varints (zig-zag for signed values) unless said otherwise. Per event:
 * <ol>
 *   <li>channel: kind ordinal (1 byte), name (string ref)</li>
 *   <li>source: tag (1 byte), then for tag 1 (Kafka) partition (varint), offset (varlong), timestamp
 *       type ordinal (1 byte); for tag 2 (any other kind, decoded as a {@link StoredPosition}) the
 *       position's answers: source kind (string ref), ordering stream (nullable string ref),
 *       message coordinates and description (byte strings), observed-time meaning (string ref),
 *       attribute count, then per attribute its name (string ref), a value tag (1 byte: 0 null,
 *       1 string, 2 int, 3 long, 4 false, 5 true) and the value (a byte string, zig-zag varints)</li>
 *   <li>observedAt, capturedAt: epoch seconds (zig-zag varlong), nanos (varint)</li>
 *   <li>key, payload: byte strings; header count, then per header name (string ref) and value (byte string)</li>
 *   <li>derived fields: a presence bit set (1 byte, bit i = field i of {@link DerivedFields} in
 *       declaration order), then per present field its value (UTF-8 string, instant, or zig-zag
 *       varlong) and its rule (string ref)</li>
 * </ol>
 * A byte string is {@code length + 1} (0 = null) and the bytes. A string ref is a per-block
 * dictionary reference: 0 introduces a new string (UTF-8 byte string) that gets the next id,
 * n &gt; 0 repeats string n; it keeps channel names, header names and rule texts small. A nullable
 * string ref is a byte (0 = null, 1 = present) and, when present, a string ref.
 * Tag 2 came after the first release of this format; blocks that have only tag 1 are unchanged,
 * so {@link #FORMAT} stayed 1.
 *
 * <p>Not thread-safe per instance; {@link #decode} and {@link #decodeIndexFields} are static.
 */
final class EventBlockCodec {

    /** Format byte of the layout above. */
    static final int FORMAT = 1;
    /**
     * Format byte of an LZ4-compressed block: the byte, the uncompressed length (varint), then the
     * LZ4 block-format compression of a {@link #FORMAT} block.
     */
    static final int FORMAT_LZ4 = 2;
    private static final net.jpountz.lz4.LZ4Factory LZ4 = net.jpountz.lz4.LZ4Factory.fastestInstance();

    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private final Map<String, Integer> dictionary = new HashMap<>();
    private int count;
    private long payloadBytes;
    private long minObservedMs = Long.MAX_VALUE;
    private long maxObservedMs = Long.MIN_VALUE;

    /** Starts a new block. */
    void reset() {
        pos = 0;
        dictionary.clear();
        count = 0;
        payloadBytes = 0;
        minObservedMs = Long.MAX_VALUE;
        maxObservedMs = Long.MIN_VALUE;
        put(FORMAT);
    }

    int count() {
        return count;
    }

    /** Encoded size so far, in bytes. */
    int size() {
        return pos;
    }

    long payloadBytes() {
        return payloadBytes;
    }

    long minObservedMs() {
        return minObservedMs;
    }

    long maxObservedMs() {
        return maxObservedMs;
    }

    /** The encoded block. */
    byte[] toBytes() {
        return Arrays.copyOf(buf, pos);
    }

    private byte[] packed = new byte[0];

    /**
     * The encoded block compressed with LZ4 ({@link #FORMAT_LZ4}), or uncompressed when that does
     * not make it smaller.
     */
    byte[] toCompressedBytes() {
        net.jpountz.lz4.LZ4Compressor compressor = LZ4.fastCompressor();
        int max = compressor.maxCompressedLength(pos) + 6;
        if (packed.length < max) {
            packed = new byte[max];
        }
        packed[0] = (byte) FORMAT_LZ4;
        int p = 1;
        long v = pos;
        while ((v & ~0x7FL) != 0) {
            packed[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        packed[p++] = (byte) v;
        int n = compressor.compress(buf, 0, pos, packed, p, max - p);
        return p + n < pos ? Arrays.copyOf(packed, p + n) : toBytes();
    }

    /** The {@link #FORMAT} bytes of a block, decompressing a {@link #FORMAT_LZ4} one. */
    private static byte[] unpacked(byte[] data) {
        if (data.length == 0 || data[0] != FORMAT_LZ4) {
            return data;
        }
        int p = 1;
        long raw = 0;
        int shift = 0;
        while (true) {
            int x = data[p++];
            raw |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        byte[] out = new byte[(int) raw];
        try {
            LZ4.fastDecompressor().decompress(data, p, out, 0, (int) raw);
        } catch (net.jpountz.lz4.LZ4Exception e) {
            throw new IllegalArgumentException("damaged LZ4 event block: " + e.getMessage(), e);
        }
        return out;
    }

    /** Appends one event to the block (its seq is ignored). */
    void add(CapturedEvent e) {
        count++;
        payloadBytes += e.payloadSize();
        long observedMs = e.observedAt().toEpochMilli();
        minObservedMs = Math.min(minObservedMs, observedMs);
        maxObservedMs = Math.max(maxObservedMs, observedMs);

        put(e.channel().kind().ordinal());
        putStringRef(e.channel().name());
        switch (e.source()) {
            case SourcePosition.Kafka k -> {
                put(1);
                putVarLong(k.partition());
                putVarLong(k.offset());
                put(k.timestampType() == null ? TimestampType.NONE.ordinal() : k.timestampType().ordinal());
            }
            default -> putGenericPosition(e.source());
        }
        putInstant(e.observedAt());
        putInstant(e.capturedAt());
        putBytes(e.key());
        putVarLong(e.headers().size());
        for (Header h : e.headers()) {
            putStringRef(h.name());
            putBytes(h.value());
        }
        putBytes(e.payload());

        DerivedFields d = e.derived();
        int flags = (d.correlationId() != null ? 1 : 0)
                | (d.eventId() != null ? 2 : 0)
                | (d.eventType() != null ? 4 : 0)
                | (d.eventTime() != null ? 8 : 0)
                | (d.sequence() != null ? 16 : 0)
                | (d.causationId() != null ? 32 : 0);
        put(flags);
        putDerivedString(d.correlationId());
        putDerivedString(d.eventId());
        putDerivedString(d.eventType());
        if (d.eventTime() != null) {
            putInstant(d.eventTime().value());
            putStringRef(d.eventTime().rule());
        }
        if (d.sequence() != null) {
            putVarLong(zigZag(d.sequence().value()));
            putStringRef(d.sequence().rule());
        }
        putDerivedString(d.causationId());
    }

    /** Tag 2: the answers of a position of any kind, read back as a {@link StoredPosition}. */
    private void putGenericPosition(SourcePosition p) {
        StoredPosition stored = StoredPosition.of(p); // checks the attribute value types
        put(2);
        putStringRef(stored.sourceKind());
        putNullableStringRef(stored.orderingStream());
        putBytes(stored.messageCoordinates() == null ? null : stored.messageCoordinates().getBytes(StandardCharsets.UTF_8));
        putBytes(stored.describe().getBytes(StandardCharsets.UTF_8));
        putStringRef(stored.observedTimeMeaning());
        putVarLong(stored.attributes().size());
        for (Map.Entry<String, Object> a : stored.attributes().entrySet()) {
            putStringRef(a.getKey());
            switch (a.getValue()) {
                case null -> put(0);
                case String v -> {
                    put(1);
                    putBytes(v.getBytes(StandardCharsets.UTF_8));
                }
                case Integer v -> {
                    put(2);
                    putVarLong(zigZag(v));
                }
                case Long v -> {
                    put(3);
                    putVarLong(zigZag(v));
                }
                case Boolean v -> put(v ? 5 : 4);
                default -> throw new IllegalStateException("unreachable: StoredPosition checks attribute types");
            }
        }
    }

    private void putNullableStringRef(String s) {
        if (s == null) {
            put(0);
        } else {
            put(1);
            putStringRef(s);
        }
    }

    // ---- writing

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void put(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    private void putVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private void putInstant(Instant t) {
        putVarLong(zigZag(t.getEpochSecond()));
        putVarLong(t.getNano());
    }

    private void putBytes(byte[] b) {
        if (b == null) {
            putVarLong(0);
            return;
        }
        putVarLong(b.length + 1L);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void putStringRef(String s) {
        Integer id = dictionary.get(s);
        if (id != null) {
            putVarLong(id);
            return;
        }
        dictionary.put(s, dictionary.size() + 1);
        putVarLong(0);
        putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private void putDerivedString(Derived<String> d) {
        if (d != null) {
            putBytes(d.value().getBytes(StandardCharsets.UTF_8));
            putStringRef(d.rule());
        }
    }

    // ---- reading

    /** The fields of one event that the secondary index holds. */
    record IndexFields(long seq, String correlationId, String eventId, String eventType, String channel,
                       long observedMs) {
    }

    /**
     * Decodes a whole block.
     *
     * @throws IllegalArgumentException when the bytes are not a block of this format
     */
    static List<CapturedEvent> decode(byte[] data, long firstSeq, int eventCount) {
        Reader r = new Reader(unpacked(data));
        List<CapturedEvent> out = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            out.add(r.event(firstSeq + i, true));
        }
        return out;
    }

    /** Decodes only the indexed fields of each event of a block, skipping keys, headers values and payloads. */
    static List<IndexFields> decodeIndexFields(byte[] data, long firstSeq, int eventCount) {
        Reader r = new Reader(unpacked(data));
        List<IndexFields> out = new ArrayList<>(eventCount);
        for (int i = 0; i < eventCount; i++) {
            out.add(r.indexFields(firstSeq + i));
        }
        return out;
    }

    private static final class Reader {
        private static final ChannelKind[] KINDS = ChannelKind.values();
        private static final TimestampType[] TIMESTAMP_TYPES = TimestampType.values();
        private final byte[] b;
        private int p;
        private final List<String> dictionary = new ArrayList<>();
        private final Map<String, Channel> channels = new HashMap<>();

        Reader(byte[] b) {
            this.b = b;
            if (b.length == 0 || b[0] != FORMAT) {
                throw new IllegalArgumentException("event block format " + (b.length == 0 ? "(empty)" : b[0])
                        + " is not the supported format " + FORMAT);
            }
            p = 1;
        }

        private int get() {
            return b[p++] & 0xFF;
        }

        private long varLong() {
            long v = 0;
            int shift = 0;
            while (true) {
                int x = b[p++];
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
                shift += 7;
            }
        }

        private static long unZigZag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }

        private Instant instant() {
            long sec = unZigZag(varLong());
            long nano = varLong();
            return Instant.ofEpochSecond(sec, nano);
        }

        private byte[] bytes() {
            int n = (int) varLong();
            if (n == 0) {
                return null;
            }
            byte[] v = Arrays.copyOfRange(b, p, p + n - 1);
            p += n - 1;
            return v;
        }

        private void skipBytes() {
            int n = (int) varLong();
            if (n > 0) {
                p += n - 1;
            }
        }

        private String utf8() {
            int n = (int) varLong() - 1;
            String s = new String(b, p, n, StandardCharsets.UTF_8);
            p += n;
            return s;
        }

        private String stringRef() {
            int id = (int) varLong();
            if (id == 0) {
                String s = utf8();
                dictionary.add(s);
                return s;
            }
            return dictionary.get(id - 1);
        }

        private Channel channel() {
            ChannelKind kind = KINDS[get()];
            String name = stringRef();
            Channel c = channels.get(name);
            if (c == null || c.kind() != kind) {
                c = new Channel(kind, name);
                channels.put(name, c);
            }
            return c;
        }

        private SourcePosition source() {
            int tag = get();
            if (tag == 2) {
                return genericPosition();
            }
            if (tag != 1) {
                throw new IllegalArgumentException("unknown source position tag " + tag);
            }
            int partition = (int) varLong();
            long offset = varLong();
            return new SourcePosition.Kafka(partition, offset, TIMESTAMP_TYPES[get()]);
        }

        /** Skips a source position; a tag 2 one is read, as it may add to the string dictionary. */
        private void skipSource() {
            int tag = get();
            if (tag == 2) {
                genericPosition();
                return;
            }
            if (tag != 1) {
                throw new IllegalArgumentException("unknown source position tag " + tag);
            }
            varLong();
            varLong();
            get();
        }

        private StoredPosition genericPosition() {
            String kind = stringRef();
            String orderingStream = get() == 0 ? null : stringRef();
            byte[] coordinates = bytes();
            String description = new String(bytes(), StandardCharsets.UTF_8);
            String observedTimeMeaning = stringRef();
            int n = (int) varLong();
            Map<String, Object> attributes = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = stringRef();
                int valueTag = get();
                attributes.put(name, switch (valueTag) {
                    case 0 -> null;
                    case 1 -> new String(bytes(), StandardCharsets.UTF_8);
                    case 2 -> (int) unZigZag(varLong());
                    case 3 -> unZigZag(varLong());
                    case 4 -> Boolean.FALSE;
                    case 5 -> Boolean.TRUE;
                    default -> throw new IllegalArgumentException("unknown attribute value tag " + valueTag
                            + " in a " + kind + " position");
                });
            }
            return new StoredPosition(kind, orderingStream,
                    coordinates == null ? null : new String(coordinates, StandardCharsets.UTF_8), description,
                    attributes, observedTimeMeaning);
        }

        CapturedEvent event(long seq, boolean full) {
            Channel channel = channel();
            SourcePosition source = source();
            Instant observedAt = instant();
            Instant capturedAt = instant();
            byte[] key = bytes();
            int headerCount = (int) varLong();
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                headers.add(new Header(stringRef(), bytes()));
            }
            byte[] payload = bytes();
            int flags = get();
            Derived<String> correlationId = (flags & 1) != 0 ? new Derived<>(utf8(), stringRef()) : null;
            Derived<String> eventId = (flags & 2) != 0 ? new Derived<>(utf8(), stringRef()) : null;
            Derived<String> eventType = (flags & 4) != 0 ? new Derived<>(utf8(), stringRef()) : null;
            Derived<Instant> eventTime = (flags & 8) != 0 ? new Derived<>(instant(), stringRef()) : null;
            Derived<Long> sequence = (flags & 16) != 0 ? new Derived<>(unZigZag(varLong()), stringRef()) : null;
            Derived<String> causationId = (flags & 32) != 0 ? new Derived<>(utf8(), stringRef()) : null;
            DerivedFields derived = flags == 0 ? DerivedFields.NONE
                    : new DerivedFields(correlationId, eventId, eventType, eventTime, sequence, causationId);
            return new CapturedEvent(seq, channel, source, observedAt, capturedAt, key, headers, payload, derived);
        }

        IndexFields indexFields(long seq) {
            get();
            String channel = stringRef();
            skipSource();
            long observedMs = instant().toEpochMilli();
            instant();
            skipBytes();
            int headerCount = (int) varLong();
            for (int i = 0; i < headerCount; i++) {
                stringRef();
                skipBytes();
            }
            skipBytes();
            int flags = get();
            String correlationId = null;
            String eventId = null;
            String eventType = null;
            if ((flags & 1) != 0) {
                correlationId = utf8();
                stringRef();
            }
            if ((flags & 2) != 0) {
                eventId = utf8();
                stringRef();
            }
            if ((flags & 4) != 0) {
                eventType = utf8();
                stringRef();
            }
            if ((flags & 8) != 0) {
                instant();
                stringRef();
            }
            if ((flags & 16) != 0) {
                varLong();
                stringRef();
            }
            if ((flags & 32) != 0) {
                utf8();
                stringRef();
            }
            return new IndexFields(seq, correlationId, eventId, eventType, channel, observedMs);
        }
    }
}
