package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.store.HostileStores;
import io.eventlens.core.store.HostileStores.Hostile;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code timeline --capture FILE} on a capture from someone else (issue 5): a genuine capture is
 * read without changing a byte; each file of the hostile corpus ({@link HostileStores}) exits 3
 * with a message naming the file and what was found, runs no payload and changes nothing.
 */
class TimelineUntrustedCaptureTest {

    @TempDir
    static Path dir;

    private static List<Hostile> corpus;

    @BeforeAll
    static void buildCorpus() {
        corpus = HostileStores.corpus(dir.resolve("corpus"));
    }

    static Stream<Hostile> corpus() {
        return corpus.stream();
    }

    @Test
    void timelineOnAGenuineCaptureLeavesItsBytesAndFolderUnchanged() {
        Path file = HostileStores.genuine(dir.resolve("genuine").resolve("run.mv.db"));
        String before = HostileStores.sha256(file);
        Set<String> folder = HostileStores.listing(file.getParent());

        CliRun run = CliRun.of("timeline", "--capture", file.toString(), "--correlation-id", "c-1", "--format", "json");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"correlationId\" : \"c-1\"").contains("\"eventId\" : \"e-9\"");
        assertThat(HostileStores.sha256(file)).as("SHA-256 after timeline").isEqualTo(before);
        assertThat(HostileStores.listing(file.getParent())).as("files beside the capture").isEqualTo(folder);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void timelineOnAHostileCaptureExits3NamingTheFileAndRunsAndChangesNothing(Hostile h) {
        String before = HostileStores.sha256(h.file());
        Set<String> folder = HostileStores.listing(h.file().getParent());

        CliRun run = CliRun.of("timeline", "--capture", h.file().toString(), "--correlation-id", "c-1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).as(run.toString())
                .startsWith("eventlens timeline: " + h.file() + ": ")
                .contains(h.expectedMessage());
        assertThat(run.out()).isEmpty();
        if (h.marker() != null) {
            assertThat(h.marker()).as("the payload's marker: the payload ran").doesNotExist();
        }
        assertThat(HostileStores.listing(h.file().getParent())).as("files beside " + h.file()).isEqualTo(folder);
        assertThat(HostileStores.sha256(h.file())).as("SHA-256 of " + h.file()).isEqualTo(before);
    }
}
