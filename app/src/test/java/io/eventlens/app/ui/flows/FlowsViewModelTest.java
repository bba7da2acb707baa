package io.eventlens.app.ui.flows;

import io.eventlens.app.ui.UiTestData;
import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.Verdict;
import io.eventlens.core.analysis.VerdictKind;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Flows panel's view model without a window: fed analyzed timelines as MainViewModel does. */
class FlowsViewModelTest {

    private final List<String> opened = new ArrayList<>();
    private final ReadOnlyStringWrapper shown = new ReadOnlyStringWrapper("");
    private final FlowsViewModel vm = new FlowsViewModel(opened::add, shown.getReadOnlyProperty());

    /** A timeline of {@code events} events, the last observed at {@code atMs}, with this verdict. */
    private static Timeline timeline(String id, VerdictKind kind, int events, long atMs, AnomalyKind... anomalies) {
        List<TimelineEntry> entries = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            List<Anomaly> found = new ArrayList<>();
            if (i == events - 1) {
                for (AnomalyKind a : anomalies) {
                    found.add(new Anomaly(a, a.name().toLowerCase() + " here", "test rule", Map.of(), 0));
                }
            }
            entries.add(new TimelineEntry(UiTestData.event("orders", 0, i, atMs - (events - 1 - i), id,
                    id + "-e" + i, "OrderPlaced", ""), found));
        }
        return new Timeline(id, entries, new Verdict(kind, kind.name().toLowerCase() + " verdict of " + id, 0));
    }

    private List<String> listedIds() {
        return vm.rows().stream().map(FlowRow::correlationId).toList();
    }

    @Test
    void listsFlowsMostSevereFirstAndHidesPlainHealthyOnes() {
        vm.update(List.of(
                timeline("c-lag", VerdictKind.LAG, 2, 100, AnomalyKind.LAG),
                timeline("c-ok", VerdictKind.HEALTHY, 2, 900),
                timeline("c-notes", VerdictKind.HEALTHY, 3, 800, AnomalyKind.DUPLICATE),
                timeline("c-ooo", VerdictKind.OUT_OF_ORDER, 2, 100, AnomalyKind.OUT_OF_ORDER),
                timeline("c-dlt", VerdictKind.DEAD_LETTERED, 5, 50, AnomalyKind.DEAD_LETTERED),
                timeline("c-conflict", VerdictKind.CONFLICTING_DUPLICATE, 2, 100, AnomalyKind.CONFLICTING_DUPLICATE),
                timeline("c-stopped", VerdictKind.STOPPED, 1, 100, AnomalyKind.MISSING_STEP)));

        assertThat(listedIds()).containsExactly("c-dlt", "c-stopped", "c-conflict", "c-ooo", "c-lag", "c-notes");
        FlowRow dlt = vm.rows().get(0);
        assertThat(dlt.category()).isEqualTo(FlowCategory.DEAD_LETTERED);
        assertThat(dlt.eventCount()).isEqualTo(5);
        assertThat(dlt.message()).isEqualTo("dead_lettered verdict of c-dlt");
        assertThat(vm.rows().get(5).category()).isEqualTo(FlowCategory.HEALTHY_WITH_NOTES);
        assertThat(vm.countsProperty().get())
                .containsEntry(FlowCategory.DEAD_LETTERED, 1)
                .containsEntry(FlowCategory.HEALTHY_WITH_NOTES, 1)
                .containsEntry(FlowCategory.HEALTHY, 1)
                .containsEntry(FlowCategory.NO_EVENTS, 0);
    }

    @Test
    void withinOneVerdictTheMostRecentlyObservedFlowComesFirst() {
        vm.update(List.of(
                timeline("c-old", VerdictKind.LAG, 2, 1_000, AnomalyKind.LAG),
                timeline("c-new", VerdictKind.LAG, 2, 9_000, AnomalyKind.LAG),
                timeline("c-mid", VerdictKind.LAG, 2, 5_000, AnomalyKind.LAG)));

        assertThat(listedIds()).containsExactly("c-new", "c-mid", "c-old");
    }

    @Test
    void theHealthyToggleListsPlainHealthyFlowsLastAndHidesThemAgain() {
        vm.update(List.of(timeline("c-ok", VerdictKind.HEALTHY, 2, 100),
                timeline("c-lag", VerdictKind.LAG, 2, 50, AnomalyKind.LAG)));
        assertThat(listedIds()).containsExactly("c-lag");

        vm.showHealthyProperty().set(true);
        assertThat(listedIds()).containsExactly("c-lag", "c-ok");
        assertThat(vm.rows().get(1).category()).isEqualTo(FlowCategory.HEALTHY);

        vm.showHealthyProperty().set(false);
        assertThat(listedIds()).containsExactly("c-lag");
    }

    @Test
    void theListIsBoundedToTheMostSevereRowsWhileTheCountsCoverEveryFlow() {
        FlowsViewModel small = new FlowsViewModel(opened::add, shown.getReadOnlyProperty(), 3, 10);
        List<Timeline> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(timeline("c-lag-" + i, VerdictKind.LAG, 2, i * 10L, AnomalyKind.LAG));
        }
        batch.add(timeline("c-dlt", VerdictKind.DEAD_LETTERED, 2, 0, AnomalyKind.DEAD_LETTERED));
        small.update(batch);

        assertThat(small.rows()).extracting(FlowRow::correlationId).containsExactly("c-dlt", "c-lag-4", "c-lag-3");
        assertThat(small.countsProperty().get()).containsEntry(FlowCategory.LAG, 5).containsEntry(FlowCategory.DEAD_LETTERED, 1);
    }

    @Test
    void rememberedFlowsAreBoundedForgettingHealthyOnesBeforeFindings() {
        FlowsViewModel small = new FlowsViewModel(opened::add, shown.getReadOnlyProperty(), 2, 4);
        small.update(List.of(timeline("c-dlt", VerdictKind.DEAD_LETTERED, 2, 0, AnomalyKind.DEAD_LETTERED),
                timeline("c-ok-1", VerdictKind.HEALTHY, 2, 10), timeline("c-ok-2", VerdictKind.HEALTHY, 2, 20)));
        small.update(List.of(timeline("c-lag", VerdictKind.LAG, 2, 30, AnomalyKind.LAG),
                timeline("c-ok-3", VerdictKind.HEALTHY, 2, 40), timeline("c-ok-4", VerdictKind.HEALTHY, 2, 50)));

        assertThat(small.trackedCount()).isEqualTo(4);
        assertThat(small.trackedRows()).extracting(FlowRow::correlationId).containsExactly("c-dlt", "c-lag", "c-ok-3", "c-ok-4");
        assertThat(small.countsProperty().get()).containsEntry(FlowCategory.HEALTHY, 2).containsEntry(FlowCategory.LAG, 1);
    }

    @Test
    void aReAnalysisReplacesTheFlowsEarlierVerdictWithOneListChange() {
        vm.update(List.of(timeline("c-1", VerdictKind.HEALTHY, 2, 100, AnomalyKind.DUPLICATE),
                timeline("c-2", VerdictKind.LAG, 2, 100, AnomalyKind.LAG)));
        assertThat(listedIds()).containsExactly("c-2", "c-1");
        List<ListChangeListener.Change<? extends FlowRow>> changes = new ArrayList<>();
        vm.rows().addListener((ListChangeListener<FlowRow>) changes::add);

        vm.update(List.of(timeline("c-1", VerdictKind.DEAD_LETTERED, 3, 200, AnomalyKind.DEAD_LETTERED),
                timeline("c-3", VerdictKind.OUT_OF_ORDER, 2, 100, AnomalyKind.OUT_OF_ORDER)));

        assertThat(changes).as("list changes per update").hasSize(1);
        assertThat(listedIds()).containsExactly("c-1", "c-3", "c-2");
        assertThat(vm.rows().get(0).eventCount()).isEqualTo(3);
        assertThat(vm.countsProperty().get()).containsEntry(FlowCategory.HEALTHY_WITH_NOTES, 0)
                .containsEntry(FlowCategory.DEAD_LETTERED, 1);
        assertThat(vm.trackedCount()).isEqualTo(3);
    }

    @Test
    void aReAnalysisToHealthyDropsTheFlowFromTheList() {
        vm.update(List.of(timeline("c-1", VerdictKind.LAG, 2, 100, AnomalyKind.LAG)));
        vm.update(List.of(timeline("c-1", VerdictKind.HEALTHY, 2, 100)));

        assertThat(vm.rows()).isEmpty();
        assertThat(vm.countsProperty().get()).containsEntry(FlowCategory.LAG, 0).containsEntry(FlowCategory.HEALTHY, 1);
    }

    @Test
    void openingARowOpensItsCorrelationId() {
        vm.update(List.of(timeline("c-lag", VerdictKind.LAG, 2, 100, AnomalyKind.LAG)));

        vm.open(vm.rows().get(0));

        assertThat(opened).containsExactly("c-lag");
    }

    @Test
    void armedAutoOpenOpensTheFirstDeadLetteredFlowOnceItAppears() {
        vm.openFirstDeadLetterWhenSeen();
        vm.update(List.of(timeline("c-lag", VerdictKind.LAG, 2, 100, AnomalyKind.LAG)));
        assertThat(opened).isEmpty();

        vm.update(List.of(timeline("c-dlt", VerdictKind.DEAD_LETTERED, 2, 100, AnomalyKind.DEAD_LETTERED)));
        assertThat(opened).containsExactly("c-dlt");
        assertThat(vm.autoOpenArmed()).isFalse();

        vm.update(List.of(timeline("c-dlt-2", VerdictKind.DEAD_LETTERED, 2, 200, AnomalyKind.DEAD_LETTERED)));
        assertThat(opened).as("only the first one").containsExactly("c-dlt");
    }

    @Test
    void autoOpenDoesNothingOnceTheUserHasOpenedATimeline() {
        vm.openFirstDeadLetterWhenSeen();
        shown.set("c-chosen-by-user");

        vm.update(List.of(timeline("c-dlt", VerdictKind.DEAD_LETTERED, 2, 100, AnomalyKind.DEAD_LETTERED)));

        assertThat(opened).isEmpty();
        assertThat(vm.autoOpenArmed()).isFalse();
    }

    @Test
    void clearingForgetsEveryFlow() {
        vm.update(List.of(timeline("c-lag", VerdictKind.LAG, 2, 100, AnomalyKind.LAG)));

        vm.clear();

        assertThat(vm.rows()).isEmpty();
        assertThat(vm.trackedCount()).isZero();
        assertThat(vm.countsProperty().get().values()).containsOnly(0);
    }

    @Test
    void limitsAreValidatedWhenBuilt() {
        assertThatThrownBy(() -> new FlowsViewModel(opened::add, shown.getReadOnlyProperty(), 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trackedLimit");
    }
}
