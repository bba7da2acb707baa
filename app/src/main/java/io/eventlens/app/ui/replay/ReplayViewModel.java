package io.eventlens.app.ui.replay;

import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.replay.AmqpReplaySender;
import io.eventlens.core.replay.EnvironmentLabel;
import io.eventlens.core.replay.KafkaReplaySender;
import io.eventlens.core.replay.PlannedSend;
import io.eventlens.core.replay.ReplayJson;
import io.eventlens.core.replay.ReplayOptions;
import io.eventlens.core.replay.ReplayPlan;
import io.eventlens.core.replay.ReplayPlanner;
import io.eventlens.core.replay.ReplayRefusedException;
import io.eventlens.core.replay.ReplayResult;
import io.eventlens.core.replay.ReplayRunner;
import io.eventlens.core.replay.ReplaySafety;
import io.eventlens.core.replay.ReplaySender;
import io.eventlens.core.replay.ReplayTarget;
import io.eventlens.core.replay.ReplayTiming;
import io.eventlens.core.store.CaptureStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * View model of the replay dialog (docs/reference/replay.md, "App"): the target (Kafka or RabbitMQ,
 * endpoint and environment label), the channel mapping, speed, repeat and ID options; a preview of
 * exactly what will be sent (the same plan as {@code replay --dry-run}); then the run, with progress
 * and cancel, logged in the capture store. Everything slow runs through the {@link TaskExecutor}.
 *
 * <p>Safety: the Send action stays disabled until a preview exists and the target passed the checks
 * that need no connection (a label, not production, no production pattern); the cluster ID is
 * checked when the run connects. The view asks for confirmation with the count first.
 */
public final class ReplayViewModel {

    /** The target kinds offered. */
    public static final List<String> KINDS = List.of("Kafka", "RabbitMQ");
    /** The environment choices; the first means no label, which the checks refuse. */
    public static final List<String> ENVIRONMENTS = List.of("(choose)", "local", "test", "staging", "production");

    private final java.util.concurrent.Callable<List<CapturedEvent>> events;
    private final int eventCount;
    private final String flowId;
    private final TaskExecutor executor;
    private final Consumer<Consumer<CaptureStore>> writableStore;
    private final ReplaySafety safety;

    private final StringProperty kind = new SimpleStringProperty(this, "kind", "Kafka");
    private final StringProperty endpoint = new SimpleStringProperty(this, "endpoint", "");
    private final StringProperty environment = new SimpleStringProperty(this, "environment", ENVIRONMENTS.get(0));
    private final StringProperty mappings = new SimpleStringProperty(this, "mappings", "");
    private final StringProperty speed = new SimpleStringProperty(this, "speed", "");
    private final StringProperty repeat = new SimpleStringProperty(this, "repeat", "1");
    private final BooleanProperty keepEventIds = new SimpleBooleanProperty(this, "keepEventIds");
    private final BooleanProperty freshCorrelationId = new SimpleBooleanProperty(this, "freshCorrelationId", true);
    private final BooleanProperty redrive = new SimpleBooleanProperty(this, "redrive");

