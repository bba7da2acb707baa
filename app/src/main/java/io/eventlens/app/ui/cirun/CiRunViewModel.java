package io.eventlens.app.ui.cirun;

import io.eventlens.core.triage.TestTriage;
import io.eventlens.core.triage.TriageReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * View model of the *CI run* view: the failed tests of the CI run opened last (Open CI run…), each
 * beside the verdict of its worst timeline, in the triage's order (worst verdict first; tests without
 * a correlation ID last), and a summary line (tests, failures, how IDs were found, how much of the run
 * the artifacts cover, problems). Opening a row opens its first correlation ID's timeline.
 * FX thread only; the import and the triage run in {@code MainViewModel#openCiRun}.
 */
public final class CiRunViewModel {

    private final Consumer<String> openTimeline;
    private final ObservableList<CiTestRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper(this, "source", "");
    private final ReadOnlyBooleanWrapper loaded = new ReadOnlyBooleanWrapper(this, "loaded");

    /** @param openTimeline opens a correlation ID's timeline */
    public CiRunViewModel(Consumer<String> openTimeline) {
        this.openTimeline = Objects.requireNonNull(openTimeline, "openTimeline");
    }

    /** Shows the triage of a CI run. */
    public void show(TriageReport r) {
        Objects.requireNonNull(r, "report");
        List<CiTestRow> out = new ArrayList<>(r.failed().size());
        for (TestTriage t : r.failed()) {
            out.add(CiTestRow.of(t));
        }
        rows.setAll(out);
        source.set(String.join(", ", r.sources()));
        summary.set(summaryOf(r));
        loaded.set(true);
    }

    /** The summary line of a report: tests, failures, matching, coverage, problems. */
    static String summaryOf(TriageReport r) {
        long named = r.failed().stream().filter(t -> t.match() == TestTriage.Match.NAMED).count();
        long window = r.failed().stream().filter(t -> t.match() == TestTriage.Match.TIME_WINDOW).count();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%,d failed of %,d tests", r.failed().size(), r.testCount()));
        if (!r.failed().isEmpty()) {
            b.append(String.format(Locale.ROOT, " · %d by correlation ID, %d by time window", named, window));
        }
        b.append(String.format(Locale.ROOT, " · %,d events", r.events()));
        if (r.coverage() >= 0) {
            b.append(String.format(Locale.ROOT, " · artifacts cover %.0f%% of the run", r.coverage() * 100));
        }
        if (r.problemCount() > 0) {
            b.append(String.format(Locale.ROOT, " · %,d damaged record%s skipped", r.problemCount(), r.problemCount() == 1 ? "" : "s"));
        }
        return b.toString();
    }

    /** Opens the row's first correlation ID's timeline; nothing for a test without one. */
    public void open(CiTestRow row) {
        if (row != null && row.firstCorrelationId() != null) {
            openTimeline.accept(row.firstCorrelationId());
        }
    }

    /** Forgets the CI run (another capture was opened). */
    public void clear() {
        rows.clear();
        summary.set("");
        source.set("");
        loaded.set(false);
    }

    /** The failed tests, worst verdict first. */
    public ObservableList<CiTestRow> rows() {
        return rows;
    }

    /** The summary line, or "" before a CI run was opened. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** What was imported (folders, zips, files), or "". */
    public ReadOnlyStringProperty sourceProperty() {
        return source.getReadOnlyProperty();
    }

    /** True once a CI run is shown. */
    public ReadOnlyBooleanProperty loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

}
