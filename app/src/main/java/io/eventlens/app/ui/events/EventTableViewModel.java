package io.eventlens.app.ui.events;

import io.eventlens.core.filter.EventFilter;
import io.eventlens.core.filter.FilterContext;
import io.eventlens.core.filter.FilteredScan;
import io.eventlens.core.model.CapturedEvent;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.layout.AnomalySeverity;
import io.eventlens.core.store.CaptureStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

import io.eventlens.app.ui.task.TaskExecutor;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * View model of the live event table and the correlation ID search: a paged row list over the open
 * capture store whose pages are read off the FX thread, the anomaly marker of rows whose timeline has been analyzed, search completion
 * ({@code correlationIds(prefix, 20)}, called off the FX thread by the completion popup), the
 * "open timeline" command, and the row to select when the timeline's selected event changes (unless
 * "Follow new events" is on).
 */
public final class EventTableViewModel {

    /** How many completions the search offers. */
    public static final int COMPLETIONS = 20;

    private final Supplier<CaptureStore> store;
    private final TaskExecutor executor;
    private final ReadOnlyStringWrapper filterStatus = new ReadOnlyStringWrapper(this, "filterStatus", "");
    private final javafx.beans.property.ReadOnlyBooleanWrapper filtering =
            new javafx.beans.property.ReadOnlyBooleanWrapper(this, "filtering");
    private final ReadOnlyIntegerWrapper filterVersion = new ReadOnlyIntegerWrapper(this, "filterVersion");
    private EventFilter filter = EventFilter.ALL;
    private java.util.function.Function<CaptureStore, FilterContext> filterContext = s -> FilterContext.NONE;
    /** Store sequences of the events the filter kept so far, in store order; {@code null} when unfiltered. */
    private long[] kept;
    private Consumer<List<EventRow>> rowsSeen = page -> { };
    private int keptCount;
    private final Set<String> keptCorrelationIds = new LinkedHashSet<>();
    private long filterGeneration;
    private TaskExecutor.Handle filterTask;
    private final Consumer<String> timelineOpener;
    private final Consumer<Long> eventSelector;
    private final PagedEventList rows;
    private final ReadOnlyIntegerWrapper pagesVersion = new ReadOnlyIntegerWrapper(this, "pagesVersion");
    private final ReadOnlyLongWrapper eventCount = new ReadOnlyLongWrapper(this, "eventCount");
    private final ReadOnlyIntegerWrapper anomaliesVersion = new ReadOnlyIntegerWrapper(this, "anomaliesVersion");
    private final StringProperty searchText = new SimpleStringProperty(this, "searchText", "");
    private final Map<Long, AnomalyKind> knownAnomalies = new HashMap<>();
    private final BooleanProperty followNewEvents = new SimpleBooleanProperty(this, "followNewEvents");
    private final ReadOnlyIntegerWrapper rowToSelect = new ReadOnlyIntegerWrapper(this, "rowToSelect", -1);
    /** A row asked for by {@link #revealSeq} that the table has not counted yet; -1 when none. */
    private int pendingRow = -1;

