package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the replay log's stored header bytes ({@link ReplayLog#decodeHeaders}),
 * which a capture file from someone else may hold damaged or crafted: they decode, or fail with an
 * {@link SQLException} naming what is wrong (the store turns it into a CaptureStoreException naming
 * the file), never anything else. {@code -Deventlens.fuzz.seed=S} replays a run.
 */
class ReplayLogFuzzTest {

    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0x5E9_1A7L);

    @Test
    void mutatedHeaderBytesDecodeOrFailWithAnSqlExceptionNeverAnythingElse() {
        Random r = new Random(SEED);
        List<byte[]> genuine = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            genuine.add(ReplayLog.encodeHeaders(ReplayLogTest.send(i).headers()));
        }
        genuine.add("[]".getBytes(StandardCharsets.UTF_8));
        for (int c = 0; c < 20_000; c++) {
            byte[] b = genuine.get(r.nextInt(genuine.size())).clone();
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits && b.length > 0; e++) {
                switch (r.nextInt(3)) {
                    case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    case 1 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
                    default -> {
                        byte[] longer = java.util.Arrays.copyOf(b, b.length + 1);
                        longer[b.length] = (byte) "[]{}\",:0n".charAt(r.nextInt(9));
                        b = longer;
                    }
                }
            }
            try {
                List<Header> headers = ReplayLog.decodeHeaders(b);
                assertThat(headers).isNotNull();
            } catch (SQLException expected) {
                // a damaged value is named
            } catch (RuntimeException e) {
                throw new AssertionError("fuzz case " + c + " of -Deventlens.fuzz.seed=" + SEED + ": "
                        + java.util.HexFormat.of().formatHex(b), e);
            }
        }
    }
}
