package io.eventlens.core.kafka;

import io.eventlens.core.capture.SourceException;

/**
 * A Kafka cluster could not be reached or refused what was asked (unknown topic, authorization).
 * The message names the bootstrap servers (endpoint) and what failed.
 */
public class KafkaConnectException extends SourceException {
    public KafkaConnectException(String message, Throwable cause) {
        super(message, cause);
    }

    public KafkaConnectException(String message) {
        super(message);
    }
}
