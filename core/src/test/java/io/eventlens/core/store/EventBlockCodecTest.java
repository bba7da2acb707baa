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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void bytesOfAnotherFormatAreRejected() {
        assertThatThrownBy(() -> EventBlockCodec.decode(new byte[] {9, 1, 2}, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 9");
    }
}
