package io.eventlens.app.ui.events;

import javafx.collections.ObservableListBase;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A read-only observable list of {@link EventRow}s backed by a capture store: its size is the store's
 * event count, and {@link #get(int)} loads the page of {@value #PAGE_SIZE} rows that holds the index
 * (one indexed range query) into a small LRU cache of {@value #MAX_PAGES} pages. A TableView over it
 * only asks for the visible rows, so at most {@code PAGE_SIZE * MAX_PAGES} rows are ever in memory,
 * whatever the capture size. FX thread only.
 */
public final class PagedEventList extends ObservableListBase<EventRow> {

    /** Rows per page query. */
    public static final int PAGE_SIZE = 200;
    /** Pages kept in memory. */
    public static final int MAX_PAGES = 12;

    private final BiFunction<Long, Integer, List<EventRow>> pageLoader;
    private final Map<Long, List<EventRow>> pages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, List<EventRow>> eldest) {
            return size() > MAX_PAGES;
        }
    };
    private int size;
    private long pageLoads;

    /**
     * A list reading rows through {@code pageLoader(fromSeq, limit)} (store sequences are 1-based,
     * row index {@code i} is sequence {@code i + 1}).
     */
    public PagedEventList(BiFunction<Long, Integer, List<EventRow>> pageLoader) {
        this.pageLoader = pageLoader;
    }

    @Override
    public EventRow get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("row " + index + " of " + size);
        }
        long page = index / PAGE_SIZE;
        List<EventRow> rows = pages.get(page);
        int at = (int) (index - page * PAGE_SIZE);
        if (rows == null || at >= rows.size()) {
            rows = pageLoader.apply(page * PAGE_SIZE + 1, PAGE_SIZE);
            pageLoads++;
            pages.put(page, rows);
        }
        EventRow row = rowWithSeq(rows, at, index + 1L);
        if (row == null) {
            // The store has fewer rows than announced (a concurrent reset), or the event is in a
            // damaged block that the store skips (CaptureStore.damagedBlocks): show an empty row.
            return new EventRow(index + 1L, java.time.Instant.EPOCH, "", "", "", "", "", "");
        }
        return row;
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

    /** Number of page queries so far (for tests and diagnostics). */
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
            pages.remove((long) (old / PAGE_SIZE));
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
