package io.eventlens.core.kafka;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.store.CaptureStore;
import java.time.Duration;
import java.util.List;

/**
 * Records a Kafka cluster's traffic into a {@link CaptureStore}. Reads every partition of the chosen
 * topics by {@code assign} (never joins an application's consumer group, commits no offsets to
 * Kafka); stores each poll's events together with the next positions in one transaction, so a
 * stopped or crashed capture resumes with no gap and no record stored twice.
 */
public final class KafkaCapture {

    /**
     * A capture of {@code config} into {@code store}, deriving fields with {@code extractor}.
     */
    public KafkaCapture(KafkaCaptureConfig config, CaptureStore store, EventExtractor extractor) {
        throw new UnsupportedOperationException("TODO: Kafka capture (issue 2)");
    }

    /**
     * Captures until the config's duration or max events is reached, or {@link #stop()} is called.
     * Blocking; call it on a worker thread.
     *
     * @return the final stats
     * @throws KafkaConnectException when the cluster cannot be reached within the connect timeout
     *                               or a named topic does not exist; the message names the endpoint
     */
    public CaptureStats run(CaptureListener listener) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Asks a running capture to stop after committing what it has polled. Safe from any thread. */
    public void stop() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Lists the cluster's topics (without internal topics), sorted, for a topic picker.
     *
     * @throws KafkaConnectException naming {@code bootstrapServers} when unreachable within {@code timeout}
     */
    public static List<String> listTopics(String bootstrapServers, Duration timeout) {
        throw new UnsupportedOperationException("TODO");
    }
}
