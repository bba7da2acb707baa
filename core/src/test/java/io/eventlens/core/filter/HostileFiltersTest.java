package io.eventlens.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Filters arrive in shared captures and links: expressions built to exhaust the compiler or the
 * evaluator must fail fast with a {@link FilterException} or evaluate within the limits
 * (docs/decisions/0022-cel-filters.md, "Safety limits").
 */
class HostileFiltersTest {

    private static final CapturedEvent EVENT = EventFilterTest.payment();

    @Test
    void deepNestingIsRefusedWithAPosition() {
        String deep = "(".repeat(5_000) + "true" + ")".repeat(5_000);
        assertThatThrownBy(() -> EventFilter.compile(deep)).isInstanceOf(FilterException.class);
        String nested = "!(".repeat(100) + "true" + ")".repeat(100);
        assertThatThrownBy(() -> EventFilter.compile(nested)).isInstanceOf(FilterException.class);
        String calls = "size(".repeat(200) + "'x'" + ")".repeat(200) + " > 0";
        assertThatThrownBy(() -> EventFilter.compile(calls)).isInstanceOf(FilterException.class);
        String lists = "[".repeat(1_000) + "]".repeat(1_000) + " == []";
        assertThatThrownBy(() -> EventFilter.compile(lists)).isInstanceOf(FilterException.class);
    }

    @Test
    void aHugeExpressionOrLiteralIsRefusedBeforeParsing() {
        String huge = "channel == '" + "x".repeat(1_000_000) + "'";
        assertThatThrownBy(() -> EventFilter.compile(huge))
                .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.reason()).contains("limit is 4096"));
        String manyTerms = "channel == 'a' || ".repeat(1_500) + "true";
        assertThatThrownBy(() -> EventFilter.compile(manyTerms)).isInstanceOf(FilterException.class);
        String number = "offset == " + "9".repeat(4_000);
        assertThatThrownBy(() -> EventFilter.compile(number)).isInstanceOf(FilterException.class);
    }

    @Test
    void aPathologicalRegularExpressionRunsInLinearTime() {
        // catastrophic for a backtracking engine; RE2 (re2j) answers in linear time
        String expr = "payload.customer.name.matches('^(a+)+$') || key.matches('(x+x+)+y')";
        EventFilter f = EventFilter.compile(expr);
        long start = System.nanoTime();
        CapturedEvent longKey = new CapturedEvent(1, EVENT.channel(), EVENT.source(), EVENT.observedAt(),
                EVENT.capturedAt(), "x".repeat(50_000).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                EVENT.headers(), EVENT.payload(), EVENT.derived());
        assertThat(f.test(longKey)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // a regular expression too large to compile fails the event, not the process
        String big = "key.matches('" + "(a|b|c|d)".repeat(300) + "')";
        EventFilter bigFilter = EventFilter.compile(big);
        assertThat(bigFilter.test(EVENT)).isFalse();
        // back-references are not RE2: the event is not kept
        assertThat(EventFilter.compile("key.matches('(a)\\\\1')").test(EVENT)).isFalse();
    }

    @Test
    void comprehensionsAreBoundedByTheIterationLimit() {
        // nested comprehensions over large lists would be 10^12 steps; the limit stops the event's evaluation
        String list = "[" + "1,".repeat(299) + "1]";
        EventFilter f = EventFilter.compile(list + ".all(x, " + list + ".all(y, " + list + ".all(z, x == y && z == 1)))");
        long start = System.nanoTime();
        boolean kept = f.test(EVENT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(kept).isFalse();
        EventFilter wide = EventFilter.compile("payload.items.exists(i, i == 3)");
        assertThat(wide.test(EVENT)).isTrue();
    }

    @Test
    void stringGrowthIsBounded() {
        // doubling a string in a comprehension: bounded by the iteration limit and the expression size
        EventFilter f = EventFilter.compile("[1,2,3,4,5,6,7,8,9,10].map(i, key + key + key + key).size() > 0");
        assertThat(f.test(EVENT)).isTrue();
    }

    @Test
    void controlCharactersAndUnicodeInTheExpressionAreHandled() {
        assertThat(EventFilter.compile("key == 'cust-9' // a comment\n && channel != '\u00e9\u0000'").test(EVENT)).isTrue();
        assertThatThrownBy(() -> EventFilter.compile("key == 'a' /* no block comments in CEL */"))
                .isInstanceOf(FilterException.class);
        assertThatThrownBy(() -> EventFilter.compile("key == 'a\u0000\u202e'\u0007")).isInstanceOf(FilterException.class);
    }
}
