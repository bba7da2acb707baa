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
import java.util.Objects;

/**
 * The compact binary encoding of a block of consecutive captured events (the {@code data} column
 * of {@code event_block}). Our own format, chosen for speed: no reflection; stored LZ4-compressed
 * ({@link #FORMAT_LZ4}, about 1 GB/s) when that makes it smaller.
 *
 * <p>Layout: a format byte ({@value #FORMAT}), then each event in turn; the event count and the
 * first store sequence live in the row, so sequences are implicit. Integers are unsigned LEB128
 * varints (at most 10 bytes; zig-zag for signed values) unless said otherwise. Per event:
 * <ol>
 *   <li>channel: kind ordinal (1 byte), name (string ref, not blank)</li>
 *   <li>source: tag (1 byte), then for tag 1 (Kafka) partition (varint, 0 to 2^31-1), offset
 *       (varlong, 0 to 2^63-1), timestamp type ordinal (1 byte); for tag 2 (any other kind,
 *       decoded as a {@link StoredPosition}) the position's answers: source kind (string ref),
 *       ordering stream (nullable string ref), message coordinates and description (byte strings),
 *       observed-time meaning (string ref), attribute count (at most {@link #MAX_ATTRIBUTES}), then
 *       per attribute its name (string ref), a value tag (1 byte: 0 null, 1 string, 2 int, 3 long,
 *       4 false, 5 true) and the value (a byte string, zig-zag varints)</li>
 *   <li>observedAt, capturedAt: epoch seconds (zig-zag varlong), nanos (varint, 0 to 999,999,999);
 *       observedAt fits epoch milliseconds in a {@code long}</li>
 *   <li>key, payload: byte strings; header count, then per header name (string ref) and value (byte string)</li>
 *   <li>derived fields: a presence bit set (1 byte, bit i = field i of {@link DerivedFields} in
 *       declaration order, bits 6 and 7 clear), then per present field its value (UTF-8 string,
 *       instant, or zig-zag varlong) and its rule (string ref)</li>
 * </ol>
 * A byte string is {@code length + 1} (0 = null) and the bytes; a UTF-8 string is a byte string
 * that is never null. A string ref is a per-block dictionary reference: 0 introduces a new string
 * (UTF-8 string) that gets the next id, n &gt; 0 repeats string n; it keeps channel names, header
 * names and rule texts small. A nullable string ref is a byte (0 = null, 1 = present) and, when
 * present, a string ref. Nothing follows the last event. Tag 2 came after the first release of this
 * format; blocks that have only tag 1 are unchanged, so {@link #FORMAT} stayed the same.
 *
 * <p><b>Bounds (block data is untrusted: capture files travel).</b> The writer closes a block at
 * {@link H2CaptureStore#BLOCK_EVENTS} events or once it reaches {@link H2CaptureStore#BLOCK_BYTES}
 * (4 MiB), so a block is under 4 MiB plus its last event; {@link #add} refuses an event with more
 * than {@link #MAX_HEADERS} headers or that could encode to more than {@link #MAX_EVENT_BYTES}
 * (256 MiB). So no genuine block has more than {@link #MAX_EVENTS} events or, plain or
 * decompressed, more than {@link #MAX_BLOCK_BYTES} bytes, and the decoder refuses any that does.
 * It checks every length, count and reference against the bytes that remain before it allocates.
 * The only allocation sized by a number read from the block is the LZ4 output: its declared
 * length must be at most {@link #MAX_BLOCK_BYTES}, at most {@value #LZ4_MAX_RATIO} times the
 * compressed bytes present (LZ4's own limit: a block claiming 1 GiB fails before allocating),
 * and equal to what LZ4's safe decompressor produces. So decoding a block allocates at most about
 * twice {@link #MAX_BLOCK_BYTES} (the plain bytes and the copied payloads) plus the objects of
 * {@link #MAX_EVENTS} x {@link #MAX_HEADERS} headers, and a small block allocates little. Every way
 * a block can break the format, including exceptions of the model's constructors, becomes a
 * {@link DamagedBlockException} that names the event and byte offset.
 *
 * <p>Not thread-safe per instance; {@link #decode}, {@link #decodeIndexFields} and {@link #decodeSelected} are static.
 */
final class EventBlockCodec {

