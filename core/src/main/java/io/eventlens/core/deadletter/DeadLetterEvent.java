package io.eventlens.core.deadletter;

import io.eventlens.core.analysis.DeadLetterChannels;
import io.eventlens.core.analysis.DeadLetterInfo;
import io.eventlens.core.model.CapturedEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * One dead-lettered event as the dead-letter report lists it: where and when it was observed and
 * what its channel and headers say ({@link DeadLetterChannels#inspect}). Small: no payload, no
 * headers (read the event by {@code seq} for those).
 *
 * @param seq           its store sequence
 * @param correlationId its correlation ID, or {@code null} when no extraction rule found one
 * @param eventId       its event ID, or {@code null}
 * @param channel       the dead-letter channel it was observed on
 * @param observedAt    its observed time
 * @param info          what it says about itself (reason, exception class, original channel and position, attempts)
 */
public record DeadLetterEvent(long seq, String correlationId, String eventId, String channel, Instant observedAt,
                              DeadLetterInfo info) {

    /** The longest reason or exception class text kept, in chars (longer ones are cut with {@code …}). */
    static final int MAX_TEXT = 500;

    public DeadLetterEvent {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(info, "info");
    }

    /**
     * The report's row of a dead-lettered event; long texts from its headers are cut to
     * {@value #MAX_TEXT} chars; when the headers do not name the original channel, the dead-letter
     * channel's name gives it where it can ({@link DeadLetterChannels#originalChannelOf}).
     */
    public static DeadLetterEvent of(CapturedEvent e) {
        DeadLetterInfo i = DeadLetterChannels.inspect(e.channel().name(), e.headers());
        // headers that do not name the original channel: the dead-letter channel's name may (orders.DLT → orders)
        String original = i.originalChannel() != null ? i.originalChannel()
                : DeadLetterChannels.originalChannelOf(e.channel().name());
        DeadLetterInfo bounded = new DeadLetterInfo(i.convention(), cut(original), i.originalPartition(),
                i.originalOffset(), cut(i.exceptionClass()), cut(i.reason()), i.attempts());
        return new DeadLetterEvent(e.seq(), e.derived().correlationIdValue(),
                e.derived().eventIdSynthetic() ? null : e.derived().eventIdValue(),
                e.channel().name(), e.observedAt(), bounded);
    }

    /** The exception text for people: {@code SimpleClassName: message}, or {@code null} ({@link DeadLetterInfo#reasonText()}). */
    public String exceptionText() {
        return info.reasonText();
    }

    static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
    }
}
