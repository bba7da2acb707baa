package io.eventlens.app.cli;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Builds and sends test records with the saga's headers to a real broker. */
final class TestRecords implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    TestRecords(String bootstrapServers) {
        Properties p = io.eventlens.core.testkit.InProcessKafka.producerProperties(bootstrapServers);
        producer = new KafkaProducer<>(p);
    }

    /**
     * Sends one record and waits for the broker's ack.
     *
     * @param timestamp the record's timestamp (CreateTime), i.e. its observed time
     * @param headers   header name → UTF-8 value, in order
     */
    void send(String topic, Integer partition, String key, Instant timestamp, Map<String, String> headers, String payload) {
        ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topic, partition, timestamp.toEpochMilli(),
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8));
        headers.forEach((k, v) -> rec.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        sendRaw(rec);
    }

    /** Sends a prepared record and waits for the broker's ack. */
    void sendRaw(ProducerRecord<byte[], byte[]> rec) {
        try {
            producer.send(rec).get();
        } catch (Exception e) {
            throw new IllegalStateException("sending to " + rec.topic() + " failed: " + e, e);
        }
    }

    /** An event in the saga's shape: headers correlationId, eventId, eventType, sequence and a JSON payload. */
    void sendEvent(String topic, String key, Instant at, String correlationId, String eventId, String type, int sequence,
                   String extraJson) {
        String payload = "{\"eventId\":\"" + eventId + "\",\"correlationId\":\"" + correlationId + "\",\"type\":\"" + type
                + "\",\"orderId\":\"" + key + "\",\"timestamp\":\"" + at + "\",\"sequence\":" + sequence
                + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
        send(topic, null, key, at, new java.util.LinkedHashMap<>(Map.of(
                "correlationId", correlationId, "eventId", eventId, "eventType", type,
                "sequence", Integer.toString(sequence))), payload);
    }

    @Override
    public void close() {
        producer.close();
    }
}
