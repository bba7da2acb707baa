package io.eventlens.core.kafka;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;

/**
 * Receives a running capture's output. Called on the capture's own thread after each committed
 * batch; implementations must return quickly (queue, never block or touch a UI toolkit directly).
 */
public interface CaptureListener {

    /** Events just committed to the store, with their store sequences. */
    default void onBatch(List<CapturedEvent> committed) {
    }

    /** Progress, at most a few times a second. */
    default void onProgress(CaptureStats stats) {
    }

    /** A listener that ignores everything. */
    CaptureListener NONE = new CaptureListener() { };
}
