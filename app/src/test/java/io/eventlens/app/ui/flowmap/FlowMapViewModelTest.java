package io.eventlens.app.ui.flowmap;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.app.ui.FlowMapScreenshotTool;
import io.eventlens.app.ui.flows.FlowRow;
import io.eventlens.app.ui.flows.FlowsViewModel;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.flowmodel.FlowFile;
import io.eventlens.core.flowmodel.FlowJudge;
import io.eventlens.core.flowmodel.FlowModel;
import io.eventlens.core.flowmodel.Step;
import io.eventlens.core.flows.FlowCategory;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Flow map's view model without a window (issue 9): a capture file opened for reading is learned
 * from, the family's map shows the usual path, the shown flow's path, where it left the usual path and
 * the step it never got; the learned model saves as a flow file that reads back; a flow file's
 * problems are listed by line; and the Flows panel lists the STOPPED and MISSING_STEP flows among the
 * worst with the counts moved.
 */
class FlowMapViewModelTest {

    @TempDir
    Path dir;

    private final List<Throwable> errors = new ArrayList<>();
    private final List<FlowModel> models = new ArrayList<>();
    private final List<String> statuses = new ArrayList<>();
    private CaptureStore store;
    private FlowMapViewModel vm;

    @BeforeEach
    void setUp() {
        Path file = dir.resolve("checkout.mv.db");
        FlowMapScreenshotTool.writeCapture(file);
        store = CaptureStore.openReadOnly(file);
        vm = new FlowMapViewModel(new DirectTaskExecutor(), errors::add, models::add, statuses::add);
    }

    @AfterEach
    void tearDown() {
        store.close();
        assertThat(errors).as("errors reported").isEmpty();
    }

    private Timeline judged(String id) {
        Timeline t = TimelineAnalyzer.withDefaults().analyze(id, store.findByCorrelationId(id));
        return new FlowJudge(vm.modelProperty().get()).apply(t);
    }

    @Test
    void anOpenedCaptureIsLearnedAndItsFamiliesListed() {
        vm.show(store);
        assertThat(vm.modelProperty().get()).isNotNull();
        assertThat(models).last().isSameAs(vm.modelProperty().get());
        // the flow whose OrderPlaced is the capture's last event may still be running: not learned from
        assertThat(vm.families()).extracting(FlowMapViewModel.FamilyItem::label)
                .containsExactly("OrderPlaced on orders · 160 flows", "RefundRequested on refunds · 30 flows");
        assertThat(vm.summaryProperty().get()).isEqualTo("191 flows, 2 families learned (0 with too few flows); 7 stopped,"
                + " 1 with a missing step");
        FlowMapLayout map = vm.layoutProperty().get();
        assertThat(map.nodes()).extracting(n -> n.step().type())
                .contains("OrderPlaced", "PaymentAuthorized", "FraudChecked", "InventoryReserved", "OrderShipped");
        assertThat(map.nodes()).filteredOn(FlowMapLayout.Node::usual).extracting(n -> n.step().type())
                .containsExactly("OrderPlaced", "PaymentAuthorized", "InventoryReserved", "OrderShipped");
        assertThat(map.edges()).anySatisfy(e -> {
            assertThat(e.from().type()).isEqualTo("OrderPlaced");
            assertThat(e.count()).isEqualTo(160);
            assertThat(e.usual()).isTrue();
            assertThat(e.label()).startsWith("160×  ");
        });
    }

    @Test
    void theShownFlowIsHighlightedWithWhereItStoppedAndWhereItLeftTheUsualPath() {
        vm.show(store);
        vm.shownFlowProperty().set(judged("order-1030"));
        FlowMapLayout stopped = vm.layoutProperty().get();
        assertThat(stopped.nodes()).filteredOn(FlowMapLayout.Node::onFlow).extracting(n -> n.step().type())
                .containsExactly("OrderPlaced", "PaymentAuthorized");
        assertThat(stopped.nodes()).filteredOn(n -> n.missing() == ExpectedStep.Kind.STOPPED)
                .extracting(n -> n.step().type()).containsExactly("InventoryReserved");
        assertThat(stopped.edges()).filteredOn(e -> e.expected() == ExpectedStep.Kind.STOPPED).singleElement()
                .satisfies(e -> assertThat(e.label()).isEqualTo("stopped here: never came"));

        vm.shownFlowProperty().set(judged("order-1051"));
        FlowMapLayout skipped = vm.layoutProperty().get();
        assertThat(skipped.edges()).filteredOn(FlowMapLayout.Edge::leftUsual).singleElement().satisfies(e -> {
            assertThat(e.from()).isEqualTo(new Step("PaymentAuthorized", "payments"));
            assertThat(e.to()).isEqualTo(new Step("OrderShipped", "shipping"));
            assertThat(e.arc()).isTrue();
        });
        assertThat(skipped.edges()).anySatisfy(e -> assertThat(e.expected()).isEqualTo(ExpectedStep.Kind.MISSING_STEP));
        // a flow of another family selects that family
        vm.shownFlowProperty().set(judged("refund-510"));
        assertThat(vm.selectedFamilyProperty().get().start()).isEqualTo(new Step("RefundRequested", "refunds"));
    }

