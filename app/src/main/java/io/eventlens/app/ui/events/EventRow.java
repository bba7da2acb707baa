package io.eventlens.app.ui.events;

import io.eventlens.core.format.PayloadFormatter;
import io.eventlens.core.model.CapturedEvent;

import java.time.Instant;

/**
 * One row of the live event table: the summary of a captured event without its payload, so a page
 * of rows stays small however big the payloads are.
 *
 * @param seq           store sequence
 * @param observedAt    observed time
 * @param channel       channel name
 * @param position      partition/offset, e.g. {@code p2@1041}
 * @param key           the key as short text ("" when none)
 * @param type          event type or ""
 * @param eventId       event ID or "" (synthetic IDs are shown with a "#" prefix)
 * @param correlationId correlation ID or ""
 */
public record EventRow(long seq, Instant observedAt, String channel, String position, String key,
                       String type, String eventId, String correlationId) {

    /** The row of a captured event. */
    public static EventRow of(CapturedEvent e) {
        String position = e.source().describe();
        var d = e.derived();
        String id = d.eventIdValue() == null ? "" : (d.eventIdSynthetic() ? "#" : "") + d.eventIdValue();
        return new EventRow(e.seq(), e.observedAt(), e.channel().name(), position,
                PayloadFormatter.shortText(e.key(), 40),
                d.eventTypeValue() == null ? "" : d.eventTypeValue(),
                id,
                d.correlationIdValue() == null ? "" : d.correlationIdValue());
    }
}
