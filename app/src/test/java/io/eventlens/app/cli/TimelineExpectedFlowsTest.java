package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code timeline} with expected flows (issue 9): the learned family makes a stopped flow STOPPED
 * and a skipped step MISSING_STEP, {@code --fail-on STOPPED,MISSING_STEP} fires, {@code --flows FILE}
 * declares a family, a bad flow file is exit 3 naming the line, and {@code --no-learn} turns it off.
 */
class TimelineExpectedFlowsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

    @TempDir
    static Path dir;

    private static Path capture;
    private static long seq;

    private static void add(List<CapturedEvent> out, String id, String type, String channel, long ms) {
        seq++;
        DerivedFields d = new DerivedFields(new Derived<>(id, "header correlationId"),
                new Derived<>(id + "-" + seq, "header eventId"), new Derived<>(type, "json /type"), null, null, null);
        Instant at = T0.plusMillis(ms);
        out.add(new CapturedEvent(0, Channel.kafkaTopic(channel), new SourcePosition.Kafka(0, seq, TimestampType.CREATE_TIME),
                at, at, null, List.of(), ("{\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8), d));
    }

    @BeforeAll
    static void writeCapture() {
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long t = i * 1000L;
            add(events, "ok-" + i, "OrderPlaced", "orders", t);
            add(events, "ok-" + i, "PaymentAuthorized", "payments", t + 100 + i);
            add(events, "ok-" + i, "InventoryReserved", "inventory", t + 200 + i);
        }
        add(events, "stopped", "OrderPlaced", "orders", 30_000);
        add(events, "stopped", "PaymentAuthorized", "payments", 30_100);
        add(events, "skipped", "OrderPlaced", "orders", 31_000);
        add(events, "skipped", "InventoryReserved", "inventory", 31_200);
        add(events, "tail", "Other", "other", 40_000);
        capture = dir.resolve("flows.mv.db");
        try (CaptureStore store = CaptureStore.open(capture)) {
            store.append(events, List.of());
        }
    }

    private static CliRun timeline(String id, String... more) {
        List<String> args = new ArrayList<>(List.of("timeline", "--capture", capture.toString(), "--correlation-id", id));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void aStoppedFlowIsStoppedInJsonWithItsExpectedStepAndFailOnFires() throws Exception {
        CliRun run = timeline("stopped", "--format", "json", "--fail-on", "STOPPED,MISSING_STEP");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode root = JSON.readTree(run.out());
        assertThat(root.path("verdict").path("kind").asText()).isEqualTo("STOPPED");
        assertThat(root.path("verdict").path("message").asText()).startsWith("stopped: after PaymentAuthorized on payments,"
                + " InventoryReserved on inventory follows in 20 of 21 flows within ").endsWith("; none came in 9.9 s");
        JsonNode x = root.path("expectedSteps").get(0);
        assertThat(x.path("kind").asText()).isEqualTo("STOPPED");
        assertThat(x.path("type").asText()).isEqualTo("InventoryReserved");
        assertThat(x.path("evidence").path("waitedMs").asLong()).isEqualTo(9_900);
        assertThat(root.path("expectedFlow").path("source").asText()).isEqualTo("learned");
        assertThat(root.path("expectedFlow").path("flowsLearnedFrom").asInt()).isEqualTo(22);
        assertThat(run.err()).contains("--fail-on matched [STOPPED]");
    }

    @Test
    void aSkippedStepIsMissingAndTextShowsTheExpectedStep() {
        CliRun run = timeline("skipped", "--format", "text", "--fail-on", "MISSING_STEP");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.out()).startsWith("VERDICT MISSING_STEP: missing step: PaymentAuthorized on payments came before"
                + " InventoryReserved on inventory in 20 of 21 flows of the family; this flow skipped it");
        assertThat(run.out()).contains("o MISSING_STEP PaymentAuthorized on payments: ")
                .contains("Expected flow: learned family OrderPlaced on orders (22 flows)");
    }

    @Test
    void healthyFlowsStayHealthyAndNoLearnTurnsItOff() throws Exception {
        CliRun ok = timeline("ok-3", "--format", "json", "--fail-on", "STOPPED,MISSING_STEP");
        assertThat(ok.exitCode()).as(ok.toString()).isEqualTo(ExitCodes.OK);
        assertThat(JSON.readTree(ok.out()).path("verdict").path("kind").asText()).isEqualTo("HEALTHY");
        CliRun off = timeline("stopped", "--format", "json", "--no-learn", "--fail-on", "STOPPED");
        assertThat(off.exitCode()).as(off.toString()).isEqualTo(ExitCodes.OK);
        JsonNode root = JSON.readTree(off.out());
        assertThat(root.path("verdict").path("kind").asText()).isEqualTo("HEALTHY");
        assertThat(root.has("expectedFlow")).isFalse();
    }

    @Test
    void aDeclaredFlowFileBeatsTheLearnedFamily() throws Exception {
        Path flows = dir.resolve("checkout.flows.yaml");
        Files.writeString(flows, """
                flows:
                  - name: checkout
                    steps:
                      - {type: OrderPlaced, channel: orders}
                      - {type: PaymentAuthorized, channel: payments, optional: true}
                      - {type: InventoryReserved, channel: inventory, terminal: true, timeout: 1m}
                """);
        CliRun skipped = timeline("skipped", "--format", "json", "--flows", flows.toString(), "--fail-on", "MISSING_STEP");
        assertThat(skipped.exitCode()).as(skipped.toString()).isEqualTo(ExitCodes.OK);
        CliRun stopped = timeline("stopped", "--format", "json", "--flows", flows.toString());
        JsonNode root = JSON.readTree(stopped.out());
        assertThat(root.path("verdict").path("kind").asText()).isEqualTo("IN_FLIGHT");
        assertThat(root.path("verdict").path("message").asText()).contains("declared next by checkout (checkout.flows.yaml line 6)"
                + " within 1 min 0 s (declared timeout)");
        assertThat(root.path("expectedFlow").path("source").asText()).isEqualTo("declared");
    }

    @Test
    void aSmallCaptureLearnsFromAnotherCaptureOfTheSameSystem() throws Exception {
        List<CapturedEvent> events = new ArrayList<>();
        add(events, "small-ok", "OrderPlaced", "orders", 0);
        add(events, "small-ok", "PaymentAuthorized", "payments", 100);
        add(events, "small-ok", "InventoryReserved", "inventory", 200);
        add(events, "small-stopped", "OrderPlaced", "orders", 1_000);
        add(events, "small-stopped", "PaymentAuthorized", "payments", 1_100);
        add(events, "small-tail", "Other", "other", 20_000);
        Path small = dir.resolve("small.mv.db");
        try (CaptureStore store = CaptureStore.open(small)) {
            store.append(events, List.of());
        }
        CliRun alone = CliRun.of("timeline", "--capture", small.toString(), "--correlation-id", "small-stopped",
                "--format", "json");
        JsonNode aloneRoot = JSON.readTree(alone.out());
        assertThat(aloneRoot.path("verdict").path("kind").asText()).isEqualTo("HEALTHY");
        assertThat(aloneRoot.path("expectedFlow").path("note").asText())
                .isEqualTo("family OrderPlaced on orders: 2 flows to learn from, 5 needed; nothing inferred");
        CliRun withOther = CliRun.of("timeline", "--capture", small.toString(), "--correlation-id", "small-stopped",
                "--format", "json", "--learn-from", capture.toString(), "--fail-on", "STOPPED");
        assertThat(withOther.exitCode()).as(withOther.toString()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode root = JSON.readTree(withOther.out());
        assertThat(root.path("verdict").path("message").asText()).contains("follows in 21 of 23 flows")
                .endsWith("none came in 18.9 s");
        CliRun missing = CliRun.of("timeline", "--capture", small.toString(), "--correlation-id", "small-stopped",
                "--learn-from", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(missing.err()).contains("--learn-from: capture file not found or not readable: ").contains("nope.mv.db");
    }

    @Test
    void aBadFlowFileIsAnInputErrorNamingTheLineAndABadFlowAWarning() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "flows:\n  - name: x\n    steps: [\n");
        CliRun run = timeline("stopped", "--flows", broken.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("--flows: broken.yaml:");
        Path half = dir.resolve("half.yaml");
        Files.writeString(half, "flows:\n  - name: a\n    steps:\n      - {type: A, channel: a, timeout: soon}\n");
        CliRun warn = timeline("stopped", "--flows", half.toString());
        assertThat(warn.exitCode()).as(warn.toString()).isEqualTo(ExitCodes.OK);
        assertThat(warn.err()).contains("warning: --flows: half.yaml:4: flows[0].steps[0].timeout: 'soon' is not a duration");
    }
}
