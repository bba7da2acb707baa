package io.eventlens.app.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventlens.app.ui.flowmap.FlowMapLayout;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.app.ui.timeline.TimelineCanvas;
import io.eventlens.core.analysis.ExpectedStep;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.flows.FlowCategory;
import io.eventlens.core.layout.TimelineLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import io.eventlens.app.DesktopServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Headless (Monocle) end-to-end test of expected flows in the desktop app (issue 9): opening a capture
 * learns its flows in the background; the Flows panel lists the STOPPED flows among the worst; a
 * stopped flow's timeline has a hollow marker in the expected step's lane whose tooltip is the
 * evidence; Ctrl+M shows the Flow map of its family with the step that never came.
 */
@ExtendWith(ApplicationExtension.class)
class ExpectedFlowsUiTest {

    @TempDir
    static Path dir;

    private MainViewModel vm;
    private MainView view;
    private FxTaskExecutor executor;

    @Start
    void start(Stage stage) {
        executor = new FxTaskExecutor();
        vm = new MainViewModel(DesktopServices.real(), executor,
                new AppSettings(dir.resolve("settings-" + UUID.randomUUID() + ".json")), dir.resolve("captures"));
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
    void aStoppedFlowIsListedDrawnWithAHollowMarkerAndOnTheFlowMap(FxRobot robot) {
        Path file = dir.resolve("checkout-" + UUID.randomUUID() + ".mv.db");
        FlowMapScreenshotTool.writeCapture(file);
        robot.interact(() -> vm.openCapture(file));
        await().atMost(Duration.ofSeconds(60)).until(() -> vm.flowMap().modelProperty().get() != null);
        await().atMost(Duration.ofSeconds(60)).until(() -> vm.flows().rows().stream()
                .filter(r -> r.category() == FlowCategory.STOPPED).count() == 7);
        assertThat(vm.flows().rows().get(0).category()).isEqualTo(FlowCategory.STOPPED);

        robot.interact(() -> vm.openTimeline("order-1030"));
        await().atMost(Duration.ofSeconds(20)).alias("the timeline of order-1030 is STOPPED")
                .until(() -> vm.timeline().verdictKindProperty().get() + ": " + vm.timeline().verdictTextProperty().get(),
                        v -> v.startsWith("STOPPED"));
        robot.interact(() -> { });
        assertThat(robot.lookup("#verdictKind").queryAs(Label.class).getText()).isEqualTo("STOPPED");
        assertThat(robot.lookup("#legend-EXPECTED").tryQuery()).isPresent();

        TimelineCanvas canvas = view.timelineView().canvas();
        await().atMost(Duration.ofSeconds(10)).until(() -> !canvas.currentLayout().ghosts().isEmpty());
        TimelineLayout.Ghost ghost = canvas.currentLayout().ghosts().get(0);
        assertThat(ghost.step().kind()).isEqualTo(ExpectedStep.Kind.STOPPED);
        assertThat(canvas.currentLayout().lanes().get(ghost.lane()).channel()).isEqualTo("inventory");
        Point2D onScreen = canvas.localToScreen(ghost.x(), ghost.y());
        robot.moveTo(onScreen);
        await().atMost(Duration.ofSeconds(10)).until(() -> canvas.hoverTooltip().getText() != null
                && canvas.hoverTooltip().getText().startsWith("InventoryReserved on inventory"));
        assertThat(canvas.hoverTooltip().getText()).contains("expected next, never came (STOPPED)")
                .contains("none came in 1 min 39 s");

        robot.press(KeyCode.CONTROL, KeyCode.M).release(KeyCode.M, KeyCode.CONTROL);
        robot.interact(() -> { });
        assertThat(robot.lookup("#lowerTabs").queryAs(TabPane.class).getSelectionModel().getSelectedItem().getId())
                .isEqualTo("flowMapTab");
        FlowMapLayout map = vm.flowMap().layoutProperty().get();
        assertThat(map.nodes()).filteredOn(n -> n.missing() == ExpectedStep.Kind.STOPPED).hasSize(1);
        assertThat(robot.lookup("#flowMapSummary").queryAs(Label.class).getText())
                .isEqualTo("191 flows, 2 families learned (0 with too few flows); 7 stopped, 1 with a missing step");
        assertThat(view.flowMapView().canvas().getWidth()).isEqualTo(map.width());
    }
}
