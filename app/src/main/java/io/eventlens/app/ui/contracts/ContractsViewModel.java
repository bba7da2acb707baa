package io.eventlens.app.ui.contracts;

import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.analysis.ContractChecker;
import io.eventlens.core.contracts.ContractReport;
import io.eventlens.core.contracts.Contracts;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * View model of the Contracts view: loads contracts (a mapping file, a folder, an AsyncAPI
 * document or a JSON Schema file; docs/reference/contracts.md) and checks every event of the open
 * capture against them ({@link ContractReport}): per channel and type, how many events were
 * checked, passed and failed, and the most common violations; the selected group lists its failing
 * events, and opening one shows its timeline. Loading and checking run on the {@link TaskExecutor},
 * never on the FX thread; the loaded contracts go to {@code onLoaded} so that timelines are
 * analyzed with them (CONTRACT_VIOLATION).
 */
public final class ContractsViewModel {

    /** Opens a correlation ID's timeline with one of its events selected. */
    @FunctionalInterface
    public interface Opener {
        /** Opens the timeline of {@code correlationId} and selects the event with store sequence {@code seq}. */
        void open(String correlationId, long seq);
    }

    /**
     * One group row: a channel and type with its counts.
     *
     * @param group the report's group
     */
    public record GroupRow(ContractReport.Group group) {
        /** {@code "/total: expected number, got string (42)"}: the most common violation, or "". */
        public String topViolation() {
            if (group.violations().isEmpty()) {
                return "";
            }
            ContractReport.ViolationCount v = group.violations().get(0);
            return (v.pointer().isEmpty() ? "/" : v.pointer()) + ": " + v.message() + " (" + v.count() + ")";
        }
    }

    private final Supplier<CaptureStore> store;
    private final TaskExecutor executor;
    private final Consumer<Throwable> errors;
    private final Consumer<ContractChecker> onLoaded;
    private final Opener opener;
    private final LongConsumer eventShower;

