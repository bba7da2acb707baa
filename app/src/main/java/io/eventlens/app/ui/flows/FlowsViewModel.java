package io.eventlens.app.ui.flows;

import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.flows.FlowCategory;
import io.eventlens.core.flows.FlowSummaries;
import io.eventlens.core.flows.FlowSummary;
import io.eventlens.core.store.CaptureStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * View model of the Flows panel: every flow of the open capture that went wrong, worst first, from
 * the flow summaries stored with the capture (docs/decisions/0009-flow-summaries.md), a page of
 * {@value #PAGE} rows at a time ({@link #showMore()} appends the next), with the number of flows in
 * each category. It never analyzes a flow itself and never reads the store on the FX thread: every
 * query runs through the {@link TaskExecutor}, one at a time, and lands with one list change.
 *
 * <p>A capture opened for reading whose summaries do not reach its last event (an older store, a
 * capture that was killed) gets the rest computed in the background ({@link FlowSummaries#catchUp},
 * with progress and Cancel in the status bar); the list follows it. During a live capture the
 * pipeline keeps the summaries; {@link #pulse} re-reads them at most once per {@value #REFRESH_MS} ms,
 * and no sooner than ten times the last re-read's duration after it.
 *
 * <p>Expected flows (docs/reference/anomalies-and-verdicts.md, "Expected flows"): the stored summaries
 * do not know them, so once the app has learned the capture's model, {@link #showExpected} lists the
 * flows it calls STOPPED or MISSING_STEP among the worst (at most {@value #MAX_EXPECTED} of them): each
 * replaces its summary's row when that ranks lower (a dead-lettered flow stays dead-lettered), and the
 * counts move it from its summary's category.
 */
public final class FlowsViewModel {

    /** Rows read per page. */
    public static final int PAGE = 500;
    /** At most this many rows are re-read by one refresh (the pages shown). */
    static final int MAX_REFRESH_ROWS = 10_000;
    /** A pulse re-reads the list at most this often while a capture or a catch-up changes it. */
    static final long REFRESH_MS = 1_000;
    /** The most flows the expected-flow verdicts list. */
    public static final int MAX_EXPECTED = 10_000;

    private final Consumer<String> opener;
    private final ReadOnlyStringProperty shownCorrelationId;
    private final TaskExecutor executor;
    private final Consumer<Throwable> errors;
    private final int pageSize;
    private final LongSupplier clockMs;

    private final ObservableList<FlowRow> rows = FXCollections.observableArrayList();
    private final ObservableList<FlowRow> rowsView = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyObjectWrapper<Map<FlowCategory, Long>> counts =
            new ReadOnlyObjectWrapper<>(this, "counts", zeroCounts());
    private final BooleanProperty showHealthy = new SimpleBooleanProperty(this, "showHealthy");
    private final ReadOnlyBooleanWrapper moreAvailable = new ReadOnlyBooleanWrapper(this, "moreAvailable");
    private final ReadOnlyBooleanWrapper analyzing = new ReadOnlyBooleanWrapper(this, "analyzing");
    /** What the empty list says: whether nothing is analyzed yet, or every flow analyzed is healthy. */
    private final javafx.beans.binding.StringBinding emptyListText = javafx.beans.binding.Bindings.createStringBinding(
            () -> emptyListText(counts.get(), analyzing.get()), counts, analyzing);

    private CaptureStore store;
    private FlowSummaries summaries;
    /** Bumped by {@link #show} and {@link #clear}: answers for an earlier store are dropped. */
    private long generation;
    /** True while a query runs (its callbacks may run inside {@code submit} with a direct executor). */
    private boolean querying;
    private TaskExecutor.Handle query;
    private boolean queryAgain;
    private TaskExecutor.Handle catchUp;
    private long lastRefreshMs = Long.MIN_VALUE / 2;
    /** How long the last re-read took, in ms (it spaces the next one during a capture). */
    private long lastQueryMs;
    private boolean autoOpenArmed;
    /** Rows the expected flows give, by correlation ID (they replace the summaries' rows). */
    private Map<String, FlowRow> expectedRows = Map.of();
    /** How the expected flows move the counts. */
    private Map<FlowCategory, Long> expectedDelta = Map.of();
    /** The rows and counts last read from the summaries. */
    private Page lastPage;
    /** The verdicts last given to {@link #showExpected}. */
    private List<io.eventlens.core.flowmodel.FlowVerdict> expectedVerdicts;
    /** Verdicts given before the summaries were read. */
    private List<io.eventlens.core.flowmodel.FlowVerdict> pendingExpected;

    /**
     * A flows view model.
     *
     * @param opener             opens a correlation ID's timeline (the same path as the search field)
     * @param shownCorrelationId the correlation ID whose timeline is shown, or "" when none is
     * @param executor           runs the store queries and the catch-up
     * @param errors             receives failures (naming the file)
     */
    public FlowsViewModel(Consumer<String> opener, ReadOnlyStringProperty shownCorrelationId, TaskExecutor executor,
                          Consumer<Throwable> errors) {
        this(opener, shownCorrelationId, executor, errors, PAGE, System::currentTimeMillis);
    }

    FlowsViewModel(Consumer<String> opener, ReadOnlyStringProperty shownCorrelationId, TaskExecutor executor,
                   Consumer<Throwable> errors, int pageSize, LongSupplier clockMs) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.shownCorrelationId = Objects.requireNonNull(shownCorrelationId, "shownCorrelationId");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        if (pageSize < 1 || pageSize > MAX_REFRESH_ROWS) {
            throw new IllegalArgumentException("pageSize: must be 1 to " + MAX_REFRESH_ROWS + ", was " + pageSize);
        }
        this.pageSize = pageSize;
        showHealthy.addListener((obs, was, now) -> {
            rows.clear();
            refresh();
        });
    }

    /**
     * Lists the flows of {@code opened} (another capture was opened or created): reads its summaries
     * in the background and, when it was opened for reading and they stop short of its last event,
     * computes the rest in the background.
     */
    public void show(CaptureStore opened) {
        clear();
        store = opened;
        long gen = generation;
        boolean healthyToo = showHealthy.get();
        querying = true;
        query = executor.submit("Reading the flows of " + opened.file().getFileName(),
                ctx -> {
                    FlowSummaries s = FlowSummaries.of(opened);
                    return new Loaded(s, read(s, healthyToo, pageSize), s.eventsBehind());
                },
                loaded -> {
                    if (gen != generation) {
                        return;
                    }
                    querying = false;
                    summaries = loaded.summaries();
                    apply(loaded.page());
                    if (pendingExpected != null) {
                        showExpected(pendingExpected);
                    }
                    if (loaded.behind() > 0 && opened.isReadOnly()) {
                        startCatchUp(loaded.behind());
                    }
                    runQueuedRefresh();
                },
                error -> {
                    if (gen == generation) {
                        querying = false;
                        errors.accept(error);
                    }
                });
    }

    private record Loaded(FlowSummaries summaries, Page page, long behind) {
    }

    /** One read: the first rows and the counts. */
    private record Page(List<FlowRow> rows, Map<FlowCategory, Long> counts, boolean more) {
    }

    private static Page read(FlowSummaries s, boolean healthyToo, int limit) {
        List<FlowSummary> found = s.worstFirst(null, healthyToo, limit);
        return new Page(found.stream().map(FlowRow::of).toList(), s.counts(), found.size() == limit);
    }

    private void startCatchUp(long behind) {
        FlowSummaries s = summaries;
        long gen = generation;
        analyzing.set(true);
        catchUp = executor.submit(String.format(Locale.ROOT, "Analyzing the flows of %,d events", behind),
                ctx -> {
                    ctx.message("Summarizing every flow of " + store.file().getFileName()
                            + " (the capture has no flow summaries for these events)");
                    return s.catchUp(ctx::progress, ctx::isCancelled);
                },
                done -> {
                    if (gen == generation) {
                        analyzing.set(false);
                        refresh();
                        if (expectedVerdicts != null) {
                            showExpected(expectedVerdicts);   // their summaries are known now
                        }
                    }
                },
                error -> {
                    if (gen == generation) {
                        analyzing.set(false);
                        errors.accept(error);
                    }
                },
                () -> {
                    if (gen == generation) {
                        analyzing.set(false);
                        refresh();
                    }
                });
    }

    /**
     * One UI pulse: re-reads the listed rows and the counts when the flows may have changed (a
     * capture stored events, or the catch-up runs), at most once per {@value #REFRESH_MS} ms and no
     * sooner than ten times the last re-read's duration after it (at most a tenth of the time).
     *
     * @param captured true when a capture stored events since the last pulse
     */
    public void pulse(boolean captured) {
        if (summaries == null || !(captured || analyzing.get())) {
            return;
        }
        // at most once a second, and never more than a tenth of the time: on a big capture the
        // counts are a GROUP BY over every flow, and a live capture needs the CPU more
        if (clockMs.getAsLong() - lastRefreshMs >= Math.max(REFRESH_MS, 10 * lastQueryMs)) {
            refresh();
        }
    }

    /** Re-reads the listed rows (at least the first page) and the counts in the background. */
    public void refresh() {
        FlowSummaries s = summaries;
        if (s == null) {
            return;
        }
        if (querying) {
            queryAgain = true;
            return;
        }
        lastRefreshMs = clockMs.getAsLong();
        long started = lastRefreshMs;
        int limit = Math.min(MAX_REFRESH_ROWS, Math.max(pageSize, rows.size()));
        long gen = generation;
        boolean healthyToo = showHealthy.get();
        querying = true;
        query = executor.submit("Reading flows", ctx -> read(s, healthyToo, limit),
                page -> {
                    if (gen != generation) {
                        return;
                    }
                    querying = false;
                    lastQueryMs = clockMs.getAsLong() - started;
                    apply(page);
                    runQueuedRefresh();
                },
                error -> {
                    if (gen == generation) {
                        querying = false;
                        errors.accept(error);
                    }
                });
    }

    private void runQueuedRefresh() {
        if (queryAgain) {
            queryAgain = false;
            refresh();
        }
    }

    /** Appends the next page of flows ("Show more"); ignored when there is none or a read is running. */
    public void showMore() {
        FlowSummaries s = summaries;
        if (s == null || querying || !moreAvailable.get() || rows.isEmpty()) {
            return;
        }
        FlowSummary after = rows.get(rows.size() - 1).cursor();
        boolean healthyToo = showHealthy.get();
        long gen = generation;
        querying = true;
        query = executor.submit("Reading more flows", ctx -> s.worstFirst(after, healthyToo, pageSize),
                more -> {
                    if (gen != generation) {
                        return;
                    }
                    querying = false;
                    rows.addAll(more.stream().map(FlowRow::of).toList());
                    moreAvailable.set(more.size() == pageSize);
                    runQueuedRefresh();
                },
                error -> {
                    if (gen == generation) {
                        querying = false;
                        errors.accept(error);
                    }
                });
    }

    private void apply(Page page) {
        lastPage = page;
        List<FlowRow> merged = merged(page.rows());
        if (!merged.equals(rows)) {
            rows.setAll(merged);
        }
        moreAvailable.set(page.more());
        Map<FlowCategory, Long> c = new EnumMap<>(FlowCategory.class);
        c.putAll(page.counts());
        expectedDelta.forEach((k, d) -> c.merge(k, d, (a, b) -> Math.max(0, a + b)));
        Map<FlowCategory, Long> adjusted = Collections.unmodifiableMap(c);
        if (!adjusted.equals(counts.get())) {
            counts.set(adjusted);
        }
        autoOpen();
    }

    /**
     * Shows only the flows with these correlation IDs (the flows of the events the one filter box
     * keeps, docs/decisions/0022-cel-filters.md); {@code null} shows every flow again.
     */
    public void restrictTo(java.util.Set<String> correlationIds) {
        restriction = correlationIds == null ? null : java.util.Set.copyOf(correlationIds);
        if (lastPage != null) {
            apply(lastPage);
        }
    }

    private java.util.Set<String> restriction;

    /** The summaries' rows with the expected flows' rows in their place, worst first; only the filter's flows. */
    private List<FlowRow> merged(List<FlowRow> page) {
        if (restriction != null) {
            return mergedAll(page).stream().filter(r -> restriction.contains(r.correlationId())).toList();
        }
        return mergedAll(page);
    }

    private List<FlowRow> mergedAll(List<FlowRow> page) {
        if (expectedRows.isEmpty()) {
            return page;
        }
        List<FlowRow> out = new java.util.ArrayList<>(page.size() + expectedRows.size());
        for (FlowRow r : page) {
            if (!expectedRows.containsKey(r.correlationId())) {
                out.add(r);
            }
        }
        out.addAll(expectedRows.values());
        out.sort(FlowRow.MOST_SEVERE_FIRST);
        return out;
    }

    /**
     * Lists the flows the learned (or declared) expected flows call STOPPED or MISSING_STEP among the
     * worst: looks up each flow's summary in the background (at most {@value #MAX_EXPECTED} flows)
     * and, where the expected verdict ranks higher, shows it instead. An empty list removes them.
     *
     * @param verdicts the model's flow verdicts ({@link io.eventlens.core.flowmodel.FlowModel#verdicts()})
     */
    public void showExpected(List<io.eventlens.core.flowmodel.FlowVerdict> verdicts) {
        FlowSummaries s = summaries;
        long gen = generation;
        expectedVerdicts = verdicts;
        List<io.eventlens.core.flowmodel.FlowVerdict> wanted = verdicts.stream()
                .filter(v -> v.kind() == VerdictKind.STOPPED || v.kind() == VerdictKind.MISSING_STEP)
                .limit(MAX_EXPECTED).toList();
        if (s == null) {
            pendingExpected = verdicts;   // listed once the summaries are read
            return;
        }
        pendingExpected = null;
        if (wanted.isEmpty()) {
            expectedRows = Map.of();
            expectedDelta = Map.of();
            if (lastPage != null) {
                apply(lastPage);
            }
            return;
        }
        executor.submit("Listing stopped flows", ctx -> {
            Map<String, FlowRow> found = new java.util.LinkedHashMap<>();
            Map<FlowCategory, Long> delta = new EnumMap<>(FlowCategory.class);
            for (io.eventlens.core.flowmodel.FlowVerdict v : wanted) {
                if (ctx.isCancelled()) {
                    break;
                }
                FlowCategory now = v.kind() == VerdictKind.STOPPED ? FlowCategory.STOPPED : FlowCategory.MISSING_STEP;
                FlowSummary summary = s.summary(v.correlationId());
                FlowCategory was = summary == null ? null : summary.category();
                if (was != null && was.compareTo(now) <= 0) {
                    continue;   // dead-lettered stays dead-lettered
                }
                found.put(v.correlationId(), new FlowRow(v.correlationId(), now, v.message(),
                        summary == null ? v.steps() : summary.eventCount(),
                        summary == null ? Instant.ofEpochMilli(v.lastObservedMs()) : summary.lastObserved()));
                delta.merge(now, 1L, Long::sum);
                if (was != null) {
                    delta.merge(was, -1L, Long::sum);
                }
            }
            return new Expected(found, delta);
        }, result -> {
            if (gen != generation) {
                return;
            }
            expectedRows = result.rows();
            expectedDelta = result.delta();
            if (lastPage != null) {
                apply(lastPage);
            }
        }, error -> {
            if (gen == generation) {
                errors.accept(error);
            }
        });
    }

    private record Expected(Map<String, FlowRow> rows, Map<FlowCategory, Long> delta) {
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

    /** Forgets every flow and stops a catch-up (another capture is opened). */
    public void clear() {
        generation++;
        if (catchUp != null) {
            catchUp.cancel();
            catchUp = null;
        }
        if (query != null) {
            query.cancel();
            query = null;
        }
        querying = false;
        queryAgain = false;
        store = null;
        summaries = null;
        expectedRows = Map.of();
        expectedDelta = Map.of();
        lastPage = null;
        pendingExpected = null;
        expectedVerdicts = null;
        analyzing.set(false);
        moreAvailable.set(false);
        rows.clear();
        counts.set(zeroCounts());
    }

    /** Stops a running catch-up (the window closes). */
    public void dispose() {
        if (catchUp != null) {
            catchUp.cancel();
        }
    }

    /** The listed flows, worst first: the pages read so far (read-only). */
    public ObservableList<FlowRow> rows() {
        return rowsView;
    }

    /** The number of flows in each category (every category is a key), the ones not listed included. */
    public ReadOnlyObjectProperty<Map<FlowCategory, Long>> countsProperty() {
        return counts.getReadOnlyProperty();
    }

    /** True when {@link #showMore()} has another page to read. */
    public ReadOnlyBooleanProperty moreAvailableProperty() {
        return moreAvailable.getReadOnlyProperty();
    }

    /** True while the flows of events past the stored summaries are being computed. */
    public ReadOnlyBooleanProperty analyzingProperty() {
        return analyzing.getReadOnlyProperty();
    }

    /**
     * What the list says while it lists no flow: "No findings yet ..." while nothing is analyzed or
     * flows are still being analyzed; once flows were analyzed and none has a finding, how many were
     * (so that an empty list of a finished capture reads as a result, not as work still to come).
     */
    public javafx.beans.value.ObservableStringValue emptyListTextProperty() {
        return emptyListText;
    }

    static String emptyListText(Map<FlowCategory, Long> byCategory, boolean analyzingFlows) {
        long total = 0;
        for (long n : byCategory.values()) {
            total += n;
        }
        if (total == 0 || analyzingFlows) {
            return "No findings yet. Flows with a dead letter, a conflicting duplicate, an out-of-order "
                    + "event or lag are listed here, worst first, as soon as they are analyzed.";
        }
        return total == 1
                ? "No findings in the 1 flow analyzed: it is healthy. Tick \"Show healthy flows too\" to list it."
                : String.format(java.util.Locale.ROOT, "No findings in the %,d flows analyzed: every one is healthy. "
                        + "Tick \"Show healthy flows too\" to list them.", total);
    }

    /** True to list plain healthy flows too ("show healthy flows too"). */
    public BooleanProperty showHealthyProperty() {
        return showHealthy;
    }

    /** The correlation ID whose timeline is shown, or "" (the view selects its row). */
    public ReadOnlyStringProperty shownCorrelationIdProperty() {
        return shownCorrelationId;
    }

    private static Map<FlowCategory, Long> zeroCounts() {
        Map<FlowCategory, Long> c = new EnumMap<>(FlowCategory.class);
        for (FlowCategory k : FlowCategory.values()) {
            c.put(k, 0L);
        }
        return Collections.unmodifiableMap(c);
    }
}
