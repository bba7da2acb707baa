package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudEvents extension attributes in live Kafka capture, as a new user tries them (issue 8): a
 * structured-mode event with a top-level {@code correlationid} is found by its correlation ID, and
 * the CloudEvents Java SDK's binary-mode {@code ce_sequence} header is the sequence, and a
 * {@code ce_traceparent} (Distributed Tracing extension) gives the trace-id as the correlation ID
 * (docs/reference/extraction-rules.md).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CloudEventsLiveCaptureTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @TempDir
    Path dir;

    @Test
    void structuredCorrelationIdAndBinaryCeSequenceAreReadInLiveCapture() throws Exception {
        KAFKA.createTopic("ce-orders", 1);
        try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
            ProducerRecord<byte[], byte[]> structured = new ProducerRecord<>("ce-orders", null, utf8("k"), utf8(
                    "{\"specversion\":\"1.0\",\"id\":\"ce-s-1\",\"source\":\"/orders\",\"type\":\"OrderPlaced\","
                            + "\"correlationid\":\"c-structured\",\"sequence\":\"7\",\"data\":{\"n\":1}}"));
            structured.headers().add("content-type", utf8("application/cloudevents+json; charset=UTF-8"));
            ProducerRecord<byte[], byte[]> binary = new ProducerRecord<>("ce-orders", null, utf8("k"), utf8("{\"n\":2}"));
            binary.headers().add("ce_specversion", utf8("1.0")).add("ce_id", utf8("ce-b-1"))
                    .add("ce_type", utf8("OrderPaid")).add("ce_source", utf8("/orders"))
                    .add("ce_correlationid", utf8("c-structured")).add("ce_sequence", utf8("8"));
            ProducerRecord<byte[], byte[]> traced = new ProducerRecord<>("ce-orders", null, utf8("k"), utf8("{\"n\":3}"));
            traced.headers().add("ce_specversion", utf8("1.0")).add("ce_id", utf8("ce-t-1"))
                    .add("ce_traceparent", utf8("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
            producer.send(structured).get();
            producer.send(binary).get();
            producer.send(traced).get();
        }
        try (CaptureStore store = CaptureStore.open(dir.resolve("ce"))) {
            new CapturePipeline(new KafkaSource(KafkaCaptureConfig.builder(KAFKA.bootstrapServers()).topic("ce-orders")
                    .startPosition(new StartPosition.Earliest()).maxEvents(3).build()), store,
                    EventExtractor.withDefaults(), new CaptureLimits(3, null)).run(CaptureListener.NONE);
            List<CapturedEvent> events = store.findByCorrelationId("c-structured");
            assertThat(events).as("events found by the structured-mode correlationid").hasSize(2);
            assertThat(events).extracting(e -> e.derived().sequenceValue()).containsExactly(7L, 8L);
            assertThat(events.get(1).derived().sequence().rule()).isEqualTo("CloudEvents ce_sequence");
            assertThat(store.findByCorrelationId("4bf92f3577b34da6a3ce929d0e0e4736")).as("found by its ce_traceparent trace-id")
                    .extracting(e -> e.derived().eventIdValue()).containsExactly("ce-t-1");
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
