package io.eventlens.core.kafka;

/**
 * What a Kafka capture reads: bootstrap servers, topics or a topic pattern, start position,
 * and when to stop. Immutable, built fluently and validated when built (TODO issue 2).
 */
public final class KafkaCaptureConfig {
    private KafkaCaptureConfig() {
    }
}
