package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A broker that disappears in the middle of a capture: reported, not a silent hang. Own broker: it is shut down. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaSourceBrokerLossTest {

    @TempDir
    Path dir;

    @Test
    void captureReportsBrokerOutageAndStillStopsWithWhatItCommitted() throws Exception {
        InProcessKafka kafka = new InProcessKafka();
        kafka.start();
        try (CaptureStore store = CaptureStore.open(dir.resolve("loss"))) {
            kafka.createTopic("orders", 1);
            try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("orders", ("{\"eventId\":\"e-" + i + "\"}").getBytes(StandardCharsets.UTF_8))).get();
                }
            }
            KafkaCaptureConfig config = KafkaCaptureConfig.builder(kafka.bootstrapServers())
                    .topic("orders").connectTimeout(Duration.ofSeconds(1)).build();
            CapturePipeline capture = new CapturePipeline(new KafkaSource(config), store, EventExtractor.withDefaults(),
                    config.limits());
            AtomicReference<CaptureStats> last = new AtomicReference<>();
            CaptureListener listener = new CaptureListener() {
                @Override
                public void onProgress(CaptureStats stats) {
                    last.set(stats);
                }
            };
            CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> capture.run(listener));
            await().atMost(InProcessKafka.WAIT).until(() -> last.get() != null && last.get().events() == 10);
            assertThat(last.get().sourceUnreachable()).as("connected capture reports no outage").isFalse();

            kafka.close();

            await().atMost(InProcessKafka.WAIT).untilAsserted(() -> assertThat(last.get().sourceUnreachableMs())
                    .as("outage reported in progress once no broker is reachable for the connect timeout")
                    .isGreaterThan(0));
            capture.stop();
            CaptureStats done = run.get(30, TimeUnit.SECONDS);
            assertThat(done.events()).isEqualTo(10);
            assertThat(store.eventCount()).isEqualTo(10);
        } finally {
            kafka.close();
        }
    }
}
