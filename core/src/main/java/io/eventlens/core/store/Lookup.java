package io.eventlens.core.store;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;

/**
 * The result of a bounded lookup ({@link CaptureStore#findByCorrelationId(String, int)}): the first
 * {@code events().size()} matching events in store order, and how many the store holds in all.
 * A hot correlation ID can have millions of events; a lookup returns at most its limit (by default
 * {@link CaptureStore#DEFAULT_LOOKUP_LIMIT}) so that a reader's memory stays bounded, and says so.
 *
 * @param events     the first matching events in store order, at most the lookup's limit; the
 *                   events of damaged blocks are left out (see {@link CaptureStore#damagedBlocks()})
 * @param totalCount how many stored events match, at least {@code events().size()}; it counts the
 *                   events past the limit too (their blocks' indexed fields are read, not the events)
 */
public record Lookup(List<CapturedEvent> events, long totalCount) {

    /**
     * A lookup result.
     *
     * @throws IllegalArgumentException when {@code totalCount} is less than the number of events
     */
    public Lookup {
        events = List.copyOf(events);
        if (totalCount < events.size()) {
            throw new IllegalArgumentException("totalCount: must be at least the " + events.size()
                    + " events returned, was " + totalCount);
        }
    }

    /** True when more events match than were returned: the result is the first N of {@link #totalCount()}. */
    public boolean truncated() {
        return totalCount > events.size();
    }
}
