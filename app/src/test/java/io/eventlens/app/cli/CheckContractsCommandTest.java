package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.app.demo.DemoContracts;
import io.eventlens.core.contracts.Contracts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check-contracts}, {@code timeline --contracts} and {@code --fail-on CONTRACT_VIOLATION} on
 * a real demo capture: the saga's poison order breaks the demo contracts at {@code /total}, and its
 * dead letter's verdict says so first (docs/reference/contracts.md).
 */
class CheckContractsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private static Path capture;
    private static Path contracts;

    @BeforeAll
    static void captureTheDemo() {
        capture = dir.resolve("demo");
        contracts = dir.resolve("contracts");
        // the 18th flow is the first poison order (unparseable total), dead-lettered about 1.2 s after it starts
        CliRun run = CliRun.of("demo", "--duration", "10s", "--capture-out", capture.toString(),
                "--contracts-out", contracts.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(contracts.resolve("eventlens-contracts.yaml")).isRegularFile();
    }

    @Test
    void theDemoContractsLoad() throws Exception {
        Contracts c = Contracts.load(DemoContracts.writeTo(dir.resolve("again")));
        assertThat(c.contracts()).extracting(io.eventlens.core.contracts.Contract::type)
                .contains("OrderPlaced", "PaymentAuthorized", "PaymentCaptured", "InventoryReserved", "CustomerNotified");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void checkContractsFindsThePoisonOrderAndExitsOne() throws Exception {
        CliRun run = CliRun.of("check-contracts", "--capture", capture.toString(), "--contracts", contracts.toString(),
                "--format", "json");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode report = JSON.readTree(run.out());
        assertThat(report.path("passed").asBoolean()).isFalse();
        assertThat(report.path("summary").path("checked").asLong()).isGreaterThan(20);
        JsonNode orders = null;
        for (JsonNode g : report.path("groups")) {
            if (g.path("channel").asText().equals("orders") && g.path("type").asText().equals("OrderPlaced")) {
                orders = g;
            }
        }
        assertThat(orders).as(run.out()).isNotNull();
        assertThat(orders.path("failed").asLong()).isPositive();
        assertThat(orders.path("violations").get(0).path("pointer").asText()).isEqualTo("/total");
        assertThat(orders.path("violations").get(0).path("rule").asText()).isEqualTo("type");
        // every other group passed: the contracts describe the healthy saga
        for (JsonNode g : report.path("groups")) {
            if (g != orders) {
                assertThat(g.path("failed").asLong()).as(g.toString()).isZero();
            }
        }
        String poisonId = orders.path("failures").get(0).path("correlationId").asText();

        CliRun timeline = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", poisonId,
                "--contracts", contracts.toString(), "--format", "json", "--fail-on", "CONTRACT_VIOLATION");
        assertThat(timeline.exitCode()).as(timeline.toString()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode t = JSON.readTree(timeline.out());
        assertThat(t.path("verdict").path("kind").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(t.path("verdict").path("message").asText())
                .startsWith("dead-lettered because the payload broke checkout-saga/v1 at /total: expected number, got string");
        JsonNode original = t.path("events").get(0);
        assertThat(original.path("contract").path("passed").asBoolean()).isFalse();
        assertThat(original.path("contract").path("violations").get(0).path("found").asText()).matches("\"[0-9]+,[0-9]+\"");
        assertThat(original.path("deadLetteredAs")).isNotEmpty();

        CliRun text = CliRun.of("check-contracts", "--capture", capture.toString(), "--contracts", contracts.toString());
        assertThat(text.exitCode()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(text.out()).startsWith("FAILED: ").contains("orders OrderPlaced  [checkout-saga/v1]")
                .contains("/total: expected number, got string (type)");
    }

    @Test
    void brokenContractsAreAnInputErrorNamingTheFile() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("eventlens-contracts.yaml"), "contracts:\n  - {name: x, channel: orders, schema: gone.json}\n");
        CliRun run = CliRun.of("check-contracts", "--capture", capture.toString(), "--contracts", bad.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("eventlens-contracts.yaml: contracts[0] (x)").contains("gone.json");
        CliRun missing = CliRun.of("check-contracts", "--capture", capture.toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
