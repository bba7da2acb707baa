package io.eventlens.app.ui;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.events.EventRow;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.app.ui.timeline.TimelineCanvas;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.layout.TimelineLayout;
import io.eventlens.core.store.CaptureStore;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Headless (Monocle) end-to-end test of the desktop app: open a capture file holding a flow with a
 * duplicate, lag and a dead-lettered event; type its correlation ID in the search; press Enter; see the
 * verdict and the highlighted dead-letter anomaly in the legend and in the marker's tooltip.
 */
@ExtendWith(ApplicationExtension.class)
class EventLensUiTest {

    @TempDir
    static Path dir;

    private MainViewModel vm;
    private MainView view;
    private FxTaskExecutor executor;

    @Start
    void start(Stage stage) {
        executor = new FxTaskExecutor();
        vm = new MainViewModel(DesktopServices.real(), executor, new AppSettings(dir.resolve("settings-" + UUID.randomUUID() + ".json")), dir.resolve("captures"));
        view = new MainView(vm, executor);
        stage.setScene(EventLensApp.createScene(view, vm, 1200, 760));
        stage.show();
    }

    @AfterEach
    void tearDown(FxRobot robot) throws Exception {
        robot.interact(() -> {
            view.dispose();
            vm.dispose();
        });
        executor.close();
    }

    @Test
    void searchingACorrelationIdShowsTheVerdictAndTheHighlightedDeadLetterAnomaly(FxRobot robot) {
        Path file = dir.resolve("troubled-" + UUID.randomUUID() + ".mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(UiTestData.captureWithTroubledFlow(), List.of());
        }

        robot.interact(() -> vm.openCapture(file));
        await().atMost(Duration.ofSeconds(20)).until(() -> vm.table().rows().size() == 45);

        robot.clickOn("#correlationSearch").write(UiTestData.TROUBLED).type(KeyCode.ENTER);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> vm.timeline().verdictKindProperty().get() == VerdictKind.DEAD_LETTERED);
        robot.interact(() -> { });

        Label verdict = robot.lookup("#verdictText").queryAs(Label.class);
        assertThat(verdict.getText()).isEqualTo(vm.timeline().verdictTextProperty().get()).startsWith("dead-lettered on orders.DLT");
        assertThat(robot.lookup("#verdictKind").queryAs(Label.class).getText()).isEqualTo("DEAD LETTERED");
        assertThat(robot.lookup("#verdictBanner").query().getStyleClass()).contains("verdict-danger");
        assertThat(robot.lookup("#legend-DEAD_LETTERED").queryAs(Label.class).getText()).isEqualTo("Dead-lettered");
        assertThat(robot.lookup("#legend-LAG").tryQuery()).isPresent();
        assertThat(robot.lookup("#legend-DUPLICATE").tryQuery()).isPresent();
        assertThat(vm.timeline().entries()).filteredOn(e -> e.has(AnomalyKind.DEAD_LETTERED)).hasSize(1);

        TimelineCanvas canvas = view.timelineView().canvas();
        await().atMost(Duration.ofSeconds(10)).until(() -> !canvas.currentLayout().markers().isEmpty()); // laid out off the FX thread
        robot.interact(() -> { });
        TimelineLayout.Marker dlt = canvas.currentLayout().markers().stream()
                .filter(m -> m.primaryKind() == AnomalyKind.DEAD_LETTERED).findFirst().orElseThrow();
        assertThat(canvas.currentLayout().lanes().get(dlt.lane()).deadLetter()).isTrue();

        Point2D onScreen = canvas.localToScreen(dlt.x(), dlt.y());
        robot.moveTo(onScreen);
        await().atMost(Duration.ofSeconds(10)).until(() -> canvas.hovered() != null);
        assertThat(canvas.hovered().seq()).isEqualTo(dlt.seq());
        String dltMessage = vm.timeline().entries().stream().filter(e -> e.event().seq() == dlt.seq())
                .flatMap(e -> e.anomalies().stream()).filter(a -> a.kind() == AnomalyKind.DEAD_LETTERED)
                .findFirst().orElseThrow().message();
        assertThat(canvas.hoverTooltip().getText()).contains("DEAD_LETTERED: " + dltMessage);

