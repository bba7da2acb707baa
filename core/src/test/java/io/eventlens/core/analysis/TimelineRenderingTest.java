package io.eventlens.core.analysis;

import static io.eventlens.core.analysis.Ev.ev;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineRenderingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A checkout flow with a slow hop, a redelivery and a dead-lettered poison message. */
    private static Timeline sample() {
        return TimelineAnalyzer.withDefaults().analyze("c-42", List.of(
                ev(1).id("e-1").type("OrderPlaced").key("order-7").pos(0, 12).seqNo(1).eventTime(-20).payload("{\"o\":1}").build(),
                ev(2).on("payments").at(4200).id("e-2").type("PaymentTaken").key("order-7").pos(1, 7).seqNo(2).build(),
                ev(3).on("payments").at(4300).id("e-2").type("PaymentTaken").key("order-7").pos(1, 8).seqNo(2)
                        .payload("{\"n\":2}").build(), // the same payload as #2: a redelivery
                ev(4).on("orders.DLT").at(4400).id("e-1").type("OrderPlaced").key("order-7").pos(0, 3)
                        .header("kafka_dlt-exception-fqcn", "java.lang.NumberFormatException")
                        .header("kafka_dlt-exception-message", "For input string: \"x\"").payload("{\"o\":1}").build()));
    }

    @Test
    void jsonCarriesTheContractFieldsAndParsesBack() throws Exception {
        Timeline t = sample();
        JsonNode root = JSON.readTree(TimelineJson.write(t));

        assertThat(root.path("correlationId").asText()).isEqualTo("c-42");
        JsonNode verdict = root.path("verdict");
        assertThat(verdict.path("kind").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(verdict.path("message").asText()).startsWith("dead-lettered on orders.DLT from #1 on orders p0@12: NumberFormatException");
        assertThat(verdict.path("atSeq").asLong()).isEqualTo(4);

        JsonNode events = root.path("events");
        assertThat(events.isArray()).isTrue();
        assertThat(events).hasSize(4);
        JsonNode first = events.get(0);
        assertThat(first.path("seq").asLong()).isEqualTo(1);
        assertThat(first.path("eventId").asText()).isEqualTo("e-1");
        assertThat(first.path("eventIdSynthetic").asBoolean()).isFalse();
        assertThat(first.path("type").asText()).isEqualTo("OrderPlaced");
        assertThat(first.path("channel").asText()).isEqualTo("orders");
        assertThat(first.path("partition").asInt()).isZero();
        assertThat(first.path("offset").asLong()).isEqualTo(12);
        assertThat(first.path("key").asText()).isEqualTo("order-7");
        assertThat(first.path("eventTime").asText()).isEqualTo("2026-11-22T03:59:59.980Z");
        assertThat(first.path("observedAt").asText()).isEqualTo("2026-11-22T04:00:00Z");
        assertThat(first.path("sequence").asLong()).isEqualTo(1);
        assertThat(first.has("causationId")).isTrue();
        assertThat(first.path("causationId").isNull()).isTrue();
        assertThat(first.path("anomalies")).isEmpty();

        JsonNode lag = events.get(1).path("anomalies").get(0);
        assertThat(lag.path("kind").asText()).isEqualTo("LAG");
        assertThat(lag.path("message").asText()).isEqualTo("orders → payments took 4.2 s, SLO 2 s");
        assertThat(lag.path("rule").asText()).isEqualTo("lag.previous-step");
        assertThat(lag.path("evidence").path("gapMs").asLong()).isEqualTo(4200);
        assertThat(lag.path("evidence").path("sloMs").asLong()).isEqualTo(2000);
        assertThat(lag.path("relatedSeq").asLong()).isEqualTo(1);

        assertThat(events.get(2).path("anomalies").get(0).path("kind").asText()).isEqualTo("DUPLICATE");
        assertThat(events.get(3).path("anomalies").get(0).path("kind").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(events.get(3).path("anomalies").get(0).path("evidence").path("exceptionClass").asText())
                .isEqualTo("java.lang.NumberFormatException");
    }

    @Test
    void jsonSummaryCountsEveryAnomalyKind() throws Exception {
        JsonNode summary = JSON.readTree(TimelineJson.write(sample())).path("summary");
        assertThat(summary.path("events").asInt()).isEqualTo(4);
        assertThat(summary.path("anomalies").asInt()).isEqualTo(3);
        JsonNode byKind = summary.path("byKind");
        for (AnomalyKind k : AnomalyKind.values()) {
            assertThat(byKind.has(k.name())).as("summary.byKind has %s", k).isTrue();
        }
        assertThat(byKind.path("LAG").asInt()).isEqualTo(1);
        assertThat(byKind.path("DUPLICATE").asInt()).isEqualTo(1);
        assertThat(byKind.path("DEAD_LETTERED").asInt()).isEqualTo(1);
        assertThat(byKind.path("OUT_OF_ORDER").asInt()).isZero();
    }

    @Test
    void timelineCountsAnomaliesByKind() {
        Timeline t = sample();
        assertThat(t.anomalyCounts()).hasSize(AnomalyKind.values().length)
                .containsEntry(AnomalyKind.LAG, 1).containsEntry(AnomalyKind.DUPLICATE, 1)
                .containsEntry(AnomalyKind.DEAD_LETTERED, 1).containsEntry(AnomalyKind.OUT_OF_ORDER, 0);
        assertThat(t.has(AnomalyKind.LAG)).isTrue();
        assertThat(t.has(AnomalyKind.CLOCK_SKEW)).isFalse();
    }

    @Test
    void jsonOfAnEmptyTimelineHasTheNoEventsVerdict() throws Exception {
        JsonNode root = JSON.readTree(TimelineJson.write(TimelineAnalyzer.withDefaults().analyze("nobody", List.of())));
        assertThat(root.path("events")).isEmpty();
        assertThat(root.path("events").isArray()).isTrue();
        assertThat(root.path("verdict").path("kind").asText()).isEqualTo("NO_EVENTS");
        assertThat(root.path("verdict").path("message").asText()).isEqualTo("nothing was produced for this correlation ID");
        assertThat(root.path("summary").path("events").asInt()).isZero();
    }

    @Test
    void jsonShowsSyntheticIdsBinaryKeysAndMissingValues() throws Exception {
        Channel ch = Channel.kafkaTopic("raw");
        byte[] key = {(byte) 0xff, 0x00};
        byte[] payload = "not json".getBytes(StandardCharsets.UTF_8);
        CapturedEvent e = new CapturedEvent(1, ch, new SourcePosition.Kafka(0, 0, TimestampType.LOG_APPEND_TIME),
                Ev.T0, Ev.T0, key, List.of(), payload, EventExtractor.withDefaults().extract(ch, key, List.of(), payload));
        JsonNode event = JSON.readTree(TimelineJson.write(TimelineAnalyzer.withDefaults().analyze("c", List.of(e)))).path("events").get(0);
        assertThat(event.path("eventIdSynthetic").asBoolean()).isTrue();
        assertThat(event.path("eventId").asText()).hasSize(64);
        assertThat(event.path("key").asText()).isEqualTo("0xff00");
        assertThat(event.path("type").isNull()).isTrue();
        assertThat(event.path("eventTime").asText()).as("no declared time: the broker timestamp").isEqualTo("2026-11-22T04:00:00Z");
        assertThat(event.path("eventTimeRule").asText()).isEqualTo("broker timestamp (LogAppendTime)");
        assertThat(event.path("sequence").isNull()).isTrue();
    }

    @Test
    void textStartsWithTheVerdictAndListsEventsWithOffsetsAndMarks() {
        String text = TimelineText.render(sample());
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).startsWith("VERDICT DEAD_LETTERED: dead-lettered on orders.DLT").endsWith("[at #4]");
        assertThat(lines.get(1)).isEqualTo("Correlation ID c-42: 4 events on 3 channels, first observed 2026-11-22T04:00:00Z");
        assertThat(lines.get(3)).contains("+ms").contains("channel").contains("position").contains("type").contains("event ID")
                .contains("anomalies");
        List<String> rows = lines.stream().filter(l -> l.matches("\\s*\\d+\\s+#\\d+.*")).toList();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0)).matches("\\s+0\\s+#1\\s+orders\\s+p0@12\\s+OrderPlaced\\s+e-1");
        assertThat(rows.get(1)).matches("\\s+4200\\s+#2\\s+payments\\s+p1@7\\s+PaymentTaken\\s+e-2\\s+LAG");
        assertThat(rows.get(2)).endsWith("DUPLICATE");
        assertThat(rows.get(3)).matches("\\s+4400\\s+#4\\s+orders\\.DLT\\s+p0@3\\s+OrderPlaced\\s+e-1\\s+DEAD_LETTERED");
        assertThat(text).contains("! LAG orders → payments took 4.2 s, SLO 2 s\n");
        assertThat(text).endsWith("\n");
    }

    @Test
    void textColumnsLineUpAndLongValuesAreCut() {
        List<CapturedEvent> events = new ArrayList<>();
        events.add(ev(1).on("a-very-long-topic-name-that-goes-on").type("AnEventTypeWhoseNameIsFarTooLong").id("id").build());
        events.add(ev(22).on("b").at(5).type("T").id("x").build());
        String text = TimelineText.render(TimelineAnalyzer.withDefaults().analyze("c", events));
        List<String> rows = text.lines().filter(l -> l.matches("\\s*\\d+\\s+#\\d+.*")).toList();
        assertThat(rows.get(0)).contains("a-very-long-topic-n…").contains("AnEventTypeWhoseNameI…");
        assertThat(rows.get(0).indexOf("p0@1")).isEqualTo(rows.get(1).indexOf("p0@22"));
        assertThat(rows.get(0).indexOf("AnEvent")).isEqualTo(rows.get(1).indexOf("T "));
    }

    /** A payment observed by the broker and, framed differently, by a probe: one event, two observations. */
    private static Timeline observedTwice() {
        return TimelineAnalyzer.withDefaults().analyze("c-7", List.of(
                ev(1).id("e-1").type("PaymentTaken").key("order-7").pos(1, 7).payload("{\"amount\":12.50,\"id\":\"e-1\"}").build(),
                ev(2).probe("poll-3#0").at(35).id("e-1").type("PaymentTaken").payload("{\"id\":\"e-1\",\"amount\":12.5}").build(),
                ev(3).on("inventory").at(80).id("e-2").type("StockReserved").key("order-7").pos(0, 4).build()));
    }

    @Test
    void jsonListsEveryObservationAndThePositionTheSourceDescribes() throws Exception {
        JsonNode root = JSON.readTree(TimelineJson.write(observedTwice()));
        assertThat(root.path("schemaVersion").asInt()).isEqualTo(TimelineJson.SCHEMA_VERSION).isEqualTo(2);
        assertThat(root.path("summary").path("events").asInt()).isEqualTo(2);
        assertThat(root.path("summary").path("observations").asInt()).isEqualTo(3);
        JsonNode payment = root.path("events").get(0);
        assertThat(payment.path("partition").asInt()).isEqualTo(1);
        assertThat(payment.path("offset").asLong()).isEqualTo(7);
        assertThat(payment.path("observedAt").asText()).as("the first observation").isEqualTo("2026-11-22T04:00:00Z");
        JsonNode position = payment.path("position");
        assertThat(position.path("sourceKind").asText()).isEqualTo("kafka");
        assertThat(position.path("description").asText()).isEqualTo("p1@7");
        assertThat(position.path("observedTimeMeaning").asText()).isEqualTo("Kafka CreateTime");
        assertThat(position.path("attributes").path("partition").asInt()).isEqualTo(1);
        assertThat(position.path("attributes").path("timestampType").asText()).isEqualTo("CREATE_TIME");
        JsonNode observations = payment.path("observations");
        assertThat(observations).hasSize(2);
        assertThat(observations.get(0).path("sourceKind").asText()).isEqualTo("kafka");
        assertThat(observations.get(1).path("sourceKind").asText()).isEqualTo("probe");
        assertThat(observations.get(1).path("channel").asText()).isEqualTo("checkout-probe");
        assertThat(observations.get(1).path("seq").asLong()).isEqualTo(2);
        assertThat(observations.get(1).path("observedAt").asText()).isEqualTo("2026-11-22T04:00:00.035Z");
        assertThat(observations.get(1).path("position").path("description").asText()).isEqualTo("poll-3#0");
        assertThat(payment.path("anomalies")).as("another source's observation is no duplicate").isEmpty();
    }

    @Test
    void jsonOfAProbeOnlyEventHasNoPartitionOrOffset() throws Exception {
        Timeline t = TimelineAnalyzer.withDefaults().analyze("c", List.of(ev(1).probe("poll-1#0").id("e").build()));
        JsonNode event = JSON.readTree(TimelineJson.write(t)).path("events").get(0);
        assertThat(event.path("partition").isNull()).isTrue();
        assertThat(event.path("offset").isNull()).isTrue();
        assertThat(event.path("position").path("sourceKind").asText()).isEqualTo("probe");
        assertThat(event.path("position").path("attributes").path("answer").asText()).isEqualTo("poll-1#0");
        assertThat(event.path("eventTime").isNull()).as("a poll time is not a broker timestamp").isTrue();
    }

    @Test
    void textShowsEachObservationOfAnEventSeenTwice() {
        String text = TimelineText.render(observedTwice());
        assertThat(text).contains("Correlation ID c-7: 2 events (3 observations) on 3 channels");
        assertThat(text).contains("@ +0 ms #1 kafka orders p1@7 (Kafka CreateTime)\n")
                .contains("@ +35 ms #2 probe checkout-probe poll-3#0 (probe poll time)\n");
        assertThat(text.lines().filter(l -> l.strip().startsWith("@"))).as("only the event seen twice lists observations").hasSize(2);
    }

    @Test
    void textOfAnEmptyTimeline() {
        assertThat(TimelineText.render(TimelineAnalyzer.withDefaults().analyze("nobody", List.of())))
                .isEqualTo("VERDICT NO_EVENTS: nothing was produced for this correlation ID\nCorrelation ID nobody: no events\n");
    }

    @Test
    void textMarksSyntheticIds() {
        Channel ch = Channel.kafkaTopic("raw");
        byte[] payload = {1, 2, 3};
        CapturedEvent e = new CapturedEvent(1, ch, new SourcePosition.Kafka(0, 0, TimestampType.CREATE_TIME), Ev.T0, Ev.T0,
                null, List.of(new Header("h", null)), payload, EventExtractor.withDefaults().extract(ch, null, List.of(), payload));
        assertThat(TimelineText.render(TimelineAnalyzer.withDefaults().analyze("c", List.of(e)))).contains(" (hash)");
    }
}
