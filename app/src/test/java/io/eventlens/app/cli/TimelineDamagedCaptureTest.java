package io.eventlens.app.cli;

import static io.eventlens.core.testkit.TestEvents.event;
import static io.eventlens.core.testkit.TestEvents.events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.StoredBlocks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code timeline} on a capture with one damaged event block (issue 5): exit 0, the events of the
 * other blocks, a warning on stderr naming the file and the count, and {@code "damagedBlocks"} in
 * the JSON.
 */
class TimelineDamagedCaptureTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Three blocks of 1024 events; {@code c-span} has the first event of each (seq 1, 1025, 2049). */
    private Path capture(String name) {
        try (CaptureStore store = CaptureStore.open(dir.resolve(name))) {
            for (int b = 0; b < 3; b++) {
                List<CapturedEvent> block = new ArrayList<>();
                block.add(event("orders", 0, b * 1024L, "c-span", "e-span-" + b));
                block.addAll(events("orders", b * 1024L + 1, 1023));
                store.append(block, List.of());
            }
            return store.file();
        }
    }

    @Test
    void aDamagedBlockIsSkippedWithAWarningNamingTheFileAndCountedInTheJson() throws Exception {
        Path file = capture("damaged");
        byte[] genuine = StoredBlocks.read(file, 1025);
        StoredBlocks.replace(file, 1025, Arrays.copyOf(genuine, genuine.length - 7));

        CliRun run = CliRun.of("timeline", "--capture", file.toString(), "--correlation-id", "c-span", "--format", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode t = JSON.readTree(run.out());
        assertThat(t.get("damagedBlocks").asInt()).as(run.toString()).isEqualTo(1);
        assertThat(t.get("events")).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 2049L);
        assertThat(run.err()).as(run.toString())
                .contains("eventlens timeline: warning: 1 damaged block skipped in " + file
                        + "; the timeline may miss their events")
                .contains("damaged block 1025 (events 1025..2048) in " + file + ": ");
    }

    @Test
    void aGenuineCaptureReportsNoDamagedBlocksAndNoWarning() throws Exception {
        Path file = capture("genuine");

        CliRun run = CliRun.of("timeline", "--capture", file.toString(), "--correlation-id", "c-span", "--format", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode t = JSON.readTree(run.out());
        assertThat(t.get("damagedBlocks").asInt()).isZero();
        assertThat(t.get("events")).hasSize(3);
        assertThat(run.err()).doesNotContain("damaged");
    }

    @Test
    void aCorrelationIdWithMoreEventsThanMaxEventsShowsTheFirstOnesAndSaysHowManyThereAre() throws Exception {
        Path file = capture("hot");

        CliRun run = CliRun.of("timeline", "--capture", file.toString(), "--correlation-id", "c-span", "--format", "json",
                "--max-events", "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode t = JSON.readTree(run.out());
        assertThat(t.get("events")).extracting(e -> e.get("seq").asLong()).containsExactly(1L, 1025L);
        assertThat(t.get("storedEvents").asLong()).isEqualTo(3);
        assertThat(t.get("truncated").asBoolean()).isTrue();
        assertThat(run.err()).as(run.toString()).contains("eventlens timeline: warning: showing the first 2 of 3 events"
                + " with correlation ID 'c-span' in " + file + " (--max-events 2)");

        CliRun all = CliRun.of("timeline", "--capture", file.toString(), "--correlation-id", "c-span", "--format", "json");
        JsonNode whole = JSON.readTree(all.out());
        assertThat(whole.get("storedEvents").asLong()).isEqualTo(3);
        assertThat(whole.get("truncated").asBoolean()).isFalse();
        assertThat(all.err()).doesNotContain("showing the first");

        CliRun zero = CliRun.of("timeline", "--capture", file.toString(), "--correlation-id", "c-span", "--max-events", "0");
        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(2);
        assertThat(zero.err()).contains("--max-events: must be 1 or more, was 0");
    }

    @Test
    void theTextFormatWarnsOnStderrAndKeepsStdoutTheTimeline() throws Exception {
        Path file = capture("damaged-text");
        StoredBlocks.replace(file, 2049, new byte[] {9});

        CliRun run = CliRun.of("timeline", "--capture", file.toString(), "--correlation-id", "c-span", "--format", "text");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).doesNotContain("damaged");
        assertThat(run.err()).contains("1 damaged block skipped in " + file)
                .contains("damaged block 2049 (events 2049..3072) in " + file + ": format byte 9 is neither 1 (plain)"
                        + " nor 2 (LZ4)");
    }
}
