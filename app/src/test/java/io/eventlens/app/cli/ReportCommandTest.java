package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * End to end through the CLI: the core corpus's CI run (core/src/test/resources/artifacts/ci-run),
 * as a folder and as a zip, through {@code import} and {@code report --format md|json|junit}.
 */
class ReportCommandTest {

    private static final Path CI_RUN = Path.of("../core/src/test/resources/artifacts/ci-run").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void importLoadsACiRunAndNamesTheDamagedLine() {
        assumeThat(CI_RUN).isDirectory();
        CliRun run = CliRun.of("import", CI_RUN.toString(), "--out", dir.resolve("run").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("dumps/probe/cart-probe.ndjson:3: not a JSON object")
                .contains("kcat -J records").contains("probe events: id, type, correlationId, createdAt, payload")
                .contains("now holds 9 events");
        assertThat(dir.resolve("run.mv.db")).exists();
    }

    @Test
    void reportAsMarkdownNamesEachFailedTestAndItsVerdict() {
        assumeThat(CI_RUN).isDirectory();
        CliRun run = CliRun.of("report", CI_RUN.toString(), "--format", "md", "--quiet");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("## EventLens triage: 6 failed tests of 9")
                .contains("| com.acme.OrderSagaIT.placesOrder | `DEAD_LETTERED` |")
                .contains("| checkout.spec.ts.checkout › shows confirmation | `LAG` |")
                .contains("| cart adds item.cart adds item | `HEALTHY` |");
    }

    @Test
    void reportWithContractsCarriesTheViolationsAndFailsOnThem() throws Exception {
        assumeThat(CI_RUN).isDirectory();
        Path contracts = java.nio.file.Files.createDirectories(dir.resolve("contracts"));
        java.nio.file.Files.writeString(contracts.resolve("payment-requested.json"), """
                {"title": "PaymentRequested", "type": "object", "required": ["amountCents"],
                 "properties": {"amount": {"type": "number"}, "amountCents": {"type": "integer"}}}""");
        CliRun json = CliRun.of("report", CI_RUN.toString(), "--format", "json", "--quiet", "--contracts", contracts.toString(),
                "--fail-on", "CONTRACT_VIOLATION");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(json.err()).contains("--fail-on matched");
        JsonNode saga = null;
        for (JsonNode t : JSON.readTree(json.out()).path("failedTests")) {
            if (t.path("name").asText().equals("placesOrder")) {
                saga = t.path("correlationIds").get(0);
            }
        }
        assertThat(saga).as(json.out()).isNotNull();
        assertThat(saga.path("verdict").path("message").asText())
                .startsWith("dead-lettered because the payload broke payment-requested at /amount: expected number, got string;"
                        + " /amountCents: required property missing; dead-lettered on payments.DLT");
        assertThat(saga.path("anomalies").path("CONTRACT_VIOLATION").asInt()).isEqualTo(2);
        assertThat(saga.path("contractViolations")).hasSize(2);
        JsonNode first = saga.path("contractViolations").get(0);
        assertThat(first.path("channel").asText()).isEqualTo("payments");
        assertThat(first.path("violations").findValuesAsText("pointer")).containsExactlyInAnyOrder("/amountCents", "/amount");

        CliRun md = CliRun.of("report", CI_RUN.toString(), "--format", "md", "--quiet", "--contracts", contracts.toString());
        assertThat(md.exitCode()).as(md.toString()).isEqualTo(ExitCodes.OK);
        assertThat(md.out()).contains("    - contract: #").contains("PaymentRequested on payments violates payment-requested at /amount: expected number");

        CliRun broken = CliRun.of("report", CI_RUN.toString(), "--quiet", "--contracts", dir.resolve("nope").toString());
        assertThat(broken.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(broken.err()).contains("nope").contains("no such file or folder");
    }

    @Test
    void reportAsJsonFromAZipWithFailOnExitsOne() throws IOException {
        assumeThat(CI_RUN).isDirectory();
        Path zip = zip(CI_RUN, dir.resolve("ci-run.zip"));
        CliRun run = CliRun.of("report", zip.toString(), "--format", "json", "--fail-on", "dead_lettered,NO_EVENTS");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(run.err()).contains("--fail-on matched 2 failed tests");
        JsonNode root = JSON.readTree(run.out());
        assertThat(root.get("schemaVersion").asInt()).isEqualTo(1);
        Map<String, String> verdicts = new HashMap<>();
        root.get("failedTests").forEach(t -> verdicts.put(t.get("name").asText(), t.get("verdict").asText()));
        assertThat(verdicts).containsEntry("placesOrder", "DEAD_LETTERED").containsEntry("checkout › shows receipt", "NO_EVENTS")
                .containsEntry("reservesStock", "HEALTHY").containsEntry("refundsOrder", "NO_CORRELATION_ID");
        assertThat(root.get("problems").get(0).get("file").asText()).endsWith("cart-probe.ndjson");
    }

    @Test
    void reportAsJunitLetsACiServerShowTheVerdicts() throws Exception {
        assumeThat(CI_RUN).isDirectory();
        CliRun run = CliRun.of("report", CI_RUN.toString(), "--format", "junit", "--fail-on", "DEAD_LETTERED,LAG", "--quiet");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.FINDINGS);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(run.out())));
        Element suite = doc.getDocumentElement();
        assertThat(suite.getAttribute("tests")).isEqualTo("6");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        NodeList failures = doc.getElementsByTagName("failure");
        assertThat(((Element) failures.item(0)).getAttribute("type")).isIn("DEAD_LETTERED", "LAG");
    }

    @Test
    void reportWithoutJunitReportsIsAnInputError() {
        assumeThat(CI_RUN).isDirectory();
        CliRun run = CliRun.of("report", CI_RUN.resolve("dumps").toString(), "--quiet");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("no JUnit XML report found");
    }

    @Test
    void exportThenImportGivesTheSameTimelines() throws Exception {
        assumeThat(CI_RUN).isDirectory();
        Path first = dir.resolve("first");
        assertThat(CliRun.of("import", CI_RUN.toString(), "--out", first.toString(), "--quiet").exitCode()).isEqualTo(ExitCodes.INPUT);
        CliRun export = CliRun.of("export", "--capture", first.toString());
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.out().lines()).hasSize(9).allSatisfy(l -> assertThat(l).startsWith("{\"eventlensExport\":1,"));
        Path ndjson = dir.resolve("run.ndjson");
        CliRun toFile = CliRun.of("export", "--capture", first.toString(), "--out", ndjson.toString());
        assertThat(toFile.exitCode()).as(toFile.toString()).isZero();
        assertThat(Files.readString(ndjson)).isEqualTo(export.out());
        Path second = dir.resolve("second");
        CliRun back = CliRun.of("import", ndjson.toString(), "--out", second.toString());
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(back.err()).contains("EventLens export").contains("now holds 9 events");
        for (String id : new String[] {"c-42", "6f1c2d3e-1111-4222-8333-444455556666"}) {
            CliRun a = CliRun.of("timeline", "--capture", first.toString(), "--correlation-id", id, "--format", "json");
            CliRun b = CliRun.of("timeline", "--capture", second.toString(), "--correlation-id", id, "--format", "json");
            assertThat(b.out()).as("timeline of %s after export and import", id).isEqualTo(a.out());
        }
    }

    @Test
    void unknownFailOnKindAndMissingSourceAreNamed() {
        CliRun usage = CliRun.of("report", dir.toString(), "--fail-on", "NOPE");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("'NOPE' is not a verdict kind");
        CliRun missing = CliRun.of("import", dir.resolve("nope.zip").toString(), "--out", dir.resolve("x").toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(missing.err()).contains("artifact not found: ").contains("nope.zip");
    }

    private static Path zip(Path folder, Path zip) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             var files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry(folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void reportOnACaptureThatFollowedConsumerGroupsSaysWhichGroupNeverReadTheFlow() throws IOException {
        // a capture whose follower saw "audit" commit offset 3 of orders/0 and then lose its members:
        // c-0 (offsets 0..4) has two events audit never read, c-1 (5..9) too, as the timeline command says
        Path capture = dir.resolve("capture.mv.db");
        long t0 = io.eventlens.core.testkit.TestEvents.T0.toEpochMilli();
        try (io.eventlens.core.store.CaptureStore store = io.eventlens.core.store.CaptureStore.open(capture)) {
            store.append(io.eventlens.core.testkit.TestEvents.events("orders", 0, 10), java.util.List.of());
            store.appendConsumerProgress(
                    java.util.List.of(new io.eventlens.core.consumers.ConsumerCommit("audit", "orders", 0, 3, t0 + 5, t0 + 5,
                            io.eventlens.core.consumers.TimePrecision.EXACT)),
                    java.util.List.of(new io.eventlens.core.consumers.GroupPoll("audit", t0 + 20, "Empty", 0, "", 7, null)),
                    java.util.List.of(new io.eventlens.core.consumers.PartitionEnd("audit", "orders", 0, 3, 10, t0 + 20)));
        }
        Path reports = Files.createDirectories(dir.resolve("ci/reports"));
        Files.writeString(reports.resolve("TEST-com.acme.AuditIT.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="com.acme.AuditIT" tests="1" failures="1" errors="0" time="1.0">
                  <testcase name="auditsOrder" classname="com.acme.AuditIT" time="1.0">
                    <failure message="audit entry missing" type="AssertionError">audit entry missing for correlationId=c-0</failure>
                  </testcase>
                </testsuite>
                """);
        CliRun run = CliRun.of("report", dir.resolve("ci").toString(), "--capture", capture.toString(),
                "--id-pattern", "c-[0-9]+", "--format", "md", "--quiet");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).as(run.toString()).contains("| com.acme.AuditIT.auditsOrder | `STOPPED` |")
                .contains("audit never committed past");
    }
}
