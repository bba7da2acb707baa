package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.testkit.Allocations;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer of the block decoder (issue 5): genuine blocks, plain and LZ4, are
 * mutated (bit flips, bytes set to 0x00/0xFF/0x7F/0x80, truncation, extension, splicing two blocks,
 * inflated varints, wrong counts and sequences, a wrong LZ4 length, damaged content re-compressed
 * as valid LZ4) and decoded. The only failure allowed is a {@link DamagedBlockException} for the
 * block; a decode that succeeds must return the claimed events, and both decoders must agree.
 * No decode may allocate more than {@link #MAX_ALLOCATED_BYTES}.
 *
 * <p>{@value #DEFAULT_CASES} cases by default ({@code -Deventlens.fuzz.cases=N} for more);
 * {@code -Deventlens.fuzz.seed=S} replays a run (a failure prints its seed and case).
 */
class EventBlockCodecFuzzTest {

    private static final int DEFAULT_CASES = 100_000;
    private static final int CASES = Integer.getInteger("eventlens.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0x5EED_B10CL);
    /**
     * The corpus blocks are at most a few KiB, so even an LZ4 block claiming {@code 255 x} its size
     * decodes within this; a decoder that allocated by an unchecked length would need far more.
     */
    private static final long MAX_ALLOCATED_BYTES = 16 * 1024 * 1024;
    private static final int[] SPECIAL_BYTES = {0x00, 0xFF, 0x7F, 0x80};
    private static final LZ4Factory LZ4 = LZ4Factory.fastestInstance();

    /** One genuine block and what it decodes to. */
    private record Sample(byte[] data, byte[] plain, int count, List<CapturedEvent> events) {
    }

    /** One decode to run: the (mutated) bytes, the row's first sequence and count, and how they were made. */
    private record Case(byte[] data, long firstSeq, int count, String how, Sample from) {
    }

    @Test
    void mutatedBlocksDecodeCorrectlyOrFailOnlyAsDamagedBlocks() {
        List<Sample> corpus = corpus();
        assertThat(corpus).as("the corpus has plain and LZ4 blocks")
                .anyMatch(s -> s.data()[0] == EventBlockCodec.FORMAT)
                .anyMatch(s -> s.data()[0] == EventBlockCodec.FORMAT_LZ4);
        Random master = new Random(SEED);
        int damaged = 0;
        int decoded = 0;
        long maxAllocated = 0;
        for (int i = 0; i < CASES; i++) {
            long caseSeed = master.nextLong();
            Case c = mutate(corpus, new Random(caseSeed));
            try {
                long before = Allocations.currentThreadBytes();
                boolean ok = check(c);
                long allocated = Allocations.currentThreadBytes() - before;
                maxAllocated = Math.max(maxAllocated, allocated);
                assertThat(allocated).as("bytes allocated by both decodes").isLessThanOrEqualTo(MAX_ALLOCATED_BYTES);
                if (ok) {
                    decoded++;
                } else {
                    damaged++;
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("fuzz case " + i + " of -Deventlens.fuzz.seed=" + SEED + " (case seed " + caseSeed
                        + "): " + c.how() + ", firstSeq " + c.firstSeq() + ", count " + c.count() + ", "
                        + (c.data() == null ? "null" : c.data().length + " bytes " + HexFormat.of().formatHex(c.data()))
                        + ": " + e, e);
            }
        }
        System.err.printf("block decoder fuzz: %d cases (seed %d): %d damaged, %d decoded; most allocated by one case:"
                + " %d bytes%n", CASES, SEED, damaged, decoded, maxAllocated);
        assertThat(damaged).as("mutations that broke the block").isGreaterThan(CASES / 4);
        assertThat(decoded).as("mutations that still decode (e.g. a flipped payload bit)").isGreaterThan(CASES / 100);
    }

    /**
     * Decodes the case with both decoders. True when both decoded it, false when both refused it as
     * damaged; fails on any other outcome.
     */
    private static boolean check(Case c) {
        List<CapturedEvent> events = null;
        List<EventBlockCodec.IndexFields> fields = null;
        DamagedBlockException fullFailure = null;
        DamagedBlockException indexFailure = null;
        try {
            events = EventBlockCodec.decode(c.data(), c.firstSeq(), c.count());
        } catch (DamagedBlockException e) {
            fullFailure = e;
        }
        try {
            fields = EventBlockCodec.decodeIndexFields(c.data(), c.firstSeq(), c.count());
        } catch (DamagedBlockException e) {
            indexFailure = e;
        }
        // the selective decoder, keeping every other event (so that it both skips and re-reads events)
        List<CapturedEvent> selected = null;
        DamagedBlockException selectFailure = null;
        int[] calls = {0};
        try {
            selected = EventBlockCodec.decodeSelected(c.data(), c.firstSeq(), c.count(), (ch, names) -> calls[0]++ % 2 == 0);
        } catch (DamagedBlockException e) {
            selectFailure = e;
        }
        assertThat(selectFailure == null).as("the selective decoder agrees with the full decoder (full: %s, selective: %s)",
                fullFailure, selectFailure).isEqualTo(fullFailure == null);
        // the matching decoder (a lookup's), by the correlation ID of the first event and the event ID of the last
        String correlationId = events == null || events.isEmpty() ? "corr-1" : String.valueOf(events.get(0).derived().correlationIdValue());
        String eventId = events == null || events.isEmpty() ? "evt-1" : String.valueOf(events.get(events.size() - 1).derived().eventIdValue());
        List<CapturedEvent> byCorrelation = null;
        List<CapturedEvent> byEventId = null;
        DamagedBlockException matchFailure = null;
        try {
            byCorrelation = EventBlockCodec.decodeMatching(c.data(), c.firstSeq(), c.count(), false, correlationId);
            byEventId = EventBlockCodec.decodeMatching(c.data(), c.firstSeq(), c.count(), true, eventId);
        } catch (DamagedBlockException e) {
            matchFailure = e;
        }
        assertThat(matchFailure == null).as("the matching decoder agrees with the full decoder (full: %s, matching: %s)",
                fullFailure, matchFailure).isEqualTo(fullFailure == null);
        for (DamagedBlockException e : Arrays.asList(fullFailure, indexFailure, selectFailure, matchFailure)) {
            if (e != null) {
                assertThat(e.firstSeq()).isEqualTo(c.firstSeq());
                assertThat(e.eventCount()).isEqualTo(c.count());
                assertThat(e.getMessage()).startsWith("damaged block " + c.firstSeq() + " (");
            }
        }
        assertThat(indexFailure == null).as("the index decoder agrees with the full decoder (full: %s, index: %s)",
                fullFailure, indexFailure).isEqualTo(fullFailure == null);
        if (events == null) {
            return false;
        }
        assertThat(events).hasSize(c.count());
        List<EventBlockCodec.IndexFields> expected = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            CapturedEvent e = events.get(i);
            assertThat(e.seq()).isEqualTo(c.firstSeq() + i);
            expected.add(new EventBlockCodec.IndexFields(e.seq(), e.derived().correlationIdValue(),
                    e.derived().eventIdValue(), e.derived().eventTypeValue(), e.channel().name(),
                    e.observedAt().toEpochMilli()));
        }
        assertThat(fields).isEqualTo(expected);
        List<CapturedEvent> everyOther = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 2) {
            everyOther.add(events.get(i));
        }
        assertThat(selected).as("the selective decoder's events").isEqualTo(everyOther);
        assertThat(byCorrelation).as("the matching decoder's events by correlation ID")
                .isEqualTo(events.stream().filter(e -> correlationId.equals(e.derived().correlationIdValue())).toList());
        assertThat(byEventId).as("the matching decoder's events by event ID")
                .isEqualTo(events.stream().filter(e -> eventId.equals(e.derived().eventIdValue())).toList());
        if (c.from() != null && Arrays.equals(c.data(), c.from().data()) && c.count() == c.from().count()) {
            List<CapturedEvent> original = new ArrayList<>();
            for (int i = 0; i < c.count(); i++) {
                original.add(c.from().events().get(i).withSeq(c.firstSeq() + i));
            }
            assertThat(events).as("an unchanged block decodes to its events").isEqualTo(original);
        }
        return true;
    }

    // ---- corpus

    private static List<Sample> corpus() {
        Random r = new Random(SEED ^ 0xC0_4B05L);
        List<Sample> out = new ArrayList<>();
        EventBlockCodec codec = new EventBlockCodec();
        for (int b = 0; b < 24; b++) {
            codec.reset();
            int n = 1 + r.nextInt(5);
            List<CapturedEvent> events = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                CapturedEvent e = randomEvent(r, b % 3 == 0);
                codec.add(e);
                events.add(e);
            }
            byte[] plain = codec.toBytes();
            byte[] data = b % 2 == 0 ? plain : codec.toCompressedBytes();
            out.add(new Sample(data, plain, n, EventBlockCodec.decode(data, 1, n)));
        }
        return out;
    }

    /** A small event; {@code bare} leaves out key, headers, payload and derived fields at random. */
    private static CapturedEvent randomEvent(Random r, boolean bare) {
        String corr = "c-" + r.nextInt(3);
        List<Header> headers = new ArrayList<>();
        int headerCount = bare ? r.nextInt(2) : 1 + r.nextInt(4);
        for (int i = 0; i < headerCount; i++) {
            headers.add(i % 3 == 2 ? new Header("empty", null) : Header.ofString(i % 2 == 0 ? "correlationId" : "ce_type",
                    corr));
        }
        byte[] payload = bare && r.nextBoolean() ? null
                : ("{\"correlationId\":\"" + corr + "\",\"n\":" + r.nextInt(1000) + ",\"pad\":\"" + "ab".repeat(r.nextInt(40))
                        + "\"}").getBytes(StandardCharsets.UTF_8);
        Instant observed = Instant.ofEpochSecond(1_790_000_000L + r.nextInt(1000), r.nextInt(1_000_000_000));
        DerivedFields derived = bare && r.nextBoolean() ? DerivedFields.NONE : new DerivedFields(
                new Derived<>(corr, "header correlationId"),
                r.nextBoolean() ? new Derived<>("e-" + r.nextInt(100), "json /id") : null,
                r.nextBoolean() ? new Derived<>("OrderPlaced", "header ce_type") : null,
                r.nextBoolean() ? new Derived<>(observed.minusMillis(3), "json /time") : null,
                r.nextBoolean() ? new Derived<>(r.nextLong(), "json /sequence") : null,
                r.nextBoolean() ? new Derived<>("cause-" + r.nextInt(10), "json /causationId") : null);
        return new CapturedEvent(0,
                new Channel(ChannelKind.values()[r.nextInt(ChannelKind.values().length)], r.nextBoolean() ? "orders" : "pay"),
                r.nextInt(4) == 0 ? storedPosition(r)
                        : new SourcePosition.Kafka(r.nextInt(4), r.nextInt(100_000), TimestampType.values()[r.nextInt(4)]),
                observed, observed.plusMillis(r.nextInt(50)),
                bare ? null : ("k-" + r.nextInt(10)).getBytes(StandardCharsets.UTF_8), headers, payload, derived);
    }

    /** A position of another source kind (block tag 2), with attributes of every value type. */
    private static SourcePosition storedPosition(Random r) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("queue", "orders-q");
        attributes.put("deliveryTag", (long) r.nextInt(1_000_000));
        attributes.put("redelivered", r.nextBoolean());
        attributes.put("poll", r.nextInt(100));
        attributes.put("missing", null);
        return new StoredPosition(r.nextBoolean() ? "amqp" : "probe", r.nextBoolean() ? "queue orders-q" : null,
                r.nextBoolean() ? "dt-" + r.nextInt(100) : null, "delivery " + r.nextInt(100), attributes, "capture time");
    }

    // ---- mutations

    private static Case mutate(List<Sample> corpus, Random r) {
        Sample s = corpus.get(r.nextInt(corpus.size()));
        int kind = r.nextInt(10);
        byte[] d = s.data().clone();
        long firstSeq = 1 + r.nextInt(1_000_000);
        int count = s.count();
        String how;
        switch (kind) {
            case 0, 1, 2, 3, 4, 5 -> {
                // byte-level mutations of the stored bytes (plain or LZ4), one to three of them
                StringBuilder sb = new StringBuilder();
                int times = 1 + r.nextInt(3);
                for (int t = 0; t < times; t++) {
                    d = byteMutation(d, r, corpus, sb);
                }
                how = sb.toString();
            }
            case 6 -> {
                // the row's count and first sequence disagree with the bytes
                long[] seqs = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - count + 2, firstSeq};
                int[] counts = {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, count - 1, count + 1, 1025, 1 + r.nextInt(2000)};
                firstSeq = seqs[r.nextInt(seqs.length)];
                count = counts[r.nextInt(counts.length)];
                how = "row count/sequence changed";
            }
            case 7 -> {
                // an LZ4 block with another declared length, or a plain block turned into an LZ4 one
                long[] lengths = {0, 1, s.plain().length - 1, s.plain().length + 1, 1L << 30, (1L << 31) - 1,
                        r.nextInt(1 << 20), EventBlockCodec.MAX_BLOCK_BYTES + 1L};
                long declared = lengths[r.nextInt(lengths.length)];
                d = lz4(s.plain(), declared);
                how = "LZ4 block declaring " + declared + " bytes";
            }
            default -> {
                // damaged content inside valid LZ4: the decompressed reader's checks
                StringBuilder sb = new StringBuilder("re-compressed after ");
                byte[] plain = byteMutation(s.plain().clone(), r, corpus, sb);
                d = plain.length == 0 ? plain : lz4(plain, plain.length);
                how = sb.toString();
            }
        }
        return new Case(d, firstSeq, count, how, s);
    }

    private static byte[] byteMutation(byte[] d, Random r, List<Sample> corpus, StringBuilder how) {
        int m = r.nextInt(7);
        if (d.length == 0 && m < 2) {
            m = 3;
        }
        switch (m) {
            case 0 -> {
                int bit = r.nextInt(d.length * 8);
                d[bit / 8] ^= (byte) (1 << (bit % 8));
                how.append("bit ").append(bit).append(" flipped; ");
            }
            case 1 -> {
                int at = r.nextInt(d.length);
                d[at] = (byte) SPECIAL_BYTES[r.nextInt(SPECIAL_BYTES.length)];
                how.append("byte ").append(at).append(" set; ");
            }
            case 2 -> {
                int n = d.length == 0 ? 0 : r.nextInt(d.length);
                d = Arrays.copyOf(d, n);
                how.append("truncated to ").append(n).append("; ");
            }
            case 3 -> {
                int n = 1 + r.nextInt(16);
                byte[] longer = Arrays.copyOf(d, d.length + n);
                for (int i = d.length; i < longer.length; i++) {
                    longer[i] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) SPECIAL_BYTES[r.nextInt(4)];
                }
                d = longer;
                how.append("extended by ").append(n).append("; ");
            }
            case 4 -> {
                byte[] other = corpus.get(r.nextInt(corpus.size())).data();
                int cut = r.nextInt(d.length + 1);
                int from = r.nextInt(other.length + 1);
                byte[] spliced = Arrays.copyOf(d, cut + other.length - from);
                System.arraycopy(other, from, spliced, cut, other.length - from);
                d = spliced;
                how.append("spliced at ").append(cut).append(" with another block from ").append(from).append("; ");
            }
            case 5 -> {
                // a varint inflated in place: a byte becomes the start of a long or huge varint
                int at = d.length == 0 ? 0 : r.nextInt(d.length);
                long value = switch (r.nextInt(4)) {
                    case 0 -> -1L;
                    case 1 -> 1L << (7 + r.nextInt(56));
                    case 2 -> (1L << 31) + r.nextInt(1000);
                    default -> Integer.MAX_VALUE;
                };
                byte[] varint = varLong(value);
                byte[] inflated = new byte[d.length + varint.length - (d.length == 0 ? 0 : 1)];
                System.arraycopy(d, 0, inflated, 0, at);
                System.arraycopy(varint, 0, inflated, at, varint.length);
                if (d.length > 0) {
                    System.arraycopy(d, at + 1, inflated, at + varint.length, d.length - at - 1);
                }
                d = inflated;
                how.append("byte ").append(at).append(" replaced by varint ").append(Long.toUnsignedString(value)).append("; ");
            }
            default -> {
                // a slice repeated: more events, headers or strings than the counts say
                int from = r.nextInt(d.length + 1);
                int to = from + r.nextInt(d.length - from + 1);
                byte[] out = new byte[d.length + to - from];
                System.arraycopy(d, 0, out, 0, to);
                System.arraycopy(d, from, out, to, d.length - to);
                d = out;
                how.append("bytes ").append(from).append("..").append(to).append(" repeated; ");
            }
        }
        return d;
    }

    /** A {@link EventBlockCodec#FORMAT_LZ4} block of {@code plain} declaring {@code declared} bytes. */
    private static byte[] lz4(byte[] plain, long declared) {
        byte[] header = new byte[11];
        header[0] = EventBlockCodec.FORMAT_LZ4;
        byte[] length = varLong(declared);
        System.arraycopy(length, 0, header, 1, length.length);
        byte[] body = LZ4.fastCompressor().compress(plain);
        byte[] out = Arrays.copyOf(header, 1 + length.length + body.length);
        System.arraycopy(body, 0, out, 1 + length.length, body.length);
        return out;
    }

    private static byte[] varLong(long v) {
        byte[] out = new byte[10];
        int n = 0;
        while ((v & ~0x7FL) != 0) {
            out[n++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[n++] = (byte) v;
        return Arrays.copyOf(out, n);
    }
}
