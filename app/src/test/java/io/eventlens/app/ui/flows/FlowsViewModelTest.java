package io.eventlens.app.ui.flows;

import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.flows.FlowCategory;
import io.eventlens.core.flows.FlowSummary;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.HostileStores;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Flows panel's view model without a window: it lists the flow summaries of a real capture store
 * (written here as a capture's pipeline writes them), a page at a time, through a direct executor.
 */
class FlowsViewModelTest {

    @TempDir
    Path dir;

    private final List<String> opened = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final ReadOnlyStringWrapper shown = new ReadOnlyStringWrapper("");
    private final AtomicLong clockMs = new AtomicLong(1_000_000);
    private final List<CaptureStore> stores = new ArrayList<>();
    private CaptureStore store;
    private FlowsViewModel vm;

    @BeforeEach
    void setUp() {
        store = track(CaptureStore.open(dir.resolve("flows")));
        vm = viewModel(FlowsViewModel.PAGE);
    }

    @AfterEach
    void tearDown() {
        stores.forEach(CaptureStore::close);
        assertThat(errors).as("errors reported").isEmpty();
    }

    private CaptureStore track(CaptureStore s) {
        stores.add(s);
        return s;
    }

    private FlowsViewModel viewModel(int pageSize) {
        return new FlowsViewModel(opened::add, shown.getReadOnlyProperty(), new DirectTaskExecutor(), errors::add,
                pageSize, clockMs::get);
    }

    /** A flow of {@code events} events, the last observed at {@code atMs}, in this category. */
    private static FlowSummary flow(String id, FlowCategory category, int events, long atMs) {
        Instant last = Instant.ofEpochMilli(1_000_000_000L + atMs);
        return new FlowSummary(id, category, category.name().toLowerCase() + " verdict of " + id, events,
                last.minusMillis(events), last, 1, List.of("orders"),
                category == FlowCategory.HEALTHY ? Map.of() : Map.of(AnomalyKind.LAG, 1));
    }

    /** Stores these summaries as a capture's pipeline does. */
    private void write(FlowSummary... flows) {
        store.writeFlowSummaries(Arrays.stream(flows).map(FlowSummary::toRecord).toList(), 0);
    }

    private List<String> listedIds() {
        return vm.rows().stream().map(FlowRow::correlationId).toList();
    }

    @Test
    void listsFlowsMostSevereFirstAndHidesPlainHealthyOnes() {
        write(flow("c-lag", FlowCategory.LAG, 2, 100),
                flow("c-ok", FlowCategory.HEALTHY, 2, 900),
                flow("c-notes", FlowCategory.HEALTHY_WITH_NOTES, 3, 800),
                flow("c-ooo", FlowCategory.OUT_OF_ORDER, 2, 100),
                flow("c-dlt", FlowCategory.DEAD_LETTERED, 5, 50),
                flow("c-conflict", FlowCategory.CONFLICTING_DUPLICATE, 2, 100),
                flow("c-stopped", FlowCategory.STOPPED, 1, 100));

        vm.show(store);

        assertThat(listedIds()).containsExactly("c-dlt", "c-stopped", "c-conflict", "c-ooo", "c-lag", "c-notes");
        FlowRow dlt = vm.rows().get(0);
        assertThat(dlt.category()).isEqualTo(FlowCategory.DEAD_LETTERED);
        assertThat(dlt.eventCount()).isEqualTo(5);
        assertThat(dlt.message()).isEqualTo("dead_lettered verdict of c-dlt");
        assertThat(vm.countsProperty().get())
                .containsEntry(FlowCategory.DEAD_LETTERED, 1L)
                .containsEntry(FlowCategory.HEALTHY_WITH_NOTES, 1L)
                .containsEntry(FlowCategory.HEALTHY, 1L)
                .containsEntry(FlowCategory.NO_EVENTS, 0L);
        assertThat(vm.moreAvailableProperty().get()).isFalse();
    }

    @Test
    void withinOneVerdictTheMostRecentlyObservedFlowComesFirst() {
        write(flow("c-old", FlowCategory.LAG, 2, 1_000), flow("c-new", FlowCategory.LAG, 2, 9_000),
                flow("c-mid", FlowCategory.LAG, 2, 5_000));

        vm.show(store);

        assertThat(listedIds()).containsExactly("c-new", "c-mid", "c-old");
    }

    @Test
    void theHealthyToggleListsPlainHealthyFlowsLastAndHidesThemAgain() {
        write(flow("c-ok", FlowCategory.HEALTHY, 2, 100), flow("c-lag", FlowCategory.LAG, 2, 50));
        vm.show(store);
        assertThat(listedIds()).containsExactly("c-lag");

        vm.showHealthyProperty().set(true);
        assertThat(listedIds()).containsExactly("c-lag", "c-ok");
        assertThat(vm.rows().get(1).category()).isEqualTo(FlowCategory.HEALTHY);

        vm.showHealthyProperty().set(false);
        assertThat(listedIds()).containsExactly("c-lag");
    }

    @Test
    void everyFlowThatWentWrongIsListedAPageAtATimeWhileTheCountsCoverEveryFlow() {
        vm = viewModel(3);
        List<FlowSummary> flows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            flows.add(flow("c-lag-" + i, FlowCategory.LAG, 2, i * 10L));
        }
        flows.add(flow("c-dlt", FlowCategory.DEAD_LETTERED, 2, 0));
        flows.add(flow("c-ok", FlowCategory.HEALTHY, 2, 0));
        write(flows.toArray(FlowSummary[]::new));

        vm.show(store);
        assertThat(listedIds()).containsExactly("c-dlt", "c-lag-6", "c-lag-5");
        assertThat(vm.moreAvailableProperty().get()).isTrue();
        assertThat(vm.countsProperty().get()).containsEntry(FlowCategory.LAG, 7L).containsEntry(FlowCategory.DEAD_LETTERED, 1L);

        vm.showMore();
        vm.showMore();

        assertThat(listedIds()).containsExactly("c-dlt", "c-lag-6", "c-lag-5", "c-lag-4", "c-lag-3", "c-lag-2",
                "c-lag-1", "c-lag-0");
        assertThat(vm.moreAvailableProperty().get()).isFalse();
    }

    @Test
    void aRefreshRereadsEveryListedPageWithOneListChange() {
        vm = viewModel(2);
        write(flow("c-1", FlowCategory.HEALTHY_WITH_NOTES, 2, 100), flow("c-2", FlowCategory.LAG, 2, 100),
                flow("c-4", FlowCategory.LAG, 2, 50));
        vm.show(store);
        vm.showMore();
        assertThat(listedIds()).containsExactly("c-2", "c-4", "c-1");
        List<ListChangeListener.Change<? extends FlowRow>> changes = new ArrayList<>();
        vm.rows().addListener((ListChangeListener<FlowRow>) changes::add);

        write(flow("c-1", FlowCategory.DEAD_LETTERED, 3, 200), flow("c-3", FlowCategory.OUT_OF_ORDER, 2, 100));
        vm.refresh();

        assertThat(changes).as("list changes per refresh").hasSize(1);
        assertThat(listedIds()).containsExactly("c-1", "c-3", "c-2");
        assertThat(vm.rows().get(0).eventCount()).isEqualTo(3);
        assertThat(vm.countsProperty().get()).containsEntry(FlowCategory.HEALTHY_WITH_NOTES, 0L)
                .containsEntry(FlowCategory.DEAD_LETTERED, 1L).containsEntry(FlowCategory.LAG, 2L);
        assertThat(vm.moreAvailableProperty().get()).isTrue();
    }

    @Test
    void aPulseRereadsTheSummariesWhenACaptureStoredEventsAtMostOnceASecond() {
        write(flow("c-1", FlowCategory.LAG, 2, 100));
        vm.show(store);
        write(flow("c-2", FlowCategory.DEAD_LETTERED, 2, 100));

        vm.pulse(false);
        assertThat(listedIds()).as("nothing was captured").containsExactly("c-1");

        vm.pulse(true);
        assertThat(listedIds()).containsExactly("c-2", "c-1");

        write(flow("c-3", FlowCategory.DEAD_LETTERED, 2, 300));
        clockMs.addAndGet(FlowsViewModel.REFRESH_MS - 1);
        vm.pulse(true);
        assertThat(listedIds()).as("within a second of the last read").containsExactly("c-2", "c-1");

        clockMs.addAndGet(1);
        vm.pulse(true);
        assertThat(listedIds()).containsExactly("c-3", "c-2", "c-1");
    }

    @Test
    void aCaptureOpenedForReadingWithoutSummariesGetsEveryFlowAnalyzedWithoutWritingIt() {
        Path file = dir.resolve("old.mv.db");
        try (CaptureStore s = CaptureStore.open(file)) {
            s.append(UiTestData.captureWithTroubledFlow(), List.of());   // no pipeline: no summaries
        }
        String before = HostileStores.sha256(file);
        CaptureStore readOnly = track(CaptureStore.openReadOnly(file));

        vm.show(readOnly);

        assertThat(listedIds()).containsExactly(UiTestData.TROUBLED);
        assertThat(vm.rows().get(0).category()).isEqualTo(FlowCategory.DEAD_LETTERED);
        assertThat(vm.countsProperty().get()).containsEntry(FlowCategory.HEALTHY, 20L);
        assertThat(vm.analyzingProperty().get()).isFalse();
        readOnly.close();
        stores.remove(readOnly);
        assertThat(HostileStores.sha256(file)).as("SHA-256 of the capture").isEqualTo(before);
    }

    @Test
    void anEmptyListSaysWhetherFlowsAreStillToComeOrAllAnalyzedFlowsAreHealthy() {
        assertThat(vm.emptyListTextProperty().get()).as("nothing shown").startsWith("No findings yet.");

        write(flow("c-1", FlowCategory.HEALTHY, 3, 100), flow("c-2", FlowCategory.HEALTHY, 4, 200));
        vm.show(store);

        assertThat(vm.rows()).isEmpty();
        assertThat(vm.emptyListTextProperty().get())
                .isEqualTo("No findings in the 2 flows analyzed: every one is healthy. Tick \"Show healthy flows too\" to list them.");
        assertThat(FlowsViewModel.emptyListText(java.util.Map.of(FlowCategory.HEALTHY, 250_000L), false))
                .startsWith("No findings in the 250,000 flows analyzed");
        assertThat(FlowsViewModel.emptyListText(java.util.Map.of(FlowCategory.HEALTHY, 1L), false))
                .startsWith("No findings in the 1 flow analyzed: it is healthy.");
        assertThat(FlowsViewModel.emptyListText(java.util.Map.of(FlowCategory.HEALTHY, 5L), true))
                .as("while flows are still analyzed").startsWith("No findings yet.");
    }

    @Test
    void openingARowOpensItsCorrelationId() {
        write(flow("c-lag", FlowCategory.LAG, 2, 100));
        vm.show(store);

        vm.open(vm.rows().get(0));

        assertThat(opened).containsExactly("c-lag");
    }

    @Test
    void armedAutoOpenOpensTheFirstDeadLetteredFlowOnceItAppears() {
        vm.openFirstDeadLetterWhenSeen();
        write(flow("c-lag", FlowCategory.LAG, 2, 100));
        vm.show(store);
        assertThat(opened).isEmpty();

        write(flow("c-dlt", FlowCategory.DEAD_LETTERED, 2, 100));
        vm.refresh();
        assertThat(opened).containsExactly("c-dlt");
        assertThat(vm.autoOpenArmed()).isFalse();

        write(flow("c-dlt-2", FlowCategory.DEAD_LETTERED, 2, 200));
        vm.refresh();
        assertThat(opened).as("only the first one").containsExactly("c-dlt");
    }

    @Test
    void autoOpenDoesNothingOnceTheUserHasOpenedATimeline() {
        vm.openFirstDeadLetterWhenSeen();
        shown.set("c-chosen-by-user");
        write(flow("c-dlt", FlowCategory.DEAD_LETTERED, 2, 100));

        vm.show(store);

        assertThat(opened).isEmpty();
        assertThat(vm.autoOpenArmed()).isFalse();
    }

    @Test
    void clearingForgetsEveryFlow() {
        write(flow("c-lag", FlowCategory.LAG, 2, 100));
        vm.show(store);

        vm.clear();

        assertThat(vm.rows()).isEmpty();
        assertThat(vm.countsProperty().get().values()).containsOnly(0L);
        vm.pulse(true);
        assertThat(vm.rows()).as("after a pulse").isEmpty();
    }

    @Test
    void thePageSizeIsValidatedWhenBuilt() {
        assertThatThrownBy(() -> viewModel(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pageSize");
    }
}
