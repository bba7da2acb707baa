package io.eventlens.core.bench;

import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The capture benchmark (README "Speed"): against one in-process broker, produces N (default
 * 1,000,000) 200-byte JSON records over 3 partitions, about 5 per correlation ID, then, in each of
 * {@code bench.rounds} rounds (default 3; the first runs on a cold JVM, later ones after JIT warm-up)
 * times
 * <ol>
 *   <li>a plain consumer poll loop (default consumer settings, assign + seek to beginning) reading all N,</li>
 *   <li>{@link CapturePipeline} with a {@link KafkaSource} into a fresh capture store reading all N until committed,</li>
 * </ol>
 * and reports records/s of both, their ratio per round, where the CPU went, the index lag after
 * the last capture (0: the index is written with the blocks), and the latency of correlation-ID
 * lookups on that full store (the first one loads the blocks' filters).
 * Not a test: it asserts nothing about time.
 *
 * <p>Run with {@code mvn -Pbench -pl core verify -DskipTests}; {@code -Dbench.records=N} changes N,
 * {@code -Dbench.client=name=value,...} passes consumer properties to the capture.
 */
public final class CaptureBenchmark {

    private static final String TOPIC = "bench-orders";
    private static final int PARTITIONS = 3;
    private static final int RECORD_BYTES = 200;

    private CaptureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 1_000_000);
        Path dir = Files.createTempDirectory("eventlens-bench");
        List<String[]> rows = new ArrayList<>();
        try (InProcessKafka kafka = new InProcessKafka()) {
            kafka.start();
            kafka.createTopic(TOPIC, PARTITIONS);

            long t = System.nanoTime();
            produce(kafka, records);
            double produceS = seconds(t);
            rows.add(row("produce " + records + " x " + RECORD_BYTES + " B (batch.size=262144, linger.ms=20)",
                    produceS, records / produceS));

            int rounds = Math.max(1, Integer.getInteger("bench.rounds", 3));
            List<Double> plainRates = new ArrayList<>();
            List<Measured> captures = new ArrayList<>();
            CaptureStore store = null;
            try {
                for (int round = 1; round <= rounds; round++) {
                    String when = round == 1 ? " (cold JVM)" : "";
                    t = System.nanoTime();
                    long read = plainPollLoop(kafka.bootstrapServers(), records);
                    double plainS = seconds(t);
                    plainRates.add(read / plainS);
                    rows.add(row("round " + round + " (a) plain consumer poll loop" + when, plainS, read / plainS));

                    store = CaptureStore.open(dir.resolve("round" + round));
                    Measured m = capture(kafka.bootstrapServers(), records, store);
                    captures.add(m);
                    rows.add(row("round " + round + " (b) KafkaSource pipeline into a fresh H2 store, until committed" + when,
                            m.seconds(), m.rate()));
                    if (round < rounds) {
                        store.close();
                        store = null;
                    }
                }
                Measured cold = captures.get(0);
                Measured warm = captures.get(captures.size() - 1);
                // the index is written with the blocks (schema 3): nothing to catch up
                long lagAtEnd = store.eventCount() - store.indexedThroughSeq();
                rows.add(new String[] {"index lag at the end of the last round: " + lagAtEnd + " events", "", ""});

                Random random = new Random(7);
                t = System.nanoTime();
                int firstFound = store.findByCorrelationId(correlationId(records / 10)).size();
                rows.add(new String[] {"first findByCorrelationId (loads the blocks' correlation ID filters; "
                        + firstFound + " events)", fmt(seconds(t)), ""});
                int lookups = 200;
                long[] nanos = new long[lookups];
                int found = 0;
                for (int i = 0; i < lookups; i++) {
                    String id = correlationId(random.nextInt(records / 5));
                    long s = System.nanoTime();
                    List<CapturedEvent> events = store.findByCorrelationId(id);
                    nanos[i] = System.nanoTime() - s;
                    found += events.size();
                }
                Arrays.sort(nanos);
                long tp = System.nanoTime();
                int paged = 0;
                for (int i = 0; i < 20; i++) {
                    paged += store.page(1 + random.nextInt(records - 200), 200).size();
                }
                double pageMs = (System.nanoTime() - tp) / 1e6 / 20;
                long t2 = System.nanoTime();
                List<String> completion = store.correlationIds("c-0001", 20);
                double completionMs = (System.nanoTime() - t2) / 1e6;

                System.out.println();
                System.out.println("EventLens capture benchmark: " + records + " records of " + RECORD_BYTES
                        + " bytes, " + PARTITIONS + " partitions, one in-process broker, "
                        + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + System.getProperty("java.version"));
                System.out.println("-".repeat(104));
                System.out.printf(Locale.ROOT, "%-80s %10s %12s%n", "step", "seconds", "records/s");
                for (String[] r : rows) {
                    System.out.printf(Locale.ROOT, "%-80s %10s %12s%n", r[0], r[1], r[2]);
                }
                System.out.println("-".repeat(104));
                StringBuilder ratios = new StringBuilder();
                for (int i = 0; i < captures.size(); i++) {
                    ratios.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "round %d %.2f", i + 1,
                            captures.get(i).rate() / plainRates.get(i)));
                }
                System.out.println("capture / plain poll loop of the same round: " + ratios + " (target >= 0.50)");
                System.out.printf(Locale.ROOT, "events stored: %d; store file: %.1f MB%n", store.eventCount(),
                        Files.size(store.file()) / 1e6);
                System.out.printf(Locale.ROOT, "findByCorrelationId on the %d-event store: median %.2f ms, p95 %.2f ms,"
                                + " max %.2f ms (%d lookups, %.1f events each)%n", store.eventCount(),
                        nanos[lookups / 2] / 1e6, nanos[lookups * 95 / 100] / 1e6, nanos[lookups - 1] / 1e6,
                        lookups, found / (double) lookups);
                System.out.printf(Locale.ROOT, "page(random seq, 200): %.2f ms on average (%d events in 20 pages)%n",
                        pageMs, paged);
                System.out.printf(Locale.ROOT, "correlationIds(\"c-0001\", 20): %.2f ms -> %s ...%n", completionMs,
                        completion.subList(0, Math.min(3, completion.size())));
                for (Measured m : List.of(cold, warm)) {
                    System.out.printf(Locale.ROOT, "%s round: process CPU %.2f s over %.2f s wall (%d CPUs); GC %d ms;"
                                    + " JIT compiling %d ms; busiest threads:%n", m == cold ? "first (cold)" : "last",
                            m.processCpuS(), m.seconds(), Runtime.getRuntime().availableProcessors(), m.gcMs(), m.jitMs());
                    m.threadCpu().entrySet().stream()
                            .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(7)
                            .forEach(e -> System.out.printf(Locale.ROOT, "  %6.2f s  %s%n", e.getValue() / 1e9, e.getKey()));
                }
            } finally {
                if (store != null) {
                    store.close();
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }

    private static long gcMillis() {
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    /** One timed capture: wall time, events, and where the CPU went. */
    private record Measured(double seconds, long events, double processCpuS, long gcMs, long jitMs,
                            Map<String, Long> threadCpu) {
        double rate() {
            return events / seconds;
        }
    }

    private static Measured capture(String bootstrap, int records, CaptureStore store) throws Exception {
        KafkaCaptureConfig.Builder config = KafkaCaptureConfig.builder(bootstrap).topic(TOPIC).maxEvents(records);
        // -Dbench.client=name=value,name=value: extra consumer properties for the capture (tuning)
        for (String kv : System.getProperty("bench.client", "").split(",")) {
            if (kv.contains("=")) {
                config.clientProperty(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        KafkaCaptureConfig built = config.build();
        CapturePipeline capture = new CapturePipeline(new KafkaSource(built), store, EventExtractor.withDefaults(),
                built.limits());
        Map<String, Long> cpuBefore = threadCpu();
        Map<String, Long> cpuAfter = new java.util.concurrent.ConcurrentHashMap<>();
        // samples per-thread CPU every 50 ms: a capture's threads are gone (and their CPU with them) once it ends
        java.util.concurrent.ScheduledExecutorService sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-cpu-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> cpuAfter.putAll(threadCpu()), 0, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
        var compilation = java.lang.management.ManagementFactory.getCompilationMXBean();
        long processCpu = processCpuNanos();
        long gcMs = gcMillis();
        long jitMs = compilation.getTotalCompilationTime();
        long t = System.nanoTime();
        CaptureStats stats = capture.run(CaptureListener.NONE);
        double seconds = seconds(t);
        double cpuS = (processCpuNanos() - processCpu) / 1e9;
        gcMs = gcMillis() - gcMs;
        jitMs = compilation.getTotalCompilationTime() - jitMs;
        sampler.shutdown();
        sampler.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        cpuAfter.putAll(threadCpu());
        Map<String, Long> used = new java.util.HashMap<>();
        cpuAfter.forEach((k, v) -> used.put(k, v - cpuBefore.getOrDefault(k, 0L)));
        if (store.eventCount() != records) {
            throw new IllegalStateException("capture stored " + store.eventCount() + " events, expected " + records);
        }
        return new Measured(seconds, stats.events(), cpuS, gcMs, jitMs, used);
    }

    /** CPU time (ns) of every live thread, by name and ID. */
    private static Map<String, Long> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> out = new java.util.HashMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long cpu = mx.getThreadCpuTime(info.getThreadId());
                if (cpu > 0) {
                    out.put(info.getThreadName() + " #" + info.getThreadId(), cpu);
                }
            }
        }
        return out;
    }

    private static String[] row(String step, double s, double rate) {
        return new String[] {step, fmt(s), String.format(Locale.ROOT, "%,.0f", rate)};
    }

    private static String fmt(double s) {
        return String.format(Locale.ROOT, "%.2f", s);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String correlationId(int n) {
        return String.format(Locale.ROOT, "c-%07d", n);
    }

    /** A JSON payload padded to exactly {@link #RECORD_BYTES} bytes. */
    private static byte[] payload(int i, Instant now) {
        String head = "{\"eventId\":\"e-" + i + "\",\"correlationId\":\"" + correlationId(i / 5)
                + "\",\"type\":\"" + (i % 5 == 0 ? "OrderPlaced" : "PaymentCaptured") + "\",\"sequence\":" + (i % 5)
                + ",\"timestamp\":\"" + now + "\",\"pad\":\"";
        StringBuilder sb = new StringBuilder(RECORD_BYTES).append(head);
        while (sb.length() < RECORD_BYTES - 2) {
            sb.append('x');
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void produce(InProcessKafka kafka, int records) throws Exception {
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer(Map.of("batch.size", 262144, "linger.ms", 20,
                "acks", "1", "buffer.memory", 128L * 1024 * 1024))) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(TOPIC, (i / 5) % PARTITIONS,
                        correlationId(i / 5).getBytes(StandardCharsets.UTF_8), payload(i, now)));
            }
            producer.flush();
        }
    }

    /** Reads {@code records} records with a default-configured consumer; returns how many it read. */
    private static long plainPollLoop(String bootstrap, int records) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                partitions.add(new TopicPartition(TOPIC, i));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long n = 0;
            long bytes = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (n < records && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(200))) {
                    n++;
                    bytes += r.value().length;
                }
            }
            if (bytes == 0) {
                throw new IllegalStateException("plain poll loop read nothing");
            }
            return n;
        }
    }
}
