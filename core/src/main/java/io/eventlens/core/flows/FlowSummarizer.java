package io.eventlens.core.flows;

import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Keeps the summaries of every flow exact while events arrive in store order
 * (docs/decisions/0009-flow-summaries.md): it holds the events of the active flows in memory (at
 * most {@code maxBytes}, least recently updated flows evicted first), marks the flows that got events
 * dirty, and at each flush runs the real {@link TimelineAnalyzer} on each dirty flow's events and
 * hands the summaries to a {@link Sink} with the watermark they reach. A flow evicted and touched
 * again first reloads its earlier events from the store ({@link Loader}).
 *
 * <p>Work per event is amortized constant: an event is added once; a flow is re-analyzed at a flush
 * only when it got at least a quarter of its analyzed size in new events, or when its last analysis
 * is older than 1 ms per event it had (so a flow of 100,000 events is analyzed again at most every
 * 100 s while it grows slowly), and always at the final {@link #flush()} and before it is evicted.
 * Events without a correlation ID belong to no flow. Flows are summarized from all their events up to
 * the one the store's {@code findByCorrelationId} gives, so a flow larger than its bound is summarized
 * from that part.
 *
 * <p>Confined to one thread (the caller's). Memory: the active flows' events ({@code maxBytes}, a
 * single flow larger than that is kept alone), the set of dirty flows (each flow at most once), and
 * a 4 MiB filter of the flows evicted ({@link SeenFlows}).
 */
public final class FlowSummarizer {

    /** Default bound of the events held in memory, in estimated heap bytes. */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
    /** A flush is due this long after the previous one. */
    public static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    /** Estimated heap bytes of one event beyond its payload, key and header bytes. */
    static final int EVENT_OVERHEAD = 400;

    /** Receives the summaries of one flush. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param changed              the summaries of the flows analyzed in this flush (each flow once)
         * @param summarizedThroughSeq every event up to this store sequence is reflected in the
         *                             summaries handed so far
         */
        void write(List<FlowSummary> changed, long summarizedThroughSeq);
    }

    /** Reads a flow's stored events. */
    @FunctionalInterface
    public interface Loader {
        /** The stored events of this correlation ID in store order (as {@code CaptureStore.findByCorrelationId}). */
        List<CapturedEvent> events(String correlationId);
    }

    private final TimelineAnalyzer analyzer;
    private final Loader loader;
    private final Sink sink;
    private final long maxBytes;
    private final LongSupplier nanoClock;
    private final SeenFlows seen;
    /** Active flows, least recently updated first. */
    private final LinkedHashMap<String, Flow> active = new LinkedHashMap<>(1024, 0.75f, true);
    private List<Flow> dirty = new ArrayList<>();
    private long bytes;
    /** Holding more than this many bytes flushes and evicts. */
    private long pressureAt;
    private long fedThrough;
    private long summarizedThrough;
    private long lastFlushNanos;
    private long reloads;
    private long analyses;

    /**
     * A summarizer that starts after store sequence {@code startSeq}.
     *
     * @param analyzer the analysis whose verdicts are summarized
     * @param loader   reads a flow's stored events when an evicted (or earlier) flow gets events again
     * @param sink     receives each flush's summaries
     * @param startSeq the events up to this store sequence are already summarized (0 for none)
     * @param before   the correlation IDs of the events up to {@code startSeq} (their flows are
     *                 reloaded when they get events again); ignored when {@code startSeq} is 0
     * @param maxBytes bound of the events held in memory, in estimated heap bytes, positive
     * @param nanoClock {@link System#nanoTime()} or a test clock
     * @throws IllegalArgumentException naming the field when {@code maxBytes} or {@code startSeq} is out of range
     */
    public FlowSummarizer(TimelineAnalyzer analyzer, Loader loader, Sink sink, long startSeq,
                          Iterable<String> before, long maxBytes, LongSupplier nanoClock) {
        this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: must be positive, was " + maxBytes);
        }
        if (startSeq < 0) {
            throw new IllegalArgumentException("startSeq: must be 0 or more, was " + startSeq);
        }
        this.maxBytes = maxBytes;
        this.pressureAt = maxBytes;
        this.fedThrough = startSeq;
        this.summarizedThrough = startSeq;
        this.seen = new SeenFlows();
        if (startSeq > 0 && before != null) {
            for (String id : before) {
                seen.add(id);
            }
        }
        this.lastFlushNanos = nanoClock.getAsLong();
    }

    /**
     * Takes committed events, in store order. Events at or before the last one taken are ignored
     * (so a batch read again from the store does no harm); a jump forward is accepted (the events of
     * a damaged block cannot be read). Flushes when one is due, and flushes and evicts as soon as the
     * events held exceed the memory bound (also within a batch: a flow read back then gets the
     * stored events up to the last one taken).
     *
     * @param events events with their store sequences, ascending
     */
    public void accept(List<CapturedEvent> events) {
        for (CapturedEvent e : events) {
            if (e.seq() > fedThrough) {
                take(e);
            }
        }
        flushIfDue();
    }

    /**
     * One event past {@code fedThrough} into its flow (a method of its own so that the JIT compiles
     * it once, not again with each compilation of {@link #accept}'s loop).
     */
    private void take(CapturedEvent e) {
        String id = e.derived().correlationIdValue();
        if (id != null) {
            Flow f = active.get(id);
            if (f == null) {
                f = new Flow(id);
                if (seen.mightContain(id)) {
                    reloads++;
                    for (CapturedEvent earlier : loader.events(id)) {
                        if (earlier.seq() <= fedThrough) {   // the store may hold later ones already
                            bytes += f.add(earlier);
                        }
                    }
                }
                active.put(id, f);
            }
            bytes += f.add(e);
            if (!f.dirty) {
                f.dirty = true;
                f.dirtySince = e.seq();
                dirty.add(f);
            }
        }
        fedThrough = e.seq();
        if (bytes > pressureAt) {
            flush(true);
            evict();
            // a single flow larger than the bound stays; flush again only once it grew a quarter more
            pressureAt = Math.max(maxBytes, bytes + maxBytes / 4);
        }
    }

    /** Flushes when the last flush is {@link #FLUSH_INTERVAL_NANOS} old (call it also while idle). */
    public void flushIfDue() {
        if (nanoClock.getAsLong() - lastFlushNanos >= FLUSH_INTERVAL_NANOS) {
            flush(false);
        }
    }

    /** Analyzes every dirty flow and hands the summaries with the watermark at the last event taken. */
    public void flush() {
        flush(true);
    }

    private void flush(boolean all) {
        long now = nanoClock.getAsLong();
        lastFlushNanos = now;
        List<FlowSummary> changed = new ArrayList<>();
        List<Flow> still = new ArrayList<>();
        long through = fedThrough;
        for (Flow f : dirty) {
            if (all || f.due(now)) {
                changed.add(FlowSummary.summarize(analyzer, f.id, f.events));
                analyses++;
                f.analyzed(now);
            } else {
                still.add(f);
                through = Math.min(through, f.dirtySince - 1);
            }
        }
        dirty = still;
        if (changed.isEmpty() && through == summarizedThrough) {
            return;
        }
        summarizedThrough = Math.max(summarizedThrough, through);
        sink.write(changed, summarizedThrough);
    }

    /**
     * Evicts clean flows, least recently updated first, down to half the bound (one flow stays): a
     * flush and a store write per half the bound of events, and the flows still growing, the most
     * recently updated, stay.
     */
    private void evict() {
        long target = maxBytes / 2;
        for (Iterator<Flow> it = active.values().iterator(); it.hasNext() && bytes > target && active.size() > 1; ) {
            Flow f = it.next();
            if (f.dirty) {
                continue;
            }
            it.remove();
            bytes -= f.bytes;
            seen.add(f.id);
        }
    }

    /**
     * Takes note that the events up to {@code seq} cannot be read (a damaged block at the end of the
     * store): the watermark may pass them.
     */
    public void skipTo(long seq) {
        fedThrough = Math.max(fedThrough, seq);
    }

    /** The store sequence of the last event taken. */
    public long fedThroughSeq() {
        return fedThrough;
    }

    /** The watermark handed with the last flush. */
    public long summarizedThroughSeq() {
        return summarizedThrough;
    }

    /** Estimated heap bytes of the events held. */
    public long heldBytes() {
        return bytes;
    }

    /** Flows whose events are held. */
    public int activeFlows() {
        return active.size();
    }

    /** Flows with events not yet summarized. */
    public int dirtyFlows() {
        return dirty.size();
    }

    /** How many times a flow's earlier events were read from the store. */
    public long reloads() {
        return reloads;
    }

    /** How many timelines were analyzed. */
    public long analyses() {
        return analyses;
    }

    /** Estimated heap bytes of one event held in memory. */
    static long footprint(CapturedEvent e) {
        long n = EVENT_OVERHEAD + e.payloadSize() + (e.key() == null ? 0 : e.key().length);
        for (Header h : e.headers()) {
            n += 48 + 2L * h.name().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    /** One active flow: its events and whether they are summarized. */
    private static final class Flow {
        final String id;
        final List<CapturedEvent> events = new ArrayList<>(4);
        long bytes;
        boolean dirty;
        /** The first event not reflected in the flow's last summary. */
        long dirtySince;
        int analyzedEvents;
        long analyzedNanos;

        Flow(String id) {
            this.id = id;
        }

        long add(CapturedEvent e) {
            events.add(e);
            long b = footprint(e);
            bytes += b;
            return b;
        }

        /** True when a flush should analyze it again (amortized constant work per event; see the class comment). */
        boolean due(long now) {
            int fresh = events.size() - analyzedEvents;
            return analyzedEvents == 0 || (long) fresh * 4 >= analyzedEvents
                    || now - analyzedNanos >= analyzedEvents * 1_000_000L;
        }

        void analyzed(long now) {
            dirty = false;
            analyzedEvents = events.size();
            analyzedNanos = now;
        }
    }
}
