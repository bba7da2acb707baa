package io.eventlens.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.capture.ConnectViewModel;
import io.eventlens.app.ui.details.DetailsViewModel;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.services.CaptureRequest;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.testkit.InProcessKafka;
import io.eventlens.core.testkit.LocalRabbit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Connect dialog's RabbitMQ part and one capture of Kafka and RabbitMQ through the view models. */
class AmqpCaptureUiTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @RegisterExtension
    final LocalRabbit rabbit = new LocalRabbit();

    @TempDir
    Path dir;

    @TempDir
    Path settingsDir;
    private final QueuedTaskExecutor executor = new QueuedTaskExecutor();

    @AfterEach
    void tearDown() throws Exception {
        executor.close();
    }

    @Test
    void theRabbitMqPartAloneCanConnectAndSaysHowItReads() {
        ConnectViewModel vm = new ConnectViewModel(AppServices.real(() -> {
            throw new UnsupportedOperationException();
        }), executor, new AppSettings(settingsDir.resolve("settings.json")));
        assertThat(vm.canConnect().get()).isFalse();
        vm.amqpUriProperty().set("amqp://broker:5673/shop");
        vm.amqpExchangesProperty().set("orders\npayments=payment.created,payment.failed");
        vm.amqpSpyQueuesProperty().set("billing=orders:order.paid");
        vm.amqpBrowseQueuesProperty().set("orders.dlq");
        vm.amqpPasswordProperty().set("s3cret");
        assertThat(vm.canConnect().get()).isTrue();
        assertThat(vm.amqpModes().get()).contains("tap exchange orders").contains("spy on queue billing")
                .contains("browse orders.dlq").contains("marked redelivered");
        CaptureRequest request = vm.buildRequest();
        assertThat(request.kafka()).isNull();
        assertThat(request.amqp().endpoint()).isEqualTo("RabbitMQ at amqp://broker:5673 vhost shop");
        assertThat(request.amqp().password()).isEqualTo("s3cret");
        assertThat(request.amqp().exchanges()).extracting(e -> e.name() + e.bindingKeys())
                .containsExactly("orders[]", "payments[payment.created, payment.failed]");
        assertThat(request.amqp().spyQueues().get(0).bindings()).extracting(b -> b.exchange() + ":" + b.bindingKey())
                .containsExactly("orders:order.paid");
        assertThat(request.describe()).contains("exchange orders").contains("browse orders.dlq");
        assertThat(request.amqp().toString()).doesNotContain("s3cret");

        ConnectViewModel again = new ConnectViewModel(AppServices.real(() -> {
            throw new UnsupportedOperationException();
        }), executor, new AppSettings(settingsDir.resolve("settings.json")));
        assertThat(again.amqpUriProperty().get()).as("remembered").isEqualTo("amqp://broker:5673/shop");
        assertThat(again.amqpExchangesProperty().get()).isEqualTo("orders\npayments=payment.created,payment.failed");
        assertThat(again.amqpBrowseQueuesProperty().get()).isEqualTo("orders.dlq");
        assertThat(again.amqpPasswordProperty().get()).as("never remembered").isEmpty();
        AppSettings settings = new AppSettings(settingsDir.resolve("settings.json"));
        settings.setAmqp(Map.of("uri", "amqp://bob:pw@host/v"));
        assertThat(settings.amqp().get("uri")).isEqualTo("amqp://bob@host/v");

        vm.amqpUriProperty().set("http://wrong");
        assertThatThrownBy(vm::buildRequest).hasMessageStartingWith("uri:");
    }

    @Test
    void oneCaptureRecordsKafkaAndRabbitMqAndTheDetailsShowTheDelivery() throws Exception {
        String topic = LocalRabbit.unique("ui-orders");
        KAFKA.createTopic(topic, 1);
        String exchange = rabbit.exchange("ui-payments", "topic");
        MainViewModel vm = new MainViewModel(DesktopServices.real(), executor, new AppSettings(settingsDir.resolve("settings.json")), dir.resolve("captures"));
        ConnectViewModel connect = vm.newConnectViewModel();
        connect.bootstrapServersProperty().set(KAFKA.bootstrapServers());
        connect.selectedTopics().setAll(List.of(topic));
        connect.amqpUriProperty().set("amqp://127.0.0.1:5672");
        connect.amqpExchangesProperty().set(exchange);
        CaptureRequest request = connect.buildRequest();
        assertThat(request.kafka()).isNotNull();
        assertThat(request.amqp()).isNotNull();

        vm.capture().start(request);
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            return vm.capture().capturingProperty().get();
        });
        // progress comes once the pipeline has opened its sources (the tap is bound)
        await().atMost(Duration.ofSeconds(20)).until(() -> vm.capture().hasNews());
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            producer.send(new ProducerRecord<>(topic, "{\"eventId\":\"o-1\",\"correlationId\":\"c-ui\",\"type\":\"OrderPlaced\"}"
                    .getBytes(StandardCharsets.UTF_8))).get();
        }
        rabbit.publish(exchange, "payment.taken", new AMQP.BasicProperties.Builder().correlationId("c-ui").messageId("p-1")
                .type("PaymentTaken").headers(Map.of("tenant", "t1")).build(), "{\"amount\":3}");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            executor.runCallbacks();
            vm.pulse();
            return vm.capture().capturedEventsProperty().get() == 2;
        });
        assertThat(vm.capture().sourceProperty().get()).contains(KAFKA.bootstrapServers()).contains("RabbitMQ at amqp://127.0.0.1:5672");

        vm.openTimeline("c-ui");
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            vm.pulse();
            return vm.timeline().entries().size() == 2;
        });
        CapturedEvent amqpEvent = vm.timeline().entries().stream().map(e -> e.event())
                .filter(e -> e.source().sourceKind().equals("amqp")).findFirst().orElseThrow();
        DetailsViewModel details = vm.details();
        details.show(amqpEvent, List.of());
        executor.runCallbacks();
        assertThat(details.source()).extracting(f -> f.name() + "=" + f.value()).contains("Channel=" + exchange,
                "Source=amqp", "Mode=tap", "Exchange=" + exchange, "Routing key=payment.taken", "Redelivered=false")
                .anyMatch(f -> f.startsWith("Delivery tag=")).anyMatch(f -> f.startsWith("Queue=eventlens.tap."));
        assertThat(details.headers()).extracting(f -> f.name() + "=" + f.value())
                .contains("amqp.correlation_id=c-ui", "amqp.message_id=p-1", "amqp.type=PaymentTaken", "tenant=t1");

        vm.capture().stop();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            executor.runCallbacks();
            return !vm.capture().capturingProperty().get();
        });
    }
}
