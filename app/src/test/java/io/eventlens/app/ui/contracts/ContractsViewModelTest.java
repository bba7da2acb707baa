package io.eventlens.app.ui.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.services.ContractAwareAnalyzer;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.ContractChecker;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.contracts.ContractReport;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Contracts view's view model without a window, on a real capture store, through a direct executor. */
class ContractsViewModelTest {

    @TempDir
    Path dir;

    private final List<String> opened = new ArrayList<>();
    private final List<Long> shown = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final List<ContractChecker> loaded = new ArrayList<>();
    private CaptureStore store;

    @AfterEach
    void tearDown() {
        if (store != null) {
            store.close();
        }
    }

    private ContractsViewModel viewModel() {
        store = CaptureStore.open(dir.resolve("capture"));
        store.append(UiTestData.captureWithDeadLetters(), List.of());
        return new ContractsViewModel(() -> store, new DirectTaskExecutor(), errors::add, loaded::add,
                (id, seq) -> opened.add(id + "#" + seq), shown::add);
    }

    private Path contracts() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("contracts"));
        Files.writeString(folder.resolve("order.json"), """
                {"type": "object", "required": ["eventId", "amount"], "properties": {"amount": {"type": "number"}}}""");
        Files.writeString(folder.resolve("eventlens-contracts.yaml"), """
                contracts:
                  - {name: orders/v1, channel: orders, type: OrderPlaced, schema: order.json}
                """);
        return folder;
    }

    @Test
    void checksTheCaptureGroupsByChannelAndTypeAndListsTheFailingEvents() throws Exception {
        ContractsViewModel vm = viewModel();
        vm.load(contracts());

        assertThat(errors).isEmpty();
        assertThat(loaded).hasSize(1);
        assertThat(vm.sourceProperty().get()).endsWith("contracts · 1 contracts");
        // 20 healthy orders without an amount, the troubled order with one, its copy on orders.DLT
        // (checked against orders' contract) and two Spring dead letters without one
        assertThat(vm.groups()).singleElement().satisfies(row -> {
            ContractReport.Group g = row.group();
            assertThat(g.channel()).isEqualTo("orders");
            assertThat(g.type()).isEqualTo("OrderPlaced");
            assertThat(g.contract()).isEqualTo("orders/v1");
            assertThat(g.checked()).isEqualTo(24);
            assertThat(g.failed()).isEqualTo(22);
            assertThat(g.passed()).isEqualTo(2);
            assertThat(row.topViolation()).isEqualTo("/amount: required property missing (22)");
        });
        assertThat(vm.failedProperty().get()).isEqualTo(22);
        assertThat(vm.summaryProperty().get()).startsWith("22 of 24 checked events broke their contract");
        assertThat(vm.selectedGroupProperty().get()).isEqualTo(vm.groups().get(0));
        assertThat(vm.failures()).hasSize(22);
        ContractReport.Failure first = vm.failures().get(0);
        assertThat(first.correlationId()).isEqualTo("c-ok-0");
        assertThat(first.check().summary()).isEqualTo("orders/v1 at /amount: required property missing");
        vm.open(first);
        assertThat(opened).containsExactly("c-ok-0#" + first.seq());
        assertThat(vm.failures()).filteredOn(f -> f.channel().equals("orders.DLT")).hasSize(2);
    }

    @Test
    void theLoadedContractsReachTheAnalyzer() throws Exception {
        ContractsViewModel vm = viewModel();
        ContractAwareAnalyzer analyzer = new ContractAwareAnalyzer(TimelineAnalyzer.withDefaults());
        vm.load(contracts());
        analyzer.use(loaded.get(0));
        Timeline t = analyzer.analyze("c-ok-3", store.findByCorrelationId("c-ok-3"));
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.DEAD_LETTERED);
        assertThat(t.verdict().message()).startsWith("dead-lettered because the payload broke orders/v1 at /amount");
        assertThat(t.has(AnomalyKind.CONTRACT_VIOLATION)).isTrue();
        analyzer.use(null);
        assertThat(analyzer.analyze("c-ok-3", store.findByCorrelationId("c-ok-3")).has(AnomalyKind.CONTRACT_VIOLATION)).isFalse();
    }

    @Test
    void contractsThatCannotBeLoadedAreReportedNamingTheFile() throws Exception {
        ContractsViewModel vm = viewModel();
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("order.json"), "{\"type\": ");
        vm.load(bad);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.getMessage()).contains("order.json:1:"));
        errors.clear();
        assertThat(vm.summaryProperty().get()).startsWith("Contracts not loaded: order.json:1:");
        assertThat(vm.groups()).isEmpty();
        assertThat(loaded).isEmpty();
        assertThat(vm.busyProperty().get()).isFalse();
    }
}
