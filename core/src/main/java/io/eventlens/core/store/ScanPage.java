package io.eventlens.core.store;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;

/**
 * One step of a {@link CaptureStore#scan selective scan}.
 *
 * @param events  the selected events of the blocks read, in store order
 * @param nextSeq where the next step starts: one past the last event of the last block read;
 *                past {@link CaptureStore#eventCount()} when the scan reached the end
 */
public record ScanPage(List<CapturedEvent> events, long nextSeq) {
    public ScanPage {
        events = List.copyOf(events);
    }
}
