package io.eventlens.core.capture;

import java.time.Duration;

/**
 * The pipeline's side of a running {@link CaptureSource}: where it delivers batches and how it
 * learns that the capture ends. Thread-safe: a push source may deliver from several threads.
 */
public interface SourceContext {

    /**
     * Hands a batch to the pipeline, which converts and extracts its records on worker threads,
     * appends them to the store (with the batch's positions, in delivery order, one writer) and then
     * calls the batch's {@link Acknowledgement}. Blocks while the pipeline holds its in-flight bound
     * (docs/decisions/0006-capture-pipeline.md, "In flight"); a batch larger than the bound is taken
     * alone.
     *
     * @return how many of the batch's records (its first ones) were taken: all of them; fewer when
     *         the capture's max events was reached; 0 when the capture is stopping. Records not
     *         taken are never stored or acknowledged: a push source gives them back to its broker
     * @throws InterruptedException when interrupted while waiting for room
     */
    int deliver(SourceBatch<?> batch) throws InterruptedException;

    /**
     * True once the capture ends: {@link CapturePipeline#stop()}, its duration passed, its max
     * events taken, or a failure in the pipeline. A poll loop checks it before each poll.
     */
    boolean stopping();

    /**
     * Waits until {@link #stopping()} or {@code timeout} passed; for push sources, whose
     * {@link CaptureSource#run} has nothing else to do.
     *
     * @return true when stopping
     * @throws InterruptedException when interrupted while waiting
     */
    boolean awaitStop(Duration timeout) throws InterruptedException;
}
