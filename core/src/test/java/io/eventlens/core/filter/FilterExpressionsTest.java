package io.eventlens.core.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Right-click filters select exactly the clicked value, whatever its characters. */
class FilterExpressionsTest {

    private static final List<String> NASTY = List.of("plain", "with \"quotes\"", "back\\slash", "trailing\\",
            "\\\"", "it's", "line\nbreak\r\ttab", "nul\u0000bell\u0007", "emoji \uD83D\uDE00",
            "sep\u2028par\u2029", "${jndi:x}", "' || true || '", "\" || true || \"", "");

    private static CapturedEvent withKeyAndHeader(String value) {
        CapturedEvent base = EventFilterTest.payment();
        return new CapturedEvent(1, base.channel(), base.source(), base.observedAt(), base.capturedAt(),
                value.getBytes(StandardCharsets.UTF_8), List.of(Header.ofString("h " + value, value)),
                ("{\"k " + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                        .replace("\t", "\\t").replace("\u0000", "\\u0000").replace("\u0007", "\\u0007") + "\": {\"v\": \""
                        + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                        .replace("\t", "\\t").replace("\u0000", "\\u0000").replace("\u0007", "\\u0007") + "\"}}")
                        .getBytes(StandardCharsets.UTF_8),
                base.derived());
    }

    @Test
    void theGeneratedExpressionKeepsExactlyTheClickedValue() {
        for (String value : NASTY) {
            String other = value + "x";
            CapturedEvent mine = withKeyAndHeader(value);
            CapturedEvent theirs = withKeyAndHeader(other);
            String onKey = FilterExpressions.equalTo("key", value);
            String onHeader = FilterExpressions.header("h " + value, value);
            assertThat(EventFilter.compile(onKey).test(mine)).as(onKey).isTrue();
            assertThat(EventFilter.compile(onKey).test(theirs)).as(onKey).isFalse();
            assertThat(EventFilter.compile(FilterExpressions.not(onKey)).test(mine)).isFalse();
            assertThat(EventFilter.compile(FilterExpressions.not(onKey)).test(theirs)).isTrue();
            assertThat(EventFilter.compile(onHeader).test(mine)).as(onHeader).isTrue();
            assertThat(EventFilter.compile(onHeader).test(theirs)).as(onHeader).isFalse();
            {
                String onField = FilterExpressions.payloadField(List.of("k " + value, "v"), value);
                assertThat(EventFilter.compile(onField).test(mine)).as(onField).isTrue();
                assertThat(EventFilter.compile(onField).test(theirs)).as(onField).isFalse();
                assertThat(EventFilter.compile(FilterExpressions.not(onField)).test(theirs)).isTrue();
            }
        }
    }

    @Test
    void payloadScalarsOfEachTypeAndListIndexes() {
        CapturedEvent e = EventFilterTest.payment();
        for (String expr : List.of(FilterExpressions.payloadField(List.of("amountCents"), 15_000L),
                FilterExpressions.payloadField(List.of("ratio"), 0.5),
                FilterExpressions.payloadField(List.of("customer", "vip"), true),
                FilterExpressions.payloadField(List.of("note"), null),
                FilterExpressions.payloadField(List.of("items", 1), 2),
                FilterExpressions.equalTo("channel", "payments"),
                FilterExpressions.and("type == 'x' || true", FilterExpressions.equalTo("correlationId", "order-7")))) {
            assertThat(EventFilter.compile(expr).test(e)).as(expr).isTrue();
        }
        // an exclusion keeps events that do not have the field at all
        String noSuchField = FilterExpressions.not(FilterExpressions.payloadField(List.of("missing", "x"), "y"));
        assertThat(EventFilter.compile(noSuchField).test(e)).isTrue();
        String outOfRange = FilterExpressions.not(FilterExpressions.payloadField(List.of("items", 9), 1));
        assertThat(EventFilter.compile(outOfRange).test(e)).isTrue();
        assertThat(FilterExpressions.and(" ", "a == 1")).isEqualTo("a == 1");
        assertThat(FilterExpressions.quote("a\uD800b")).isEqualTo("\"a\uFFFDb\"");
    }
}