    /**
     * A table view model.
     *
     * @param store          the open store, or {@code null} when none is open
     * @param executor       reads the table's pages off the FX thread
     * @param timelineOpener opens the timeline of a correlation ID
     * @param eventSelector  shows the event with this store sequence in the details pane
     * @param pageShown      receives the correlation IDs of each page of rows that arrived (on the FX
     *                       thread), so their flows can be analyzed to mark the rows
     * @param errors         receives a failure to read a page of the store still open
     */
    public EventTableViewModel(Supplier<CaptureStore> store, TaskExecutor executor, Consumer<String> timelineOpener,
                               Consumer<Long> eventSelector, Consumer<Collection<String>> pageShown,
                               Consumer<Throwable> errors) {
        this.store = store;
        this.timelineOpener = timelineOpener;
        this.eventSelector = eventSelector;
        this.executor = executor;
        this.rows = new PagedEventList((from, limit, done) -> {
            CaptureStore s = store.get();
            if (s == null) {
                done.accept(List.of());
                return;
            }
            long[] seqs = kept == null ? null
                    : java.util.Arrays.copyOfRange(kept, (int) Math.min(keptCount, from - 1),
                            (int) Math.min(keptCount, from - 1 + limit));
            executor.submit("Reading events " + from + "–" + (from + limit - 1),
                    ctx -> seqs == null ? s.page(from, limit).stream().map(EventRow::of).toList() : filteredRows(s, seqs),
                    page -> {
                        if (store.get() == s) {
                            done.accept(page);
                            rowsSeen.accept(page);
                            Set<String> ids = new LinkedHashSet<>();
                            page.forEach(r -> {
                                if (!r.correlationId().isEmpty()) {
                                    ids.add(r.correlationId());
                                }
                            });
                            pageShown.accept(ids);
                        }
                    },
                    error -> {
                        if (store.get() == s) {
                            errors.accept(error);
                        }
                    });
        });
        rows.onPageArrived(() -> pagesVersion.set(pagesVersion.get() + 1));
        followNewEvents.addListener((obs, was, following) -> {
            if (following) {
                revealNone();
            }
        });
    }

    /**
     * Sets where the {@code anomalies} and {@code verdict} of a filter come from (an analysis of each
     * event's flow); {@link FilterContext#NONE} by default.
     */
    public void setFilterContext(java.util.function.Function<CaptureStore, FilterContext> context) {
        this.filterContext = context == null ? s -> FilterContext.NONE : context;
    }

    /**
     * Shows only the events {@code newFilter} keeps (docs/decisions/0022-cel-filters.md): reads the
     * store off the FX thread in steps ({@link FilteredScan}: the first page as soon as it is found,
     * then the rest with progress), cancelling a filtering still running. {@link EventFilter#ALL}
     * shows every event again. A capture that grows while filtered gets its new events only when
     * the filter is applied again.
     */
    public void applyFilter(EventFilter newFilter) {
        filter = newFilter == null ? EventFilter.ALL : newFilter;
        filterGeneration++;
        if (filterTask != null) {
            filterTask.cancel();
            filterTask = null;
        }
        keptCorrelationIds.clear();
        revealNone();
        CaptureStore s = store.get();
        if (filter.keepsAll()) {
            kept = null;
            keptCount = 0;
            filtering.set(false);
            filterStatus.set("");
            rows.setPositional(false);
            long count = s == null ? 0 : s.eventCount();
            eventCount.set(count);
            rows.reset(count);
            filterVersion.set(filterVersion.get() + 1);
            return;
        }
        kept = new long[1024];
        keptCount = 0;
        rows.setPositional(true);
        rows.reset(0);
        filterVersion.set(filterVersion.get() + 1);
        if (s == null) {
            filterStatus.set("");
            return;
        }
        filtering.set(true);
        filterStatus.set("Filtering…");
        FilteredScan scan = new FilteredScan(s, filter, filterContext.apply(s));
        step(s, scan, filterGeneration, PagedEventList.PAGE_SIZE);
    }

    private void step(CaptureStore s, FilteredScan scan, long generation, int wanted) {
        filterTask = executor.submit("Filtering events", ctx -> {
            FilteredScan.Step st = scan.next(wanted, 100_000);
            ctx.progress(Math.round(scan.progress() * 1000), 1000);
            return st;
        }, st -> {
            if (generation != filterGeneration || store.get() != s) {
                return;
            }
            for (CapturedEvent e : st.events()) {
                if (keptCount == kept.length) {
                    kept = java.util.Arrays.copyOf(kept, kept.length * 2);
                }
                kept[keptCount++] = e.seq();
                String cid = e.derived().correlationIdValue();
                if (cid != null && !cid.isEmpty()) {
                    keptCorrelationIds.add(cid);
                }
            }
            rows.setSize(keptCount);
            eventCount.set(keptCount);
            filterVersion.set(filterVersion.get() + 1);
            if (st.done()) {
                filtering.set(false);
                filterTask = null;
                filterStatus.set(String.format(java.util.Locale.ROOT, "%,d of %,d events", keptCount, s.eventCount()));
            } else {
                filterStatus.set(String.format(java.util.Locale.ROOT, "%,d events · filtering… %d%%", keptCount,
                        Math.round(scan.progress() * 100)));
                step(s, scan, generation, Integer.MAX_VALUE);
            }
        }, error -> {
            if (generation == filterGeneration) {
                filtering.set(false);
                filterStatus.set("Filtering failed: " + error.getMessage());
            }
        }, () -> {
            if (generation == filterGeneration) {
                filtering.set(false);
                filterStatus.set(String.format(java.util.Locale.ROOT, "%,d events (filtering cancelled)", keptCount));
            }
        });
    }

