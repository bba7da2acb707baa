package io.eventlens.app.ui.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.replay.ReplayEvents;
import io.eventlens.core.replay.ReplaySafety;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.InProcessKafka;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The replay dialog, headless, against the in-process Kafka broker: an unlabelled or production
 * target previews but is refused (Send disabled, the reason shown); a labelled one previews exactly
 * the sends, the run marks each row with its outcome and logs the run in the capture, and the
 * replayed flow is captured and compared with the original.
 */
@ExtendWith(ApplicationExtension.class)
class ReplayDialogUiTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @TempDir
    Path dir;
    private Stage stage;
    private CaptureStore store;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 200, 100));
        stage.show();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void refusedTargetsCannotBeSentToAndALabelledOneIsReplayedWithProgress(FxRobot robot) {
        KAFKA.createTopic("ui-replayed", 2);
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(ReplayEvents.order(i + 1, i % 2, "k" + (i % 2), i * 10L, "c-ui", "e-" + i, i / 2 + 1, "T" + i));
        }
        store = CaptureStore.open(dir.resolve("ui"));
        store.append(events, List.of());
        ReplayViewModel vm = new ReplayViewModel("c-ui", store.findByCorrelationId("c-ui"), new DirectTaskExecutor(),
                then -> then.accept(store), ReplaySafety.withPatterns(List.of()));
        AtomicReference<ReplayDialog> dialog = new AtomicReference<>();
        robot.interact(() -> {
            vm.endpointProperty().set(KAFKA.bootstrapServers());
            vm.mappingsProperty().set("orders=ui-replayed");
            ReplayDialog d = new ReplayDialog(vm, stage);
            dialog.set(d);
            d.show();
            vm.preview();
        });
        ReplayDialog d = dialog.get();
        Node send = d.getDialogPane().lookup("#replaySend");
        robot.interact(() -> {
            assertThat(vm.rows()).hasSize(4);
            assertThat(((Label) d.getDialogPane().lookup("#replayRefusal")).getText()).contains("no environment label");
            assertThat(send.isDisabled()).isTrue();
            vm.environmentProperty().set("production");
            vm.preview();
        });
        robot.interact(() -> {
            assertThat(vm.refusalProperty().get()).contains("labelled production");
            assertThat(send.isDisabled()).isTrue();
            vm.environmentProperty().set("local");
            vm.preview();
        });
        robot.interact(() -> {
            assertThat(vm.refusalProperty().get()).isEmpty();
            assertThat(send.isDisabled()).isFalse();
            assertThat(vm.confirmation()).startsWith("Send 4 messages to Kafka at ");
            assertThat(vm.rows()).extracting(PreviewRow::target).containsExactly("ui-replayed p0", "ui-replayed p1",
                    "ui-replayed p0", "ui-replayed p1");
            vm.send();
        });
        robot.interact(() -> {
            assertThat(vm.resultProperty().get()).as(vm.errorProperty().get()).startsWith("Replayed 4 of 4");
            assertThat(vm.rows()).extracting(PreviewRow::outcome).allMatch(o -> o.startsWith("SENT p"));
            assertThat(vm.progressProperty().get()).isEqualTo(1.0);
            assertThat(store.replayLog().runs()).singleElement()
                    .satisfies(r -> assertThat(r.state()).isEqualTo("COMPLETED"));
            assertThat(vm.canCompare().get()).isTrue();
            vm.compare();
        });
        robot.interact(() -> {
            assertThat(vm.comparisonProperty().get()).as(vm.errorProperty().get()).isNotNull();
            assertThat(vm.comparisonProperty().get().replayEvents()).isEqualTo(4);
            assertThat(vm.comparisonProperty().get().missingSteps()).isEmpty();
            assertThat(vm.comparisonTextProperty().get()).startsWith("REPRODUCED").contains(".replay-");
            assertThat(vm.originalSteps()).hasSize(4);
            assertThat(vm.replaySteps()).hasSize(4).allMatch(l -> l.contains("ui-replayed"));
            assertThat(d.getDialogPane().lookup("#replaySideBySide").isVisible()).isTrue();
            d.close();
        });
    }

    @Test
    void badInputsAreNamed(FxRobot robot) {
        ReplayViewModel vm = new ReplayViewModel(null, List.of(ReplayEvents.order(1, 0, "k", 0, "c", "e", 1, "T")),
                new DirectTaskExecutor(), then -> then.accept(null), ReplaySafety.withPatterns(List.of()));
        robot.interact(() -> {
            vm.preview();
            assertThat(vm.errorProperty().get()).startsWith("Endpoint:");
            vm.endpointProperty().set("localhost:9092");
            vm.speedProperty().set("fast");
            vm.preview();
            assertThat(vm.errorProperty().get()).startsWith("Speed:");
            vm.speedProperty().set("500");
            vm.preview();
            assertThat(vm.errorProperty().get()).contains("0.1 to 100");
            vm.speedProperty().set("");
            vm.mappingsProperty().set("orders");
            vm.preview();
            assertThat(vm.errorProperty().get()).startsWith("Channel map");
        });
    }
}
