package io.eventlens.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw records as a broker delivers them, through the default extraction rules and the analysis. */
class ExtractAndAnalyzeTest {

    private static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");
    private final EventExtractor extractor = EventExtractor.withDefaults();
    private final List<CapturedEvent> events = new ArrayList<>();

    private void record(String topic, int partition, long offset, long atMs, String key, String payload, Header... headers) {
        Channel ch = Channel.kafkaTopic(topic);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        List<Header> h = List.of(headers);
        events.add(new CapturedEvent(events.size() + 1, ch, new SourcePosition.Kafka(partition, offset, TimestampType.CREATE_TIME),
                T0.plusMillis(atMs), T0.plusMillis(atMs), k, h, p, extractor.extract(ch, k, h, p)));
    }

    private static Header str(String name, String value) {
        return Header.ofString(name, value);
    }

    private static Header int4(String name, int v) {
        return new Header(name, ByteBuffer.allocate(4).putInt(v).array());
    }

    private static Header long8(String name, long v) {
        return new Header(name, ByteBuffer.allocate(8).putLong(v).array());
    }

    @Test
    void poisonMessageIsDeadLetteredAndLinkedToItsOriginal() throws Exception {
        String order = "{\"eventId\":\"e-1\",\"type\":\"OrderPlaced\",\"timestamp\":\"2026-11-22T04:00:00Z\","
                + "\"data\":{\"correlationId\":\"c-42\",\"qty\":\"x\"},\"sequence\":1}";
        record("orders", 0, 10, 5, "order-7", order);
        record("payments", 1, 3, 300, "order-7", "{\"id\":\"p-1\",\"specversion\":\"1.0\",\"type\":\"PaymentTaken\","
                + "\"time\":\"2026-11-22T04:00:00.250Z\",\"data\":{\"correlationId\":\"c-42\"}}");
        record("orders.DLT", 0, 0, 9000, "order-7", order,
                str("kafka_dlt-original-topic", "orders"), int4("kafka_dlt-original-partition", 0),
                long8("kafka_dlt-original-offset", 10), str("kafka_dlt-exception-fqcn", "java.lang.NumberFormatException"),
                str("kafka_dlt-exception-message", "For input string: \"x\""), int4("kafka_deliveryAttempt", 3));

        assertThat(events).extracting(e -> e.derived().correlationIdValue()).containsOnly("c-42");
        assertThat(events.get(1).derived().eventId().rule()).isEqualTo("CloudEvents json /id");

        Timeline t = TimelineAnalyzer.withDefaults().analyze("c-42", events);
        JsonNode root = new ObjectMapper().readTree(TimelineJson.write(t));
        assertThat(root.path("verdict").path("kind").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(root.path("verdict").path("message").asText()).isEqualTo(
                "dead-lettered on orders.DLT from #1 on orders p0@10 after 3 attempts: NumberFormatException: For input string: \"x\"");
        JsonNode dlt = root.path("events").get(2);
        assertThat(dlt.path("anomalies")).hasSize(1);
        assertThat(dlt.path("anomalies").get(0).path("relatedSeq").asLong()).isEqualTo(1);
        assertThat(root.path("summary").path("byKind").path("DUPLICATE").asInt()).isZero();
        assertThat(root.path("events").get(0).path("eventTime").asText()).isEqualTo("2026-11-22T04:00:00Z");
        assertThat(root.path("events").get(0).path("sequence").asLong()).isEqualTo(1);
    }
}
