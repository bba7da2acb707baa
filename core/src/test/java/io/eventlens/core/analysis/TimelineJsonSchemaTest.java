package io.eventlens.core.analysis;

import static io.eventlens.core.analysis.Ev.ev;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real {@link TimelineJson} output validates against the documented JSON Schema, docs/schemas/timeline.schema.json. */
class TimelineJsonSchemaTest {

    private static final Path SCHEMA_FILE = Path.of("..", "docs", "schemas", "timeline.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        assertThat(SCHEMA_FILE).as("the documented schema, relative to the core module").isRegularFile();
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(SCHEMA_FILE));
    }

    private static List<Error> errors(JsonNode output) {
        return schema.validate(output, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
    }

    private static JsonNode output(Timeline t) throws Exception {
        return JSON.readTree(TimelineJson.write(t));
    }

    /** A timeline with every anomaly the analysis finds today, two sources, a binary key and a synthetic ID. */
    private static Timeline everything() {
        Channel raw = Channel.kafkaTopic("raw");
        byte[] key = {(byte) 0xff, 0x00};
        byte[] payload = "not json".getBytes(StandardCharsets.UTF_8);
        CapturedEvent binary = new CapturedEvent(20, raw, new SourcePosition.Kafka(0, 0, TimestampType.LOG_APPEND_TIME),
                Ev.T0.plusMillis(9000), Ev.T0.plusMillis(9000), key, List.of(), payload,
                EventExtractor.withDefaults().extract(raw, key, List.of(), payload));
        List<CapturedEvent> events = new ArrayList<>(List.of(
                ev(1).id("a").key("k").seqNo(1).payload("{\"a\":1}").build(),
                ev(2).probe("poll-1#0").at(20).id("a").payload("{ \"a\": 1.0 }").build(),   // second observation
                ev(3).at(100).key("k").seqNo(3).id("b").build(),
                ev(4).at(150).key("k").seqNo(2).id("c").build(),                             // out of order
                ev(5).at(200).key("k").seqNo(1).id("d").build(),                             // restart
                ev(6).at(250).id("a").payload("{\"a\":2}").build(),                          // conflicting duplicate
                ev(7).probe("poll-2#0").at(300).id("b").payload("{\"other\":true}").build(), // conflicting across sources
                ev(8).on("payments").at(5000).id("e").payload("P").eventTime(-1000).build(),           // lag
                ev(9).on("payments").at(5100).id("e").payload("P").eventTime(-1000).build(),           // duplicate
                ev(10).on("orders.DLT").at(6000).id("a").payload("{\"a\":1}")
                        .header("kafka_dlt-exception-message", "boom").build(),             // dead-lettered
                ev(11).at(6100).id("f").headerInt("kafka_deliveryAttempt", 3).eventTime(9000).build())); // retried, skew
        events.add(binary);
        return TimelineAnalyzer.withDefaults().withContracts(TimelineJsonSchemaTest::stubContracts).analyze("c-1", events);
    }

    /** Contracts for the sample: payments breaks payments/v3, orders passes orders/v1, nothing else has one. */
    static ContractCheck stubContracts(CapturedEvent e, String channel) {
        return switch (channel) {
            case "payments" -> new ContractCheck("payments/v3", "payments/v3.json", "channel payments and type null",
                    List.of(new ContractViolation("/amountCents", "required", "property amountCents", "missing",
                            "required property missing")));
            case "orders" -> new ContractCheck("orders/v1", "orders.asyncapi.yaml#/components/messages/O/payload",
                    "channel orders (any type)", List.of());
            default -> null;
        };
    }

    @Test
    void everyAnomalyKindTheAnalysisFindsValidates() throws Exception {
        Timeline t = everything();
        assertThat(t.anomalyCounts()).as("the sample covers what it claims to")
                .allSatisfy((kind, n) -> {
                    if (kind != AnomalyKind.MISSING_STEP && kind != AnomalyKind.FOREIGN_EVENT) {
                        assertThat(n).as("%s findings", kind).isPositive();
                    }
                });
        assertThat(t.entries()).anySatisfy(e -> assertThat(e.observations()).hasSize(2));
        assertThat(errors(output(t))).isEmpty();
    }

    @Test
    void deadLetteredEventLinksToItsOriginalByTheKafkaPositionItsHeadersNameAndTheOriginalLinksBack() throws Exception {
        Timeline t = TimelineAnalyzer.withDefaults().analyze("c-1", List.of(
                ev(1).pos(2, 40).id("o-1").payload("{\"order\":1}").build(),
                ev(2).at(10).pos(2, 41).id("o-2").payload("{\"order\":2}").build(),
                ev(3).on("orders.DLT").at(500).pos(0, 7).id("o-2-dlt").payload("{\"order\":2}")
                        .header("kafka_dlt-original-topic", "orders")
                        .headerInt("kafka_dlt-original-partition", 2)
                        .headerLong("kafka_dlt-original-offset", 41)
                        .header("kafka_dlt-exception-fqcn", "com.shop.InvalidOrderException")
                        .header("kafka_dlt-exception-message", "amount must be positive")
                        .header("kafka_dlt-exception-stacktrace", "com.shop.InvalidOrderException: amount must be positive\n\tat x")
                        .headerInt("kafka_deliveryAttempt", 3).build()));
        JsonNode out = output(t);
        assertThat(errors(out)).isEmpty();
        JsonNode copy = out.path("events").get(2);
        JsonNode dl = copy.path("deadLetter");
        assertThat(dl.path("rule").asText()).isEqualTo("dead-letter.channel-name");
        assertThat(dl.path("convention").asText()).isEqualTo("SPRING_DLT");
        assertThat(dl.path("channel").asText()).isEqualTo("orders.DLT");
        assertThat(dl.path("originalChannel").asText()).isEqualTo("orders");
        assertThat(dl.path("originalPartition").asInt()).isEqualTo(2);
        assertThat(dl.path("originalOffset").asLong()).isEqualTo(41);
        assertThat(dl.path("exceptionClass").asText()).isEqualTo("com.shop.InvalidOrderException");
        assertThat(dl.path("reason").asText()).isEqualTo("amount must be positive");
        assertThat(dl.path("attempts").asInt()).isEqualTo(3);
        assertThat(dl.path("originalSeq").asLong()).as("the original at orders p2@41").isEqualTo(2);
        assertThat(dl.path("linkedBy").asText()).isEqualTo(TimelineAnalyzer.LINK_POSITION);
        assertThat(dl.path("stackTrace").asText()).startsWith("com.shop.InvalidOrderException");
        assertThat(out.path("events").get(1).path("deadLetteredAs").get(0).asLong()).as("back link").isEqualTo(3);
        assertThat(out.path("events").get(0).path("deadLetter").isNull()).isTrue();
        assertThat(out.path("events").get(0).path("deadLetteredAs")).isEmpty();

        ObjectNode broken = (ObjectNode) out.deepCopy();
        ((ObjectNode) broken.path("events").get(2).path("deadLetter")).put("linkedBy", "guess");
        assertThat(errors(broken)).as("an undocumented linkedBy").isNotEmpty();
    }

    @Test
    void deadLetterWithoutCoordinatesLinksByMessageIdOnTheOriginalQueueElseByTheSameJsonOnTheOriginalChannel() throws Exception {
        Timeline t = TimelineAnalyzer.withDefaults().analyze("c-1", List.of(
                ev(1).on("audit").id("m-1").payload("{\"a\":1}").build(),
                ev(2).on("orders").at(5).id("m-1").payload("{\"a\":1}").build(),
                ev(3).on("payments").at(6).key("k1").payload("{\"amount\":10,\"currency\":\"EUR\"}").build(),
                // a RabbitMQ dead letter keeps its message ID; x-first-death-queue names the original queue
                ev(4).on("dead-letters").at(100).id("m-1").payload("{\"a\":1}")
                        .header("x-first-death-queue", "orders").header("x-first-death-reason", "rejected").build(),
                // no ID, another key, the same JSON written differently
                ev(5).on("payments.dlq").at(200).key("k2").payload("{ \"currency\": \"EUR\", \"amount\": 10.0 }").build()));
        JsonNode out = output(t);
        assertThat(errors(out)).isEmpty();
        JsonNode rabbit = out.path("events").get(3).path("deadLetter");
        assertThat(rabbit.path("convention").asText()).isEqualTo("RABBITMQ");
        assertThat(rabbit.path("reason").asText()).isEqualTo("rejected");
        assertThat(rabbit.path("originalSeq").asLong()).as("the observation on the original queue, not on audit").isEqualTo(2);
        assertThat(rabbit.path("linkedBy").asText()).isEqualTo(TimelineAnalyzer.LINK_EVENT_ID);
        JsonNode json = out.path("events").get(4).path("deadLetter");
        assertThat(json.path("convention").asText()).isEqualTo("CHANNEL_NAME");
        assertThat(json.path("originalChannel").asText()).as("from the channel name").isEqualTo("payments");
        assertThat(json.path("originalSeq").asLong()).isEqualTo(3);
        assertThat(json.path("linkedBy").asText()).isEqualTo(TimelineAnalyzer.LINK_PAYLOAD_JSON);
        assertThat(json.path("stackTrace").isNull()).isTrue();
    }

    @Test
    void anEmptyTimelineValidates() throws Exception {
        assertThat(errors(output(TimelineAnalyzer.withDefaults().analyze("nobody", List.of())))).isEmpty();
    }

    /** The members {@code eventlens timeline} adds after {@link TimelineJson}'s (docs/reference/cli-contract.md). */
    @Test
    void theTimelineCommandsOwnMembersValidate() throws Exception {
        ObjectNode cli = (ObjectNode) output(everything());
        cli.put("damagedBlocks", 0);
        cli.put("storedEvents", 250_000);
        cli.put("truncated", true);
        assertThat(errors(cli)).isEmpty();

        cli.put("truncated", "yes");
        assertThat(errors(cli)).as("truncated as a string").isNotEmpty();
        cli.put("truncated", false);
        cli.put("storedEvents", -1);
        assertThat(errors(cli)).as("a negative count").isNotEmpty();
    }

    @Test
    void theSchemaRejectsOutputThatBreaksTheContract() throws Exception {
        ObjectNode noVersion = (ObjectNode) output(everything());
        noVersion.remove("schemaVersion");
        assertThat(errors(noVersion)).as("without schemaVersion").isNotEmpty();

        ObjectNode undocumented = (ObjectNode) output(everything());
        ((ObjectNode) undocumented.path("events").get(0)).put("undocumented", 1);
        assertThat(errors(undocumented)).as("with an undocumented member").isNotEmpty();

        ObjectNode badTime = (ObjectNode) output(everything());
        ((ObjectNode) badTime.path("events").get(0)).put("observedAt", "yesterday");
        assertThat(errors(badTime)).as("with a time that is not ISO-8601").isNotEmpty();

        ObjectNode unknownKind = (ObjectNode) output(everything());
        ((ObjectNode) unknownKind.path("verdict")).put("kind", "FINE");
        assertThat(errors(unknownKind)).as("with an unknown verdict kind").isNotEmpty();
    }
}
