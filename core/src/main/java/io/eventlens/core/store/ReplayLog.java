package io.eventlens.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.eventlens.core.model.Header;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The replay log of a capture store (schema version 6, {@code V6__replay_log.sql};
 * docs/decisions/0018-replay.md): each replay run and each of its sends, the message exactly as it
 * was sent, and the outcome of each send. A run and all its sends are written, as {@code PLANNED},
 * before anything is sent; a send is marked {@code IN_FLIGHT} (committed) before it is handed to the
 * target and {@code SENT} or {@code FAILED} when the target answered, so after a crash a send whose
 * outcome is unknown is exactly an {@code IN_FLIGHT} one.
 *
 * <p>Thread-safe (every call is one transaction of the store). Writing needs a store opened with
 * {@link CaptureStore#open}; a store of a schema version before 5 opened read-only reads as an
 * empty log.
 */
public final class ReplayLog {

    /** The outcome of one send. */
    public enum Outcome {
        /** Not handed to the target yet. */
        PLANNED,
        /** Handed to the target; no answer recorded (after a crash: unknown, reconcile before resending). */
        IN_FLIGHT,
        /** The target acknowledged it; the result position is recorded. */
        SENT,
        /** The target refused it or the send failed; the error is recorded. */
        FAILED
    }

    /**
     * One replay run.
     *
     * @param replayId              the run's ID, also the value of the replay-marker header
     * @param createdAtMs           when it was planned, epoch ms
     * @param originalCorrelationId the correlation ID that was replayed, or null (a selection of several)
     * @param replayCorrelationId   the fresh correlation ID written into the sends, or null (kept)
     * @param targetKind            {@code kafka} or {@code amqp}
     * @param targetEndpoint        the target as people read it (no password)
     * @param targetEnv             the environment label the target carried
     * @param targetClusterId       the Kafka cluster ID read from the target's metadata, or null
     * @param options               the plan's options as JSON text
     * @param state                 {@code RUNNING}, {@code COMPLETED}, {@code FAILED} or {@code CANCELLED}
     * @param finishedAtMs          when it ended, epoch ms, or null while running / interrupted
     */
    public record Run(String replayId, long createdAtMs, String originalCorrelationId, String replayCorrelationId,
                      String targetKind, String targetEndpoint, String targetEnv, String targetClusterId,
                      String options, String state, Long finishedAtMs) {
        public Run {
            Objects.requireNonNull(replayId, "replayId");
            Objects.requireNonNull(targetKind, "targetKind");
            Objects.requireNonNull(targetEndpoint, "targetEndpoint");
            Objects.requireNonNull(targetEnv, "targetEnv");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * One send of a run: the message as sent and its outcome.
     *
     * @param index            0-based position in the run's send order
     * @param round            the repeat round, 0-based
     * @param sourceSeq        the store sequence of the captured event it replays
     * @param sourceChannel    the channel it was captured on
     * @param targetChannel    the Kafka topic or AMQP exchange it goes to
     * @param routingKey       the AMQP routing key, or null (Kafka)
     * @param askedPartition   the Kafka partition asked for, or null (the key decides / AMQP)
     * @param askedOffsetNanos when it is due, nanoseconds after the run's first send
     * @param eventId          the event ID it carries (kept or renewed), or null
     * @param key              key bytes or null
     * @param headers          headers as sent
     * @param payload          payload bytes or null
     * @param outcome          its outcome
     * @param attempts         how many times it was handed to the target
     * @param sentAtMs         when the target acknowledged it (or it failed), epoch ms, or null
     * @param resultPartition  the partition it landed in (Kafka), or null
     * @param resultOffset     its offset there (Kafka), or null
     * @param resultPosition   the position as people read it ({@code p0@42}, {@code confirmed}), or null
     * @param error            why it failed, or null
     */
    public record Send(int index, int round, long sourceSeq, String sourceChannel, String targetChannel,
                       String routingKey, Integer askedPartition, long askedOffsetNanos, String eventId,
                       byte[] key, List<Header> headers, byte[] payload, Outcome outcome, int attempts,
                       Long sentAtMs, Integer resultPartition, Long resultOffset, String resultPosition, String error) {
        public Send {
            Objects.requireNonNull(sourceChannel, "sourceChannel");
            Objects.requireNonNull(targetChannel, "targetChannel");
            Objects.requireNonNull(outcome, "outcome");
            headers = headers == null ? List.of() : List.copyOf(headers);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUN_COLUMNS = "replay_id, created_at_ms, original_correlation_id, replay_correlation_id,"
            + " target_kind, target_endpoint, target_env, target_cluster_id, options, state, finished_at_ms";
    private static final String SEND_COLUMNS = "send_index, repeat_round, source_seq, source_channel, target_channel,"
            + " routing_key, asked_partition, asked_offset_nanos, event_id, message_key, headers, payload, outcome,"
            + " attempts, sent_at_ms, result_partition, result_offset, result_position, error";

    private final H2CaptureStore store;

    ReplayLog(H2CaptureStore store) {
        this.store = store;
    }

    /**
     * Writes a new run with all its sends (their outcomes as given, normally {@code PLANNED}), in one
     * transaction.
     *
     * @throws CaptureStoreException naming the file when the store is read-only, the run ID is
     *                               already logged, or the write fails (nothing is then stored)
     */
    public void start(Run run, List<Send> sends) {
        store.writeTransaction("logging replay " + run.replayId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO replay_run (" + RUN_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, run.replayId());
                ps.setLong(2, run.createdAtMs());
                ps.setString(3, run.originalCorrelationId());
                ps.setString(4, run.replayCorrelationId());
                ps.setString(5, run.targetKind());
                ps.setString(6, run.targetEndpoint());
                ps.setString(7, run.targetEnv());
                ps.setString(8, run.targetClusterId());
                ps.setString(9, run.options());
                ps.setString(10, run.state());
                setLong(ps, 11, run.finishedAtMs());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO replay_send (replay_id, " + SEND_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Send s : sends) {
                    ps.setString(1, run.replayId());
                    ps.setInt(2, s.index());
                    ps.setInt(3, s.round());
                    ps.setLong(4, s.sourceSeq());
                    ps.setString(5, s.sourceChannel());
                    ps.setString(6, s.targetChannel());
                    ps.setString(7, s.routingKey());
                    setInt(ps, 8, s.askedPartition());
                    ps.setLong(9, s.askedOffsetNanos());
                    ps.setString(10, s.eventId());
                    ps.setBytes(11, s.key());
                    ps.setBytes(12, encodeHeaders(s.headers()));
                    ps.setBytes(13, s.payload());
                    ps.setString(14, s.outcome().name());
                    ps.setInt(15, s.attempts());
                    setLong(ps, 16, s.sentAtMs());
                    setInt(ps, 17, s.resultPartition());
                    setLong(ps, 18, s.resultOffset());
                    ps.setString(19, s.resultPosition());
                    ps.setString(20, s.error());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Marks a send {@code IN_FLIGHT} and counts the attempt; committed before the send is handed to the target. */
    public void inFlight(String replayId, int index) {
        store.writeTransaction("logging replay send " + replayId + "#" + index, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE replay_send SET outcome = 'IN_FLIGHT',"
                    + " attempts = attempts + 1, error = NULL WHERE replay_id = ? AND send_index = ?")) {
                ps.setString(1, replayId);
                ps.setInt(2, index);
                requireOne(ps.executeUpdate(), replayId, index);
            }
            return null;
        });
    }

    /**
     * Records the outcome of one send.
     *
     * @param outcome   {@code SENT}, {@code FAILED} or (a send found not delivered) {@code PLANNED}
     * @param sentAtMs  when the target answered, epoch ms
     * @param partition the partition it landed in, or null
     * @param offset    its offset, or null
     * @param position  the position as people read it, or null
     * @param error     why it failed, or null
     */
    public void outcome(String replayId, int index, Outcome outcome, Long sentAtMs, Integer partition, Long offset,
                        String position, String error) {
        store.writeTransaction("logging replay send " + replayId + "#" + index, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE replay_send SET outcome = ?, sent_at_ms = ?,"
                    + " result_partition = ?, result_offset = ?, result_position = ?, error = ?"
                    + " WHERE replay_id = ? AND send_index = ?")) {
                ps.setString(1, outcome.name());
                setLong(ps, 2, sentAtMs);
                setInt(ps, 3, partition);
                setLong(ps, 4, offset);
                ps.setString(5, position);
                ps.setString(6, error == null ? null : error.length() > 4000 ? error.substring(0, 4000) : error);
                ps.setString(7, replayId);
                ps.setInt(8, index);
                requireOne(ps.executeUpdate(), replayId, index);
            }
            return null;
        });
    }

    /** Sets a run's state ({@code RUNNING}, {@code COMPLETED}, {@code FAILED}, {@code CANCELLED}) and end time. */
    public void finish(String replayId, String state, Long finishedAtMs) {
        store.writeTransaction("logging the end of replay " + replayId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE replay_run SET state = ?, finished_at_ms = ? WHERE replay_id = ?")) {
                ps.setString(1, state);
                setLong(ps, 2, finishedAtMs);
                ps.setString(3, replayId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The run with this ID, or null. */
    public Run run(String replayId) {
        if (!hasTables()) {
            return null;
        }
        return store.readTransaction("reading replay " + replayId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM replay_run WHERE replay_id = ?")) {
                ps.setString(1, replayId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? toRun(rs) : null;
                }
            }
        });
    }

    /** Every logged run, oldest first. */
    public List<Run> runs() {
        if (!hasTables()) {
            return List.of();
        }
        return store.readTransaction("reading the replay log", c -> {
            List<Run> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM replay_run ORDER BY created_at_ms, replay_id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(toRun(rs));
                }
            }
            return out;
        });
    }

    /** The sends of a run in send order; empty when the run is unknown. */
    public List<Send> sends(String replayId) {
        if (!hasTables()) {
            return List.of();
        }
        return store.readTransaction("reading the sends of replay " + replayId, c -> {
            List<Send> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SEND_COLUMNS
                    + " FROM replay_send WHERE replay_id = ? ORDER BY send_index")) {
                ps.setString(1, replayId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(toSend(rs));
                    }
                }
            }
            return out;
        });
    }

    private boolean hasTables() {
        return store.hasTableNamed("REPLAY_RUN");
    }

    private static void requireOne(int updated, String replayId, int index) throws SQLException {
        if (updated != 1) {
            throw new SQLException("replay " + replayId + " has no send #" + index);
        }
    }

    private static Run toRun(ResultSet rs) throws SQLException {
        long finished = rs.getLong(11);
        Long finishedAt = rs.wasNull() ? null : finished;
        return new Run(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), finishedAt);
    }

    private Send toSend(ResultSet rs) throws SQLException {
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(rs.getString(13));
        } catch (IllegalArgumentException e) {
            throw new SQLException("replay send #" + rs.getInt(1) + ": unknown outcome '" + rs.getString(13) + "'", e);
        }
        return new Send(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5), rs.getString(6),
                getInt(rs, 7), rs.getLong(8), rs.getString(9), rs.getBytes(10), decodeHeaders(rs.getBytes(11)),
                rs.getBytes(12), outcome, rs.getInt(14), getLong(rs, 15), getInt(rs, 16), getLong(rs, 17),
                rs.getString(18), rs.getString(19));
    }

    /** Headers as a JSON array of {@code [name, base64 value or null]}. */
    static byte[] encodeHeaders(List<Header> headers) {
        ArrayNode arr = JSON.createArrayNode();
        for (Header h : headers) {
            ArrayNode pair = arr.addArray();
            pair.add(h.name());
            if (h.value() == null) {
                pair.addNull();
            } else {
                pair.add(Base64.getEncoder().encodeToString(h.value()));
            }
        }
        try {
            return JSON.writeValueAsBytes(arr);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * The headers of {@link #encodeHeaders}; the store file is untrusted input (docs/decisions/0007), so
     * anything else is an error naming what is wrong.
     *
     * @throws SQLException when the bytes are not such an array
     */
    static List<Header> decodeHeaders(byte[] bytes) throws SQLException {
        if (bytes == null) {
            return List.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new SQLException("replay send headers are not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new SQLException("replay send headers are not a JSON array");
        }
        List<Header> out = new ArrayList<>(root.size());
        for (JsonNode pair : root) {
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual()
                    || !(pair.get(1).isNull() || pair.get(1).isTextual())) {
                throw new SQLException("replay send header #" + out.size() + " is not [name, base64 value or null]");
            }
            byte[] value;
            try {
                value = pair.get(1).isNull() ? null : Base64.getDecoder().decode(pair.get(1).textValue());
            } catch (IllegalArgumentException e) {
                throw new SQLException("replay send header '" + pair.get(0).textValue() + "': value is not base64", e);
            }
            out.add(new Header(pair.get(0).textValue(), value));
        }
        return out;
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

}
