package io.eventlens.core.filter;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.EventSelector;
import io.eventlens.core.store.ScanPage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The events of a capture store a filter keeps, in store order, read in steps so that a caller can
 * show the first page at once and the rest with progress (docs/decisions/0022-cel-filters.md,
 * "Pushdown"). Not thread-safe: one reader at a time; the store may be shared.
 *
 * <p>The filter's {@link IndexedConstraints} choose the read: a {@code correlationId} or
 * {@code eventId} constraint reads only those events through the store's lookup index; otherwise a
 * sequential {@link CaptureStore#scan selective scan} that decodes only events of the constrained
 * channels and skips blocks outside the {@code observedAt} range. Every event read is then tested
 * against the whole expression.
 */
public final class FilteredScan {

    /** The most correlation IDs or event IDs a filter may name for an index lookup; more are scanned. */
    static final int MAX_LOOKUP_KEYS = 1_000;

    /** Stored events read per store call: a few blocks, so that a step stops soon after its page is full. */
    static final int STEP = 1_024;

    /**
     * One step's result.
     *
     * @param events  the kept events of this step, in store order
     * @param nextSeq the store sequence the next step starts from
     * @param done    whether the whole store has been read
     */
    public record Step(List<CapturedEvent> events, long nextSeq, boolean done) {
        public Step {
            events = List.copyOf(events);
        }
    }

    private final CaptureStore store;
    private final EventFilter filter;
    private final FilterContext context;
    private final IndexedConstraints constraints;
    private final EventSelector selector;
    private final long last;
    private long next = 1;
    private boolean done;
    private long read;

    /**
     * @param store   the store to read; its events through {@link CaptureStore#eventCount()} at this
     *                call are read
     * @param filter  the filter
     * @param context the analysis for {@code anomalies} and {@code verdict}
     */
    public FilteredScan(CaptureStore store, EventFilter filter, FilterContext context) {
        this.store = store;
        this.filter = filter;
        this.context = context == null ? FilterContext.NONE : context;
        this.constraints = filter.constraints();
        Set<String> channels = constraints.channels();
        this.selector = channels == null ? (channel, headers) -> true : (channel, headers) -> channels.contains(channel);
        this.last = store.eventCount();
    }

    /** Whether the whole store has been read. */
    public boolean done() {
        return done;
    }

    /** How far the reading has come, 0 to 1 (by store sequence). */
    public double progress() {
        return done || last == 0 ? 1.0 : Math.min(1.0, (next - 1) / (double) last);
    }

    /** How many stored events were tested against the filter so far. */
    public long tested() {
        return read;
    }

    /**
     * Reads on until {@code wanted} events are kept or about {@code maxRead} stored events were read
     * (whole blocks; blocks skipped by the index cost nothing), whichever comes first.
     *
     * @param wanted  the most kept events to return, 1 or more (a step may return a few more, up to a block's)
     * @param maxRead the most stored events to read in this step, 1 to 100,000
     * @throws io.eventlens.core.store.CaptureStoreException when the store cannot be read
     */
    public Step next(int wanted, int maxRead) {
        if (done) {
            return new Step(List.of(), next, true);
        }
        if (lookupKeys() != null) {
            done = true;
            next = last + 1;
            return new Step(lookedUp(), next, true);
        }
        List<CapturedEvent> out = new ArrayList<>();
        long start = next;
        while (!done && out.size() < wanted && next - start < maxRead) {
            int step = (int) Math.max(1, Math.min(Math.min(STEP, maxRead - (next - start)), last - next + 1));
            ScanPage page = next > last ? new ScanPage(List.of(), next)
                    : store.scan(next, step, selector, constraints.observedFromMs(), constraints.observedToMs());
            for (CapturedEvent e : page.events()) {
                if (e.seq() <= last && keeps(e)) {
                    out.add(e);
                }
            }
            next = Math.max(page.nextSeq(), next + 1);
            done = next > last;
        }
        return new Step(out, next, done);
    }

    /**
     * Every kept event (at most {@code limit}), reading to the end.
     *
     * @param progress told the fraction read (0 to 1) after each step; may be {@code null}
     * @param limit    the most events to return
     */
    public List<CapturedEvent> all(int limit, java.util.function.DoubleConsumer progress) {
        List<CapturedEvent> out = new ArrayList<>();
        while (!done && out.size() < limit) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            out.addAll(next(limit - out.size(), 50_000).events());
            if (progress != null) {
                progress.accept(progress());
            }
        }
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** Whether the filter keeps this event; counts it as tested. */
    private boolean keeps(CapturedEvent e) {
        read++;
        Set<String> types = constraints.types();
        if (types != null && !types.contains(e.derived().eventTypeValue() == null ? "" : e.derived().eventTypeValue())) {
            return false;
        }
        return filter.test(e, context);
    }

    /** The correlation IDs (or event IDs) to look up, or {@code null} to scan. */
    private Set<String> lookupKeys() {
        Set<String> ids = constraints.correlationIds();
        if (ids != null && ids.size() <= MAX_LOOKUP_KEYS) {
            return ids;
        }
        ids = constraints.eventIds();
        return ids != null && ids.size() <= MAX_LOOKUP_KEYS ? ids : null;
    }

    private List<CapturedEvent> lookedUp() {
        boolean byCorrelation = constraints.correlationIds() != null
                && constraints.correlationIds().size() <= MAX_LOOKUP_KEYS;
        Map<Long, CapturedEvent> bySeq = new TreeMap<>();
        for (String id : lookupKeys()) {
            List<CapturedEvent> found = byCorrelation ? store.findByCorrelationId(id) : store.findByEventId(id);
            for (CapturedEvent e : found) {
                if (e.seq() <= last) {
                    bySeq.put(e.seq(), e);
                }
            }
        }
        List<CapturedEvent> out = new ArrayList<>();
        for (CapturedEvent e : bySeq.values()) {
            if (constraints.allowsChannel(e.channel().name()) && keeps(e)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparingLong(CapturedEvent::seq));
        return out;
    }

    /** Tests a list of events already in memory (a timeline, a lookup's result) against a filter. */
    public static List<CapturedEvent> keep(List<CapturedEvent> events, EventFilter filter, FilterContext context) {
        if (filter.keepsAll()) {
            return events;
        }
        List<CapturedEvent> out = new ArrayList<>();
        for (CapturedEvent e : events) {
            if (filter.test(e, context)) {
                out.add(e);
            }
        }
        return out;
    }

}
