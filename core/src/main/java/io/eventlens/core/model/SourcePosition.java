package io.eventlens.core.model;

/**
 * Where a captured event came from inside its channel: the source coordinates that identify the
 * one message it observed. Sealed: one implementation per connector kind.
 */
public sealed interface SourcePosition permits SourcePosition.Kafka {

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
        public String toString() {
            return "p" + partition + "@" + offset;
        }
    }
}
