package io.eventlens.core.replay;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.Lookup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which captured events a replay sends (docs/reference/replay.md, "Selection"): explicit store
 * sequences (a table or timeline selection), or a filter of correlation IDs, event types, channels
 * and an observed-time range. Empty criteria match everything; all given criteria must match.
 *
 * @param seqs           explicit store sequences; when not empty, the other criteria filter them
 * @param correlationIds correlation IDs (exact)
 * @param eventTypes     event types (exact)
 * @param channels       channel names (exact)
 * @param from           observed at or after, or null
 * @param to             observed before, or null
 */
public record ReplaySelection(List<Long> seqs, Set<String> correlationIds, Set<String> eventTypes,
                              Set<String> channels, Instant from, Instant to) {

    /** The most events one replay selects: {@value}. */
    public static final int MAX_EVENTS = 100_000;

    public ReplaySelection {
        seqs = List.copyOf(seqs);
        correlationIds = Set.copyOf(correlationIds);
        eventTypes = Set.copyOf(eventTypes);
        channels = Set.copyOf(channels);
    }

    /** The events of one correlation ID. */
    public static ReplaySelection ofCorrelationId(String id) {
        return new ReplaySelection(List.of(), Set.of(id), Set.of(), Set.of(), null, null);
    }

    /** These store sequences (a table selection). */
    public static ReplaySelection ofSeqs(List<Long> seqs) {
        return new ReplaySelection(seqs, Set.of(), Set.of(), Set.of(), null, null);
    }

    /** True when the event matches every given criterion (the sequences aside). */
    public boolean matches(CapturedEvent e) {
        return (correlationIds.isEmpty() || correlationIds.contains(e.derived().correlationIdValue()))
                && (eventTypes.isEmpty() || eventTypes.contains(e.derived().eventTypeValue()))
                && (channels.isEmpty() || channels.contains(e.channel().name()))
                && (from == null || !e.observedAt().isBefore(from))
                && (to == null || e.observedAt().isBefore(to));
    }

    /**
     * The selected events, in store order.
     *
     * @throws ReplayException when more than {@link #MAX_EVENTS} match
     */
    public List<CapturedEvent> select(CaptureStore store) {
        Map<Long, CapturedEvent> out = new LinkedHashMap<>();
        if (!seqs.isEmpty()) {
            for (long seq : seqs) {
                CapturedEvent e = store.event(seq);
                if (e != null && matches(e)) {
                    out.put(seq, e);
                }
            }
        } else if (!correlationIds.isEmpty()) {
            for (String id : correlationIds) {
                Lookup l = store.findByCorrelationId(id, MAX_EVENTS);
                if (l.truncated()) {
                    throw new ReplayException("correlation ID '" + id + "' has " + l.totalCount() + " events in "
                            + store.file() + "; a replay sends at most " + MAX_EVENTS);
                }
                l.events().stream().filter(this::matches).forEach(e -> out.put(e.seq(), e));
            }
        } else {
            long next = 1;
            long last = store.eventCount();
            while (next <= last) {
                List<CapturedEvent> page = store.page(next, 10_000);
                for (CapturedEvent e : page) {
                    if (matches(e)) {
                        out.put(e.seq(), e);
                        if (out.size() > MAX_EVENTS) {
                            throw new ReplayException("more than " + MAX_EVENTS + " events of " + store.file()
                                    + " match the selection; narrow it");
                        }
                    }
                }
                next += 10_000;
            }
        }
        List<CapturedEvent> list = new ArrayList<>(out.values());
        list.sort(java.util.Comparator.comparingLong(CapturedEvent::seq));
        return list;
    }
}