    private final ObservableList<PreviewRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ReplayPlan> plan = new ReadOnlyObjectWrapper<>(this, "plan");
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "");
    private final StringProperty refusal = new SimpleStringProperty(this, "refusal", "");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final StringProperty result = new SimpleStringProperty(this, "result", "");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ObjectProperty<ReplayResult> lastResult = new SimpleObjectProperty<>(this, "lastResult");
    private final ObjectProperty<io.eventlens.core.replay.ReplayComparison> comparison =
            new SimpleObjectProperty<>(this, "comparison");
    private final StringProperty comparisonText = new SimpleStringProperty(this, "comparisonText", "");
    private final ObservableList<String> originalSteps = FXCollections.observableArrayList();
    private final ObservableList<String> replaySteps = FXCollections.observableArrayList();
    private final StringProperty originalTitle = new SimpleStringProperty(this, "originalTitle", "");
    private final StringProperty replayTitle = new SimpleStringProperty(this, "replayTitle", "");
    private final AtomicReference<ReplayRunner> runner = new AtomicReference<>();
    private volatile java.nio.file.Path logFile;
    private volatile java.time.Instant runStartedAt;
    private volatile List<CapturedEvent> planned = List.of();
    private TaskExecutor.Handle handle;

    /**
     * @param flowId        the correlation ID of the flow the events belong to (for the header), or null
     * @param events        the events to replay (a timeline's, or a table selection)
     * @param executor      the app's task executor
     * @param writableStore gives the capture store opened for writing (reopening a read-only one after
     *                      the file check), or null when that failed; the replay is logged there
     * @param safety        the production patterns in force
     */
    public ReplayViewModel(String flowId, List<CapturedEvent> events, TaskExecutor executor,
                           Consumer<Consumer<CaptureStore>> writableStore, ReplaySafety safety) {
        this(flowId, List.copyOf(events).size(), () -> List.copyOf(events), executor, writableStore, safety);
    }

    /**
     * A view model for events read when the preview is made (off the FX thread): a table selection.
     *
     * @param count  how many events are selected (for the header)
     * @param loader reads them from the store
     * @see #ReplayViewModel(String, List, TaskExecutor, Consumer, ReplaySafety)
     */
    public ReplayViewModel(String flowId, int count, java.util.concurrent.Callable<List<CapturedEvent>> loader,
                           TaskExecutor executor, Consumer<Consumer<CaptureStore>> writableStore, ReplaySafety safety) {
        this.flowId = flowId;
        this.eventCount = count;
        this.events = Objects.requireNonNull(loader, "loader");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.writableStore = Objects.requireNonNull(writableStore, "writableStore");
        this.safety = Objects.requireNonNull(safety, "safety");
        for (StringProperty p : List.of(kind, endpoint, environment, mappings, speed, repeat)) {
            p.addListener((o, a, b) -> invalidate());
        }
        for (BooleanProperty p : List.of(keepEventIds, freshCorrelationId, redrive)) {
            p.addListener((o, a, b) -> invalidate());
        }
    }

    private void invalidate() {
        if (!running.get()) {
            plan.set(null);
            rows.clear();
            summary.set("");
            refusal.set("");
            result.set("");
        }
    }

    /** How many events are selected. */
    public int eventCount() {
        return eventCount;
    }

    /** The flow's correlation ID, or null. */
    public String flowId() {
        return flowId;
    }

    /** The target as the inputs describe it; throws IllegalArgumentException naming the input when invalid. */
    ReplayTarget target() {
        String e = endpoint.get() == null ? "" : endpoint.get().strip();
        if (e.isEmpty()) {
            throw new IllegalArgumentException("Endpoint: give the " + (isKafka() ? "bootstrap servers (host:port)"
                    : "RabbitMQ URI (amqp://host)"));
        }
        EnvironmentLabel label = environment.get() == null || environment.get().equals(ENVIRONMENTS.get(0))
                ? null : EnvironmentLabel.parse(environment.get());
        if (isKafka()) {
            return new ReplayTarget.Kafka(e, java.util.Map.of(), label);
        }
        try {
            return new ReplayTarget.Amqp(AmqpCaptureConfig.builder().uri(e).buildConnection(), label);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Endpoint: " + ex.getMessage(), ex);
        }
    }

    private boolean isKafka() {
        return !"RabbitMQ".equals(kind.get());
    }

    /** The options as the inputs describe them; throws IllegalArgumentException naming the input when invalid. */
    ReplayOptions options() {
        ReplayOptions.Builder b = ReplayOptions.builder();
        String m = mappings.get() == null ? "" : mappings.get();
        int line = 0;
        for (String raw : m.split("[\\n;]")) {
            line++;
            String s = raw.strip();
            if (s.isEmpty()) {
                continue;
            }
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                throw new IllegalArgumentException("Channel map, entry " + line + ": '" + s + "' is not SOURCE=TARGET");
            }
            b.map(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
        }
        Double factor = null;
        if (speed.get() != null && !speed.get().isBlank()) {
            try {
                factor = Double.valueOf(speed.get().strip().replace("x", "").replace("×", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Speed: '" + speed.get() + "' is not a number (0.1 to 100)");
            }
        }
        int n;
        try {
            n = Integer.parseInt(repeat.get() == null ? "1" : repeat.get().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Repeat: '" + repeat.get() + "' is not a whole number");
        }
        try {
            return b.timing(new ReplayTiming(factor, null, 0)).repeat(n).keepEventIds(keepEventIds.get())
                    .freshCorrelationId(freshCorrelationId.get()).redrive(redrive.get()).build();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            throw new IllegalArgumentException((msg.startsWith("speed") ? "Speed: " : msg.startsWith("repeat") ? "Repeat: " : "")
                    + msg, e);
        }
    }

    /** Plans the replay (no connection, nothing sent) and fills the preview; errors go to {@link #errorProperty()}. */
    public void preview() {
        error.set("");
        result.set("");
        ReplayTarget t;
        ReplayOptions o;
        try {
            t = target();
            o = options();
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        executor.submit("Planning the replay", ctx -> {
            List<CapturedEvent> loaded = events.call();
            planned = loaded;
            return ReplayPlanner.plan(loaded, t, o);
        }, p -> {
            plan.set(p);
            rows.setAll(p.sends().stream().map(ReplayViewModel::row).toList());
            String ids = p.replayCorrelationId() == null ? "correlation IDs kept"
                    : "correlation ID " + String.join(", ", p.originalCorrelationIds()) + " → " + p.replayCorrelationId();
            summary.set(String.format(Locale.ROOT, "%d send%s to %s over %.1f s; %s; event IDs %s.%s",
                    p.sends().size(), p.sends().size() == 1 ? "" : "s", t.endpoint(), p.durationNanos() / 1e9, ids,
                    o.keepEventIds() ? "kept" : "renewed",
                    p.problems().isEmpty() ? "" : " Problems: " + String.join("; ", p.problems())));
            try {
                safety.checkStatic(t);
                refusal.set("");
            } catch (ReplayRefusedException e) {
                refusal.set(e.getMessage());
            }
        }, e -> error.set(message(e)));
    }

    private static PreviewRow row(PlannedSend s) {
        String target = s.routingKey() != null ? s.targetChannel() + " → " + s.routingKey()
                : s.targetChannel() + (s.partition() != null ? " p" + s.partition() : "");
        return new PreviewRow(s.index(), s.sourceSeq(), s.sourceChannel(), target,
                s.keyText() == null ? "" : s.keyText(), s.askedOffsetNanos() / 1e6, String.join("; ", s.rewrites()), "");
    }

    /** True when Send may be pressed: a preview without problems, passing the static checks, not running. */
    public BooleanBinding canSend() {
        return Bindings.createBooleanBinding(() -> plan.get() != null && plan.get().problems().isEmpty()
                && !plan.get().sends().isEmpty() && refusal.get().isEmpty() && !running.get(), plan, refusal, running);
    }

    /** The confirmation question for the view: the count and the target. */
    public String confirmation() {
        ReplayPlan p = plan.get();
        return p == null ? "" : String.format(Locale.ROOT, "Send %d message%s to %s (%s)?", p.sends().size(),
                p.sends().size() == 1 ? "" : "s", p.target().endpoint(), environment.get());
    }

    /**
     * Runs the previewed plan: gets the store for writing (the log), connects, checks the cluster ID,
     * logs the plan and sends, updating the rows and the progress; cancel with {@link #cancel()}.
     */
    public void send() {
        ReplayPlan p = plan.get();
        if (p == null || running.get()) {
            return;
        }
        running.set(true);
        error.set("");
        result.set("Opening the capture for the replay log …");
        writableStore.accept(store -> {
            if (store == null) {
                running.set(false);
                result.set("");
                error.set("The capture cannot be opened for writing; nothing was sent.");
                return;
            }
            progress.set(0);
            logFile = store.file();
            runStartedAt = java.time.Instant.now().minusSeconds(1);
            comparison.set(null);
            comparisonText.set("");
            handle = executor.submit("Replaying " + p.sends().size() + " events", ctx -> {
                // planned again now, with the previewed run's IDs: the same sends, event times current
                ReplayOptions again = p.replayCorrelationId() == null ? p.options()
                        : new ReplayOptions(p.options().channelMap(), true, p.replayCorrelationId(), p.options().keepEventIds(),
                                p.options().setHeaders(), p.options().removeHeaders(), p.options().keepPartitions(),
                                p.options().redrive(), p.options().keepDeadLetterHeaders(), p.options().shiftEventTimes(),
                                p.options().repeat(), p.options().timing(), p.options().rules());
                ReplayPlan now = ReplayPlanner.plan(planned, p.target(), again, p.replayId(), java.time.Instant.now());
                try (ReplaySender sender = connect(now)) {
                    safety.checkClusterId(now.target(), sender.clusterId());
                    ReplayRunner r = new ReplayRunner(sender, store.replayLog(), new ReplayRunner.Listener() {
                        @Override
                        public void sent(ReplayResult.SendReport report, int done, int total) {
                            ctx.progress(done, total);
                            ctx.message("Replaying: " + done + " of " + total);
                            Runnable update = () -> {
                                progress.set(total == 0 ? 1 : (double) done / total);
                                markRow(report);
                            };
                            if (Platform.isFxApplicationThread()) {
                                update.run();
                            } else {
                                Platform.runLater(update);
                            }
                        }
                    });
                    runner.set(r);
                    ctx.onCancel(r::cancel);
                    return r.run(now, environment.get(), ReplayJson.optionsText(now.options()));
                }
            }, res -> {
                running.set(false);
                lastResult.set(res);
                result.set(describe(res));
            }, e -> {
                running.set(false);
                result.set("");
                error.set(message(e));
            }, () -> {
                ReplayRunner r = runner.get();
                if (r != null) {
                    r.cancel();
                }
                running.set(false);
                result.set("Cancelled: the sends so far are logged; resume with eventlens replay --resume " + p.replayId());
            });
        });
    }

    private ReplaySender connect(ReplayPlan p) {
        Duration timeout = Duration.ofSeconds(10);
        return switch (p.target()) {
            case ReplayTarget.Kafka k -> KafkaReplaySender.connect(k, p.targetChannels(), timeout);
            case ReplayTarget.Amqp a -> AmqpReplaySender.connect(a, p.targetChannels(), timeout);
        };
    }

    private void markRow(ReplayResult.SendReport report) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).index() == report.index()) {
                rows.set(i, rows.get(i).withOutcome(report.outcome().name()
                        + (report.position() != null ? " " + report.position() : "")));
                return;
            }
        }
    }

    static String describe(ReplayResult r) {
        String gaps = r.gapFidelity().gaps() == 0 ? "" : String.format(Locale.ROOT,
                " Gaps achieved/asked: median %.2f (min %.2f, max %.2f).", r.gapFidelity().medianRatio(),
                r.gapFidelity().minRatio(), r.gapFidelity().maxRatio());
        return switch (r.state()) {
            case "COMPLETED" -> String.format(Locale.ROOT, "Replayed %d of %d in %.1f s as correlation ID %s.%s",
                    r.sentNow(), r.total(), r.elapsedMs() / 1000.0, r.replayCorrelationId(), gaps);
            case "CANCELLED" -> "Cancelled after " + r.sentNow() + " of " + r.total() + " sends; resume with"
                    + " eventlens replay --resume " + r.replayId();
            default -> "Stopped after " + r.sentNow() + " of " + r.total() + " sends: "
                    + (r.sends().isEmpty() ? r.state() : r.sends().get(r.sends().size() - 1).message())
                    + ". Resume with eventlens replay --resume " + r.replayId();
        };
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** The settle time of {@link #compare()}: how long the replayed flow is captured after the replay. */
    public static final Duration COMPARE_SETTLE = Duration.ofSeconds(5);

    /** True when the last run completed with a fresh correlation ID into Kafka, so its flow can be captured. */
    public BooleanBinding canCompare() {
        return Bindings.createBooleanBinding(() -> lastResult.get() != null && lastResult.get().completed()
                && lastResult.get().replayCorrelationId() != null && plan.get() != null
                && plan.get().target() instanceof ReplayTarget.Kafka && !running.get(), lastResult, plan, running);
    }

    /**
     * Captures the replayed flow (its target topics and the original flow's channels as mapped, from
     * the replay's start, for {@link #COMPARE_SETTLE}) into a capture of its own beside the open one
     * ({@code NAME.replay-<id>.mv.db}) and compares it with the original flow
     * ({@link io.eventlens.core.replay.ReplayComparison}).
     */
    public void compare() {
        ReplayPlan p = plan.get();
        ReplayResult r = lastResult.get();
        if (p == null || r == null || logFile == null || running.get()) {
            return;
        }
        running.set(true);
        comparisonText.set("Capturing the replayed flow for " + COMPARE_SETTLE.toSeconds() + " s …");
        java.nio.file.Path out = logFile.resolveSibling(logFile.getFileName().toString().replace(".mv.db", "")
                + ".replay-" + p.replayId().substring(0, 8) + ".mv.db");
        List<CapturedEvent> originals = planned;
        String original = p.originalCorrelationIds().isEmpty() ? null : p.originalCorrelationIds().get(0);
        executor.submit("Capturing the replayed flow", ctx -> {
            var analyzer = io.eventlens.core.analysis.TimelineAnalyzer.withDefaults();
            try (CaptureStore cs = CaptureStore.open(out);
                 io.eventlens.core.replay.ReplayFlowCapture capture = io.eventlens.core.replay.ReplayFlowCapture.start(
                         io.eventlens.core.replay.ReplayFlowCapture.sourceFor(p,
                                 originals.stream().map(e -> e.channel().name()).distinct().toList(), runStartedAt,
                                 Duration.ofSeconds(10)),
                         cs, io.eventlens.core.extract.EventExtractor.withDefaults(), Duration.ofSeconds(30))) {
                var replayed = capture.finish(p.replayCorrelationId(), COMPARE_SETTLE, analyzer);
                var originalTimeline = analyzer.analyze(original == null ? "" : original, original == null ? originals
                        : originals.stream().filter(e -> original.equals(e.derived().correlationIdValue())).toList());
                return new Compared(originalTimeline, replayed,
                        io.eventlens.core.replay.ReplayComparison.compare(originalTimeline, replayed));
            }
        }, done -> {
            var c = done.comparison();
            running.set(false);
            originalSteps.setAll(steps(done.original()));
            replaySteps.setAll(steps(done.replay()));
            originalTitle.set("Original " + done.original().correlationId() + " — " + done.original().verdict().kind());
            replayTitle.set("Replay " + done.replay().correlationId() + " — " + done.replay().verdict().kind());
            comparison.set(c);
            comparisonText.set(describe(c, out));
        }, e -> {
            running.set(false);
            comparisonText.set("");
            error.set(message(e));
        });
    }

    private record Compared(io.eventlens.core.analysis.Timeline original, io.eventlens.core.analysis.Timeline replay,
                            io.eventlens.core.replay.ReplayComparison comparison) {
    }

    /** One line per event of a timeline: offset from its first event, channel, type, anomaly kinds. */
    static List<String> steps(io.eventlens.core.analysis.Timeline t) {
        if (t.entries().isEmpty()) {
            return List.of("(no events captured)");
        }
        java.time.Instant first = t.entries().get(0).event().observedAt();
        return t.entries().stream().map(e -> {
            String kinds = e.anomalies().stream().map(a -> a.kind().name()).distinct()
                    .collect(java.util.stream.Collectors.joining(", "));
            String type = e.event().derived().eventTypeValue();
            return String.format(Locale.ROOT, "+%,d ms  %s  %s%s", Duration.between(first, e.event().observedAt()).toMillis(),
                    e.event().channel().name(), type == null ? "(no type)" : type, kinds.isEmpty() ? "" : "  ⚠ " + kinds);
        }).toList();
    }

    /** The original flow's events, one line each, once compared. */
    public ObservableList<String> originalSteps() {
        return originalSteps;
    }

    /** The replayed flow's events, one line each, once compared. */
    public ObservableList<String> replaySteps() {
        return replaySteps;
    }

    public StringProperty originalTitleProperty() {
        return originalTitle;
    }

    public StringProperty replayTitleProperty() {
        return replayTitle;
    }

    static String describe(io.eventlens.core.replay.ReplayComparison c, java.nio.file.Path file) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.outcome()).append(": original ").append(c.originalVerdict()).append(" (").append(c.originalEvents())
                .append(" events), replay ").append(c.replayVerdict()).append(" (").append(c.replayEvents()).append(" events).");
        if (!c.missingSteps().isEmpty()) {
            sb.append(" Missing: ").append(String.join(", ", c.missingSteps())).append('.');
        }
        if (!c.extraSteps().isEmpty()) {
            sb.append(" Extra: ").append(String.join(", ", c.extraSteps())).append('.');
        }
        if (!c.newAnomalies().isEmpty()) {
            sb.append(" New anomalies: ").append(c.newAnomalies()).append('.');
        }
        if (!c.goneAnomalies().isEmpty()) {
            sb.append(" Gone: ").append(c.goneAnomalies()).append('.');
        }
        List<String> changed = c.hops().stream().filter(io.eventlens.core.replay.ReplayComparison.Hop::changed)
                .map(h -> h.from() + " → " + h.to() + " " + h.originalMs() + " → " + h.replayMs() + " ms").toList();
        if (!changed.isEmpty()) {
            sb.append(" Hops changed: ").append(String.join("; ", changed)).append('.');
        }
        sb.append(" Replayed flow captured in ").append(file.getFileName()).append('.');
        return sb.toString();
    }

    /** The comparison of the original flow with the replayed one, once {@link #compare()} finished. */
    public ObjectProperty<io.eventlens.core.replay.ReplayComparison> comparisonProperty() {
        return comparison;
    }

    /** The comparison for people, or what it is doing. */
    public StringProperty comparisonTextProperty() {
        return comparisonText;
    }

    /** Asks a running replay to stop after the send in progress. */
    public void cancel() {
        if (handle != null && handle.isRunning()) {
            handle.cancel();
        }
    }

    public StringProperty kindProperty() {
        return kind;
    }

    public StringProperty endpointProperty() {
        return endpoint;
    }

    public StringProperty environmentProperty() {
        return environment;
    }

    public StringProperty mappingsProperty() {
        return mappings;
    }

    public StringProperty speedProperty() {
        return speed;
    }

    public StringProperty repeatProperty() {
        return repeat;
    }

    public BooleanProperty keepEventIdsProperty() {
        return keepEventIds;
    }

    public BooleanProperty freshCorrelationIdProperty() {
        return freshCorrelationId;
    }

    public BooleanProperty redriveProperty() {
        return redrive;
    }

    /** The preview rows, one per send. */
    public ObservableList<PreviewRow> rows() {
        return rows;
    }

    public ReadOnlyObjectProperty<ReplayPlan> planProperty() {
        return plan.getReadOnlyProperty();
    }

    public StringProperty summaryProperty() {
        return summary;
    }

    /** Why the target is refused (empty when not). */
    public StringProperty refusalProperty() {
        return refusal;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public StringProperty resultProperty() {
        return result;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The last run's result, or null. */
    public ObjectProperty<ReplayResult> lastResultProperty() {
        return lastResult;
    }
}
