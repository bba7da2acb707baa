package io.eventlens.app.ui.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.consumers.ConsumerCommit;
import io.eventlens.core.consumers.GroupPoll;
import io.eventlens.core.consumers.PartitionEnd;
import io.eventlens.core.consumers.TimePrecision;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.TestEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Consumers view's view model without a window, on a real capture store, through a direct executor. */
class ConsumersViewModelTest {

    @TempDir
    Path dir;

    private final List<String> opened = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private CaptureStore store;

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    private ConsumersViewModel viewModel() {
        store = CaptureStore.open(dir.resolve("capture"));
        store.append(TestEvents.events("orders", 0, 10), List.of());   // observed T0 + offset ms
        long t0 = TestEvents.T0.toEpochMilli();
        store.appendConsumerProgress(List.of(new ConsumerCommit("audit", "orders", 0, 3, t0 + 5, t0 + 5, TimePrecision.EXACT)),
                List.of(new GroupPoll("audit", t0 + 5, "Stable", 1, "audit-1@host [orders-0]", 2, null)),
                List.of(new PartitionEnd("audit", "orders", 0, 3, 10, t0 + 5)));
        store.appendConsumerProgress(List.of(new ConsumerCommit("billing", "orders", 0, 10, t0 + 20, t0 + 20, TimePrecision.EXACT)),
                List.of(new GroupPoll("audit", t0 + 20, "Empty", 0, "", 7, null),
                        new GroupPoll("billing", t0 + 20, "Stable", 1, "b@host [orders-0]", 0, null)),
                List.of(new PartitionEnd("audit", "orders", 0, 3, 10, t0 + 20), new PartitionEnd("billing", "orders", 0, 10, 10, t0 + 20)));
        return new ConsumersViewModel(() -> store, new DirectTaskExecutor(), errors::add, (id, seq) -> opened.add(id + "#" + seq));
    }

    @Test
    void theGroupsAreListedTroubledFirstWithTheirLagOverTimeAndStateChanges() {
        ConsumersViewModel vm = viewModel();
        vm.show(store);
        assertThat(errors).isEmpty();
        assertThat(vm.groups()).extracting(ConsumersViewModel.GroupRow::group).containsExactly("audit", "billing");
        ConsumersViewModel.GroupRow audit = vm.groups().get(0);
        assertThat(audit.troubled()).isTrue();
        assertThat(audit.summary()).isEqualTo("Empty · 0 members · lag 7 · orders");
        assertThat(audit.lag()).extracting(ConsumersViewModel.LagPoint::lag).containsExactly(2L, 7L);
        assertThat(audit.changes()).extracting(GroupPoll::state).containsExactly("Stable", "Empty");
        assertThat(vm.selectedGroupProperty().get()).isEqualTo(audit);
        assertThat(vm.summaryProperty().get()).isEqualTo("2 consumer groups followed · 1 with no members or rebalancing at the end");
    }

    @Test
    void pickingAPointListsTheEventsThatWereWaitingThenAndOpensOne() {
        ConsumersViewModel vm = viewModel();
        vm.show(store);
        long t0 = TestEvents.T0.toEpochMilli();
        vm.pickPoint(t0 + 6);   // audit had committed 3; events at offsets 3..6 were observed by then
        assertThat(vm.waiting()).extracting(ConsumersViewModel.WaitingEvent::position)
                .containsExactly("p0@3", "p0@4", "p0@5", "p0@6");
        assertThat(vm.waitingTitleProperty().get()).startsWith("4 events waiting for audit at ");
        vm.open(vm.waiting().get(0));
        assertThat(opened).containsExactly("c-0#4");
    }
}
