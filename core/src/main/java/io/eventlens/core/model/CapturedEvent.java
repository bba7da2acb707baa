package io.eventlens.core.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One observation of one message (docs/reference/vocabulary.md, "captured event / observation").
 *
 * @param seq        the event's position in its capture store, 1-based and dense in store order;
 *                   0 for an event not yet stored
 * @param channel    the channel it was observed on
 * @param source     source coordinates (Kafka partition and offset, ...)
 * @param observedAt observed time: when the system saw the event (a Kafka record's timestamp,
 *                   the capture time of live traffic); never the time of reading history
 * @param capturedAt wall-clock time at which EventLens captured it
 * @param key        message key bytes, or {@code null}
 * @param headers    headers in delivered order; never null
 * @param payload    payload bytes, or {@code null} for a tombstone
 * @param derived    derived fields found by the extraction rules; never null
 */
public record CapturedEvent(
        long seq,
        Channel channel,
        SourcePosition source,
        Instant observedAt,
        Instant capturedAt,
        byte[] key,
        List<Header> headers,
        byte[] payload,
        DerivedFields derived) {

    public CapturedEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(capturedAt, "capturedAt");
        headers = headers == null ? List.of() : List.copyOf(headers);
        derived = derived == null ? DerivedFields.NONE : derived;
    }

    /** A copy of this event with its store sequence set. */
    public CapturedEvent withSeq(long newSeq) {
        return new CapturedEvent(newSeq, channel, source, observedAt, capturedAt, key, headers, payload, derived);
    }

    /** Payload size in bytes (0 for a tombstone). */
    public int payloadSize() {
        return payload == null ? 0 : payload.length;
    }

    /** The first header with this name, compared case-insensitively, or {@code null}. */
    public Header header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedEvent e
                && seq == e.seq
                && channel.equals(e.channel)
                && source.equals(e.source)
                && observedAt.equals(e.observedAt)
                && capturedAt.equals(e.capturedAt)
                && Arrays.equals(key, e.key)
                && headers.equals(e.headers)
                && Arrays.equals(payload, e.payload)
                && derived.equals(e.derived);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, channel, source, observedAt) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "CapturedEvent[seq=" + seq + ", channel=" + channel + ", source=" + source
                + ", observedAt=" + observedAt + ", correlationId=" + derived.correlationIdValue()
                + ", eventId=" + derived.eventIdValue() + ", type=" + derived.eventTypeValue() + "]";
    }
}
