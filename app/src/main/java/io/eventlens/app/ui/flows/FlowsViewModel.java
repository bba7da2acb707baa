package io.eventlens.app.ui.flows;

import io.eventlens.core.analysis.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * View model of the Flows panel: the correlation IDs that went wrong, most severe first, so a triage
 * engineer sees every finding at once. It never analyzes anything itself: it is fed the timelines that
 * {@code MainViewModel} already analyzed (the first correlation IDs of an opened capture, the ones live
 * capture touched, the one the user opened), keeps a small summary per correlation ID, and publishes a
 * bounded list ({@value #LIST_LIMIT} rows) with one list change per update.
 */
public final class FlowsViewModel {

    /** At most this many rows are listed (the most severe, then the most recent). */
    public static final int LIST_LIMIT = 500;

    /**
     * At most this many flow summaries are remembered; beyond it the least recently updated plain
     * healthy flows are forgotten first, then the least recently updated of any kind.
     */
    public static final int TRACKED_LIMIT = 20_000;

    private final Consumer<String> opener;
    private final ReadOnlyStringProperty shownCorrelationId;
    private final int listLimit;
    private final int trackedLimit;

    /** Summaries by correlation ID, least recently updated first. */
    private final LinkedHashMap<String, FlowRow> tracked = new LinkedHashMap<>();
    private final int[] counts = new int[FlowCategory.values().length];
    private final ObservableList<FlowRow> rows = FXCollections.observableArrayList();
    private final ObservableList<FlowRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyObjectWrapper<Map<FlowCategory, Integer>> countsView =
            new ReadOnlyObjectWrapper<>(this, "counts", zeroCounts());
    private final BooleanProperty showHealthy = new SimpleBooleanProperty(this, "showHealthy");
    private boolean autoOpenArmed;

    /**
     * A flows view model.
     *
     * @param opener             opens a correlation ID's timeline (the same path as the search field)
     * @param shownCorrelationId the correlation ID whose timeline is shown, or "" when none is
     */
    public FlowsViewModel(Consumer<String> opener, ReadOnlyStringProperty shownCorrelationId) {
        this(opener, shownCorrelationId, LIST_LIMIT, TRACKED_LIMIT);
    }

    FlowsViewModel(Consumer<String> opener, ReadOnlyStringProperty shownCorrelationId, int listLimit, int trackedLimit) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.shownCorrelationId = Objects.requireNonNull(shownCorrelationId, "shownCorrelationId");
        if (listLimit < 1 || trackedLimit < listLimit) {
            throw new IllegalArgumentException("listLimit must be >= 1 and trackedLimit >= listLimit, got "
                    + listLimit + " and " + trackedLimit);
        }
        this.listLimit = listLimit;
        this.trackedLimit = trackedLimit;
        showHealthy.addListener((obs, was, now) -> publish());
    }

    /**
     * Takes freshly analyzed timelines (a re-analysis replaces a correlation ID's earlier summary) and
     * republishes the list with one change. When armed (the demo started) and no timeline is shown
     * yet, opens the first dead-lettered flow.
     */
    public void update(Collection<Timeline> analyzed) {
        if (analyzed.isEmpty()) {
            return;
        }
        for (Timeline t : analyzed) {
            FlowRow row = FlowRow.of(t);
            FlowRow old = tracked.remove(row.correlationId());
            if (old != null) {
                counts[old.category().ordinal()]--;
            }
            tracked.put(row.correlationId(), row);
            counts[row.category().ordinal()]++;
        }
        evict();
        publish();
        autoOpen();
    }

    private void evict() {
        if (tracked.size() <= trackedLimit) {
            return;
        }
        for (Iterator<FlowRow> it = tracked.values().iterator(); it.hasNext() && tracked.size() > trackedLimit; ) {
            FlowRow row = it.next();
            if (row.category().plainHealthy()) {
                it.remove();
                counts[row.category().ordinal()]--;
            }
        }
        for (Iterator<FlowRow> it = tracked.values().iterator(); it.hasNext() && tracked.size() > trackedLimit; ) {
            FlowRow row = it.next();
            it.remove();
            counts[row.category().ordinal()]--;
        }
    }

    private void publish() {
        boolean healthyToo = showHealthy.get();
        List<FlowRow> shown = tracked.values().stream()
                .filter(r -> healthyToo || !r.category().plainHealthy())
                .sorted(FlowRow.MOST_SEVERE_FIRST)
                .limit(listLimit)
                .toList();
        if (!shown.equals(rows)) {
            rows.setAll(shown);
        }
        Map<FlowCategory, Integer> c = new EnumMap<>(FlowCategory.class);
        for (FlowCategory k : FlowCategory.values()) {
            c.put(k, counts[k.ordinal()]);
        }
        if (!c.equals(countsView.get())) {
            countsView.set(Collections.unmodifiableMap(c));
        }
    }

    private void autoOpen() {
        if (!autoOpenArmed) {
            return;
        }
        if (!shownCorrelationId.get().isEmpty()) {
            autoOpenArmed = false;
            return;
        }
        for (FlowRow row : rows) {
            if (row.category() == FlowCategory.DEAD_LETTERED) {
                autoOpenArmed = false;
                opener.accept(row.correlationId());
                return;
            }
        }
    }

    /**
     * Opens the first dead-lettered flow's timeline as soon as one is listed, unless a timeline is
     * shown by then (the demo calls this so a red verdict appears without any click).
     */
    public void openFirstDeadLetterWhenSeen() {
        autoOpenArmed = true;
        autoOpen();
    }

    /** True while {@link #openFirstDeadLetterWhenSeen()} waits for a dead-lettered flow. */
    public boolean autoOpenArmed() {
        return autoOpenArmed;
    }

    /** Opens this flow's timeline (a click or Enter on its row). */
    public void open(FlowRow row) {
        if (row != null) {
            opener.accept(row.correlationId());
        }
    }

    /** Forgets every flow (another capture was opened). */
    public void clear() {
        tracked.clear();
        java.util.Arrays.fill(counts, 0);
        publish();
    }

    /** The listed flows, most severe first, at most {@value #LIST_LIMIT} (read-only). */
    public ObservableList<FlowRow> rows() {
        return rowsView;
    }

    /** The number of analyzed flows in each category (every category is a key), hidden ones included. */
    public ReadOnlyObjectProperty<Map<FlowCategory, Integer>> countsProperty() {
        return countsView.getReadOnlyProperty();
    }

    /** True to list plain healthy flows too ("show healthy flows too"). */
    public BooleanProperty showHealthyProperty() {
        return showHealthy;
    }

    /** The correlation ID whose timeline is shown, or "" (the view selects its row). */
    public ReadOnlyStringProperty shownCorrelationIdProperty() {
        return shownCorrelationId;
    }

    /** The number of flows remembered (bounded by {@value #TRACKED_LIMIT}). */
    public int trackedCount() {
        return tracked.size();
    }

    private static Map<FlowCategory, Integer> zeroCounts() {
        Map<FlowCategory, Integer> c = new EnumMap<>(FlowCategory.class);
        for (FlowCategory k : FlowCategory.values()) {
            c.put(k, 0);
        }
        return Collections.unmodifiableMap(c);
    }

    /** For tests: the summaries remembered, least recently updated first. */
    List<FlowRow> trackedRows() {
        return new ArrayList<>(tracked.values());
    }
}
