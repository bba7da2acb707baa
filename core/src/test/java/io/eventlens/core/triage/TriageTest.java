package io.eventlens.core.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.artifact.ArtifactSource;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.store.CaptureStore;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The corpus CI run (src/test/resources/artifacts/ci-run): each failed test maps to a known verdict. */
class TriageTest {

    @TempDir
    Path dir;
    CaptureStore store;
    TriageReport report;

    @BeforeEach
    void triage() throws URISyntaxException {
        store = CaptureStore.open(dir.resolve("run"));
        Path run = Path.of(TriageTest.class.getResource("/artifacts/ci-run").toURI());
        ArtifactSource source = new ArtifactSource(List.of(run));
        new CapturePipeline(source, store, EventExtractor.withDefaults(), CaptureLimits.NONE).run(null);
        report = new Triage(store, AnalysisSettings.defaults(), Triage.DEFAULT_ID_PATTERN)
                .triage(List.of(run.toString()), source.failedTests(), source.testCount(), source.problemCount(), source.problems());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private TestTriage test(String displayName) {
        return report.failed().stream().filter(t -> t.test().displayName().equals(displayName)).findFirst().orElseThrow(
                () -> new AssertionError("no failed test " + displayName + " in " + report.failed()));
    }

    @Test
    void eachFailedTestGetsTheVerdictOfItsFlow() {
        Map<String, String> headlines = report.failed().stream()
                .collect(Collectors.toMap(t -> t.test().displayName(), TestTriage::headline));
        assertThat(headlines).containsExactlyInAnyOrderEntriesOf(Map.of(
                "com.acme.OrderSagaIT.placesOrder", "DEAD_LETTERED",
                "com.acme.OrderSagaIT.refundsOrder", TestTriage.NO_CORRELATION_ID,
                "checkout.spec.ts.checkout › shows confirmation", "LAG",
                "checkout.spec.ts.checkout › shows receipt", "NO_EVENTS",
                "cart adds item.cart adds item", "HEALTHY",
                "com.acme.InventoryTest.reservesStock", "HEALTHY"));
    }

    @Test
    void testsAreOrderedByTheVerdictTableWithoutCorrelationIdLast() {
        assertThat(report.failed()).extracting(TestTriage::headline).containsExactly(
                "NO_EVENTS", "DEAD_LETTERED", "LAG", "HEALTHY", "HEALTHY", TestTriage.NO_CORRELATION_ID);
    }

    @Test
    void aUuidInTheTestOutputAndAnIdTheCaptureKnowsAreBothFound() {
        TestTriage saga = test("com.acme.OrderSagaIT.placesOrder");
        assertThat(saga.match()).isEqualTo(TestTriage.Match.NAMED);
        assertThat(saga.timelines()).extracting(tl -> tl.correlationId()).containsExactly("6f1c2d3e-1111-4222-8333-444455556666");
        assertThat(saga.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(saga.hint()).contains("payments.DLT");
        TestTriage checkout = test("checkout.spec.ts.checkout › shows confirmation");
        assertThat(checkout.timelines()).extracting(tl -> tl.correlationId()).containsExactly("c-42");
        assertThat(checkout.timeout()).isEqualTo(Duration.ofMillis(5000));
        assertThat(checkout.hint()).contains("took 7 s").endsWith("; the test waited 5 s");
    }

    @Test
    void healthyEventsBehindAFailedTestPointAtTheTestOrTheUi() {
        assertThat(test("cart adds item.cart adds item").hint()).contains("look at the test or the UI");
    }

    @Test
    void aTestThatNamesNoIdIsMatchedByItsTimeWindowAndTheReportSaysSo() {
        TestTriage inventory = test("com.acme.InventoryTest.reservesStock");
        assertThat(inventory.match()).isEqualTo(TestTriage.Match.TIME_WINDOW);
        assertThat(inventory.timelines()).extracting(tl -> tl.correlationId()).containsExactly("c-99");
        assertThat(inventory.hint()).contains("time window");
        TestTriage refund = test("com.acme.OrderSagaIT.refundsOrder");
        assertThat(refund.match()).isEqualTo(TestTriage.Match.NONE);
        assertThat(refund.hint()).contains("gives no time window");
    }

    @Test
    void coverageComparesTheCaptureWithTheRunsTimeWindow() {
        assertThat(report.runStart()).isNotNull();
        assertThat(report.coverage()).isBetween(0.0, 1.0);
        assertThat(report.events()).isEqualTo(9);
        assertThat(report.problemCount()).isEqualTo(1);
    }

    @Test
    void timeoutsAreReadFromAwaitilityPlaywrightAndTimedOutMessages() {
        assertThat(Triage.timeout("Condition was not fulfilled within 10 seconds.")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Triage.timeout("not fulfilled within 500 milliseconds")).isEqualTo(Duration.ofMillis(500));
        assertThat(Triage.timeout("within 2 minutes")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Triage.timeout("Error: Timeout 5000ms exceeded.")).isEqualTo(Duration.ofMillis(5000));
        assertThat(Triage.timeout("timed out after 3 s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Triage.timeout("expected 3 but was 2")).isNull();
    }

    @Test
    void theJsonValidatesAgainstTheDocumentedSchema() throws Exception {
        Path schemaFile = Path.of("..", "docs", "schemas", "triage-report.schema.json");
        assertThat(schemaFile).as("the documented schema, relative to the core module").isRegularFile();
        com.networknt.schema.Schema schema = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(java.nio.file.Files.readString(schemaFile));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(TriageJson.write(report));
        assertThat(schema.validate(json, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true))))
                .as("schema errors of %s", json).isEmpty();
    }

    @Test
    void outputsNameTheFailedTestsAndVerdicts() {
        String md = TriageMarkdown.render(report);
        assertThat(md).contains("## EventLens triage: 6 failed tests of 9")
                .contains("| com.acme.OrderSagaIT.placesOrder | `DEAD_LETTERED` |")
                .contains("cart-probe.ndjson:3");
        String json = TriageJson.write(report);
        assertThat(json).contains("\"schemaVersion\" : 1").contains("\"verdict\" : \"LAG\"");
        String junit = TriageJunit.render(report, java.util.Set.of("DEAD_LETTERED"));
        assertThat(junit).contains("tests=\"6\" failures=\"1\"").contains("<failure type=\"DEAD_LETTERED\"");
    }
}
