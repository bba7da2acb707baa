package io.eventlens.app.ui;

import atlantafx.base.theme.Styles;
import io.eventlens.app.ui.capture.ConnectDialog;
import io.eventlens.app.ui.cirun.CiRunView;
import io.eventlens.app.ui.deadletters.DeadLettersView;
import io.eventlens.app.ui.details.DetailsView;
import io.eventlens.app.ui.events.EventTableView;
import io.eventlens.app.ui.flows.FlowsView;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.app.ui.timeline.TimelineView;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import javafx.util.Duration;
import javafx.util.Subscription;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The main window's content: toolbar (Connect…, Start/Stop capture, live counters, Open…, Save as…,
 * Start demo, theme toggle), the Flows panel (the flows that went wrong, worst first) and the Dead letters
 * view (every dead-lettered event grouped by reason) as tabs beside the event table with the correlation ID search, the timeline with its
 * verdict and legend, the details pane, and a status bar with the running task's progress and Cancel.
 * Drives the capture pulse: four times a second it lets the view model drain the capture queue.
 */
public final class MainView extends BorderPane {

    private final MainViewModel vm;
    private final FxTaskExecutor executor;
    private final EventTableView tableView;
    private io.eventlens.app.ui.filter.FilterBarView filterBar;
    private final FlowsView flowsView;
    private final DeadLettersView deadLettersView;
    private final TabPane sideTabs;
    private final Tab flowsTab;
    private final Tab deadLettersTab;
    private final CiRunView ciRunView;
    private final Tab ciRunTab;
    private final io.eventlens.app.ui.contracts.ContractsView contractsView;
    private final Tab contractsTab;
    private final io.eventlens.app.ui.flowmap.FlowMapView flowMapView;
    private final TabPane lowerTabs;
    private final Tab timelineTab;
    private final Tab flowMapTab;
    private final io.eventlens.app.ui.consumers.ConsumersView consumersView;
    private final Tab consumersTab;
    private final TimelineView timelineView;
    private final DetailsView detailsView;
    private final Timeline pulse;
    private final Subscription subscriptions;

