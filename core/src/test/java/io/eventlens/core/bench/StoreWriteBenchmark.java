package io.eventlens.core.bench;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.H2CaptureStore;
import io.eventlens.core.store.StreamPosition;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The store-writer benchmark (issue 6): the work of the capture's writer thread per event, measured
 * as CPU time and allocated bytes of the thread that calls {@link H2CaptureStore#append}, which do
 * not depend much on the load of the machine (wall time does).
 *
 * <p>Events are shaped like those of the whole-process bench ({@code WholeProcessBench}): ~200-byte
 * JSON payloads, key = correlation ID {@code bench-N/4}, headers {@code correlationId},
 * {@code eventType}, {@code ce_id} (header names are new strings per record, as the Kafka client
 * delivers them), Kafka positions on 3 partitions, derived fields filled by
 * {@link EventExtractor#withDefaults()}. They are built in batches of {@code bench.batch} (default
 * 4,096) outside the measured calls; each batch is appended with the next stream positions, as the
 * capture pipeline's writer does. A warm-up store of {@code bench.warmup} events (default 300,000)
 * runs first; then, in each of {@code bench.rounds} rounds (default 3), {@code bench.records} events
 * (default 1,000,000) go into a fresh store.
 *
 * <p>Prints the writer thread's CPU ns/event and allocated bytes/event inside {@code append}, and the
 * CPU of H2's other threads (its background writer) during the measured run. Not a test: it asserts
 * nothing about time.
 *
 * <p>Run with {@code mvn -Pbench -pl core verify -DskipTests} (with the other benchmarks) or alone with
 * {@code -Dexec.mainClass=io.eventlens.core.bench.StoreWriteBenchmark}.
 */
public final class StoreWriteBenchmark {

    private static final String TOPIC = "bench-orders";
    private static final int PARTITIONS = 3;
    private static final String[] TYPES = {"OrderPlaced", "PaymentCaptured", "StockReserved", "OrderConfirmed"};

    private StoreWriteBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 1_000_000);
        int warmup = Integer.getInteger("bench.warmup", 300_000);
        int batch = Integer.getInteger("bench.batch", 4_096);
        Path dir = Files.createTempDirectory("eventlens-write-bench");
        try {
            if (warmup > 0) {
                run(dir.resolve("warmup"), warmup, batch, false);
            }
            int rounds = Integer.getInteger("bench.rounds", 3);
            for (int round = 1; round <= rounds; round++) {
                run(dir.resolve("measured" + round), records, batch, true);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static void run(Path file, int records, int batchSize, boolean print) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        EventExtractor extractor = EventExtractor.withDefaults();
        Channel channel = Channel.kafkaTopic(TOPIC);
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        long[] nextOffset = new long[PARTITIONS];
        long cpu = 0;
        long allocated = 0;
        long appends = 0;
        Map<Long, Long> othersBefore = otherThreadsCpu(mx, self);
        long wall = System.nanoTime();
        long others = 0;
        try (H2CaptureStore store = H2CaptureStore.open(file)) {
            List<CapturedEvent> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < records; ) {
                batch.clear();
                Instant capturedAt = t0.plusMillis(i);
                int end = Math.min(records, i + batchSize);
                for (; i < end; i++) {
                    batch.add(event(i, channel, extractor, t0, capturedAt, nextOffset));
                }
                List<StreamPosition> positions = new ArrayList<>(PARTITIONS);
                for (int p = 0; p < PARTITIONS; p++) {
                    positions.add(new StreamPosition("kafka:bench", TOPIC + "/" + p, Long.toString(nextOffset[p])));
                }
                long c = mx.getCurrentThreadCpuTime();
                long a = mx.getThreadAllocatedBytes(self);
                store.append(batch, positions);
                cpu += mx.getCurrentThreadCpuTime() - c;
                allocated += mx.getThreadAllocatedBytes(self) - a;
                appends++;
            }
            if (store.eventCount() != records) {
                throw new IllegalStateException("stored " + store.eventCount() + " events, expected " + records);
            }
            // before closing: H2's background writer thread ends with the store
            for (Map.Entry<Long, Long> e : otherThreadsCpu(mx, self).entrySet()) {
                others += e.getValue() - othersBefore.getOrDefault(e.getKey(), 0L);
            }
        }
        wall = System.nanoTime() - wall;
        if (print) {
            long bytes;
            try {
                bytes = Files.size(file.resolveSibling(file.getFileName() + ".mv.db"));
            } catch (java.io.IOException e) {
                bytes = -1;
            }
            System.out.printf(Locale.ROOT, "store write benchmark: %,d events in %,d appends of %,d (Java %s, %d CPUs),"
                            + " store file %.1f MB, %.1f s wall including event generation%n", records, appends,
                    batchSize, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                    bytes / 1e6, wall / 1e9);
            System.out.printf(Locale.ROOT, "  append (writer thread): %,.0f ns CPU/event, %,.0f bytes allocated/event%n",
                    cpu / (double) records, allocated / (double) records);
            System.out.printf(Locale.ROOT, "  other Java threads (H2 background writer) meanwhile: %,.0f ns CPU/event%n",
                    others / (double) records);
        }
    }

    private static Map<Long, Long> otherThreadsCpu(com.sun.management.ThreadMXBean mx, long self) {
        Map<Long, Long> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long c = mx.getThreadCpuTime(id);
            if (id != self && c > 0) {
                out.put(id, c);
            }
        }
        return out;
    }

    private static CapturedEvent event(int i, Channel channel, EventExtractor extractor, Instant t0, Instant capturedAt,
                                       long[] nextOffset) {
        String corr = "bench-" + (i / 4);
        String type = TYPES[i % 4];
        StringBuilder sb = new StringBuilder(220).append("{\"eventId\":\"e-").append(i).append("\",\"correlationId\":\"")
                .append(corr).append("\",\"eventType\":\"").append(type).append("\",\"sequence\":").append(i % 4 + 1)
                .append(",\"timestamp\":\"").append(t0.plusMillis(i)).append("\",\"data\":{\"amountCents\":")
                .append(i % 10_000).append(",\"note\":\"");
        while (sb.length() < 196) {
            sb.append('x');
        }
        byte[] payload = sb.append("\"}}").toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = corr.getBytes(StandardCharsets.UTF_8);
        // new name strings per record, as the Kafka client decodes header keys
        List<Header> headers = List.of(
                new Header(new String("correlationId".toCharArray()), corr.getBytes(StandardCharsets.UTF_8)),
                new Header(new String("eventType".toCharArray()), type.getBytes(StandardCharsets.UTF_8)),
                new Header(new String("ce_id".toCharArray()), ("e-" + i).getBytes(StandardCharsets.UTF_8)));
        int partition = (i / 4) % PARTITIONS;
        var derived = extractor.extract(channel, key, headers, payload);
        return new CapturedEvent(0, channel, new SourcePosition.Kafka(partition, nextOffset[partition]++,
                TimestampType.CREATE_TIME), t0.plusMillis(i), capturedAt, key, headers, payload, derived);
    }
}
