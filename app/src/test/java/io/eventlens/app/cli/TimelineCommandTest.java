package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.app.demo.EmbeddedKafkaBroker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the CLI on a real broker: records with headers carrying each fault are
 * produced, {@code capture}d, and {@code timeline} must report the anomalies and verdicts.
 */
class TimelineCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafkaBroker broker;

    @TempDir
    static Path dir;

    private static Path capture;

    @BeforeAll
    static void produceAndCapture() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(List.of("orders", "payments", "inventory", "orders.DLT"), 2);
        Instant t = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        try (TestRecords r = new TestRecords(broker.bootstrapServers())) {
            // c-dup: the payment is redelivered byte for byte.
            r.sendEvent("orders", "ord-1", t, "c-dup", "e-dup-1", "OrderPlaced", 1, "");
            r.sendEvent("payments", "ord-1", t.plusMillis(100), "c-dup", "e-dup-2", "PaymentAuthorized", 2, "\"amount\":10");
            r.send("payments", null, "ord-1", t.plusMillis(300), headers("c-dup", "e-dup-2", "PaymentAuthorized", 2),
                    payload("c-dup", "e-dup-2", "PaymentAuthorized", "ord-1", t.plusMillis(100), 2, "\"amount\":10"));

            // c-conflict: same event ID, different amount.
            r.sendEvent("orders", "ord-2", t, "c-conflict", "e-con-1", "OrderPlaced", 1, "");
            r.sendEvent("payments", "ord-2", t.plusMillis(100), "c-conflict", "e-con-2", "PaymentAuthorized", 2, "\"amount\":10");
            r.sendEvent("payments", "ord-2", t.plusMillis(200), "c-conflict", "e-con-2", "PaymentAuthorized", 2, "\"amount\":99");

            // c-ooo: on payments, under one key, sequence 3 observed before sequence 2.
            r.sendEvent("orders", "ord-3", t, "c-ooo", "e-ooo-1", "OrderPlaced", 1, "");
            r.sendEvent("payments", "ord-3", t.plusMillis(100), "c-ooo", "e-ooo-3", "PaymentCaptured", 3, "");
            r.sendEvent("payments", "ord-3", t.plusMillis(200), "c-ooo", "e-ooo-2", "PaymentAuthorized", 2, "");

            // c-topics: three topics each number their own events under one key: healthy.
            for (int n = 1; n <= 3; n++) {
                r.sendEvent("orders", "ord-6", t.plusMillis(n * 30L), "c-topics", "e-top-o" + n, "OrderUpdated", n, "");
                r.sendEvent("payments", "ord-6", t.plusMillis(n * 30L + 10), "c-topics", "e-top-p" + n, "PaymentUpdated", n, "");
                r.sendEvent("inventory", "ord-6", t.plusMillis(n * 30L + 20), "c-topics", "e-top-i" + n, "StockUpdated", n, "");
            }

            // c-lag: 3.5 s between payment and inventory (SLO 2 s), by explicit record timestamps.
            r.sendEvent("orders", "ord-4", t, "c-lag", "e-lag-1", "OrderPlaced", 1, "");
            r.sendEvent("payments", "ord-4", t.plusMillis(100), "c-lag", "e-lag-2", "PaymentAuthorized", 2, "");
            r.sendEvent("inventory", "ord-4", t.plusMillis(3_600), "c-lag", "e-lag-3", "InventoryReserved", 3, "");

            // c-dlt: the order is dead-lettered by Spring's DeadLetterPublishingRecoverer.
            r.sendEvent("orders", "ord-5", t, "c-dlt", "e-dlt-1", "OrderPlaced", 1, "\"total\":\"12,50\"");
            ProducerRecord<byte[], byte[]> dlt = new ProducerRecord<>("orders.DLT", 0, t.plusMillis(1_000).toEpochMilli(),
                    "ord-5".getBytes(StandardCharsets.UTF_8),
                    payload("c-dlt", "e-dlt-1", "OrderPlaced", "ord-5", t, 1, "\"total\":\"12,50\"").getBytes(StandardCharsets.UTF_8));
            headers("c-dlt", "e-dlt-1", "OrderPlaced", 1).forEach((k, v) -> dlt.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            dlt.headers().add("kafka_dlt-original-topic", "orders".getBytes(StandardCharsets.UTF_8))
                    .add("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(1).array())
                    .add("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(0).array())
                    .add("kafka_dlt-exception-fqcn", "org.springframework.kafka.listener.ListenerExecutionFailedException"
                            .getBytes(StandardCharsets.UTF_8))
                    .add("kafka_dlt-exception-message", "Cannot deserialize value of type `java.math.BigDecimal` from String \"12,50\""
                            .getBytes(StandardCharsets.UTF_8))
                    .add("kafka_deliveryAttempt", ByteBuffer.allocate(4).putInt(3).array());
            r.sendRaw(dlt);
        }
        capture = dir.resolve("e2e.mv.db");
        CliRun run = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "orders", "--topic", "payments",
                "--topic", "inventory", "--topic", "orders.DLT", "--from", "earliest", "--max-events", "23", "--duration", "60s",
                "--out", capture.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void redeliveredPaymentIsADuplicateAndTheFlowStaysHealthy() throws Exception {
        JsonNode t = timelineJson("c-dup");

        assertThat(kindsOf(t)).contains("DUPLICATE").doesNotContain("CONFLICTING_DUPLICATE");
        assertThat(anomalyKinds(t.get("events").get(2))).as("the second copy carries it").contains("DUPLICATE");
        assertThat(t.at("/verdict/kind").asText()).isEqualTo("HEALTHY");
    }

    @Test
    void sameEventIdWithAnotherPayloadIsAConflictingDuplicate() throws Exception {
        JsonNode t = timelineJson("c-conflict");

        assertThat(kindsOf(t)).contains("CONFLICTING_DUPLICATE");
        assertThat(t.at("/verdict/kind").asText()).isEqualTo("CONFLICTING_DUPLICATE");
    }

    @Test
    void lowerSequenceAfterAHigherOneOnTheSameKeyIsOutOfOrder() throws Exception {
        JsonNode t = timelineJson("c-ooo");

        assertThat(t.get("events")).hasSize(3);
        assertThat(t.at("/events/2/eventId").asText()).isEqualTo("e-ooo-2");
        assertThat(anomalyKinds(t.at("/events/2"))).contains("OUT_OF_ORDER");
        assertThat(t.at("/verdict/kind").asText()).isEqualTo("OUT_OF_ORDER");
        JsonNode evidence = t.at("/events/2/anomalies/0/evidence");
        assertThat(evidence.get("channel").asText()).isEqualTo("payments");
        assertThat(evidence.get("key").asText()).isEqualTo("ord-3");
        assertThat(evidence.get("orderingStream").asText()).startsWith("partition ");
        assertThat(evidence.get("previousSequence").asLong()).isEqualTo(3);
    }

    @Test
    void topicsThatEachNumberTheirOwnEventsUnderOneKeyAreInOrder() throws Exception {
        JsonNode t = timelineJson("c-topics");

        assertThat(t.get("events")).hasSize(9);
        assertThat(kindsOf(t)).doesNotContain("OUT_OF_ORDER");
        assertThat(t.at("/verdict/kind").asText()).isEqualTo("HEALTHY");
    }

    @Test
    void slowHopBeyondTheSloIsLagAndALooserSloClearsIt() throws Exception {
        JsonNode t = timelineJson("c-lag");

        assertThat(anomalyKinds(t.at("/events/2"))).contains("LAG");
        assertThat(t.at("/verdict/kind").asText()).isEqualTo("LAG");

        CliRun loose = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-lag",
                "--format", "json", "--lag-slo", "5s");
        assertThat(loose.exitCode()).as(loose.toString()).isZero();
        assertThat(JSON.readTree(loose.out()).at("/verdict/kind").asText()).isEqualTo("HEALTHY");
    }

    @Test
    void copyOnTheDeadLetterTopicIsDeadLetteredNotADuplicate() throws Exception {
        JsonNode t = timelineJson("c-dlt");

        assertThat(t.get("events")).hasSize(2);
        assertThat(t.at("/events/1/channel").asText()).isEqualTo("orders.DLT");
        assertThat(anomalyKinds(t.at("/events/1"))).contains("DEAD_LETTERED").doesNotContain("DUPLICATE");
        assertThat(t.at("/verdict/kind").asText()).isEqualTo("DEAD_LETTERED");
    }

    @Test
    void jsonCarriesTheContractFieldsOnEveryEvent() throws Exception {
        JsonNode t = timelineJson("c-lag");

        assertThat(t.get("schemaVersion").asInt()).isEqualTo(2);
        assertThat(t.get("correlationId").asText()).isEqualTo("c-lag");
        for (JsonNode e : t.get("events")) {
            assertThat(e.has("eventId") && e.has("type") && e.has("channel") && e.has("eventTime")
                    && e.has("observedAt") && e.get("anomalies").isArray()).as("event %s", e).isTrue();
            Instant.parse(e.get("eventTime").asText());
            assertThat(e.at("/position/sourceKind").asText()).isEqualTo("kafka");
            assertThat(e.at("/position/attributes/partition").asInt()).isEqualTo(e.get("partition").asInt());
            assertThat(e.at("/position/attributes/offset").asLong()).isEqualTo(e.get("offset").asLong());
            assertThat(e.get("observations")).hasSize(1);
            assertThat(e.at("/observations/0/observedAt").asText()).isEqualTo(e.get("observedAt").asText());
        }
        assertThat(t.at("/events/0/type").asText()).isEqualTo("OrderPlaced");
        assertThat(t.at("/verdict/message").asText()).isNotBlank();
        for (JsonNode a : t.at("/events/2/anomalies")) {
            assertThat(a.get("message").asText()).as("anomaly %s says why", a).isNotBlank();
        }
    }

    @Test
    void textFormatShowsTheVerdict() throws Exception {
        String verdict = timelineJson("c-dlt").at("/verdict/message").asText();

        CliRun run = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-dlt", "--format", "text");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains(verdict).contains("orders.DLT");
    }

    @Test
    void failOnDeadLetteredExits1WhenTheFlowWasDeadLettered() {
        CliRun dead = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-dlt",
                "--format", "json", "--fail-on", "DEAD_LETTERED");
        CliRun healthy = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-dup",
                "--format", "json", "--fail-on", "dead_lettered,CONFLICTING_DUPLICATE");

        assertThat(dead.exitCode()).as(dead.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(dead.err()).contains("DEAD_LETTERED");
        assertThat(dead.out()).as("the timeline is still printed").contains("\"correlationId\"");
        assertThat(healthy.exitCode()).as(healthy.toString()).isZero();
    }

    @Test
    void failOnAnAnomalyKindMatchesAnyEventOfTheTimeline() {
        CliRun run = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-dup", "--fail-on", "DUPLICATE");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FINDINGS);
    }

    @Test
    void unknownCorrelationIdGivesNoEventsAndFailsOnlyWhenAsked() throws Exception {
        CliRun run = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-nope", "--format", "json");
        CliRun strict = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-nope", "--fail-on", "NO_EVENTS");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(JSON.readTree(run.out()).at("/verdict/kind").asText()).isEqualTo("NO_EVENTS");
        assertThat(run.err()).contains("c-nope");
        assertThat(strict.exitCode()).as(strict.toString()).isEqualTo(ExitCodes.FINDINGS);
    }

    @Test
    void missingCaptureFileExits3NamingIt() {
        Path absent = dir.resolve("absent");

        CliRun run = CliRun.of("timeline", "--capture", absent.toString(), "--correlation-id", "c-dup");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains(absent + ".mv.db");
        assertThat(absent.resolveSibling("absent.mv.db")).as("no empty store is created").doesNotExist();
    }

    @Test
    void unknownFailOnKindAndUnsupportedFormatAreUsageErrors() {
        CliRun kind = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-dup", "--fail-on", "EXPLODED");
        CliRun format = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-dup", "--format", "md");
        CliRun missing = CliRun.of("timeline", "--capture", capture.toString());

        assertThat(kind.exitCode()).as(kind.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(kind.err()).contains("EXPLODED");
        assertThat(format.exitCode()).as(format.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("--correlation-id");
    }

    private static JsonNode timelineJson(String correlationId) throws Exception {
        CliRun run = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", correlationId, "--format", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return JSON.readTree(run.out());
    }

    private static List<String> kindsOf(JsonNode timeline) {
        List<String> kinds = new ArrayList<>();
        timeline.get("events").forEach(e -> kinds.addAll(anomalyKinds(e)));
        return kinds;
    }

    private static List<String> anomalyKinds(JsonNode event) {
        List<String> kinds = new ArrayList<>();
        event.get("anomalies").forEach(a -> kinds.add(a.get("kind").asText()));
        return kinds;
    }

    private static Map<String, String> headers(String correlationId, String eventId, String type, int sequence) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("correlationId", correlationId);
        h.put("eventId", eventId);
        h.put("eventType", type);
        h.put("sequence", Integer.toString(sequence));
        return h;
    }

    private static String payload(String correlationId, String eventId, String type, String key, Instant at, int sequence,
                                  String extraJson) {
        return "{\"eventId\":\"" + eventId + "\",\"correlationId\":\"" + correlationId + "\",\"type\":\"" + type
                + "\",\"orderId\":\"" + key + "\",\"timestamp\":\"" + at + "\",\"sequence\":" + sequence
                + (extraJson.isEmpty() ? "" : "," + extraJson) + "}";
    }
}
