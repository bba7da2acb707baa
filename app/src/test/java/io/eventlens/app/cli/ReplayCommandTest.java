package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.replay.ReplayEvents;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.InProcessKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eventlens replay} against the in-process Kafka broker: the dry run, the refusals (exit 3,
 * nothing sent), a run with its JSON summary, the replay log and the comparison, and usage errors.
 */
class ReplayCommandTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger N = new AtomicInteger();

    @TempDir
    static Path dir;

    private static Path capture;

    @BeforeAll
    static void writeCapture() {
        capture = dir.resolve("run.mv.db");
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(ReplayEvents.order(i + 1, i % 2, "k" + (i % 2), i * 10L, "c-42", "e-" + i, i / 2 + 1,
                    i < 3 ? "OrderPlaced" : "PaymentCaptured"));
        }
        events.add(ReplayEvents.order(7, 0, "z", 100, "other", "e-x", 1, "OrderPlaced"));
        try (CaptureStore store = CaptureStore.open(capture)) {
            store.append(events, List.of());
        }
    }

    private static String topic() {
        String t = "replay-cli-" + N.incrementAndGet();
        KAFKA.createTopic(t, 2);
        return t;
    }

    private static long records(String topic) throws Exception {
        try (Admin admin = KAFKA.admin()) {
            var tps = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> q = new java.util.HashMap<>();
            tps.forEach(tp -> q.put(tp, OffsetSpec.latest()));
            return admin.listOffsets(q).all().get().values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    @Test
    void aDryRunListsTheRewrittenSendsAndSendsAndWritesNothing() throws Exception {
        String topic = topic();
        byte[] before = Files.readAllBytes(capture);
        CliRun run = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42", "--to-kafka",
                KAFKA.bootstrapServers(), "--target-env", "local", "--map", "orders=" + topic, "--dry-run", "--repeat", "2");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.get("dryRun").asBoolean()).isTrue();
        assertThat(json.get("sends")).hasSize(12);
        String fresh = json.get("replayCorrelationId").asText();
        assertThat(fresh).hasSize(32);
        JsonNode first = json.get("sends").get(0);
        assertThat(first.get("targetChannel").asText()).isEqualTo(topic);
        assertThat(first.get("payload").asText()).contains(fresh);
        assertThat(first.get("headers").findValuesAsText("value")).contains(fresh, json.get("replayId").asText());
        assertThat(json.get("result").isNull()).isTrue();
        assertThat(json.get("refusal").isNull()).isTrue();
        assertThat(records(topic)).isZero();
        assertThat(Files.readAllBytes(capture)).isEqualTo(before);
    }

    @Test
    void aProductionLabelledTargetIsRefusedWithExit3AndNothingIsSent() throws Exception {
        String topic = topic();
        CliRun run = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42", "--to-kafka",
                KAFKA.bootstrapServers(), "--target-env", "production", "--map", "orders=" + topic);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("labelled production").contains("nothing was sent");
        assertThat(run.out()).isEmpty();
        assertThat(records(topic)).isZero();
    }

    @Test
    void anUnlabelledTargetAndOneMatchingAProductionPatternAreRefused() throws Exception {
        String topic = topic();
        CliRun unlabelled = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42",
                "--to-kafka", KAFKA.bootstrapServers(), "--map", "orders=" + topic);
        assertThat(unlabelled.exitCode()).as(unlabelled.toString()).isEqualTo(3);
        assertThat(unlabelled.err()).contains("no environment label");
        String host = KAFKA.bootstrapServers().split(":")[0];
        CliRun pattern = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42",
                "--to-kafka", KAFKA.bootstrapServers(), "--target-env", "test", "--production-pattern",
                java.util.regex.Pattern.quote(host), "--map", "orders=" + topic);
        assertThat(pattern.exitCode()).as(pattern.toString()).isEqualTo(3);
        assertThat(pattern.err()).contains("production pattern").contains("bootstrap servers");
        assertThat(records(topic)).isZero();
    }

    @Test
    void aReplaySendsTheFlowLogsItAndComparesTheReplayedFlow() throws Exception {
        String topic = topic();
        Path copy = dir.resolve("copy-" + N.incrementAndGet() + ".mv.db");
        Files.copy(capture, copy);
        CliRun run = CliRun.of("replay", "--capture", copy.toString(), "--correlation-id", "c-42", "--to-kafka",
                KAFKA.bootstrapServers(), "--target-env", "test", "--map", "orders=" + topic, "--compare", "1s",
                "--compare-out", dir.resolve("compared-" + N.get()).toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("result").get("state").asText()).isEqualTo("COMPLETED");
        assertThat(json.get("result").get("sent").asInt()).isEqualTo(6);
        assertThat(json.get("target").get("clusterId").asText()).isNotBlank();
        assertThat(json.get("sends").findValuesAsText("outcome")).containsOnly("SENT");
        assertThat(json.get("comparison").get("outcome").asText()).isEqualTo("REPRODUCED");
        assertThat(json.get("comparison").get("replayEvents").asInt()).isEqualTo(6);
        assertThat(records(topic)).isEqualTo(6);
        try (CaptureStore store = CaptureStore.openReadOnly(copy)) {
            assertThat(store.replayLog().runs()).singleElement()
                    .satisfies(r -> assertThat(r.replayId()).isEqualTo(json.get("replayId").asText()))
                    .satisfies(r -> assertThat(r.state()).isEqualTo("COMPLETED"))
                    .satisfies(r -> assertThat(r.targetEnv()).isEqualTo("test"));
        }
    }

    @Test
    void aSendTheBrokerRefusesMidWayStopsTheRunWithExit3AndTheResumeSendsTheRestOnce() throws Exception {
        String topic = "replay-cli-small-" + N.incrementAndGet();
        KAFKA.createTopic(topic, 1, Map.of("max.message.bytes", "600"));
        Path big = dir.resolve("big-" + N.get() + ".mv.db");
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String pad = i == 2 ? "x".repeat(2000) : "";
            events.add(ReplayEvents.kafka(i + 1, "orders", 0, i, "k", i * 10L,
                    List.of(io.eventlens.core.model.Header.ofString("correlationId", "c-big")),
                    "{\"eventId\":\"e-" + i + "\",\"sequence\":" + (i + 1) + ",\"pad\":\"" + pad + "\"}"));
        }
        try (CaptureStore store = CaptureStore.open(big)) {
            store.append(events, List.of());
        }
        CliRun failed = CliRun.of("replay", "--capture", big.toString(), "--correlation-id", "c-big", "--to-kafka",
                KAFKA.bootstrapServers(), "--target-env", "test", "--map", "orders=" + topic);
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(3);
        JsonNode json = JSON.readTree(failed.out());
        String replayId = json.get("replayId").asText();
        assertThat(json.get("result").get("state").asText()).isEqualTo("FAILED");
        assertThat(json.get("sends").findValuesAsText("outcome")).containsExactly("SENT", "SENT", "FAILED", "NOT_SENT", "NOT_SENT");
        assertThat(failed.err()).contains("stopped after 2 of 5 sends").contains("--resume " + replayId);
        assertThat(records(topic)).isEqualTo(2);

        try (Admin admin = KAFKA.admin()) {
            var resource = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                    new org.apache.kafka.clients.admin.ConfigEntry("max.message.bytes", "100000"),
                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)))).all().get();
        }
        CliRun resumed = CliRun.of("replay", "--capture", big.toString(), "--resume", replayId, "--to-kafka",
                KAFKA.bootstrapServers(), "--target-env", "test");
        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(0);
        JsonNode result = JSON.readTree(resumed.out()).get("result");
        assertThat(result.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(result.get("alreadySent").asInt()).isEqualTo(2);
        assertThat(result.get("sent").asInt()).isEqualTo(3);
        assertThat(records(topic)).isEqualTo(5);

        CliRun elsewhere = CliRun.of("replay", "--capture", big.toString(), "--resume", replayId, "--to-kafka",
                "127.0.0.2:1", "--target-env", "test");
        assertThat(elsewhere.exitCode()).isEqualTo(3);
        assertThat(elsewhere.err()).contains("resume it against the same target");
    }

    @Test
    void badValuesAreUsageErrors() {
        CliRun speed = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42", "--to-kafka",
                KAFKA.bootstrapServers(), "--target-env", "local", "--speed", "500", "--dry-run");
        assertThat(speed.exitCode()).as(speed.toString()).isEqualTo(2);
        assertThat(speed.err()).contains("--speed").contains("0.1 to 100");
        CliRun both = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42", "--to-kafka",
                "x:1", "--to-amqp", "amqp://localhost", "--target-env", "local");
        assertThat(both.exitCode()).isEqualTo(2);
        CliRun env = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42", "--to-kafka",
                "x:1", "--target-env", "dev");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).contains("--target-env");
        CliRun map = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-42", "--to-kafka",
                "x:1", "--target-env", "local", "--map", "orders", "--dry-run");
        assertThat(map.exitCode()).isEqualTo(2);
    }
}
