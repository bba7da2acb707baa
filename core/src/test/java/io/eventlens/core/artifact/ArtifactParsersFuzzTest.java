package io.eventlens.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer of the artifact parsers (issue 8): the corpus's JSON, NDJSON, kcat and
 * JUnit XML files, and a small zip, are mutated (bit flips, special bytes such as
 * <code>{ [ &lt; " \n \r \0</code>, truncation, duplication of a slice, splicing two files) and read.
 * Damage may only ever become {@link ArtifactProblem}s: no exception escapes the reader or the zip
 * walker, and every problem names its file.
 *
 * <p>{@value #DEFAULT_CASES} cases per parser by default ({@code -Deventlens.fuzz.cases=N} for more);
 * {@code -Deventlens.fuzz.seed=S} replays a run (a failure prints its seed and case).
 */
class ArtifactParsersFuzzTest {

    private static final int DEFAULT_CASES = 3_000;
    private static final int CASES = Integer.getInteger("eventlens.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xA127_FAC7L);
    private static final byte[] SPECIAL = "{}[]<>\"\\\n\r\0,:&;!-".getBytes(StandardCharsets.ISO_8859_1);

    @TempDir
    Path dir;

    private static final class Collecting implements ArtifactReader.Sink {
        final List<ArtifactRecord> records = new ArrayList<>();
        final List<ArtifactProblem> problems = new ArrayList<>();

        @Override
        public void record(ArtifactRecord record) {
            records.add(record);
        }

        @Override
        public void problem(ArtifactProblem problem) {
            problems.add(problem);
        }

        @Override
        public void testReport(String file, int tests, List<FailedTest> failed) {
        }
    }

    private static List<byte[]> corpus(String... names) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (String n : names) {
            out.add(Files.readAllBytes(Corpus.file(n)));
        }
        return out;
    }

    @Test
    void jsonAndNdjsonDamageBecomesProblemsNamingTheFile() throws IOException {
        fuzzReader(corpus("probe-array.json", "probe-events-object.json", "probe-crlf-bom.ndjson", "kcat.ndjson",
                "cloudevent.json", "cloudevents-batch.json", "ci-run/dumps/kafka-orders.kcat.json"), 1);
    }

    @Test
    void junitXmlDamageBecomesProblemsNamingTheFile() throws IOException {
        fuzzReader(corpus("ci-run/reports/TEST-com.acme.OrderSagaIT.xml", "ci-run/reports/playwright-results.xml",
                "ci-run/reports/jest-junit.xml", "xxe.xml", "billion-laughs.xml"), 2);
    }

    private void fuzzReader(List<byte[]> inputs, long salt) {
        ArtifactReader reader = new ArtifactReader();
        Random random = new Random(SEED + salt);
        for (int c = 0; c < CASES; c++) {
            byte[] input = mutate(random, inputs);
            Collecting sink = new Collecting();
            try {
                reader.read("fuzz.case", new BufferedInputStream(new ByteArrayInputStream(input)), Instant.EPOCH, sink);
            } catch (Exception | StackOverflowError e) {
                throw new AssertionError("seed " + (SEED + salt) + " case " + c + ": the reader threw " + e
                        + " on input: " + new String(input, StandardCharsets.UTF_8), e);
            }
            for (ArtifactProblem p : sink.problems) {
                assertThat(p.file()).isEqualTo("fuzz.case");
                assertThat(p.line()).isGreaterThanOrEqualTo(0);
            }
        }
    }

    @Test
    void aDamagedZipBecomesProblemsNeverAnEscapingException() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String n : List.of("probe-array.json", "kcat.ndjson", "ci-run/reports/jest-junit.xml")) {
                zip.putNextEntry(new ZipEntry("run/" + n));
                zip.write(Files.readAllBytes(Corpus.file(n)));
                zip.closeEntry();
            }
        }
        byte[] original = bytes.toByteArray();
        Random random = new Random(SEED + 3);
        int cases = Math.max(1, CASES / 10);
        ArtifactReader reader = new ArtifactReader();
        for (int c = 0; c < cases; c++) {
            byte[] input = mutate(random, List.of(original));
            if (input.length < 4) {
                input = java.util.Arrays.copyOf(input, 4);
            }
            input[0] = 'P'; // keep the signature so the walker reads it as a zip
            input[1] = 'K';
            input[2] = 3;
            input[3] = 4;
            Path file = dir.resolve("case.zip");
            Files.write(file, input);
            List<ArtifactProblem> problems = new ArrayList<>();
            Collecting sink = new Collecting();
            try {
                new ArtifactEntries(ZipLimits.DEFAULTS, problems::add).walk(file,
                        (name, in, modified) -> reader.read(name, in, modified, sink));
            } catch (Exception e) {
                throw new AssertionError("seed " + (SEED + 3) + " case " + c + ": the zip walker threw " + e, e);
            }
            for (ArtifactProblem p : problems) {
                assertThat(p.file()).startsWith(file.toString());
            }
        }
    }

    private static byte[] mutate(Random random, List<byte[]> inputs) {
        byte[] b = inputs.get(random.nextInt(inputs.size())).clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = SPECIAL[random.nextInt(SPECIAL.length)];
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(64));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 4 -> {
                    byte[] other = inputs.get(random.nextInt(inputs.size()));
                    int from = random.nextInt(Math.max(1, other.length));
                    byte[] out = java.util.Arrays.copyOf(b, at + (other.length - from));
                    System.arraycopy(other, from, out, at, other.length - from);
                    b = out;
                }
                default -> b[at] = (byte) random.nextInt(256);
            }
        }
        return b;
    }
}
