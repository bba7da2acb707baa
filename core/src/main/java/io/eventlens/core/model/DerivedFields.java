package io.eventlens.core.model;

import java.time.Instant;

/**
 * The fields EventLens derives from a message by extraction rules (docs/reference/extraction-rules.md).
 * Each field is {@code null} when no rule matched.
 *
 * @param correlationId correlation ID, the key of a timeline
 * @param eventId       event ID; when no rule matched, a synthetic hash of channel, key and
 *                      payload with {@link #eventIdSynthetic()} true
 * @param eventType     event type (CloudEvents {@code type} and friends)
 * @param eventTime     the event's own declared time; or, when no rule found one, the broker
 *                      timestamp of the observation with a rule starting with
 *                      {@link #BROKER_TIMESTAMP_RULE} (see {@link #eventTimeFromBroker()})
 * @param sequence      the event's sequence number within its ordering scope
 * @param causationId   the ID of the event that caused this one
 */
public record DerivedFields(
        Derived<String> correlationId,
        Derived<String> eventId,
        Derived<String> eventType,
        Derived<Instant> eventTime,
        Derived<Long> sequence,
        Derived<String> causationId) {

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
    public static final DerivedFields NONE = new DerivedFields(null, null, null, null, null, null);

    /** The correlation ID value, or {@code null}. */
    public String correlationIdValue() {
        return correlationId == null ? null : correlationId.value();
    }

    /** The event ID value, or {@code null}. */
    public String eventIdValue() {
        return eventId == null ? null : eventId.value();
    }

    /** The event type value, or {@code null}. */
    public String eventTypeValue() {
        return eventType == null ? null : eventType.value();
    }

    /** The event time value, or {@code null}. */
    public Instant eventTimeValue() {
        return eventTime == null ? null : eventTime.value();
    }

    /**
     * True when the event time is not the event's own but the broker timestamp of its observation
     * (no header or payload field gave one). Such a time says nothing about the producer's clock
     * or the event's delay, so LAG and CLOCK_SKEW never compare against it.
     */
    public boolean eventTimeFromBroker() {
        return eventTime != null && eventTime.rule().startsWith(BROKER_TIMESTAMP_RULE);
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
        return new DerivedFields(correlationId, eventId, eventType, newEventTime, sequence, causationId);
    }

    /** The sequence value, or {@code null}. */
    public Long sequenceValue() {
        return sequence == null ? null : sequence.value();
    }

    /** The causation ID value, or {@code null}. */
    public String causationIdValue() {
        return causationId == null ? null : causationId.value();
    }

    /** True when the event ID is a synthetic hash because no rule found one. */
    public boolean eventIdSynthetic() {
        return eventId != null && SYNTHETIC_EVENT_ID_RULE.equals(eventId.rule());
    }
}
