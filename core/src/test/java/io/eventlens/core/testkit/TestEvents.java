package io.eventlens.core.testkit;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Captured events with ready derived fields, for store tests that need no extractor. */
public final class TestEvents {

    /** Observed time of the first event built here; each later offset is 1 ms later. */
    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456789Z");

    private TestEvents() {
    }

    /**
     * A JSON event on {@code topic}, partition {@code partition}, at {@code offset}, with
     * correlation ID {@code correlationId} and event ID {@code eventId} (both from headers), a
     * type, a sequence and an event time from the payload.
     */
    public static CapturedEvent event(String topic, int partition, long offset, String correlationId, String eventId) {
        String json = "{\"eventId\":\"" + eventId + "\",\"correlationId\":\"" + correlationId
                + "\",\"type\":\"OrderPlaced\",\"sequence\":" + offset + "}";
        Instant observed = T0.plusMillis(offset);
        DerivedFields derived = new DerivedFields(
                new Derived<>(correlationId, "header correlationId"),
                new Derived<>(eventId, "header eventId"),
                new Derived<>("OrderPlaced", "json /type"),
                new Derived<>(observed.minusMillis(5), "json /timestamp"),
                new Derived<>(offset, "json /sequence"),
                null);
        return new CapturedEvent(0, Channel.kafkaTopic(topic),
                new SourcePosition.Kafka(partition, offset, TimestampType.CREATE_TIME),
                observed, observed.plusSeconds(1),
                ("key-" + correlationId).getBytes(StandardCharsets.UTF_8),
                List.of(Header.ofString("correlationId", correlationId), Header.ofString("eventId", eventId),
                        new Header("empty", null)),
                json.getBytes(StandardCharsets.UTF_8), derived);
    }

    /**
     * {@code count} events on {@code topic} partition 0 from offset {@code firstOffset}, five per
     * correlation ID {@code c-<n>} and event IDs {@code e-<offset>}.
     */
    public static List<CapturedEvent> events(String topic, long firstOffset, int count) {
        List<CapturedEvent> out = new ArrayList<>(count);
        for (long o = firstOffset; o < firstOffset + count; o++) {
            out.add(event(topic, 0, o, "c-" + (o / 5), "e-" + o));
        }
        return out;
    }
}
