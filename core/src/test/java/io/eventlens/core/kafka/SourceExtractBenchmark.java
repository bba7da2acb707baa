package io.eventlens.core.kafka;

import com.sun.management.ThreadMXBean;
import io.eventlens.core.capture.FieldDeriver;
import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.store.StreamPosition;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The source-and-extraction benchmark (issue 6, "Speed and memory"): pushes N (default 1,000,000)
 * synthetic Kafka records shaped like the whole-process benchmark's (a ~200-byte JSON payload
 * {@code {"eventId","correlationId","eventType","sequence","timestamp","data":{"amountCents","note"}}},
 * key = the correlation ID, headers {@code correlationId}, {@code eventType}, {@code ce_id}; 4 records
 * per correlation ID; polls of 2,000 records over 3 partitions, grouped by partition as a consumer
 * returns them) through what the capture does to each of them outside the store:
 * <ol>
 *   <li>source thread: {@link KafkaSource}'s poll loop turning a poll into a batch (byte count);</li>
 *   <li>extract workers: the batch's reader ({@code toEvent}: record to {@link CapturedEvent}) with
 *       the {@link EventExtractor} deriving its fields, as the pipeline's deriver calls it;</li>
 *   <li>writer: the batch's resume positions ({@code positionsAfter}).</li>
 * </ol>
 * Prints, per round ({@code bench.rounds}, default 5; the first runs on a cold JVM), CPU
 * nanoseconds and allocated bytes per event of each part, measured on this thread with
 * {@link ThreadMXBean} around those calls only (making the synthetic records is not counted).
 * Single-threaded, so it depends little on the machine's load. Not a test: it asserts nothing.
 *
 * <p>Run with {@code mvn -Pbench -pl core verify -DskipTests} (with the other benchmarks) or alone with
 * {@code -Dexec.mainClass=io.eventlens.core.kafka.SourceExtractBenchmark}; {@code -Dbench.source.records=N};
 * {@code -Dbench.derive=false} leaves extraction out (every event gets no derived fields).
 */
public final class SourceExtractBenchmark {

    private static final String TOPIC = "bench-orders";
    private static final int PARTITIONS = 3;
    private static final int POLL = KafkaSource.MAX_POLL_RECORDS;
    private static final String[] TYPES = {"OrderPlaced", "PaymentCaptured", "StockReserved", "OrderConfirmed"};

    private SourceExtractBenchmark() {
    }

