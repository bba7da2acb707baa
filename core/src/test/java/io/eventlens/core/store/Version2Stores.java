package io.eventlens.core.store;

import io.eventlens.core.model.CapturedEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Builds a capture store as EventLens wrote it at schema version 2 (before block keys): Flyway
 * {@code target("2")}, event blocks encoded by {@link EventBlockCodec} as the writer of that
 * version did (blocks of up to {@link H2CaptureStore#BLOCK_EVENTS} events per append), and the
 * background indexer's {@code event_index} rows and {@code index_state} watermark up to a chosen
 * sequence: an index that lagged when the capture stopped, as that version's stores could.
 */
final class Version2Stores {

    private Version2Stores() {
    }

    /**
     * Creates {@code mvFile} at schema version 2 holding {@code appends} (each list one append, so
     * each starts a new block), indexed through {@code indexedThrough}.
     *
     * @param indexedThrough the last sequence with {@code event_index} rows (0 for none); rows are
     *                       written for whole blocks, as the old indexer did
     * @return {@code mvFile}
     */
    @SafeVarargs
    static Path create(Path mvFile, long indexedThrough, List<CapturedEvent>... appends) throws Exception {
        StoreSchemaGoldenTest.storeAtVersion(mvFile, 2);
        String base = mvFile.toAbsolutePath().toString().replaceFirst("\\.mv\\.db$", "");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "sa", "");
             PreparedStatement block = c.prepareStatement("INSERT INTO event_block (first_seq, event_count,"
                     + " min_observed_ms, max_observed_ms, payload_bytes, data) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement row = c.prepareStatement("INSERT INTO event_index (seq, block_seq, correlation_id,"
                     + " event_id, event_type, channel, observed_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement state = c.prepareStatement("UPDATE index_state SET indexed_through_seq = ? WHERE id = 1")) {
            EventBlockCodec codec = new EventBlockCodec();
            long seq = 1;
            long indexed = 0;
            for (List<CapturedEvent> events : appends) {
                for (int from = 0; from < events.size(); from += H2CaptureStore.BLOCK_EVENTS) {
                    List<CapturedEvent> chunk = events.subList(from, Math.min(events.size(), from + H2CaptureStore.BLOCK_EVENTS));
                    codec.reset();
                    chunk.forEach(codec::add);
                    block.setLong(1, seq);
                    block.setInt(2, chunk.size());
                    block.setLong(3, codec.minObservedMs());
                    block.setLong(4, codec.maxObservedMs());
                    block.setLong(5, codec.payloadBytes());
                    block.setBytes(6, codec.toCompressedBytes());
                    block.executeUpdate();
                    long last = seq + chunk.size() - 1;
                    if (last <= indexedThrough) {
                        for (int i = 0; i < chunk.size(); i++) {
                            CapturedEvent e = chunk.get(i);
                            row.setLong(1, seq + i);
                            row.setLong(2, seq);
                            row.setString(3, e.derived().correlationIdValue());
                            row.setString(4, e.derived().eventIdValue());
                            row.setString(5, e.derived().eventTypeValue());
                            row.setString(6, e.channel().name());
                            row.setLong(7, e.observedAt().toEpochMilli());
                            row.executeUpdate();
                        }
                        indexed = last;
                    }
                    seq = last + 1;
                }
            }
            state.setLong(1, indexed);
            state.executeUpdate();
        }
        return mvFile;
    }
}
