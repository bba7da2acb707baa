package io.eventlens.app.ui.capture;

import io.eventlens.app.ui.controls.Forms;
import io.eventlens.app.ui.services.CaptureRequest;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.PasswordField;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.CheckListView;

/**
 * The Connect dialog, a Kafka tab, a RabbitMQ tab and a Probe tab; one capture records what they name. Kafka:
 * bootstrap servers, "List topics" (reads the cluster's metadata off the FX thread; an unreachable
 * endpoint is reported by name), the topics to capture as check boxes, and earliest/latest.
 * RabbitMQ: URI, user, password, exchanges to tap, queues to spy on, queues to browse, firehose,
 * force browse, keep tap, and a line saying how each will be read. Probe: base URL, path template,
 * correlation IDs, an auth header whose value comes from an environment variable, poll interval. Its result is a validated
 * {@link CaptureRequest}, or nothing when cancelled.
 */
public final class ConnectDialog extends Dialog<CaptureRequest> {

    /** A dialog for {@code vm}, owned by {@code owner}. */
    public ConnectDialog(ConnectViewModel vm, Window owner) {
        initOwner(owner);
        setTitle("Connect");
        setHeaderText("Capture Kafka topics, RabbitMQ exchanges and queues, and test probes into the open capture file");
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
        GridPane form = Forms.labelledGrid(10);
        Label topicsLabel = new Label("Topics");
        GridPane.setValignment(topicsLabel, VPos.TOP);
        form.addRow(0, new Label("Bootstrap servers"), serverRow);
        form.addRow(1, topicsLabel, new VBox(6, topics, topicButtons));
        form.addRow(2, new Label("Start from"), fromRow);
        GridPane.setHgrow(serverRow, Priority.ALWAYS);
        Tab kafkaTab = new Tab("Kafka", new VBox(12, form, info));
        kafkaTab.setClosable(false);
        Tab amqpTab = new Tab("RabbitMQ", amqpForm(vm));
        amqpTab.setId("amqpTab");
        amqpTab.setClosable(false);
        Tab probeTab = new Tab("Probe", probeForm(vm));
        probeTab.setId("probeTab");
        probeTab.setClosable(false);
        TabPane tabs = new TabPane(kafkaTab, amqpTab, probeTab);
        tabs.setId("connectTabs");
        VBox content = new VBox(12, tabs, error);
        content.setPadding(new Insets(12, 4, 4, 4));
        content.setPrefWidth(680);
        getDialogPane().setContent(content);

        ButtonType capture = new ButtonType("Start capture", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(capture, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(capture);
        ok.disableProperty().bind(vm.canConnect().not());
        setResultConverter(bt -> bt == capture ? vm.buildRequest() : null);
        setOnShown(e -> bootstrap.requestFocus());
    }

    private static VBox amqpForm(ConnectViewModel vm) {
        TextField uri = new TextField();
        uri.setId("amqpUri");
        uri.setPromptText("amqp://host:5672/vhost or amqps://...");
        uri.textProperty().bindBidirectional(vm.amqpUriProperty());
        TextField user = new TextField();
        user.setId("amqpUser");
        user.setPromptText("from the URI, else guest");
        user.textProperty().bindBidirectional(vm.amqpUsernameProperty());
        PasswordField password = new PasswordField();
        password.setId("amqpPassword");
        password.setPromptText("not stored anywhere");
        password.textProperty().bindBidirectional(vm.amqpPasswordProperty());
        TextArea exchanges = area("amqpExchanges", "one per line or ;-separated: orders; payments=payment.created,payment.failed",
                vm.amqpExchangesProperty());
        TextArea spy = area("amqpSpyQueues", "billing-service; shipping=orders:order.paid (bindings when the management API is off)",
                vm.amqpSpyQueuesProperty());
        TextArea browse = area("amqpBrowseQueues", "orders.dlq; payments.dlq", vm.amqpBrowseQueuesProperty());
        CheckBox firehose = new CheckBox("Firehose (amq.rabbitmq.trace; needs rabbitmqctl trace_on)");
        firehose.setMnemonicParsing(false); // "trace_on" keeps its underscore
        firehose.selectedProperty().bindBidirectional(vm.amqpFirehoseProperty());
        CheckBox force = new CheckBox("Browse also queues with consumers or a delivery limit");
        force.selectedProperty().bindBidirectional(vm.amqpForceBrowseProperty());
        CheckBox keep = new CheckBox("Keep the tap queues after the capture");
        keep.selectedProperty().bindBidirectional(vm.amqpKeepTapProperty());
        Label modes = new Label();
        modes.setId("amqpModes");
        modes.setWrapText(true);
        modes.getStyleClass().add("muted");
        modes.textProperty().bind(vm.amqpModes());
        modes.setMinHeight(Region.USE_PREF_SIZE);
        modes.setMaxWidth(Double.MAX_VALUE);
        modes.setPrefWidth(640);

        GridPane form = Forms.labelledGrid(8);
        form.addRow(0, new Label("URI"), uri);
        form.addRow(1, new Label("User"), user);
        form.addRow(2, new Label("Password"), password);
        form.addRow(3, top(new Label("Tap exchanges")), exchanges);
        form.addRow(4, top(new Label("Spy on queues")), spy);
        form.addRow(5, top(new Label("Browse queues")), browse);
        return new VBox(10, form, new VBox(4, firehose, force, keep), modes);
    }

    private static VBox probeForm(ConnectViewModel vm) {
        TextField url = new TextField();
        url.setId("probeUrl");
        url.setPromptText("http://localhost:8080");
        url.textProperty().bindBidirectional(vm.probeUrlProperty());
        TextField path = new TextField();
        path.setId("probePath");
        path.setPromptText(io.eventlens.core.probe.ProbeConfig.DEFAULT_PATH_TEMPLATE);
        path.textProperty().bindBidirectional(vm.probePathProperty());
        TextArea ids = area("probeIds", "the correlation IDs to follow, one per line or ;-separated (paste them from a failed test)",
                vm.probeIdsProperty());
        ids.setPrefRowCount(4);
        TextField header = new TextField();
        header.setId("probeHeader");
        header.setPromptText("Authorization (optional)");
        header.textProperty().bindBidirectional(vm.probeHeaderProperty());
        TextField tokenEnv = new TextField();
        tokenEnv.setId("probeTokenEnv");
        tokenEnv.setPromptText("variable, e.g. PROBE_TOKEN");
        tokenEnv.textProperty().bindBidirectional(vm.probeTokenEnvProperty());
        HBox headerRow = new HBox(8, header, new Label("from $"), tokenEnv);
        headerRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(tokenEnv, Priority.ALWAYS);
        TextField interval = new TextField();
        interval.setId("probeInterval");
        interval.setPrefColumnCount(8);
        interval.setMaxWidth(Region.USE_PREF_SIZE);
        interval.textProperty().bindBidirectional(vm.probeIntervalProperty());
        Label note = new Label("Every poll is recorded in the capture (time, status, latency, error); an event seen by several "
                + "polls is stored once, and an event of another correlation ID is a FOREIGN_EVENT. The header's value is "
                + "read from the environment when the capture starts and never stored.");
        note.setWrapText(true);
        note.getStyleClass().add("muted");
        note.setMinHeight(Region.USE_PREF_SIZE);
        note.setPrefWidth(640);

        GridPane form = Forms.labelledGrid(8);
        form.addRow(0, new Label("Base URL"), url);
        form.addRow(1, new Label("Path"), path);
        form.addRow(2, top(new Label("Correlation IDs")), ids);
        form.addRow(3, new Label("Header"), headerRow);
        form.addRow(4, new Label("Poll every"), interval);
        return new VBox(10, form, note);
    }

    private static TextArea area(String id, String prompt, javafx.beans.property.StringProperty text) {
        TextArea a = new TextArea();
        a.setId(id);
        a.setPromptText(prompt);
        a.setPrefRowCount(2);
        a.textProperty().bindBidirectional(text);
        return a;
    }

    private static Label top(Label l) {
        GridPane.setValignment(l, VPos.TOP);
        return l;
    }
}
