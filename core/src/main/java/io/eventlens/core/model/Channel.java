package io.eventlens.core.model;

import java.util.Objects;

/**
 * Where events flow: a Kafka topic, an AMQP queue or exchange, or a probe.
 * Whether a channel is a dead-letter channel is decided by the analysis rules
 * ({@code io.eventlens.core.analysis.DeadLetterChannels}), not stored here.
 *
 * @param kind what the channel is
 * @param name the topic, queue, exchange or probe name; never blank
 */
public record Channel(ChannelKind kind, String name) {

    public Channel {
        Objects.requireNonNull(kind, "kind");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("channel name must not be blank");
        }
    }

    /** A Kafka topic channel. */
    public static Channel kafkaTopic(String topic) {
        return new Channel(ChannelKind.KAFKA_TOPIC, topic);
    }

    @Override
    public String toString() {
        return name;
    }
}
