package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzz of the capture file check and the read-only open: bytes of a genuine
 * store are flipped, overwritten, spliced and cut, and each mutant is opened with
 * {@link CaptureStore#openReadOnly}. The only failure allowed is a {@link CaptureStoreException}
 * naming the file; no case may take longer than {@value #CASE_TIMEOUT_S} s, write to the file or
 * create a file beside it.
 *
 * <p>{@code -Deventlens.fuzz.cases=N} (default {@value #DEFAULT_CASES}) and
 * {@code -Deventlens.fuzz.seed=S} (default fixed, so CI runs the same cases) select the cases; a
 * failing mutant is kept in {@code target/fuzz-failures/}.
 */
class CaptureFileCheckFuzzTest {

    private static final int DEFAULT_CASES = 2_000;
    private static final long DEFAULT_SEED = 20_261_122L;
    private static final int CASE_TIMEOUT_S = 20;

    @TempDir
    Path dir;

    @Test
    void mutatedStoresAreRefusedWithACaptureStoreExceptionOrReadQuickly() throws Exception {
        int cases = Integer.getInteger("eventlens.fuzz.cases", DEFAULT_CASES);
        long seed = Long.getLong("eventlens.fuzz.seed", DEFAULT_SEED);
        byte[] genuine = Files.readAllBytes(HostileStores.genuine(dir.resolve("genuine.mv.db")));
        Files.delete(dir.resolve("genuine.mv.db"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Path file = work.resolve("mutant.mv.db");
        Random random = new Random(seed);
        int accepted = 0;
        int refused = 0;
        List<String> failures = new ArrayList<>();
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int n = 0; n < cases && failures.size() < 5; n++) {
                byte[] mutant = mutate(genuine, random);
                Files.write(file, mutant);
                Set<String> before = HostileStores.listing(work);
                Future<Boolean> result = runner.submit(() -> {
                    try (CaptureStore s = CaptureStore.openReadOnly(file)) {
                        s.eventCount();
                        return true;
                    } catch (CaptureStoreException e) {
                        if (!e.getMessage().startsWith(file.toString())) {
                            throw new AssertionError("message does not name the file: " + e.getMessage(), e);
                        }
                        return false;
                    }
                });
                String problem = null;
                try {
                    if (result.get(CASE_TIMEOUT_S, TimeUnit.SECONDS)) {
                        accepted++;
                    } else {
                        refused++;
                    }
                } catch (TimeoutException e) {
                    problem = "took longer than " + CASE_TIMEOUT_S + " s";
                } catch (java.util.concurrent.ExecutionException e) {
                    problem = "threw " + e.getCause();
                }
                if (problem == null && !Arrays.equals(Files.readAllBytes(file), mutant)) {
                    problem = "changed the file";
                }
                if (problem == null && !HostileStores.listing(work).equals(before)) {
                    problem = "created files " + HostileStores.listing(work);
                }
                if (problem != null) {
                    failures.add("case " + n + " (seed " + seed + "): " + problem + "; kept as " + keep(mutant, seed, n));
                    if (problem.startsWith("took")) {
                        break;   // the runner thread is stuck
                    }
                }
                Files.delete(file);
            }
        } finally {
            runner.shutdownNow();
        }
        System.out.printf("capture file fuzz: %d cases (seed %d): %d refused, %d read%n", cases, seed, refused, accepted);
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
        assertThat(refused).as("mutants refused (a fuzz that refuses nothing tests nothing)").isGreaterThan(cases / 4);
    }

    /** One to four mutations: bit flips, overwritten runs, boundary bytes, splices, a cut. */
    private static byte[] mutate(byte[] genuine, Random random) {
        byte[] b = genuine.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = position(b.length, random);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> {
                    int len = Math.min(1 + random.nextInt(64), b.length - at);
                    for (int i = 0; i < len; i++) {
                        b[at + i] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> b[at] = new byte[] {0, (byte) 0xff, 0x7f, (byte) 0x80, 1}[random.nextInt(5)];
                case 3 -> {
                    int from = position(b.length, random);
                    int len = Math.min(Math.min(1 + random.nextInt(256), b.length - at), b.length - from);
                    System.arraycopy(genuine, from, b, at, len);
                }
                case 4 -> {
                    // a varint-ish length field: a large or negative count
                    int len = Math.min(4, b.length - at);
                    for (int i = 0; i < len; i++) {
                        b[at + i] = (byte) (i + 1 < len ? 0xff : 0x0f);
                    }
                }
                default -> b = Arrays.copyOf(b, Math.max(1, at));
            }
        }
        return b;
    }

    /** Half the mutations land in the last 16 KiB, where the newest chunk (meta, SYS, types) lives. */
    private static int position(int length, Random random) {
        if (random.nextBoolean() && length > 16_384) {
            return length - 16_384 + random.nextInt(16_384);
        }
        return random.nextInt(length);
    }

    private static Path keep(byte[] mutant, long seed, int n) {
        try {
            Path out = Files.createDirectories(Path.of("target", "fuzz-failures"))
                    .resolve("seed" + seed + "-case" + n + ".mv.db").toAbsolutePath();
            Files.write(out, mutant);
            return out;
        } catch (IOException e) {
            return Path.of("(not kept: " + e.getMessage() + ")");
        }
    }
}