        robot.clickOn(onScreen);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> vm.details().titleProperty().get().endsWith("seq " + dlt.seq()));
        assertThat(vm.details().anomalies()).extracting(a -> a.kind()).containsExactly(AnomalyKind.DEAD_LETTERED);

        assertThat(robot.lookup("#timelineCopyMenu").query().isDisabled()).isFalse();
        robot.interact(() -> Clipboard.getSystemClipboard().clear());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.C).release(KeyCode.C, KeyCode.SHIFT, KeyCode.CONTROL);
        AtomicReference<String> copied = new AtomicReference<>();
        robot.interact(() -> copied.set(Clipboard.getSystemClipboard().getString()));
        assertThat(copied.get()).as("Ctrl+Shift+C copies the timeline as text")
                .startsWith("VERDICT DEAD_LETTERED: dead-lettered on orders.DLT").contains(UiTestData.TROUBLED);
        assertThat(robot.lookup("#statusText").queryAs(Label.class).getText())
                .isEqualTo("Copied timeline of " + UiTestData.TROUBLED + " as text.");
    }

    @Test
    void contractsViewChecksTheCaptureAndAClickOnAFailingEventShowsItsViolationsInTheDetails(FxRobot robot) throws Exception {
        Path file = dir.resolve("contracts-" + UUID.randomUUID() + ".mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(UiTestData.captureWithDeadLetters(), List.of());
        }
        Path contracts = java.nio.file.Files.createDirectories(dir.resolve("contracts-" + UUID.randomUUID()));
        java.nio.file.Files.writeString(contracts.resolve("order.json"), """
                {"title": "OrderPlaced", "type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}}""");
        robot.interact(() -> vm.openCapture(file));
        await().atMost(Duration.ofSeconds(20)).until(() -> vm.table().rows().size() > 40);
        robot.interact(() -> vm.contracts().load(contracts));
        await().atMost(Duration.ofSeconds(20)).until(() -> vm.contracts().failedProperty().get() == 22);
        robot.press(KeyCode.CONTROL, KeyCode.J).release(KeyCode.J, KeyCode.CONTROL);
        robot.interact(() -> { });
        assertThat(view.sideTabs().getSelectionModel().getSelectedItem().getText()).as("Ctrl+J shows the view")
                .isEqualTo("Contracts (22)");
        assertThat(robot.lookup("#contractsSummary").queryAs(Label.class).getText())
                .startsWith("22 of 24 checked events broke their contract");
        assertThat(robot.lookup("#contractGroups .dead-letter-exception").queryAs(Label.class).getText())
                .isEqualTo("orders · OrderPlaced");
        javafx.scene.Node failing = robot.lookup("#contractFailures .dead-letter-id").queryAll().stream()
                .filter(n -> "c-ok-0".equals(((Label) n).getText())).findFirst().orElseThrow();
        robot.clickOn(failing);
        await().atMost(Duration.ofSeconds(20)).until(() -> "c-ok-0".equals(vm.timeline().correlationIdProperty().get())
                && vm.timeline().verdictKindProperty().get() == VerdictKind.CONTRACT_VIOLATION);
        assertThat(vm.timeline().verdictTextProperty().get())
                .isEqualTo("contract violation: OrderPlaced on orders violates order at /amount: required property missing");
        await().atMost(Duration.ofSeconds(10)).until(() -> vm.details().contractProperty().get() != null);
        robot.interact(() -> { });
        assertThat(robot.lookup("#contractDetails").query().isVisible()).isTrue();
        assertThat(robot.lookup("#contractVerdict").queryAs(Label.class).getText()).isEqualTo("Broke order · 1 violation");
        assertThat(robot.lookup("#legend-CONTRACT_VIOLATION").tryQuery()).isPresent();
        robot.clickOn(".contract-pointer");
        robot.interact(() -> { });
        assertThat(robot.lookup("#detailsTabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel()
                .getSelectedIndex()).as("the pointer shows the payload").isEqualTo(2);
        assertThat(robot.lookup("#payloadText").queryAs(javafx.scene.control.TextArea.class).getSelectedText())
                .as("the object that lacks /amount is selected").startsWith("{").endsWith("}");
    }

    @Test
    void deadLettersViewListsTheGroupsAndAClickOnAnEventOpensItsTimelineWhoseDetailsLeadToTheOriginal(FxRobot robot) {
        Path file = dir.resolve("dead-letters-" + UUID.randomUUID() + ".mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(UiTestData.captureWithDeadLetters(), List.of());
        }
        robot.interact(() -> vm.openCapture(file));
        await().atMost(Duration.ofSeconds(20)).until(() -> vm.deadLetters().groups().size() == 2);
        robot.press(KeyCode.CONTROL, KeyCode.D).release(KeyCode.D, KeyCode.CONTROL);
        robot.interact(() -> { });
        assertThat(view.sideTabs().getSelectionModel().getSelectedItem().getText()).as("Ctrl+D shows the view")
                .isEqualTo("Dead letters (3)");
        assertThat(robot.lookup("#deadLetterSummary").queryAs(Label.class).getText())
                .isEqualTo("3 dead-lettered events in 2 groups");
        javafx.scene.control.ListView<?> groups = robot.lookup("#deadLetterGroups").queryAs(javafx.scene.control.ListView.class);
        assertThat(groups.getItems()).hasSize(2);
        assertThat(groups.getSelectionModel().getSelectedIndex()).isZero();
        assertThat(robot.lookup("#deadLetterGroups .dead-letter-count").queryAs(Label.class).getText()).isEqualTo("2");
        assertThat(robot.lookup("#deadLetterGroups .dead-letter-exception").queryAs(Label.class).getText())
                .isEqualTo("InvalidOrderException");
        assertThat(robot.lookup("#deadLetterGroups .dead-letter-reason").queryAs(Label.class).getText())
                .isEqualTo("amount -# must be positive");

        javafx.scene.Node newest = robot.lookup("#deadLetterEvents .dead-letter-id").queryAll().stream()
                .filter(n -> "c-ok-4".equals(((Label) n).getText())).findFirst().orElseThrow();
        assertThat(vm.timeline().correlationIdProperty().get()).as("no timeline before the click").isEmpty();
        robot.clickOn(newest);
        await().atMost(Duration.ofSeconds(20)).until(() -> "c-ok-4".equals(vm.timeline().correlationIdProperty().get())
                && vm.timeline().verdictKindProperty().get() == VerdictKind.DEAD_LETTERED);

        long copy = vm.timeline().entries().stream().filter(e -> e.has(AnomalyKind.DEAD_LETTERED))
                .findFirst().orElseThrow().event().seq();
        long original = vm.timeline().entries().stream().filter(e -> e.event().channel().name().equals("orders"))
                .findFirst().orElseThrow().event().seq();
        await("the clicked dead letter is selected on its timeline").atMost(Duration.ofSeconds(10))
                .until(() -> vm.timeline().selectedProperty().get() != null
                        && vm.timeline().selectedProperty().get().event().seq() == copy);
        await().atMost(Duration.ofSeconds(10)).until(() -> vm.details().deadLetterProperty().get() != null);
        robot.interact(() -> { });
        assertThat(robot.lookup("#deadLetterDetails").query().isVisible()).isTrue();
        assertThat(vm.details().deadLetterProperty().get().fields()).extracting(f -> f.name() + "=" + f.value())
                .contains("Reason=amount -4 must be positive", "Exception=com.shop.InvalidOrderException",
                        "Original=orders · partition 0 · offset 4", "Attempts=3");
        assertThat(vm.details().deadLetterProperty().get().stackTrace()).contains("OrderListener.java:42");
        robot.clickOn("#goToOriginal");
        await().atMost(Duration.ofSeconds(10)).until(() -> vm.timeline().selectedProperty().get() != null
                && vm.timeline().selectedProperty().get().event().seq() == original);
    }

    @Test
    void theErrorDialogCopiesItsDetailsAndHelpAboutShowsTheVersions(FxRobot robot) {
        robot.interact(() -> vm.reportError(new IllegalStateException("the broker at kafka-9:9092 went away")));
        robot.clickOn("Copy details");
        AtomicReference<String> copied = new AtomicReference<>();
        robot.interact(() -> copied.set(Clipboard.getSystemClipboard().getString()));
        assertThat(copied.get()).startsWith("Cannot do that now: the broker at kafka-9:9092 went away")
                .contains("EventLens ").contains("JavaFX ").contains("Kafka clients ")
                .contains("java.lang.IllegalStateException").contains("at io.eventlens");
        assertThat(robot.lookup("Copied").tryQuery()).as("the dialog stays open, the button says so").isPresent();
        robot.clickOn("OK");

        robot.clickOn("#helpMenu").clickOn("About EventLens");
        Label about = robot.lookup("#aboutText").queryAs(Label.class);
        assertThat(about.getText()).contains("JavaFX 21").contains("Java " + Runtime.version().feature())
                .contains("Kafka clients 4").contains("Settings ");
        robot.clickOn("OK");
    }

    @Test
    void clickingAFlowInTheFlowsPanelOpensItsTimelineWithTheDeadLetterVerdict(FxRobot robot) {
        Path file = dir.resolve("flows-" + UUID.randomUUID() + ".mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(UiTestData.captureWithTroubledFlow(), List.of());
        }
        robot.interact(() -> vm.openCapture(file));
        await().atMost(Duration.ofSeconds(20)).until(() -> vm.flows().rows().size() == 1);
        robot.interact(() -> { });

        Label badge = robot.lookup("#flowList .flow-badge").queryAs(Label.class);
        assertThat(badge.getText()).isEqualTo("DEAD LETTERED");
        assertThat(badge.getStyleClass()).contains("verdict-danger");
        assertThat(robot.lookup("#flowList .flow-id").queryAs(Label.class).getText()).isEqualTo(UiTestData.TROUBLED);
        assertThat(robot.lookup("#flowCount-DEAD_LETTERED").queryAs(Label.class).getText()).isEqualTo("1 Dead-lettered");
        assertThat(vm.timeline().correlationIdProperty().get()).as("no timeline before the click").isEmpty();

        robot.clickOn(badge);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> vm.timeline().verdictKindProperty().get() == VerdictKind.DEAD_LETTERED);
        robot.interact(() -> { });

        assertThat(vm.timeline().correlationIdProperty().get()).isEqualTo(UiTestData.TROUBLED);
        assertThat(robot.lookup("#verdictKind").queryAs(Label.class).getText()).isEqualTo("DEAD LETTERED");
        assertThat(robot.lookup("#verdictText").queryAs(Label.class).getText()).startsWith("dead-lettered on orders.DLT");
        assertThat(view.flowsView().list().getSelectionModel().getSelectedItem().correlationId()).isEqualTo(UiTestData.TROUBLED);

        long selectedSeq = vm.timeline().selectedProperty().get().event().seq();
        TableView<EventRow> table = view.tableView().table();
        assertThat(table.getSelectionModel().getSelectedItem()).as("the table selects the timeline's event").isNotNull();
        assertThat(table.getSelectionModel().getSelectedItem().seq()).isEqualTo(selectedSeq);
        await("the table scrolls the selected row into view").atMost(Duration.ofSeconds(10))
                .until(() -> visibleRowOf(robot, table, selectedSeq));
        String detailsTitle = vm.details().titleProperty().get();
        assertThat(detailsTitle).endsWith("seq " + selectedSeq);

        robot.interact(() -> vm.timeline().selectRelative(-4));
        long firstSeq = vm.timeline().entries().get(0).event().seq();
        assertThat(table.getSelectionModel().getSelectedItem().seq()).as("arrow keys in the timeline move the table too")
                .isEqualTo(firstSeq);
        await().atMost(Duration.ofSeconds(10)).until(() -> visibleRowOf(robot, table, firstSeq));

        robot.interact(() -> {
            table.getSelectionModel().clearAndSelect(0);
            table.scrollTo(0);
        });
        assertThat(vm.timeline().selectedProperty().get().event().seq()).as("no ping-pong: the table selection stays the user's")
                .isEqualTo(firstSeq);
        assertThat(table.getSelectionModel().getSelectedIndex()).isZero();
        assertThat(vm.timeline().correlationIdProperty().get()).isEqualTo(UiTestData.TROUBLED);

        robot.clickOn("#showHealthyFlows");
        await().atMost(Duration.ofSeconds(10)).until(() -> vm.flows().rows().size() == 21);
        robot.interact(() -> { });
        assertThat(vm.flows().rows().get(0).correlationId()).isEqualTo(UiTestData.TROUBLED);
        assertThat(view.flowsView().list().getSelectionModel().getSelectedItem().correlationId())
                .as("the shown flow stays selected").isEqualTo(UiTestData.TROUBLED);

        robot.interact(() -> view.flowsView().list().requestFocus());
        robot.type(KeyCode.DOWN);
        String next = vm.flows().rows().get(1).correlationId();
        assertThat(view.flowsView().list().getSelectionModel().getSelectedItem().correlationId()).isEqualTo(next);
        assertThat(vm.timeline().correlationIdProperty().get()).as("arrows only move the selection")
                .isEqualTo(UiTestData.TROUBLED);
        robot.type(KeyCode.ENTER);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> next.equals(vm.timeline().correlationIdProperty().get())
                        && vm.timeline().verdictKindProperty().get() == VerdictKind.HEALTHY);
    }

    /** True when the table shows the row of {@code seq} inside its viewport. */
    /**
     * True when the row of {@code seq} lies between the table's first and last visible cells, read on
     * the FX thread from its {@link javafx.scene.control.skin.VirtualFlow} (not from scene bounds of
     * recycled cells, which race with layout).
     */
    private static boolean visibleRowOf(FxRobot robot, TableView<EventRow> table, long seq) {
        int index = (int) seq - 1;
        java.util.concurrent.atomic.AtomicBoolean visible = new java.util.concurrent.atomic.AtomicBoolean();
        robot.interact(() -> {
            if (table.lookup(".virtual-flow") instanceof javafx.scene.control.skin.VirtualFlow<?> flow) {
                javafx.scene.control.IndexedCell<?> first = flow.getFirstVisibleCell();
                javafx.scene.control.IndexedCell<?> last = flow.getLastVisibleCell();
                visible.set(first != null && last != null && first.getIndex() <= index && index <= last.getIndex());
            }
        });
        return visible.get();
    }

    @Test
    void ctrlFFocusesTheSearchAndDoubleClickOnARowOpensItsTimeline(FxRobot robot) {
        Path file = dir.resolve("rows-" + UUID.randomUUID() + ".mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(UiTestData.captureWithTroubledFlow(), List.of());
        }
        robot.interact(() -> vm.openCapture(file));
        await().atMost(Duration.ofSeconds(20)).until(() -> vm.table().rows().size() == 45);

        robot.clickOn("#eventTable");
        robot.press(KeyCode.CONTROL).type(KeyCode.F).release(KeyCode.CONTROL);
        assertThat(view.tableView().searchField().isFocused()).isTrue();

        robot.interact(() -> view.tableView().table().scrollTo(0));
        javafx.scene.Node firstRow = robot.lookup("#eventTable .table-row-cell").nth(0).query();
        robot.doubleClickOn(firstRow, javafx.scene.input.MouseButton.PRIMARY);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "c-ok-0".equals(vm.timeline().correlationIdProperty().get())
                        && vm.timeline().verdictKindProperty().get() == VerdictKind.HEALTHY);
        assertThat(vm.timeline().entries()).hasSize(2);
    }

    @Test
    void aCiRunShowsItsFailedTestsAndAClickOnOneOpensItsTimeline(FxRobot robot) {
        Path ciRun = Path.of("../core/src/test/resources/artifacts/ci-run").toAbsolutePath().normalize();
        robot.interact(() -> vm.openCiRun(ciRun));
        await().atMost(Duration.ofSeconds(30)).until(() -> vm.ciRun().rows().size() == 6);
        robot.interact(() -> { });

        assertThat(robot.lookup("#sideTabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel()
                .getSelectedItem().getId()).as("the CI run tab is shown").isEqualTo("ciRunTab");
        assertThat(robot.lookup("#ciRunSummary").queryAs(Label.class).getText()).startsWith("6 failed of 9 tests");
        var row = vm.ciRun().rows().stream().filter(r -> r.headline() == io.eventlens.core.analysis.VerdictKind.DEAD_LETTERED)
                .findFirst().orElseThrow();
        javafx.scene.Node cell = robot.lookup("#ciRunList .flow-id").queryAll().stream()
                .filter(n -> ((Label) n).getText().equals(row.test())).findFirst().orElseThrow();
        robot.clickOn(cell);
        await().atMost(Duration.ofSeconds(20)).until(() -> row.firstCorrelationId().equals(vm.timeline().correlationIdProperty().get())
                && !vm.timeline().loadingProperty().get());
        robot.interact(() -> { });
        assertThat(robot.lookup("#verdictKind").queryAs(Label.class).getText()).isEqualTo("DEAD LETTERED");
    }
}
