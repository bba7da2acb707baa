package io.eventlens.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one observation of a captured event came from inside its channel: the source coordinates
 * that identify the one message it observed (docs/vocabulary: "observation", "source").
 *
 * <p>The position describes itself: the UI, the JSON and the text output never look at its
 * concrete class. Each source kind adds one implementation (plug-in seam); callers use only the
 * methods below.
 */
public interface SourcePosition {

    /**
     * The kind of source that made this observation, lower case and stable (it is stored and
     * printed): {@code "kafka"}, later {@code "amqp"}, {@code "probe"}, {@code "artifact"}.
     */
    String sourceKind();

    /**
     * The stream inside the channel within which the source promises delivery order, or
     * {@code null} when the source promises none. Kafka: the partition ({@code "partition 3"}).
     * Ordering checks compare sequences only within one channel, one ordering stream and one key.
     */
    String orderingStream();

    /**
     * Identifies the observed message within its channel (Kafka: partition and offset), so that two
     * observations of the same message can be recognised and a dead-letter copy linked to the
     * message it copies; {@code null} when the source has no such coordinates.
     */
    String messageCoordinates();

    /** A short human description for tables and text output, for example {@code "p0@42"}. */
    String describe();

    /**
     * The position's attributes for machine-readable output, in a stable order: names in
     * lowerCamelCase, values {@link String}, {@link Integer}, {@link Long} or {@link Boolean}.
     * Kafka: {@code partition}, {@code offset}, {@code timestampType}.
     */
    Map<String, Object> attributes();

    /**
     * What the observed time of this observation means, for people: {@code "Kafka CreateTime"},
     * {@code "Kafka LogAppendTime"}, {@code "capture time"}.
     */
    String observedTimeMeaning();

    /**
     * A Kafka record's coordinates.
     *
     * @param partition     partition number, 0 or more
     * @param offset        the record's offset in that partition, 0 or more
     * @param timestampType what the record's timestamp means
     */
    record Kafka(int partition, long offset, TimestampType timestampType) implements SourcePosition {
        public Kafka {
            if (partition < 0) {
                throw new IllegalArgumentException("partition must be >= 0, was " + partition);
            }
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, was " + offset);
            }
        }

        @Override
        public String sourceKind() {
            return "kafka";
        }

        @Override
        public String orderingStream() {
            return "partition " + partition;
        }

        @Override
        public String messageCoordinates() {
            return partition + "@" + offset;
        }

        @Override
        public String describe() {
            return "p" + partition + "@" + offset;
        }

        @Override
        public Map<String, Object> attributes() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("partition", partition);
            m.put("offset", offset);
            m.put("timestampType", timestampType == null ? null : timestampType.name());
            return m;
        }

        @Override
        public String observedTimeMeaning() {
            return switch (timestampType == null ? TimestampType.NONE : timestampType) {
                case CREATE_TIME -> "Kafka CreateTime";
                case LOG_APPEND_TIME -> "Kafka LogAppendTime";
                case CAPTURE_TIME -> "capture time";
                case NONE -> "no timestamp delivered";
            };
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
