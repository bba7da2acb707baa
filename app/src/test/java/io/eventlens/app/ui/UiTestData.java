package io.eventlens.app.ui;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.Verdict;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Test events for the UI: one troubled checkout flow and background noise. */
public final class UiTestData {

    /** The correlation ID of the troubled flow. */
    public static final String TROUBLED = "c-checkout-42";
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private UiTestData() {
    }

    /** An event with JSON payload, derived fields from headers, observed {@code atMs} after T0. */
    public static CapturedEvent event(String topic, int partition, long offset, long atMs, String correlationId,
                                      String eventId, String type, String payloadExtra) {
        String json = "{\"eventId\":\"" + eventId + "\",\"correlationId\":\"" + correlationId + "\",\"type\":\""
                + type + "\"" + payloadExtra + "}";
        Instant observed = T0.plusMillis(atMs);
        DerivedFields derived = new DerivedFields(
                new Derived<>(correlationId, "header correlationId"),
                new Derived<>(eventId, "header eventId"),
                new Derived<>(type, "json /type"),
                null, null, null);
        return new CapturedEvent(0, Channel.kafkaTopic(topic),
                new SourcePosition.Kafka(partition, offset, TimestampType.CREATE_TIME),
                observed, observed,
                ("order-42").getBytes(StandardCharsets.UTF_8),
                List.of(Header.ofString("correlationId", correlationId), Header.ofString("eventId", eventId)),
                json.getBytes(StandardCharsets.UTF_8), derived);
    }

    /**
     * The troubled flow: order placed, payment, a redelivered payment (duplicate), inventory 3.5 s later
     * (lag), and the order on orders.DLT (dead-lettered); plus 40 healthy events of other flows.
     */
    public static List<CapturedEvent> captureWithTroubledFlow() {
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event("orders", 0, i, i * 10L, "c-ok-" + i, "o-" + i, "OrderPlaced", ""));
            events.add(event("payments", 0, i, i * 10L + 5, "c-ok-" + i, "p-" + i, "PaymentTaken", ""));
        }
        events.add(event("orders", 1, 100, 1000, TROUBLED, "e-order", "OrderPlaced", ",\"amount\":42"));
        events.add(event("payments", 1, 100, 1200, TROUBLED, "e-pay", "PaymentTaken", ""));
        events.add(event("payments", 1, 101, 1300, TROUBLED, "e-pay", "PaymentTaken", ""));
        events.add(event("inventory", 1, 100, 4800, TROUBLED, "e-inv", "StockReserved", ""));
        events.add(event("orders.DLT", 0, 0, 5000, TROUBLED, "e-order", "OrderPlaced", ",\"amount\":42"));
        return events;
    }

    /**
     * A small stand-in for the core analysis (used until the analysis branch lands and for pure view
     * model tests): DUPLICATE for a repeated event ID off dead-letter channels, LAG for gaps over 2 s,
     * DEAD_LETTERED on channels named like a DLT; the verdict is the most severe of them.
     */
    public static Timeline analyze(String correlationId, List<CapturedEvent> events) {
        List<CapturedEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(CapturedEvent::observedAt).thenComparingLong(CapturedEvent::seq));
        Map<String, CapturedEvent> seen = new HashMap<>();
        List<TimelineEntry> entries = new ArrayList<>();
        CapturedEvent prev = null;
        Verdict verdict = new Verdict(VerdictKind.HEALTHY, "healthy: " + sorted.size() + " events", 0);
        for (CapturedEvent e : sorted) {
            List<Anomaly> anomalies = new ArrayList<>();
            boolean dlt = AppServices.namedLikeDeadLetter(e.channel().name());
            if (dlt) {
                anomalies.add(new Anomaly(AnomalyKind.DEAD_LETTERED, "dead-lettered on " + e.channel().name(),
                        "dead-letter.channel-name", Map.of("channel", e.channel().name()), 0));
                verdict = new Verdict(VerdictKind.DEAD_LETTERED, "dead-lettered on " + e.channel().name(), e.seq());
            } else if (seen.containsKey(e.derived().eventIdValue())) {
                anomalies.add(new Anomaly(AnomalyKind.DUPLICATE, e.derived().eventIdValue() + " redelivered",
                        "duplicate.same-payload", Map.of(), seen.get(e.derived().eventIdValue()).seq()));
            }
            if (prev != null && Duration.between(prev.observedAt(), e.observedAt()).toMillis() > 2000) {
                long gap = Duration.between(prev.observedAt(), e.observedAt()).toMillis();
                anomalies.add(new Anomaly(AnomalyKind.LAG, e.channel().name() + " came " + gap + " ms after "
                        + prev.channel().name() + " (SLO 2000 ms)", "lag.previous-step", Map.of("gapMs", gap), prev.seq()));
            }
            seen.putIfAbsent(e.derived().eventIdValue(), e);
            entries.add(new TimelineEntry(e, anomalies));
            prev = e;
        }
        if (sorted.isEmpty()) {
            verdict = new Verdict(VerdictKind.NO_EVENTS, "nothing was produced for this correlation ID", 0);
        }
        return new Timeline(correlationId, entries, verdict);
    }

    /** Real core services with the stand-in analysis. */
    public static AppServices services() {
        return AppServices.real().withAnalyzer(UiTestData::analyze);
    }
}
