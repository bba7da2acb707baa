package io.eventlens.app.ui.flowmap;

import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.flowmodel.DeclaredFlow;
import io.eventlens.core.flowmodel.FlowFamily;
import io.eventlens.core.flowmodel.FlowFile;
import io.eventlens.core.flowmodel.FlowFileWriter;
import io.eventlens.core.flowmodel.FlowJudge;
import io.eventlens.core.flowmodel.FlowModel;
import io.eventlens.core.flowmodel.FlowModelLearner;
import io.eventlens.core.flowmodel.FlowModelSettings;
import io.eventlens.core.flowmodel.Step;
import io.eventlens.core.store.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
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

/**
 * View model of the Flow map: the expected flows of the open capture (learned from all its flows in
 * the background when a capture file is opened; docs/reference/anomalies-and-verdicts.md, "Expected
 * flows"), the families to choose from, the chosen family's map ({@link FlowMapLayout}) with the
 * shown timeline's flow highlighted, a flow file to load (declared beats learned; its problems named
 * by line) and the learned model to save as a flow file. Every read and write runs on the
 * {@link TaskExecutor}; the model lands on the FX thread and is handed to {@code onModel} (the
 * timeline's judge and the Flows panel).
 */
public final class FlowMapViewModel {

    /**
     * A family to choose.
     *
     * @param start   its first step
     * @param label   "OrderPlaced on orders · 40 flows" (or "... too few to learn")
     * @param learned true when learned from enough flows
     */
    public record FamilyItem(Step start, String label, boolean learned) {
        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * Captures with more events are learned from only when asked ({@link #learn()}): learning keeps
     * three longs per step event (1,000,000 events: about 5 s and under 256 MiB of heap,
     * docs/decisions/0017-expected-flows.md), and the desktop heap is bounded (0010).
     */
    public static final long AUTO_LEARN_LIMIT = 2_000_000;

    private final TaskExecutor executor;
    private final Consumer<Throwable> errors;
    private final Consumer<FlowModel> onModel;
    private final Consumer<String> status;

    private final ReadOnlyObjectWrapper<FlowModel> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
            "Open a capture file to learn its flows.");
    private final ReadOnlyBooleanWrapper learning = new ReadOnlyBooleanWrapper(this, "learning");
    private final ObservableList<FamilyItem> families = FXCollections.observableArrayList();
    private final ObservableList<FamilyItem> familiesView = FXCollections.unmodifiableObservableList(families);
    private final ObjectProperty<FamilyItem> selectedFamily = new SimpleObjectProperty<>(this, "selectedFamily");
    private final ObjectProperty<Timeline> shownFlow = new SimpleObjectProperty<>(this, "shownFlow");
    private final ReadOnlyObjectWrapper<FlowMapLayout> layout = new ReadOnlyObjectWrapper<>(this, "layout",
            FlowMapLayout.empty());
    private final ObservableList<String> flowFileProblems = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper flowFileName = new ReadOnlyStringWrapper(this, "flowFileName", "");
    private final ReadOnlyStringWrapper declaredText = new ReadOnlyStringWrapper(this, "declaredText", "");

    private CaptureStore store;
    private List<DeclaredFlow> declared = List.of();
    private final ObservableList<Path> learnFrom = FXCollections.observableArrayList();
    private TaskExecutor.Handle task;
    private long generation;

    /**
     * A Flow map view model.
     *
     * @param executor runs learning, reading and writing flow files
     * @param errors   receives failures (naming the file)
     * @param onModel  receives each new model on the FX thread (null when the capture is closed)
     * @param status   receives short confirmations for the status bar
     */
    public FlowMapViewModel(TaskExecutor executor, Consumer<Throwable> errors, Consumer<FlowModel> onModel,
                            Consumer<String> status) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.onModel = Objects.requireNonNull(onModel, "onModel");
        this.status = Objects.requireNonNull(status, "status");
        selectedFamily.addListener((obs, was, now) -> relayout());
        shownFlow.addListener((obs, was, now) -> {
            selectFamilyOf(now);
            relayout();
        });
    }

    /**
     * The capture shown changed: a file opened for reading is learned from at once; a capture being
     * written (live) is learned from when {@link #learn()} is asked.
     */
    public void show(CaptureStore opened) {
        clear();
        store = opened;
        if (opened != null && opened.isReadOnly() && opened.eventCount() > AUTO_LEARN_LIMIT) {
            summary.set(String.format(Locale.ROOT, "%,d events: press Learn to learn the expected flows (one full read"
                    + " of the capture).", opened.eventCount()));
        } else if (opened != null && opened.isReadOnly()) {
            learn();
        } else if (opened != null) {
            summary.set("Expected flows are learned from a capture file when it is opened; press Learn once the capture"
                    + " has ended.");
        }
    }

