package io.eventlens.app.ui.services;

import io.eventlens.core.probe.ProbeConfig;
import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.StartPosition;
import java.util.ArrayList;
import java.util.List;

/**
 * What one capture records: a Kafka cluster's topics, a RabbitMQ broker's taps and browses, an HTTP
 * test probe's answers, or any of them together into the same store (docs/decisions/0011-amqp-source.md,
 * docs/decisions/0019-probe-source.md).
 *
 * @param kafka the Kafka part, or null
 * @param amqp  the AMQP part, or null
 * @param probe the probe part, or null
 */
public record CaptureRequest(KafkaCaptureConfig kafka, AmqpCaptureConfig amqp, ProbeConfig probe) {

    /** @throws IllegalArgumentException when every part is null */
    public CaptureRequest {
        if (kafka == null && amqp == null && probe == null) {
            throw new IllegalArgumentException("a capture needs a Kafka cluster, a RabbitMQ broker or a probe");
        }
    }

    /** A capture of Kafka and/or RabbitMQ. */
    public CaptureRequest(KafkaCaptureConfig kafka, AmqpCaptureConfig amqp) {
        this(kafka, amqp, null);
    }

    /** A Kafka capture. */
    public static CaptureRequest of(KafkaCaptureConfig kafka) {
        return new CaptureRequest(kafka, null);
    }

    /** The same capture, Kafka resuming each partition from the store's stored positions. */
    public CaptureRequest resumed() {
        return new CaptureRequest(kafka == null ? null : kafka.withStartPosition(new StartPosition.Resume()), amqp, probe);
    }

    /** When the capture ends by itself (the Kafka part's limits, else the AMQP part's; a probe alone polls until stopped). */
    public CaptureLimits limits() {
        return kafka != null ? kafka.limits() : amqp != null ? amqp.limits() : CaptureLimits.NONE;
    }

    /** For status lines: {@code "orders, payments from localhost:9092 and RabbitMQ at ..."}. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (kafka != null) {
            parts.add(String.join(", ", kafka.topics()) + " from " + kafka.bootstrapServers());
        }
        if (amqp != null) {
            List<String> what = new ArrayList<>();
            amqp.exchanges().forEach(e -> what.add("exchange " + e.name()));
            amqp.spyQueues().forEach(q -> what.add("spy on " + q.name()));
            amqp.browseQueues().forEach(q -> what.add("browse " + q));
            if (amqp.firehose()) {
                what.add("firehose");
            }
            parts.add(String.join(", ", what) + " from " + amqp.endpoint());
        }
        if (probe != null) {
            parts.add("correlation IDs " + String.join(", ", probe.correlationIds()) + " from the probe at " + probe.endpoint());
        }
        return String.join(" and ", parts);
    }

    /** The endpoints: bootstrap servers and/or the AMQP endpoint. */
    public String endpoints() {
        List<String> parts = new ArrayList<>();
        if (kafka != null) {
            parts.add(kafka.bootstrapServers());
        }
        if (amqp != null) {
            parts.add(amqp.endpoint());
        }
        if (probe != null) {
            parts.add(probe.endpoint());
        }
        return String.join(" + ", parts);
    }
}
