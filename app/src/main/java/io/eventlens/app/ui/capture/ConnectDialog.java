package io.eventlens.app.ui.capture;

import io.eventlens.core.kafka.KafkaCaptureConfig;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.CheckListView;

/**
 * The Connect dialog: bootstrap servers, "List topics" (reads the cluster's metadata off the FX
 * thread; an unreachable endpoint is reported by name), the topics to capture as check boxes, and
 * earliest/latest. Its result is a validated {@link KafkaCaptureConfig}, or nothing when cancelled.
 */
public final class ConnectDialog extends Dialog<KafkaCaptureConfig> {

    /** A dialog for {@code vm}, owned by {@code owner}. */
    public ConnectDialog(ConnectViewModel vm, Window owner) {
        initOwner(owner);
        setTitle("Connect to Kafka");
        setHeaderText("Capture a Kafka cluster's topics into the open capture file");
        setResizable(true);

        TextField bootstrap = new TextField();
        bootstrap.setId("bootstrapServers");
        bootstrap.setPromptText("host:port[,host:port]");
        bootstrap.textProperty().bindBidirectional(vm.bootstrapServersProperty());
        bootstrap.setPrefColumnCount(28);
        Button list = new Button("List topics");
        list.setDefaultButton(false);
        list.setOnAction(e -> vm.loadTopics());
        list.disableProperty().bind(vm.loadingProperty());
        bootstrap.setOnAction(e -> vm.loadTopics());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(vm.loadingProperty());
        HBox serverRow = new HBox(8, bootstrap, list, busy);
        serverRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(bootstrap, Priority.ALWAYS);

        CheckListView<String> topics = new CheckListView<>(vm.availableTopics());
        topics.setId("topicList");
        topics.setPrefHeight(220);
        topics.setPlaceholder(new Label("No topics listed yet"));
        topics.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c ->
                vm.selectedTopics().setAll(topics.getCheckModel().getCheckedItems()));
        vm.selectedTopics().addListener((ListChangeListener<String>) c -> {
            for (String t : vm.selectedTopics()) {
                if (!topics.getCheckModel().isChecked(t)) {
                    topics.getCheckModel().check(t);
                }
            }
        });
        Button all = new Button("All");
        all.getStyleClass().add("flat");
        all.setOnAction(e -> topics.getCheckModel().checkAll());
        Button none = new Button("None");
        none.getStyleClass().add("flat");
        none.setOnAction(e -> topics.getCheckModel().clearChecks());
        HBox topicButtons = new HBox(4, all, none);

        ToggleGroup from = new ToggleGroup();
        RadioButton earliest = new RadioButton("Earliest (all retained records)");
        RadioButton latest = new RadioButton("Latest (only new records)");
        earliest.setToggleGroup(from);
        latest.setToggleGroup(from);
        (vm.fromEarliestProperty().get() ? earliest : latest).setSelected(true);
        from.selectedToggleProperty().addListener((o, a, b) -> vm.fromEarliestProperty().set(b == earliest));
        HBox fromRow = new HBox(16, earliest, latest);

        Label error = new Label();
        error.setId("connectError");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
        error.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        error.managedProperty().bind(error.visibleProperty());
        Label info = new Label();
        info.getStyleClass().add("muted");
        info.textProperty().bind(vm.infoProperty());

        list.setMinWidth(Region.USE_PREF_SIZE);
        GridPane form = new GridPane();
        form.setHgap(12);
        form.setVgap(10);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().addAll(labels, fields);
        Label topicsLabel = new Label("Topics");
        GridPane.setValignment(topicsLabel, VPos.TOP);
        form.addRow(0, new Label("Bootstrap servers"), serverRow);
        form.addRow(1, topicsLabel, new VBox(6, topics, topicButtons));
        form.addRow(2, new Label("Start from"), fromRow);
        GridPane.setHgrow(serverRow, Priority.ALWAYS);
        VBox content = new VBox(12, form, info, error);
        content.setPadding(new Insets(12, 4, 4, 4));
        content.setPrefWidth(640);
        getDialogPane().setContent(content);

        ButtonType capture = new ButtonType("Start capture", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(capture, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(capture);
        ok.disableProperty().bind(vm.canConnect().not());
        setResultConverter(bt -> bt == capture ? vm.buildConfig() : null);
        setOnShown(e -> bootstrap.requestFocus());
    }
}
