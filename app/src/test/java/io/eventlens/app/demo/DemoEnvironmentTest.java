package io.eventlens.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.store.CaptureStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The live demo against its real embedded broker: read back raw, and captured and analyzed. */
class DemoEnvironmentTest {

    private static DemoEnvironment demo;

    @BeforeAll
    static void startDemo() {
        demo = DemoEnvironment.start();
    }

    @AfterAll
    static void stopDemo() {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void sagaWritesEveryFaultShapeToTheBrokerWithinFifteenSeconds() {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String t : DemoEnvironment.TOPICS) {
                for (int p = 0; p < DemoEnvironment.PARTITIONS; p++) {
                    parts.add(new TopicPartition(t, p));
                }
            }
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                assertThat(shapes(seen)).as("fault shapes seen in %s records", seen.size())
                        .containsKeys("duplicate", "conflicting", "outOfOrder", "slowHop", "deadLetter");
            });
        }
        ConsumerRecord<byte[], byte[]> dlt = shapeRecords.get("deadLetter");
        assertThat(text(dlt, "kafka_dlt-original-topic")).isEqualTo("orders");
        assertThat(dlt.headers().lastHeader("kafka_dlt-original-partition").value()).hasSize(4);
        assertThat(dlt.headers().lastHeader("kafka_dlt-original-offset").value()).hasSize(8);
        assertThat(ByteBuffer.wrap(dlt.headers().lastHeader("kafka_deliveryAttempt").value()).getInt()).isEqualTo(3);
        assertThat(text(dlt, "kafka_dlt-exception-fqcn")).contains("ListenerExecutionFailedException");
        assertThat(text(dlt, "kafka_dlt-exception-message")).containsAnyOf("BigDecimal", "credit limit");
        assertThat(text(dlt, "kafka_dlt-exception-stacktrace")).contains("PaymentListener.onOrderPlaced");
        assertThat(text(dlt, "correlationId")).startsWith("checkout-");
        assertThat(demo.faultsInjected().values()).allMatch(n -> n >= 1);
    }

    @Test
    void capturedDemoShowsEveryAnomalyKindAndDeadLetteredVerdictWithinAMinute(@TempDir Path dir) throws Exception {
        KafkaCaptureConfig config = KafkaCaptureConfig.builder(demo.bootstrapServers())
                .topics(DemoEnvironment.TOPICS).startPosition(new StartPosition.Earliest()).build();
        TimelineAnalyzer analyzer = new TimelineAnalyzer(AnalysisSettings.defaults());
        try (CaptureStore store = CaptureStore.open(dir.resolve("demo"))) {
            CapturePipeline capture = new CapturePipeline(new KafkaSource(config), store, EventExtractor.withDefaults(),
                    config.limits());
            CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> capture.run(CaptureListener.NONE));
            try {
                Set<String> expected = Set.of("DUPLICATE", "CONFLICTING_DUPLICATE", "OUT_OF_ORDER", "LAG", "DEAD_LETTERED",
                        "verdict:DEAD_LETTERED", "verdict:CONFLICTING_DUPLICATE", "verdict:OUT_OF_ORDER", "verdict:LAG",
                        "verdict:HEALTHY");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(run).isNotCompletedExceptionally();
                    Set<String> seen = new TreeSet<>();
                    for (String id : store.correlationIds("", 10_000)) {
                        Timeline t = analyzer.analyze(id, store.findByCorrelationId(id));
                        seen.add("verdict:" + t.verdict().kind());
                        t.entries().forEach(e -> e.anomalies().forEach(a -> seen.add(a.kind().name())));
                    }
                    assertThat(seen).as("anomaly and verdict kinds in the captured demo (%s events)", store.eventCount())
                            .containsAll(expected);
                });
            } finally {
                capture.stop();
                run.get(30, TimeUnit.SECONDS);
            }
            // Every poison flow stops at the dead-letter topic: nothing of it reaches payments.
            int deadLettered = 0;
            for (String id : store.correlationIds("", 10_000)) {
                Timeline t = analyzer.analyze(id, store.findByCorrelationId(id));
                if (t.verdict().kind() == VerdictKind.DEAD_LETTERED) {
                    deadLettered++;
                    assertThat(t.entries()).as("timeline of %s", id)
                            .extracting(e -> e.event().channel().name()).containsExactly("orders", "orders.DLT");
                }
            }
            assertThat(deadLettered).isPositive();
        }
    }

    private final Map<String, ConsumerRecord<byte[], byte[]>> shapeRecords = new HashMap<>();

    /** Finds the fault shapes in raw records by their headers (independent of the analysis). */
    private Map<String, ConsumerRecord<byte[], byte[]>> shapes(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, ConsumerRecord<byte[], byte[]>> firstByEventId = new HashMap<>();
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byCorrelation = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.topic().equals("orders.DLT")) {
                shapeRecords.put("deadLetter", r);
                continue;
            }
            String id = text(r, "eventId");
            ConsumerRecord<byte[], byte[]> first = firstByEventId.putIfAbsent(id, r);
            if (first != null) {
                shapeRecords.put(java.util.Arrays.equals(first.value(), r.value()) ? "duplicate" : "conflicting", r);
            }
            byCorrelation.computeIfAbsent(text(r, "correlationId"), k -> new ArrayList<>()).add(r);
        }
        for (List<ConsumerRecord<byte[], byte[]>> flow : byCorrelation.values()) {
            // Out of order where Kafka promises order: a lower sequence after a higher one in one
            // topic, partition and key (records of one partition arrive in offset order).
            Map<String, Integer> lastSequence = new HashMap<>();
            Map<String, Long> timeByType = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : flow) {
                int sequence = Integer.parseInt(text(r, "sequence"));
                String stream = r.topic() + "/" + r.partition() + "/" + new String(r.key(), StandardCharsets.UTF_8);
                Integer before = lastSequence.put(stream, sequence);
                if (before != null && sequence < before) {
                    shapeRecords.put("outOfOrder", r);
                }
                timeByType.putIfAbsent(text(r, "eventType"), r.timestamp());
            }
            Long paid = timeByType.get("PaymentAuthorized");
            Long reserved = timeByType.get("InventoryReserved");
            if (paid != null && reserved != null && reserved - paid > 2_000) {
                shapeRecords.put("slowHop", flow.get(0));
            }
        }
        return shapeRecords;
    }

    private static String text(ConsumerRecord<byte[], byte[]> r, String header) {
        Header h = r.headers().lastHeader(header);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, demo.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p);
    }
}
