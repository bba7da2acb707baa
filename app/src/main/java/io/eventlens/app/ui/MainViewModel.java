package io.eventlens.app.ui;

import io.eventlens.app.ui.capture.CaptureViewModel;
import io.eventlens.app.ui.cirun.CiRunViewModel;
import io.eventlens.app.ui.task.TaskContext;
import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.artifact.ArtifactSource;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.triage.Triage;
import io.eventlens.core.triage.TriageReport;
import io.eventlens.app.ui.capture.ConnectViewModel;
import io.eventlens.app.ui.deadletters.DeadLettersViewModel;
import io.eventlens.app.ui.details.DetailsViewModel;
import io.eventlens.app.ui.events.EventTableViewModel;
import io.eventlens.app.ui.flows.FlowsViewModel;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.replay.ReplayViewModel;
import io.eventlens.app.ui.services.UserFolders;
import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.app.ui.timeline.TimelineViewModel;
import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.layout.AnomalySeverity;
import io.eventlens.core.replay.ReplaySafety;
import io.eventlens.core.store.CaptureStore;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * View model of the main window: owns the open capture store and the child view models (event table,
 * timeline, details, flows, capture), and the window-level commands: open and save capture files, start the
 * demo, switch the theme. Failures become a {@link UserError} naming the file or endpoint.
 */
