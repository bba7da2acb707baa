package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.store.HostileStores.Hostile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5's hostile corpus ({@link HostileStores}): opening any of these files, for reading or
 * for writing, is refused with a message that names the file and says what was found; no payload
 * runs (no marker file), no file appears beside it and its bytes stay the same.
 */
class HostileCaptureFilesTest {

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

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void openReadOnlyRefusesItNamingTheFileAndRunsAndChangesNothing(Hostile h) {
        assertRefusedUntouched(h, CaptureStore::openReadOnly);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void openForWritingRefusesItTooBeforeAnyMigration(Hostile h) {
        assertRefusedUntouched(h, CaptureStore::open);
    }

    private static void assertRefusedUntouched(Hostile h, Function<Path, CaptureStore> opener) {
        String before = HostileStores.sha256(h.file());
        Set<String> folder = HostileStores.listing(h.file().getParent());

        assertThatThrownBy(() -> opener.apply(h.file()).close())
                .isExactlyInstanceOf(CaptureStoreException.class)
                .hasMessageStartingWith(h.file().toString() + ": ")
                .hasMessageContaining(h.expectedMessage());

        if (h.marker() != null) {
            assertThat(h.marker()).as("the payload's marker: the payload ran").doesNotExist();
        }
        assertThat(HostileStores.listing(h.file().getParent())).as("files beside " + h.file()).isEqualTo(folder);
        assertThat(HostileStores.sha256(h.file())).as("SHA-256 of " + h.file()).isEqualTo(before);
    }

    /**
     * The control: the same files opened with plain H2 JDBC (as EventLens did before) run their
     * payloads, so the marker checks above would see a payload that ran.
     */
    @Test
    void thePayloadsRunWhenH2OpensTheFilesDirectly() throws IOException {
        List<String> silent = new ArrayList<>();
        try {
            for (Hostile h : corpus) {
                if (h.marker() == null) {
                    continue;
                }
                Path copyDir = Files.createDirectories(dir.resolve("control").resolve(h.name()));
                Path copy = copyDir.resolve(h.file().getFileName());
                Files.copy(h.file(), copy);
                Path marker = h.name().equals("url-settings") ? copyDir.resolve(h.marker().getFileName()) : h.marker();

                HostileStores.openWithPlainH2(copy, h.password());

                if (!Files.exists(marker)) {
                    silent.add(h.name());
                }
                Files.deleteIfExists(marker);
            }
        } finally {
            try (Stream<Path> markers = Files.list(dir.resolve("corpus").resolve("markers"))) {
                for (Path m : markers.toList()) {
                    Files.deleteIfExists(m);
                }
            }
        }
        assertThat(silent).as("cases whose payload did not run when H2 opened them directly").isEmpty();
    }
}
