package io.eventlens.core.replay;

import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One message a replay sends, after rewrites: exactly what {@code --dry-run} lists and the replay
 * log stores.
 *
 * @param index            0-based place in send order (across repeat rounds)
 * @param round            the repeat round, 0-based
 * @param sourceSeq        the store sequence of the captured event it replays
 * @param sourceChannel    the channel the event was captured on
 * @param targetChannel    the Kafka topic or AMQP exchange ({@code ""}: the default exchange)
 * @param routingKey       the AMQP routing key; null for Kafka
 * @param partition        the Kafka partition asked for, or null (the key decides; AMQP)
 * @param key              key bytes, or null
 * @param headers          headers as sent, the replay markers included
 * @param payload          payload bytes, or null
 * @param eventId          the event ID it carries (kept or renewed), or null when it has none
 * @param orderingKey      the group whose order is kept: target channel and key (Kafka) or routing key (AMQP)
 * @param askedOffsetNanos when it is due, nanoseconds after the first send
 * @param rewrites         what was changed, for people ({@code correlationId at header correlationId: c-1 -> 3f..})
 */
public record PlannedSend(int index, int round, long sourceSeq, String sourceChannel, String targetChannel,
                          String routingKey, Integer partition, byte[] key, List<Header> headers, byte[] payload,
                          String eventId, String orderingKey, long askedOffsetNanos, List<String> rewrites) {

    public PlannedSend {
        Objects.requireNonNull(sourceChannel, "sourceChannel");
        Objects.requireNonNull(targetChannel, "targetChannel");
        headers = List.copyOf(headers);
        rewrites = List.copyOf(rewrites);
    }

    /** The first header with this name (case-insensitive), decoded as UTF-8, or null. */
    public String header(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return h.valueAsString();
            }
        }
        return null;
    }

    /** The key as text: UTF-8, or null. */
    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }
}
