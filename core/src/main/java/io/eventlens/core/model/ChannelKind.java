package io.eventlens.core.model;

/** What kind of thing a {@link Channel} is. */
public enum ChannelKind {
    /** A Kafka topic. */
    KAFKA_TOPIC,
    /** An AMQP 0-9-1 (RabbitMQ) queue. */
    AMQP_QUEUE,
    /** An AMQP 0-9-1 (RabbitMQ) exchange. */
    AMQP_EXCHANGE,
    /** An HTTP test-probe endpoint that is polled for events. */
    PROBE
}
