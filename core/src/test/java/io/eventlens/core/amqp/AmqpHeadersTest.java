package io.eventlens.core.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import io.eventlens.core.model.Header;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The header encoding contract of docs/reference/extraction-rules.md, "AMQP messages". */
class AmqpHeadersTest {

    @Test
    void propertiesComeFirstAsAmqpDotHeadersAndAbsentOnesAreLeftOut() {
        AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().correlationId("c-1").messageId("m-1").type("T")
                .appId("app").timestamp(Date.from(Instant.parse("2026-01-02T03:04:05Z"))).deliveryMode(2).priority(5)
                .contentType("application/json").headers(Map.of("h", "v")).build();
        assertThat(AmqpHeaders.of(p)).extracting(Header::toString).containsExactly(
                "amqp.content_type=application/json", "amqp.delivery_mode=2", "amqp.priority=5",
                "amqp.correlation_id=c-1", "amqp.message_id=m-1", "amqp.timestamp=2026-01-02T03:04:05Z",
                "amqp.type=T", "amqp.app_id=app", "h=v");
        assertThat(AmqpHeaders.of(null)).isEmpty();
    }

    @Test
    void tableValuesAreEncodedByType() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("s", LongStringHelper.asLongString("gr\u00fc\u00dfe"));
        t.put("l", 42L);
        t.put("b", true);
        t.put("d", new BigDecimal("1.50"));
        t.put("t", Date.from(Instant.parse("2026-01-02T03:04:05Z")));
        t.put("bytes", new byte[] {1, 2});
        t.put("void", null);
        t.put("x-death", List.of(Map.of("count", 2L, "reason", LongStringHelper.asLongString("rejected"),
                "time", Date.from(Instant.parse("2026-01-02T03:04:06Z")),
                "routing-keys", List.of(LongStringHelper.asLongString("k")))));
        Map<String, Header> h = new java.util.HashMap<>();
        AmqpHeaders.of(new AMQP.BasicProperties.Builder().headers(t).build()).forEach(x -> h.put(x.name(), x));
        assertThat(h.get("s").valueAsString()).isEqualTo("gr\u00fc\u00dfe");
        assertThat(h.get("l").valueAsString()).isEqualTo("42");
        assertThat(h.get("b").valueAsString()).isEqualTo("true");
        assertThat(h.get("d").valueAsString()).isEqualTo("1.50");
        assertThat(h.get("t").valueAsString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(h.get("bytes").value()).containsExactly(1, 2);
        assertThat(h.get("void").value()).isNull();
        assertThat(h.get("x-death").valueAsString()).startsWith("[{").contains("\"count\":2").contains("\"reason\":\"rejected\"")
                .contains("\"time\":\"2026-01-02T03:04:06Z\"").contains("\"routing-keys\":[\"k\"]");
    }

    @Test
    void deadLetterTimeIsTheLatestXDeathTime() {
        Map<String, Object> t = Map.of("x-death", List.of(
                Map.of("time", Date.from(Instant.parse("2026-01-02T03:04:05Z"))),
                Map.of("time", Date.from(Instant.parse("2026-01-02T03:04:09Z"))), Map.of("count", 1L)));
        assertThat(AmqpHeaders.deadLetterTime(t)).isEqualTo(Instant.parse("2026-01-02T03:04:09Z"));
        assertThat(AmqpHeaders.deadLetterTime(Map.of("x-death", "garbage"))).isNull();
        assertThat(AmqpHeaders.deadLetterTime(null)).isNull();
    }

    @Test
    void theStreamOffsetIsLeftOutAndEverythingElseKeepsItsOrder() {
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("a", LongStringHelper.asLongString("1"));
        table.put("x-stream-offset", 42L);
        table.put("b", 2);
        AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().messageId("m").headers(table).build();
        List<String> all = new java.util.ArrayList<>(List.of("amqp.message_id"));
        all.addAll(p.getHeaders().keySet());   // in the table's order, as delivered
        List<String> withoutOffset = all.stream().filter(n -> !n.equals("x-stream-offset")).toList();
        assertThat(AmqpHeaders.of(p, "x-stream-offset")).extracting(Header::name).containsExactlyElementsOf(withoutOffset);
        assertThat(withoutOffset).containsExactlyInAnyOrder("amqp.message_id", "a", "b");
        assertThat(AmqpHeaders.of(p, "absent")).extracting(Header::name).containsExactlyElementsOf(all);
        assertThat(AmqpHeaders.of(p, null)).isEqualTo(AmqpHeaders.of(p));
        assertThat(AmqpHeaders.of(new AMQP.BasicProperties.Builder().build(), "x-stream-offset")).isEmpty();
        assertThat(AmqpHeaders.of(null, "x-stream-offset")).isEmpty();
    }
}
