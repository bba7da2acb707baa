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
import io.eventlens.core.layout.TimelineLayout;
import io.eventlens.core.layout.TimelineLayouter;
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
import java.util.Collection;
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
                    return new Loaded(judge.apply(services.analyzer().analyze(cid, found.events())), found);
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

    /** Shows an analyzed timeline (also used when a live re-analysis produced it). */
    public void show(Timeline result, boolean keepSelection) {
        if (!result.correlationId().equals(correlationId.get())) {
            limitNotice.set("");
        }
        long selectedSeq = preferredSeq > 0 ? preferredSeq
                : keepSelection && selected.get() != null ? selected.get().event().seq() : -1;
        preferredSeq = -1;
        timeline.set(result);
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
        selected.set(keep);
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
        int at = selected.get() == null ? -1 : entries.indexOf(selected.get());
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

    /** The selected entry, or {@code null}. */
    public ObjectProperty<TimelineEntry> selectedProperty() {
        return selected;
    }
}
