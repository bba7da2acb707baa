package io.eventlens.core.analysis;

import io.eventlens.core.model.CapturedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The human-readable form of a {@link Timeline} ({@code timeline --format text}): the verdict line
 * first, then one fixed-width line per event in observed order and, under each event, one indented
 * line per anomaly with its message. Columns: time offset from the first event in milliseconds,
 * store sequence, channel, source position (as the source describes it, {@code p0@12} for Kafka),
 * event type, event ID, and anomaly marks. Long values are cut with {@code …}; missing values show
 * as {@code -}. An event observed more than once (by two sources, or the same message read twice;
 * docs/reference/vocabulary.md, "observation") gets one indented {@code @} line per observation:
 * its offset, store sequence, source kind, channel, position and what its observed time means.
 * <pre>
 * VERDICT LAG: lag: orders → payments took 4.2 s, SLO 2 s (2.2 s over) [at #7]
 * Correlation ID c-42: 2 events (3 observations) on 3 channels, first observed 2026-11-22T04:00:00Z
 *
 *      +ms  seq    channel              position     type                   event ID                 anomalies
 *        0  #1     orders               p0@12        OrderPlaced            e-1
 *                   {@literal @} +0 ms #1 kafka orders p0@12 (Kafka CreateTime)
 *                   {@literal @} +35 ms #2 probe checkout-probe poll 1 #0 (probe poll time)
 *     4200  #7     payments             p1@3         PaymentTaken           e-3                      LAG
 *                   ! LAG orders → payments took 4.2 s, SLO 2 s
 * </pre>
 * Steps the flow's expected flow wanted and it did not have follow under "Expected steps not seen:",
 * one line each (after each event, when consumer groups were followed: {@code > group committed past it 230 ms later}
 * and {@code x group never committed past it (lag 3 records at capture end)}): the expected time's offset, {@code o}, the kind, the step and the evidence.
 */
public final class TimelineText {

    private static final String ROW = "%8s  %-6s %-20s %-12s %-22s %-24s %s";

    private TimelineText() {
    }

    /** The timeline as text lines separated by {@code \n}, ending with a newline. */
    public static String render(Timeline t) {
        StringBuilder sb = new StringBuilder();
        Verdict v = t.verdict();
        sb.append("VERDICT ").append(v.kind()).append(": ").append(v.message());
        if (v.atSeq() > 0) {
            sb.append(" [at #").append(v.atSeq()).append(']');
        }
        sb.append('\n');
        if (t.entries().isEmpty()) {
            sb.append("Correlation ID ").append(t.correlationId()).append(": no events\n");
            return sb.toString();
        }
        Set<String> channels = new LinkedHashSet<>();
        t.entries().forEach(e -> e.observations().forEach(o -> channels.add(o.channel().name())));
        int observations = t.entries().stream().mapToInt(e -> e.observations().size()).sum();
        Instant first = t.entries().get(0).event().observedAt();
        sb.append("Correlation ID ").append(t.correlationId()).append(": ")
                .append(t.entries().size()).append(t.entries().size() == 1 ? " event" : " events")
                .append(observations > t.entries().size() ? " (" + observations + " observations)" : "").append(" on ")
                .append(channels.size()).append(channels.size() == 1 ? " channel" : " channels")
                .append(", first observed ").append(first).append("\n\n");
        sb.append(String.format(ROW, "+ms", "seq", "channel", "position", "type", "event ID", "anomalies").stripTrailing())
                .append('\n');
        for (TimelineEntry entry : t.entries()) {
            CapturedEvent e = entry.event();
            StringBuilder marks = new StringBuilder();
            for (Anomaly a : entry.anomalies()) {
                if (marks.indexOf(a.kind().name()) < 0) {
                    marks.append(marks.isEmpty() ? "" : " ").append(a.kind().name());
                }
            }
            String eventId = e.derived().eventIdValue();
            if (e.derived().eventIdSynthetic()) {
                eventId = "~" + eventId.substring(0, Math.min(12, eventId.length())) + " (hash)";
            }
            sb.append(String.format(ROW,
                    Duration.between(first, e.observedAt()).toMillis(),
                    "#" + e.seq(),
                    cut(e.channel().name(), 20),
                    cut(e.source().describe(), 12),
                    cut(orDash(e.derived().eventTypeValue()), 22),
                    cut(orDash(eventId), 24),
                    marks).stripTrailing()).append('\n');
            if (entry.observedMoreThanOnce()) {
                for (CapturedEvent o : entry.observations()) {
                    sb.append(" ".repeat(18)).append("@ +").append(Duration.between(first, o.observedAt()).toMillis())
                            .append(" ms #").append(o.seq()).append(' ').append(o.source().sourceKind()).append(' ')
                            .append(o.channel().name()).append(' ').append(o.source().describe())
                            .append(" (").append(o.source().observedTimeMeaning()).append(")\n");
                }
            }
            for (Anomaly a : entry.anomalies()) {
                sb.append(" ".repeat(18)).append("! ").append(a.kind()).append(' ').append(a.message()).append('\n');
            }
            Consumption c = t.consumptionOf(entry);
            if (c != null) {
                for (Consumption.ConsumedBy b : c.consumedBy()) {
                    sb.append(" ".repeat(18)).append("> ").append(b.describe()).append('\n');
                }
                for (Consumption.NotConsumedBy n : c.notConsumedBy()) {
                    sb.append(" ".repeat(18)).append("x ").append(n.describe()).append('\n');
                }
            }
        }
        if (!t.expectedSteps().isEmpty()) {
            sb.append("\nExpected steps not seen:\n");
            for (ExpectedStep x : t.expectedSteps()) {
                sb.append(String.format("%8s  ", Duration.between(first, x.expectedAt()).toMillis()))
                        .append("o ").append(x.kind()).append(' ').append(x.label()).append(": ").append(x.message())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
