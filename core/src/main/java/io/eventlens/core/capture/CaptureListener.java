package io.eventlens.core.capture;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;

/**
 * Receives a running capture's output. Called on the pipeline's writer thread after each committed
 * append; implementations must return quickly (queue, never block or touch a UI toolkit directly),
 * as the writer waits for them.
 */
public interface CaptureListener {

    /** Events just committed to the store, with their store sequences, in store order. */
    default void onBatch(List<CapturedEvent> committed) {
    }

    /** Progress, about four times a second, and once more with the final stats. */
    default void onProgress(CaptureStats stats) {
    }

    /** A listener that ignores everything. */
    CaptureListener NONE = new CaptureListener() { };
}
