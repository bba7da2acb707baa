package io.eventlens.core.amqp;

import io.eventlens.core.model.SourcePosition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an AMQP observation came from (docs/decisions/0011-amqp-source.md): the delivery as the
 * broker made it. Stored by the capture store as the position's answers (a
 * {@link io.eventlens.core.model.StoredPosition} when read back).
 *
 * @param mode         how EventLens read it: {@code tap} (its own queue bound to an exchange),
 *                     {@code spy} (its own queue with a named queue's bindings), {@code firehose}
 *                     ({@code amq.rabbitmq.trace}) or {@code browse} (a queue read without consuming it)
 * @param queue        the queue the message was read from: EventLens's tap queue, or the browsed queue
 * @param exchange     the exchange the message was published to ({@code ""} for the default exchange)
 * @param routingKey   its routing key
 * @param deliveryTag  the delivery tag on EventLens's channel
 * @param redelivered  the broker's redelivered flag
 * @param streamOffset the message's offset in a stream queue, or {@code null} (classic and quorum queues)
 * @param ordering     the queue whose order this observation follows (the spied or browsed queue,
 *                     else the tap queue)
 * @param deadLettered true when the observed time is the dead-letter time from {@code x-death}
 */
public record AmqpPosition(String mode, String queue, String exchange, String routingKey, long deliveryTag,
                           boolean redelivered, Long streamOffset, String ordering, boolean deadLettered)
        implements SourcePosition {

    /** The kind, as in {@link SourcePosition#sourceKind()}. */
    public static final String KIND = "amqp";

    public AmqpPosition {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(queue, "queue");
        exchange = exchange == null ? "" : exchange;
        routingKey = routingKey == null ? "" : routingKey;
    }

    @Override
    public String sourceKind() {
        return KIND;
    }

    /** {@code "queue NAME"}: RabbitMQ keeps the order of messages within one queue. */
    @Override
    public String orderingStream() {
        return "queue " + (ordering == null ? queue : ordering);
    }

    /** {@code queue@offset} for stream queues; {@code null} otherwise (a delivery tag is no message identity). */
    @Override
    public String messageCoordinates() {
        return streamOffset == null ? null : queue + "@" + streamOffset;
    }

    @Override
    public String describe() {
        String ex = exchange.isEmpty() ? "(default)" : exchange;
        return ex + " → " + (ordering == null ? queue : ordering) + " rk=" + routingKey
                + (streamOffset == null ? " #" + deliveryTag : " @" + streamOffset) + (redelivered ? " redelivered" : "");
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("exchange", exchange);
        m.put("routingKey", routingKey);
        m.put("queue", queue);
        if (ordering != null && !ordering.equals(queue)) {
            m.put("observedQueue", ordering);
        }
        m.put("deliveryTag", deliveryTag);
        m.put("redelivered", redelivered);
        if (streamOffset != null) {
            m.put("streamOffset", streamOffset);
        }
        return m;
    }

    @Override
    public String observedTimeMeaning() {
        return deadLettered ? "dead-letter time (x-death)" : "capture time";
    }

    @Override
    public String toString() {
        return describe();
    }
}
