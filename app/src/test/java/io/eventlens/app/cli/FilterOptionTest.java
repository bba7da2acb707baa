package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --filter EXPR} on timeline, export and report: what is kept, and how a bad expression is refused. */
class FilterOptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CI_RUN = Path.of("../core/src/test/resources/artifacts/ci-run").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static Path capture;

    @BeforeAll
    static void store() {
        capture = dir.resolve("run.mv.db");
        try (CaptureStore store = CaptureStore.open(capture)) {
            List<CapturedEvent> events = new ArrayList<>(TestEvents.events("orders", 0, 10));
            events.add(TestEvents.event("payments", 1, 100, "c-0", "e-pay"));
            store.append(events, List.of());
        }
    }

    @Test
    void timelineShowsOnlyTheKeptEventsAndSaysSo() throws Exception {
        CliRun run = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-0", "--format", "json",
                "--no-learn", "--filter", "channel == 'payments' || offset >= 3");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        JsonNode root = JSON.readTree(run.out());
        List<String> ids = new ArrayList<>();
        root.path("events").forEach(e -> ids.add(e.path("eventId").asText()));
        assertThat(ids).containsExactlyInAnyOrder("e-3", "e-4", "e-pay");
        assertThat(root.path("filter").path("keptEvents").asInt()).isEqualTo(3);
        assertThat(root.path("filter").path("analysedEvents").asInt()).isEqualTo(6);
        assertThat(root.path("filter").path("expression").asText()).isEqualTo("channel == 'payments' || offset >= 3");

        CliRun text = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-0", "--format", "text",
                "--no-learn", "--filter", "verdict == 'HEALTHY' && anomalies.size() == 0 && eventId == 'e-1'");
        assertThat(text.exitCode()).as(text.toString()).isEqualTo(ExitCodes.OK);
        assertThat(text.out()).contains("e-1").doesNotContain("e-2").contains("Filter: verdict == 'HEALTHY'")
                .contains("(kept 1 of 6 events)");
    }

    @Test
    void aBadExpressionIsAUsageErrorWithACaretUnderTheError() {
        CliRun run = CliRun.of("timeline", "--capture", capture.toString(), "--correlation-id", "c-0",
                "--filter", "type == 'A' && offset >> 2");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("eventlens timeline: --filter: ").contains("(line 1, column 24)")
                .contains("\n  type == 'A' && offset >> 2\n                         ^")
                .doesNotContain("Usage:");

        CliRun outside = CliRun.of("export", "--capture", capture.toString(), "--filter", "exec('rm -rf /') == ''");
        assertThat(outside.exitCode()).as(outside.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(outside.err()).contains("there is no such function: exec");

        CliRun typeError = CliRun.of("report", CI_RUN.toString(), "--filter", "offset == 'x'");
        assertThat(typeError.exitCode()).as(typeError.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(typeError.err()).contains("no matching overload");
    }

    @Test
    void exportWritesOnlyTheKeptEvents() throws Exception {
        Path out = dir.resolve("c-1.ndjson");
        CliRun run = CliRun.of("export", "--capture", capture.toString(), "--out", out.toString(),
                "--filter", "correlationId == 'c-1' && payload.sequence != 7");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OK);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(4);
        assertThat(lines).extracting(l -> JSON.readTree(l).path("position").path("messageCoordinates").asText())
                .containsExactly("0@5", "0@6", "0@8", "0@9");
        assertThat(run.err()).contains("4 events");

        CliRun analysed = CliRun.of("export", "--capture", capture.toString(), "--filter", "'LAG' in anomalies");
        assertThat(analysed.exitCode()).as(analysed.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(analysed.err()).contains("export does not analyse flows");
    }

    @Test
    void reportKeepsTheFilteredEventsPerTimelineAndTheWholeFlowsVerdict() throws Exception {
        assumeThat(CI_RUN).isDirectory();
        CliRun all = CliRun.of("report", CI_RUN.toString(), "--format", "json", "--quiet");
        CliRun none = CliRun.of("report", CI_RUN.toString(), "--format", "json", "--quiet",
                "--filter", "channel == \"no such channel\"");
        assertThat(none.exitCode()).as(none.toString()).isEqualTo(all.exitCode());
        int allEvents = 0;
        for (JsonNode t : JSON.readTree(all.out()).path("failedTests")) {
            for (JsonNode c : t.path("correlationIds")) {
                allEvents += c.path("events").asInt();
            }
        }
        assertThat(allEvents).isPositive();
        List<String> verdictsAll = new ArrayList<>();
        List<String> verdictsNone = new ArrayList<>();
        JSON.readTree(all.out()).path("failedTests").forEach(t -> verdictsAll.add(t.path("verdict").asText()));
        for (JsonNode t : JSON.readTree(none.out()).path("failedTests")) {
            verdictsNone.add(t.path("verdict").asText());
            for (JsonNode c : t.path("correlationIds")) {
                assertThat(c.path("events").asInt()).isZero();
            }
        }
        assertThat(verdictsNone).isEqualTo(verdictsAll);
    }
}
