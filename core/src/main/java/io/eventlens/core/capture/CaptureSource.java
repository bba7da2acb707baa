package io.eventlens.core.capture;

import io.eventlens.core.store.StreamPosition;
import java.time.Duration;
import java.util.List;

/**
 * What feeds the one {@link CapturePipeline}: a Kafka cluster, later an AMQP queue, a probe
 * endpoint or an artifact file (docs/decisions/0006-capture-pipeline.md). Each kind is one class
 * implementing this interface; the pipeline, the store, the CLI and the UI never ask which kind a
 * source is.
 *
 * <p>Life cycle, driven by {@link CapturePipeline#run}, all on the thread that called it:
 * {@link #open} once, then {@link #run} once, then {@link #close} (also after a failed open).
 * {@link #health()} and the {@link Acknowledgement}s of delivered batches are called from the
 * pipeline's writer thread meanwhile, so they must be thread-safe.
 *
 * <p>Delivery is pushed: the source hands each batch to {@link SourceContext#deliver}, from
 * {@link #run}'s own thread (a poll loop, like Kafka's consumer) or from threads of its own client
 * (a push consumer, like an AMQP subscription), and the pipeline extracts, stores and then
 * acknowledges it. How much the pipeline holds in flight is bounded; {@code deliver} blocks while it
 * is full, which slows a poll loop down and back-pressures a push client.
 */
public interface CaptureSource extends AutoCloseable {

    /** The kind of source, lower case and stable, as in {@link io.eventlens.core.model.SourcePosition#sourceKind()}. */
    String kind();

    /**
     * The endpoint for people, naming the kind and the address, for example
     * {@code "Kafka at localhost:9092"}; used in every message about this source.
     */
    String endpoint();

    /**
     * How long a lost connection may last before the pipeline reports it (one warning naming the
     * {@link #endpoint()}, then {@link CaptureStats#sourceUnreachableMs()} in progress). Default 10 s.
     */
    default Duration outageGrace() {
        return Duration.ofSeconds(10);
    }

    /**
     * True for a source that must be read as its traffic happens or lose or distort it (an AMQP tap
     * whose fallback queue has a length limit, a probe whose poll times are its observed times): work
     * behind the pipeline's writer (the flow summaries) gives way when it falls behind. False for a
     * source whose records wait to be read (artifact files; a Kafka topic, whose broker keeps them):
     * the writer waits for that work instead of leaving it to be redone from the store
     * (docs/decisions/0009-flow-summaries.md). Default true.
     */
    default boolean live() {
        return true;
    }

    /**
     * Connects, checks what is to be read and fixes where each stream starts: from
     * {@code stored} where the source resumes, else by its own start rule. Blocking, bounded by the
     * source's connect timeout. Records that arrive after it returns are captured.
     *
     * @param stored the store's resume positions, by source ID (see {@link #sourceId()})
     * @throws SourceException naming the {@link #endpoint()} when it cannot be reached within its
     *                         connect timeout or refuses what is asked (an unknown topic)
     */
    void open(StoredPositions stored);

    /**
     * The ID this source's positions are stored under (Kafka: the cluster ID), known once
     * {@link #open} returned; {@code null} before.
     */
    String sourceId();

    /**
     * Delivers batches to {@code context} until {@link SourceContext#stopping()} (stop, duration,
     * max events, or a failure downstream) or until the source has nothing more to give (a file
     * read to its end); returns only when it will deliver nothing more. A push source subscribes,
     * waits with {@link SourceContext#awaitStop}, then unsubscribes.
     *
     * @throws SourceException      naming the endpoint when the source fails for good
     * @throws InterruptedException when the calling thread is interrupted; what was delivered is
     *                              still committed
     */
    void run(SourceContext context) throws InterruptedException;

    /**
     * The source's connection state now. Thread-safe and cheap: the pipeline calls it a few times
     * a second from its writer thread.
     */
    SourceHealth health();

    /**
     * What the user must know about traffic this source may have missed or the system could not
     * send, so far: one sentence each, with the numbers (for example the messages a tap's retention
     * dropped before they were read, or how long the broker blocked publishers). Empty when there is
     * nothing to say, which is the default. Thread-safe and cheap: the CLI and the desktop app call
     * it a few times a second while the capture runs and once after it ended.
     */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }

    /**
     * Describes one of this source's stored resume positions for people, for example
     * {@code "orders partition 2 at offset 10"}; only the source reads its tokens.
     */
    String describe(StreamPosition position);

    /** Releases the source's clients. Idempotent; called after {@link #run}, or after a failed {@link #open}. */
    @Override
    void close();

    /** The store's resume positions of one source ID ({@link io.eventlens.core.store.CaptureStore#positions}). */
    @FunctionalInterface
    interface StoredPositions {
        /** The positions stored under {@code sourceId}, sorted by stream; empty when none. */
        List<StreamPosition> of(String sourceId);
    }
}