    public static void main(String[] args) {
        int records = Integer.getInteger("bench.source.records", 1_000_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        KafkaSource source = new KafkaSource(KafkaCaptureConfig.builder("localhost:9092").topic(TOPIC).build());
        source.useSourceId("bench-cluster");
        EventExtractor extractor = EventExtractor.withDefaults();
        // as CapturePipeline's deriver: the extractor, never throwing
        boolean derive = !"false".equals(System.getProperty("bench.derive"));
        FieldDeriver deriver = !derive ? (channel, key, headers, payload) -> DerivedFields.NONE : (channel, key, headers, payload) -> {
            try {
                return extractor.extract(channel, key, headers, payload);
            } catch (RuntimeException e) {
                return DerivedFields.NONE;
            }
        };
        System.out.printf(Locale.ROOT, "source and extraction benchmark: %,d records of ~200 B, 3 headers, polls of %,d"
                + " over %d partitions; per event, on one thread%n", records, POLL, PARTITIONS);
        System.out.printf(Locale.ROOT, "%-6s %12s %12s %12s %12s %12s %12s %12s %12s%n", "round",
                "source ns", "source B", "convert ns", "convert B", "positions ns", "positions B", "total ns", "total B");
        long sink = 0;
        long[] offsets = new long[PARTITIONS];
        Instant t0 = Instant.parse("2026-11-30T08:00:00.000001Z");
        for (int round = 1; round <= rounds; round++) {
            long[] cpu = new long[3];
            long[] alloc = new long[3];
            for (int first = 0; first < records; first += POLL) {
                int n = Math.min(POLL, records - first);
                ConsumerRecords<byte[], byte[]> poll = poll(first, n, offsets, t0);
                Thread me = Thread.currentThread();
                long c0 = mx.getCurrentThreadCpuTime();
                long a0 = mx.getThreadAllocatedBytes(me.threadId());
                Instant now = Instant.now();
                SourceBatch<ConsumerRecord<byte[], byte[]>> batch = source.batch(poll, now);
                long c1 = mx.getCurrentThreadCpuTime();
                long a1 = mx.getThreadAllocatedBytes(me.threadId());
                SourceBatch.ObservationReader<ConsumerRecord<byte[], byte[]>> reader = batch.reader();
                List<ConsumerRecord<byte[], byte[]>> list = batch.records();
                CapturedEvent[] out = new CapturedEvent[list.size()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = reader.read(list.get(i), now, deriver);
                }
                long c2 = mx.getCurrentThreadCpuTime();
                long a2 = mx.getThreadAllocatedBytes(me.threadId());
                List<StreamPosition> positions = batch.positions().after(out.length);
                long c3 = mx.getCurrentThreadCpuTime();
                long a3 = mx.getThreadAllocatedBytes(me.threadId());
                cpu[0] += c1 - c0;
                cpu[1] += c2 - c1;
                cpu[2] += c3 - c2;
                alloc[0] += a1 - a0;
                alloc[1] += a2 - a1;
                alloc[2] += a3 - a2;
                sink += positions.size() + out[out.length - 1].derived().hashCode() + (batch.bytes() & 1);
            }
            double r = records;
            System.out.printf(Locale.ROOT, "%-6d %12.0f %12.0f %12.0f %12.0f %12.0f %12.0f %12.0f %12.0f%n", round,
                    cpu[0] / r, alloc[0] / r, cpu[1] / r, alloc[1] / r, cpu[2] / r, alloc[2] / r,
                    (cpu[0] + cpu[1] + cpu[2]) / r, (alloc[0] + alloc[1] + alloc[2]) / r);
        }
        System.out.println(sink == 42 ? " " : "");
    }

    /** One poll of records {@code first .. first+n-1}, grouped by partition (the key's partition, as a producer's). */
    private static ConsumerRecords<byte[], byte[]> poll(int first, int n, long[] offsets, Instant t0) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new LinkedHashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            byPartition.put(new TopicPartition(TOPIC, p), new ArrayList<>());
        }
        for (int i = first; i < first + n; i++) {
            int flow = i / 4;
            int partition = Math.floorMod(Integer.hashCode(flow * 0x9E3779B1), PARTITIONS);
            String corr = "bench-" + flow;
            String type = TYPES[i % 4];
            // about 30 records per produced millisecond, as the producer of the whole-process bench
            Instant at = t0.plusNanos(i * 33_000L);
            StringBuilder sb = new StringBuilder("{\"eventId\":\"e-").append(i).append("\",\"correlationId\":\"").append(corr)
                    .append("\",\"eventType\":\"").append(type).append("\",\"sequence\":").append(i % 4 + 1)
                    .append(",\"timestamp\":\"").append(at).append("\",\"data\":{\"amountCents\":").append(i % 10_000)
                    .append(",\"note\":\"");
            while (sb.length() < 196) {
                sb.append('x');
            }
            sb.append("\"}}");
            byte[] key = corr.getBytes(StandardCharsets.UTF_8);
            byte[] value = sb.toString().getBytes(StandardCharsets.UTF_8);
            Header[] headers = {header("correlationId", key), header("eventType", type.getBytes(StandardCharsets.UTF_8)),
                header("ce_id", ("e-" + i).getBytes(StandardCharsets.UTF_8))};
            byPartition.get(new TopicPartition(TOPIC, partition)).add(new ConsumerRecord<>(TOPIC, partition,
                    offsets[partition]++, at.toEpochMilli(), TimestampType.CREATE_TIME, key.length, value.length, key, value,
                    new RecordHeaders(headers), Optional.empty()));
        }
        byPartition.values().removeIf(List::isEmpty);
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    /** A header as a consumer makes it: key and value still in the fetched buffer, decoded when read. */
    private static Header header(String key, byte[] value) {
        return new RecordHeader(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)), ByteBuffer.wrap(value));
    }
}
