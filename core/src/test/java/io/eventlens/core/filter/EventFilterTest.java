package io.eventlens.core.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.testkit.TestEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFilterTest {

    static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    /** A payment event: JSON payload with an amount, headers, a key. */
    static CapturedEvent payment(String type, long amountCents, String payloadOverride) {
        String json = payloadOverride != null ? payloadOverride
                : "{\"type\":\"" + type + "\",\"amountCents\":" + amountCents
                        + ",\"customer\":{\"name\":\"Ann \\\"A\\\" O'Neil\",\"vip\":true},\"items\":[1,2,3],\"note\":null,\"ratio\":0.5}";
        DerivedFields derived = new DerivedFields(new Derived<>("order-7", "header correlationId"),
                new Derived<>("evt-1", "header eventId"), new Derived<>(type, "json /type"),
                new Derived<>(T.minusMillis(5), "json /time"), null, null);
        return new CapturedEvent(1, Channel.kafkaTopic("payments"),
                new SourcePosition.Kafka(3, 42, TimestampType.CREATE_TIME), T, T.plusSeconds(1),
                "cust-9".getBytes(StandardCharsets.UTF_8),
                List.of(Header.ofString("traceparent", "00-abc-01"), Header.ofString("x-tenant", "acme")),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), derived);
    }

    static CapturedEvent payment() {
        return payment("PaymentAuthorized", 15_000, null);
    }

    static final FilterContext LAGGING = new FilterContext() {
        @Override
        public List<String> anomalies(CapturedEvent event) {
            return List.of("LAG", "DUPLICATE");
        }

        @Override
        public String verdict(CapturedEvent event) {
            return "STOPPED";
        }
    };

    private static boolean keeps(String expr) {
        return EventFilter.compile(expr).test(payment(), LAGGING);
    }

    @Test
    void theIssuesExampleKeepsALargeLaggingPayment() {
        String expr = "type == \"PaymentAuthorized\" && payload.amountCents > 10000 && \"LAG\" in anomalies";
        EventFilter f = EventFilter.compile(expr);
        assertThat(f.test(payment(), LAGGING)).isTrue();
        assertThat(f.test(payment("PaymentAuthorized", 500, null), LAGGING)).isFalse();
        assertThat(f.test(payment(), FilterContext.NONE)).isFalse();
        assertThat(f.variables()).containsExactly("type", "payload", "anomalies");
        assertThat(f.needsAnalysis()).isTrue();
    }

    @Test
    void eachVariableHasTheEventsValue() {
        assertThat(keeps("channel == 'payments'")).isTrue();
        assertThat(keeps("partition == 3")).isTrue();
        assertThat(keeps("offset == 42")).isTrue();
        assertThat(keeps("key == 'cust-9'")).isTrue();
        assertThat(keeps("headers['x-tenant'] == 'acme' && headers.traceparent.startsWith('00-')")).isTrue();
        assertThat(keeps("'missing' in headers")).isFalse();
        assertThat(keeps("type == 'PaymentAuthorized'")).isTrue();
        assertThat(keeps("eventId == 'evt-1'")).isTrue();
        assertThat(keeps("correlationId == 'order-7'")).isTrue();
        assertThat(keeps("eventTime == timestamp('2026-11-22T09:59:59.995Z')")).isTrue();
        assertThat(keeps("observedAt == timestamp('2026-11-22T10:00:00Z')")).isTrue();
        assertThat(keeps("observedAt - eventTime == duration('5ms')")).isTrue();
        assertThat(keeps("observedAt.getHours('UTC') == 10")).isTrue();
        assertThat(keeps("payload.customer.name == 'Ann \"A\" O\\'Neil' && payload.customer.vip")).isTrue();
        assertThat(keeps("payload.items.exists(i, i == 2) && size(payload.items) == 3")).isTrue();
        assertThat(keeps("payload.note == null && payload.ratio == 0.5 && payload.amountCents == 15000.0")).isTrue();
        assertThat(keeps("anomalies == ['LAG', 'DUPLICATE']")).isTrue();
        assertThat(keeps("verdict == 'STOPPED'")).isTrue();
    }

    @Test
    void aPayloadThatIsNotJsonIsTextOrBytesAndATombstoneIsNull() {
        assertThat(EventFilter.compile("payload == 'plain text'").test(payment("T", 0, "plain text"))).isTrue();
        assertThat(EventFilter.compile("payload.contains('ain')").test(payment("T", 0, "plain text"))).isTrue();
        CapturedEvent binary = payment("T", 0, null);
        binary = new CapturedEvent(1, binary.channel(), binary.source(), T, T, null, List.of(),
                new byte[] {(byte) 0xff, 0, 1}, binary.derived());
        assertThat(EventFilter.compile("payload == b'\\xff\\x00\\x01'").test(binary)).isTrue();
        assertThat(EventFilter.compile("key == ''").test(binary)).isTrue();
        CapturedEvent tombstone = new CapturedEvent(1, binary.channel(), binary.source(), T, T, null, List.of(), null,
                DerivedFields.NONE);
        assertThat(EventFilter.compile("payload == null && type == '' && eventTime == observedAt").test(tombstone)).isTrue();
        assertThat(EventFilter.compile("payload == '{broken'").test(payment("T", 0, "{broken"))).isTrue();
    }

    @Test
    void anEvaluationErrorDoesNotKeepTheEvent() {
        assertThat(keeps("payload.noSuchField == 1")).isFalse();
        assertThat(keeps("!(payload.noSuchField == 1)")).isFalse();
        assertThat(keeps("has(payload.noSuchField)")).isFalse();
        assertThat(keeps("has(payload.amountCents)")).isTrue();
        assertThat(EventFilter.compile("payload.amountCents > 1").test(payment("T", 0, "text"))).isFalse();
    }

    @Test
    void aBlankExpressionKeepsEverything() {
        assertThat(EventFilter.compile("  ")).isSameAs(EventFilter.ALL);
        assertThat(EventFilter.compile(null).test(payment())).isTrue();
        assertThat(EventFilter.ALL.keepsAll()).isTrue();
    }

    @Test
    void theAnalysisIsAskedOnlyWhenTheExpressionNamesIt() {
        FilterContext refusing = new FilterContext() {
            @Override
            public List<String> anomalies(CapturedEvent event) {
                throw new AssertionError("not asked");
            }

            @Override
            public String verdict(CapturedEvent event) {
                throw new AssertionError("not asked");
            }
        };
        assertThat(EventFilter.compile("type == 'PaymentAuthorized'").test(payment(), refusing)).isTrue();
        assertThat(EventFilter.compile("type == 'x' && verdict == 'STOPPED'").needsAnalysis()).isTrue();
    }

    @Test
    void aSyntaxErrorNamesLineAndColumnAndPointsAtIt() {
        assertThatThrownBy(() -> EventFilter.compile("type == 'A' &&\n  payload.x >> 3"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(14);
                    assertThat(e.getMessage()).contains("at line 2, column 14");
                    assertThat(e.pointer()).isEqualTo("  payload.x >> 3\n             ^");
                    assertThat(e.offset()).isEqualTo("type == 'A' &&\n  payload.x >".length());
                });
        assertThatThrownBy(() -> EventFilter.compile("type == 'unclosed"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(9);
                });
    }

    @Test
    void aTypeErrorNamesTheOperatorsPosition() {
        assertThatThrownBy(() -> EventFilter.compile("partition == 'three'"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.reason()).contains("no matching overload").contains("_==_");
                    assertThat(e.column()).isEqualTo(11);
                });
        assertThatThrownBy(() -> EventFilter.compile("channel"))
                .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.reason()).contains("bool"));
        assertThatThrownBy(() -> EventFilter.compile("anomalies.size() + 'x' > 1"))
                .isInstanceOf(FilterException.class);
    }

    @Test
    void anExpressionThatReachesOutsideIsToldThereIsNoSuchFunction() {
        for (String expr : List.of("exec('rm -rf /')", "file('/etc/passwd') == ''",
                "channel == 'a' || System.exit(1)", "'x'.exec()", "java.lang.Runtime.getRuntime() == null",
                "env('HOME') == ''")) {
            assertThatThrownBy(() -> EventFilter.compile(expr)).as(expr)
                    .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.reason())
                            .containsAnyOf("there is no such function", "there is no such variable"));
        }
        assertThatThrownBy(() -> EventFilter.compile("exec(\"x\")"))
                .isInstanceOfSatisfying(FilterException.class, e -> {
                    assertThat(e.reason()).startsWith("there is no such function: exec");
                    assertThat(e.column()).isEqualTo(5);
                });
        assertThatThrownBy(() -> EventFilter.compile("chanel == 'x'"))
                .isInstanceOfSatisfying(FilterException.class, e -> assertThat(e.reason())
                        .startsWith("there is no such variable: chanel").contains("channel, partition"));
    }

    @Test
    void aLongLineIsCutAroundTheErrorInThePointer() {
        String expr = "channel == 'a' || ".repeat(30) + "channel = 'b'";
        FilterException e = org.junit.jupiter.api.Assertions.assertThrows(FilterException.class,
                () -> EventFilter.compile(expr));
        String[] lines = e.pointer().split("\n");
        assertThat(lines[0]).hasSizeLessThanOrEqualTo(200);
        assertThat(lines[0].charAt(lines[1].length() - 1)).isEqualTo(expr.charAt(e.offset()));
    }

    @Test
    void theConjunctionsIndexedTermsAreConstraints() {
        IndexedConstraints c = EventFilter.compile("channel == 'payments' && 'PaymentAuthorized' == type"
                + " && observedAt >= timestamp('2026-11-22T10:00:00.0005Z') && observedAt < timestamp('2026-11-22T11:00:00Z')"
                + " && payload.amountCents > 3").constraints();
        assertThat(c.channels()).containsExactly("payments");
        assertThat(c.types()).containsExactly("PaymentAuthorized");
        assertThat(c.observedFromMs()).isEqualTo(Instant.parse("2026-11-22T10:00:00Z").toEpochMilli());
        assertThat(c.observedToMs()).isEqualTo(Instant.parse("2026-11-22T11:00:00Z").toEpochMilli());
        assertThat(c.correlationIds()).isNull();

        IndexedConstraints in = EventFilter.compile("channel in ['a', 'b'] && correlationId == 'c-1' && eventId == 'e'")
                .constraints();
        assertThat(in.channels()).containsExactlyInAnyOrder("a", "b");
        assertThat(in.correlationIds()).containsExactly("c-1");
        assertThat(in.eventIds()).containsExactly("e");

        assertThat(EventFilter.compile("channel == 'a' || type == 'b'").constraints().any()).isFalse();
        assertThat(EventFilter.compile("!(channel == 'a')").constraints().any()).isFalse();
        assertThat(EventFilter.compile("channel == 'a' && channel == 'b'").constraints().channels()).isEmpty();
        assertThat(EventFilter.compile("timestamp('2026-01-01T00:00:00Z') < observedAt").constraints().observedFromMs())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
    }

    @Test
    void testEventsFromTheTestkitWork() {
        CapturedEvent e = TestEvents.event("orders", 1, 7, "c-1", "e-7");
        assertThat(EventFilter.compile("payload.sequence == 7 && headers.correlationId == 'c-1' && headers.empty == ''")
                .test(e)).isTrue();
    }
}
