package io.eventlens.app.ui.timeline;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.EventLensApp;
import io.eventlens.app.ui.MainView;
import io.eventlens.app.ui.MainViewModel;
import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.layout.LaneGrouping;
import io.eventlens.core.layout.TimelineLayout;
import io.eventlens.core.store.CaptureStore;
import javafx.geometry.Point2D;
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
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Headless (Monocle) test of a long, busy flow's timeline (docs/reference/timeline-layout.md): it opens
 * fitted with count badges, collapsed idle gaps and every anomaly on the overview; + zooms, Left/Right and
 * a drag pan, N jumps to the next anomaly with the details pane following, a break expands on click, and
 * the lanes regroup by key.
 */
@ExtendWith(ApplicationExtension.class)
class TimelineScaleUiTest {

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
        // 860 px: the merged view has the lower tabs (Flow map) and the tool bar and overview; the 4 lanes fit
        stage.setScene(EventLensApp.createScene(view, vm, 1200, 860));
        stage.show();
    }

    @AfterEach
    void tearDown(FxRobot robot) {
        robot.interact(() -> {
            view.dispose();
            vm.dispose();
        });
        executor.close();
    }

    private <T> T onFx(FxRobot robot, Supplier<T> s) {
        AtomicReference<T> r = new AtomicReference<>();
        robot.interact(() -> r.set(s.get()));
        return r.get();
    }

    private TimelineLayout layout(FxRobot robot) {
        return onFx(robot, () -> vm.timeline().windowLayoutProperty().get());
    }

    @Test
    void aLongFlowZoomsPansAndJumpsFromAnomalyToAnomaly(FxRobot robot) {
        Path file = dir.resolve("long-" + UUID.randomUUID() + ".mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(UiTestData.longFlow(UiTestData.LONG, 3000), List.of());
        }
        robot.interact(() -> vm.openCapture(file));
        await().atMost(Duration.ofSeconds(30)).until(() -> onFx(robot, () -> vm.storeProperty().get() != null));
        robot.interact(() -> vm.openTimeline(UiTestData.LONG));
        await().atMost(Duration.ofSeconds(30)).until(() -> !layout(robot).lanes().isEmpty()
                && onFx(robot, () -> vm.timeline().entries().size()) > 3000);

        TimelineLayout fit = layout(robot);
        assertThat(fit.viewStart()).isZero();
        assertThat(fit.viewEnd()).isEqualTo(fit.virtualSpan());
        assertThat(fit.clusters()).as("dense stretches are count badges").isNotEmpty();
        assertThat(fit.breaks()).extracting(TimelineLayout.Break::label).contains("idle 40 min", "idle 6 min");
        long anomalies = onFx(robot, () -> vm.timeline().entries().stream().filter(e -> !e.anomalies().isEmpty()).count());
        assertThat(fit.overview().anomalies()).hasSizeGreaterThanOrEqualTo(2).hasSizeLessThanOrEqualTo((int) anomalies);
        assertThat(onFx(robot, () -> vm.timeline().windowTextProperty().get())).contains("2 idle gaps collapsed");

        TimelineCanvas canvas = view.timelineView().canvas();
        robot.interact(canvas::requestFocus);
        robot.type(KeyCode.ADD);
        await().atMost(Duration.ofSeconds(10)).until(() -> Math.abs(span(layout(robot)) - fit.virtualSpan() / 2) < 1e-6);
        robot.type(KeyCode.ADD);
        await().atMost(Duration.ofSeconds(10)).until(() -> Math.abs(span(layout(robot)) - fit.virtualSpan() / 4) < 1e-6);
        double before = layout(robot).viewStart();

        robot.type(KeyCode.RIGHT);
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).viewStart() > before + span(fit) / 4 * 0.1);
        double afterKey = layout(robot).viewStart();
        Point2D mid = onFx(robot, () -> canvas.localToScreen(canvas.getWidth() * 0.6, canvas.currentLayout().lanes().get(0).centerY() + 30));
        robot.drag(mid).dropBy(-200, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).viewStart() > afterKey + 1);
        assertThat(span(layout(robot))).isCloseTo(fit.virtualSpan() / 4, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(layout(robot).overview().windowX1() - layout(robot).overview().windowX0())
                .as("the overview marks the visible quarter").isLessThan((fit.plotRight() - fit.plotLeft()) / 3);

        // N: from the first event to the first anomaly, then the next; the details pane follows
        robot.type(KeyCode.HOME);
        robot.type(KeyCode.N);
        TimelineEntry first = awaitSelectedAnomaly(robot, -1);
        robot.type(KeyCode.N);
        TimelineEntry second = awaitSelectedAnomaly(robot, first.event().seq());
        int i1 = onFx(robot, () -> vm.timeline().entries().indexOf(first));
        int i2 = onFx(robot, () -> vm.timeline().entries().indexOf(second));
        assertThat(i2).isGreaterThan(i1);
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).markerForSeq(second.event().seq()) != null);
        TimelineLayout.Marker shown = layout(robot).markerForSeq(second.event().seq());
        assertThat(shown.x()).as("the window scrolled to the anomaly").isBetween(fit.plotLeft(), fit.plotRight());
        robot.type(KeyCode.P);
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(robot, () -> vm.timeline().selectedProperty().get()) == first);

        // fit, then a click on a break expands that idle gap
        robot.type(KeyCode.DIGIT0);
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).viewStart() == 0 && layout(robot).viewEnd() == layout(robot).virtualSpan());
        // Ctrl+wheel zooms in at the pointer
        double atX = fit.plotLeft() + (fit.plotRight() - fit.plotLeft()) * 0.3;
        robot.interact(() -> {
            javafx.scene.Node drawing = canvas.getChildrenUnmodifiable().get(0);
            javafx.event.Event.fireEvent(drawing, new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL,
                    atX, 60, 0, 0, false, true, false, false, false, false, 0, 40, 0, 40,
                    javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                    javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> Math.abs(span(layout(robot)) - fit.virtualSpan() / 1.25) < 1e-6);
        TimelineLayout wheeled = layout(robot);
        assertThat(wheeled.viewStart() + span(wheeled) * 0.3).as("the time under the pointer stays put")
                .isCloseTo(fit.virtualSpan() * 0.3, org.assertj.core.data.Offset.offset(1e-6));

        // a click on the overview centres the window there
        TimelineOverview strip = view.timelineView().overview();
        robot.clickOn(onFx(robot, () -> strip.localToScreen(strip.xOf(0.75), TimelineOverview.HEIGHT / 2)));
        io.eventlens.core.layout.Viewport centred = new io.eventlens.core.layout.Viewport(wheeled.viewStart(), wheeled.viewEnd())
                .centerOn(fit.virtualSpan() * 0.75, fit.virtualSpan());
        await().atMost(Duration.ofSeconds(10)).until(() -> Math.abs(layout(robot).viewStart() - centred.start()) < fit.virtualSpan() * 0.01
                && layout(robot).viewStart() > wheeled.viewStart());

        // a click on a count badge zooms into its stretch
        robot.type(KeyCode.DIGIT0);
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).viewStart() == 0 && layout(robot).viewEnd() == layout(robot).virtualSpan());
        TimelineLayout.Cluster badge = layout(robot).clusters().get(3);
        robot.clickOn(onFx(robot, () -> canvas.localToScreen((badge.left() + badge.right()) / 2, badge.y())));
        await().atMost(Duration.ofSeconds(10)).until(() -> span(layout(robot)) < fit.virtualSpan() / 5);
        assertThat(layout(robot).viewStart()).isLessThanOrEqualTo(badge.virtualStart());
        assertThat(layout(robot).viewEnd()).isGreaterThanOrEqualTo(badge.virtualEnd());
        robot.type(KeyCode.DIGIT0);
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).viewStart() == 0 && layout(robot).viewEnd() == layout(robot).virtualSpan());

        TimelineLayout.Break stall = layout(robot).breaks().stream().filter(b -> b.label().equals("idle 6 min")).findFirst().orElseThrow();
        Point2D onBreak = onFx(robot, () -> canvas.localToScreen((stall.x0() + stall.x1()) / 2, canvas.currentLayout().lanes().get(0).centerY()));
        robot.clickOn(onBreak);
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).breaks().stream().noneMatch(b -> b.label().equals("idle 6 min")));

        // lanes by key
        robot.interact(() -> vm.timeline().laneGroupingProperty().set(LaneGrouping.KEY));
        await().atMost(Duration.ofSeconds(10)).until(() -> layout(robot).lanes().stream().anyMatch(l -> l.channel().equals("order-7/line-0")));
        assertThat(layout(robot).lanes()).extracting(TimelineLayout.Lane::channel).contains("order-7/line-1", "order-7/line-3");
    }

    private static double span(TimelineLayout l) {
        return l.viewEnd() - l.viewStart();
    }

    private TimelineEntry awaitSelectedAnomaly(FxRobot robot, long notSeq) {
        await().atMost(Duration.ofSeconds(10)).until(() -> onFx(robot, () -> {
            TimelineEntry s = vm.timeline().selectedProperty().get();
            return s != null && !s.anomalies().isEmpty() && s.event().seq() != notSeq
                    && vm.details().titleProperty().get().endsWith("seq " + s.event().seq());
        }));
        return onFx(robot, () -> vm.timeline().selectedProperty().get());
    }
}
