package io.eventlens.core.layout;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Record keys are outside bytes: a lane title made from one ({@link LaneGrouping#KEY}) must never throw,
 * never carry control characters (they would break the drawing and the tooltip), and stay short. A seeded
 * fuzzer over random, mutated-UTF-8 and hostile keys; {@code -Deventlens.fuzz.cases=N},
 * {@code -Deventlens.fuzz.seed=S} as the other fuzz tests.
 */
class LaneKeyTextFuzzTest {

    private static final int CASES = Integer.getInteger("eventlens.fuzz.cases", 50_000);
    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0x1A4E_5EEDL);

    @Test
    void hostileKeysGiveShortPrintableLaneTitles() {
        assertThat(LaneGrouping.keyText(null)).isEqualTo("(no key)");
        assertThat(LaneGrouping.keyText(new byte[0])).isEqualTo("(empty key)");
        assertThat(LaneGrouping.keyText("line\nbreak".getBytes(StandardCharsets.UTF_8))).startsWith("0x");
        assertThat(LaneGrouping.keyText(new byte[] {(byte) 0xC3})).isEqualTo("0xc3"); // truncated UTF-8
        assertThat(LaneGrouping.keyText("x".repeat(10_000).getBytes(StandardCharsets.UTF_8))).hasSize(40).endsWith("…");
        assertThat(LaneGrouping.keyText(new byte[1000])).hasSize(2 + 38 + 1);
        assertThat(LaneGrouping.keyText("zażółć-🙂".getBytes(StandardCharsets.UTF_8))).isEqualTo("zażółć-🙂");
        assertThat(LaneGrouping.keyText("abc\u202Edef".getBytes(StandardCharsets.UTF_8))).as("a bidi override").startsWith("0x");
        assertThat(LaneGrouping.keyText("🙂".repeat(50).getBytes(StandardCharsets.UTF_8)))
                .as("cut between code points, never inside a surrogate pair").isEqualTo("🙂".repeat(39) + "…");

        SplittableRandom random = new SplittableRandom(SEED);
        byte[] text = "order-7/line-3 zażółć 🙂".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < CASES; i++) {
            byte[] key;
            if (random.nextInt(3) == 0) {
                key = new byte[random.nextInt(80)];
                random.nextBytes(key);
            } else {
                key = java.util.Arrays.copyOf(text, Math.max(0, text.length - random.nextInt(6) + random.nextInt(40)));
                for (int m = random.nextInt(4); m > 0 && key.length > 0; m--) {
                    key[random.nextInt(key.length)] = (byte) random.nextInt(256);
                }
            }
            String title;
            try {
                title = LaneGrouping.keyText(key);
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + SEED + " case " + i + ": " + e, e);
            }
            assertThat(title.codePoints().noneMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.SURROGATE)).as("seed %d case %d: %s", SEED, i, title).isTrue();
            assertThat(title.codePointCount(0, title.length())).as("seed %d case %d", SEED, i).isLessThanOrEqualTo(41);
        }
    }
}