    /** The main view of {@code vm}; {@code executor} feeds the status bar. */
    public MainView(MainViewModel vm, FxTaskExecutor executor) {
        this.vm = vm;
        this.executor = executor;
        getStyleClass().add("main-view");
        tableView = new EventTableView(vm.table());
        tableView.setOnReplaySelected(this::openReplay);
        flowsView = new FlowsView(vm.flows());
        deadLettersView = new DeadLettersView(vm.deadLetters());
        flowsTab = new Tab("Flows", flowsView);
        flowsTab.setId("flowsTab");
        flowsTab.setTooltip(new Tooltip("The flows that went wrong, worst first (Ctrl+L)"));
        deadLettersTab = new Tab("Dead letters", deadLettersView);
        deadLettersTab.setId("deadLettersTab");
        deadLettersTab.setTooltip(new Tooltip("Every dead-lettered event, grouped by reason (Ctrl+D)"));
        deadLettersTab.textProperty().bind(Bindings.createStringBinding(() -> vm.deadLetters().totalProperty().get() == 0
                ? "Dead letters" : String.format(Locale.ROOT, "Dead letters (%,d)", vm.deadLetters().totalProperty().get()),
                vm.deadLetters().totalProperty()));
        ciRunView = new CiRunView(vm.ciRun());
        ciRunTab = new Tab("CI run", ciRunView);
        ciRunTab.setId("ciRunTab");
        ciRunTab.setTooltip(new Tooltip("The failed tests of a CI run beside their verdicts (Ctrl+Shift+O opens one)"));
        ciRunTab.textProperty().bind(Bindings.createStringBinding(() -> vm.ciRun().rows().isEmpty()
                ? "CI run" : String.format(Locale.ROOT, "CI run (%,d)", vm.ciRun().rows().size()), vm.ciRun().rows()));
        contractsView = new io.eventlens.app.ui.contracts.ContractsView(vm.contracts());
        contractsTab = new Tab("Contracts", contractsView);
        contractsTab.setId("contractsTab");
        contractsTab.setTooltip(new Tooltip("Events checked against their contracts, per channel and type (Ctrl+J)"));
        contractsTab.textProperty().bind(Bindings.createStringBinding(() -> vm.contracts().failedProperty().get() == 0
                ? "Contracts" : String.format(Locale.ROOT, "Contracts (%,d)", vm.contracts().failedProperty().get()),
                vm.contracts().failedProperty()));
        sideTabs = new TabPane(flowsTab, deadLettersTab, contractsTab, ciRunTab);
        sideTabs.setId("sideTabs");
        sideTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        sideTabs.getStyleClass().add(Styles.DENSE);
        timelineView = new TimelineView(vm.timeline(), vm.darkThemeProperty());
        timelineView.setOnReplay(this::openReplay);
        detailsView = new DetailsView(vm.details());

        flowMapView = new io.eventlens.app.ui.flowmap.FlowMapView(vm.flowMap(), vm.darkThemeProperty());
        timelineTab = new Tab("Timeline", timelineView);
        timelineTab.setId("timelineTab");
        timelineTab.setTooltip(new Tooltip("The shown flow's events, lane per channel"));
        flowMapTab = new Tab("Flow map", flowMapView);
        flowMapTab.setId("flowMapTab");
        flowMapTab.setTooltip(new Tooltip("The learned steps of a flow family with hop latencies, the shown flow highlighted (Ctrl+M)"));
        consumersView = new io.eventlens.app.ui.consumers.ConsumersView(vm.consumers());
        consumersTab = new Tab("Consumers", consumersView);
        consumersTab.setId("consumersTab");
        consumersTab.setTooltip(new Tooltip("The consumer groups followed while capturing: lag over time, members,"
                + " state changes (Ctrl+G)"));
        lowerTabs = new TabPane(timelineTab, flowMapTab, consumersTab);
        lowerTabs.setId("lowerTabs");
        lowerTabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        lowerTabs.getStyleClass().add(Styles.DENSE);
        SplitPane lower = new SplitPane(lowerTabs, detailsView);
        lower.setOrientation(Orientation.HORIZONTAL);
        lower.setDividerPositions(0.66);
        SplitPane.setResizableWithParent(detailsView, false);
        SplitPane upper = new SplitPane(sideTabs, tableView);
        upper.setOrientation(Orientation.HORIZONTAL);
        upper.setDividerPositions(0.30);
        SplitPane.setResizableWithParent(sideTabs, false);
        SplitPane center = new SplitPane(upper, lower);
        center.setOrientation(Orientation.VERTICAL);
        center.setDividerPositions(0.42);

        setTop(toolbar());
        filterBar = new io.eventlens.app.ui.filter.FilterBarView(vm.filter(), vm.table()::cancelFilter,
                vm.table().filteringProperty());
        tableView.setOnFilter((term, exclude) -> {
            if (exclude) {
                vm.filter().exclude(term);
            } else {
                vm.filter().filterOn(term);
            }
        });
        detailsView.setOnFilter((term, exclude) -> {
            if (exclude) {
                vm.filter().exclude(term);
            } else {
                vm.filter().filterOn(term);
            }
        });
        javafx.scene.layout.VBox centerBox = new javafx.scene.layout.VBox(filterBar, center);
        javafx.scene.layout.VBox.setVgrow(center, javafx.scene.layout.Priority.ALWAYS);
        setCenter(centerBox);
        setBottom(statusBar());

        pulse = new Timeline(new KeyFrame(Duration.millis(250), e -> vm.pulse()));
        pulse.setCycleCount(Timeline.INDEFINITE);
        pulse.play();

        subscriptions = vm.lastErrorProperty().subscribe(err -> {
            if (err != null && getScene() != null && getScene().getWindow() != null) {
                showError(err);
            }
        }).and(vm.ciRun().loadedProperty().subscribe(loaded -> {
            if (loaded) {
                sideTabs.getSelectionModel().select(ciRunTab);
            }
        }));
        installDrop();
    }

