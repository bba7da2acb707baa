package io.eventlens.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.store.CaptureStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile artifacts: XXE and entity bombs in JUnit XML, zip slip, zip bombs, a CI run as a zip. */
class HostileArtifactsTest {

    @TempDir
    Path dir;
    CaptureStore store;

    @BeforeEach
    void open() {
        store = CaptureStore.open(dir.resolve("run"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anXxeReportIsRefusedAndNeverReadsLocalFiles() {
        ArtifactSource source = Corpus.importInto(store, ZipLimits.DEFAULTS, Corpus.file("xxe.xml"));
        assertThat(source.failedTests()).isEmpty();
        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("xxe.xml");
            assertThat(p.line()).isPositive();
            assertThat(p.message()).contains("refused").doesNotContain("root:");
        });
    }

    @Test
    void aBillionLaughsReportIsRefusedWithoutExpandingIt() {
        ArtifactSource source = Corpus.importInto(store, ZipLimits.DEFAULTS, Corpus.file("billion-laughs.xml"));
        assertThat(source.failedTests()).isEmpty();
        assertThat(source.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("refused"));
    }

    @Test
    void aCiRunZipIsImportedLikeItsFolder() throws IOException {
        Path zip = dir.resolve("ci-run.zip");
        Path folder = Corpus.file("ci-run");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
             var files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new ZipEntry("artifacts/" + folder.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        ArtifactSource source = Corpus.importInto(store, ZipLimits.DEFAULTS, zip);
        assertThat(store.eventCount()).isEqualTo(9);
        assertThat(source.failedTests()).hasSize(6);
        assertThat(source.problems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo(zip + "!/artifacts/dumps/probe/cart-probe.ndjson:3: "
                        + p.message()));
    }

    @Test
    void zipSlipEntriesAreRefusedAndTheSafeEntriesImported() throws IOException {
        Path zip = dir.resolve("slip.zip");
        String line = "{\"id\":\"z-1\",\"type\":\"T\",\"correlationId\":\"c-z\",\"createdAt\":\"2026-11-29T10:00:00Z\"}\n";
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (String name : List.of("../../evil.ndjson", "/etc/evil.ndjson", "C:/evil.ndjson", "ok/events.ndjson")) {
                out.putNextEntry(new ZipEntry(name));
                out.write(line.getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        ArtifactSource source = Corpus.importInto(store, ZipLimits.DEFAULTS, zip);
        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(source.problems()).hasSize(3)
                .allSatisfy(p -> assertThat(p.message()).contains("zip slip"));
        assertThat(Files.exists(dir.getParent().resolve("evil.ndjson"))).isFalse();
    }

    @Test
    void aZipBombIsRefusedByRatioAfterBoundedWork() throws IOException {
        Path zip = dir.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("a.ndjson"));
            out.write("{\"id\":\"b-1\",\"type\":\"T\",\"correlationId\":\"c-b\"}\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("bomb.ndjson"));
            out.write("{\"id\":\"b-0\",\"type\":\"T\",\"correlationId\":\"c-b\"}\n".getBytes(StandardCharsets.UTF_8));
            writeNewlines(out, 200L * 1024 * 1024); // blank lines: valid NDJSON that inflates about 1000 times
            out.closeEntry();
            out.putNextEntry(new ZipEntry("z-after.ndjson"));
            out.write("{\"id\":\"b-2\",\"type\":\"T\",\"correlationId\":\"c-b\"}\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        assertThat(Files.size(zip)).isLessThan(1024 * 1024);
        ArtifactSource source = Corpus.importInto(store, ZipLimits.DEFAULTS, zip);
        assertThat(Corpus.all(store)).extracting(e -> e.derived().eventIdValue())
                .as("the entry before the bomb and the bomb's first record; nothing after it").containsExactly("b-1", "b-0");
        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).endsWith("bomb.zip!/bomb.ndjson");
            assertThat(p.message()).contains("zip bomb").contains("the rest of");
        });
    }

    @Test
    void aZipBeyondItsTotalSizeIsRefused() throws IOException {
        Path zip = dir.resolve("big.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (int i = 0; i < 3; i++) {
                out.putNextEntry(new ZipEntry("part-" + i + ".ndjson"));
                for (int j = 0; j < 1000; j++) {
                    out.write(("{\"id\":\"t-" + i + "-" + j + "\",\"type\":\"T\",\"correlationId\":\"c-t\"}\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        ArtifactSource source = Corpus.importInto(store, new ZipLimits(100, 100_000, 1000), zip);
        assertThat(store.eventCount()).isBetween(1000L, 2000L);
        assertThat(source.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("in all"));
    }

    private static void writeNewlines(OutputStream out, long n) throws IOException {
        byte[] zeros = new byte[1 << 16];
        java.util.Arrays.fill(zeros, (byte) '\n');
        for (long left = n; left > 0; left -= zeros.length) {
            out.write(zeros, 0, (int) Math.min(zeros.length, left));
        }
    }
}
