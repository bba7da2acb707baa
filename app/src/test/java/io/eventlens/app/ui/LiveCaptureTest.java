package io.eventlens.app.ui;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.testkit.InProcessKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The capture view model against a real in-process Kafka broker: topics listed from the cluster,
 * a live capture into a new capture file, counters and table rows growing through the pulse,
 * live re-analysis marking a duplicate, Stop, and an unreachable endpoint named in the error.
 */
class LiveCaptureTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @TempDir
    Path dir;

    private final QueuedTaskExecutor executor = new QueuedTaskExecutor();

    @AfterEach
    void tearDown() throws Exception {
        executor.close();
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String correlationId, String eventId, String type) {
        String json = "{\"eventId\":\"" + eventId + "\",\"correlationId\":\"" + correlationId + "\",\"type\":\"" + type + "\"}";
        return new ProducerRecord<>(topic, 0, correlationId.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void liveCaptureFillsTheTableMarksTheDuplicateAndStops() {
        KAFKA.createTopic("ui-orders", 1);
        KAFKA.createTopic("ui-payments", 1);
        MainViewModel vm = new MainViewModel(DesktopServices.real(), executor, new AppSettings(dir.resolve("settings.json")), dir.resolve("captures"));

        var connect = vm.newConnectViewModel();
        connect.bootstrapServersProperty().set(KAFKA.bootstrapServers());
        connect.loadTopics();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            return !connect.loadingProperty().get();
        });
        assertThat(connect.availableTopics()).contains("ui-orders", "ui-payments");
        connect.selectedTopics().setAll(List.of("ui-orders", "ui-payments"));
        KafkaCaptureConfig config = connect.buildConfig();

        vm.capture().start(config);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            return vm.capture().capturingProperty().get();
        });
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            producer.send(record("ui-orders", "c-live", "o-1", "OrderPlaced"));
            producer.send(record("ui-payments", "c-live", "p-1", "PaymentTaken"));
            producer.send(record("ui-payments", "c-live", "p-1", "PaymentTaken"));
            for (int i = 0; i < 50; i++) {
                producer.send(record("ui-orders", "c-other-" + i, "x-" + i, "OrderPlaced"));
            }
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            executor.runCallbacks();
            vm.pulse();
            return vm.table().rows().size() == 53 && vm.capture().capturedEventsProperty().get() == 53;
        });
        assertThat(vm.storeProperty().get().file().getParent()).isEqualTo(dir.resolve("captures"));

        vm.openTimeline("c-live");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            vm.pulse();
            return vm.timeline().entries().size() == 3;
        });
        assertThat(vm.timeline().verdictKindProperty().get()).isEqualTo(VerdictKind.HEALTHY);
        assertThat(vm.timeline().legendKinds()).containsExactly(AnomalyKind.DUPLICATE);
        long dupSeq = vm.timeline().entries().stream().filter(e -> e.has(AnomalyKind.DUPLICATE))
                .findFirst().orElseThrow().event().seq();
        assertThat(vm.table().anomalyOf(dupSeq)).isEqualTo(AnomalyKind.DUPLICATE);

        vm.capture().stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            return !vm.capture().capturingProperty().get();
        });
        assertThat(vm.statusProperty().get()).startsWith("Capture stopped: 53 events");
        vm.dispose();
    }

    @Test
    void startingTheDemoOpensTheFirstDeadLetteredFlowOnceItIsCaptured() {
        KAFKA.createTopic("demo-orders", 1);
        KAFKA.createTopic("demo-orders.DLT", 1);
        AppServices services = DesktopServices.real().withDemoStarter(() -> new AppServices.Demo() {
            @Override
            public String bootstrapServers() {
                return KAFKA.bootstrapServers();
            }

            @Override
            public List<String> topics() {
                return List.of("demo-orders", "demo-orders.DLT");
            }

            @Override
            public void close() {
            }
        });
        MainViewModel vm = new MainViewModel(services, executor, new AppSettings(dir.resolve("settings.json")), dir.resolve("captures"));

        vm.capture().startDemo();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            return vm.capture().capturingProperty().get();
        });
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(record("demo-orders", "c-fine-" + i, "f-" + i, "OrderPlaced"));
            }
            producer.send(record("demo-orders", "c-poison", "p-1", "OrderPlaced"));
            producer.send(record("demo-orders.DLT", "c-poison", "p-1", "OrderPlaced"));
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            executor.runCallbacks();
            vm.pulse();
            return vm.timeline().verdictKindProperty().get() == VerdictKind.DEAD_LETTERED
                    && !vm.flows().rows().isEmpty();   // the capture's flow summaries, re-read by a pulse
        });
        assertThat(vm.timeline().correlationIdProperty().get()).isEqualTo("c-poison");
        assertThat(vm.flows().rows()).extracting(r -> r.correlationId()).containsExactly("c-poison");
        vm.dispose();
    }

    @Test
    void listingTopicsOfAnUnreachableClusterNamesTheEndpoint() {
        MainViewModel vm = new MainViewModel(DesktopServices.real(), executor, new AppSettings(dir.resolve("settings.json")), dir.resolve("captures"));
        var connect = vm.newConnectViewModel();
        connect.bootstrapServersProperty().set("127.0.0.1:1");

        connect.loadTopics();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            executor.runCallbacks();
            return !connect.loadingProperty().get();
        });

        assertThat(connect.errorProperty().get()).contains("127.0.0.1:1");
        assertThat(connect.availableTopics()).isEmpty();
    }
}