    @Test
    void theLearnedModelSavesAsAFlowFileAndAFlowFileIsLoadedWithItsProblems() throws Exception {
        vm.show(store);
        Path saved = dir.resolve("learned.flows.yaml");
        vm.saveFlowFile(saved);
        FlowFile back = FlowFile.read(saved);
        assertThat(back.problems()).isEmpty();
        assertThat(back.flows()).extracting(f -> f.start().label())
                .containsExactly("OrderPlaced on orders", "RefundRequested on refunds");
        assertThat(statuses).last().asString().startsWith("Saved the learned flows to ");

        Path declared = dir.resolve("declared.yaml");
        Files.writeString(declared, """
                flows:
                  - name: checkout
                    steps:
                      - {type: OrderPlaced, channel: orders}
                      - {type: PaymentAuthorized, channel: payments}
                      - {type: FraudChecked, channel: fraud, optional: true}
                      - {type: OrderShipped, channel: shipping, terminal: true, timeout: 5m}
                  - name: broken
                    steps:
                      - {type: X, channel: x, timeout: later}
                """);
        vm.loadFlowFile(declared);
        assertThat(vm.flowFileProblems()).singleElement().asString()
                .startsWith("declared.yaml:10: flows[1].steps[0].timeout: 'later' is not a duration");
        assertThat(vm.flowFileNameProperty().get()).isEqualTo("declared.yaml");
        FlowModel m = vm.modelProperty().get();
        assertThat(m.declared()).containsKey(new Step("OrderPlaced", "orders"));
        // declared: InventoryReserved is not a step of checkout, and OrderShipped may take 5 minutes
        assertThat(m.verdicts()).extracting(v -> v.kind()).containsOnly(VerdictKind.IN_FLIGHT);
        assertThat(vm.families()).first().extracting(FlowMapViewModel.FamilyItem::label).asString().endsWith(" · declared");
        vm.selectedFamilyProperty().set(vm.families().get(0));
        assertThat(vm.declaredTextProperty().get()).isEqualTo("Declared by checkout (declared.yaml line 2): OrderPlaced"
                + " → PaymentAuthorized → FraudChecked? → OrderShipped (timeout 5 min 0 s) ■");
    }

    @Test
    void otherCapturesOfTheSameSystemAddFlowsToLearnFrom() {
        Path other = dir.resolve("other.mv.db");
        FlowMapScreenshotTool.writeCapture(other);
        vm.show(store);
        vm.setLearnFrom(List.of(other));
        assertThat(vm.families()).first().extracting(FlowMapViewModel.FamilyItem::label)
                .isEqualTo("OrderPlaced on orders · 320 flows");
        assertThat(vm.summaryProperty().get()).contains(", also from 1 other capture;").endsWith("7 stopped, 1 with a missing step");
        assertThat(vm.modelProperty().get().flowCount()).isEqualTo(191);
    }

    @Test
    void aDeclaredFlowWithParallelBranchesReadsInOneLine() {
        String yaml = """
                version: 1
                # checkout
                flows:
                  - name: checkout
                    steps:
                      - {type: OrderPlaced, channel: orders}
                      - {type: PaymentAuthorized, channel: payments, timeout: 2s}
                      - parallel:
                          - [{type: FraudCleared, channel: fraud}]
                          - [{type: EmailQueued, channel: email, optional: true}]
                      - {type: OrderShipped, channel: shipping, terminal: true}
                """;
        FlowFile f = FlowFile.parse(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), "flows.yaml", false);
        assertThat(FlowMapViewModel.describe(f.flows().get(0))).isEqualTo("Declared by checkout (flows.yaml line 4):"
                + " OrderPlaced → PaymentAuthorized (timeout 2 s) → [FraudCleared | EmailQueued?] → OrderShipped ■");
    }

    @Test
    void theFlowsPanelListsStoppedAndMissingStepFlowsAmongTheWorst() {
        vm.show(store);
        FlowsViewModel flows = new FlowsViewModel(id -> { }, new ReadOnlyStringWrapper("").getReadOnlyProperty(),
                new DirectTaskExecutor(), errors::add);
        flows.show(store);
        flows.showExpected(vm.modelProperty().get().verdicts());
        assertThat(flows.rows()).filteredOn(r -> r.category() == FlowCategory.STOPPED).hasSize(7);
        assertThat(flows.rows()).filteredOn(r -> r.category() == FlowCategory.MISSING_STEP).extracting(FlowRow::correlationId)
                .containsExactly("order-1051");
        assertThat(flows.rows().get(0).category()).isEqualTo(FlowCategory.STOPPED);
        assertThat(flows.countsProperty().get().get(FlowCategory.STOPPED)).isEqualTo(7);
        assertThat(flows.countsProperty().get().get(FlowCategory.MISSING_STEP)).isEqualTo(1);
        assertThat(flows.countsProperty().get().get(FlowCategory.HEALTHY)).isEqualTo(191 - 8);
    }
}
