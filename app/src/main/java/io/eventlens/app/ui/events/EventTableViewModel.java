package io.eventlens.app.ui.events;

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
        this.rows = new PagedEventList((from, limit, done) -> {
            CaptureStore s = store.get();
            if (s == null) {
                done.accept(List.of());
                return;
            }
            executor.submit("Reading events " + from + "–" + (from + limit - 1),
                    ctx -> s.page(from, limit).stream().map(EventRow::of).toList(),
                    page -> {
                        if (store.get() == s) {
                            done.accept(page);
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
