package io.eventlens.app.ui.replay;

import io.eventlens.app.ui.controls.Forms;
import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The replay dialog (docs/reference/replay.md, "App"): target, environment, channel map and
 * options on the left; Preview lists exactly what will be sent (after rewrites); Send asks for
 * confirmation with the count, then shows progress, each send's outcome and the result; Cancel
 * stops a running replay after the send in progress (the log keeps it resumable). A target that is
 * refused shows why, and Send stays disabled.
 */
public final class ReplayDialog extends Dialog<Void> {

    /** A dialog for {@code vm}, owned by {@code owner}. */
    public ReplayDialog(ReplayViewModel vm, Window owner) {
        initOwner(owner);
        setTitle("Replay");
        setHeaderText("Replay " + vm.eventCount() + " event" + (vm.eventCount() == 1 ? "" : "s")
                + (vm.flowId() == null ? "" : " of flow " + vm.flowId()) + " into a test environment");
        setResizable(true);

        ChoiceBox<String> kind = new ChoiceBox<>();
        kind.setId("replayKind");
        kind.getItems().setAll(ReplayViewModel.KINDS);
        kind.valueProperty().bindBidirectional(vm.kindProperty());
        TextField endpoint = new TextField();
        endpoint.setId("replayEndpoint");
        endpoint.promptTextProperty().bind(Bindings.when(vm.kindProperty().isEqualTo("RabbitMQ"))
                .then("amqp://host:5672/vhost").otherwise("host:port[,host:port]"));
        endpoint.textProperty().bindBidirectional(vm.endpointProperty());
        HBox targetRow = new HBox(8, kind, endpoint);
        HBox.setHgrow(endpoint, Priority.ALWAYS);
        ChoiceBox<String> env = new ChoiceBox<>();
        env.setId("replayEnvironment");
        env.getItems().setAll(ReplayViewModel.ENVIRONMENTS);
        env.valueProperty().bindBidirectional(vm.environmentProperty());
        TextArea map = new TextArea();
        map.setId("replayMap");
        map.setPrefRowCount(2);
        map.setPromptText("orders=orders-replay (one per line; RabbitMQ: orders=EXCHANGE:ROUTING_KEY). Unmapped channels keep their name.");
        map.textProperty().bindBidirectional(vm.mappingsProperty());
        TextField speed = new TextField();
        speed.setId("replaySpeed");
        speed.setPromptText("as fast as possible");
        speed.setPrefColumnCount(10);
        speed.textProperty().bindBidirectional(vm.speedProperty());
        TextField repeat = new TextField();
        repeat.setId("replayRepeat");
        repeat.setPrefColumnCount(4);
        repeat.textProperty().bindBidirectional(vm.repeatProperty());
        Label speedHint = new Label("× original gaps (0.1 to 100)");
        speedHint.getStyleClass().add("muted");
        Label repeatLabel = new Label("Repeat");
        Label times = new Label("times (duplicate delivery)");
        for (Label l : new Label[] {speedHint, repeatLabel, times}) {
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox.setMargin(repeatLabel, new Insets(0, 0, 0, 16));
        HBox timing = new HBox(8, speed, speedHint, repeatLabel, repeat, times);
        timing.setAlignment(Pos.CENTER_LEFT);
        CheckBox fresh = new CheckBox("Fresh correlation ID for the run");
        fresh.selectedProperty().bindBidirectional(vm.freshCorrelationIdProperty());
        CheckBox keepIds = new CheckBox("Keep event IDs (test idempotency)");
        keepIds.selectedProperty().bindBidirectional(vm.keepEventIdsProperty());
        CheckBox redrive = new CheckBox("Redrive dead letters to their original channel");
        redrive.selectedProperty().bindBidirectional(vm.redriveProperty());
        for (CheckBox c : new CheckBox[] {fresh, keepIds, redrive}) {
            c.setMinWidth(Region.USE_PREF_SIZE);
        }
        HBox checks = new HBox(16, fresh, keepIds, redrive);

        GridPane form = Forms.labelledGrid(8);
        form.addRow(0, new Label("Target"), targetRow);
        form.addRow(1, new Label("Environment"), env);
        form.addRow(2, new Label("Channel map"), map);
        form.addRow(3, new Label("Speed"), timing);
        form.addRow(4, new Label("Rewrites"), checks);

        Button preview = new Button("Preview");
        preview.setId("replayPreview");
        preview.setOnAction(e -> vm.preview());
        preview.disableProperty().bind(vm.runningProperty());
        preview.setMinWidth(Region.USE_PREF_SIZE);
        Label summary = new Label();
        summary.setId("replaySummary");
        summary.setWrapText(true);
        summary.textProperty().bind(vm.summaryProperty());
        HBox previewRow = new HBox(12, preview, summary);
        previewRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(summary, Priority.ALWAYS);

        TableView<PreviewRow> table = new TableView<>(vm.rows());
        table.setId("replayPreviewTable");
        table.setPlaceholder(new Label("Press Preview to list exactly what will be sent"));
        table.getColumns().add(column("#", PreviewRow::index, 44));
        table.getColumns().add(column("Seq", PreviewRow::seq, 56));
        table.getColumns().add(column("From", PreviewRow::source, 110));
        table.getColumns().add(column("To", PreviewRow::target, 150));
        table.getColumns().add(column("Key", PreviewRow::key, 70));
        TableColumn<PreviewRow, Double> due = new TableColumn<>("Due ms");
        due.setCellValueFactory(c -> new javafx.beans.property.ReadOnlyObjectWrapper<>(c.getValue().dueMs()));
        due.setPrefWidth(70);
        due.setCellFactory(c -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(java.util.Locale.ROOT, "%.0f", v));
            }
        });
        table.getColumns().add(due);
        table.getColumns().add(column("Rewrites", PreviewRow::rewrites, 330));
        table.getColumns().add(column("Outcome", PreviewRow::outcome, 120));
        table.setPrefHeight(260);
        VBox.setVgrow(table, Priority.ALWAYS);

        Label refusal = new Label();
        refusal.setId("replayRefusal");
        refusal.setWrapText(true);
        refusal.getStyleClass().add(Styles.DANGER);
        refusal.textProperty().bind(vm.refusalProperty());
        refusal.visibleProperty().bind(vm.refusalProperty().isNotEmpty());
        refusal.managedProperty().bind(refusal.visibleProperty());
        Label error = new Label();
        error.setId("replayError");
        error.setWrapText(true);
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        ProgressBar progress = new ProgressBar();
        progress.setId("replayProgress");
        progress.progressProperty().bind(vm.progressProperty());
        progress.setPrefWidth(180);
        Button cancel = new Button("Cancel replay");
        cancel.setId("replayCancel");
        cancel.getStyleClass().add("small");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        progress.setMinWidth(120);
        Label result = new Label();
        result.setId("replayResult");
        result.setWrapText(true);
        result.textProperty().bind(vm.resultProperty());
        Button compare = new Button("Capture and compare");
        compare.setId("replayCompare");
        compare.getStyleClass().add("small");
        compare.setMinWidth(Region.USE_PREF_SIZE);
        compare.setTooltip(new javafx.scene.control.Tooltip("Capture the replayed flow by its new correlation ID for "
                + ReplayViewModel.COMPARE_SETTLE.toSeconds() + " s and compare it with the original"));
        compare.setOnAction(e -> vm.compare());
        compare.disableProperty().bind(vm.canCompare().not());
        Label comparison = new Label();
        comparison.setId("replayComparison");
        comparison.setWrapText(true);
        comparison.textProperty().bind(vm.comparisonTextProperty());
        comparison.visibleProperty().bind(vm.comparisonTextProperty().isNotEmpty());
        comparison.managedProperty().bind(comparison.visibleProperty());
        vm.comparisonProperty().subscribe(c -> {
            comparison.getStyleClass().removeAll(Styles.SUCCESS, Styles.WARNING, Styles.DANGER);
            if (c != null) {
                comparison.getStyleClass().add(switch (c.outcome()) {
                    case FIXED -> Styles.SUCCESS;
                    case REPRODUCED -> Styles.WARNING;
                    case DIFFERENT -> Styles.DANGER;
                });
            }
        });
        HBox status = new HBox(10, progress, cancel, compare, result);
        status.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(result, Priority.ALWAYS);

        javafx.scene.control.ListView<String> originalList = new javafx.scene.control.ListView<>(vm.originalSteps());
        originalList.setId("replayOriginalSteps");
        javafx.scene.control.ListView<String> replayList = new javafx.scene.control.ListView<>(vm.replaySteps());
        replayList.setId("replayReplayedSteps");
        Label originalTitle = new Label();
        originalTitle.textProperty().bind(vm.originalTitleProperty());
        originalTitle.getStyleClass().add(Styles.TEXT_BOLD);
        Label replayTitle = new Label();
        replayTitle.textProperty().bind(vm.replayTitleProperty());
        replayTitle.getStyleClass().add(Styles.TEXT_BOLD);
        VBox left = new VBox(4, originalTitle, originalList);
        VBox right = new VBox(4, replayTitle, replayList);
        VBox.setVgrow(originalList, Priority.ALWAYS);
        VBox.setVgrow(replayList, Priority.ALWAYS);
        javafx.scene.control.SplitPane sideBySide = new javafx.scene.control.SplitPane(left, right);
        sideBySide.setId("replaySideBySide");
        sideBySide.setPrefHeight(170);
        sideBySide.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.replaySteps()));
        sideBySide.managedProperty().bind(sideBySide.visibleProperty());
        comparison.setMinHeight(Region.USE_PREF_SIZE);
        result.setMinHeight(Region.USE_PREF_SIZE);

        VBox content = new VBox(10, form, previewRow, refusal, table, error, status, comparison, sideBySide);
        content.setPadding(new Insets(12, 4, 4, 4));
        content.setPrefWidth(1040);
        getDialogPane().setContent(content);
        getDialogPane().setPrefWidth(1080);
        getDialogPane().setMinWidth(720);

        ButtonType send = new ButtonType("Send…", ButtonBar.ButtonData.OTHER);
        getDialogPane().getButtonTypes().addAll(send, ButtonType.CLOSE);
        Button sendButton = (Button) getDialogPane().lookupButton(send);
        sendButton.setId("replaySend");
        sendButton.getStyleClass().add(Styles.ACCENT);
        sendButton.disableProperty().bind(vm.canSend().not());
        sendButton.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            e.consume();   // the dialog stays open: progress and result show in it
            Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, vm.confirmation(), ButtonType.OK, ButtonType.CANCEL);
            confirm.initOwner(getDialogPane().getScene().getWindow());
            confirm.setTitle("Confirm replay");
            confirm.setHeaderText("Nothing is sent until you confirm");
            confirm.showAndWait().filter(b -> b == ButtonType.OK).ifPresent(b -> vm.send());
        });
        Button close = (Button) getDialogPane().lookupButton(ButtonType.CLOSE);
        close.disableProperty().bind(vm.runningProperty());
        setOnShown(e -> {
            // a Dialog's window starts at the size of its first layout pass; give the preview its room
            setWidth(Math.max(getWidth(), 1080));
            setHeight(Math.max(getHeight(), 760));
            endpoint.requestFocus();
        });
    }

    private static TableColumn<PreviewRow, Object> column(String title, java.util.function.Function<PreviewRow, Object> value,
                                                          double width) {
        TableColumn<PreviewRow, Object> c = new TableColumn<>(title);
        c.setCellValueFactory(cell -> new javafx.beans.property.ReadOnlyObjectWrapper<>(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }
}
