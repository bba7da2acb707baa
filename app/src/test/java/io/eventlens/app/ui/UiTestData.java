package io.eventlens.app.ui;

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
}
