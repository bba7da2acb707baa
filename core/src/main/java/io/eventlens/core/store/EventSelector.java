package io.eventlens.core.store;

import java.util.List;

/**
 * Chooses the events a {@link CaptureStore#scan selective scan} decodes in full, from what a block
 * holds before an event's payload: its channel name and its header names. Events it refuses cost
 * the scan no copies of their key, header values or payload.
 *
 * <p>Must be total and cheap: it runs once per stored event, inside the decoder; an exception it
 * throws is taken for damage in the block being read.
 */
@FunctionalInterface
public interface EventSelector {

    /**
     * Whether to decode this event in full.
     *
     * @param channelName the channel it was observed on (never blank)
     * @param headerNames its header names in stored order (may repeat; empty when it has none)
     */
    boolean wants(String channelName, List<String> headerNames);
}
