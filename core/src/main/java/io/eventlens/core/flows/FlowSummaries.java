package io.eventlens.core.flows;

import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.FlowRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * The flow summaries of one open capture store, for listing every flow that went wrong worst first
 * (docs/decisions/0009-flow-summaries.md). Reads the summaries the capture stored; when they do not
 * reach the last event (a store of a schema version before 4, a capture that was killed, a store
 * opened while another process captures into it), {@link #catchUp} computes the rest in memory by
 * one pass over the events past the watermark, and the reads then combine both. Never writes the
 * store.
 *
 * <p>Thread-safe: {@link #catchUp} runs on one worker thread while others read; a read during the
 * pass sees the flows summarized so far.
 */
public final class FlowSummaries {

    /** Progress of {@link #catchUp}. */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} events past the watermark summarized. */
        void update(long done, long total);
    }

    private final CaptureStore store;
    private final TimelineAnalyzer analyzer;
    private final long maxBytes;
    /** The store's watermark when this was made; summaries past it come from {@link #catchUp}. */
    private final long storedThrough;

    // computed in memory by catchUp; guarded by this
    private final Map<String, FlowSummary> overlay = new HashMap<>();
    private final TreeSet<FlowSummary> ordered = new TreeSet<>(FlowSummary.WORST_FIRST);
    private final EnumMap<FlowCategory, Long> overlayCounts = new EnumMap<>(FlowCategory.class);
    /** Stored summaries the overlay replaces, per category: not counted. */
    private final EnumMap<FlowCategory, Long> replacedCounts = new EnumMap<>(FlowCategory.class);
    private long computedThrough;

    private FlowSummaries(CaptureStore store, TimelineAnalyzer analyzer, long maxBytes) {
        this.store = store;
        this.analyzer = analyzer;
        this.maxBytes = maxBytes;
        this.storedThrough = store.summarizedThroughSeq();
        this.computedThrough = storedThrough;
    }

    /**
     * The flow summaries of {@code store}, computed past its watermark with {@code analyzer} and at
     * most {@code maxBytes} of events in memory ({@link FlowSummarizer#DEFAULT_MAX_BYTES} by default).
     * Reads the store's watermark; nothing else is done until asked.
     */
    public static FlowSummaries of(CaptureStore store, TimelineAnalyzer analyzer, long maxBytes) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(analyzer, "analyzer");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: must be positive, was " + maxBytes);
        }
        return new FlowSummaries(store, analyzer, maxBytes);
    }

    /** As {@link #of(CaptureStore, TimelineAnalyzer, long)} with the default analysis and memory bound. */
    public static FlowSummaries of(CaptureStore store) {
        return of(store, TimelineAnalyzer.withDefaults(), FlowSummarizer.DEFAULT_MAX_BYTES);
    }

    /** The store. */
    public CaptureStore store() {
        return store;
    }

    /**
     * The number of stored events the summaries do not reflect yet: 0 when the stored summaries (and
     * what {@link #catchUp} computed) reach the last event.
     */
    public synchronized long eventsBehind() {
        return Math.max(0, store.eventCount() - Math.max(computedThrough, store.summarizedThroughSeq()));
    }

    /**
     * Computes the summaries of the events past the store's watermark, in memory: one pass over
     * their blocks in store order through a {@link FlowSummarizer} (flows that also have events before
     * the watermark are read whole from the store). Blocking; call it on a worker thread, once.
     * Reads made meanwhile see the flows summarized so far.
     *
     * @param progress  receives progress after each page of events
     * @param cancelled polled between pages; the pass stops when it turns true (what was computed stays)
     * @return true when the pass reached the last event stored when it started
     */
    public boolean catchUp(Progress progress, BooleanSupplier cancelled) {
        long last = store.eventCount();
        long from = storedThrough;
        if (from >= last) {
            return true;
        }
        FlowSummarizer summarizer = new FlowSummarizer(analyzer, store::findByCorrelationId, this::merge, from,
                from > 0 ? FlowSummaryWriter.summarizedIds(store) : List.of(), maxBytes, System::nanoTime);
        long total = last - from;
        while (summarizer.fedThroughSeq() < last) {
            if (cancelled.getAsBoolean()) {
                summarizer.flush();
                return false;
            }
            long next = summarizer.fedThroughSeq() + 1;
            List<CapturedEvent> page = store.page(next, (int) Math.min(FlowSummaryWriter.PAGE, last - next + 1));
            if (page.isEmpty()) {
                summarizer.skipTo(last);   // the rest is in damaged blocks
            } else {
                summarizer.accept(page);
            }
            progress.update(summarizer.fedThroughSeq() - from, total);
        }
        summarizer.flush();
        return true;
    }

    /** Takes one flush of the catch-up pass. */
    private synchronized void merge(List<FlowSummary> changed, long through) {
        for (FlowSummary s : changed) {
            FlowSummary old = overlay.put(s.correlationId(), s);
            if (old != null) {
                ordered.remove(old);
                overlayCounts.merge(old.category(), -1L, Long::sum);
            } else if (storedThrough > 0) {
                FlowSummary stored = stored(store.flowSummary(s.correlationId()));
                if (stored != null) {
                    replacedCounts.merge(stored.category(), 1L, Long::sum);
                }
            }
            ordered.add(s);
            overlayCounts.merge(s.category(), 1L, Long::sum);
        }
        computedThrough = Math.max(computedThrough, through);
    }

    private static FlowSummary stored(FlowRecord r) {
        return r == null ? null : FlowSummary.fromRecord(r);
    }

    /** The number of flows per category (every category is a key). */
    public Map<FlowCategory, Long> counts() {
        Map<String, Long> stored = storedThrough > 0 || overlay.isEmpty() ? store.flowCountsByCategory() : Map.of();
        EnumMap<FlowCategory, Long> out = new EnumMap<>(FlowCategory.class);
        for (FlowCategory c : FlowCategory.values()) {
            out.put(c, stored.getOrDefault(c.name(), 0L));
        }
        synchronized (this) {
            overlayCounts.forEach((c, n) -> out.merge(c, n, Long::sum));
            replacedCounts.forEach((c, n) -> out.merge(c, -n, Long::sum));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * A page of flows, worst first ({@link FlowSummary#WORST_FIRST}).
     *
     * @param after      the last flow of the previous page, or null for the first page
     * @param healthyToo true to list plain healthy flows too (after all others); else every category
     *                   before {@link FlowCategory#HEALTHY}
     * @param limit      at most this many, 1 to 10,000
     */
    public List<FlowSummary> worstFirst(FlowSummary after, boolean healthyToo, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit: must be 1 to 10000, was " + limit);
        }
        FlowCategory below = healthyToo ? null : FlowCategory.HEALTHY;
        List<FlowSummary> fromMemory = new ArrayList<>();
        synchronized (this) {
            for (FlowSummary s : after == null ? ordered : ordered.tailSet(after, false)) {
                if (fromMemory.size() == limit || (below != null && s.category().compareTo(below) >= 0)) {
                    break;
                }
                fromMemory.add(s);
            }
        }
        int belowRank = below == null ? Integer.MAX_VALUE : below.storedRank();
        List<FlowSummary> fromStore = new ArrayList<>();
        FlowRecord cursor = after == null ? null : after.toRecord();
        while (fromStore.size() < limit) {
            List<FlowRecord> page = store.flowSummaries(cursor, belowRank, limit);
            for (FlowRecord r : page) {
                FlowSummary s = FlowSummary.fromRecord(r);
                if (s != null && !replaced(s.correlationId()) && fromStore.size() < limit) {
                    fromStore.add(s);
                }
            }
            if (page.size() < limit) {
                break;
            }
            cursor = page.get(page.size() - 1);
        }
        List<FlowSummary> merged = new ArrayList<>(Math.min(limit, fromMemory.size() + fromStore.size()));
        int i = 0;
        int j = 0;
        while (merged.size() < limit && (i < fromMemory.size() || j < fromStore.size())) {
            if (j == fromStore.size()
                    || (i < fromMemory.size() && FlowSummary.WORST_FIRST.compare(fromMemory.get(i), fromStore.get(j)) <= 0)) {
                merged.add(fromMemory.get(i++));
            } else {
                merged.add(fromStore.get(j++));
            }
        }
        return merged;
    }

    private synchronized boolean replaced(String correlationId) {
        return overlay.containsKey(correlationId);
    }

    /** The summary of one flow, or null when it has none (no events, or not summarized yet). */
    public FlowSummary summary(String correlationId) {
        synchronized (this) {
            FlowSummary s = overlay.get(correlationId);
            if (s != null) {
                return s;
            }
        }
        return stored(store.flowSummary(correlationId));
    }
}
