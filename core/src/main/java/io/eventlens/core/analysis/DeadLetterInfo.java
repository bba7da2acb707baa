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
 * @param originalExchange  the AMQP exchange the message was published to before it was dead-lettered
 *                          ({@code x-death}'s {@code exchange}, {@code x-first-death-exchange}, Spring AMQP's
 *                          {@code x-original-exchange}; {@code ""} is the default exchange)
 * @param originalRoutingKeys its routing keys there ({@code x-death}'s {@code routing-keys}, Spring AMQP's
 *                          {@code x-original-routingKey}); empty when unknown, never null
 * @param deadLetteredAt    when it was (last) dead-lettered ({@code x-death}'s {@code time})
 * @param exceptionStacktrace the stack trace the consumer's framework recorded (Spring AMQP
 *                          {@code x-exception-stacktrace}, Spring Kafka {@code kafka_dlt-exception-stacktrace})
 */
public record DeadLetterInfo(
        Convention convention,
        String originalChannel,
        Integer originalPartition,
        Long originalOffset,
        String exceptionClass,
        String reason,
        Integer attempts,
        String originalExchange,
        java.util.List<String> originalRoutingKeys,
        java.time.Instant deadLetteredAt,
        String exceptionStacktrace) {

    public DeadLetterInfo {
        originalRoutingKeys = originalRoutingKeys == null ? java.util.List.of() : java.util.List.copyOf(originalRoutingKeys);
    }

    /** Information without the AMQP components (exchange, routing keys, time, stack trace). */
    public DeadLetterInfo(Convention convention, String originalChannel, Integer originalPartition, Long originalOffset,
                          String exceptionClass, String reason, Integer attempts) {
        this(convention, originalChannel, originalPartition, originalOffset, exceptionClass, reason, attempts,
                null, java.util.List.of(), null, null);
    }

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
        CHANNEL_NAME,
        /**
         * Spring AMQP {@code RepublishMessageRecoverer}: {@code x-exception-message},
         * {@code x-exception-stacktrace}, {@code x-original-exchange}, {@code x-original-routingKey}.
         */
        SPRING_AMQP
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
