package io.eventlens.core.store;

import static io.eventlens.core.testkit.TestEvents.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.testkit.AppendInChildProcess;
import io.eventlens.core.testkit.ReadInChildProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CaptureStore#openReadOnly}: reads every event, never changes the file's bytes, creates no
 * file, and refuses writes; and {@link CaptureStore#close()} of a writable store leaves the index
 * complete, so reads need no index writes.
 */
class ReadOnlyCaptureStoreTest {


    @TempDir
    Path dir;

    private Path storeWith(Path file, int events) {
        try (CaptureStore s = CaptureStore.open(file)) {
            s.append(events("orders", 0, events), List.of(new StreamPosition("cluster", "orders/0", Long.toString(events))));
            return s.file();
        }
    }

    @Test
    void readingAStoreReadOnlyLeavesItsBytesAndItsFolderUnchanged() {
        Path file = storeWith(dir.resolve("run.mv.db"), 3000);
        String before = HostileStores.sha256(file);
        Set<String> folder = HostileStores.listing(dir);
        Path copies = dir.resolveSibling(dir.getFileName() + "-copies");

        try (CaptureStore s = CaptureStore.openReadOnly(file)) {
            assertThat(s.isReadOnly()).isTrue();
            assertThat(s.eventCount()).isEqualTo(3000);
            assertThat(s.findByCorrelationId("c-7")).hasSize(5);
            assertThat(s.findByEventId("e-2999")).hasSize(1);
            assertThat(s.page(1000, 100)).hasSize(100);
            assertThat(s.event(3000)).isNotNull();
            assertThat(s.correlationIds("c-1", 3)).containsExactly("c-1", "c-10", "c-100");
            assertThat(s.positions("cluster")).containsExactly(new StreamPosition("cluster", "orders/0", "3000"));
            s.copyTo(copies.resolve("saved.mv.db"));
        }

        assertThat(HostileStores.sha256(file)).as("SHA-256 after reading").isEqualTo(before);
        assertThat(HostileStores.listing(dir)).as("files beside the store").isEqualTo(folder);
        try (CaptureStore saved = CaptureStore.openReadOnly(copies.resolve("saved.mv.db"))) {
            assertThat(saved.eventCount()).isEqualTo(3000);
        }
    }

    @Test
    void aReadOnlyStoreRefusesAppendsNamingTheFile() {
        Path file = storeWith(dir.resolve("run.mv.db"), 10);
        String before = HostileStores.sha256(file);

        try (CaptureStore s = CaptureStore.openReadOnly(file)) {
            assertThatThrownBy(() -> s.append(events("orders", 10, 5), List.of(new StreamPosition("cluster", "orders/0", Long.toString(15L)))))
                    .isInstanceOf(CaptureStoreException.class)
                    .hasMessageStartingWith(file.toString())
                    .hasMessageContaining("read-only");
            assertThat(s.eventCount()).isEqualTo(10);
        }
        assertThat(HostileStores.sha256(file)).isEqualTo(before);
    }

    @Test
    void openReadOnlyRefusesAMissingFileAndCreatesNothing() {
        Path missing = dir.resolve("sub").resolve("nothing-here");

        assertThatThrownBy(() -> CaptureStore.openReadOnly(missing))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(missing.toAbsolutePath() + ".mv.db")
                .hasMessageContaining("not found");
        assertThat(dir.resolve("sub")).doesNotExist();
    }

    @Test
    void anEmptyFileIsRefusedForWritingToo() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.mv.db"));

        assertThatThrownBy(() -> CaptureStore.open(empty))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("not an EventLens capture store");
        assertThat(empty).isEmptyFile();
    }

    @Test
    void aStoreInAReadOnlyFileAndFolderReadsFine() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("ro"));
        Path file = storeWith(folder.resolve("run.mv.db"), 100);
        String before = HostileStores.sha256(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            try (CaptureStore s = CaptureStore.openReadOnly(file)) {
                assertThat(s.findByCorrelationId("c-3")).hasSize(5);
            }
            // tests may run as root, whom permissions do not stop: check that nothing was written
            assertThat(HostileStores.sha256(file)).isEqualTo(before);
            assertThat(HostileStores.listing(folder)).containsExactly("run.mv.db");
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /**
     * Where tests run as root, whom file permissions do not stop, the read-only folder is read by a
     * child JVM running as {@code nobody}, for whom writing there is impossible.
     */
    @Test
    void aStoreInAReadOnlyFolderReadsFineForAUserWhoCannotWriteThere() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "runs as root with setpriv (as another user, aStoreInAReadOnlyFileAndFolderReadsFine is this test)");
        Path shared = Files.createTempDirectory("eventlens-ro");
        try {
            Path folder = Files.createDirectories(shared.resolve("ro"));
            Path file = storeWith(folder.resolve("run.mv.db"), 100);
            String before = HostileStores.sha256(file);
            List<String> classpath = new java.util.ArrayList<>();
            Path libs = Files.createDirectories(shared.resolve("lib"));
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path p = Path.of(entry);
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) {
                    Path copy = libs.resolve(p.getParent().getParent().getFileName() + "-" + name);
                    try (var walk = Files.walk(p)) {
                        for (Path f : walk.toList()) {
                            Files.copy(f, copy.resolve(p.relativize(f).toString()));
                        }
                    }
                    classpath.add(copy.toString());
                } else if (name.matches("(h2|flyway-core|slf4j-api|lz4-java|jackson-.*)-[0-9].*\\.jar")) {
                    classpath.add(Files.copy(p, libs.resolve(name)).toString());
                }
            }
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
            try (var walk = Files.walk(shared)) {
                for (Path p : walk.toList()) {
                    if (Files.isDirectory(p)) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-xr-xr-x"));
                    } else if (!p.equals(file)) {
                        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r--r--r--"));
                    }
                }
            }
            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                    javaBin, "-Duser.home=" + shared, "-cp", String.join(java.io.File.pathSeparator, classpath),
                    ReadInChildProcess.class.getName(), file.toString())
                    .redirectErrorStream(true).start();
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(output).as("the child's output").contains("events 100 c-1 5");
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(HostileStores.sha256(file)).isEqualTo(before);
            assertThat(HostileStores.listing(folder)).containsExactly("run.mv.db");
        } finally {
            try (var walk = Files.walk(shared)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void aVersion2StoreWithAnIncompleteIndexIsReadCompletelyWithoutIndexingOrMigrating() throws Exception {
        Path file = Version2Stores.create(dir.resolve("lagging.mv.db"), 1024, events("orders", 0, 100),
                events("orders", 100, 2000));
        String before = HostileStores.sha256(file);

        try (H2CaptureStore s = H2CaptureStore.openReadOnly(file)) {
            assertThat(s.hasBlockKeys()).as("read through its per-event index").isFalse();
            assertThat(s.indexedThroughSeq()).as("index left behind").isEqualTo(100);
            assertThat(s.awaitIndexed(Duration.ofSeconds(1))).isFalse();
            assertThat(s.findByCorrelationId("c-3")).hasSize(5);
            assertThat(s.findByCorrelationId("c-400")).extracting(CapturedEvent::seq)
                    .containsExactly(2001L, 2002L, 2003L, 2004L, 2005L);
            assertThat(s.correlationIds("c-41", 100)).hasSize(11);   // c-41, c-410 .. c-419
        }
        assertThat(HostileStores.sha256(file)).isEqualTo(before);
        assertThat(CaptureFileCheck.check(file)).as("still schema version 2").isEqualTo(2);
    }

    @Test
    void aWritableStoreLeavesACompleteIndexWithNothingToFinishOnClose() throws Exception {
        Path file = dir.resolve("closing.mv.db");
        try (CaptureStore s = CaptureStore.open(file)) {
            s.append(events("orders", 0, 20_000), List.of(new StreamPosition("cluster", "orders/0", Long.toString(20_000L))));
            assertThat(s.indexedThroughSeq()).isEqualTo(20_000);
        }

        try (H2CaptureStore s = H2CaptureStore.openReadOnly(file)) {
            assertThat(s.hasBlockKeys()).isTrue();
            assertThat(s.indexedThroughSeq()).isEqualTo(20_000);
            assertThat(s.findByCorrelationId("c-3999")).extracting(CapturedEvent::seq)
                    .containsExactly(19996L, 19997L, 19998L, 19999L, 20000L);
        }
        assertThat(io.eventlens.core.testkit.StoredBlocks.blocksWithoutKeys(file)).isEmpty();
    }

    @Test
    void aWriterKilledMidwayLeavesAStoreThatIsReadCompletelyReadOnly() throws Exception {
        Path file = dir.resolve("killed.mv.db");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                AppendInChildProcess.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long[] committed = {0};
        boolean[] durable = {false};
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            // H2 writes commits to the file up to a second later: the child closes the store once at
            // 20,000 events (all on disk), then appends on; kill it well past that, mid-way
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                while (out.ready()) {
                    String line = out.readLine();
                    if (line.startsWith("durable ")) {
                        durable[0] = true;
                    } else {
                        committed[0] = Long.parseLong(line.substring("committed ".length()));
                    }
                }
                return durable[0] && committed[0] >= 2 * AppendInChildProcess.DURABLE;
            });
        } finally {
            child.destroyForcibly();   // SIGKILL: no shutdown hook, no close, the indexer mid-way
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("killed child exited").isTrue();
        }
        assertThat(committed[0]).as("events the child reported committed").isGreaterThanOrEqualTo(2 * AppendInChildProcess.DURABLE);
        String before = HostileStores.sha256(file);

        try (CaptureStore s = CaptureStore.openReadOnly(file)) {
            // H2 writes commits to the file within about a second: the last ones may be lost, but
            // what is read is whole blocks and every one of them is found. A writer killed while H2
            // wrote a commit leaves that transaction in part (block rows whose data is missing); the
            // read-only store ends before them, and only a writable open completes them
            long stored = s.eventCount();
            assertThat(stored).isGreaterThanOrEqualTo(AppendInChildProcess.DURABLE).isEqualTo(stored / 100 * 100);
            assertThat(Long.parseLong(s.positions("cluster").getFirst().token())).isBetween(stored - 100, stored);
            assertThat(s.findByCorrelationId("c-" + (stored / 5 - 1))).extracting(CapturedEvent::seq)
                    .containsExactly(stored - 4, stored - 3, stored - 2, stored - 1, stored);
            assertThat(s.findByCorrelationId("c-0")).hasSize(5);
            assertThat(s.findByEventId("e-" + (stored - 1))).hasSize(1);
            long paged = 0;
            for (List<CapturedEvent> page = s.page(1, 10_000); !page.isEmpty(); page = s.page(paged + 1, 10_000)) {
                paged += page.size();
            }
            assertThat(paged).isEqualTo(stored);
        }
        assertThat(HostileStores.sha256(file)).as("SHA-256 after reading the killed capture").isEqualTo(before);
        // a plain writable H2 open finishes a commit the kill cut short; then every block has its keys
        assertThat(io.eventlens.core.testkit.StoredBlocks.blocksWithoutKeys(file)).as("blocks without keys").isEmpty();
    }

    @Test
    void aPathWithABackslashIsRefusedBeforeH2SeesIt() {
        Path odd = dir.resolve("a\\b.mv.db");

        assertThatThrownBy(() -> CaptureStore.open(odd))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(odd.toString())
                .hasMessageContaining("'\\'");
        assertThat(HostileStores.listing(dir)).isEmpty();
    }
}