public final class MainViewModel {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MainViewModel.class);

    /**
     * A failure to show the user.
     *
     * @param title   what kind of failure ("Capture file error")
     * @param message what happened, naming the file or endpoint
     * @param details the failure's stack trace for a bug report, or "" (the dialog's "Copy details")
     */
    public record UserError(String title, String message, String details) {
        /** A failure without details. */
        public UserError(String title, String message) {
            this(title, message, "");
        }
    }

    /** At most this many correlation IDs are re-analyzed per round (live capture, table pages shown). */
    static final int ANALYSIS_BATCH = 300;

    /**
     * At most this many correlation IDs wait for analysis (each at most once); beyond it the oldest
     * are dropped: their flows are still in the Flows panel (from the summaries), only their table
     * rows stay unmarked until they are shown or touched again.
     */
    static final int PENDING_LIMIT = 10_000;

    /** Correlation IDs analyzed lately, remembered so a table page shown again is not analyzed again. */
    static final int ANALYZED_MEMORY = 20_000;

    private final AppServices services;
    private final TaskExecutor executor;
    private final AppSettings settings;
    private final Path capturesDir;

    private final ReadOnlyObjectWrapper<CaptureStore> store = new ReadOnlyObjectWrapper<>(this, "store");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "EventLens");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "Ready.");
    private final ReadOnlyObjectWrapper<UserError> lastError = new ReadOnlyObjectWrapper<>(this, "lastError");
    private final BooleanProperty darkTheme = new SimpleBooleanProperty(this, "darkTheme");

    private final EventTableViewModel table;
    private final io.eventlens.app.ui.filter.FilterBarViewModel filter;
    private final TimelineViewModel timeline;
    private final DetailsViewModel details;
    private final CaptureViewModel capture;
    private final FlowsViewModel flows;
    private final DeadLettersViewModel deadLetters;
    private final CiRunViewModel ciRun;
    private final io.eventlens.app.ui.contracts.ContractsViewModel contracts;
    private final io.eventlens.app.ui.consumers.ConsumersViewModel consumers;
    private final io.eventlens.app.ui.flowmap.FlowMapViewModel flowMap;
    /** Correlation IDs awaiting analysis, each once, oldest first (bounded by {@link #PENDING_LIMIT}). */
    private final LinkedHashSet<String> pendingAnalysis = new LinkedHashSet<>();
    /** Correlation IDs analyzed lately whose table rows are marked (bounded by {@link #ANALYZED_MEMORY}). */
    private final Map<String, Boolean> analyzed = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ANALYZED_MEMORY;
        }
    };
    private TaskExecutor.Handle analysis;

    /**
     * A main view model.
     *
     * @param services    core services
     * @param executor    the app's task executor
     * @param settings    remembered settings
     * @param capturesDir where new capture files go when none is open (the user's EventLens folder)
     */
    public MainViewModel(AppServices services, TaskExecutor executor, AppSettings settings, Path capturesDir) {
        this.services = Objects.requireNonNull(services, "services");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.capturesDir = Objects.requireNonNull(capturesDir, "capturesDir");
        Consumer<Throwable> errors = this::reportError;
        this.table = new EventTableViewModel(store::get, executor, this::openTimeline, this::showEvent,
                this::pageShown, errors);
        this.timeline = new TimelineViewModel(store::get, services, executor, table::recordAnomalies, errors,
                status::set);
        this.details = new DetailsViewModel(store::get, executor, this::anomaliesOf, errors, this::goToEvent);
        this.capture = new CaptureViewModel(services, executor, this::withCaptureStore, errors, status::set);
        this.flows = new FlowsViewModel(this::openTimeline, timeline.correlationIdProperty(), executor, errors);
        this.deadLetters = new DeadLettersViewModel(this::openTimeline, this::goToEvent, executor, errors);
        this.ciRun = new CiRunViewModel(this::openTimeline);
        this.contracts = new io.eventlens.app.ui.contracts.ContractsViewModel(store::get, executor, errors,
                this::useContracts, this::openTimeline, this::goToEvent);
        this.consumers = new io.eventlens.app.ui.consumers.ConsumersViewModel(store::get, executor, errors, this::openTimeline);
        capture.demoContractsProperty().addListener((obs, was, folder) -> {
            if (folder != null && contracts.contracts() == null) {
                contracts.load(folder);   // the demo's saga comes with its contracts
            }
        });
        details.setKnownConsumption(seq -> {
            TimelineEntry entry = timeline.entryOf(seq);
            Timeline shown = timeline.timelineProperty().get();
            return entry == null || shown == null ? null : shown.consumptionOf(entry);
        });
        details.setKnownContracts(seq -> {
            TimelineEntry entry = timeline.entryOf(seq);
            return entry == null ? null : entry.contract();
        });
        this.filter = new io.eventlens.app.ui.filter.FilterBarViewModel(settings.filterHistory(), e -> {
            settings.addFilter(e);
            settings.flush();
        });
        wireFilter();
        this.flowMap = new io.eventlens.app.ui.flowmap.FlowMapViewModel(executor, errors, this::expectedFlowsLearned,
                status::set);
        flowMap.shownFlowProperty().bind(timeline.timelineProperty());
        capture.demoRunningProperty().addListener((obs, was, running) -> {
            if (running) {
                flows.openFirstDeadLetterWhenSeen();
            }
        });
        timeline.exportDirProperty().set(settings.exportDir());
        timeline.exportDirProperty().addListener((obs, was, folder) -> {
            settings.setExportDir(folder);
            settings.flush();
        });
        darkTheme.set(settings.darkTheme());
        darkTheme.addListener((obs, was, dark) -> {
            settings.setDarkTheme(dark);
            settings.flush();
        });
        timeline.selectedProperty().addListener((obs, old, entry) -> {
            if (entry != null) {
                details.show(entry);
                table.revealSeq(entry.event().seq());
            } else {
                table.revealNone();
            }
        });
    }

    /**
     * The folder for new captures: {@code captures} in the user's data folder
     * ({@code $XDG_DATA_HOME/eventlens}, default {@code ~/.local/share/eventlens}; {@link UserFolders}).
     */
    public static Path defaultCapturesDir() {
        return UserFolders.user().captures();
    }

    /** A new connect-dialog view model, prefilled from the settings. */
    public ConnectViewModel newConnectViewModel() {
        return new ConnectViewModel(services, executor, settings);
    }

    /**
     * A replay dialog's view model for the events of the timeline on show (every observation; the
     * plan sends each message once), or null when no timeline with events is shown
     * (docs/reference/replay.md, "App"). Production patterns: the built-in ones and
     * {@code EVENTLENS_PRODUCTION_PATTERNS} (comma-separated).
     */
    public ReplayViewModel newReplayViewModel() {
        List<io.eventlens.core.model.CapturedEvent> events = timeline.entries().stream()
                .flatMap(e -> e.observations().stream()).toList();
        if (events.isEmpty()) {
            return null;
        }
        String env = System.getenv("EVENTLENS_PRODUCTION_PATTERNS");
        ReplaySafety safety = ReplaySafety.withPatterns(env == null ? List.of() : List.of(env.split(",")));
        ReplayViewModel r = new ReplayViewModel(timeline.correlationIdProperty().get(), events, executor,
                this::withWritableStore, safety);
        String demo = capture.demoBootstrapServers();
        r.endpointProperty().set(demo != null ? demo : settings.bootstrapServers());
        if (demo != null) {
            r.environmentProperty().set("local");   // the embedded demo broker of this app
        }
        return r;
    }

    /**
     * A replay dialog's view model for events chosen in the table (by store sequence), read when the
     * preview is made; null when nothing is open or chosen.
     */
    public ReplayViewModel newReplayViewModel(List<Long> seqs) {
        CaptureStore s = store.get();
        if (s == null || seqs.isEmpty()) {
            return null;
        }
        String env = System.getenv("EVENTLENS_PRODUCTION_PATTERNS");
        ReplaySafety safety = ReplaySafety.withPatterns(env == null ? List.of() : List.of(env.split(",")));
        List<Long> chosen = List.copyOf(seqs);
        ReplayViewModel r = new ReplayViewModel(null, chosen.size(),
                () -> io.eventlens.core.replay.ReplaySelection.ofSeqs(chosen).select(store.get()), executor,
                this::withWritableStore, safety);
        String demo = capture.demoBootstrapServers();
        r.endpointProperty().set(demo != null ? demo : settings.bootstrapServers());
        if (demo != null) {
            r.environmentProperty().set("local");
        }
        return r;
    }

    /**
     * Gives the open store for writing the replay log: as it is when it was opened for writing; a
     * file opened for reading is closed and opened again for writing, after the same file check as
     * every open (docs/decisions/0018-replay.md), and shown again. Gives null when that fails (the
     * file is then opened for reading again).
     */
    private void withWritableStore(Consumer<CaptureStore> then) {
        CaptureStore s = store.get();
        if (s == null) {
            then.accept(null);
            return;
        }
        if (!s.isReadOnly()) {
            then.accept(s);
            return;
        }
        Path file = s.file();
        String shown = timeline.correlationIdProperty().get();
        status.set("Opening " + file.getFileName() + " for writing: the replay is logged in it …");
        executor.submit("Opening " + file.getFileName() + " for writing",
                ctx -> {
                    s.close();
                    return services.storeCreator().open(file);
                },
                opened -> {
                    replaceStore(opened);
                    if (shown != null && !shown.isEmpty()) {
                        openTimeline(shown);
                    }
                    then.accept(opened);
                },
                error -> {
                    reportError(error);
                    then.accept(null);
                    executor.submit("Opening " + file.getFileName(), ctx -> services.storeOpener().open(file),
                            this::replaceStore, this::reportError);
                });
    }

    /** Opens a capture store file in the background; refused while capturing. */
    public void openCapture(Path file) {
        if (capture.capturingProperty().get()) {
            status.set("Stop the capture before opening another capture file.");
            return;
        }
        CaptureStore current = store.get();
        if (current != null && sameFile(current.file(), file)) {
            table.reload();
            status.set(current.file() + " is already open.");
            return;
        }
        status.set("Opening " + file + " …");
        executor.submit("Opening " + file.getFileName(),
                ctx -> services.storeOpener().open(file),
                opened -> {
                    replaceStore(opened);
                    settings.addRecentFile(opened.file());
                    settings.flush();
                    status.set(String.format(java.util.Locale.ROOT, "Opened %s: %,d events.",
                            opened.file(), table.eventCountProperty().get()));
                },
                this::reportError);
    }

    /**
     * Opens a CI run (docs/decisions/0014-artifact-import-and-triage.md): imports the artifacts at
     * {@code source} (a folder, a {@code .zip}, or one file) into a new capture file in the captures
     * folder, in the background with progress and Cancel, triages the failed tests of its JUnit
     * reports, then shows the capture and the *CI run* view. A cancelled import leaves no file behind;
     * damaged records are skipped and counted, and the valid ones around them imported.
     */
    public void openCiRun(Path source) {
        if (capture.capturingProperty().get()) {
            status.set("Stop the capture before opening a CI run.");
            return;
        }
        String name = source.getFileName() == null ? "run" : source.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        Path file = capturesDir.resolve("ci-run-" + name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".mv.db");
        status.set("Importing " + source + " …");
        executor.submit("Importing " + source.getFileName(),
                ctx -> importCiRun(source, file, ctx),
                result -> {
                    if (result == null) {
                        status.set("Import of " + source + " cancelled; nothing was kept.");
                        return;
                    }
                    replaceStore(result.store());
                    ciRun.show(result.report());
                    settings.addRecentFile(result.store().file());
                    settings.flush();
                    status.set(String.format(java.util.Locale.ROOT, "Opened the CI run %s: %,d events, %d failed of %d tests%s.",
                            source, result.report().events(), result.report().failed().size(), result.report().testCount(),
                            result.report().problemCount() > 0 ? ", " + result.report().problemCount() + " damaged records skipped" : ""));
                },
                this::reportError);
    }

    /** A CI run imported into its capture store, and its triage. */
    record CiRunResult(CaptureStore store, TriageReport report) {
    }

    private CiRunResult importCiRun(Path source, Path file, TaskContext ctx) throws IOException {
        if (!Files.exists(source)) {
            throw new IOException(source + ": no such file or folder");
        }
        Files.createDirectories(capturesDir);
        long total = totalBytes(source);
        CaptureStore created = services.storeCreator().open(file);
        try {
            ArtifactSource artifacts = new ArtifactSource(List.of(source));
            CapturePipeline pipeline = new CapturePipeline(artifacts,
                    created, EventExtractor.withDefaults(), CaptureLimits.NONE);
            ctx.onCancel(pipeline::stop);
            pipeline.run(new CaptureListener() {
                @Override
                public void onProgress(CaptureStats stats) {
                    ctx.message(String.format(java.util.Locale.ROOT, "Importing %s: %,d events", artifacts.currentFile(),
                            stats.events()));
                    ctx.progress(Math.min(artifacts.bytesRead(), total), total);
                    if (ctx.isCancelled()) {
                        pipeline.stop();
                    }
                }
            });
            if (ctx.isCancelled()) {
                created.close();
                Files.deleteIfExists(created.file());
                return null;
            }
            ctx.message("Triaging " + artifacts.failedTests().size() + " failed tests");
            ctx.progress(-1, -1);
            Triage triage = new Triage(created, AnalysisSettings.defaults(), Triage.DEFAULT_ID_PATTERN);
            if (created.eventCount() <= io.eventlens.app.ui.flowmap.FlowMapViewModel.AUTO_LEARN_LIMIT) {
                // as `report` does: expected flows learned from the run's own events, so a test whose
                // flow stopped gets STOPPED or MISSING_STEP (docs/decisions/0017-expected-flows.md)
                ctx.message("Learning the run's expected flows");
                triage.withJudge(new io.eventlens.core.flowmodel.FlowJudge(io.eventlens.core.flowmodel.FlowModelLearner
                        .learn(created, io.eventlens.core.flowmodel.FlowModelSettings.defaults(), null, null))::apply);
            }
            TriageReport report = triage
                    .triage(List.of(source.toString()), artifacts.failedTests(), artifacts.testCount(),
                            artifacts.problemCount(), artifacts.problems());
            return new CiRunResult(created, report);
        } catch (IOException | RuntimeException e) {
            created.close();
            throw e;
        }
    }

    /** Bytes to read for progress: the files of a folder, a file's size; -1 (indeterminate) for a zip, read uncompressed. */
    private static long totalBytes(Path source) {
        if (source.getFileName() != null && source.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".zip")) {
            return -1;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(source)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** True when {@code candidate} (the {@code .mv.db} suffix may be left off) names {@code storeFile}. */
    static boolean sameFile(Path storeFile, Path candidate) {
        Path c = candidate.toAbsolutePath().normalize();
        if (!c.getFileName().toString().endsWith(".mv.db")) {
            c = c.resolveSibling(c.getFileName() + ".mv.db");
        }
        return storeFile.toAbsolutePath().normalize().equals(c);
    }

    /** Copies the open store to {@code target} in the background ("Save capture as"). */
    public void saveCaptureAs(Path target) {
        CaptureStore s = store.get();
        if (s == null) {
            status.set("Nothing to save: no capture is open.");
            return;
        }
        status.set("Saving to " + target + " …");
        executor.submit("Saving capture to " + target.getFileName(),
                ctx -> {
                    ctx.message("Copying " + s.file().getFileName() + " to " + target);
                    s.copyTo(target);
                    return target;
                },
                saved -> {
                    settings.addRecentFile(saved);
                    settings.flush();
                    status.set("Saved the capture to " + saved + ".");
                },
                this::reportError);
    }

    /** Opens the timeline of a correlation ID (search Enter, table double-click). */
    public void openTimeline(String correlationId) {
        table.searchTextProperty().set(correlationId);
        timeline.open(correlationId);
    }

    /** Opens the timeline of a correlation ID with the event of store sequence {@code seq} selected (Dead letters view). */
    public void openTimeline(String correlationId, long seq) {
        table.searchTextProperty().set(correlationId);
        timeline.open(correlationId, seq);
    }

    private void showEvent(long seq) {
        details.showSeq(seq);
    }

    /**
     * Goes to one event (the details pane's "Go to the original", a dead letter without a correlation
     * ID): selects it on the shown timeline when it is there, else shows it in the details pane and
     * the table.
     */
    public void goToEvent(long seq) {
        if (timeline.entryOf(seq) != null) {
            timeline.selectSeq(seq);
        } else {
            details.showSeq(seq);
            table.revealSeq(seq);
        }
    }

    private List<Anomaly> anomaliesOf(long seq) {
        TimelineEntry entry = timeline.entryOf(seq);
        return entry == null ? List.of() : entry.anomalies();
    }

    private void replaceStore(CaptureStore opened) {
        CaptureStore old = store.get();
        store.set(opened);
        title.set("EventLens — " + opened.file().getFileName() + (opened.isReadOnly() ? " (read-only)" : ""));
        timeline.clear();
        details.clear();
        pendingAnalysis.clear();
        analyzed.clear();
        flows.show(opened);
        deadLetters.show(opened);
        ciRun.clear();
        contracts.show(opened);
        consumers.show(opened);
        flowMap.show(opened);
        table.reload();
        if (old != null && old != opened) {
            executor.submit("Closing " + old.file().getFileName(), ctx -> {
                old.close();
                return null;
            }, ignored -> { }, this::reportError);
        }
    }

    /**
     * Gives the open store when it was created for capturing; otherwise (nothing open, or a file
     * opened for reading, which EventLens never writes: docs/decisions/0007-untrusted-capture-files.md)
     * creates a new capture file in the captures folder first and shows it instead.
     */
    private void withCaptureStore(Consumer<CaptureStore> then) {
        CaptureStore s = store.get();
        if (s != null && !s.isReadOnly()) {
            then.accept(s);
            return;
        }
        Path file = capturesDir.resolve("capture-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".mv.db");
        if (s != null) {
            status.set(s.file().getFileName() + " was opened for reading: capturing into a new file, " + file + ".");
        }
        executor.submit("Creating " + file.getFileName(),
                ctx -> {
                    try {
                        Files.createDirectories(capturesDir);
                    } catch (IOException e) {
                        throw new IOException(capturesDir + ": cannot create the captures folder: " + e.getMessage(), e);
                    }
                    return services.storeCreator().open(file);
                },
                created -> {
                    replaceStore(created);
                    then.accept(created);
                },
                error -> {
                    reportError(error);
                    then.accept(null);
                });
    }

    /**
     * One UI pulse during a capture (a few times a second): drains the capture's queue, appends new
     * table rows with one change, lets the Flows panel re-read the flow summaries the capture keeps
     * (at most once a second), and re-analyzes the correlation IDs that got events and whose rows
     * were already marked or whose timeline is shown (one background task at a time, at most
     * {@value #ANALYSIS_BATCH} IDs per round) to mark their table rows and refresh the shown
     * timeline; the rows of other IDs are marked when their table page arrives.
     */
    public void pulse() {
        capture.refreshWarnings();
        boolean news = capture.hasNews();
        flows.pulse(news);
        deadLetters.pulse(news);
        contracts.pulse(news);
        consumers.pulse(news);
        if (!news && pendingAnalysis.isEmpty()) {
            return;
        }
        List<String> touched = capture.drain();
        table.refresh();
        String shown = timeline.correlationIdProperty().get();
        for (String id : touched) {
            // a flow whose rows were marked got events: analyze it again; rows not shown yet are
            // marked when their table page arrives (pageShown), so a live capture at full rate
            // does not analyze every flow a second time beside the flow summaries
            if (analyzed.remove(id) != null || id.equals(shown)) {
                queueAnalysis(id);
            }
        }
        analyzePending();
    }

    /** The correlation IDs of a table page that arrived: their flows are analyzed to mark the rows. */
    private void pageShown(java.util.Collection<String> ids) {
        for (String id : ids) {
            if (!analyzed.containsKey(id)) {
                queueAnalysis(id);
            }
        }
        analyzePending();
    }

    /** Queues one correlation ID for analysis, once; the oldest waiting one is dropped beyond {@value #PENDING_LIMIT}. */
    private void queueAnalysis(String id) {
        if (pendingAnalysis.add(id) && pendingAnalysis.size() > PENDING_LIMIT) {
            java.util.Iterator<String> oldest = pendingAnalysis.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The number of correlation IDs waiting for analysis (bounded by {@value #PENDING_LIMIT}). */
    int pendingAnalysisCount() {
        return pendingAnalysis.size();
    }

    private void analyzePending() {
        CaptureStore s = store.get();
        if (s == null || pendingAnalysis.isEmpty() || (analysis != null && analysis.isRunning())) {
            return;
        }
        List<String> ids = new ArrayList<>(Math.min(ANALYSIS_BATCH, pendingAnalysis.size()));
        for (java.util.Iterator<String> it = pendingAnalysis.iterator(); it.hasNext() && ids.size() < ANALYSIS_BATCH; ) {
            ids.add(it.next());
            it.remove();
        }
        java.util.function.UnaryOperator<Timeline> judge = timeline.judge();
        analysis = executor.submit(ids.size() == 1 ? "Analyzing 1 correlation ID" : "Analyzing " + ids.size() + " correlation IDs",
                ctx -> {
                    Map<Long, List<AnomalyKind>> bySeq = new LinkedHashMap<>();
                    Map<String, Timeline> timelines = new LinkedHashMap<>();
                    // who consumed each event (docs/decisions/0021-consumer-groups.md), as TimelineViewModel.open judges
                    io.eventlens.core.consumers.ConsumptionIndex consumption = null;   // read once, after the first cancel check
                    for (String id : ids) {
                        if (ctx.isCancelled()) {
                            break;
                        }
                        if (consumption == null) {
                            consumption = new io.eventlens.core.consumers.ConsumptionIndex(s.consumerProgress());
                        }
                        Timeline t = consumption.judge(judge.apply(services.analyzer().analyze(id, s.findByCorrelationId(id))));
                        timelines.put(id, t);
                        for (TimelineEntry e : t.entries()) {
                            bySeq.put(e.event().seq(), AnomalySeverity.kindsOf(e.anomalies()));
                        }
                    }
                    return new Analyzed(bySeq, timelines);
                },
                result -> {
                    if (store.get() != s) {
                        return;
                    }
                    table.recordAnomalies(result.bySeq());
                    result.timelines().keySet().forEach(id -> analyzed.put(id, Boolean.TRUE));
                    Timeline shown = result.timelines().get(timeline.correlationIdProperty().get());
                    if (shown != null && !timeline.loadingProperty().get()) {
                        timeline.show(shown, true);
                    }
                },
                this::reportError);
    }

    private record Analyzed(Map<Long, List<AnomalyKind>> bySeq, Map<String, Timeline> timelines) {
    }

    /**
     * The capture's expected flows were learned (or forgotten: null): timelines are judged against
     * them from now on (the shown one again), and the Flows panel lists the flows they call STOPPED or
     * MISSING_STEP among the worst (docs/reference/anomalies-and-verdicts.md, "Expected flows").
     */
    private void expectedFlowsLearned(io.eventlens.core.flowmodel.FlowModel model) {
        if (model == null) {
            timeline.setJudge(null);
            return;
        }
        io.eventlens.core.flowmodel.FlowJudge judge = new io.eventlens.core.flowmodel.FlowJudge(model);
        timeline.setJudge(judge::apply);
        analyzed.clear();
        flows.showExpected(model.verdicts());
    }

    /** Turns a failure into a {@link UserError} (its message names the file or endpoint). */
    public void reportError(Throwable error) {
        Throwable e = error;
        while (e.getCause() != null && (e.getMessage() == null || e instanceof java.util.concurrent.ExecutionException)) {
            e = e.getCause();
        }
        String what = switch (e) {
            case io.eventlens.core.store.CaptureStoreException x -> "Capture file error";
            case io.eventlens.core.kafka.KafkaConnectException x -> "Kafka connection error";
            case IllegalStateException x -> "Cannot do that now";
            default -> "Something went wrong";
        };
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        java.io.StringWriter trace = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(trace));
        LOG.warn("{}: {}", what, message, error);
        lastError.set(new UserError(what, message, trace.toString()));
        status.set(what + ": " + message);
    }

    /** The lines of Help → About: versions of EventLens, Java, JavaFX, the clients; the settings, captures and logs folders. */
    public List<String> aboutLines() {
        return io.eventlens.app.ui.services.VersionInfo.lines(UserFolders.user());
    }

    /** What "Copy details" of the error dialog copies: the error, its stack trace, and {@link #aboutLines()}. */
    public String errorReport(UserError err) {
        StringBuilder b = new StringBuilder(err.title()).append(": ").append(err.message()).append("\n\n");
        aboutLines().forEach(l -> b.append(l).append('\n'));
        if (!err.details().isEmpty()) {
            b.append('\n').append(err.details());
        }
        return b.toString();
    }

    /** Shows a problem that is not an exception (e.g. a damaged settings file set aside). */
    public void reportProblem(String title, String message) {
        LOG.warn("{}: {}", title, message);
        lastError.set(new UserError(title, message));
        status.set(title + ": " + message);
    }

    /**
     * Stops the capture and the demo, waits up to 5 s for the capture to commit its last batch, then
     * closes the store (the store is not closed by a JVM shutdown hook, so this is what makes it clean).
     */
    public void dispose() {
        capture.dispose();
        flows.dispose();
        deadLetters.dispose();
        flowMap.dispose();
        if (analysis != null) {
            analysis.cancel();
        }
        CaptureStore s = store.get();
        if (s != null && capture.awaitStopped(java.time.Duration.ofSeconds(5))) {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closing on exit: nothing left to tell the user
            }
        }
    }

    /** The open capture store, or {@code null}. */
    public ReadOnlyObjectProperty<CaptureStore> storeProperty() {
        return store.getReadOnlyProperty();
    }

    /** The window title. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The status bar line. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The latest failure to show, or {@code null}; a new value per failure. */
    public ReadOnlyObjectProperty<UserError> lastErrorProperty() {
        return lastError.getReadOnlyProperty();
    }

    /** True for the dark theme (remembered). */
    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    /**
     * The one filter box over the event table, the Flows panel and the timeline
     * (docs/decisions/0022-cel-filters.md): an applied filter cuts the table to the kept events (read
     * off the FX thread with progress and cancel; {@code anomalies} and {@code verdict} from an
     * analysis of each event's flow), the Flows panel to their flows and the timeline to its kept
     * entries; values of the rows read are learned for completion.
     */
    private void wireFilter() {
        table.setFilterContext(s -> new io.eventlens.core.filter.AnalyzingContext(
                id -> services.analyzer().analyze(id, s.findByCorrelationId(id))));
        table.setRowsSeen(page -> {
            filter.learn("channel", page.stream().map(io.eventlens.app.ui.events.EventRow::channel).toList());
            filter.learn("type", page.stream().map(io.eventlens.app.ui.events.EventRow::type).toList());
            filter.learn("correlationId", page.stream().map(io.eventlens.app.ui.events.EventRow::correlationId)
                    .limit(50).toList());
        });
        filter.appliedProperty().addListener((obs, was, f) -> {
            table.applyFilter(f);
            timeline.setFilter(f);
            flows.restrictTo(f.keepsAll() ? null : table.keptCorrelationIds());
        });
        table.filterVersionProperty().addListener((obs, was, v) -> {
            if (!table.filter().keepsAll()) {
                flows.restrictTo(table.keptCorrelationIds());
            }
        });
        filter.progressTextProperty().bind(table.filterStatusProperty());
    }

    /** The one filter box. */
    public io.eventlens.app.ui.filter.FilterBarViewModel filter() {
        return filter;
    }

    /** The remembered settings. */
    public AppSettings settings() {
        return settings;
    }

    /** The event table's view model. */
    public EventTableViewModel table() {
        return table;
    }

    /** The timeline's view model. */
    public TimelineViewModel timeline() {
        return timeline;
    }

    /** The details pane's view model. */
    public DetailsViewModel details() {
        return details;
    }

    /** The Flow map's view model (the capture's expected flows). */
    public io.eventlens.app.ui.flowmap.FlowMapViewModel flowMap() {
        return flowMap;
    }

    /** The Flows panel's view model. */
    public FlowsViewModel flows() {
        return flows;
    }

    /** The Consumers view's view model. */
    public io.eventlens.app.ui.consumers.ConsumersViewModel consumers() {
        return consumers;
    }

    /** The Contracts view's view model. */
    public io.eventlens.app.ui.contracts.ContractsViewModel contracts() {
        return contracts;
    }

    /**
     * Analyzes timelines with these contracts from now on (when the app's analyzer takes contracts)
     * and analyzes the shown timeline again.
     */
    private void useContracts(io.eventlens.core.analysis.ContractChecker checker) {
        if (services.analyzer() instanceof io.eventlens.app.ui.services.ContractAwareAnalyzer aware) {
            aware.use(checker);
            analyzed.clear();
            String shown = timeline.correlationIdProperty().get();
            if (shown != null && !shown.isBlank()) {
                timeline.open(shown);
            }
        }
    }

    /** The Dead letters view's view model. */
    public DeadLettersViewModel deadLetters() {
        return deadLetters;
    }

    /** The CI run view's view model. */
    public CiRunViewModel ciRun() {
        return ciRun;
    }

    /** The capture's view model. */
    public CaptureViewModel capture() {
        return capture;
    }
}