    private final ObservableList<GroupRow> groups = FXCollections.observableArrayList();
    private final ObservableList<GroupRow> groupsView = FXCollections.unmodifiableObservableList(groups);
    private final ObservableList<ContractReport.Failure> failures = FXCollections.observableArrayList();
    private final ObservableList<ContractReport.Failure> failuresView = FXCollections.unmodifiableObservableList(failures);
    private final ObjectProperty<GroupRow> selectedGroup = new SimpleObjectProperty<>(this, "selectedGroup");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
            "No contracts loaded: load a mapping file, a folder, an AsyncAPI document or a JSON Schema.");
    private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper(this, "source", "");
    private final ReadOnlyLongWrapper failed = new ReadOnlyLongWrapper(this, "failed");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");

    private Contracts contracts;
    private long generation;
    private long lastCheckMs = Long.MIN_VALUE / 2;

    /** A pulse checks the capture again at most this often while a capture stores events. */
    public static final long REFRESH_MS = 5_000;

    /**
     * A contracts view model.
     *
     * @param store       the open capture, or null
     * @param executor    runs loading and checking
     * @param errors      receives failures (a contract file's message names the file)
     * @param onLoaded    receives the loaded contracts (the app's analyzer uses them)
     * @param opener      opens a failing event's timeline
     * @param eventShower shows an event without correlation ID in the details pane
     */
    public ContractsViewModel(Supplier<CaptureStore> store, TaskExecutor executor, Consumer<Throwable> errors,
                              Consumer<ContractChecker> onLoaded, Opener opener, LongConsumer eventShower) {
        this.store = Objects.requireNonNull(store, "store");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.onLoaded = Objects.requireNonNull(onLoaded, "onLoaded");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.eventShower = Objects.requireNonNull(eventShower, "eventShower");
        selectedGroup.addListener((obs, was, now) -> failures.setAll(now == null ? List.of() : now.group().failures()));
    }

    /** Loads contracts in the background, then checks the open capture against them. */
    public void load(Path path) {
        Objects.requireNonNull(path, "path");
        busy.set(true);
        summary.set("Loading contracts from " + path.getFileName() + " …");
        executor.submit("Loading contracts " + path.getFileName(), ctx -> Contracts.load(path),
                loaded -> {
                    busy.set(false);
                    contracts = loaded;
                    source.set(path + " · " + loaded.contracts().size() + " contracts"
                            + (loaded.warnings().isEmpty() ? "" : " · " + loaded.warnings().size() + " skipped"));
                    onLoaded.accept(loaded);
                    check();
                },
                error -> {
                    busy.set(false);
                    summary.set("Contracts not loaded: " + error.getMessage());
                    errors.accept(error);
                });
    }

    /** Checks every event of the open capture against the loaded contracts (again), in the background. */
    public void check() {
        Contracts c = contracts;
        CaptureStore s = store.get();
        if (c == null) {
            return;
        }
        if (s == null) {
            summary.set("Contracts loaded; open a capture to check it.");
            return;
        }
        long gen = ++generation;
        busy.set(true);
        lastCheckMs = System.currentTimeMillis();
        if (groups.isEmpty()) {
            summary.set("Checking the capture's events against the contracts …");
        }
        executor.submit("Checking contracts", ctx -> ContractReport.scan(s, c, ctx::isCancelled),
                report -> {
                    if (gen != generation) {
                        return;
                    }
                    busy.set(false);
                    List<GroupRow> rows = report.groups().stream().map(GroupRow::new).toList();
                    groups.setAll(rows);
                    failed.set(report.failed());
                    summary.set(String.format(Locale.ROOT, "%,d of %,d checked events broke their contract · %,d events had no contract%s",
                            report.failed(), report.checked(), report.unmatched(), report.complete() ? "" : " · cancelled"));
                    GroupRow was = selectedGroup.get();
                    GroupRow again = was == null ? null : rows.stream()
                            .filter(r -> Objects.equals(r.group().channel(), was.group().channel())
                                    && Objects.equals(r.group().type(), was.group().type()))
                            .findFirst().orElse(null);
                    selectedGroup.set(again != null ? again : rows.stream().filter(r -> r.group().failed() > 0).findFirst()
                            .orElse(rows.isEmpty() ? null : rows.get(0)));
                },
                error -> {
                    if (gen == generation) {
                        busy.set(false);
                        summary.set("Checking failed: " + error.getMessage());
                        errors.accept(error);
                    }
                });
    }

    /**
     * One UI pulse: while a capture stores events, checks the capture again at most once per
     * {@value #REFRESH_MS} ms (when contracts are loaded and no check is running).
     *
     * @param captured true when a capture stored events since the last pulse
     */
    public void pulse(boolean captured) {
        long now = System.currentTimeMillis();
        if (captured && contracts != null && !busy.get() && now - lastCheckMs >= REFRESH_MS) {
            lastCheckMs = now;
            check();
        }
    }

    /** Another capture was opened: checks it when contracts are loaded. */
    public void show(CaptureStore opened) {
        groups.clear();
        failures.clear();
        failed.set(0);
        if (contracts != null && opened != null) {
            check();
        }
    }

    /** Opens a failing event: its timeline with it selected, or the event alone when it has no correlation ID. */
    public void open(ContractReport.Failure f) {
        if (f == null) {
            return;
        }
        if (f.correlationId() != null) {
            opener.open(f.correlationId(), f.seq());
        } else {
            eventShower.accept(f.seq());
        }
    }

    /** The groups, the ones with most failures first. */
    public ObservableList<GroupRow> groups() {
        return groupsView;
    }

    /** The failing events of the selected group (the first ones, in store order). */
    public ObservableList<ContractReport.Failure> failures() {
        return failuresView;
    }

    /** The selected group. */
    public ObjectProperty<GroupRow> selectedGroupProperty() {
        return selectedGroup;
    }

    /** One line on what was checked. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** Where the contracts came from, or "". */
    public ReadOnlyStringProperty sourceProperty() {
        return source.getReadOnlyProperty();
    }

    /** Events that broke their contract in the last check. */
    public ReadOnlyLongProperty failedProperty() {
        return failed.getReadOnlyProperty();
    }

    /** True while loading or checking. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The loaded contracts, or null. */
    public Contracts contracts() {
        return contracts;
    }
}
