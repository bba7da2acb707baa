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

    /** A Spring {@code DeadLetterPublishingRecoverer} copy of an event on {@code orders.DLT}, with its headers. */
    public static CapturedEvent springDeadLetter(long offset, long atMs, String correlationId, String eventId,
                                                 int originalPartition, long originalOffset, String exception,
                                                 String message) {
        CapturedEvent plain = event("orders.DLT", 0, offset, atMs, correlationId, eventId, "OrderPlaced", "");
        List<Header> headers = new ArrayList<>(plain.headers());
        headers.add(Header.ofString("kafka_dlt-original-topic", "orders"));
        headers.add(new Header("kafka_dlt-original-partition",
                java.nio.ByteBuffer.allocate(4).putInt(originalPartition).array()));
        headers.add(new Header("kafka_dlt-original-offset", java.nio.ByteBuffer.allocate(8).putLong(originalOffset).array()));
        headers.add(Header.ofString("kafka_dlt-exception-fqcn", exception));
        headers.add(Header.ofString("kafka_dlt-exception-message", message));
        headers.add(Header.ofString("kafka_dlt-exception-stacktrace", exception + ": " + message
                + "\n\tat com.shop.OrderListener.on(OrderListener.java:42)"));
        headers.add(new Header("kafka_deliveryAttempt", java.nio.ByteBuffer.allocate(4).putInt(3).array()));
        return new CapturedEvent(0, plain.channel(), plain.source(), plain.observedAt(), plain.capturedAt(), plain.key(),
                headers, plain.payload(), plain.derived());
    }

    /**
     * {@link #captureWithTroubledFlow()} plus two flows whose orders were dead-lettered with Spring's
     * headers for the same reason ({@code InvalidOrderException: amount N must be positive}): three
     * dead letters in two groups. The first of them ({@code c-ok-3}'s) points at its original, orders
     * partition 0 offset 3.
     */
    public static List<CapturedEvent> captureWithDeadLetters() {
        List<CapturedEvent> events = new ArrayList<>(captureWithTroubledFlow());
        events.add(springDeadLetter(1, 6000, "c-ok-3", "o-3-dlt", 0, 3, "com.shop.InvalidOrderException",
                "amount -3 must be positive"));
        events.add(springDeadLetter(2, 6100, "c-ok-4", "o-4-dlt", 0, 4, "com.shop.InvalidOrderException",
                "amount -4 must be positive"));
        return events;
    }

    /** The correlation ID of {@link #longFlow(String, int)}'s flows in the UI test and the screenshot. */
    public static final String LONG = "c-bulk-order-7";

    /**
     * A long, busy flow of {@code n} events (deterministic): an order's events over four topics and
     * six partitions with four record keys, mostly 20 to 60 ms apart with bursts of 60 events 1 ms apart,
     * a 6-minute stall at 30 % and a 40-minute stall at 60 %; every 850th event is redelivered (duplicate),
     * every 2,300th is redelivered with another payload (conflicting duplicate), and the last one lands on
     * orders.DLT (dead-lettered).
     */
    public static List<CapturedEvent> longFlow(String correlationId, int n) {
        String[][] steps = {
                {"orders", "OrderLineAdded"}, {"payments", "PaymentAuthorizationRequested"},
                {"inventory", "StockReservationConfirmed"}, {"orders", "OrderLinePriced"},
                {"shipping", "ShipmentLabelPrinted"}, {"payments", "PaymentCaptured"}};
        List<CapturedEvent> events = new ArrayList<>(n + n / 400);
        long at = 0;
        long[] offsets = new long[16];
        for (int i = 0; i < n - 1; i++) {
            if (i == (int) (n * 0.3)) {
                at += 6 * 60_000L;
            } else if (i == (int) (n * 0.6)) {
                at += 40 * 60_000L;
            } else {
                at += (i % 500) < 60 ? 1 : 20 + (i * 37L) % 41;
            }
            String[] step = steps[i % steps.length];
            int partition = step[0].equals("orders") ? (i / 6) % 3 : step[0].equals("payments") ? (i / 6) % 2 : 0;
            int slot = Math.abs((step[0] + partition).hashCode()) % offsets.length;
            String id = "e-" + i;
            CapturedEvent e = withKey(event(step[0], partition, offsets[slot]++, at, correlationId, id, step[1],
                    ",\"line\":" + i), "order-7/line-" + (i % 4));
            events.add(e);
            if (i % 850 == 849) {
                events.add(withKey(event(step[0], partition, offsets[slot]++, at + 3, correlationId, id, step[1],
                        ",\"line\":" + i), "order-7/line-" + (i % 4)));
            }
            if (i % 2300 == 2299) {
                events.add(withKey(event(step[0], partition, offsets[slot]++, at + 4, correlationId, id, step[1],
                        ",\"line\":" + (i + 1)), "order-7/line-" + (i % 4)));
            }
        }
        events.add(withKey(event("orders.DLT", 0, 0, at + 500, correlationId, "e-0", "OrderLineAdded", ",\"line\":0"),
                "order-7/line-0"));
        return events;
    }

    private static CapturedEvent withKey(CapturedEvent e, String key) {
        return new CapturedEvent(e.seq(), e.channel(), e.source(), e.observedAt(), e.capturedAt(),
                key.getBytes(StandardCharsets.UTF_8), e.headers(), e.payload(), e.derived());
    }
}