    /** Format byte of the layout above. */
    static final int FORMAT = 1;
    /**
     * Format byte of an LZ4-compressed block: the byte, the uncompressed length (varint), then the
     * LZ4 block-format compression of a {@link #FORMAT} block.
     */
    static final int FORMAT_LZ4 = 2;
    /** The most events in a block: the writer's {@link H2CaptureStore#BLOCK_EVENTS}. */
    static final int MAX_EVENTS = H2CaptureStore.BLOCK_EVENTS;
    /**
     * The most headers of one event. Kafka sets no limit, but real traffic carries a few
     * dozen; the bound keeps the objects of one decoded block to about {@code MAX_EVENTS x MAX_HEADERS}
     * (80 MB at worst). {@link #add} refuses an event with more.
     */
    static final int MAX_HEADERS = 1024;
    /** The most attributes of a stored position of a non-Kafka source; {@link #add} refuses more. */
    static final int MAX_ATTRIBUTES = 64;
    /**
     * The most bytes one event may encode to: 256 MiB, twice RabbitMQ 3.x's default message limit
     * (128 MiB; 4.x: 16 MiB) and 256 times Kafka's default {@code message.max.bytes} (1 MiB).
     * {@link #add} refuses a larger event.
     */
    static final int MAX_EVENT_BYTES = 256 * 1024 * 1024;
    /**
     * The most bytes a block can hold, plain or decompressed: just under the writer's closing size
     * ({@link H2CaptureStore#BLOCK_BYTES}, 4 MiB) plus one event of {@link #MAX_EVENT_BYTES}.
     */
    static final int MAX_BLOCK_BYTES = H2CaptureStore.BLOCK_BYTES + MAX_EVENT_BYTES;
    /**
     * LZ4's largest expansion: one input byte never yields more than 255 output bytes (a match
     * length continues in bytes of 255), so a declared length above this many times the
     * compressed bytes cannot be genuine.
     */
    static final int LZ4_MAX_RATIO = 255;
    /**
     * The fewest bytes an event encodes to: kind, channel ref, source tag, partition, offset,
     * timestamp type, two instants of two varints, key, header count, payload, derived flags.
     */
    static final int MIN_EVENT_BYTES = 14;

    private byte[] buf = new byte[64 * 1024];
    private int pos;
    private final Dictionary dictionary = new Dictionary();
    /**
     * The last string each call site of {@link #putStringRef} wrote and its id ({@code SLOT_*}): an
     * event stream repeats the same channel, header names and rules event after event, often as the
     * same instance, so one comparison usually finds the id without hashing.
     */
    private final String[] guessed = new String[GUESS_SLOTS];
    private final int[] guessedId = new int[GUESS_SLOTS];
    private int count;
    private long payloadBytes;
    private long minObservedMs = Long.MAX_VALUE;
    private long maxObservedMs = Long.MIN_VALUE;
    private byte[] packed = new byte[0];
    /** Whether {@link #compress} kept the block plain ({@link #stored} is then {@code buf}). */
    private boolean storedPlain;

    private static final int SLOT_CHANNEL = 0;
    private static final int SLOT_SOURCE_KIND = 1;
    private static final int SLOT_ORDERING_STREAM = 2;
    private static final int SLOT_TIME_MEANING = 3;
    /** Rules of the derived fields, in {@link DerivedFields} order (6 slots). */
    private static final int SLOT_RULE = 4;
    /** Names of the first {@value #HEADER_SLOTS} headers of an event. */
    private static final int SLOT_HEADER = SLOT_RULE + 6;
    private static final int HEADER_SLOTS = 16;
    private static final int GUESS_SLOTS = SLOT_HEADER + HEADER_SLOTS;
    /** A call site without a slot: the dictionary alone. */
    private static final int NO_SLOT = -1;

