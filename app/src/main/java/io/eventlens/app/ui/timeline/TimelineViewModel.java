package io.eventlens.app.ui.timeline;

import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.TimelineJson;
import io.eventlens.core.analysis.TimelineText;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.layout.AnomalySeverity;
import io.eventlens.core.layout.LaneGrouping;
import io.eventlens.core.layout.PreparedTimeline;
import io.eventlens.core.layout.TimeWarp;
import io.eventlens.core.layout.TimelineLayout;
import io.eventlens.core.layout.TimelineLayouter;
import io.eventlens.core.layout.Viewport;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.Lookup;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * View model of the timeline view: loads one correlation ID's events from the store and analyzes them
 * off the FX thread, then exposes the timeline, the verdict (kind and message), the legend's anomaly
 * kinds, the selected entry and the canvas layout (computed by the core {@link TimelineLayouter}).
 * Copy / Export commands give the shown timeline as the CLI's text or JSON ({@link TimelineText},
 * {@link TimelineJson}) or write the JSON to a file in the background.
 *
 * <p>A lookup is bounded ({@link CaptureStore#DEFAULT_LOOKUP_LIMIT} events unless
 * {@link #setLookupLimit} says otherwise): a correlation ID with more events is shown with its first
 * events in store order, and {@link #limitNoticeProperty()} says "Showing the first N of M events".
 *
 * <p>Zoom, pan, lane grouping and expanded idle gaps (docs/reference/timeline-layout.md) are view
 * operations queued on the FX thread; the core {@link TimelineLayouter} lays out the visible window in
 * the background ({@link TaskExecutor}), one layout at a time, the latest operations winning
 * (docs/decisions/0016-timeline-at-scale.md). {@link #windowLayoutProperty()} holds the last layout; the
 * canvas only paints it.
 */
public final class TimelineViewModel {

    private final Supplier<CaptureStore> store;
    private final AppServices services;
    private final TaskExecutor executor;
    private final TimelineLayouter layouter;
    private final Consumer<Map<Long, List<AnomalyKind>>> anomalySink;
    private final Consumer<Throwable> errorSink;
    private final Consumer<String> statusSink;

    private final ReadOnlyStringWrapper correlationId = new ReadOnlyStringWrapper(this, "correlationId", "");
    private final ReadOnlyObjectWrapper<Timeline> timeline = new ReadOnlyObjectWrapper<>(this, "timeline");
    private final ReadOnlyObjectWrapper<VerdictKind> verdictKind = new ReadOnlyObjectWrapper<>(this, "verdictKind");
    private final ReadOnlyStringWrapper verdictText = new ReadOnlyStringWrapper(this, "verdictText",
            "Search a correlation ID (Ctrl+F) or double-click an event to see its timeline.");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyStringWrapper limitNotice = new ReadOnlyStringWrapper(this, "limitNotice", "");
    private volatile int lookupLimit = CaptureStore.DEFAULT_LOOKUP_LIMIT;
    private final ObservableList<TimelineEntry> entries = FXCollections.observableArrayList();
    private final ObservableList<TimelineEntry> entriesView = FXCollections.unmodifiableObservableList(entries);
    private final ObservableList<AnomalyKind> legendKinds = FXCollections.observableArrayList();
    private final ObservableList<AnomalyKind> legendKindsView = FXCollections.unmodifiableObservableList(legendKinds);
    private final ObjectProperty<TimelineEntry> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<Path> exportDir = new SimpleObjectProperty<>(this, "exportDir");
    private final BooleanBinding canExport = Bindings.isNotNull(timeline);
    private TaskExecutor.Handle pending;

    // the zoomable window (FX thread only); see the class comment
    private final ReadOnlyObjectWrapper<TimelineLayout> windowLayout =
            new ReadOnlyObjectWrapper<>(this, "windowLayout", TimelineLayout.empty(0, 0));
    private final ObjectProperty<LaneGrouping> laneGrouping = new SimpleObjectProperty<>(this, "laneGrouping", LaneGrouping.CHANNEL);
    private final ReadOnlyStringWrapper windowText = new ReadOnlyStringWrapper(this, "windowText", "");
    private final List<ViewOp> pendingOps = new ArrayList<>();
    private final Set<Long> expandedGaps = new HashSet<>();
    private final ReadOnlyBooleanWrapper gapsExpanded = new ReadOnlyBooleanWrapper(this, "gapsExpanded");
    private Viewport committed;
    private double committedSpan;
    private double viewWidth = 800;
    private boolean layoutInFlight;
    private boolean layoutDirty;
    private int[] anomalous = new int[0];
    private final Map<TimelineEntry, Integer> indexOf = new IdentityHashMap<>();
    private boolean suppressReveal;
    /** Prepared lanes of the shown timeline, written by the layout work; read on the FX thread. */
    private volatile PreparedTimeline prepared;
    private volatile TimeWarp warp;

    /** One zoom or pan step, applied in the layout work to the window and the flow's warped axis. */
    @FunctionalInterface
    private interface ViewOp {
        Viewport apply(Viewport v, TimeWarp warp, PreparedTimeline p);
    }

    /** What one layout work produced. */
    private record WindowResult(Timeline timeline, TimelineLayout layout, Viewport viewport) {
    }

    /**
     * A timeline view model.
     *
     * @param store       the open store, or {@code null} when none is open
     * @param services    analysis and dead-letter naming
     * @param executor    runs the query and analysis
     * @param anomalySink receives every analyzed event's anomaly kinds by store sequence (the table's markers)
     * @param errorSink   receives failures (shown to the user)
     * @param statusSink  receives short confirmations for the status bar ("Copied timeline of … as text")
     */
    public TimelineViewModel(Supplier<CaptureStore> store, AppServices services, TaskExecutor executor,
                             Consumer<Map<Long, List<AnomalyKind>>> anomalySink, Consumer<Throwable> errorSink,
                             Consumer<String> statusSink) {
        this.store = store;
        this.services = services;
        this.executor = executor;
        this.layouter = new TimelineLayouter(TimelineLayouter.Metrics.defaults(), services.deadLetterChannel());
        this.anomalySink = anomalySink;
        this.errorSink = errorSink;
        this.statusSink = statusSink;
        selected.addListener((obs, was, now) -> {
            if (now != null && !suppressReveal) {
                reveal(now);
            }
        });
        laneGrouping.addListener((obs, was, now) -> scheduleLayout());
    }

    /** Applies the capture's expected flows to each analyzed timeline (identity until a model is learned). */
    private volatile java.util.function.UnaryOperator<Timeline> judge = java.util.function.UnaryOperator.identity();

    /**
     * Sets how each analyzed timeline is judged against the capture's expected flows
     * ({@code io.eventlens.core.flowmodel.FlowJudge#apply}); runs off the FX thread. The shown
     * timeline is loaded again so it is judged too.
     */
    public void setJudge(java.util.function.UnaryOperator<Timeline> newJudge) {
        judge = newJudge == null ? java.util.function.UnaryOperator.identity() : newJudge;
        if (!correlationId.get().isEmpty() && store.get() != null) {
            open(correlationId.get(), selected.get() == null ? -1 : selected.get().event().seq());
        }
    }

    /** The judge in force (identity when no expected flows are known). */
    public java.util.function.UnaryOperator<Timeline> judge() {
        return judge;
    }

    /** The event to select when the timeline being loaded is shown, or -1. */
    private long preferredSeq = -1;

    /**
     * Loads and analyzes the timeline of {@code id} in the background; a load still running is cancelled.
     * The previous selection is kept when the same correlation ID is reloaded.
     */
    public void open(String id) {
        open(id, -1);
    }

    /**
     * Loads the timeline of {@code id} like {@link #open(String)} and selects the event with store
     * sequence {@code seq} once it is shown (an event picked in the Dead letters view); the usual
     * selection when the timeline has no such event.
     */
    public void open(String id, long seq) {
        preferredSeq = seq;
        String cid = Objects.requireNonNull(id, "id").trim();
        if (cid.isEmpty()) {
            return;
        }
        CaptureStore s = store.get();
        if (s == null) {
            errorSink.accept(new IllegalStateException("No capture is open: open a capture file (Ctrl+O), "
                    + "connect to Kafka or start the demo first."));
            return;
        }
        if (pending != null) {
            pending.cancel();
        }
        boolean sameId = cid.equals(correlationId.get());
        correlationId.set(cid);
        loading.set(true);
        int limit = lookupLimit;
        pending = executor.submit("Loading timeline of " + cid,
                ctx -> {
                    ctx.message("Querying " + s.file().getFileName() + " for correlation ID " + cid);
                    Lookup found = s.findByCorrelationId(cid, limit);
                    Timeline judged = judge.apply(services.analyzer().analyze(cid, found.events()));
                    // who consumed each event (docs/decisions/0021-consumer-groups.md)
                    judged = new io.eventlens.core.consumers.ConsumptionIndex(s.consumerProgress()).judge(judged);
                    return new Loaded(judged, found);
                },
                result -> {
                    loading.set(false);
                    show(result.timeline(), sameId);
                    limitNotice.set(noticeOf(result.lookup()));
                },
                error -> {
                    loading.set(false);
                    errorSink.accept(error);
                });
    }

    /** A loaded timeline and the lookup it was analysed from. */
    private record Loaded(Timeline timeline, Lookup lookup) {
    }

    /** "Showing the first N of M events" for a truncated lookup, else empty. */
    static String noticeOf(Lookup lookup) {
        return lookup.truncated() ? String.format(Locale.ROOT, "Showing the first %,d of %,d events",
                lookup.events().size(), lookup.totalCount()) : "";
    }

    /**
     * The most events a timeline loads (default {@link CaptureStore#DEFAULT_LOOKUP_LIMIT}); a
     * correlation ID with more shows its first ones and {@link #limitNoticeProperty()} says so.
     *
     * @throws IllegalArgumentException when {@code limit} is less than 1
     */
    public void setLookupLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be 1 or more, was " + limit);
        }
        lookupLimit = limit;
    }

    /**
     * "Showing the first 100,000 of 2,345,678 events" when the shown timeline holds only the first
     * events of its correlation ID (the lookup's limit); empty otherwise. Shown in the header.
     */
    public ReadOnlyStringProperty limitNoticeProperty() {
        return limitNotice.getReadOnlyProperty();
    }

    /** Reloads the shown timeline when one of these correlation IDs got new events (live capture). */
    public void reloadIfShowing(Collection<String> touched) {
        if (!correlationId.get().isEmpty() && touched.contains(correlationId.get()) && !loading.get()) {
            open(correlationId.get());
        }
    }

    /**
     * Shows only the entries whose event {@code newFilter} keeps (the one filter box,
     * docs/decisions/0022-cel-filters.md); the verdict stays the whole flow's. Re-shows the timeline
     * shown, if any.
     */
    public void setFilter(io.eventlens.core.filter.EventFilter newFilter) {
        filter = newFilter == null ? io.eventlens.core.filter.EventFilter.ALL : newFilter;
        if (unfiltered != null) {
            show(unfiltered, true);
        }
    }

    /** The analysed timeline before the filter, or {@code null}. */
    public Timeline unfilteredTimeline() {
        return unfiltered;
    }

    private io.eventlens.core.filter.EventFilter filter = io.eventlens.core.filter.EventFilter.ALL;
    private Timeline unfiltered;

    /** Shows an analyzed timeline (also used when a live re-analysis produced it), cut to the filter's entries. */
    public void show(Timeline analysed, boolean keepSelection) {
        unfiltered = analysed;
        Timeline result = io.eventlens.core.filter.TimelineFilter.apply(analysed, filter);
        if (!result.correlationId().equals(correlationId.get())) {
            limitNotice.set("");
        }
        boolean picked = preferredSeq > 0; // an event picked elsewhere (Dead letters view): the window goes to it
        long selectedSeq = preferredSeq > 0 ? preferredSeq
                : keepSelection && selected.get() != null ? selected.get().event().seq() : -1;
        preferredSeq = -1;
        boolean sameTimeline = timeline.get() != null && timeline.get().correlationId().equals(result.correlationId());
        if (!sameTimeline) {
            committed = null;
            pendingOps.clear();
            expandedGaps.clear();
            gapsExpanded.set(false);
        }
        timeline.set(result);
        indexOf.clear();
        List<Integer> anomalousList = new ArrayList<>();
        for (int i = 0; i < result.entries().size(); i++) {
            indexOf.put(result.entries().get(i), i);
            if (!result.entries().get(i).anomalies().isEmpty()) {
                anomalousList.add(i);
            }
        }
        anomalous = anomalousList.stream().mapToInt(Integer::intValue).toArray();
        scheduleLayout();
        correlationId.set(result.correlationId());
        verdictKind.set(result.verdict().kind());
        verdictText.set(result.verdict().message());
        entries.setAll(result.entries());
        List<AnomalyKind> kinds = TimelineLayouter.kindsIn(result);
        legendKinds.setAll(kinds);
        Map<Long, List<AnomalyKind>> bySeq = new LinkedHashMap<>();
        for (TimelineEntry entry : result.entries()) {
            bySeq.put(entry.event().seq(), AnomalySeverity.kindsOf(entry.anomalies()));
        }
        anomalySink.accept(bySeq);
        TimelineEntry keep = null;
        for (TimelineEntry entry : result.entries()) {
            if (entry.event().seq() == selectedSeq) {
                keep = entry;
            }
        }
        if (keep == null && !result.entries().isEmpty()) {
            keep = firstMostSevere(result);
        }
        suppressReveal = !picked; // a new timeline opens fitted; a live reload keeps the window as it is
        try {
            selected.set(keep);
        } finally {
            suppressReveal = false;
        }
    }

    private static TimelineEntry firstMostSevere(Timeline result) {
        TimelineEntry best = null;
        int bestRank = Integer.MAX_VALUE;
        for (TimelineEntry entry : result.entries()) {
            for (AnomalyKind k : AnomalySeverity.kindsOf(entry.anomalies())) {
                int rank = AnomalySeverity.ORDER.indexOf(k);
                if (rank < bestRank) {
                    bestRank = rank;
                    best = entry;
                }
            }
        }
        return best != null ? best : result.entries().get(0);
    }

    /** Forgets the shown timeline (another store was opened). */
    public void clear() {
        if (pending != null) {
            pending.cancel();
        }
        loading.set(false);
        timeline.set(null);
        limitNotice.set("");
        correlationId.set("");
        verdictKind.set(null);
        verdictText.set("Search a correlation ID (Ctrl+F) or double-click an event to see its timeline.");
        entries.clear();
        legendKinds.clear();
        selected.set(null);
        committed = null;
        pendingOps.clear();
        expandedGaps.clear();
        gapsExpanded.set(false);
        anomalous = new int[0];
        indexOf.clear();
        windowLayout.set(TimelineLayout.empty(viewWidth, 0));
        windowText.set("");
    }

    /**
     * The shown timeline as text, the same as {@code eventlens timeline --format text} ({@link TimelineText}),
     * for the clipboard; confirms in the status bar.
     *
     * @throws IllegalStateException when no timeline is shown ({@link #canExportProperty()} is false)
     */
    public String copyText() {
        String text = TimelineText.render(shown());
        statusSink.accept("Copied timeline of " + correlationId.get() + " as text.");
        return text;
    }

    /**
     * The shown timeline as JSON, the same as {@code eventlens timeline --format json} ({@link TimelineJson}),
     * for the clipboard; confirms in the status bar.
     *
     * @throws IllegalStateException when no timeline is shown ({@link #canExportProperty()} is false)
     */
    public String copyJson() {
        String json = TimelineJson.write(shown());
        statusSink.accept("Copied timeline of " + correlationId.get() + " as JSON.");
        return json;
    }

    /**
     * Writes the shown timeline's JSON (as the CLI prints it, ending with a newline) to {@code file} in
     * the background, replacing it; on success remembers its folder ({@link #exportDirProperty()}) and
     * confirms in the status bar, on failure reports an error naming the file.
     *
     * @throws IllegalStateException when no timeline is shown ({@link #canExportProperty()} is false)
     */
    public void exportJson(Path file) {
        Timeline t = shown();
        Path target = Objects.requireNonNull(file, "file").toAbsolutePath();
        executor.submit("Exporting timeline to " + target.getFileName(),
                ctx -> {
                    ctx.message("Writing timeline of " + t.correlationId() + " to " + target);
                    try {
                        Files.writeString(target, TimelineJson.write(t) + "\n");
                    } catch (IOException e) {
                        throw new IOException(target + ": cannot write the timeline: " + describe(e), e);
                    }
                    return target;
                },
                written -> {
                    if (written.getParent() != null) {
                        exportDir.set(written.getParent());
                    }
                    statusSink.accept("Exported timeline of " + t.correlationId() + " to " + written + ".");
                },
                errorSink);
    }

    private static String describe(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> "the folder does not exist";
            case java.nio.file.AccessDeniedException x -> "access denied";
            case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    /**
     * The suggested export file name, {@code timeline-<correlation ID>.json}, with characters that are
     * not safe in file names replaced by {@code _}.
     *
     * @throws IllegalStateException when no timeline is shown
     */
    public String exportFileName() {
        return "timeline-" + shown().correlationId().replaceAll("[^A-Za-z0-9._-]", "_") + ".json";
    }

    private Timeline shown() {
        Timeline t = timeline.get();
        if (t == null) {
            throw new IllegalStateException("No timeline is shown: search a correlation ID (Ctrl+F) or "
                    + "double-click an event first.");
        }
        return t;
    }

    /** The canvas layout of the shown timeline for a drawing {@code width} px wide. */
    public TimelineLayout layout(double width) {
        Timeline t = timeline.get();
        return t == null ? TimelineLayout.empty(width, 0) : layouter.layout(t, width);
    }

    /** Selects the entry with this store sequence (a click on its marker); unknown sequences are ignored. */
    public void selectSeq(long seq) {
        for (TimelineEntry entry : entries) {
            if (entry.event().seq() == seq) {
                selected.set(entry);
                return;
            }
        }
    }

    /**
     * Moves the selection {@code delta} events along the timeline in observed order (arrow keys);
     * selects the first event when nothing is selected; stays at the ends.
     */
    public void selectRelative(int delta) {
        if (entries.isEmpty()) {
            return;
        }
        int at = indexOfSelected();
        int next = at < 0 ? 0 : Math.max(0, Math.min(entries.size() - 1, at + delta));
        selected.set(entries.get(next));
    }

    /** The entry of the shown timeline with this store sequence, or {@code null}. */
    public TimelineEntry entryOf(long seq) {
        for (TimelineEntry entry : entries) {
            if (entry.event().seq() == seq) {
                return entry;
            }
        }
        return null;
    }

    /** The correlation ID shown, or "". */
    public ReadOnlyStringProperty correlationIdProperty() {
        return correlationId.getReadOnlyProperty();
    }

    /** The analyzed timeline, or {@code null}. */
    public ReadOnlyObjectProperty<Timeline> timelineProperty() {
        return timeline.getReadOnlyProperty();
    }

    /** The verdict kind, or {@code null} before a timeline is shown. */
    public ReadOnlyObjectProperty<VerdictKind> verdictKindProperty() {
        return verdictKind.getReadOnlyProperty();
    }

    /** The verdict message (or a hint before a timeline is shown). */
    public ReadOnlyStringProperty verdictTextProperty() {
        return verdictText.getReadOnlyProperty();
    }

    /** True while a timeline loads. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The timeline's entries in observed order (read-only for views). */
    public ObservableList<TimelineEntry> entries() {
        return entriesView;
    }

    /** The anomaly kinds present in the shown timeline, most severe first (the legend). */
    public ObservableList<AnomalyKind> legendKinds() {
        return legendKindsView;
    }

    /** True while a timeline is shown: Copy / Export is enabled. */
    public BooleanBinding canExportProperty() {
        return canExport;
    }

    /** The folder the last export went to, or {@code null} (the export dialog starts there; remembered). */
    public ObjectProperty<Path> exportDirProperty() {
        return exportDir;
    }

    // ---- zoom, pan, gaps, lanes (docs/reference/timeline-layout.md) ----

    /** The last laid-out window of the shown timeline (empty before the first layout); the canvas paints it. */
    public ReadOnlyObjectProperty<TimelineLayout> windowLayoutProperty() {
        return windowLayout.getReadOnlyProperty();
    }

    /** How events are split into lanes (default: by channel); a change lays the timeline out again. */
    public ObjectProperty<LaneGrouping> laneGroupingProperty() {
        return laneGrouping;
    }

    /** What the window shows, e.g. {@code "1.2 s of 3.4 min shown · 2 idle gaps collapsed"}; empty without a timeline. */
    public ReadOnlyStringProperty windowTextProperty() {
        return windowText.getReadOnlyProperty();
    }

    /** Sets the drawing's width in px (the canvas's width) and lays out again when it changed. */
    public void setViewWidth(double width) {
        if (width > 0 && Math.abs(width - viewWidth) >= 0.5) {
            viewWidth = width;
            scheduleLayout();
        }
    }

    /**
     * Zooms in ({@code factor} &gt; 1) or out (&lt; 1) keeping the time at {@code anchor} of the plot
     * width (0 = left edge, 1 = right edge) in place (Ctrl+wheel at the pointer, +/− at the centre).
     */
    public void zoom(double factor, double anchor) {
        if (factor > 0 && Double.isFinite(factor)) {
            queue((v, w, p) -> v.zoom(factor, anchor, w.virtualSpan()));
        }
    }

    /** Shows the whole flow ("fit"). */
    public void fit() {
        queue((v, w, p) -> Viewport.fit(w.virtualSpan()));
    }

    /** Moves the window by {@code fraction} of its width (drag, arrow keys); negative towards the start. */
    public void pan(double fraction) {
        if (Double.isFinite(fraction)) {
            queue((v, w, p) -> v.pan(fraction, w.virtualSpan()));
        }
    }

    /** Centres the window on the point at {@code fraction} (0..1) of the whole flow (a click on the overview). */
    public void centerOnFraction(double fraction) {
        queue((v, w, p) -> v.centerOn(Math.max(0, Math.min(1, fraction)) * w.virtualSpan(), w.virtualSpan()));
    }

    /** Zooms to the stretch {@code from}..{@code to} of the warped axis with a little room each side (a badge's click). */
    public void zoomTo(double from, double to) {
        queue((v, w, p) -> Viewport.around(from, to, 0.15, w.virtualSpan()));
    }

    /**
     * Expands the collapsed idle gap that starts at observed time {@code startMs} (a click on its break)
     * and shows it with the events either side.
     */
    public void expandGap(long startMs) {
        expandedGaps.add(startMs);
        gapsExpanded.set(true);
        queue((v, w, p) -> w.gaps().stream().filter(g -> g.startMs() == startMs).findFirst()
                .map(g -> Viewport.around(g.virtualStart(), g.virtualEnd(), 0.1, w.virtualSpan())).orElse(v));
    }

    /** True while the user has expanded at least one idle gap (the "Collapse gaps" button shows). */
    public ReadOnlyBooleanProperty gapsExpandedProperty() {
        return gapsExpanded.getReadOnlyProperty();
    }

    /** Collapses every expanded idle gap again. */
    public void collapseGaps() {
        expandedGaps.clear();
        gapsExpanded.set(false);
        queue((v, w, p) -> v.clampTo(w.virtualSpan()));
    }

    /**
     * Selects the next ({@code forward}) or previous anomalous event in observed order (N / P); the
     * details pane follows the selection and the window scrolls to it. Does nothing at the last (first) one.
     *
     * @return true when the selection moved
     */
    public boolean selectAnomaly(boolean forward) {
        int from = indexOfSelected();
        int next = PreparedTimeline.nextIn(anomalous, from, forward);
        if (next < 0) {
            statusSink.accept(forward ? "No anomaly after this event." : "No anomaly before this event.");
            return false;
        }
        selected.set(entries.get(next));
        return true;
    }

    private int indexOfSelected() {
        TimelineEntry s = selected.get();
        Integer i = s == null ? null : indexOf.get(s);
        return i == null ? (s == null ? -1 : entries.indexOf(s)) : i;
    }

    /**
     * Scrolls the window to an entry when it is outside (or at the very edge), then zooms in around it,
     * twice as close at a time, until it has a marker of its own rather than a place in a count badge.
     */
    private void reveal(TimelineEntry entry) {
        if (!indexOf.containsKey(entry)) {
            return;
        }
        long seq = entry.event().seq();
        long t = entry.event().observedAt().toEpochMilli();
        double width = viewWidth;
        queue((v, w, p) -> {
            double total = w.virtualSpan();
            double at = w.toVirtual(t);
            Viewport out = v;
            if (at < out.start() + out.span() * 0.05 || at > out.end() - out.span() * 0.05) {
                out = out.centerOn(at, total);
            }
            for (int k = 0; k < 24 && out.span() > Viewport.MIN_SPAN_MS; k++) {
                if (layouter.layout(p, w, width, out.start(), out.end()).markerForSeq(seq) != null) {
                    break;
                }
                out = out.zoom(2, (at - out.start()) / out.span(), total);
            }
            return out;
        });
    }

    private void queue(ViewOp op) {
        pendingOps.add(op);
        scheduleLayout();
    }

    /**
     * Lays out the window in the background: one layout work at a time; steps queued meanwhile go into
     * the next one (docs/decisions/0003-desktop-ui-threading-and-paging.md: no layout on the FX thread).
     */
    private void scheduleLayout() {
        Timeline t = timeline.get();
        if (t == null) {
            return;
        }
        if (layoutInFlight) {
            layoutDirty = true;
            return;
        }
        layoutInFlight = true;
        layoutDirty = false;
        List<ViewOp> ops = List.copyOf(pendingOps);
        pendingOps.clear();
        Viewport base = committed;
        double baseSpan = committedSpan;
        LaneGrouping grouping = laneGrouping.get();
        Set<Long> expanded = Set.copyOf(expandedGaps);
        double width = viewWidth;
        executor.submit("Laying out the timeline",
                ctx -> {
                    PreparedTimeline p = prepared;
                    if (p == null || p.timeline() != t || p.grouping() != grouping) {
                        p = layouter.prepare(t, grouping);
                        prepared = p;
                    }
                    TimeWarp w = p.warp(TimeWarp.DEFAULT_FACTOR, expanded);
                    warp = w;
                    // a fitted window stays fitted when the flow grows (live capture)
                    Viewport v = base == null || base.isFit(baseSpan) ? Viewport.fit(w.virtualSpan())
                            : base.clampTo(w.virtualSpan());
                    for (ViewOp op : ops) {
                        v = op.apply(v, w, p);
                    }
                    return new WindowResult(t, layouter.layout(p, w, width, v.start(), v.end()), v);
                },
                result -> {
                    layoutInFlight = false;
                    if (result.timeline() == timeline.get()) {
                        committed = result.viewport();
                        committedSpan = result.layout().virtualSpan();
                        windowLayout.set(result.layout());
                        windowText.set(describeWindow(result.layout(), warp));
                    }
                    if (layoutDirty || !pendingOps.isEmpty()) {
                        scheduleLayout();
                    }
                },
                error -> {
                    layoutInFlight = false;
                    pendingOps.clear();
                    errorSink.accept(error);
                });
    }

    /** {@code "1.2 s of 3.4 min shown"} plus the collapsed gaps, or {@code "whole flow · 3.4 min"}. */
    static String describeWindow(TimelineLayout l, TimeWarp w) {
        if (l.lanes().isEmpty() || w == null) {
            return "";
        }
        long collapsed = w.gaps().stream().filter(TimeWarp.Gap::collapsed).count();
        String gaps = collapsed == 0 ? "" : " · " + collapsed + (collapsed == 1 ? " idle gap" : " idle gaps") + " collapsed";
        long whole = l.endMs() - l.startMs();
        if (l.viewStart() <= 0 && l.viewEnd() >= l.virtualSpan()) {
            return "whole flow · " + TimeWarp.formatDuration(whole) + gaps;
        }
        long shown = w.toReal(l.viewEnd()) - w.toReal(l.viewStart());
        return TimeWarp.formatDuration(Math.max(1, shown)) + " of " + TimeWarp.formatDuration(whole) + " shown" + gaps;
    }

    /** The selected entry, or {@code null}. */
    public ObjectProperty<TimelineEntry> selectedProperty() {
        return selected;
    }
}
