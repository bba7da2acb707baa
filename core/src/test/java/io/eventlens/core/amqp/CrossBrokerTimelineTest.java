package io.eventlens.core.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.capture.CompositeSource;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.InProcessKafka;
import io.eventlens.core.testkit.LocalRabbit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A flow that crosses Kafka and RabbitMQ, recorded by one capture, is one timeline. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrossBrokerTimelineTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @RegisterExtension
    final LocalRabbit rabbit = new LocalRabbit();

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void aFlowAcrossKafkaAndRabbitMqIncludingItsDeadLetterIsOneTimeline() throws Exception {
        String topic = LocalRabbit.unique("orders");
        KAFKA.createTopic(topic, 1);
        String exchange = rabbit.exchange("payments", "topic");
        String dlx = rabbit.exchange("payments-dlx", "fanout");
        String dlq = rabbit.queue("payments.dlq", Map.of());
        rabbit.bind(dlq, dlx, "");
        String work = rabbit.queue("payments-svc", Map.of("x-dead-letter-exchange", dlx));
        rabbit.bind(work, exchange, "payment.#");
        // the rejected copy of an earlier payment of the same flow waits in the DLQ
        rabbit.publish(exchange, "payment.requested", props("c-cross", "pay-0", "PaymentRequested"), "{\"try\":0}");
        rabbit.rejectOne(work, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(dlq) == 1);

        KafkaSource kafka = new KafkaSource(KafkaCaptureConfig.builder(KAFKA.bootstrapServers()).topic(topic)
                .startPosition(new StartPosition.Earliest()).build());
        AmqpCaptureConfig amqpConfig = AmqpCaptureConfig.builder().uri("amqp://127.0.0.1").exchange(exchange, List.of())
                .browseQueue(dlq).forceBrowse(!AmqpSourceTest.managementApi()).build();
        AmqpSource amqp = new AmqpSource(amqpConfig);
        try (CaptureStore store = CaptureStore.open(dir.resolve("cross.mv.db"))) {
            CapturePipeline pipeline = new CapturePipeline(new CompositeSource(List.of(kafka, amqp)), store,
                    EventExtractor.withDefaults(), new CaptureLimits(0, null));
            Future<CaptureStats> done = CompletableFuture.supplyAsync(() -> pipeline.run(null), pool);
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.awaitStarted(Duration.ofMillis(100)) || done.isDone());
            assertThat(pipeline.sourceId()).contains(" + rabbitmq ");
            try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, "o-1".getBytes(StandardCharsets.UTF_8),
                        "{\"eventId\":\"order-1\",\"eventType\":\"OrderPlaced\",\"correlationId\":\"c-cross\"}"
                                .getBytes(StandardCharsets.UTF_8));
                producer.send(r).get(10, TimeUnit.SECONDS);
            }
            rabbit.publish(exchange, "payment.requested", props("c-cross", "pay-1", "PaymentRequested"), "{\"try\":1}");
            await().atMost(Duration.ofSeconds(30)).until(() -> store.eventCount() == 3);
            pipeline.stop();
            done.get(30, TimeUnit.SECONDS);

            Timeline t = TimelineAnalyzer.withDefaults().analyze("c-cross", store.findByCorrelationId("c-cross"));
            assertThat(t.entries()).extracting(e -> e.event().source().sourceKind()).containsOnly("kafka", "amqp")
                    .contains("kafka", "amqp");
            assertThat(t.entries()).extracting(TimelineEntry::event).extracting(e -> e.channel().name())
                    .containsExactlyInAnyOrder(topic, exchange, dlq);
            assertThat(t.verdict().kind()).isEqualTo(VerdictKind.DEAD_LETTERED);
            assertThat(rabbit.messageCount(dlq)).isEqualTo(1);
            assertThat(rabbit.messageCount(work)).as("the system's queue still has its message").isEqualTo(1);
        }
    }

    private static AMQP.BasicProperties props(String correlationId, String messageId, String type) {
        return new AMQP.BasicProperties.Builder().correlationId(correlationId).messageId(messageId).type(type).build();
    }
}
