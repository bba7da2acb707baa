package io.eventlens.core.model;

/**
 * What a source timestamp means. For Kafka it is the record's timestamp type
 * ({@code message.timestamp.type}: CreateTime or LogAppendTime).
 */
public enum TimestampType {
    /** Set by the producer (Kafka CreateTime). */
    CREATE_TIME,
    /** Set by the broker when it appended the record (Kafka LogAppendTime). */
    LOG_APPEND_TIME,
    /** The capture time of live traffic (AMQP deliveries, probe polls). */
    CAPTURE_TIME,
    /** No timestamp was delivered. */
    NONE
}
