package io.eventlens.core.deadletter;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A capture with dead letters of every Kafka convention, interleaved with ordinary traffic: Spring
 * {@code DeadLetterPublishingRecoverer} copies on {@code orders.DLT} (two reasons), Kafka Connect
 * copies on {@code sink-errors} (named like no dead-letter channel: recognised by its headers), a
 * channel-name dead-letter queue {@code payments-dlq} without headers, and Spring
 * {@code @RetryableTopic} copies on {@code orders-retry-0} (retries, not dead letters).
 */
final class DeadLetterScenario {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final EventExtractor EXTRACTOR = EventExtractor.withDefaults();

    /** Events per flow: order, payment; every 10th flow is dead-lettered somewhere. */
    final List<CapturedEvent> events = new ArrayList<>();
    long springInvalid;
    long springTimeout;
    long connect;
    long channelNamed;
    long retries;

    DeadLetterScenario(int flows) {
        long offset = 0;
        for (int i = 0; i < flows; i++) {
            String c = "c-" + i;
            long at = i * 10L;
            events.add(event("orders", 0, offset, at, order(c, i), header("correlationId", c)));
            events.add(event("payments", 0, offset, at + 1, "{\"correlationId\":\"" + c + "\",\"type\":\"PaymentTaken\"}",
                    header("correlationId", c)));
            switch (i % 10) {
                case 3 -> {
                    boolean invalid = i % 20 == 3;
                    events.add(event("orders.DLT", 0, offset, at + 5, order(c, i), header("correlationId", c),
                            header("kafka_dlt-original-topic", "orders"),
                            new Header("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(0).array()),
                            new Header("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(offset).array()),
                            header("kafka_dlt-exception-fqcn", invalid ? "com.shop.InvalidOrderException"
                                    : "java.util.concurrent.TimeoutException"),
                            header("kafka_dlt-exception-message", invalid ? "amount must be positive" : "inventory timed out"),
                            header("kafka_dlt-exception-stacktrace", "com.shop.InvalidOrderException: amount must be positive\n"
                                    + "\tat com.shop.OrderListener.on(OrderListener.java:42)"),
                            new Header("kafka_deliveryAttempt", ByteBuffer.allocate(4).putInt(3).array())));
                    if (invalid) {
                        springInvalid++;
                    } else {
                        springTimeout++;
                    }
                }
                case 5 -> {
                    events.add(event("sink-errors", 0, offset, at + 5, order(c, i), header("correlationId", c),
                            header("__connect.errors.topic", "payments"),
                            header("__connect.errors.partition", "0"),
                            header("__connect.errors.offset", Long.toString(offset)),
                            header("__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException"),
                            header("__connect.errors.exception.message", "Converting byte[] to Kafka Connect data failed"),
                            header("__connect.errors.exception.stacktrace", "org.apache.kafka.connect.errors.DataException: ...")));
                    connect++;
                }
                case 7 -> {
                    events.add(event("payments-dlq", 0, offset, at + 5, "{\"correlationId\":\"" + c
                            + "\",\"type\":\"PaymentTaken\"}", header("correlationId", c)));
                    channelNamed++;
                }
                case 9 -> {
                    events.add(event("orders-retry-0", 0, offset, at + 5, order(c, i), header("correlationId", c),
                            header("kafka_original-topic", "orders"),
                            header("kafka_exception-fqcn", "java.lang.IllegalStateException"),
                            header("kafka_exception-message", "try again")));
                    retries++;
                }
                default -> { }
            }
            offset++;
        }
    }

    long deadLettered() {
        return springInvalid + springTimeout + connect + channelNamed;
    }

    static String order(String c, int i) {
        return "{\"correlationId\":\"" + c + "\",\"type\":\"OrderPlaced\",\"orderId\":" + i + "}";
    }

    static Header header(String name, String value) {
        return Header.ofString(name, value);
    }

    static CapturedEvent event(String topic, int partition, long offset, long atMs, String json, Header... headers) {
        Channel channel = Channel.kafkaTopic(topic);
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        byte[] key = ("k-" + offset).getBytes(StandardCharsets.UTF_8);
        List<Header> hs = List.of(headers);
        Instant observed = T0.plusMillis(atMs);
        return new CapturedEvent(0, channel, new SourcePosition.Kafka(partition, offset, TimestampType.CREATE_TIME),
                observed, observed, key, hs, payload, EXTRACTOR.extract(channel, key, hs, payload));
    }
}