    private static List<EventRow> filteredRows(CaptureStore s, long[] seqs) {
        List<EventRow> out = new java.util.ArrayList<>(seqs.length);
        for (long seq : seqs) {
            CapturedEvent e = s.event(seq);
            out.add(e == null ? new EventRow(seq, java.time.Instant.EPOCH, "", "", "", "", "", "") : EventRow.of(e));
        }
        return out;
    }

    /** Receives each page of rows read (on the FX thread), e.g. to learn values for the filter's completion. */
    public void setRowsSeen(Consumer<List<EventRow>> seen) {
        this.rowsSeen = seen == null ? page -> { } : seen;
    }

    /** Cancels the filtering still running (the rows found so far stay). */
    public void cancelFilter() {
        if (filterTask != null) {
            filterTask.cancel();
        }
    }

    /** The filter applied to the table. */
    public EventFilter filter() {
        return filter;
    }

    /** "1,204 of 1,000,000 events", "filtering… 42%", or "" when no filter is applied. */
    public ReadOnlyStringProperty filterStatusProperty() {
        return filterStatus.getReadOnlyProperty();
    }

    /** True while a filter is reading the store. */
    public javafx.beans.property.ReadOnlyBooleanProperty filteringProperty() {
        return filtering.getReadOnlyProperty();
    }

    /** Changes whenever the filtered rows change (new kept events, another filter). */
    public ReadOnlyIntegerProperty filterVersionProperty() {
        return filterVersion.getReadOnlyProperty();
    }

    /** The correlation IDs of the events the filter kept so far; empty when unfiltered. */
    public Set<String> keptCorrelationIds() {
        return java.util.Collections.unmodifiableSet(keptCorrelationIds);
    }

    /** The rows, paged from the store. */
    public ObservableList<EventRow> rows() {
        return rows;
    }

    /** The paged list itself (page statistics). */
    public PagedEventList pagedRows() {
        return rows;
    }

    /** Changes whenever a page of rows arrived (the view redraws the rows it shows). */
    public ReadOnlyIntegerProperty pagesVersionProperty() {
        return pagesVersion.getReadOnlyProperty();
    }

    /** Events in the store as last refreshed. */
    public ReadOnlyLongProperty eventCountProperty() {
        return eventCount.getReadOnlyProperty();
    }

    /** Changes whenever the known anomaly markers change (the view refreshes its marker column). */
    public ReadOnlyIntegerProperty anomaliesVersionProperty() {
        return anomaliesVersion.getReadOnlyProperty();
    }

    /** The search field's text (a correlation ID or its prefix). */
    public StringProperty searchTextProperty() {
        return searchText;
    }

    /** The most severe known anomaly of an event, or {@code null} when none is known. */
    public AnomalyKind anomalyOf(long seq) {
        return knownAnomalies.get(seq);
    }

    /** Records analyzed anomalies: the most severe kind per store sequence ({@code null} kinds clear). */
    public void recordAnomalies(Map<Long, List<AnomalyKind>> bySeq) {
        boolean changed = false;
        for (Map.Entry<Long, List<AnomalyKind>> e : bySeq.entrySet()) {
            AnomalyKind top = e.getValue().stream().min(AnomalySeverity.MOST_SEVERE_FIRST).orElse(null);
            AnomalyKind old = top == null ? knownAnomalies.remove(e.getKey()) : knownAnomalies.put(e.getKey(), top);
            changed |= old != top;
        }
        if (changed) {
            anomaliesVersion.set(anomaliesVersion.get() + 1);
        }
    }

