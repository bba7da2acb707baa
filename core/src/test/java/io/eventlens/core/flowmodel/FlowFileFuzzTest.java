package io.eventlens.core.flowmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer of the flow-file reader (issue 9), in the manner of
 * {@code ArtifactParsersFuzzTest}: valid YAML and JSON flow files are mutated (bit flips, special
 * bytes such as <code>{ [ : - &amp; * ! " \n \0</code>, truncation, duplication of a slice, splicing)
 * and parsed. A damaged file may only ever be a {@link FlowFileException} naming the file, or a
 * {@link FlowFile} whose problems each name the file; no other exception escapes, and each case ends
 * quickly.
 *
 * <p>{@value #DEFAULT_CASES} cases per format by default ({@code -Deventlens.fuzz.cases=N} for more);
 * {@code -Deventlens.fuzz.seed=S} replays a run (a failure prints its seed and case).
 */
class FlowFileFuzzTest {

    private static final int DEFAULT_CASES = 3_000;
    private static final int CASES = Integer.getInteger("eventlens.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xF10F_11E5L);
    private static final byte[] SPECIAL = "{}[]:-&*!|>\"'\\\n\r\t\0#,?%@`".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void damagedYamlIsAnErrorNamingTheFile() {
        byte[] a = FlowFileTest.CHECKOUT.getBytes(StandardCharsets.UTF_8);
        byte[] b = """
                flows:
                  - name: "x"
                    steps: [{type: A, channel: a, timeout: PT1S}, {parallel: [[{channel: b}], [{channel: c, optional: true}]]}]
                  - name: y
                    steps:
                      - &s {channel: d}
                      - {channel: e, slo: 1.5s, terminal: true}
                """.getBytes(StandardCharsets.UTF_8);
        fuzz(List.of(a, b), false, "f.yaml", 1);
    }

    @Test
    void damagedJsonIsAnErrorNamingTheFile() throws Exception {
        byte[] a = new ObjectMapper().writeValueAsBytes(new YAMLMapper().readTree(FlowFileTest.CHECKOUT));
        fuzz(List.of(a), true, "f.json", 2);
    }

    private static void fuzz(List<byte[]> inputs, boolean json, String name, long salt) {
        Random r = new Random(SEED * 31 + salt);
        for (int c = 0; c < CASES; c++) {
            byte[] in = mutate(inputs, r);
            long started = System.nanoTime();
            try {
                FlowFile f = FlowFile.parse(in, name, json);
                for (String p : f.problems()) {
                    assertThat(p).as("seed %d case %d", SEED, c).startsWith(name + ":");
                }
                for (DeclaredFlow flow : f.flows()) {
                    assertThat(flow.steps()).isNotEmpty();
                    assertThat(flow.steps().get(0).optional()).isFalse();
                }
            } catch (FlowFileException e) {
                assertThat(e.getMessage()).as("seed %d case %d", SEED, c).startsWith(name);
            } catch (RuntimeException | StackOverflowError e) {
                fail("seed " + SEED + " case " + c + ": " + e + " on input " + new String(in, StandardCharsets.UTF_8), e);
            }
            assertThat((System.nanoTime() - started) / 1_000_000).as("seed %d case %d ms", SEED, c).isLessThan(2_000);
        }
    }

    private static byte[] mutate(List<byte[]> inputs, Random r) {
        byte[] b = inputs.get(r.nextInt(inputs.size())).clone();
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && b.length > 0; i++) {
            switch (r.nextInt(5)) {
                case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[r.nextInt(b.length)] = SPECIAL[r.nextInt(SPECIAL.length)];
                case 2 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                case 3 -> {
                    int from = r.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + r.nextInt(40));
                    byte[] out = new byte[b.length + len];
                    int at = r.nextInt(b.length + 1);
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, from, out, at, len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> {
                    byte[] other = inputs.get(r.nextInt(inputs.size()));
                    int cut = r.nextInt(b.length + 1);
                    int from = r.nextInt(other.length + 1);
                    byte[] out = Arrays.copyOf(b, cut + other.length - from);
                    System.arraycopy(other, from, out, cut, other.length - from);
                    b = out;
                }
            }
        }
        return b;
    }
}