    /** Starts a new block. */
    void reset() {
        pos = 0;
        dictionary.clear();
        Arrays.fill(guessed, null);
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

    /**
     * The encoded block compressed with LZ4 ({@link #FORMAT_LZ4}), or uncompressed when that does
     * not make it smaller: a copy of the first {@link #compress} bytes of {@link #stored}.
     */
    byte[] toCompressedBytes() {
        int n = compress();
        return Arrays.copyOf(stored(), n);
    }

    /**
     * Compresses the block with LZ4 ({@link #FORMAT_LZ4}) into a buffer this codec reuses, or keeps
     * it uncompressed when that does not make it smaller.
     *
     * @return how many bytes of {@link #stored} are the stored block; valid until the next
     *         {@link #add}, {@link #reset} or {@code compress}
     */
    int compress() {
        int max = Lz4.maxPackedLength(pos);
        if (packed.length < max) {
            packed = new byte[Math.max(max, packed.length + (packed.length >> 1))];
        }
        int n = Lz4.pack(FORMAT_LZ4, buf, pos, packed);
        storedPlain = n >= pos;
        return storedPlain ? pos : n;
    }

    /** The buffer holding the stored block after {@link #compress} (its first {@code compress()} bytes). */
    byte[] stored() {
        return storedPlain ? buf : packed;
    }

    /**
     * Appends one event to the block (its seq is ignored).
     *
     * @throws IllegalArgumentException when the event has more than {@link #MAX_HEADERS} headers or
     *                                  could encode to more than {@link #MAX_EVENT_BYTES}, beyond
     *                                  what the decoder accepts; the block is then unchanged
     */
    void add(CapturedEvent e) {
        addChecked(e, check(e));
    }

    /**
     * Checks that {@link #add} accepts {@code e}, without changing the block.
     *
     * @return the stored form of its position when that is not a Kafka position (block tag 2), else
     *         {@code null}: what {@link #addChecked} takes
     * @throws IllegalArgumentException as {@link #add}
     */
    static StoredPosition check(CapturedEvent e) {
        int headerCount = e.headers().size();
        if (headerCount > MAX_HEADERS) {
            throw new IllegalArgumentException("event at " + e.channel() + " " + e.source() + " has "
                    + headerCount + " headers, more than the " + MAX_HEADERS + " a capture store accepts");
        }
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
        return generic;
    }

    /**
     * Appends one event that {@link #check} accepted.
     *
     * @param generic what {@link #check} returned for {@code e}
     */
    void addChecked(CapturedEvent e, StoredPosition generic) {
        List<Header> headers = e.headers();
        int headerCount = headers.size();
        count++;
        payloadBytes += e.payloadSize();
        long observedMs = e.observedAt().toEpochMilli();
        minObservedMs = Math.min(minObservedMs, observedMs);
        maxObservedMs = Math.max(maxObservedMs, observedMs);

        put(e.channel().kind().ordinal());
        putStringRef(e.channel().name(), SLOT_CHANNEL);
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
        putVarInt(headerCount);
        for (int i = 0; i < headerCount; i++) {
            Header h = headers.get(i);
            putStringRef(h.name(), i < HEADER_SLOTS ? SLOT_HEADER + i : NO_SLOT);
            putBytes(h.value());
        }
        putBytes(e.payload());

        // the value and rule accessors: DerivedFields keeps them flat, its Derived accessors allocate
        DerivedFields d = e.derived();
        int flags = (d.correlationIdValue() != null ? 1 : 0)
                | (d.eventIdValue() != null ? 2 : 0)
                | (d.eventTypeValue() != null ? 4 : 0)
                | (d.eventTimeValue() != null ? 8 : 0)
                | (d.sequenceValue() != null ? 16 : 0)
                | (d.causationIdValue() != null ? 32 : 0);
        put(flags);
        putDerivedString(d.correlationIdValue(), d.correlationIdRule(), SLOT_RULE);
        putDerivedString(d.eventIdValue(), d.eventIdRule(), SLOT_RULE + 1);
        putDerivedString(d.eventTypeValue(), d.eventTypeRule(), SLOT_RULE + 2);
        if (d.eventTimeValue() != null) {
            putInstant(d.eventTimeValue());
            putStringRef(d.eventTimeRule(), SLOT_RULE + 3);
        }
        if (d.sequenceValue() != null) {
            putVarLong(zigZag(d.sequenceValue()));
            putStringRef(d.sequenceRule(), SLOT_RULE + 4);
        }
        putDerivedString(d.causationIdValue(), d.causationIdRule(), SLOT_RULE + 5);
    }

    /**
     * An upper bound of the bytes {@link #add} writes for {@code e} (UTF-8 takes at most 3 bytes per
     * char): 64, plus per string 20 and 3 per char, plus per byte string 10 and its length, plus 20
     * per derived field.
     */
    private static long maxEncodedBytes(CapturedEvent e) {
        long n = 64 + utf8Max(e.channel().name()) + bytesMax(e.key()) + bytesMax(e.payload());
        List<Header> headers = e.headers();
        for (int i = 0, size = headers.size(); i < size; i++) {
            Header h = headers.get(i);
            n += utf8Max(h.name()) + bytesMax(h.value());
        }
        DerivedFields d = e.derived();
        return n + derivedMax(d.correlationIdValue(), d.correlationIdRule()) + derivedMax(d.eventIdValue(), d.eventIdRule())
                + derivedMax(d.eventTypeValue(), d.eventTypeRule()) + derivedMax(d.eventTimeValue(), d.eventTimeRule())
                + derivedMax(d.sequenceValue(), d.sequenceRule()) + derivedMax(d.causationIdValue(), d.causationIdRule());
    }

    private static long derivedMax(Object value, String rule) {
        return value == null ? 0 : 20 + utf8Max(rule) + (value instanceof String s ? utf8Max(s) : 0);
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
        putStringRef(stored.sourceKind(), SLOT_SOURCE_KIND);
        if (stored.orderingStream() == null) {
            put(0);
        } else {
            put(1);
            putStringRef(stored.orderingStream(), SLOT_ORDERING_STREAM);
        }
        if (stored.messageCoordinates() == null) {
            putVarInt(0);
        } else {
            putUtf8(stored.messageCoordinates());
        }
        putUtf8(stored.describe());
        putStringRef(stored.observedTimeMeaning(), SLOT_TIME_MEANING);
        putVarInt(stored.attributes().size());
        for (Map.Entry<String, Object> a : stored.attributes().entrySet()) {
            putStringRef(a.getKey(), NO_SLOT);
            switch (a.getValue()) {
                case null -> put(0);
                case String v -> {
                    put(1);
                    putUtf8(v);
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

    // ---- writing

    private void ensure(int n) {
        if (n > buf.length - pos) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    private void put(int b) {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    private void putVarLong(long v) {
        ensure(10);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    /** {@link #putVarLong} of a value known to be 0 or more. */
    private void putVarInt(int v) {
        ensure(5);
        byte[] b = buf;
        int p = pos;
        while ((v & ~0x7F) != 0) {
            b[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        pos = p;
    }

    private static long zigZag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private void putInstant(Instant t) {
        putVarLong(zigZag(t.getEpochSecond()));
        putVarInt(t.getNano());
    }

    private void putBytes(byte[] b) {
        if (b == null) {
            put(0);
            return;
        }
        int n = b.length;
        ensure(5 + n);
        putVarInt(n + 1);
        System.arraycopy(b, 0, buf, pos, n);
        pos += n;
    }

    /**
     * A UTF-8 string (a byte string of {@code s}'s UTF-8 bytes, as {@code s.getBytes(UTF_8)} makes
     * them): written straight into the block while {@code s} is ASCII, else through {@code getBytes}.
     */
    private void putUtf8(String s) {
        int n = s.length();
        ensure(5 + n);
        int start = pos;
        putVarInt(n + 1);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                pos = start;
                putBytes(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            b[p++] = (byte) c;
        }
        pos = p;
    }

    /** A string ref (class comment); {@code slot} is the call site's {@code SLOT_*}, or {@link #NO_SLOT}. */
    private void putStringRef(String s, int slot) {
        if (slot >= 0) {
            String g = guessed[slot];
            if (g == s || (g != null && g.equals(s))) {
                putVarInt(guessedId[slot]);
                return;
            }
        }
        int id = dictionary.idOf(s);
        if (id == 0) {
            id = dictionary.add(s);
            put(0);
            putUtf8(s);
        } else {
            putVarInt(id);
        }
        if (slot >= 0) {
            guessed[slot] = s;
            guessedId[slot] = id;
        }
    }

    private void putDerivedString(String value, String rule, int ruleSlot) {
        if (value != null) {
            putUtf8(value);
            putStringRef(rule, ruleSlot);
        }
    }

    /**
     * The strings of one block's dictionary and their ids (1, 2, ...): an open-addressing table
     * (linear probing, Fibonacci hashing of {@link String#hashCode}) that a new block clears
     * without allocating.
     */
    private static final class Dictionary {
        private static final int INITIAL = 64;
        /** A table grown past this by one block is dropped at the next clear rather than kept. */
        private static final int KEEP = 4096;
        private String[] keys = new String[INITIAL];
        private int[] ids = new int[INITIAL];
        private int shift = 32 - Integer.numberOfTrailingZeros(INITIAL);
        private int size;

        /** The id of {@code s}, 0 when it has none yet. */
        int idOf(String s) {
            String[] k = keys;
            int mask = k.length - 1;
            for (int i = (s.hashCode() * 0x9E3779B9) >>> shift; ; i = (i + 1) & mask) {
                String key = k[i];
                if (key == null) {
                    return 0;
                }
                if (key == s || key.equals(s)) {
                    return ids[i];
                }
            }
        }

        /** Gives {@code s} (which has no id yet) the next id and returns it. */
        int add(String s) {
            if (2 * (size + 1) > keys.length) {
                String[] oldKeys = keys;
                int[] oldIds = ids;
                keys = new String[oldKeys.length * 2];
                ids = new int[oldKeys.length * 2];
                shift--;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != null) {
                        insert(oldKeys[i], oldIds[i]);
                    }
                }
            }
            insert(s, ++size);
            return size;
        }

        private void insert(String s, int id) {
            int mask = keys.length - 1;
            int i = (s.hashCode() * 0x9E3779B9) >>> shift;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = s;
            ids[i] = id;
        }

        void clear() {
            if (size == 0) {
                return;
            }
            if (keys.length > KEEP) {
                keys = new String[INITIAL];
                ids = new int[INITIAL];
                shift = 32 - Integer.numberOfTrailingZeros(INITIAL);
            } else {
                Arrays.fill(keys, null);
            }
            size = 0;
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
     * @param data       the block as stored ({@link #FORMAT} or {@link #FORMAT_LZ4}); untrusted
     * @param firstSeq   the store sequence of its first event (the row's {@code first_seq})
     * @param eventCount the number of events the row claims
     * @return exactly {@code eventCount} events with sequences {@code firstSeq, firstSeq + 1, ...}
     * @throws DamagedBlockException (without a file) when the bytes, the count or the sequence are
     *                               not a block of this format; never another exception
     */
    static List<CapturedEvent> decode(byte[] data, long firstSeq, int eventCount) {
        return decodeEach(data, firstSeq, eventCount, Reader::event);
    }

    /**
     * Decodes only the indexed fields of each event of a block, skipping keys, header values and
     * payloads; accepts and refuses exactly the blocks {@link #decode} does.
     *
     * @throws DamagedBlockException as {@link #decode}
     */
    static List<IndexFields> decodeIndexFields(byte[] data, long firstSeq, int eventCount) {
        return decodeEach(data, firstSeq, eventCount, Reader::indexFields);
    }

    /**
     * Decodes in full only the events of a block that {@code selector} wants, judged by their
     * channel name and header names; the others are read and checked like {@link #decodeIndexFields}
     * without copying their key, header values or payload. Accepts and refuses exactly the blocks
     * {@link #decode} does.
     *
     * @param selector must not throw (an exception is taken for damage in the block)
     * @return the selected events in block order, with their store sequences
     * @throws DamagedBlockException as {@link #decode}
     */
    static List<CapturedEvent> decodeSelected(byte[] data, long firstSeq, int eventCount, EventSelector selector) {
        List<CapturedEvent> out = new ArrayList<>();
        for (CapturedEvent e : decodeEach(data, firstSeq, eventCount, (r, i, seq) -> r.selected(i, seq, selector))) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Decodes in full only the events of a block whose correlation ID (or event ID) is {@code value};
     * the others are read and checked like {@link #decodeIndexFields} without copying their key,
     * header values or payload. Accepts and refuses exactly the blocks {@link #decode} does. A lookup
     * of one flow (a handful of events in a block of up to {@value #MAX_EVENTS}) so makes objects for
     * that flow's events only.
     *
     * @param eventId true to match the event ID, false the correlation ID (as {@link IndexFields} gives them)
     * @param value   the ID, not null
     * @return the matching events in block order, with their store sequences
     * @throws DamagedBlockException as {@link #decode}
     */
    static List<CapturedEvent> decodeMatching(byte[] data, long firstSeq, int eventCount, boolean eventId, String value) {
        Objects.requireNonNull(value, "value");
        List<CapturedEvent> out = new ArrayList<>();
        for (CapturedEvent e : decodeEach(data, firstSeq, eventCount, (r, i, seq) -> r.matching(i, seq, eventId, value))) {
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** Reads one event of a block (its index in the block and its store sequence) as a {@code T}. */
    @FunctionalInterface
    private interface EventRead<T> {
        T read(Reader r, int index, long seq);
    }

    /** Reads every event of a block with {@code read}; any failure is a {@link DamagedBlockException}. */
    private static <T> List<T> decodeEach(byte[] data, long firstSeq, int eventCount, EventRead<T> read) {
        try {
            Reader r = reader(data, firstSeq, eventCount);
            List<T> out = new ArrayList<>(eventCount);
            for (int i = 0; i < eventCount; i++) {
                out.add(read.read(r, i, firstSeq + i));
            }
            r.end();
            return out;
        } catch (DamagedBlockException e) {
            throw e;
        } catch (RuntimeException e) {
            throw unexpected(firstSeq, eventCount, e);
        }
    }

    /** A check this decoder missed: still a damaged block, never an escaping runtime exception. */
    private static DamagedBlockException unexpected(long firstSeq, int eventCount, RuntimeException e) {
        return new DamagedBlockException(null, firstSeq, eventCount, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    /** Checks the row's facts and the format byte, decompresses an LZ4 block, and positions a reader on the events. */
    private static Reader reader(byte[] data, long firstSeq, int eventCount) {
        if (firstSeq < 1 || eventCount < 1 || firstSeq > Long.MAX_VALUE - eventCount + 1) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "first sequence " + firstSeq + " and event count "
                    + eventCount + " are not a positive range of sequences", null);
        }
        if (eventCount > MAX_EVENTS) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "event count " + eventCount + " is more than the "
                    + MAX_EVENTS + " events a block holds", null);
        }
        if (data == null || data.length == 0) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "the block has no data", null);
        }
        if (data.length > MAX_BLOCK_BYTES) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "the block is " + data.length
                    + " bytes, more than the " + MAX_BLOCK_BYTES + " a block can hold", null);
        }
        return switch (data[0]) {
            case FORMAT -> new Reader(data, "", firstSeq, eventCount);
            case FORMAT_LZ4 -> new Reader(unpacked(data, firstSeq, eventCount), "decompressed ", firstSeq, eventCount);
            default -> throw new DamagedBlockException(null, firstSeq, eventCount, "format byte " + data[0]
                    + " is neither " + FORMAT + " (plain) nor " + FORMAT_LZ4 + " (LZ4)", null);
        };
    }

    /**
     * The {@link #FORMAT} bytes of a {@link #FORMAT_LZ4} block: the declared length is bounded
     * (class comment) before the output is allocated, and must be what LZ4's safe decompressor
     * produces.
     */
    private static byte[] unpacked(byte[] data, long firstSeq, int eventCount) {
        int p = 1;
        long declared = 0;
        for (int shift = 0; ; shift += 7) {
            if (p == data.length || shift > 28) {
                throw new DamagedBlockException(null, firstSeq, eventCount, p == data.length
                        ? "the block ends inside its LZ4 length" : "the LZ4 length is longer than 5 bytes", null);
            }
            int x = data[p++];
            declared |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
        }
        int compressed = data.length - p;
        long least = 1 + (long) eventCount * MIN_EVENT_BYTES;
        String wrong = declared > MAX_BLOCK_BYTES ? "is more than the " + MAX_BLOCK_BYTES + " bytes a block can hold"
                : declared > (long) compressed * LZ4_MAX_RATIO ? "is more than LZ4 can expand the " + compressed
                        + " compressed bytes to (" + LZ4_MAX_RATIO + " times)"
                : declared < least ? "cannot hold " + eventCount + " events (at least " + least + " bytes)"
                : null;
        if (wrong != null) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "declared LZ4 length " + declared + " " + wrong,
                    null);
        }
        byte[] out;
        try {
            out = new byte[(int) declared];
        } catch (OutOfMemoryError e) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "declared LZ4 length " + declared
                    + " does not fit in the memory available", null);
        }
        int n;
        try {
            n = Lz4.DECOMPRESSOR.decompress(data, p, compressed, out, 0, out.length);
        } catch (net.jpountz.lz4.LZ4Exception e) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "LZ4 data is damaged: " + e.getMessage(), e);
        }
        if (n != declared) {
            throw new DamagedBlockException(null, firstSeq, eventCount, "LZ4 data decompresses to " + n
                    + " bytes, not the declared " + declared, null);
        }
        return out;
    }

    /**
     * Reads the events of one plain block. Every read checks the bytes that remain first; every
     * failure is a {@link DamagedBlockException} naming the event and the byte offset.
     */
    private static final class Reader {
        private static final ChannelKind[] KINDS = ChannelKind.values();
        private static final TimestampType[] TIMESTAMP_TYPES = TimestampType.values();
        private static final int KNOWN_FLAGS = 63;
        private static final long MAX_NANOS = 999_999_999;
        /** Instant's own range of epoch seconds. */
        private static final long MIN_SECOND = Instant.MIN.getEpochSecond();
        private static final long MAX_SECOND = Instant.MAX.getEpochSecond();
        /** The epoch seconds whose milliseconds surely fit a {@code long} (observedAt, which the writer converts). */
        private static final long MAX_MS_SECOND = Long.MAX_VALUE / 1000 - 1;

        private final byte[] b;
        private final String where;
        private final long firstSeq;
        private final int eventCount;
        private int p;
        private int event;
        private final List<String> dictionary = new ArrayList<>();
        private final Map<String, Channel> channels = new HashMap<>();

        /** @param where "decompressed " when {@code b} came out of LZ4 (byte offsets then count in it) */
        Reader(byte[] b, String where, long firstSeq, int eventCount) {
            this.b = b;
            this.where = where;
            this.firstSeq = firstSeq;
            this.eventCount = eventCount;
            if (b[0] != FORMAT) {
                throw damaged(0, "format byte " + b[0] + " is not " + FORMAT);
            }
            if ((long) eventCount * MIN_EVENT_BYTES > b.length - 1) {
                throw new DamagedBlockException(null, firstSeq, eventCount, eventCount + " events cannot fit in "
                        + b.length + " " + where + "bytes (at least " + MIN_EVENT_BYTES + " bytes each)", null);
            }
            p = 1;
        }

        private DamagedBlockException damaged(int at, String why) {
            return new DamagedBlockException(null, firstSeq, eventCount, "event " + (event + 1) + " of " + eventCount
                    + ", " + where + "byte " + at + " of " + b.length + ": " + why, null);
        }

        /** Checks that the last event ends the block. */
        void end() {
            if (p != b.length) {
                event = eventCount - 1;
                throw damaged(p, (b.length - p) + " bytes follow the last event");
            }
        }

        private int get(String what) {
            if (p >= b.length) {
                throw damaged(p, "the block ends before the " + what);
            }
            return b[p++] & 0xFF;
        }

        /** An unsigned LEB128 varint of at most 10 bytes whose value fits 64 bits. */
        private long varLong(String what) {
            int at = p;
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                if (p >= b.length) {
                    throw damaged(at, "the block ends inside the " + what);
                }
                int x = b[p++];
                if (shift == 63 && (x & 0xFE) != 0) {
                    throw damaged(at, "the " + what + " overflows 64 bits");
                }
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
        }

        /** A varint from 0 to {@code max}. */
        private long bounded(String what, long max) {
            int at = p;
            long v = varLong(what);
            if (v < 0 || v > max) {
                throw damaged(at, what + " " + Long.toUnsignedString(v) + " is not between 0 and " + max);
            }
            return v;
        }

        private static long unZigZag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }

        private Instant instant(String what) {
            int at = p;
            long sec = unZigZag(varLong(what + " seconds"));
            long nano = varLong(what + " nanos");
            if (nano < 0 || nano > MAX_NANOS || sec < MIN_SECOND || sec > MAX_SECOND) {
                throw damaged(at, what + " " + sec + " s + " + Long.toUnsignedString(nano) + " ns is not an instant");
            }
            return Instant.ofEpochSecond(sec, nano);
        }

        /** observedAt: an instant whose epoch milliseconds fit a {@code long}, as the writer's are. */
        private Instant observedAt() {
            int at = p;
            Instant t = instant("observedAt");
            if (Math.abs(t.getEpochSecond()) > MAX_MS_SECOND) {
                throw damaged(at, "observedAt " + t.getEpochSecond() + " s is beyond epoch milliseconds");
            }
            return t;
        }

        /** A byte string's length, checked against the bytes left; -1 for null. */
        private int byteStringLength(String what) {
            int at = p;
            long v = varLong(what + " length");
            if (v == 0) {
                return -1;
            }
            long n = v - 1;
            if (v < 0 || n > b.length - p) {
                throw damaged(at, what + " length " + Long.toUnsignedString(n) + " exceeds the " + (b.length - p)
                        + " bytes left");
            }
            return (int) n;
        }

        private byte[] bytes(String what) {
            int n = byteStringLength(what);
            if (n < 0) {
                return null;
            }
            byte[] v = Arrays.copyOfRange(b, p, p + n);
            p += n;
            return v;
        }

        private void skipBytes(String what) {
            int n = byteStringLength(what);
            if (n > 0) {
                p += n;
            }
        }

        private String utf8(String what) {
            int at = p;
            int n = byteStringLength(what);
            if (n < 0) {
                throw damaged(at, what + " is missing (null)");
            }
            String s = new String(b, p, n, StandardCharsets.UTF_8);
            p += n;
            return s;
        }

        private void skipUtf8(String what) {
            int at = p;
            if (byteStringLength(what) < 0) {
                throw damaged(at, what + " is missing (null)");
            }
            p = at;
            skipBytes(what);
        }

        private String stringRef(String what) {
            int at = p;
            long id = varLong(what + " reference");
            if (id == 0) {
                String s = utf8(what);
                dictionary.add(s);
                return s;
            }
            if (id < 0 || id > dictionary.size()) {
                throw damaged(at, what + " refers to string " + Long.toUnsignedString(id) + " but the block has defined "
                        + dictionary.size());
            }
            return dictionary.get((int) id - 1);
        }

        private ChannelKind kind() {
            int at = p;
            int k = get("channel kind");
            if (k >= KINDS.length) {
                throw damaged(at, "channel kind " + k + " is not one of 0 to " + (KINDS.length - 1));
            }
            return KINDS[k];
        }

        private String channelName() {
            int at = p;
            String name = stringRef("channel name");
            if (name.isBlank()) {
                throw damaged(at, "the channel name is blank");
            }
            return name;
        }

        private Channel channel() {
            ChannelKind kind = kind();
            String name = channelName();
            Channel c = channels.get(name);
            if (c == null || c.kind() != kind) {
                c = new Channel(kind, name);
                channels.put(name, c);
            }
            return c;
        }

        private SourcePosition source() {
            int at = p;
            int tag = get("source tag");
            if (tag == 2) {
                return genericPosition();
            }
            if (tag != 1) {
                throw damaged(at, "source tag " + tag + " is not 1 (Kafka) or 2 (another kind)");
            }
            int partition = (int) bounded("partition", Integer.MAX_VALUE);
            long offset = bounded("offset", Long.MAX_VALUE);
            at = p;
            int type = get("timestamp type");
            if (type >= TIMESTAMP_TYPES.length) {
                throw damaged(at, "timestamp type " + type + " is not one of 0 to " + (TIMESTAMP_TYPES.length - 1));
            }
            return new SourcePosition.Kafka(partition, offset, TIMESTAMP_TYPES[type]);
        }

        /** Tag 2: a position of any kind, by its answers (see the class comment). */
        private StoredPosition genericPosition() {
            String kind = stringRef("source kind");
            int at = p;
            int present = get("ordering stream presence");
            if (present > 1) {
                throw damaged(at, "ordering stream presence " + present + " is not 0 or 1");
            }
            String orderingStream = present == 0 ? null : stringRef("ordering stream");
            byte[] coordinates = bytes("message coordinates");
            String description = utf8("position description");
            String observedTimeMeaning = stringRef("observed-time meaning");
            int n = (int) bounded("position attribute count", MAX_ATTRIBUTES);
            Map<String, Object> attributes = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String name = stringRef("position attribute name");
                at = p;
                int valueTag = get("position attribute value tag");
                attributes.put(name, switch (valueTag) {
                    case 0 -> null;
                    case 1 -> utf8("position attribute " + name);
                    case 2 -> {
                        long v = unZigZag(varLong("position attribute " + name));
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw damaged(at, "position attribute " + name + " " + v + " is not an int");
                        }
                        yield (int) v;
                    }
                    case 3 -> unZigZag(varLong("position attribute " + name));
                    case 4 -> Boolean.FALSE;
                    case 5 -> Boolean.TRUE;
                    default -> throw damaged(at, "position attribute value tag " + valueTag + " is not 0 to 5");
                });
            }
            return new StoredPosition(kind, orderingStream,
                    coordinates == null ? null : new String(coordinates, StandardCharsets.UTF_8), description,
                    attributes, observedTimeMeaning);
        }

        private int headerCount() {
            return (int) bounded("header count", MAX_HEADERS);
        }

        private int flags() {
            int at = p;
            int flags = get("derived-field flags");
            if ((flags & ~KNOWN_FLAGS) != 0) {
                throw damaged(at, "derived-field flags 0x" + Integer.toHexString(flags) + " set unknown bits");
            }
            return flags;
        }

        CapturedEvent event(int index, long seq) {
            event = index;
            Channel channel = channel();
            SourcePosition source = source();
            Instant observedAt = observedAt();
            Instant capturedAt = instant("capturedAt");
            byte[] key = bytes("key");
            int headerCount = headerCount();
            List<Header> headers = new ArrayList<>(headerCount);
            for (int i = 0; i < headerCount; i++) {
                headers.add(new Header(stringRef("header name"), bytes("header value")));
            }
            byte[] payload = bytes("payload");
            int flags = flags();
            Derived<String> correlationId = (flags & 1) != 0 ? new Derived<>(utf8("correlation ID"), stringRef("rule")) : null;
            Derived<String> eventId = (flags & 2) != 0 ? new Derived<>(utf8("event ID"), stringRef("rule")) : null;
            Derived<String> eventType = (flags & 4) != 0 ? new Derived<>(utf8("event type"), stringRef("rule")) : null;
            Derived<Instant> eventTime = (flags & 8) != 0 ? new Derived<>(instant("event time"), stringRef("rule")) : null;
            Derived<Long> sequence = (flags & 16) != 0
                    ? new Derived<>(unZigZag(varLong("sequence")), stringRef("rule")) : null;
            Derived<String> causationId = (flags & 32) != 0 ? new Derived<>(utf8("causation ID"), stringRef("rule")) : null;
            DerivedFields derived = flags == 0 ? DerivedFields.NONE
                    : new DerivedFields(correlationId, eventId, eventType, eventTime, sequence, causationId);
            return new CapturedEvent(seq, channel, source, observedAt, capturedAt, key, headers, payload, derived);
        }

        /**
         * The event when {@code selector} wants its channel and header names, else {@code null} after
         * the same reads and checks as {@link #indexFields}: a wanted event is read again from its
         * start by {@link #event}, the strings it introduced taken back out of the dictionary first.
         */
        CapturedEvent selected(int index, long seq, EventSelector selector) {
            int start = p;
            int known = dictionary.size();
            event = index;
            kind();
            String channel = channelName();
            source();
            observedAt();
            instant("capturedAt");
            skipBytes("key");
            int headerCount = headerCount();
            String[] names = new String[headerCount];
            for (int i = 0; i < headerCount; i++) {
                names[i] = stringRef("header name");
                skipBytes("header value");
            }
            if (selector.wants(channel, Arrays.asList(names))) {
                p = start;
                dictionary.subList(known, dictionary.size()).clear();
                return event(index, seq);
            }
            skipBytes("payload");
            skipDerived(flags());
            return null;
        }

        /**
         * The event when its correlation ID ({@code eventId} false) or event ID is {@code value}, else
         * {@code null}, judged by {@link #indexFields}; a matching event is read again from its start
         * by {@link #event}, as in {@link #selected}.
         */
        CapturedEvent matching(int index, long seq, boolean eventId, String value) {
            int start = p;
            int known = dictionary.size();
            IndexFields f = indexFields(index, seq);
            if (value.equals(eventId ? f.eventId() : f.correlationId())) {
                p = start;
                dictionary.subList(known, dictionary.size()).clear();
                return event(index, seq);
            }
            return null;
        }

        /**
         * Skips the derived fields whose bits are set in {@code flags}, each with its rule, in the
         * encoding's order (correlation ID 1, event ID 2, event type 4, event time 8, sequence 16,
         * causation ID 32); the caller has read the fields of the bits it cleared.
         */
        private void skipDerived(int flags) {
            if ((flags & 1) != 0) {
                skipUtf8("correlation ID");
                stringRef("rule");
            }
            if ((flags & 2) != 0) {
                skipUtf8("event ID");
                stringRef("rule");
            }
            if ((flags & 4) != 0) {
                skipUtf8("event type");
                stringRef("rule");
            }
            if ((flags & 8) != 0) {
                instant("event time");
                stringRef("rule");
            }
            if ((flags & 16) != 0) {
                varLong("sequence");
                stringRef("rule");
            }
            if ((flags & 32) != 0) {
                skipUtf8("causation ID");
                stringRef("rule");
            }
        }

        /** The same reads and checks as {@link #event}, without copying keys, header values and payloads. */
        IndexFields indexFields(int index, long seq) {
            event = index;
            kind();
            String channel = channelName();
            source();
            long observedMs = observedAt().toEpochMilli();
            instant("capturedAt");
            skipBytes("key");
            int headerCount = headerCount();
            for (int i = 0; i < headerCount; i++) {
                stringRef("header name");
                skipBytes("header value");
            }
            skipBytes("payload");
            int flags = flags();
            String correlationId = null;
            String eventId = null;
            String eventType = null;
            if ((flags & 1) != 0) {
                correlationId = utf8("correlation ID");
                stringRef("rule");
            }
            if ((flags & 2) != 0) {
                eventId = utf8("event ID");
                stringRef("rule");
            }
            if ((flags & 4) != 0) {
                eventType = utf8("event type");
                stringRef("rule");
            }
            skipDerived(flags & ~7);
            return new IndexFields(seq, correlationId, eventId, eventType, channel, observedMs);
        }
    }
}