    /** Learns the expected flows of the open capture in the background (all its flows), with the loaded flow file. */
    public void learn() {
        CaptureStore s = store;
        if (s == null) {
            summary.set("Open a capture file to learn its flows.");
            return;
        }
        if (task != null) {
            task.cancel();
        }
        long gen = ++generation;
        List<DeclaredFlow> decl = declared;
        List<Path> others = List.copyOf(learnFrom);
        learning.set(true);
        summary.set("Learning the flows of " + s.file().getFileName() + " …");
        long total = Math.max(1, s.eventCount());
        task = executor.submit("Learning expected flows of " + s.file().getFileName(),
                ctx -> {
                    ctx.message("Reading every flow of " + s.file().getFileName()
                            + (others.isEmpty() ? "" : " and of " + others.size() + " more captures"));
                    List<CaptureStore> opened = new ArrayList<>();
                    try {
                        for (Path p : others) {
                            opened.add(CaptureStore.openReadOnly(p));   // checked before H2 runs anything (0007)
                        }
                        return FlowModelLearner.learn(s, opened, FlowModelSettings.defaults(), decl,
                                seq -> ctx.progress(seq, total), ctx::isCancelled);
                    } finally {
                        opened.forEach(CaptureStore::close);
                    }
                },
                learned -> {
                    if (gen != generation) {
                        return;
                    }
                    learning.set(false);
                    setModel(learned);
                },
                error -> {
                    if (gen == generation) {
                        learning.set(false);
                        summary.set("Learning failed: " + error.getMessage());
                        errors.accept(error);
                    }
                },
                () -> {
                    if (gen == generation) {
                        learning.set(false);
                        summary.set("Learning was cancelled.");
                    }
                });
    }

    /** Shows a model (learned here, or given by a test). */
    public void setModel(FlowModel m) {
        model.set(m);
        FamilyItem keep = selectedFamily.get();
        List<FamilyItem> items = new ArrayList<>();
        for (FlowFamily f : m.families().values()) {
            if (f.flowCount() == 0) {
                continue;
            }
            items.add(new FamilyItem(f.start(), f.name() + " · " + f.flowCount() + (f.flowCount() == 1 ? " flow" : " flows")
                    + (f.learned() ? "" : " (too few to learn)")
                    + (m.declared().containsKey(f.start()) ? " · declared" : ""), f.learned()));
        }
        families.setAll(items);
        long stopped = m.verdicts().stream().filter(v -> v.kind() == io.eventlens.core.analysis.VerdictKind.STOPPED).count();
        long missing = m.verdicts().stream().filter(v -> v.kind() == io.eventlens.core.analysis.VerdictKind.MISSING_STEP).count();
        long learnedCount = items.stream().filter(FamilyItem::learned).count();
        summary.set(String.format(Locale.ROOT, "%,d flows, %,d %s learned (%d with too few flows)%s%s; %,d stopped, %,d"
                        + " with a missing step", m.flowCount(), learnedCount, learnedCount == 1 ? "family" : "families",
                items.size() - learnedCount, m.declared().isEmpty() ? "" : ", " + m.declared().size() + " declared",
                learnFrom.isEmpty() ? "" : ", also from " + learnFrom.size() + (learnFrom.size() == 1 ? " other capture"
                        : " other captures"), stopped, missing));
        FamilyItem again = keep == null ? null
                : items.stream().filter(i -> i.start().equals(keep.start())).findFirst().orElse(null);
        if (again == null) {
            selectFamilyOf(shownFlow.get());
            if (selectedFamily.get() == null && !items.isEmpty()) {
                selectedFamily.set(items.stream().filter(FamilyItem::learned).findFirst().orElse(items.get(0)));
            }
        } else {
            selectedFamily.set(again);
        }
        relayout();
        onModel.accept(m);
    }

    private void selectFamilyOf(Timeline t) {
        if (t == null || t.entries().isEmpty()) {
            return;
        }
        var e = t.entries().get(0).event();
        Step first = new Step(e.derived().eventTypeValue(), e.channel().name());
        for (FamilyItem i : families) {
            if (i.start().equals(first)) {
                selectedFamily.set(i);
                return;
            }
        }
    }

    private void relayout() {
        FlowModel m = model.get();
        FamilyItem f = selectedFamily.get();
        DeclaredFlow d = m == null || f == null ? null : m.declared().get(f.start());
        declaredText.set(d == null ? "" : describe(d));
        layout.set(m == null || f == null ? FlowMapLayout.empty() : FlowMapLayout.of(m.family(f.start()), shownFlow.get()));
    }

