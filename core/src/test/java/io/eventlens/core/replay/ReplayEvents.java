package io.eventlens.core.replay;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Captured events for replay tests, with derived fields found by the default extraction rules. */
public final class ReplayEvents {

    public static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final EventExtractor EXTRACTOR = EventExtractor.withDefaults();

    private ReplayEvents() {
    }

    /** A Kafka event at {@code ms} after {@link #T0}, with these headers and payload; derived fields extracted. */
    public static CapturedEvent kafka(long seq, String topic, int partition, long offset, String key, long ms,
                               List<Header> headers, String payload) {
        Channel ch = Channel.kafkaTopic(topic);
        byte[] k = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        byte[] p = payload == null ? null : payload.getBytes(StandardCharsets.UTF_8);
        Instant at = T0.plusMillis(ms);
        return new CapturedEvent(seq, ch, new SourcePosition.Kafka(partition, offset, TimestampType.CREATE_TIME),
                at, at, k, headers, p, EXTRACTOR.extract(ch, k, headers, p));
    }

    /** A JSON order event of flow {@code cid}: correlation ID in a header, event ID and sequence in the payload. */
    public static CapturedEvent order(long seq, int partition, String key, long ms, String cid, String eventId, int sequence,
                               String type) {
        return kafka(seq, "orders", partition, seq, key, ms,
                List.of(Header.ofString("correlationId", cid), Header.ofString("tenant", "acme")),
                "{\"eventId\":\"" + eventId + "\",\"type\":\"" + type + "\",\"sequence\":" + sequence
                        + ",\"correlationId\":\"" + cid + "\"}");
    }
}
