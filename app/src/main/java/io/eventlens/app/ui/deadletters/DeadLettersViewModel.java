package io.eventlens.app.ui.deadletters;

import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.deadletter.DeadLetterReport;
import io.eventlens.core.store.CaptureStore;
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

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * View model of the Dead letters view: every dead-lettered event of the open capture, grouped by
 * reason, exception class and original channel with counts (core's {@link DeadLetterReport};
 * docs/decisions/0012-dead-letter-report.md), and the latest events of the selected group. The
 * report is read on the {@link TaskExecutor} (status bar progress and Cancel) and lands with one list
 * change; during a live capture {@link #pulse} reads the new events at most once per
 * {@value #REFRESH_MS} ms. It never reads the store on the FX thread.
 */
public final class DeadLettersViewModel {

    /** A pulse reads the new events at most this often while a capture stores events. */
    public static final long REFRESH_MS = 3_000;

    /** Opens a correlation ID's timeline with one of its events selected. */
    @FunctionalInterface
    public interface Opener {
        /** Opens the timeline of {@code correlationId} and selects the event with store sequence {@code seq}. */
        void open(String correlationId, long seq);
    }

    private final Opener opener;
    private final LongConsumer eventShower;
    private final TaskExecutor executor;
    private final Consumer<Throwable> errors;
    private final LongSupplier clockMs;

    private final ObservableList<DeadLetterGroupRow> groups = FXCollections.observableArrayList();
    private final ObservableList<DeadLetterGroupRow> groupsView = FXCollections.unmodifiableObservableList(groups);
    private final ObservableList<DeadLetterEventRow> events = FXCollections.observableArrayList();
    private final ObservableList<DeadLetterEventRow> eventsView = FXCollections.unmodifiableObservableList(events);
    private final ObjectProperty<DeadLetterGroupRow> selectedGroup = new SimpleObjectProperty<>(this, "selectedGroup");
    private final ReadOnlyLongWrapper total = new ReadOnlyLongWrapper(this, "total");
    private final ReadOnlyBooleanWrapper reading = new ReadOnlyBooleanWrapper(this, "reading");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "No capture open");

    private DeadLetterReport report;
    /** Bumped by {@link #show} and {@link #clear}: answers for an earlier store are dropped. */
    private long generation;
    private TaskExecutor.Handle update;
    private boolean updateAgain;
    private long lastUpdateMs = Long.MIN_VALUE / 2;

    /**
     * A dead letters view model.
     *
     * @param opener      opens a correlation ID's timeline with the dead letter selected
     * @param eventShower shows one event by store sequence in the details pane (an event without a correlation ID)
     * @param executor    runs the report's reads
     * @param errors      receives failures (naming the file)
     */
    public DeadLettersViewModel(Opener opener, LongConsumer eventShower, TaskExecutor executor,
                                Consumer<Throwable> errors) {
        this(opener, eventShower, executor, errors, System::currentTimeMillis);
    }

    DeadLettersViewModel(Opener opener, LongConsumer eventShower, TaskExecutor executor,
                         Consumer<Throwable> errors, LongSupplier clockMs) {
        this.opener = Objects.requireNonNull(opener, "opener");
        this.eventShower = Objects.requireNonNull(eventShower, "eventShower");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        selectedGroup.addListener((obs, was, now) -> {
            List<DeadLetterEventRow> rows = now == null ? List.of() : now.events();
            if (!rows.equals(events)) {
                events.setAll(rows);
            }
        });
    }

    /** Reads the dead letters of {@code opened} (another capture was opened or created) in the background. */
    public void show(CaptureStore opened) {
        clear();
        report = new DeadLetterReport(opened, Set.of());
        summary.set("Reading dead letters …");
        update();
    }

    /**
     * One UI pulse: reads the events a live capture stored since the last read, at most once per
     * {@value #REFRESH_MS} ms.
     *
     * @param captured true when a capture stored events since the last pulse
     */
    public void pulse(boolean captured) {
        if (report != null && captured && clockMs.getAsLong() - lastUpdateMs >= REFRESH_MS) {
            update();
        }
    }

    /** Reads the events stored since the last read (all of them the first time) in the background. */
    public void update() {
        DeadLetterReport r = report;
        if (r == null) {
            return;
        }
        if (update != null && update.isRunning()) {
            updateAgain = true;
            return;
        }
        lastUpdateMs = clockMs.getAsLong();
        long gen = generation;
        reading.set(true);
        update = executor.submit("Reading dead letters of " + r.store().file().getFileName(),
                ctx -> {
                    ctx.message("Looking for dead-lettered events in " + r.store().file().getFileName());
                    r.update(ctx::progress, ctx::isCancelled);
                    return r.snapshot();
                },
                snapshot -> {
                    if (gen == generation) {
                        reading.set(false);
                        apply(snapshot);
                        if (updateAgain) {
                            updateAgain = false;
                            update();
                        }
                    }
                },
                error -> {
                    if (gen == generation) {
                        reading.set(false);
                        errors.accept(error);
                    }
                },
                () -> {
                    if (gen == generation) {
                        reading.set(false);
                        updateAgain = false;
                        apply(r.snapshot());   // what was read before Cancel stays listed
                    }
                });
    }

    private void apply(DeadLetterReport.Snapshot s) {
        List<DeadLetterGroupRow> rows = s.groups().stream().map(DeadLetterGroupRow::of).toList();
        DeadLetterReport.GroupKey keep = selectedGroup.get() == null ? null : selectedGroup.get().key();
        if (!rows.equals(groups)) {
            groups.setAll(rows);
        }
        DeadLetterGroupRow again = null;
        for (DeadLetterGroupRow row : rows) {
            if (row.key().equals(keep)) {
                again = row;
                break;
            }
        }
        selectedGroup.set(again != null ? again : rows.isEmpty() ? null : rows.get(0));
        total.set(s.deadLettered());
        loaded.set(true);
        summary.set(summaryOf(s));
    }

    static String summaryOf(DeadLetterReport.Snapshot s) {
        String incomplete = s.complete() ? "" : String.format(Locale.ROOT, " (read %,d of %,d events)",
                s.readThroughSeq(), s.storedEvents());
        if (s.isEmpty()) {
            return "No dead-lettered events" + incomplete;
        }
        int n = s.groups().size();
        return String.format(Locale.ROOT, "%,d dead-lettered %s in %,d %s%s", s.deadLettered(),
                s.deadLettered() == 1 ? "event" : "events", n, n == 1 ? "group" : "groups", incomplete);
    }

    /**
     * Opens a dead-lettered event (a click or Enter on its row): its correlation ID's timeline with the
     * event selected, or, when it has none, the event itself in the details pane.
     */
    public void open(DeadLetterEventRow row) {
        if (row == null) {
            return;
        }
        if (row.correlationId().isEmpty()) {
            eventShower.accept(row.seq());
        } else {
            opener.open(row.correlationId(), row.seq());
        }
    }

    /** Forgets the report and stops a running read (another capture is opened). */
    public void clear() {
        generation++;
        if (update != null) {
            update.cancel();
            update = null;
        }
        updateAgain = false;
        report = null;
        reading.set(false);
        loaded.set(false);
        groups.clear();
        selectedGroup.set(null);
        events.clear();
        total.set(0);
        summary.set("No capture open");
    }

    /** Stops a running read (the window closes). */
    public void dispose() {
        if (update != null) {
            update.cancel();
        }
    }

    /** The groups, most events first. */
    public ObservableList<DeadLetterGroupRow> groups() {
        return groupsView;
    }

    /** The latest events of the selected group, newest first. */
    public ObservableList<DeadLetterEventRow> events() {
        return eventsView;
    }

    /** The selected group (the view binds its table selection here); the first group after a read when none was. */
    public ObjectProperty<DeadLetterGroupRow> selectedGroupProperty() {
        return selectedGroup;
    }

    /** Dead-lettered events found in all. */
    public ReadOnlyLongProperty totalProperty() {
        return total.getReadOnlyProperty();
    }

    /** True while the report is being read. */
    public ReadOnlyBooleanProperty readingProperty() {
        return reading.getReadOnlyProperty();
    }

    /** True once a read of the open capture has landed (the empty message then means "none found"). */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    /** One line: "12 dead-lettered events in 3 groups", "No dead-lettered events", "Reading dead letters …". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
