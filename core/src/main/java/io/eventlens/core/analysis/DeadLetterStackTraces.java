package io.eventlens.core.analysis;

import io.eventlens.core.extract.HeaderValues;
import io.eventlens.core.model.Header;
import java.util.List;

/**
 * The exception stack trace a dead-letter convention puts in a header
 * (docs/reference/extraction-rules.md, "Dead-letter and retry headers"), first match wins: Spring
 * Kafka {@code DeadLetterPublishingRecoverer} ({@code kafka_dlt-exception-stacktrace}, then the key
 * deserialization's {@code kafka_dlt-key-exception-stacktrace}), Spring {@code @RetryableTopic}
 * ({@code kafka_exception-stacktrace}), Kafka Connect ({@code __connect.errors.exception.stacktrace}).
 * RabbitMQ's {@code x-death} carries none. Kept apart from {@link DeadLetterChannels} (whose
 * {@link DeadLetterInfo} stays small: a report holds many of them). Stateless and total.
 */
public final class DeadLetterStackTraces {

    /** The header names read, in the order tried (compared case-insensitively). */
    public static final List<String> HEADERS = List.of(
            "kafka_dlt-exception-stacktrace", "kafka_dlt-key-exception-stacktrace",
            "kafka_exception-stacktrace", "__connect.errors.exception.stacktrace");

    private DeadLetterStackTraces() {
    }

    /** The stack trace as text, or {@code null} when no header gives a non-blank one (or {@code headers} is null). */
    public static String of(List<Header> headers) {
        if (headers == null) {
            return null;
        }
        for (String name : HEADERS) {
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    String text = HeaderValues.text(h.value());
                    if (text != null && !text.isBlank()) {
                        return text;
                    }
                }
            }
        }
        return null;
    }
}
