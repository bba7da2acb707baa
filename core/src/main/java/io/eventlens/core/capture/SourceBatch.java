package io.eventlens.core.capture;

import io.eventlens.core.store.StreamPosition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Records a {@link CaptureSource} delivers at once, still in the source's own shape: the pipeline
 * converts them with {@code reader} on its worker threads, not on the source's thread.
 *
 * @param records    the records, in the order they are to be stored; not empty
 * @param reader     converts one record into a captured event
 * @param capturedAt when the source received them (the events' capture time)
 * @param bytes      payload, key and header bytes of the records, 0 or more: what the pipeline
 *                   counts against its in-flight bound
 * @param positions  where the source's streams resume once the first n records are stored;
 *                   {@link BatchPositions#NONE} for sources without replayable positions
 * @param ack        told once the first n records are committed; {@link Acknowledgement#NONE}
 *                   when stored positions suffice (Kafka)
 * @param <R>        the source's record type
 */
public record SourceBatch<R>(List<R> records, ObservationReader<R> reader, Instant capturedAt, long bytes,
                             BatchPositions positions, Acknowledgement ack) {

    /**
     * @throws NullPointerException     when a component is null
     * @throws IllegalArgumentException when {@code records} is empty or {@code bytes} negative
     */
    public SourceBatch {
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(capturedAt, "capturedAt");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(ack, "ack");
        if (records.isEmpty()) {
            throw new IllegalArgumentException("records: a batch holds at least one record");
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: must be 0 or more, was " + bytes);
        }
    }

    /** Number of records. */
    public int size() {
        return records.size();
    }

    /** Converts one record of a batch into a captured event (seq 0). Called on worker threads, concurrently. */
    @FunctionalInterface
    public interface ObservationReader<R> {
        /**
         * The captured event of {@code record}: channel, source position, observed time, key,
         * headers, payload, and the fields {@code derive} gives for them.
         *
         * @param capturedAt the batch's capture time
         */
        io.eventlens.core.model.CapturedEvent read(R record, Instant capturedAt, FieldDeriver derive);
    }

    /** Where a batch leaves the source's streams. */
    @FunctionalInterface
    public interface BatchPositions {
        /** No replayable positions. */
        BatchPositions NONE = records -> List.of();

        /**
         * The resume position of each stream touched by the first {@code records} records of the
         * batch (1 to its size): where it continues once they are stored. Called on the writer thread.
         */
        List<StreamPosition> after(int records);
    }

    /** Tells the source that records of its batch are stored. */
    @FunctionalInterface
    public interface Acknowledgement {
        /** Nothing to acknowledge. */
        Acknowledgement NONE = records -> { };

        /**
         * The first {@code records} records of the batch (1 to its size) are committed to the
         * store. Called once per batch, on the writer thread, in commit order; that is not the
         * delivery order of a source delivering from several threads. A failure is logged and
         * does not end the capture (the records stay stored; the broker may redeliver them).
         */
        void committed(int records);
    }
}