    /**
     * Re-reads the event count and appends new rows (one change); call once per pulse while capturing.
     * A row asked for by {@link #revealSeq} before the table counted it becomes the row to select.
     */
    public void refresh() {
        if (kept != null) {
            return;   // a filtered table grows as its filter finds events, not with the capture
        }
        CaptureStore s = store.get();
        long count = s == null ? 0 : s.eventCount();
        eventCount.set(count);
        rows.setSize(count);
        if (pendingRow >= 0 && pendingRow < rows.size()) {
            int row = pendingRow;
            pendingRow = -1;
            rowToSelect.set(row);
        }
    }

    /** Forgets every row and anomaly (another store was opened) and reloads. */
    public void reload() {
        if (!filter.keepsAll()) {
            knownAnomalies.clear();
            anomaliesVersion.set(anomaliesVersion.get() + 1);
            applyFilter(filter);
            return;
        }
        revealNone();
        knownAnomalies.clear();
        anomaliesVersion.set(anomaliesVersion.get() + 1);
        CaptureStore s = store.get();
        long count = s == null ? 0 : s.eventCount();
        eventCount.set(count);
        rows.reset(count);
    }

    /**
     * Completions for the search field: correlation IDs starting with {@code prefix}, at most
     * {@value #COMPLETIONS}. Blocking store query: call it off the FX thread (the completion popup does).
     */
    public List<String> completions(String prefix) {
        CaptureStore s = store.get();
        if (s == null || prefix == null || prefix.isBlank()) {
            return List.of();
        }
        return s.correlationIds(prefix.trim(), COMPLETIONS);
    }

    /** Opens the timeline of the correlation ID in the search field (Enter); ignored when blank. */
    public void openSearchedTimeline() {
        String id = searchText.get() == null ? "" : searchText.get().trim();
        if (!id.isEmpty()) {
            timelineOpener.accept(id);
        }
    }

    /** Opens the timeline of a row's correlation ID (double-click); ignored for rows without one. */
    public void openTimelineOf(EventRow row) {
        if (row != null && !row.correlationId().isEmpty()) {
            searchText.set(row.correlationId());
            timelineOpener.accept(row.correlationId());
        }
    }

    /**
     * Asks the table to select and show the row of the event with this store sequence (row
     * {@code seq - 1}): the timeline's selected event changed. Nothing is loaded here; the table reads
     * the row's page when it shows it. Ignored while "Follow new events" is on; a sequence the table
     * has not counted yet is selected once a {@link #refresh} counts it.
     */
    public void revealSeq(long seq) {
        if (followNewEvents.get() || seq < 1 || seq > Integer.MAX_VALUE) {
            revealNone();
            return;
        }
        int row = (int) (seq - 1);
        if (kept != null) {
            int at = java.util.Arrays.binarySearch(kept, 0, keptCount, seq);
            rowToSelect.set(at >= 0 ? at : -1);
            pendingRow = -1;
            return;
        }
        if (row < rows.size()) {
            pendingRow = -1;
            rowToSelect.set(row);
        } else {
            rowToSelect.set(-1);
            pendingRow = row;
        }
    }

    /** Withdraws the row to select (the timeline has no selected event). */
    public void revealNone() {
        pendingRow = -1;
        rowToSelect.set(-1);
    }

    /**
     * The row index (store sequence - 1) the table should select and scroll to, or -1 for none. It
     * changes only when the timeline selects another event, so a live re-analysis of the shown flow
     * does not pull the table back after the user selected another row.
     */
    public ReadOnlyIntegerProperty rowToSelectProperty() {
        return rowToSelect.getReadOnlyProperty();
    }

    /** True while the table keeps the newest event in view ("Follow new events"); then nothing is revealed. */
    public BooleanProperty followNewEventsProperty() {
        return followNewEvents;
    }

    /** Shows a row's event in the details pane (the user selected it in the table). */
    public void select(EventRow row) {
        if (row != null) {
            eventSelector.accept(row.seq());
        }
    }
}
