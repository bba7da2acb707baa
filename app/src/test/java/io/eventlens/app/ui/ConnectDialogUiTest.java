package io.eventlens.app.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.app.ui.capture.ConnectDialog;
import io.eventlens.app.ui.capture.ConnectViewModel;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.services.CaptureRequest;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Connect dialog's RabbitMQ tab, headless: filling it gives a capture request and says how it reads. */
@ExtendWith(ApplicationExtension.class)
class ConnectDialogUiTest {

    @TempDir
    Path settingsDir;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        stage.setScene(new Scene(new StackPane(), 200, 100));
        stage.show();
    }

    @Test
    void theRabbitMqTabBuildsAnAmqpCaptureAndShowsTheModes(FxRobot robot) {
        AtomicReference<ConnectDialog> dialog = new AtomicReference<>();
        robot.interact(() -> {
            ConnectViewModel vm = new ConnectViewModel(AppServices.real(() -> {
                throw new UnsupportedOperationException();
            }), new DirectTaskExecutor(), new AppSettings(settingsDir.resolve("settings.json")));
            ConnectDialog d = new ConnectDialog(vm, stage);
            dialog.set(d);
            d.show();
        });
        ConnectDialog d = dialog.get();
        robot.interact(() -> {
            TabPane tabs = (TabPane) d.getDialogPane().lookup("#connectTabs");
            assertThat(tabs.getTabs()).extracting(t -> t.getText()).containsExactly("Kafka", "RabbitMQ", "Probe");
            tabs.getSelectionModel().select(1);
        });
        robot.interact(() -> {
            ((TextField) d.getDialogPane().lookup("#amqpUri")).setText("amqp://localhost:5672");
            ((TextArea) d.getDialogPane().lookup("#amqpExchanges")).setText("orders");
            ((TextArea) d.getDialogPane().lookup("#amqpBrowseQueues")).setText("orders.dlq");
        });
        AtomicReference<CaptureRequest> result = new AtomicReference<>();
        robot.interact(() -> {
            assertThat(((Label) d.getDialogPane().lookup("#amqpModes")).getText())
                    .isEqualTo("RabbitMQ: tap exchange orders (a stream queue of EventLens's own); browse orders.dlq (a stream"
                            + " by offset; a classic or quorum queue is got and returned in order: marked redelivered).");
            ButtonType start = d.getDialogPane().getButtonTypes().stream()
                    .filter(b -> b.getButtonData() == ButtonBar.ButtonData.OK_DONE).findFirst().orElseThrow();
            assertThat(d.getDialogPane().lookupButton(start).isDisabled()).isFalse();
            d.setResult(null);
            result.set(d.getResultConverter().call(start));
            d.close();
        });
        assertThat(result.get().kafka()).isNull();
        assertThat(result.get().amqp().exchanges()).extracting(e -> e.name()).containsExactly("orders");
        assertThat(result.get().amqp().browseQueues()).containsExactly("orders.dlq");
    }
}
