package io.eventlens.app.ui.contracts;

import static io.eventlens.app.ui.controls.TwoLineCell.line;

import atlantafx.base.theme.Styles;
import io.eventlens.app.ui.controls.TwoLineCell;
import io.eventlens.core.contracts.ContractReport;
import java.io.File;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.util.Subscription;

/**
 * The Contracts view: load contracts (a file, or a folder), then per channel and event type how many
 * events of the capture were checked, passed and failed, with the most common violation; below, the
 * failing events of the selected group (correlation ID and store sequence, then the contract and its
 * first violations). A click or Enter on a failing event opens its timeline, where the details pane
 * shows every violation. Built for the narrow side area beside the event table, like the Dead
 * letters view (docs/reference/contracts.md).
 */
public final class ContractsView extends VBox {

    /** Height of a group or event row (two lines). */
    static final double ROW_HEIGHT = 46;

    private final ContractsViewModel vm;
    private final ListView<ContractsViewModel.GroupRow> groupList = new ListView<>();
    private final ListView<ContractReport.Failure> failureList = new ListView<>();
    private final Subscription subscriptions;

    /** A contracts view of {@code vm}. */
    public ContractsView(ContractsViewModel vm) {
        this.vm = vm;
        getStyleClass().add("contracts-view");
        setId("contractsView");

        Label title = new Label("Contracts");
        title.getStyleClass().add("section-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        title.setTooltip(new Tooltip("Check every event against its JSON Schema, AsyncAPI or CloudEvents contract;"
                + " remote $refs are refused, never fetched"));
        Button loadFile = new Button("File…");
        loadFile.setId("loadContractsFile");
        loadFile.getStyleClass().addAll(Styles.SMALL);
        loadFile.setTooltip(new Tooltip("Load a mapping file (eventlens-contracts.yaml), an AsyncAPI document or a JSON Schema"));
        loadFile.setOnAction(e -> chooseFile());
        Button loadFolder = new Button("Folder…");
        loadFolder.setId("loadContractsFolder");
        loadFolder.getStyleClass().addAll(Styles.SMALL);
        loadFolder.setTooltip(new Tooltip("Load a contracts folder: its mapping file, else every schema and AsyncAPI document in it"));
        loadFolder.setOnAction(e -> chooseFolder());
        loadFile.disableProperty().bind(vm.busyProperty());
        loadFolder.disableProperty().bind(vm.busyProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, loadFile, loadFolder);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 12, 2, 12));

        Label summary = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        summary.setId("contractsSummary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.setWrapText(true);
        summary.setTextOverrun(OverrunStyle.CLIP);
        Label source = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL, "mono");
        source.setId("contractsSource");
        source.textProperty().bind(vm.sourceProperty());
        source.setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
        source.visibleProperty().bind(vm.sourceProperty().isNotEmpty());
        source.managedProperty().bind(source.visibleProperty());
        VBox info = new VBox(2, summary, source);
        info.setPadding(new Insets(0, 12, 8, 12));

        groupList.setId("contractGroups");
        groupList.getStyleClass().addAll("dead-letter-list", Styles.DENSE);
        groupList.setFixedCellSize(ROW_HEIGHT);
        Label none = new Label("No events checked yet.");
        none.getStyleClass().add(Styles.TEXT_MUTED);
        none.setPadding(new Insets(12));
        groupList.setPlaceholder(none);
        groupList.setItems(vm.groups());
        groupList.setCellFactory(lv -> new GroupCell());

        failureList.setId("contractFailures");
        failureList.getStyleClass().addAll("dead-letter-list", Styles.DENSE);
        failureList.setFixedCellSize(ROW_HEIGHT);
        Label pick = new Label("Select a channel and type to see its failing events.");
        pick.getStyleClass().add(Styles.TEXT_MUTED);
        pick.setWrapText(true);
        failureList.setPlaceholder(pick);
        failureList.setItems(vm.failures());
        failureList.setCellFactory(lv -> new FailureCell());
        failureList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && failureList.getSelectionModel().getSelectedItem() != null) {
                vm.open(failureList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        Label failuresTitle = new Label("Failing events — click to open the timeline");
        failuresTitle.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        failuresTitle.setPadding(new Insets(4, 12, 4, 12));
        failuresTitle.setMinWidth(0);
        VBox lower = new VBox(failuresTitle, failureList);
        VBox.setVgrow(failureList, Priority.ALWAYS);

        SplitPane split = new SplitPane(groupList, lower);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.5);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(header, info, split);

        subscriptions = vm.selectedGroupProperty().subscribe(g -> {
                    if (groupList.getSelectionModel().getSelectedItem() != g) {
                        if (g == null) {
                            groupList.getSelectionModel().clearSelection();
                        } else {
                            groupList.getSelectionModel().select(g);
                        }
                    }
                })
                .and(groupList.getSelectionModel().selectedItemProperty().subscribe(g -> {
                    if (g != null) {
                        vm.selectedGroupProperty().set(g);
                    }
                }));
    }

    private void chooseFile() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Load contracts");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Contracts (*.yaml, *.yml, *.json)", "*.yaml", "*.yml", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.load(f.toPath());
        }
    }

    private void chooseFolder() {
        DirectoryChooser chooser = new DirectoryChooser();
        chooser.setTitle("Load a contracts folder");
        File f = chooser.showDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.load(f.toPath());
        }
    }

    /** The group list (for tests and focus). */
    public ListView<ContractsViewModel.GroupRow> groupList() {
        return groupList;
    }

    /** The failing events (for tests and focus). */
    public ListView<ContractReport.Failure> failureList() {
        return failureList;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        groupList.setItems(null);
        failureList.setItems(null);
    }

    private static final class GroupCell extends TwoLineCell<ContractsViewModel.GroupRow> {
        private final Label count = new Label();
        private final Label name = line("dead-letter-exception");
        private final Label checked = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        private final Label violation = line("dead-letter-reason");

        GroupCell() {
            super(560, null);
            count.getStyleClass().add("dead-letter-count");
            count.setMinWidth(Region.USE_PREF_SIZE);
            count.setAlignment(Pos.CENTER);
            checked.setMinWidth(Region.USE_PREF_SIZE);
            HBox.setHgrow(name, Priority.ALWAYS);
            HBox line1 = new HBox(8, count, name, checked);
            line1.setAlignment(Pos.CENTER_LEFT);
            lines(line1, violation);
        }

        @Override
        protected String show(ContractsViewModel.GroupRow row) {
            ContractReport.Group g = row.group();
            count.setText(String.format(Locale.ROOT, "%,d", g.failed()));
            count.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("passed"), g.failed() == 0);
            name.setText(g.channel() + " · " + (g.type() == null ? "(no type)" : g.type()));
            checked.setText(String.format(Locale.ROOT, "%,d checked · %,d passed", g.checked(), g.passed()));
            violation.setText(g.failed() == 0 ? "all passed " + g.contract() : row.topViolation());
            StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%s on %s: %,d checked, %,d passed, %,d failed%ncontract %s",
                    g.type() == null ? "(no type)" : g.type(), g.channel(), g.checked(), g.passed(), g.failed(), g.contract()));
            for (ContractReport.ViolationCount v : g.violations().subList(0, Math.min(8, g.violations().size()))) {
                t.append(String.format(Locale.ROOT, "%n%,6d × %s: %s (%s)", v.count(), v.pointer().isEmpty() ? "/" : v.pointer(),
                        v.message(), v.rule()));
            }
            return t.toString();
        }
    }

    private final class FailureCell extends TwoLineCell<ContractReport.Failure> {
        private final Label id = line("mono", "dead-letter-id");
        private final Label seq = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        private final Label detail = line("dead-letter-reason");

        FailureCell() {
            super(560, vm::open);
            seq.setMinWidth(Region.USE_PREF_SIZE);
            HBox.setHgrow(id, Priority.ALWAYS);
            HBox line1 = new HBox(8, id, seq);
            line1.setAlignment(Pos.CENTER_LEFT);
            lines(line1, detail);
        }

        @Override
        protected String show(ContractReport.Failure f) {
            id.setText(f.correlationId() == null ? "(no correlation ID)" : f.correlationId());
            seq.setText("#" + f.seq() + " · " + f.channel());
            detail.setText(f.check().summary());
            StringBuilder t = new StringBuilder("#" + f.seq() + " on " + f.channel() + "\ncontract " + f.check().contract()
                    + (f.check().schema() == null ? "" : " (" + f.check().schema() + ")") + "\nmatched by " + f.check().matchedBy());
            f.check().violations().forEach(v -> t.append("\n").append(v.describe())
                    .append(v.found() == null ? "" : " · found " + v.found()));
            return t.toString();
        }
    }
}
