package io.eventlens.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The fields EventLens derives from a message by extraction rules (docs/reference/extraction-rules.md).
 * Each field is {@code null} when no rule matched.
 *
 * <p>The fields, each a {@link Derived} value with its rule:
 * <ul>
 * <li>{@code correlationId}: correlation ID, the key of a timeline;</li>
 * <li>{@code eventId}: event ID; when no rule matched, a synthetic hash of channel, key and
 *     payload with {@link #eventIdSynthetic()} true;</li>
 * <li>{@code eventType}: event type (CloudEvents {@code type} and friends);</li>
 * <li>{@code eventTime}: the event's own declared time; or, when no rule found one, the broker
 *     timestamp of the observation with a rule starting with {@link #BROKER_TIMESTAMP_RULE} (see
 *     {@link #eventTimeFromBroker()});</li>
 * <li>{@code sequence}: the event's sequence number within its ordering scope;</li>
 * <li>{@code causationId}: the ID of the event that caused this one.</li>
 * </ul>
 *
 * <p>Immutable value with the semantics of a record of those six {@link Derived} components (equals,
 * hashCode and toString as such a record's). It keeps values and rule texts flat, not as
 * {@code Derived} objects: one object per event instead of up to seven on the capture's hot path
 * (issue 6). The component accessors ({@link #correlationId()}, ...) therefore return a new, equal
 * {@code Derived} on each call; the {@code ...Value()} and {@code ...Rule()} accessors allocate nothing.
 */
public final class DerivedFields {

    /**
     * Rule text used when the event ID is a synthetic hash (docs/reference/extraction-rules.md: the
     * UI says so).
     */
    public static final String SYNTHETIC_EVENT_ID_RULE = "hash of channel, key and payload (no event ID found)";

    /**
     * How the rule text of an event time that fell back to the broker timestamp starts, followed
     * by what the timestamp is, for example {@code "broker timestamp (CreateTime)"}
     * (docs/reference/extraction-rules.md, "Event time").
     */
    public static final String BROKER_TIMESTAMP_RULE = "broker timestamp";

    /** No derived fields at all. */
    public static final DerivedFields NONE = new DerivedFields(null, null, null, null, null, null, null, null, null,
            null, null, null);

    private final String correlationId;
    private final String correlationIdRule;
    private final String eventId;
    private final String eventIdRule;
    private final String eventType;
    private final String eventTypeRule;
    private final Instant eventTime;
    private final String eventTimeRule;
    private final Long sequence;
    private final String sequenceRule;
    private final String causationId;
    private final String causationIdRule;

    /**
     * Derived fields from their {@link Derived} values.
     *
     * @param correlationId correlation ID, the key of a timeline, or {@code null}
     * @param eventId       event ID, or {@code null}
     * @param eventType     event type, or {@code null}
     * @param eventTime     event time, or {@code null}
     * @param sequence      sequence number, or {@code null}
     * @param causationId   causation ID, or {@code null}
     */
    public DerivedFields(Derived<String> correlationId, Derived<String> eventId, Derived<String> eventType,
                         Derived<Instant> eventTime, Derived<Long> sequence, Derived<String> causationId) {
        this(value(correlationId), rule(correlationId), value(eventId), rule(eventId), value(eventType), rule(eventType),
                value(eventTime), rule(eventTime), value(sequence), rule(sequence), value(causationId), rule(causationId));
    }

    private DerivedFields(String correlationId, String correlationIdRule, String eventId, String eventIdRule,
                          String eventType, String eventTypeRule, Instant eventTime, String eventTimeRule,
                          Long sequence, String sequenceRule, String causationId, String causationIdRule) {
        this.correlationId = correlationId;
        this.correlationIdRule = correlationIdRule;
        this.eventId = eventId;
        this.eventIdRule = eventIdRule;
        this.eventType = eventType;
        this.eventTypeRule = eventTypeRule;
        this.eventTime = eventTime;
        this.eventTimeRule = eventTimeRule;
        this.sequence = sequence;
        this.sequenceRule = sequenceRule;
        this.causationId = causationId;
        this.causationIdRule = causationIdRule;
    }

    /**
     * Derived fields from values and rule texts, without {@link Derived} objects (the extractor's
     * way). A field is absent when both its value and its rule are {@code null}; a present field has
     * both, as a {@link Derived} would.
     *
     * @throws NullPointerException     naming the rule when a value is given without its rule
     * @throws IllegalArgumentException naming the field when a rule is given without a value
     */
    public static DerivedFields of(String correlationId, String correlationIdRule, String eventId, String eventIdRule,
                                   String eventType, String eventTypeRule, Instant eventTime, String eventTimeRule,
                                   Long sequence, String sequenceRule, String causationId, String causationIdRule) {
        check("correlationId", correlationId, correlationIdRule);
        check("eventId", eventId, eventIdRule);
        check("eventType", eventType, eventTypeRule);
        check("eventTime", eventTime, eventTimeRule);
        check("sequence", sequence, sequenceRule);
        check("causationId", causationId, causationIdRule);
        return new DerivedFields(correlationId, correlationIdRule, eventId, eventIdRule, eventType, eventTypeRule,
                eventTime, eventTimeRule, sequence, sequenceRule, causationId, causationIdRule);
    }

    private static void check(String field, Object value, String rule) {
        if (value != null) {
            if (rule == null) {
                // not requireNonNull(rule, field + " rule"): that builds its message for every event
                throw new NullPointerException(field + " rule");
            }
        } else if (rule != null) {
            throw new IllegalArgumentException(field + ": rule '" + rule + "' without a value");
        }
    }

    private static <T> T value(Derived<T> d) {
        return d == null ? null : d.value();
    }

    private static String rule(Derived<?> d) {
        return d == null ? null : d.rule();
    }

    private static <T> Derived<T> derived(T value, String rule) {
        return value == null ? null : new Derived<>(value, rule);
    }

    /** The correlation ID with its rule, or {@code null} (a new, equal {@link Derived} on each call). */
    public Derived<String> correlationId() {
        return derived(correlationId, correlationIdRule);
    }

    /** The event ID with its rule, or {@code null} (a new, equal {@link Derived} on each call). */
    public Derived<String> eventId() {
        return derived(eventId, eventIdRule);
    }

    /** The event type with its rule, or {@code null} (a new, equal {@link Derived} on each call). */
    public Derived<String> eventType() {
        return derived(eventType, eventTypeRule);
    }

    /** The event time with its rule, or {@code null} (a new, equal {@link Derived} on each call). */
    public Derived<Instant> eventTime() {
        return derived(eventTime, eventTimeRule);
    }

    /** The sequence number with its rule, or {@code null} (a new, equal {@link Derived} on each call). */
    public Derived<Long> sequence() {
        return derived(sequence, sequenceRule);
    }

    /** The causation ID with its rule, or {@code null} (a new, equal {@link Derived} on each call). */
    public Derived<String> causationId() {
        return derived(causationId, causationIdRule);
    }

    /** The correlation ID value, or {@code null}. */
    public String correlationIdValue() {
        return correlationId;
    }

    /** The rule that found the correlation ID, or {@code null} when there is none. */
    public String correlationIdRule() {
        return correlationIdRule;
    }

    /** The event ID value, or {@code null}. */
    public String eventIdValue() {
        return eventId;
    }

    /** The rule that found the event ID, or {@code null} when there is none. */
    public String eventIdRule() {
        return eventIdRule;
    }

    /** The event type value, or {@code null}. */
    public String eventTypeValue() {
        return eventType;
    }

    /** The rule that found the event type, or {@code null} when there is none. */
    public String eventTypeRule() {
        return eventTypeRule;
    }

    /** The event time value, or {@code null}. */
    public Instant eventTimeValue() {
        return eventTime;
    }

    /** The rule that found the event time, or {@code null} when there is none. */
    public String eventTimeRule() {
        return eventTimeRule;
    }

    /**
     * True when the event time is not the event's own but the broker timestamp of its observation
     * (no header or payload field gave one). Such a time says nothing about the producer's clock
     * or the event's delay, so LAG and CLOCK_SKEW never compare against it.
     */
    public boolean eventTimeFromBroker() {
        return eventTime != null && eventTimeRule.startsWith(BROKER_TIMESTAMP_RULE);
    }

    /**
     * The event's own declared time (a header or payload field), or {@code null} when there is none
     * or the event time is only the broker timestamp ({@link #eventTimeFromBroker()}).
     */
    public Instant declaredEventTimeValue() {
        return eventTimeFromBroker() ? null : eventTimeValue();
    }

    /** A copy with another event time ({@code null}: none). */
    public DerivedFields withEventTime(Derived<Instant> newEventTime) {
        return new DerivedFields(correlationId, correlationIdRule, eventId, eventIdRule, eventType, eventTypeRule,
                value(newEventTime), rule(newEventTime), sequence, sequenceRule, causationId, causationIdRule);
    }

    /** The sequence value, or {@code null}. */
    public Long sequenceValue() {
        return sequence;
    }

    /** The rule that found the sequence number, or {@code null} when there is none. */
    public String sequenceRule() {
        return sequenceRule;
    }

    /** The causation ID value, or {@code null}. */
    public String causationIdValue() {
        return causationId;
    }

    /** The rule that found the causation ID, or {@code null} when there is none. */
    public String causationIdRule() {
        return causationIdRule;
    }

    /** True when the event ID is a synthetic hash because no rule found one. */
    public boolean eventIdSynthetic() {
        return eventId != null && SYNTHETIC_EVENT_ID_RULE.equals(eventIdRule);
    }

    /** Equal when every field has an equal value and rule (as a record of six {@link Derived} components). */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof DerivedFields d
                && Objects.equals(correlationId, d.correlationId) && Objects.equals(correlationIdRule, d.correlationIdRule)
                && Objects.equals(eventId, d.eventId) && Objects.equals(eventIdRule, d.eventIdRule)
                && Objects.equals(eventType, d.eventType) && Objects.equals(eventTypeRule, d.eventTypeRule)
                && Objects.equals(eventTime, d.eventTime) && Objects.equals(eventTimeRule, d.eventTimeRule)
                && Objects.equals(sequence, d.sequence) && Objects.equals(sequenceRule, d.sequenceRule)
                && Objects.equals(causationId, d.causationId) && Objects.equals(causationIdRule, d.causationIdRule);
    }

    /** The hash code a record of the six {@link Derived} components (themselves records) would have. */
    @Override
    public int hashCode() {
        int h = derivedHash(correlationId, correlationIdRule);
        h = h * 31 + derivedHash(eventId, eventIdRule);
        h = h * 31 + derivedHash(eventType, eventTypeRule);
        h = h * 31 + derivedHash(eventTime, eventTimeRule);
        h = h * 31 + derivedHash(sequence, sequenceRule);
        return h * 31 + derivedHash(causationId, causationIdRule);
    }

    /** {@link Derived#hashCode()} of a present field, 0 for an absent one. */
    private static int derivedHash(Object value, String rule) {
        return value == null ? 0 : value.hashCode() * 31 + rule.hashCode();
    }

    /** As a record's: {@code DerivedFields[correlationId=Derived[value=c-1, rule=header correlationId], eventId=null, ...]}. */
    @Override
    public String toString() {
        return "DerivedFields[correlationId=" + correlationId() + ", eventId=" + eventId() + ", eventType=" + eventType()
                + ", eventTime=" + eventTime() + ", sequence=" + sequence() + ", causationId=" + causationId() + "]";
    }
}
