package io.eventlens.core.analysis;

/**
 * What a dead-letter or retry copy says about itself, decoded from its channel name and headers by
 * {@link DeadLetterChannels#inspect}. Every component but {@code convention} may be {@code null}
 * when the headers do not give it.
 *
 * @param convention        which convention identified the copy (see {@link Convention})
 * @param originalChannel   the channel the message was first published to
 * @param originalPartition its partition there (Kafka)
 * @param originalOffset    its offset there (Kafka)
 * @param exceptionClass    fully qualified class name of the exception that sent it here
 * @param reason            the exception message, or the broker's dead-letter reason
 *                          ({@code rejected}, {@code expired}, {@code maxlen}, {@code delivery_limit})
 * @param attempts          delivery attempts before it was dead-lettered or retried, 1 or more
 */
public record DeadLetterInfo(
        Convention convention,
        String originalChannel,
        Integer originalPartition,
        Long originalOffset,
        String exceptionClass,
        String reason,
        Integer attempts) {

    /** The convention that identified a dead-letter or retry copy. */
    public enum Convention {
        /** Spring Kafka {@code DeadLetterPublishingRecoverer}: {@code kafka_dlt-*} headers. */
        SPRING_DLT,
        /** Spring Kafka {@code @RetryableTopic}: {@code kafka_original-*}, {@code kafka_exception-*}, {@code retry_topic-*}. */
        SPRING_RETRY_TOPIC,
        /** Kafka Connect dead-letter queue context headers: {@code __connect.errors.*}. */
        KAFKA_CONNECT,
        /** RabbitMQ dead-lettering: {@code x-death}, {@code x-first-death-*}, {@code x-last-death-*}. */
        RABBITMQ,
        /** No headers: the channel is named like a dead-letter or retry channel, or configured as one. */
        CHANNEL_NAME
    }

    /**
     * A short human reason: {@code SimpleClassName: message}, the class alone, the message alone, or
     * {@code null} when neither is known.
     */
    public String reasonText() {
        String simple = exceptionClass == null ? null : exceptionClass.substring(exceptionClass.lastIndexOf('.') + 1);
        if (simple != null && reason != null) {
            return simple + ": " + reason;
        }
        return simple != null ? simple : reason;
    }
}
