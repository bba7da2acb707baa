package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.StreamPosition;
import io.eventlens.core.testkit.InProcessKafka;
import io.eventlens.core.testkit.Version1Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
/** {@link KafkaSource} through the {@link CapturePipeline}: what the Kafka capture has always promised. */
class KafkaSourceTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final EventExtractor EXTRACTOR = EventExtractor.withDefaults();

    @TempDir
    Path dir;

    /** Runs captures and producers in the background (the common pool may have a single thread). */
    private final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool();

    @org.junit.jupiter.api.AfterEach
    void stopBackgroundWork() {
        pool.shutdownNow();
    }

    /** The (partition, offset) coordinates of a record. */
    private record Coordinates(int partition, long offset) {
        static Coordinates of(CapturedEvent e) {
            SourcePosition.Kafka k = (SourcePosition.Kafka) e.source();
            return new Coordinates(k.partition(), k.offset());
        }

        static Coordinates of(RecordMetadata m) {
            return new Coordinates(m.partition(), m.offset());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> order(String topic, Integer partition, Long timestamp, int i) {
        String correlationId = "c-" + (i / 3);
        String json = "{\"eventId\":\"e-" + i + "\",\"type\":\"OrderPlaced\",\"sequence\":" + i + ",\"amount\":" + i + "}";
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, timestamp, utf8("k-" + correlationId), utf8(json));
        r.headers().add(new RecordHeader("correlationId", utf8(correlationId)));
        r.headers().add(new RecordHeader("trace", utf8("t" + i)));
        r.headers().add(new RecordHeader("nullValued", null));
        return r;
    }

    /** Produces {@code count} orders round-robin over {@code partitions} partitions; returns their metadata. */
    private static List<RecordMetadata> produce(String topic, int partitions, int from, int count) throws Exception {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            for (int i = from; i < from + count; i++) {
                sent.add(producer.send(order(topic, i % partitions, null, i)));
            }
        }
        List<RecordMetadata> out = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            out.add(f.get(30, TimeUnit.SECONDS));
        }
        return out;
    }

    private static CapturePipeline pipeline(KafkaCaptureConfig config, CaptureStore store) {
        return new CapturePipeline(new KafkaSource(config), store, EXTRACTOR, config.limits());
    }

    private static KafkaCaptureConfig.Builder config(String topic) {
        return KafkaCaptureConfig.builder(KAFKA.bootstrapServers()).topic(topic);
    }

    private static Set<Coordinates> coordinates(CaptureStore store) {
        Set<Coordinates> out = new HashSet<>();
        for (long seq = 1; seq <= store.eventCount(); seq += 10_000) {
            store.page(seq, 10_000).forEach(e -> out.add(Coordinates.of(e)));
        }
        return out;
    }

    @Test
    void capturesEveryPartitionWithCoordinatesHeadersTimestampsAndDerivedFields() throws Exception {
        KAFKA.createTopic("orders-full", 3);
        List<RecordMetadata> produced = produce("orders-full", 3, 0, 30);

        try (CaptureStore store = CaptureStore.open(dir.resolve("full"))) {
            CapturePipeline capture = pipeline(config("orders-full").maxEvents(30).build(), store);
            CaptureStats stats = capture.run(CaptureListener.NONE);

            assertThat(stats.events()).isEqualTo(30);
            assertThat(store.eventCount()).isEqualTo(30);
            List<CapturedEvent> events = store.page(1, 100);
            assertThat(events).extracting(Coordinates::of)
                    .containsExactlyInAnyOrderElementsOf(produced.stream().map(Coordinates::of).toList());
            for (CapturedEvent e : events) {
                SourcePosition.Kafka k = (SourcePosition.Kafka) e.source();
                RecordMetadata m = produced.stream()
                        .filter(p -> p.partition() == k.partition() && p.offset() == k.offset()).findFirst().orElseThrow();
                String json = new String(e.payload(), StandardCharsets.UTF_8);
                int i = Integer.parseInt(json.replaceAll(".*\"sequence\":(\\d+).*", "$1"));
                assertThat(e.channel().name()).isEqualTo("orders-full");
                assertThat(k.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
                assertThat(e.observedAt()).isEqualTo(Instant.ofEpochMilli(m.timestamp()));
                assertThat(e.capturedAt()).isAfterOrEqualTo(e.observedAt());
                assertThat(e.key()).isEqualTo(utf8("k-c-" + (i / 3)));
                assertThat(e.headers()).containsExactly(Header.ofString("correlationId", "c-" + (i / 3)),
                        Header.ofString("trace", "t" + i), new Header("nullValued", null));
                assertThat(e.derived().correlationIdValue()).isEqualTo("c-" + (i / 3));
                assertThat(e.derived().correlationId().rule()).containsIgnoringCase("header correlationId");
                assertThat(e.derived().eventIdValue()).isEqualTo("e-" + i);
                assertThat(e.derived().eventTypeValue()).isEqualTo("OrderPlaced");
                assertThat(e.derived().sequenceValue()).isEqualTo(i);
            }
            assertThat(store.findByCorrelationId("c-4")).extracting(e -> e.derived().eventIdValue())
                    .containsExactlyInAnyOrder("e-12", "e-13", "e-14");
            assertThat(capture.sourceId()).isNotBlank().isNotEqualTo(KAFKA.bootstrapServers());
            assertThat(store.positions(capture.sourceId())).containsExactly(
                    new StreamPosition(capture.sourceId(), "orders-full/0", "10"),
                    new StreamPosition(capture.sourceId(), "orders-full/1", "10"),
                    new StreamPosition(capture.sourceId(), "orders-full/2", "10"));
        }
    }

    @Test
    void logAppendTimeTopicsAreObservedAtTheBrokersTime() throws Exception {
        KAFKA.createTopic("orders-lat", 1, Map.of("message.timestamp.type", "LogAppendTime"));
        Instant producerTime = Instant.parse("2020-01-01T00:00:00Z");
        RecordMetadata m;
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            m = producer.send(order("orders-lat", 0, producerTime.toEpochMilli(), 1)).get(30, TimeUnit.SECONDS);
        }

        try (CaptureStore store = CaptureStore.open(dir.resolve("lat"))) {
            pipeline(config("orders-lat").maxEvents(1).build(), store).run(CaptureListener.NONE);

            CapturedEvent e = store.event(1);
            assertThat(((SourcePosition.Kafka) e.source()).timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(e.observedAt()).isEqualTo(Instant.ofEpochMilli(m.timestamp())).isAfter(producerTime);
        }
    }

    @Test
    void fromLatestCapturesOnlyRecordsProducedAfterTheStart() throws Exception {
        KAFKA.createTopic("orders-latest", 2);
        produce("orders-latest", 2, 0, 10);

        try (CaptureStore store = CaptureStore.open(dir.resolve("latest"))) {
            CapturePipeline capture = pipeline(config("orders-latest").startPosition(new StartPosition.Latest())
                    .maxEvents(6).build(), store);
            CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> capture.run(CaptureListener.NONE), pool);
            assertThat(capture.awaitStarted(Duration.ofSeconds(30))).as("capture started").isTrue();
            List<RecordMetadata> fresh = produce("orders-latest", 2, 10, 6);

            assertThat(run.get(30, TimeUnit.SECONDS).events()).isEqualTo(6);
            assertThat(coordinates(store)).containsExactlyInAnyOrderElementsOf(fresh.stream().map(Coordinates::of).toList());
        }
    }

    @Test
    void fromATimeStartsAtTheFirstRecordAtOrAfterIt() throws Exception {
        KAFKA.createTopic("orders-time", 1);
        // recent enough that time-based retention (7 days) keeps the records
        Instant t0 = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(order("orders-time", 0, t0.plusSeconds(i).toEpochMilli(), i)).get(30, TimeUnit.SECONDS);
            }
        }

        try (CaptureStore store = CaptureStore.open(dir.resolve("time"))) {
            pipeline(config("orders-time").startPosition(new StartPosition.AtTime(t0.plusMillis(4500)))
                    .maxEvents(5).build(), store).run(CaptureListener.NONE);

            assertThat(store.page(1, 10)).extracting(e -> ((SourcePosition.Kafka) e.source()).offset())
                    .containsExactly(5L, 6L, 7L, 8L, 9L);
            assertThat(store.event(1).observedAt()).isEqualTo(t0.plusSeconds(5));
        }
    }

    @Test
    void stopMidStreamThenResumeInANewCaptureStoresEveryRecordExactlyOnce() throws Exception {
        KAFKA.createTopic("orders-resume", 3);
        Set<Coordinates> produced = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean firstStopped = new AtomicBoolean();
        // produces until the first capture has stopped, then 5,000 more records
        CompletableFuture<Integer> producer = CompletableFuture.supplyAsync(() -> {
            int i = 0;
            try (KafkaProducer<byte[], byte[]> p = KAFKA.producer(Map.of("linger.ms", 5))) {
                int until = Integer.MAX_VALUE;
                for (; i < until; i++) {
                    p.send(order("orders-resume", i % 3, null, i), (m, ex) -> {
                        if (ex == null) {
                            produced.add(Coordinates.of(m));
                        }
                    });
                    if (i % 200 == 199) {
                        p.flush();
                    }
                    if (until == Integer.MAX_VALUE && firstStopped.get()) {
                        until = i + 5_000;
                    }
                }
            }
            return i;
        }, pool);
        Path file = dir.resolve("resume");

        long firstCount;
        try (CaptureStore store = CaptureStore.open(file)) {
            CapturePipeline first = pipeline(config("orders-resume").build(), store);
            AtomicLong committed = new AtomicLong();
            CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> first.run(new CaptureListener() {
                @Override
                public void onBatch(List<CapturedEvent> events) {
                    committed.addAndGet(events.size());
                }
            }), pool);
            CaptureStats firstStats;
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() >= 2_000);
                first.stop();
                firstStats = run.get(30, TimeUnit.SECONDS);
            } finally {
                firstStopped.set(true);
            }
            firstCount = store.eventCount();
            assertThat(firstStats.events()).isEqualTo(firstCount).isEqualTo(committed.get());
        }
        int total = producer.get(60, TimeUnit.SECONDS);
        assertThat(produced).hasSize(total);
        assertThat(firstCount).as("the first capture stopped mid-stream").isLessThan(total);

        try (CaptureStore store = CaptureStore.open(file)) {
            CapturePipeline second = pipeline(config("orders-resume").startPosition(new StartPosition.Resume())
                    .build(), store);
            CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> second.run(CaptureListener.NONE), pool);
            await().atMost(Duration.ofSeconds(60)).until(() -> store.eventCount() >= total);
            second.stop();
            assertThat(run.get(30, TimeUnit.SECONDS).events()).isEqualTo(total - firstCount);

            CapturePipeline third = pipeline(config("orders-resume").startPosition(new StartPosition.Resume())
                    .duration(Duration.ofSeconds(1)).build(), store);
            assertThat(third.run(CaptureListener.NONE).events()).as("nothing left after a full resume").isZero();

            assertThat(store.eventCount()).isEqualTo(total);
            assertThat(coordinates(store)).as("every produced record exactly once").hasSize(total).isEqualTo(produced);
        }
    }

    @Test
    void aCaptureKilledMidStreamResumesWithEveryRecordExactlyOnce() throws Exception {
        KAFKA.createTopic("orders-crash", 3);
        List<RecordMetadata> produced = new ArrayList<>(produce("orders-crash", 3, 0, 99_000));
        Path file = dir.resolve("crash");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                io.eventlens.core.testkit.CaptureInChildProcess.class.getName(), KAFKA.bootstrapServers(),
                "orders-crash", file.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            long committed = 0;
            while (committed < 5_000 && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    committed = Long.parseLong(line.substring("committed ".length()));
                }
            }
            assertThat(committed).as("the child committed some events before it was killed").isGreaterThanOrEqualTo(5_000);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        try (CaptureStore store = CaptureStore.open(file)) {
            long survived = store.eventCount();
            assertThat(survived).as("the kill interrupted the capture").isLessThan(99_000);
            produced.addAll(produce("orders-crash", 3, 99_000, 3_000));
            CapturePipeline resumed = pipeline(config("orders-crash").startPosition(new StartPosition.Resume())
                    .maxEvents(102_000 - survived).build(), store);
            resumed.run(CaptureListener.NONE);

            assertThat(store.eventCount()).isEqualTo(102_000);
            assertThat(coordinates(store)).as("every produced record exactly once")
                    .hasSize(102_000).containsExactlyInAnyOrderElementsOf(produced.stream().map(Coordinates::of).toList());
            assertThat(store.positions(resumed.sourceId())).extracting(StreamPosition::token).containsOnly("34000");
        }
    }

    @Test
    void aStoreFailureEndsTheCaptureWithACaptureStoreException() throws Exception {
        KAFKA.createTopic("orders-store-fails", 1);
        produce("orders-store-fails", 1, 0, 100);
        CaptureStore store = CaptureStore.open(dir.resolve("fails"));
        store.close();
        CapturePipeline capture = pipeline(config("orders-store-fails").build(), store);

        assertThatThrownBy(() -> capture.run(CaptureListener.NONE))
                .isInstanceOf(io.eventlens.core.store.CaptureStoreException.class)
                .hasMessageContaining(store.file().toString());
    }

    @Test
    void resumeStartsAPartitionWithoutAStoredPositionAtItsEarliestRecord() throws Exception {
        KAFKA.createTopic("orders-resume-part", 2);
        produce("orders-resume-part", 2, 0, 10);
        String clusterId;
        try (var admin = KAFKA.admin()) {
            clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }

        try (CaptureStore store = CaptureStore.open(dir.resolve("resume-part"))) {
            store.append(List.of(), List.of(new StreamPosition(clusterId, "orders-resume-part/0", "3")));
            pipeline(config("orders-resume-part").startPosition(new StartPosition.Resume()).maxEvents(7).build(),
                    store).run(CaptureListener.NONE);

            assertThat(coordinates(store)).containsExactlyInAnyOrder(new Coordinates(0, 3), new Coordinates(0, 4),
                    new Coordinates(1, 0), new Coordinates(1, 1), new Coordinates(1, 2), new Coordinates(1, 3),
                    new Coordinates(1, 4));
        }
    }

    @Test
    void aVersion1StoreResumesFromTheOffsetsItStored() throws Exception {
        KAFKA.createTopic("orders-v1", 2);
        produce("orders-v1", 2, 0, 10);
        String clusterId;
        try (var admin = KAFKA.admin()) {
            clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
        Path file = Version1Store.create(dir.resolve("v1"), new Version1Store.Row(clusterId, "orders-v1", 0, 3),
                new Version1Store.Row(clusterId, "orders-v1", 1, 4));

        try (CaptureStore store = CaptureStore.open(file)) {
            CapturePipeline resumed = pipeline(config("orders-v1").startPosition(new StartPosition.Resume()).maxEvents(3)
                    .build(), store);
            resumed.run(CaptureListener.NONE);

            assertThat(coordinates(store)).containsExactlyInAnyOrder(new Coordinates(0, 3), new Coordinates(0, 4),
                    new Coordinates(1, 4));
            assertThat(store.positions(clusterId)).containsExactly(new StreamPosition(clusterId, "orders-v1/0", "5"),
                    new StreamPosition(clusterId, "orders-v1/1", "5"));
        }
    }

    @Test
    void theSourceDescribesItsOwnPositions() {
        KafkaSource source = new KafkaSource(config("orders").build());

        assertThat(source.describe(new StreamPosition("cluster", "orders.v2/2", "10")))
                .isEqualTo("orders.v2 partition 2 at offset 10");
        assertThat(source.kind()).isEqualTo("kafka");
        assertThat(source.endpoint()).isEqualTo("Kafka at " + KAFKA.bootstrapServers());
    }

    @Test
    void maxEventsStoresExactlyThatManyAndPositionsMatch() throws Exception {
        KAFKA.createTopic("orders-max", 3);
        produce("orders-max", 3, 0, 3000);

        try (CaptureStore store = CaptureStore.open(dir.resolve("max"))) {
            CapturePipeline capture = pipeline(config("orders-max").maxEvents(2777).build(), store);
            CaptureStats stats = capture.run(CaptureListener.NONE);

            assertThat(stats.events()).isEqualTo(2777);
            assertThat(store.eventCount()).isEqualTo(2777);
            assertThat(store.positions(capture.sourceId()).stream().mapToLong(p -> Long.parseLong(p.token())).sum())
                    .as("next offsets add up to the events stored (all partitions start at 0)").isEqualTo(2777);
            assertThat(coordinates(store)).hasSize(2777);
        }
    }

    @Test
    void aTopicPatternCapturesEveryMatchingTopic() throws Exception {
        KAFKA.createTopic("pat.orders", 1);
        KAFKA.createTopic("pat.payments", 2);
        KAFKA.createTopic("other.stuff", 1);
        produce("pat.orders", 1, 0, 4);
        produce("pat.payments", 2, 0, 4);
        produce("other.stuff", 1, 0, 4);

        try (CaptureStore store = CaptureStore.open(dir.resolve("pattern"))) {
            pipeline(KafkaCaptureConfig.builder(KAFKA.bootstrapServers()).topicPattern(Pattern.compile("pat\\..*"))
                    .maxEvents(8).build(), store).run(CaptureListener.NONE);

            assertThat(store.page(1, 100)).extracting(e -> e.channel().name())
                    .containsOnly("pat.orders", "pat.payments").hasSize(8);
        }
    }

    @Test
    void listenerGetsCommittedEventsWithSequencesAndProgress() throws Exception {
        KAFKA.createTopic("orders-listen", 1);
        produce("orders-listen", 1, 0, 500);
        List<CapturedEvent> batches = new CopyOnWriteArrayList<>();
        List<CaptureStats> progress = new CopyOnWriteArrayList<>();

        try (CaptureStore store = CaptureStore.open(dir.resolve("listen"))) {
            pipeline(config("orders-listen").maxEvents(500).build(), store).run(new CaptureListener() {
                @Override
                public void onBatch(List<CapturedEvent> committed) {
                    batches.addAll(committed);
                }

                @Override
                public void onProgress(CaptureStats stats) {
                    progress.add(stats);
                }
            });

            assertThat(batches).extracting(CapturedEvent::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 500).boxed().toList());
            assertThat(batches.get(499)).isEqualTo(store.event(500));
            assertThat(progress).isNotEmpty();
            assertThat(progress.get(progress.size() - 1).events()).isEqualTo(500);
        }
    }

    @Test
    void stopFromAnotherThreadEndsAnIdleCapture() throws Exception {
        KAFKA.createTopic("orders-idle", 1);
        try (CaptureStore store = CaptureStore.open(dir.resolve("idle"))) {
            CapturePipeline capture = pipeline(config("orders-idle").build(), store);
            CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> capture.run(CaptureListener.NONE), pool);
            assertThat(capture.awaitStarted(Duration.ofSeconds(30))).isTrue();

            capture.stop();

            assertThat(run.get(5, TimeUnit.SECONDS).events()).isZero();
        }
    }

    @Test
    void anUnreachableBootstrapFailsWithinTheConnectTimeoutNamingTheEndpoint() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("unreachable"))) {
            CapturePipeline capture = pipeline(KafkaCaptureConfig.builder("127.0.0.1:1").topic("orders").build(),
                    store);
            long start = System.nanoTime();

            assertThatThrownBy(() -> capture.run(CaptureListener.NONE))
                    .isInstanceOf(KafkaConnectException.class)
                    .hasMessageContaining("127.0.0.1:1");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("time to fail")
                    .isLessThanOrEqualTo(Duration.ofMillis(10_500));
            assertThat(store.eventCount()).isZero();
        }
    }

    @Test
    void listTopicsOfAnUnreachableClusterFailsNamingTheEndpoint() {
        assertThatThrownBy(() -> KafkaClusterMetadata.listTopics("127.0.0.1:1", Duration.ofSeconds(2)))
                .isInstanceOf(KafkaConnectException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageContaining("did not answer");
    }

    @Test
    void anUnknownTopicFailsNamingTheTopicAndEndpoint() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("unknown"))) {
            CapturePipeline capture = pipeline(config("no-such-topic").build(), store);

            assertThatThrownBy(() -> capture.run(CaptureListener.NONE))
                    .isInstanceOf(KafkaConnectException.class)
                    .hasMessageContaining(KAFKA.bootstrapServers())
                    .hasMessageContaining("unknown topic no-such-topic");
        }
    }

    @Test
    void listTopicsListsTheClustersTopicsSortedWithoutInternalOnes() {
        KAFKA.createTopic("zz-listed", 1);
        KAFKA.createTopic("aa-listed", 1);

        List<String> topics = KafkaClusterMetadata.listTopics(KAFKA.bootstrapServers(), Duration.ofSeconds(10));

        assertThat(topics).contains("aa-listed", "zz-listed").isSorted().noneMatch(t -> t.startsWith("__"));
    }

    /** A thread-safe set. */
    private static final class ConcurrentSet {
        static <T> Set<T> create() {
            return java.util.concurrent.ConcurrentHashMap.newKeySet();
        }
    }
}