    private ToolBar toolbar() {
        Button connect = new Button("Connect…");
        connect.setId("connectButton");
        connect.setTooltip(new Tooltip("Choose a Kafka cluster and topics to capture (Ctrl+K)"));
        connect.setOnAction(e -> connect());
        connect.disableProperty().bind(vm.capture().capturingProperty().or(vm.capture().startingProperty()));

        Button startStop = new Button();
        startStop.setId("captureButton");
        startStop.textProperty().bind(Bindings.when(vm.capture().capturingProperty())
                .then("Stop capture").otherwise("Start capture"));
        startStop.setTooltip(new Tooltip("Start or stop capturing (Ctrl+R)"));
        startStop.setOnAction(e -> toggleCapture());
        startStop.disableProperty().bind(vm.capture().startingProperty());
        vm.capture().capturingProperty().subscribe(c -> {
            startStop.getStyleClass().removeAll("danger", "success");
            startStop.getStyleClass().add(c ? "danger" : "success");
        });

        Label counters = new Label();
        counters.setId("captureCounters");
        counters.getStyleClass().add("counters");
        counters.textProperty().bind(Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, "%,d events  ·  %,.0f events/s",
                        vm.capture().capturedEventsProperty().get(), vm.capture().eventsPerSecondProperty().get()),
                vm.capture().capturedEventsProperty(), vm.capture().eventsPerSecondProperty()));
        counters.setMinWidth(Region.USE_PREF_SIZE);
        Region liveDot = new Region();
        liveDot.getStyleClass().add("live-dot");
        liveDot.visibleProperty().bind(vm.capture().capturingProperty());
        HBox counterBox = new HBox(6, liveDot, counters);
        counterBox.setAlignment(Pos.CENTER_LEFT);

        Button open = new Button("Open…");
        open.setTooltip(new Tooltip("Open a capture file (Ctrl+O)"));
        open.setOnAction(e -> openFile());
        open.disableProperty().bind(vm.capture().capturingProperty());
        MenuButton ciRun = new MenuButton("Open CI run");
        ciRun.setId("ciRunMenu");
        ciRun.setTooltip(new Tooltip("Import a CI run's artifacts (probe dumps, broker dumps, JUnit reports) and triage"
                + " its failed tests (Ctrl+Shift+O; or drop a folder or zip on the window)"));
        MenuItem ciFolder = new MenuItem("Folder…");
        ciFolder.setOnAction(e -> openCiRunFolder());
        MenuItem ciZip = new MenuItem("Zip or file…");
        ciZip.setOnAction(e -> openCiRunFile());
        ciRun.getItems().addAll(ciFolder, ciZip);
        ciRun.disableProperty().bind(vm.capture().capturingProperty());
        MenuButton recent = new MenuButton("Recent");
        recent.setOnShowing(e -> fillRecent(recent));
        recent.getItems().add(new MenuItem("(none)"));
        Button save = new Button("Save as…");
        save.setTooltip(new Tooltip("Save a copy of the capture (Ctrl+Shift+S)"));
        save.setOnAction(e -> saveAs());
        save.disableProperty().bind(vm.storeProperty().isNull());

        Button demo = new Button("Start demo");
        demo.setId("demoButton");
        demo.setTooltip(new Tooltip("Start an embedded Kafka broker with a flaky checkout saga and capture it"));
        demo.setOnAction(e -> vm.capture().startDemo());
        demo.disableProperty().bind(vm.capture().demoRunningProperty().or(vm.capture().startingProperty())
                .or(vm.capture().capturingProperty()));
        demo.getStyleClass().add("accent");

        ToggleButton theme = new ToggleButton();
        theme.setId("themeToggle");
        theme.selectedProperty().bindBidirectional(vm.darkThemeProperty());
        theme.textProperty().bind(Bindings.when(vm.darkThemeProperty()).then("Light theme").otherwise("Dark theme"));
        theme.setTooltip(new Tooltip("Switch between light and dark themes (Ctrl+T)"));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        MenuButton help = new MenuButton("Help");
        help.setId("helpMenu");
        MenuItem about = new MenuItem("About EventLens");
        about.setId("aboutItem");
        about.setOnAction(e -> showAbout());
        help.getItems().add(about);

        ToolBar bar = new ToolBar(connect, startStop, counterBox, new Separator(Orientation.VERTICAL),
                open, recent, save, ciRun, new Separator(Orientation.VERTICAL), demo, spacer, theme, help);
        bar.getStyleClass().add("main-toolbar");
        return bar;
    }

    private HBox statusBar() {
        Label status = new Label();
        status.setId("statusText");
        status.textProperty().bind(vm.statusProperty());
        status.setMinWidth(0);
        HBox.setHgrow(status, Priority.ALWAYS);
        status.setMaxWidth(Double.MAX_VALUE);

        Label task = new Label();
        task.textProperty().bind(Bindings.createStringBinding(
                () -> executor.messageProperty().get().isEmpty() ? executor.titleProperty().get() : executor.messageProperty().get(),
                executor.titleProperty(), executor.messageProperty()));
        task.getStyleClass().add("muted");
        ProgressBar progress = new ProgressBar();
        progress.progressProperty().bind(executor.progressProperty());
        progress.setPrefWidth(140);
        Button cancel = new Button("Cancel");
        cancel.getStyleClass().addAll("flat", "small");
        cancel.setOnAction(e -> executor.cancelCurrent());
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        progress.setMinWidth(60);
        task.setMinWidth(0);
        task.setMaxWidth(420); // a long task message gives way before the status text and Cancel
        HBox taskBox = new HBox(8, task, progress, cancel);
        taskBox.setAlignment(Pos.CENTER_RIGHT);
        taskBox.visibleProperty().bind(executor.busyProperty());
        taskBox.managedProperty().bind(taskBox.visibleProperty());

        // what a source says the capture may have missed (a tap's retention, a broker blocking publishers)
        Label warning = new Label();
        warning.setId("captureWarning");
        warning.getStyleClass().add("danger");
        warning.textProperty().bind(Bindings.createStringBinding(
                () -> vm.capture().warningProperty().get().isEmpty() ? "" : "⚠ " + vm.capture().warningProperty().get(),
                vm.capture().warningProperty()));
        warning.setMinWidth(0);
        warning.setMaxWidth(520);
        javafx.scene.control.Tooltip warningTip = new javafx.scene.control.Tooltip();
        warningTip.textProperty().bind(vm.capture().warningProperty());
        warningTip.setWrapText(true);
        warningTip.setMaxWidth(520);
        warning.setTooltip(warningTip);
        warning.visibleProperty().bind(vm.capture().warningProperty().isNotEmpty());
        warning.managedProperty().bind(warning.visibleProperty());

        HBox bar = new HBox(12, status, warning, taskBox);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(4, 12, 4, 12));
        bar.getStyleClass().add("status-bar");
        bar.setMinHeight(30);
        return bar;
    }

    /** Installs the window's keyboard shortcuts on its scene. */
    public void installShortcuts() {
        var acc = getScene().getAccelerators();
        acc.put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::openFile);
        acc.put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::saveAs);
        acc.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), tableView::focusSearch);
        acc.put(FOCUS_FILTER, () -> filterBar.focus());
        acc.put(new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN), this::connect);
        acc.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), this::toggleCapture);
        acc.put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN),
                () -> vm.darkThemeProperty().set(!vm.darkThemeProperty().get()));
        acc.put(TimelineView.COPY_TEXT, timelineView::copyText);
        acc.put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN), this::showDeadLetters);
        acc.put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), this::showFlows);
        acc.put(new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::openCiRunFolder);
        acc.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::openReplay);
        acc.put(new KeyCodeCombination(KeyCode.M, KeyCombination.SHORTCUT_DOWN), this::toggleFlowMap);
        acc.put(new KeyCodeCombination(KeyCode.J, KeyCombination.SHORTCUT_DOWN), this::showContracts);
        acc.put(new KeyCodeCombination(KeyCode.G, KeyCombination.SHORTCUT_DOWN), this::showConsumers);
    }

    /**
     * Dropping files on the window: one capture file ({@code .mv.db}) opens it; anything else (a CI
     * run's folder, a zip, artifact files) is opened as a CI run.
     */
    private void installDrop() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && !vm.capture().capturingProperty().get()) {
                e.acceptTransferModes(javafx.scene.input.TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            boolean done = !files.isEmpty();
            if (done) {
                Path first = files.get(0).toPath();
                if (files.size() == 1 && first.getFileName().toString().endsWith(".mv.db")) {
                    vm.openCapture(first);
                } else {
                    vm.openCiRun(files.size() == 1 ? first : first.getParent());
                }
            }
            e.setDropCompleted(done);
            e.consume();
        });
    }

    private void openCiRunFolder() {
        if (vm.capture().capturingProperty().get()) {
            return;
        }
        javafx.stage.DirectoryChooser chooser = new javafx.stage.DirectoryChooser();
        chooser.setTitle("Open a CI run's artifacts folder");
        File f = chooser.showDialog(window());
        if (f != null) {
            vm.openCiRun(f.toPath());
        }
    }

    private void openCiRunFile() {
        if (vm.capture().capturingProperty().get()) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a CI run's artifacts");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("CI run artifacts (*.zip, *.json, *.ndjson, *.jsonl, *.xml)",
                        "*.zip", "*.json", "*.ndjson", "*.jsonl", "*.xml"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = chooser.showOpenDialog(window());
        if (f != null) {
            vm.openCiRun(f.toPath());
        }
    }

    /** Shows the CI run view beside the table and focuses its list. */
    public void showCiRun() {
        sideTabs.getSelectionModel().select(ciRunTab);
        ciRunView.list().requestFocus();
    }

    /** Shows the Dead letters view beside the table and focuses its groups (Ctrl+D). */
    public void showDeadLetters() {
        sideTabs.getSelectionModel().select(deadLettersTab);
        deadLettersView.groupList().requestFocus();
    }

    /** Shows the Consumers view below the table and focuses its groups (Ctrl+G). */
    public void showConsumers() {
        lowerTabs.getSelectionModel().select(consumersTab);
        consumersView.groupList().requestFocus();
    }

    /** Shows the Contracts view beside the table and focuses its groups (Ctrl+J). */
    public void showContracts() {
        sideTabs.getSelectionModel().select(contractsTab);
        contractsView.groupList().requestFocus();
    }

    /** Shows the Flow map in place of the timeline, or the timeline again (Ctrl+M). */
    public void toggleFlowMap() {
        lowerTabs.getSelectionModel().select(lowerTabs.getSelectionModel().getSelectedItem() == flowMapTab
                ? timelineTab : flowMapTab);
    }

    /** Shows the Flow map in place of the timeline. */
    public void showFlowMap() {
        lowerTabs.getSelectionModel().select(flowMapTab);
    }

    /** The Flow map view. */
    public io.eventlens.app.ui.flowmap.FlowMapView flowMapView() {
        return flowMapView;
    }

    /** Shows the Flows panel beside the table and focuses its list (Ctrl+L). */
    public void showFlows() {
        sideTabs.getSelectionModel().select(flowsTab);
        flowsView.list().requestFocus();
    }

    private Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    private void connect() {
        if (vm.capture().capturingProperty().get()) {
            return;
        }
        ConnectDialog dialog = new ConnectDialog(vm.newConnectViewModel(), window());
        dialog.showAndWait().ifPresent(vm.capture()::start);
    }

    /** Opens the replay dialog on the timeline on show (the timeline's Replay… button, Ctrl+Shift+R). */
    public void openReplay() {
        io.eventlens.app.ui.replay.ReplayViewModel replay = vm.newReplayViewModel();
        if (replay == null) {
            return;
        }
        new io.eventlens.app.ui.replay.ReplayDialog(replay, window()).show();
    }

    /** Opens the replay dialog on events chosen in the table (its context menu). */
    public void openReplay(java.util.List<Long> seqs) {
        io.eventlens.app.ui.replay.ReplayViewModel replay = vm.newReplayViewModel(seqs);
        if (replay != null) {
            new io.eventlens.app.ui.replay.ReplayDialog(replay, window()).show();
        }
    }

    private void toggleCapture() {
        if (!vm.capture().toggle()) {
            connect();
        }
    }

    private void openFile() {
        if (vm.capture().capturingProperty().get()) {
            return;
        }
        FileChooser chooser = chooser("Open capture file");
        File f = chooser.showOpenDialog(window());
        if (f != null) {
            vm.openCapture(f.toPath());
        }
    }

    private void saveAs() {
        if (vm.storeProperty().get() == null) {
            return;
        }
        FileChooser chooser = chooser("Save capture as");
        chooser.setInitialFileName("capture.mv.db");
        File f = chooser.showSaveDialog(window());
        if (f != null) {
            Path p = f.toPath();
            if (!p.getFileName().toString().endsWith(".mv.db")) {
                p = p.resolveSibling(p.getFileName() + ".mv.db");
            }
            vm.saveCaptureAs(p);
        }
    }

    private FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("EventLens capture (*.mv.db)", "*.mv.db"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        var recent = vm.settings().recentFiles();
        File dir = recent.isEmpty() ? MainViewModel.defaultCapturesDir().toFile() : recent.get(0).toFile().getParentFile();
        if (dir != null && dir.isDirectory()) {
            chooser.setInitialDirectory(dir);
        }
        return chooser;
    }

    private void fillRecent(MenuButton menu) {
        menu.getItems().clear();
        for (Path p : vm.settings().recentFiles()) {
            MenuItem item = new MenuItem(p.toString());
            item.setOnAction(e -> vm.openCapture(p));
            item.setDisable(vm.capture().capturingProperty().get());
            menu.getItems().add(item);
        }
        if (menu.getItems().isEmpty()) {
            MenuItem none = new MenuItem("No recent capture files");
            none.setDisable(true);
            menu.getItems().add(none);
        }
    }

    private void showError(MainViewModel.UserError err) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(window());
        alert.setTitle("EventLens");
        alert.setHeaderText(err.title());
        alert.setContentText(err.message());
        alert.getDialogPane().setMinWidth(480);
        alert.getDialogPane().setMaxWidth(760);
        offerCopy(alert, "Copy details", vm.errorReport(err));
        alert.show();
    }

    /** Help → About: versions of EventLens, Java, JavaFX and the clients, and where the files are. */
    private void showAbout() {
        Alert alert = new Alert(Alert.AlertType.INFORMATION);
        alert.initOwner(window());
        alert.setTitle("About EventLens");
        alert.setHeaderText("EventLens — the event-flow inspector");
        String text = String.join("\n", vm.aboutLines());
        Label body = new Label(text);
        body.getStyleClass().add("mono");
        body.setId("aboutText");
        alert.getDialogPane().setContent(body);
        offerCopy(alert, "Copy", text);
        alert.show();
    }

    /** A button that copies {@code text} to the clipboard and leaves the dialog open. */
    private static void offerCopy(Alert alert, String label, String text) {
        javafx.scene.control.ButtonType copy = new javafx.scene.control.ButtonType(label,
                javafx.scene.control.ButtonBar.ButtonData.LEFT);
        alert.getButtonTypes().add(0, copy);
        Button button = (Button) alert.getDialogPane().lookupButton(copy);
        button.addEventFilter(javafx.event.ActionEvent.ACTION, e -> {
            javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
            content.putString(text);
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
            button.setText("Copied");
            e.consume(); // keep the dialog open
        });
    }

    /** The event table view. */
    /** The one filter box's shortcut: Ctrl+Shift+F (Cmd+Shift+F on macOS). */
    public static final KeyCodeCombination FOCUS_FILTER =
            new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    /** The one filter box. */
    public io.eventlens.app.ui.filter.FilterBarView filterBar() {
        return filterBar;
    }

    public EventTableView tableView() {
        return tableView;
    }

    /** The Flows panel. */
    public FlowsView flowsView() {
        return flowsView;
    }

    /** The Dead letters view. */
    public DeadLettersView deadLettersView() {
        return deadLettersView;
    }

    /** The tabs beside the event table: Flows and Dead letters. */
    public TabPane sideTabs() {
        return sideTabs;
    }

    /** The CI run view. */
    public CiRunView ciRunView() {
        return ciRunView;
    }

    /** The timeline view. */
    public TimelineView timelineView() {
        return timelineView;
    }

    /** The details view. */
    public DetailsView detailsView() {
        return detailsView;
    }

    /** Stops the pulse and every subscription. */
    public void dispose() {
        pulse.stop();
        subscriptions.unsubscribe();
        tableView.dispose();
        filterBar.dispose();
        flowsView.dispose();
        deadLettersView.dispose();
        ciRunView.dispose();
        contractsView.dispose();
        consumersView.dispose();
        timelineView.dispose();
        flowMapView.dispose();
    }
}
