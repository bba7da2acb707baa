package io.eventlens.core.replay;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * Sends the messages of a replay to one target, one at a time, waiting for the target's answer
 * (so per-key order holds: the next send starts after the previous one was acknowledged).
 * Implementations: {@link KafkaReplaySender}, {@link AmqpReplaySender}. Not thread-safe: one run uses one.
 */
public interface ReplaySender extends AutoCloseable {

    /**
     * Where a send landed.
     *
     * @param partition the Kafka partition, or null
     * @param offset    the Kafka offset, or null
     * @param position  the position as people read it: {@code p0@42}, {@code confirmed}
     * @param note      anything the sender had to decide (a partition the target lacks), or null
     */
    record Result(Integer partition, Long offset, String position, String note) {
    }

    /**
     * A send whose outcome the sender cannot know (a timeout or connection loss after the message
     * was handed over): the run leaves it {@code IN_FLIGHT}; a resume reads the replay marker back
     * from the target before sending it again.
     */
    final class OutcomeUnknownException extends Exception {
        /** An unknown outcome with this message and cause. */
        public OutcomeUnknownException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The Kafka cluster ID read from the target's metadata, or null (AMQP). */
    String clusterId();

    /**
     * Sends one message and waits for the target's acknowledgement.
     *
     * @throws OutcomeUnknownException when it may or may not have arrived
     * @throws Exception               when it was refused (it did not arrive); the message says why
     */
    Result send(PlannedSend send) throws Exception;

    /**
     * Reads back, from the target, which of these sends of run {@code replayId} arrived, by their
     * replay markers ({@link Rewrites#REPLAY_ID_HEADER}, {@link Rewrites#REPLAY_SEND_HEADER}).
     *
     * @param channels the target channels they went to
     * @param since    no send is older than this
     * @param indexes  the send indexes asked about
     * @return the sends found, by index; those absent did not arrive
     * @throws UnsupportedOperationException when this target cannot be read back (AMQP exchanges)
     */
    Map<Integer, Result> findSent(String replayId, Collection<String> channels, Instant since,
                                  Collection<Integer> indexes);

    /** Closes the connection (bounded wait). */
    @Override
    void close();
}
