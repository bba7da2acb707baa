package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the other bytes a capture file holds besides event blocks: the
 * per-block lookup keys ({@link BlockKeys}: Bloom filters and correlation-ID lists) and the flow
 * summary columns ({@link FlowColumns}). Their contract towards damaged input: a key that cannot be
 * read is {@code null} (the block is then decoded instead), and summary columns decode to something,
 * never an exception. {@code -Deventlens.fuzz.seed=S} replays a run.
 */
class BlockKeysFuzzTest {

    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xB10C_4E75L);
    private static final int CASES = 50_000;

    @Test
    void damagedLookupKeysAreUnreadableOrReadableNeverAnException() {
        Random r = new Random(SEED);
        List<byte[]> genuine = new ArrayList<>();
        for (int n = 0; n < 8; n++) {
            String[] ids = new String[1 + r.nextInt(40)];
            long[] hashes = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = "checkout-" + (1000 + i * (1 + r.nextInt(5)));
                hashes[i] = BlockKeys.hash(ids[i]);
            }
            java.util.Arrays.sort(ids);
            genuine.add(BlockKeys.filter(hashes, hashes.length));
            genuine.add(BlockKeys.idList(ids));
        }
        for (int c = 0; c < CASES; c++) {
            byte[] bytes = mutate(genuine.get(r.nextInt(genuine.size())), r);
            try {
                BlockKeys.Filter f = BlockKeys.Filter.read(bytes);
                if (f != null) {
                    f.mightContain(r.nextLong());
                }
                BlockKeys.IdList l = BlockKeys.IdList.read(bytes);
                if (l != null) {
                    l.mayHavePrefix("checkout-1");
                }
            } catch (RuntimeException e) {
                throw new AssertionError("fuzz case " + c + " of -Deventlens.fuzz.seed=" + SEED + ": "
                        + java.util.HexFormat.of().formatHex(bytes), e);
            }
        }
    }

    @Test
    void damagedFlowSummaryColumnsDecodeWithoutAnException() {
        Random r = new Random(SEED);
        byte[] channels = FlowColumns.encodeChannels(List.of("orders", "payments", "orders.DLT")).getBytes(StandardCharsets.UTF_8);
        byte[] counts = FlowColumns.encodeCounts(java.util.Map.of("LAG", 2, "DUPLICATE", 1)).getBytes(StandardCharsets.UTF_8);
        for (int c = 0; c < CASES; c++) {
            String s = new String(mutate(r.nextBoolean() ? channels : counts, r), StandardCharsets.UTF_8);
            try {
                assertThat(FlowColumns.decodeChannels(s)).isNotNull();
                assertThat(FlowColumns.decodeCounts(s)).isNotNull();
            } catch (RuntimeException e) {
                throw new AssertionError("fuzz case " + c + " of -Deventlens.fuzz.seed=" + SEED + ": " + s, e);
            }
        }
    }

    private static byte[] mutate(byte[] original, Random r) {
        byte[] d = original.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int i = 0; i < 1 + r.nextInt(4) && d.length > 0; i++) {
                    d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                if (d.length > 0) {
                    d[r.nextInt(d.length)] = (byte) new int[] {0x00, 0xFF, 0x7F, 0x80}[r.nextInt(4)];
                }
            }
            case 2 -> d = java.util.Arrays.copyOf(d, r.nextInt(d.length + 1));
            case 3 -> {
                d = java.util.Arrays.copyOf(d, d.length + 1 + r.nextInt(16));
                for (int i = original.length; i < d.length; i++) {
                    d[i] = (byte) r.nextInt(256);
                }
            }
            default -> {
                d = new byte[r.nextInt(64)];
                r.nextBytes(d);
            }
        }
        return d;
    }
}
