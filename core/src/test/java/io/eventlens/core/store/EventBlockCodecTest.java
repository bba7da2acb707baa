package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.testkit.Allocations;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventBlockCodecTest {

    private static CapturedEvent full(int i) {
        DerivedFields derived = new DerivedFields(
                new Derived<>("corr-ü-" + i, "header correlationId"),
                new Derived<>("evt-" + i, "json /id"),
                new Derived<>("Order✓Placed", "header ce_type"),
                new Derived<>(Instant.ofEpochSecond(-86_400L * 365 * 100, 999_999_999), "json /time"),
                new Derived<>(i % 2 == 0 ? Long.MIN_VALUE : Long.MAX_VALUE, "header seq"),
                new Derived<>("cause-" + i, "json /causationId"));
        return new CapturedEvent(0, new Channel(ChannelKind.AMQP_QUEUE, i % 2 == 0 ? "orders" : "orders.DLT"),
                new SourcePosition.Kafka(Integer.MAX_VALUE, Long.MAX_VALUE - i, TimestampType.LOG_APPEND_TIME),
                Instant.parse("2026-11-22T10:00:00.000000001Z").plusMillis(i), Instant.EPOCH,
                new byte[0], List.of(new Header("h", new byte[] {0, -1, 127}), new Header("h", null),
                        Header.ofString("correlationId", "corr-" + i)),
                ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), derived);
    }

    @Test
    void everyFieldRoundTripsIncludingExtremesUnicodeAndRepeatedStrings() {
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        List<CapturedEvent> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            in.add(full(i));
            codec.add(full(i));
        }

        List<CapturedEvent> out = EventBlockCodec.decode(codec.toBytes(), 41, 5);

        for (int i = 0; i < 5; i++) {
            assertThat(out.get(i)).isEqualTo(in.get(i).withSeq(41 + i));
        }
        assertThat(codec.count()).isEqualTo(5);
        assertThat(codec.payloadBytes()).isEqualTo(in.stream().mapToLong(CapturedEvent::payloadSize).sum());
        assertThat(codec.minObservedMs()).isEqualTo(in.get(0).observedAt().toEpochMilli());
        assertThat(codec.maxObservedMs()).isEqualTo(in.get(4).observedAt().toEpochMilli());
    }

    @Test
    void indexFieldsMatchTheFullDecode() {
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        codec.add(full(1));
        codec.add(new CapturedEvent(0, Channel.kafkaTopic("t"), new SourcePosition.Kafka(0, 0, TimestampType.NONE),
                Instant.ofEpochMilli(5), Instant.ofEpochMilli(6), null, List.of(), null, DerivedFields.NONE));

        List<EventBlockCodec.IndexFields> fields = EventBlockCodec.decodeIndexFields(codec.toBytes(), 7, 2);

        assertThat(fields).containsExactly(
                new EventBlockCodec.IndexFields(7, "corr-ü-1", "evt-1", "Order✓Placed", "orders.DLT",
                        full(1).observedAt().toEpochMilli()),
                new EventBlockCodec.IndexFields(8, null, null, null, "t", 5));
    }

    @Test
    void theMatchingDecoderGivesOnlyTheEventsWithTheId() {
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        for (int i = 0; i < 6; i++) {
            codec.add(full(i % 3));
        }
        codec.add(new CapturedEvent(0, Channel.kafkaTopic("t"), new SourcePosition.Kafka(0, 0, TimestampType.NONE),
                Instant.ofEpochMilli(5), Instant.ofEpochMilli(6), null, List.of(), null, DerivedFields.NONE));
        byte[] data = codec.toCompressedBytes();
        List<CapturedEvent> all = EventBlockCodec.decode(data, 10, 7);

        assertThat(EventBlockCodec.decodeMatching(data, 10, 7, false, "corr-ü-1"))
                .containsExactly(all.get(1), all.get(4));
        assertThat(EventBlockCodec.decodeMatching(data, 10, 7, true, "evt-2"))
                .containsExactly(all.get(2), all.get(5));
        assertThat(EventBlockCodec.decodeMatching(data, 10, 7, true, "corr-ü-1")).as("a correlation ID is not an event ID")
                .isEmpty();
        assertThat(EventBlockCodec.decodeMatching(data, 10, 7, false, "corr-ü-9")).isEmpty();
    }

    @Test
    void compressedBlocksRoundTripAndIncompressibleOnesStayPlain() {
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        for (int i = 0; i < 200; i++) {
            codec.add(full(i));
        }
        byte[] plain = codec.toBytes();
        byte[] packed = codec.toCompressedBytes();

        assertThat(packed[0]).isEqualTo((byte) EventBlockCodec.FORMAT_LZ4);
        assertThat(packed.length).isLessThan(plain.length / 2);
        assertThat(EventBlockCodec.decode(packed, 1, 200)).isEqualTo(EventBlockCodec.decode(plain, 1, 200));
        assertThat(EventBlockCodec.decodeIndexFields(packed, 1, 200))
                .isEqualTo(EventBlockCodec.decodeIndexFields(plain, 1, 200));

        byte[] noise = new byte[4096];
        new java.util.Random(1).nextBytes(noise);
        CapturedEvent e = full(0);
        codec.reset();
        codec.add(new CapturedEvent(0, e.channel(), e.source(), e.observedAt(), e.capturedAt(), null, List.of(), noise,
                DerivedFields.NONE));
        assertThat(codec.toCompressedBytes()[0]).as("random bytes are stored uncompressed")
                .isEqualTo((byte) EventBlockCodec.FORMAT);
    }

    @Test
    void resetStartsAFreshDictionary() {
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        codec.add(full(1));
        codec.reset();
        codec.add(full(2));

        assertThat(EventBlockCodec.decode(codec.toBytes(), 1, 1)).containsExactly(full(2).withSeq(1));
    }

    // ---- damaged blocks (docs/decisions/0001-capture-store.md, "Damaged blocks")

    /** Hand-written block bytes: the format byte, then whatever the test writes. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes(int format) {
            out.write(format);
        }

        Bytes b(int... bytes) {
            for (int x : bytes) {
                out.write(x);
            }
            return this;
        }

        Bytes varLong(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
            return this;
        }

        Bytes str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            varLong(u.length + 1L);
            out.writeBytes(u);
            return this;
        }

        /** Channel (Kafka topic "t", a new dictionary string) and source (p0@0, timestamp type NONE). */
        Bytes channelAndSource() {
            return b(0).b(0).str("t").b(1).varLong(0).varLong(0).b(TimestampType.NONE.ordinal());
        }

        /** observedAt and capturedAt at the epoch. */
        Bytes epochInstants() {
            return varLong(0).varLong(0).varLong(0).varLong(0);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** The event of {@link #minimalBlock()}. */
    private static final CapturedEvent MINIMAL = new CapturedEvent(7, Channel.kafkaTopic("t"),
            new SourcePosition.Kafka(0, 0, TimestampType.NONE), Instant.EPOCH, Instant.EPOCH, null, List.of(), null,
            DerivedFields.NONE);

    /** One event with no key, headers, payload or derived fields: 14 bytes plus the channel name. */
    private static byte[] minimalBlock() {
        return new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants().varLong(0).varLong(0).varLong(0)
                .b(0).bytes();
    }

    private static byte[] genuineBlock(int events, boolean compressed) {
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        for (int i = 0; i < events; i++) {
            codec.add(full(i));
        }
        byte[] data = compressed ? codec.toCompressedBytes() : codec.toBytes();
        assertThat(data[0]).as("the genuine block's format").isEqualTo((byte) (compressed ? EventBlockCodec.FORMAT_LZ4
                : EventBlockCodec.FORMAT));
        return data;
    }

    /** Asserts that both decoders refuse the block with a damaged-block error whose reason contains {@code why}. */
    private static void assertDamaged(byte[] data, long firstSeq, int eventCount, String why) {
        for (Runnable decoder : List.<Runnable>of(() -> EventBlockCodec.decode(data, firstSeq, eventCount),
                () -> EventBlockCodec.decodeIndexFields(data, firstSeq, eventCount),
                () -> EventBlockCodec.decodeMatching(data, firstSeq, eventCount, false, "corr-ü-1"))) {
            assertThatThrownBy(decoder::run)
                    .isInstanceOfSatisfying(DamagedBlockException.class, e -> {
                        assertThat(e.firstSeq()).isEqualTo(firstSeq);
                        assertThat(e.eventCount()).isEqualTo(eventCount);
                        assertThat(e.file()).isNull();
                    })
                    .hasMessageStartingWith("damaged block " + firstSeq + " (")
                    .hasMessageContaining(why);
        }
    }

    @Test
    void theHandWrittenMinimalBlockDecodes() {
        assertThat(EventBlockCodec.decode(minimalBlock(), 7, 1)).containsExactly(MINIMAL);
        assertThat(EventBlockCodec.decodeIndexFields(minimalBlock(), 7, 1))
                .containsExactly(new EventBlockCodec.IndexFields(7, null, null, null, "t", 0));
    }

    @Test
    void bytesOfAnotherFormatAreADamagedBlock() {
        assertDamaged(new byte[] {9, 1, 2}, 1, 1, "format byte 9 is neither 1 (plain) nor 2 (LZ4)");
        assertDamaged(new byte[0], 1, 1, "the block has no data");
        assertDamaged(null, 1, 1, "the block has no data");
    }

    @Test
    void theMessageNamesTheBlockItsEventsTheEventAndTheByteOffset() {
        byte[] data = genuineBlock(5, false);
        byte[] cut = Arrays.copyOf(data, data.length - 1);

        assertThatThrownBy(() -> EventBlockCodec.decode(cut, 41, 5))
                .hasMessageStartingWith("damaged block 41 (events 41..45): event 5 of 5, byte ");
    }

    @Test
    void aNegativeOrHugeLengthIsADamagedBlockBeforeAnyAllocation() {
        // payload length + 1 as a 10-byte varint: 2^64 - 1 (-1 as a long) and 2^31 + 1 (negative as an int)
        for (long lengthPlusOne : new long[] {-1L, (1L << 31) + 1, 1L << 62}) {
            byte[] data = new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants().varLong(0).varLong(0)
                    .varLong(lengthPlusOne).b(0).bytes();

            assertDamaged(data, 1, 1, "payload length " + Long.toUnsignedString(lengthPlusOne - 1) + " exceeds the ");
        }
        byte[] longKey = new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants().varLong(5).b(1, 2)
                .bytes();
        assertDamaged(longKey, 1, 1, "key length 4 exceeds the 2 bytes left");
    }

    @Test
    void aVarintLongerThanTenBytesOrBeyondSixtyFourBitsIsADamagedBlock() {
        byte[] eleven = new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants()
                .b(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01).b(0, 0, 0, 0, 0).bytes();
        byte[] overflow = new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants()
                .b(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02).b(0, 0, 0, 0, 0).bytes();

        assertDamaged(eleven, 1, 1, "the key length overflows 64 bits");
        assertDamaged(overflow, 1, 1, "the key length overflows 64 bits");
    }

    @Test
    void aHugeOrImpossibleCountIsADamagedBlock() {
        byte[] one = minimalBlock();
        assertDamaged(one, 1, Integer.MAX_VALUE, "event count 2147483647 is more than the 1024 events a block holds");
        assertDamaged(one, 1, 2, "2 events cannot fit in " + one.length + " bytes");
        assertDamaged(one, 1, 0, "are not a positive range of sequences");
        assertDamaged(one, 1, -1, "are not a positive range of sequences");
        assertDamaged(one, 0, 1, "are not a positive range of sequences");
        assertDamaged(one, Long.MAX_VALUE, 2, "are not a positive range of sequences");
        assertThat(EventBlockCodec.decode(one, Long.MAX_VALUE, 1)).extracting(CapturedEvent::seq)
                .containsExactly(Long.MAX_VALUE);

        byte[] headers = new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants().varLong(0)
                .varLong(1L << 40).b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).bytes();
        assertDamaged(headers, 1, 1, "header count 1099511627776 is not between 0 and 1024");
    }

    @Test
    void aDictionaryReferenceOutOfRangeIsADamagedBlock() {
        byte[] data = new Bytes(EventBlockCodec.FORMAT).b(0).varLong(3).b(1).varLong(0).varLong(0).b(3)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes();
        byte[] zeroth = new Bytes(EventBlockCodec.FORMAT).b(0).varLong(-1L).b(1).varLong(0).varLong(0).b(3)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes();

        assertDamaged(data, 1, 1, "channel name refers to string 3 but the block has defined 0");
        assertDamaged(zeroth, 1, 1, "channel name refers to string 18446744073709551615 but the block has defined 0");
    }

    @Test
    void valuesTheModelWouldRefuseAreDamagedBlocksNotModelExceptions() {
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).b(0).b(0).str(" ").b(1).varLong(0).varLong(0).b(3)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1, "the channel name is blank");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).b(0).b(0).str("t").b(1).varLong(0).varLong(1L << 63).b(3)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1,
                "offset 9223372036854775808 is not between 0 and 9223372036854775807");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).b(0).b(0).str("t").b(1).varLong(1L << 31).varLong(0).b(3)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1,
                "partition 2147483648 is not between 0 and 2147483647");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).b(9).b(0).str("t").b(1).varLong(0).varLong(0).b(3)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1, "channel kind 9 is not one of 0 to 3");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).b(0).b(0).str("t").b(3).varLong(0).varLong(0).b(3)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1, "source tag 3 is not 1 (Kafka) or 2 (another kind)");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).b(0).b(0).str("t").b(1).varLong(0).varLong(0).b(4)
                .epochInstants().varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1,
                "timestamp type 4 is not one of 0 to 3");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).channelAndSource().varLong(0).varLong(1_000_000_000)
                .varLong(0).varLong(0).varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1,
                "observedAt 0 s + 1000000000 ns is not an instant");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).channelAndSource().varLong(Instant.MAX.getEpochSecond() * 2)
                .varLong(0).varLong(0).varLong(0).varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1,
                "observedAt " + Instant.MAX.getEpochSecond() + " s is beyond epoch milliseconds");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants().varLong(0).varLong(0)
                .varLong(0).b(0x40).bytes(), 1, 1, "derived-field flags 0x40 set unknown bits");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants().varLong(0).varLong(0)
                .varLong(0).b(1).varLong(0).varLong(0).bytes(), 1, 1, "correlation ID is missing (null)");
        assertDamaged(new Bytes(EventBlockCodec.FORMAT).channelAndSource().epochInstants().varLong(0).varLong(1)
                .varLong(0).varLong(0).varLong(0).varLong(0).b(0).bytes(), 1, 1, "header name is missing (null)");
    }

    @Test
    void bytesAfterTheLastEventMakeADamagedBlock() {
        byte[] data = Arrays.copyOf(minimalBlock(), minimalBlock().length + 2);

        assertDamaged(data, 1, 1, "event 1 of 1, byte " + minimalBlock().length + " of " + data.length
                + ": 2 bytes follow the last event");
    }

    @Test
    void everyPrefixOfAGenuineBlockIsADamagedBlock() {
        for (boolean compressed : new boolean[] {false, true}) {
            byte[] data = genuineBlock(5, compressed);
            assertThat(EventBlockCodec.decode(data, 1, 5)).hasSize(5);
            for (int n = 0; n < data.length; n++) {
                byte[] prefix = Arrays.copyOf(data, n);
                for (Runnable decoder : List.<Runnable>of(() -> EventBlockCodec.decode(prefix, 1, 5),
                        () -> EventBlockCodec.decodeIndexFields(prefix, 1, 5),
                        () -> EventBlockCodec.decodeMatching(prefix, 1, 5, true, "evt-1"))) {
                    assertThatThrownBy(decoder::run).as("prefix of %d of the %d bytes of the %s block", n, data.length,
                            compressed ? "LZ4" : "plain").isInstanceOf(DamagedBlockException.class);
                }
            }
        }
    }

    @Test
    void anLz4BlockClaimingOneGibibyteFailsFastWithoutAllocatingIt() {
        byte[] small = new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(1L << 30).b(0x10, 1, 0, 0).bytes();
        byte[] plenty = new byte[EventBlockCodec.MAX_BLOCK_BYTES / EventBlockCodec.LZ4_MAX_RATIO + 1024 * 1024];
        byte[] header = new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(1L << 30).bytes();
        System.arraycopy(header, 0, plenty, 0, header.length);
        byte[] underTheCap = new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(100L << 20).b(new int[1024]).bytes();

        Map<byte[], String> expected = new LinkedHashMap<>();
        expected.put(small, "declared LZ4 length 1073741824 is more than the " + EventBlockCodec.MAX_BLOCK_BYTES
                + " bytes a block can hold");
        expected.put(plenty, "declared LZ4 length 1073741824 is more than the " + EventBlockCodec.MAX_BLOCK_BYTES
                + " bytes a block can hold");
        expected.put(underTheCap, "declared LZ4 length 104857600 is more than LZ4 can expand the 1024 compressed bytes"
                + " to (255 times)");
        expected.forEach((data, why) -> {
            long allocated = Allocations.bytesAllocatedBy(() -> assertThatThrownBy(() -> EventBlockCodec.decode(data, 1, 1))
                    .isInstanceOf(DamagedBlockException.class)
                    .hasMessageContaining(why));
            assertThat(allocated).as("bytes allocated refusing a %d-byte block", data.length).isLessThan(1024 * 1024);
        });
        assertDamaged(new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(20).b(new int[64]).bytes(), 1, 2,
                "declared LZ4 length 20 cannot hold 2 events (at least 29 bytes)");
    }

    @Test
    void anLz4LengthThatDisagreesWithTheDataIsADamagedBlock() {
        byte[] plain = genuineBlock(200, false);
        byte[] packed = genuineBlock(200, true);
        int lengthBytes = new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(plain.length).bytes().length;
        byte[] body = Arrays.copyOfRange(packed, lengthBytes, packed.length);

        byte[] longer = concat(new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(plain.length + 1L).bytes(), body);
        byte[] shorter = concat(new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(plain.length - 1L).bytes(), body);

        assertThat(EventBlockCodec.decode(concat(new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(plain.length).bytes(),
                body), 1, 200)).as("the block rebuilt with its own length").hasSize(200);
        assertDamaged(longer, 1, 200, "LZ4 data decompresses to " + plain.length + " bytes, not the declared "
                + (plain.length + 1));
        assertDamaged(shorter, 1, 200, "LZ4 data is damaged");
    }

    @Test
    void lz4ContentOfAnotherFormatIsADamagedBlock() {
        byte[] plain = minimalBlock();
        plain[0] = EventBlockCodec.FORMAT_LZ4;
        byte[] compressed = net.jpountz.lz4.LZ4Factory.fastestInstance().fastCompressor().compress(plain);
        byte[] data = concat(new Bytes(EventBlockCodec.FORMAT_LZ4).varLong(plain.length).bytes(), compressed);

        assertDamaged(data, 1, 1, "decompressed byte 0 of " + plain.length + ": format byte 2 is not 1");
    }

    @Test
    void theWriterRefusesAnEventWithMoreHeadersThanTheDecoderAccepts() {
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        codec.add(full(1));
        byte[] before = codec.toBytes();
        CapturedEvent e = full(2);
        List<Header> headers = new ArrayList<>();
        for (int i = 0; i <= EventBlockCodec.MAX_HEADERS; i++) {
            headers.add(new Header("h", null));
        }
        CapturedEvent many = new CapturedEvent(0, e.channel(), e.source(), e.observedAt(), e.capturedAt(), null, headers,
                null, DerivedFields.NONE);

        assertThatThrownBy(() -> codec.add(many)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 1025 headers, more than the 1024");
        assertThat(codec.toBytes()).as("the block is unchanged").isEqualTo(before);
        assertThat(codec.count()).isEqualTo(1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
