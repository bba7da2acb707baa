package io.eventlens.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DerivedFields} keeps its values flat but behaves as the record of six {@link Derived}
 * components it was: the same accessors, equals, hashCode and toString.
 */
class DerivedFieldsTest {

    /** The record DerivedFields was, for comparison. */
    private record AsRecord(Derived<String> correlationId, Derived<String> eventId, Derived<String> eventType,
                            Derived<Instant> eventTime, Derived<Long> sequence, Derived<String> causationId) {
    }

    @Test
    void behavesAsTheRecordOfItsComponents() {
        Random r = new Random(9);
        List<DerivedFields> made = new ArrayList<>();
        List<AsRecord> records = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Derived<String> c = r.nextInt(4) == 0 ? null : new Derived<>("c-" + r.nextInt(3), "rule " + r.nextInt(2));
            Derived<String> id = r.nextInt(4) == 0 ? null : new Derived<>("e-" + r.nextInt(3), "header eventId");
            Derived<String> type = r.nextInt(4) == 0 ? null : new Derived<>("T" + r.nextInt(2), "json /type");
            Derived<Instant> time = r.nextInt(4) == 0 ? null : new Derived<>(Instant.ofEpochSecond(r.nextInt(3)), "json /time");
            Derived<Long> seq = r.nextInt(4) == 0 ? null : new Derived<>((long) r.nextInt(3), "header seq");
            Derived<String> cause = r.nextInt(4) == 0 ? null : new Derived<>("x" + r.nextInt(2), "header causationId");
            DerivedFields d = r.nextBoolean() ? new DerivedFields(c, id, type, time, seq, cause)
                    : DerivedFields.of(value(c), rule(c), value(id), rule(id), value(type), rule(type), value(time), rule(time),
                            value(seq), rule(seq), value(cause), rule(cause));
            AsRecord expected = new AsRecord(c, id, type, time, seq, cause);
            assertThat(d.correlationId()).isEqualTo(c);
            assertThat(d.eventId()).isEqualTo(id);
            assertThat(d.eventType()).isEqualTo(type);
            assertThat(d.eventTime()).isEqualTo(time);
            assertThat(d.sequence()).isEqualTo(seq);
            assertThat(d.causationId()).isEqualTo(cause);
            assertThat(d.correlationIdValue()).isEqualTo(value(c));
            assertThat(d.correlationIdRule()).isEqualTo(rule(c));
            assertThat(d.eventTimeValue()).isEqualTo(value(time));
            assertThat(d.eventTimeRule()).isEqualTo(rule(time));
            assertThat(d.sequenceValue()).isEqualTo(value(seq));
            assertThat(d.sequenceRule()).isEqualTo(rule(seq));
            assertThat(d.hashCode()).isEqualTo(expected.hashCode());
            assertThat(d.toString()).isEqualTo(expected.toString().replaceFirst("^AsRecord", "DerivedFields"));
            made.add(d);
            records.add(expected);
        }
        for (int i = 0; i < made.size(); i += 7) {
            for (int j = 0; j < made.size(); j += 3) {
                assertThat(made.get(i).equals(made.get(j))).isEqualTo(records.get(i).equals(records.get(j)));
            }
        }
    }

    @Test
    void noneAndTheBrokerTimestampFallback() {
        assertThat(DerivedFields.NONE).isEqualTo(new DerivedFields(null, null, null, null, null, null));
        assertThat(DerivedFields.NONE.hashCode()).isZero();
        DerivedFields d = DerivedFields.NONE.withEventTime(new Derived<>(Instant.EPOCH, "broker timestamp (CreateTime)"));
        assertThat(d.eventTimeFromBroker()).isTrue();
        assertThat(d.declaredEventTimeValue()).isNull();
        assertThat(d.withEventTime(null)).isEqualTo(DerivedFields.NONE);
    }

    @Test
    void aValueNeedsItsRuleAndARuleItsValue() {
        assertThatThrownBy(() -> DerivedFields.of("c", null, null, null, null, null, null, null, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("correlationId");
        assertThatThrownBy(() -> DerivedFields.of(null, null, null, null, null, null, null, "json /t", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventTime");
    }

    private static <T> T value(Derived<T> d) {
        return d == null ? null : d.value();
    }

    private static String rule(Derived<?> d) {
        return d == null ? null : d.rule();
    }
}
