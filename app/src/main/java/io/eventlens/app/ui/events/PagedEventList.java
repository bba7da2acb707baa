package io.eventlens.app.ui.events;

import javafx.collections.ObservableListBase;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A read-only observable list of {@link EventRow}s backed by a capture store: its size is the store's
 * event count, and {@link #get(int)} gives the row from a cached page of {@value #PAGE_SIZE} rows; a
 * page not cached yet is asked for from its {@link PageLoader} (off the FX thread: no store read on
 * the FX thread, docs/decisions/0003-desktop-ui-threading-and-paging.md) and its rows are shown as
 * empty rows until it arrives, when {@link #onPageArrived} tells the table to redraw. A small LRU
 * cache keeps {@value #MAX_PAGES} pages: at most {@code PAGE_SIZE * MAX_PAGES} rows are in memory,
 * whatever the capture size. Each page is asked for once at a time. FX thread only.
 */
public final class PagedEventList extends ObservableListBase<EventRow> {

    /** Rows per page query. */
    public static final int PAGE_SIZE = 200;
    /** Pages kept in memory. */
    public static final int MAX_PAGES = 12;

    /** Loads pages asynchronously. */
    @FunctionalInterface
    public interface PageLoader {
        /**
         * Starts reading up to {@code limit} rows from store sequence {@code fromSeq} (1-based) off the
         * FX thread, and calls {@code done} on the FX thread with them (in store order; a damaged
         * block's rows are left out). A loader may call {@code done} before it returns.
         */
        void load(long fromSeq, int limit, Consumer<List<EventRow>> done);
    }

    private final PageLoader pageLoader;
    private final Map<Long, List<EventRow>> pages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<EventRow>> eldest) {
            return size() > MAX_PAGES;
        }
    };
    /** Pages asked for, with the ticket of the request whose answer is awaited (older answers are dropped). */
    private final Map<Long, Long> loading = new HashMap<>();
    private Runnable onPageArrived = () -> { };
    private long tickets;
    private int size;
    private long pageLoads;
    /** Rows are the i-th rows of their page, not the rows of store sequence i + 1 (a filtered table). */
    private boolean positional;

    /**
     * A list reading rows through {@code pageLoader} (store sequences are 1-based, row index {@code i}
     * is sequence {@code i + 1}).
     */
    public PagedEventList(PageLoader pageLoader) {
        this.pageLoader = pageLoader;
    }

    /** Runs (on the FX thread) each time a page arrives, so the table redraws the rows it shows. */
    public void onPageArrived(Runnable action) {
        this.onPageArrived = action == null ? () -> { } : action;
    }

    @Override
    public EventRow get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("row " + index + " of " + size);
        }
        long page = index / PAGE_SIZE;
        List<EventRow> rows = pages.get(page);
        if (rows == null) {
            request(page);
            rows = pages.get(page);   // a loader may answer at once
            if (rows == null) {
                return pending(index + 1L);
            }
        }
        int at = (int) (index - page * PAGE_SIZE);
        EventRow row = positional ? (at < rows.size() ? rows.get(at) : null) : rowWithSeq(rows, at, index + 1L);
        // absent: the store has fewer rows than announced (a concurrent reset), or the event is in a
        // damaged block that the store skips (CaptureStore.damagedBlocks): an empty row
        return row == null ? pending(index + 1L) : row;
    }

    private void request(long page) {
        if (loading.containsKey(page)) {
            return;
        }
        Long ticket = ++tickets;
        loading.put(page, ticket);
        pageLoads++;
        pageLoader.load(page * PAGE_SIZE + 1, PAGE_SIZE, rows -> {
            if (!ticket.equals(loading.get(page))) {
                return;   // asked for before a reset, or before rows were appended to it
            }
            loading.remove(page);
            pages.put(page, List.copyOf(rows));
            onPageArrived.run();
        });
    }

    /** The empty row shown for an event whose page has not arrived (or whose block is damaged). */
    private static EventRow pending(long seq) {
        return new EventRow(seq, Instant.EPOCH, "", "", "", "", "", "");
    }

    /**
     * Whether row {@code i} is the {@code i}-th row the loader returns (a filtered table: the loader
     * maps row indexes to the kept events) rather than the event of store sequence {@code i + 1}.
     * Takes effect with the next {@link #reset}.
     */
    public void setPositional(boolean byPosition) {
        this.positional = byPosition;
    }

    /** True when the row at {@code index} is from a page that arrived (for tests and diagnostics). */
    public boolean isLoaded(int index) {
        return index >= 0 && index < size && pages.containsKey((long) (index / PAGE_SIZE));
    }

    /**
     * The row with store sequence {@code seq} of a page in store order: at {@code at} unless the
     * page skips sequences (a damaged block), then found by binary search; {@code null} when absent.
     */
    private static EventRow rowWithSeq(List<EventRow> rows, int at, long seq) {
        if (at < rows.size() && rows.get(at).seq() == seq) {
            return rows.get(at);
        }
        int lo = 0;
        int hi = Math.min(at, rows.size() - 1);
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = rows.get(mid).seq();
            if (s == seq) {
                return rows.get(mid);
            } else if (s < seq) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    @Override
    public int size() {
        return size;
    }

    /** Number of page queries asked for so far (for tests and diagnostics). */
    public long pageLoads() {
        return pageLoads;
    }

    /** Number of pages cached. */
    public int cachedPages() {
        return pages.size();
    }

    /**
     * Grows the list to {@code newSize} rows with one change (an append); a smaller size resets it.
     * The last cached page is dropped so rows appended to it are read again.
     */
    public void setSize(long newSize) {
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, newSize));
        if (n == size) {
            return;
        }
        int old = size;
        if (n > old) {
            long last = old / PAGE_SIZE;
            pages.remove(last);
            loading.remove(last);   // an answer on its way may lack the appended rows: asked again when shown
            size = n;
            beginChange();
            nextAdd(old, n);
            endChange();
        } else {
            reset(n);
        }
    }

    /** Drops every cached page and announces {@code newSize} rows as a full replacement. */
    public void reset(long newSize) {
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(0, newSize));
        pages.clear();
        loading.clear();
        int old = size;
        size = n;
        beginChange();
        if (old > 0) {
            nextRemove(0, java.util.Collections.nCopies(old, (EventRow) null));
        }
        if (n > 0) {
            nextAdd(0, n);
        }
        endChange();
    }
}
