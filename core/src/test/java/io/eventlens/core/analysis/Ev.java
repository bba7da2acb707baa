package io.eventlens.core.analysis;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Test fixture: a fluent builder of captured events with derived fields set directly. */
final class Ev {

    static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

    private final long seq;
    private String channel = "orders";
    private int partition;
    private long offset = -1;
    private long atMs;
    private String key;
    private final List<Header> headers = new ArrayList<>();
    private String payload = "{}";
    private String eventId;
    private String type;
    private Instant eventTime;
    private Long sequence;
    private String eventTimeRule = "json /timestamp";
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private boolean probe;
    private String probeCoordinates;

    private Ev(long seq) {
        this.seq = seq;
    }

    /** An event with store sequence {@code seq} on {@code orders}, observed at T0, with a payload naming it. */
    static Ev ev(long seq) {
        Ev e = new Ev(seq);
        e.payload = "{\"n\":" + seq + "}";
        return e;
    }

    Ev on(String channelName) {
        this.channel = channelName;
        return this;
    }

    Ev pos(int p, long o) {
        this.partition = p;
        this.offset = o;
        return this;
    }

    /** Observed {@code ms} milliseconds after T0. */
    Ev at(long ms) {
        this.atMs = ms;
        return this;
    }

    Ev key(String k) {
        this.key = k;
        return this;
    }

    Ev id(String id) {
        this.eventId = id;
        return this;
    }

    Ev type(String t) {
        this.type = t;
        return this;
    }

    Ev payload(String p) {
        this.payload = p;
        return this;
    }

    Ev seqNo(long s) {
        this.sequence = s;
        return this;
    }

    /** Declared event time {@code ms} after T0 (may be negative). */
    Ev eventTime(long ms) {
        this.eventTime = T0.plusMillis(ms);
        return this;
    }

    /** Declared event time with another rule text (e.g. a broker-timestamp fallback stored by the capture). */
    Ev eventTime(long ms, String rule) {
        this.eventTime = T0.plusMillis(ms);
        this.eventTimeRule = rule;
        return this;
    }

    /** What the Kafka record's timestamp means. */
    Ev timestampType(TimestampType type) {
        this.timestampType = type;
        return this;
    }

    /**
     * Observed by the fake probe source ({@link ProbePosition}) on channel {@code checkout-probe}
     * (unless {@link #on} names another) with these answer coordinates (may be null).
     */
    Ev probe(String coordinates) {
        this.probe = true;
        this.probeCoordinates = coordinates;
        if (channel.equals("orders")) {
            channel = "checkout-probe";
        }
        return this;
    }

    Ev header(String name, String value) {
        headers.add(Header.ofString(name, value));
        return this;
    }

    Ev headerInt(String name, int value) {
        headers.add(new Header(name, ByteBuffer.allocate(4).putInt(value).array()));
        return this;
    }

    Ev headerLong(String name, long value) {
        headers.add(new Header(name, ByteBuffer.allocate(8).putLong(value).array()));
        return this;
    }

    CapturedEvent build() {
        Channel ch = probe ? new Channel(ChannelKind.PROBE, channel) : Channel.kafkaTopic(channel);
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        byte[] payloadBytes = payload == null ? null : payload.getBytes(StandardCharsets.UTF_8);
        Derived<String> id = eventId != null
                ? new Derived<>(eventId, "header eventId")
                : new Derived<>(EventExtractor.syntheticEventId(ch, keyBytes, payloadBytes), DerivedFields.SYNTHETIC_EVENT_ID_RULE);
        DerivedFields d = new DerivedFields(
                new Derived<>("c-1", "header correlationId"),
                id,
                type == null ? null : new Derived<>(type, "header eventType"),
                eventTime == null ? null : new Derived<>(eventTime, eventTimeRule),
                sequence == null ? null : new Derived<>(sequence, "json /sequence"),
                null);
        Instant observed = T0.plusMillis(atMs);
        SourcePosition position = probe ? new ProbePosition(probeCoordinates)
                : new SourcePosition.Kafka(partition, offset < 0 ? seq : offset, timestampType);
        return new CapturedEvent(seq, ch, position, observed, observed, keyBytes, headers, payloadBytes, d);
    }
}
