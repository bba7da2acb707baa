package io.eventlens.core.store;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The writing half of {@link EventBlockCodec} as it was before the writer was made faster (issue 6),
 * kept verbatim as the reference its bytes must equal ({@link EventBlockCodecEquivalenceTest}).
 */
final class LegacyBlockEncoder {

    private static final int FORMAT = EventBlockCodec.FORMAT;
    private static final int FORMAT_LZ4 = EventBlockCodec.FORMAT_LZ4;
    private static final int MAX_HEADERS = EventBlockCodec.MAX_HEADERS;
    private static final int MAX_ATTRIBUTES = EventBlockCodec.MAX_ATTRIBUTES;
    private static final int MAX_EVENT_BYTES = EventBlockCodec.MAX_EVENT_BYTES;
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

    /**
     * Appends one event to the block (its seq is ignored).
     *
     * @throws IllegalArgumentException when the event has more than {@link #MAX_HEADERS} headers or
     *                                  could encode to more than {@link #MAX_EVENT_BYTES}, beyond
     *                                  what the decoder accepts; the block is then unchanged
     */
    void add(CapturedEvent e) {
        if (e.headers().size() > MAX_HEADERS) {
            throw new IllegalArgumentException("event at " + e.channel() + " " + e.source() + " has "
                    + e.headers().size() + " headers, more than the " + MAX_HEADERS + " a capture store accepts");
        }
        // checked before anything is written, so a refused event leaves the block unchanged
        StoredPosition generic = e.source() instanceof SourcePosition.Kafka ? null : StoredPosition.of(e.source());
        if (generic != null && generic.attributes().size() > MAX_ATTRIBUTES) {
            throw new IllegalArgumentException("event at " + e.channel() + " " + e.source() + " has a position with "
                    + generic.attributes().size() + " attributes, more than the " + MAX_ATTRIBUTES + " a capture store accepts");
        }
        long most = maxEncodedBytes(e) + (generic == null ? 0 : maxEncodedBytes(generic));
        if (most > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException("event at " + e.channel() + " " + e.source() + " may encode to " + most
                    + " bytes, more than the " + MAX_EVENT_BYTES + " a capture store accepts for one event");
        }
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
            default -> putGenericPosition(generic);
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

    /** An upper bound of the bytes {@link #add} writes for {@code e} (UTF-8 takes at most 3 bytes per char). */
    private static long maxEncodedBytes(CapturedEvent e) {
        long n = 64 + utf8Max(e.channel().name()) + bytesMax(e.key()) + bytesMax(e.payload());
        for (Header h : e.headers()) {
            n += utf8Max(h.name()) + bytesMax(h.value());
        }
        DerivedFields d = e.derived();
        for (Derived<?> f : new Derived<?>[] {d.correlationId(), d.eventId(), d.eventType(), d.eventTime(), d.sequence(),
                d.causationId()}) {
            if (f != null) {
                n += 20 + utf8Max(f.rule()) + (f.value() instanceof String s ? utf8Max(s) : 0);
            }
        }
        return n;
    }

    /** An upper bound of the bytes a tag-2 position takes. */
    private static long maxEncodedBytes(StoredPosition p) {
        long n = 16 + utf8Max(p.sourceKind()) + utf8Max(p.describe()) + utf8Max(p.observedTimeMeaning())
                + (p.orderingStream() == null ? 0 : utf8Max(p.orderingStream()))
                + (p.messageCoordinates() == null ? 0 : utf8Max(p.messageCoordinates()));
        for (Map.Entry<String, Object> a : p.attributes().entrySet()) {
            n += utf8Max(a.getKey()) + 12 + (a.getValue() instanceof String v ? utf8Max(v) : 0);
        }
        return n;
    }

    private static long utf8Max(String s) {
        return 20 + 3L * s.length();
    }

    private static long bytesMax(byte[] b) {
        return 10 + (b == null ? 0 : b.length);
    }

    /** Tag 2: the answers of a position of any kind, read back as a {@link StoredPosition}. */
    private void putGenericPosition(StoredPosition stored) {
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
}
