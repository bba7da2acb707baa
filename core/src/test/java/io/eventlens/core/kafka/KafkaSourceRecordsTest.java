package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.StreamPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** {@link KafkaSource} turns polled records into batches and events, without a broker. */
class KafkaSourceRecordsTest {

    private static final EventExtractor EXTRACTOR = EventExtractor.withDefaults();

    private static KafkaSource source() {
        KafkaSource s = new KafkaSource(KafkaCaptureConfig.builder("localhost:9092").topic("t").build());
        s.useSourceId("cluster-1");
        return s;
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, long timestamp,
                                                         org.apache.kafka.common.record.TimestampType type, String... headers) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(new RecordHeader(ByteBuffer.wrap(headers[i].getBytes(StandardCharsets.UTF_8)),
                    headers[i + 1] == null ? null : ByteBuffer.wrap(headers[i + 1].getBytes(StandardCharsets.UTF_8))));
        }
        byte[] value = ("{\"eventId\":\"e-" + offset + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(topic, partition, offset, timestamp, type, 1, value.length, new byte[] {'k'}, value, h,
                Optional.empty());
    }

    private static ConsumerRecords<byte[], byte[]> poll(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> m = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            m.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), tp -> new ArrayList<>()).add(r);
        }
        return new ConsumerRecords<>(m, Map.of());
    }

    private static List<CapturedEvent> events(SourceBatch<ConsumerRecord<byte[], byte[]>> batch) {
        List<CapturedEvent> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : batch.records()) {
            out.add(batch.reader().read(r, batch.capturedAt(), EXTRACTOR::extract));
        }
        return out;
    }

    @Test
    void eventsHaveTheRecordsCoordinatesTimesHeadersAndFields() {
        var create = org.apache.kafka.common.record.TimestampType.CREATE_TIME;
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            records.add(record("orders", 0, 10 + i, 1_000 + i / 2, create, "correlationId", "c-" + i, "eventType", "T",
                    "nullValued", null));
        }
        records.add(record("orders", 1, 5, -1, org.apache.kafka.common.record.TimestampType.NO_TIMESTAMP_TYPE, "a", "1",
                "b", "2", "c", "3", "d", "4", "e", "5", "f", "6", "g", "7", "h", "8", "i", "9"));
        records.add(record("orders", 2, 7, 5_000, org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME));
        Instant now = Instant.parse("2026-11-30T08:00:00Z");
        SourceBatch<ConsumerRecord<byte[], byte[]>> batch = source().batch(poll(records), now);
        List<CapturedEvent> events = events(batch);

        for (int i = 0; i < 6; i++) {
            CapturedEvent e = events.get(i);
            assertThat(e.channel().name()).isEqualTo("orders");
            assertThat(e.source()).isEqualTo(new SourcePosition.Kafka(0, 10 + i, TimestampType.CREATE_TIME));
            assertThat(e.observedAt()).isEqualTo(Instant.ofEpochMilli(1_000 + i / 2));
            assertThat(e.capturedAt()).isEqualTo(now);
            assertThat(e.headers()).containsExactly(Header.ofString("correlationId", "c-" + i), Header.ofString("eventType", "T"),
                    new Header("nullValued", null));
            assertThat(e.derived().correlationIdValue()).isEqualTo("c-" + i);
            assertThat(e.derived().eventIdValue()).isEqualTo("e-" + (10 + i));
            // names are shared among events
            assertThat(e.headers().get(1).name()).isSameAs(events.get(0).headers().get(1).name());
        }
        assertThat(events.get(6).observedAt()).as("no timestamp: the capture time").isEqualTo(now);
        assertThat(events.get(6).source()).isEqualTo(new SourcePosition.Kafka(1, 5, TimestampType.NONE));
        assertThat(events.get(6).headers()).extracting(Header::name).containsExactly("a", "b", "c", "d", "e", "f", "g", "h", "i");
        assertThat(events.get(7).source()).isEqualTo(new SourcePosition.Kafka(2, 7, TimestampType.LOG_APPEND_TIME));
        assertThat(events.get(7).headers()).isEmpty();
        assertThat(events.get(7).observedAt()).isEqualTo(Instant.ofEpochMilli(5_000));
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            bytes += 1 + r.value().length;
            for (org.apache.kafka.common.header.Header h : r.headers()) {
                bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
            }
        }
        assertThat(batch.bytes()).isEqualTo(bytes);
    }

    @Test
    void positionsAreTheNextOffsetOfEachPartitionInFirstSeenOrderAlsoWhenPartitionsInterleave() {
        var create = org.apache.kafka.common.record.TimestampType.CREATE_TIME;
        List<ConsumerRecord<byte[], byte[]>> records = List.of(
                record("a", 1, 4, 1, create), record("a", 1, 5, 1, create), record("b", 1, 9, 1, create),
                record("a", 0, 2, 1, create), record("a", 1, 6, 1, create), record("b", 1, 10, 1, create));
        KafkaSource source = source();
        // a poll groups by partition; a list that does not must still give each partition's last offset + 1
        SourceBatch<ConsumerRecord<byte[], byte[]>> grouped = source.batch(poll(records), Instant.EPOCH);
        SourceBatch<ConsumerRecord<byte[], byte[]>> interleaved = new SourceBatch<>(records, grouped.reader(), Instant.EPOCH, 0,
                n -> source.positionsAfter(records, n), SourceBatch.Acknowledgement.NONE);
        assertThat(interleaved.positions().after(6)).containsExactly(new StreamPosition("cluster-1", "a/1", "7"),
                new StreamPosition("cluster-1", "b/1", "11"), new StreamPosition("cluster-1", "a/0", "3"));
        assertThat(interleaved.positions().after(3)).containsExactly(new StreamPosition("cluster-1", "a/1", "6"),
                new StreamPosition("cluster-1", "b/1", "10"));
        assertThat(interleaved.positions().after(1)).containsExactly(new StreamPosition("cluster-1", "a/1", "5"));
        assertThat(grouped.positions().after(6)).containsExactly(new StreamPosition("cluster-1", "a/1", "7"),
                new StreamPosition("cluster-1", "b/1", "11"), new StreamPosition("cluster-1", "a/0", "3"));
        assertThat(grouped.positions().after(2)).containsExactly(new StreamPosition("cluster-1", "a/1", "6"));
    }
}
