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
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link EventBlockCodec} stores source positions: Kafka compactly (tag 1), any other kind by its answers (tag 2). */
class EventBlockCodecPositionsTest {

    /** A probe's observation, a source kind the codec has no encoding of its own for. */
    private record ProbePosition(String endpoint, long poll, Map<String, Object> attributes) implements SourcePosition {
        @Override
        public String sourceKind() {
            return "probe";
        }

        @Override
        public String orderingStream() {
            return null;
        }

        @Override
        public String messageCoordinates() {
            return poll < 0 ? null : endpoint + "#" + poll;
        }

        @Override
        public String describe() {
            return "poll " + poll + " of " + endpoint;
        }

        @Override
        public String observedTimeMeaning() {
            return "probe poll time";
        }
    }

    private static Map<String, Object> attributes(long poll) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", "http://svc:8080/__test/events ✓");
        m.put("poll", poll);
        m.put("status", 200);
        m.put("negative", Integer.MIN_VALUE);
        m.put("min", Long.MIN_VALUE);
        m.put("cached", false);
        m.put("fresh", true);
        m.put("etag", null);
        return m;
    }

    private static CapturedEvent event(Channel channel, SourcePosition position, String correlationId) {
        return new CapturedEvent(0, channel, position, Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(2_000), null,
                List.of(Header.ofString("x", "y")), "{}".getBytes(StandardCharsets.UTF_8),
                new DerivedFields(new Derived<>(correlationId, "json /correlationId"), null, null, null, null, null));
    }

    @Test
    void aPositionOfAnyKindRoundTripsAsAStoredPositionGivingTheSameAnswers() {
        Channel probe = new Channel(ChannelKind.PROBE, "svc-probe");
        ProbePosition p1 = new ProbePosition("svc", 1, attributes(1));
        ProbePosition p2 = new ProbePosition("svc", -1, Map.of());
        SourcePosition kafka = new SourcePosition.Kafka(3, 99, TimestampType.CREATE_TIME);
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        codec.add(event(probe, p1, "c-1"));
        codec.add(event(Channel.kafkaTopic("orders"), kafka, "c-2"));
        codec.add(event(probe, p2, "c-3"));

        List<CapturedEvent> out = EventBlockCodec.decode(codec.toCompressedBytes(), 1, 3);

        assertThat(out.get(1).source()).as("Kafka keeps its own encoding and class").isEqualTo(kafka);
        for (int i : new int[] {0, 2}) {
            SourcePosition original = i == 0 ? p1 : p2;
            SourcePosition read = out.get(i).source();
            assertThat(read).isInstanceOf(StoredPosition.class).isEqualTo(StoredPosition.of(original));
            assertThat(read.sourceKind()).isEqualTo(original.sourceKind());
            assertThat(read.orderingStream()).isEqualTo(original.orderingStream());
            assertThat(read.messageCoordinates()).isEqualTo(original.messageCoordinates());
            assertThat(read.describe()).isEqualTo(original.describe());
            assertThat(read.observedTimeMeaning()).isEqualTo(original.observedTimeMeaning());
            assertThat(read.attributes()).containsExactlyEntriesOf(original.attributes());
        }
        assertThat(out.get(0).source().attributes().get("status")).isInstanceOf(Integer.class);
        assertThat(out.get(0).source().attributes().get("poll")).isInstanceOf(Long.class);
    }

    @Test
    void indexFieldsOfABlockWithPositionsOfAnyKindMatchTheFullDecode() {
        Channel probe = new Channel(ChannelKind.PROBE, "svc-probe");
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        for (int i = 0; i < 20; i++) {
            SourcePosition p = i % 3 == 0 ? new SourcePosition.Kafka(0, i, TimestampType.CREATE_TIME)
                    : new ProbePosition("svc-" + (i % 2), i, attributes(i));
            codec.add(event(i % 3 == 0 ? Channel.kafkaTopic("orders") : probe, p, "c-" + i));
        }
        byte[] block = codec.toBytes();

        List<CapturedEvent> full = EventBlockCodec.decode(block, 1, 20);
        List<EventBlockCodec.IndexFields> fields = EventBlockCodec.decodeIndexFields(block, 1, 20);

        assertThat(fields).extracting(EventBlockCodec.IndexFields::correlationId)
                .containsExactlyElementsOf(full.stream().map(e -> e.derived().correlationIdValue()).toList());
        assertThat(fields).extracting(EventBlockCodec.IndexFields::channel)
                .containsExactlyElementsOf(full.stream().map(e -> e.channel().name()).toList());
    }

    @Test
    void anAttributeOfAnotherTypeIsRejectedNamingIt() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("latencyMs", 1.5);
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();

        assertThatThrownBy(() -> codec.add(event(Channel.kafkaTopic("t"), new ProbePosition("svc", 1, bad), "c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latencyMs").hasMessageContaining("probe");
    }

    /**
     * A block of two Kafka events as the first release of the format wrote it (generated with the
     * codec of commit 64fb1f8): still decodes, and the compact Kafka encoding is unchanged.
     */
    @Test
    void aBlockWrittenBeforePositionsOfOtherKindsStillDecodesAndKafkaEncodesAsBefore() {
        byte[] old = HexFormat.of().parseHex("010000076f72646572730102ac0200cad6b9950d809bee02ccd6b9950d00026b01000e636f"
                + "7272656c6174696f6e496404632d31127b226576656e744964223a22652d31227d0304632d31001568656164657220636f"
                + "7272656c6174696f6e496404652d31000e6a736f6e202f6576656e744964000101000701ced6b9950d00d0d6b9950d0000"
                + "000000");
        CapturedEvent first = new CapturedEvent(1, Channel.kafkaTopic("orders"),
                new SourcePosition.Kafka(2, 300, TimestampType.CREATE_TIME), Instant.parse("2026-01-02T03:04:05.006Z"),
                Instant.parse("2026-01-02T03:04:06Z"), "k".getBytes(StandardCharsets.UTF_8),
                List.of(Header.ofString("correlationId", "c-1")), "{\"eventId\":\"e-1\"}".getBytes(StandardCharsets.UTF_8),
                new DerivedFields(new Derived<>("c-1", "header correlationId"), new Derived<>("e-1", "json /eventId"),
                        null, null, null, null));
        CapturedEvent second = new CapturedEvent(2, Channel.kafkaTopic("orders"),
                new SourcePosition.Kafka(0, 7, TimestampType.LOG_APPEND_TIME), Instant.parse("2026-01-02T03:04:07Z"),
                Instant.parse("2026-01-02T03:04:08Z"), null, List.of(), null, DerivedFields.NONE);

        assertThat(EventBlockCodec.decode(old, 1, 2)).containsExactly(first, second);
        EventBlockCodec codec = new EventBlockCodec();
        codec.reset();
        codec.add(first);
        codec.add(second);
        assertThat(codec.toBytes()).isEqualTo(old);
    }
}
