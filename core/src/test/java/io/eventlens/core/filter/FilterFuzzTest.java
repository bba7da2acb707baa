package io.eventlens.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.testkit.TestEvents;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer of the filter compiler and evaluator: valid expressions are mutated
 * (characters flipped, dropped or doubled, the text cut, CEL tokens spliced in) and compiled. The
 * only failure allowed is a {@link FilterException} with a usable position; a filter that compiles
 * must evaluate every test event without throwing.
 *
 * <p>{@value #DEFAULT_CASES} cases by default ({@code -Deventlens.fuzz.cases=N} for more);
 * {@code -Deventlens.fuzz.seed=S} replays a run (a failure prints its seed and case).
 */
class FilterFuzzTest {

    private static final int DEFAULT_CASES = 300;
    private static final int CASES = Integer.getInteger("eventlens.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xCE1_F117L);

    private static final List<String> SEEDS = List.of(
            "type == \"PaymentAuthorized\" && payload.amountCents > 10000 && \"LAG\" in anomalies",
            "channel in ['payments', 'orders'] && headers['x-tenant'] == 'acme'",
            "observedAt >= timestamp('2026-11-22T10:00:00Z') && observedAt - eventTime > duration('1s')",
            "payload.items.exists(i, i > 2) || payload.customer.name.matches('^A.*')",
            "has(payload.note) ? payload.note == null : size(key) > 0",
            "{'a': 1}['a'] == 1 && [1, 2][1] == 2 && b'\\x00' != bytes(key)",
            "verdict == 'STOPPED' && partition == 3 && offset >= 40u.int()",
            "string(offset).startsWith('4') && double(partition) / 2.0 > 1.0 && int('7') == 7");
    private static final String[] TOKENS = {"(", ")", "[", "]", "{", "}", "'", "\"", "\\", ".", ",", "?", ":",
        "&&", "||", "!", "==", "!=", "<", ">=", "+", "-", "*", "/", "%", " in ", "has(", "size(", "exists(x, ",
        "map(", "matches('", "(a+)+", "\\u0000", "\u202e", "\n", "r'", "'''", "1e999", "9223372036854775808",
        "-9223372036854775808", "0x", "u", "b'", "timestamp('", "duration('", "payload.", "headers[", "null",
        "exec(", "java.lang.", "dyn(", "type(", "\uFFFF", "\uD800"};

    private static final List<CapturedEvent> EVENTS = List.of(EventFilterTest.payment(),
            EventFilterTest.payment("T", 0, "not json"), EventFilterTest.payment("T", 0, "[1, {\"a\": null}]"),
            EventFilterTest.payment("T", 0, "{\"deep\": " + "[".repeat(300) + "]".repeat(300) + "}"),
            TestEvents.event("orders", 0, 1, "c", "e"));

    @Test
    void mutatedExpressionsCompileOrFailWithAPositionAndNeverThrowWhileEvaluating() {
        Random random = new Random(SEED);
        int compiled = 0;
        for (int i = 0; i < CASES; i++) {
            String expr = mutate(random, SEEDS.get(random.nextInt(SEEDS.size())));
            try {
                EventFilter f = EventFilter.compile(expr);
                compiled++;
                for (CapturedEvent e : EVENTS) {
                    f.test(e, EventFilterTest.LAGGING);
                }
            } catch (FilterException e) {
                assertThat(e.line()).as("seed %s case %s: %s", SEED, i, expr).isGreaterThanOrEqualTo(0);
                assertThat(e.offset()).isBetween(0, expr.length());
                assertThat(e.pointer()).isNotNull();
            } catch (RuntimeException | Error e) {
                throw new AssertionError("seed " + SEED + " case " + i + ": " + expr, e);
            }
        }
        assertThat(compiled).as("some mutations still compile").isPositive();
    }

    private static String mutate(Random random, String seed) {
        StringBuilder s = new StringBuilder(seed);
        int edits = 1 + random.nextInt(4);
        for (int k = 0; k < edits && !s.isEmpty(); k++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s.setCharAt(at, (char) random.nextInt(128));
                case 1 -> s.deleteCharAt(at);
                case 2 -> s.insert(at, s.charAt(at));
                case 3 -> s.setLength(at);
                default -> s.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
            }
        }
        return s.toString();
    }
}
