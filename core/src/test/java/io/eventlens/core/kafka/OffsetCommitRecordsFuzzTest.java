package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of {@link OffsetCommitRecords#decode}: {@code __consumer_offsets} records
 * are bytes from outside; mutated ones decode or fail with a {@link OffsetCommitRecords.MalformedRecordException},
 * never anything else, and a decoded commit never has a negative partition or offset.
 * {@code -Deventlens.fuzz.seed=S} replays a run.
 */
class OffsetCommitRecordsFuzzTest {

    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0x0FF5E7L);

    @Test
    void mutatedRecordsDecodeOrFailWithAMalformedRecordExceptionNeverAnythingElse() {
        Random r = new Random(SEED);
        List<byte[][]> genuine = new ArrayList<>();
        for (int v = 0; v <= 4; v++) {
            genuine.add(new byte[][] {OffsetCommitRecordsTest.key(v % 2, "group-" + v, "orders", v), OffsetCommitRecordsTest.value(v, 10L * v)});
        }
        genuine.add(new byte[][] {OffsetCommitRecordsTest.key(2, "g", null, 0), new byte[] {0, 3}});
        genuine.add(new byte[][] {OffsetCommitRecordsTest.key(1, "g", "t", 0), null});
        for (int c = 0; c < 20_000; c++) {
            byte[][] pick = genuine.get(r.nextInt(genuine.size()));
            byte[] key = mutate(r, pick[0].clone());
            byte[] value = pick[1] == null ? null : r.nextInt(3) == 0 ? pick[1].clone() : mutate(r, pick[1].clone());
            try {
                OffsetCommitRecords.Decoded d = OffsetCommitRecords.decode(key, value);
                if (d instanceof OffsetCommitRecords.OffsetCommit oc) {
                    assertThat(oc.partition()).isNotNegative();
                    assertThat(oc.offset()).isNotNegative();
                }
            } catch (OffsetCommitRecords.MalformedRecordException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("fuzz case " + c + " of -Deventlens.fuzz.seed=" + SEED + ": key "
                        + java.util.HexFormat.of().formatHex(key), e);
            }
        }
    }

    private static byte[] mutate(Random r, byte[] b) {
        int edits = 1 + r.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            switch (r.nextInt(3)) {
                case 0 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
                default -> b = Arrays.copyOf(b, b.length + 1 + r.nextInt(3));
            }
        }
        return b;
    }
}