    /**
     * A declared flow in one line: {@code Declared by checkout (flows.yaml line 4): OrderPlaced →
     * PaymentAuthorized (timeout 2 s) → [FraudCleared | EmailQueued?] → OrderShipped ■}; {@code ?}
     * marks an optional step, {@code ■} a terminal one, {@code [a | b]} parallel branches.
     */
    static String describe(DeclaredFlow d) {
        StringBuilder sb = new StringBuilder("Declared by ").append(d.where()).append(": ");
        int stage = -1;
        int branch = -1;
        for (int i = 0; i < d.steps().size(); i++) {
            var s = d.steps().get(i);
            boolean parallel = i + 1 < d.steps().size() && d.steps().get(i + 1).stage() == s.stage()
                    || i > 0 && d.steps().get(i - 1).stage() == s.stage();
            if (s.stage() != stage) {
                if (stage >= 0) {
                    sb.append(branch >= 0 ? "] → " : " → ");
                }
                branch = -1;
                if (parallel) {
                    sb.append('[');
                    branch = s.branch();
                }
            } else if (s.branch() != branch) {
                sb.append(" | ");
                branch = s.branch();
            } else {
                sb.append(" → ");
            }
            stage = s.stage();
            sb.append(s.step().type() == null ? s.step().channel() : s.step().type());
            if (s.optional()) {
                sb.append('?');
            }
            if (s.timeout() != null) {
                sb.append(" (timeout ").append(io.eventlens.core.analysis.TimelineAnalyzer.formatDuration(s.timeout()))
                        .append(')');
            }
            if (s.terminal()) {
                sb.append(" ■");
            }
        }
        if (branch >= 0) {
            sb.append(']');
        }
        return sb.toString();
    }

    /** The chosen family's declaration in one line, or "" when it is not declared. */
    public ReadOnlyStringProperty declaredTextProperty() {
        return declaredText.getReadOnlyProperty();
    }

    /**
     * Reads a flow file in the background, lists its problems (each naming the line) and learns
     * again with its declared flows (declared beats learned).
     */
    public void loadFlowFile(Path file) {
        executor.submit("Reading flow file " + file.getFileName(), ctx -> FlowFile.read(file),
                read -> {
                    declared = read.flows();
                    flowFileName.set(file.getFileName().toString());
                    flowFileProblems.setAll(read.problems());
                    status.accept("Read " + read.flows().size() + (read.flows().size() == 1 ? " flow" : " flows")
                            + " from " + file + (read.problems().isEmpty() ? "." : "; " + read.problems().size()
                            + " problems (see the Flow map)."));
                    learn();
                },
                error -> {
                    flowFileProblems.setAll(List.of(error.getMessage()));
                    errors.accept(error);
                });
    }

    /**
     * Learns again with more captures of the same system (read-only; their flows add to the
     * families, only the open capture's flows are judged). An empty list learns from the open
     * capture alone.
     */
    public void setLearnFrom(List<Path> captures) {
        learnFrom.setAll(captures);
        learn();
    }

    /** The other captures learned from as well. */
    public ObservableList<Path> learnFrom() {
        return learnFrom;
    }

    /** Writes the learned model as a flow file in the background, a starting point for a declared one. */
    public void saveFlowFile(Path file) {
        FlowModel m = model.get();
        CaptureStore s = store;
        if (m == null) {
            status.accept("Nothing to save: no flows are learned yet.");
            return;
        }
        String source = s == null ? "a capture" : s.file().getFileName().toString();
        executor.submit("Saving flow file " + file.getFileName(), ctx -> {
            Files.writeString(file, FlowFileWriter.write(m, source), StandardCharsets.UTF_8);
            return file;
        }, saved -> status.accept("Saved the learned flows to " + saved + "."), errors);
    }

    /** A judge of timelines against the current model, or null when none is learned. */
    public FlowJudge judge() {
        FlowModel m = model.get();
        return m == null ? null : new FlowJudge(m);
    }

    /** Forgets the model (another capture is opened). */
    public void clear() {
        generation++;
        if (task != null) {
            task.cancel();
            task = null;
        }
        store = null;
        learnFrom.clear();
        learning.set(false);
        model.set(null);
        families.clear();
        selectedFamily.set(null);
        layout.set(FlowMapLayout.empty());
        summary.set("Open a capture file to learn its flows.");
        onModel.accept(null);
    }

    /** Stops learning (the window closes). */
    public void dispose() {
        generation++;
        if (task != null) {
            task.cancel();
        }
    }

    /** The learned model, or null. */
    public ReadOnlyObjectProperty<FlowModel> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** One line about the model (or why there is none). */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** True while learning. */
    public ReadOnlyBooleanProperty learningProperty() {
        return learning.getReadOnlyProperty();
    }

    /** The families of the model, largest first (read-only). */
    public ObservableList<FamilyItem> families() {
        return familiesView;
    }

    /** The family drawn. */
    public ObjectProperty<FamilyItem> selectedFamilyProperty() {
        return selectedFamily;
    }

    /** The flow highlighted: the timeline shown (bound by the main view model). */
    public ObjectProperty<Timeline> shownFlowProperty() {
        return shownFlow;
    }

    /** The map of the chosen family. */
    public ReadOnlyObjectProperty<FlowMapLayout> layoutProperty() {
        return layout.getReadOnlyProperty();
    }

    /** The problems of the loaded flow file, each naming the line. */
    public ObservableList<String> flowFileProblems() {
        return flowFileProblems;
    }

    /** The loaded flow file's name, or "". */
    public ReadOnlyStringProperty flowFileNameProperty() {
        return flowFileName.getReadOnlyProperty();
    }
}
