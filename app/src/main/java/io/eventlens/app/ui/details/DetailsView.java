package io.eventlens.app.ui.details;

import atlantafx.base.theme.Styles;
import io.eventlens.app.ui.timeline.MarkerPainter;
import io.eventlens.core.analysis.Anomaly;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TextArea;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;

/**
 * The details pane of the selected event: an Overview tab (for a dead-lettered event first its reason,
 * exception, original channel and position, attempts, a button to go to its original and its stack
 * trace in a collapsed pane; anomalies with their messages, derived
 * fields with the rule that found each, source coordinates, key), a Headers tab and a Payload tab
 * (pretty JSON, else text, else hex; truncated for huge payloads).
 */
public final class DetailsView extends VBox {

    private final DetailsViewModel vm;
    private final VBox anomalyBox = new VBox(6);
    private final VBox contractBox = new VBox(6);
    private final VBox consumptionBox = new VBox(4);
    private final TextArea payload = new TextArea();
    private final Tab payloadTab;
    private final TabPane tabs;
    private final GridPane derivedGrid = grid();
    private final GridPane sourceGrid = grid();
    private final GridPane deadLetterGrid = grid();
    private final Button originalButton = new Button();
    private final Label linkLabel = new Label();
    private final TextArea stackTrace = new TextArea();
    private final TitledPane stackTracePane = new TitledPane("Stack trace", stackTrace);

    /** A details view of {@code vm}. */
    public DetailsView(DetailsViewModel vm) {
        this.vm = vm;
        getStyleClass().add("details-view");
        setId("detailsView");

        Label title = new Label();
        title.setId("detailsTitle");
        title.getStyleClass().add("section-title");
        title.textProperty().bind(vm.titleProperty());
        title.setPadding(new Insets(8, 12, 6, 12));

        Label keyLabel = new Label();
        keyLabel.getStyleClass().add("mono");
        keyLabel.textProperty().bind(vm.keyTextProperty());
        keyLabel.setWrapText(true);

        originalButton.setId("goToOriginal");
        originalButton.getStyleClass().addAll(Styles.SMALL, Styles.ACCENT);
        originalButton.setOnAction(e -> vm.openOriginal());
        linkLabel.getStyleClass().add(Styles.TEXT_MUTED);
        linkLabel.setWrapText(true);
        HBox originalRow = new HBox(8, originalButton, linkLabel);
        originalRow.setAlignment(Pos.CENTER_LEFT);
        stackTrace.setId("deadLetterStackTrace");
        stackTrace.setEditable(false);
        stackTrace.setWrapText(false);
        stackTrace.setPrefRowCount(10);
        stackTrace.getStyleClass().add("mono-area");
        stackTracePane.setId("deadLetterStackTracePane");
        stackTracePane.setExpanded(false);
        stackTracePane.setAnimated(false);
        stackTracePane.managedProperty().bind(stackTracePane.visibleProperty());
        VBox deadLetterBox = new VBox(8, subheading("Dead letter"), deadLetterGrid, originalRow, stackTracePane);
        deadLetterBox.setId("deadLetterDetails");
        deadLetterBox.getStyleClass().add("dead-letter-details");
        deadLetterBox.visibleProperty().bind(vm.deadLetterProperty().isNotNull());
        deadLetterBox.managedProperty().bind(deadLetterBox.visibleProperty());

        contractBox.setId("contractDetails");
        contractBox.getStyleClass().add("contract-details");
        contractBox.visibleProperty().bind(vm.contractProperty().isNotNull());
        contractBox.managedProperty().bind(contractBox.visibleProperty());

        consumptionBox.setId("consumptionDetails");
        consumptionBox.visibleProperty().bind(vm.consumptionProperty().isNotNull());
        consumptionBox.managedProperty().bind(consumptionBox.visibleProperty());
        VBox overview = new VBox(10, deadLetterBox, contractBox, consumptionBox,
                subheading("Anomalies"), anomalyBox,
                subheading("Derived fields"), derivedGrid,
                subheading("Source"), sourceGrid,
                subheading("Key"), keyLabel);
        overview.setPadding(new Insets(10, 12, 12, 12));
        ScrollPane overviewScroll = new ScrollPane(overview);
        overviewScroll.setFitToWidth(true);
        overviewScroll.getStyleClass().add("edge-to-edge");

        TableView<DetailsViewModel.Field> headers = new TableView<>(vm.headers());
        headers.setId("headersTable");
        headers.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        headers.setFixedCellSize(26);
        headers.setPlaceholder(new Label("No headers"));
        TableColumn<DetailsViewModel.Field, String> hName = new TableColumn<>("Header");
        hName.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        hName.setPrefWidth(200);
        TableColumn<DetailsViewModel.Field, String> hValue = new TableColumn<>("Value");
        hValue.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().value()));
        headers.getColumns().add(hName);
        headers.getColumns().add(hValue);
        headers.getStyleClass().add("dense");
        headers.setRowFactory(tv -> {
            javafx.scene.control.TableRow<DetailsViewModel.Field> row = new javafx.scene.control.TableRow<>();
            row.setOnContextMenuRequested(e -> {
                DetailsViewModel.Field f = row.getItem();
                String value = f == null ? null : vm.headerText(row.getIndex());
                row.setContextMenu(value == null || onFilter == null ? null
                        : filterMenu(io.eventlens.core.filter.FilterExpressions.header(f.name(), value)));
            });
            return row;
        });

        payload.setId("payloadText");
        payload.setEditable(false);
        payload.getStyleClass().add("mono-area");
        payload.textProperty().bind(vm.payloadTextProperty());
        Label payloadSummary = new Label();
        payloadSummary.getStyleClass().add("muted");
        payloadSummary.textProperty().bind(vm.payloadSummaryProperty());
        VBox payloadBox = new VBox(6, payloadSummary, payload);
        payloadBox.setPadding(new Insets(8, 12, 12, 12));
        VBox.setVgrow(payload, Priority.ALWAYS);

        javafx.scene.control.TreeView<PayloadNode> fields = new javafx.scene.control.TreeView<>();
        fields.setId("payloadTree");
        fields.setShowRoot(false);
        fields.setCellFactory(tv -> {
            javafx.scene.control.TreeCell<PayloadNode> cell = new javafx.scene.control.TreeCell<>() {
                @Override
                protected void updateItem(PayloadNode item, boolean empty) {
                    super.updateItem(item, empty);
                    setText(empty || item == null ? null : item.label());
                }
            };
            cell.setOnContextMenuRequested(e -> {
                PayloadNode n = cell.getItem();
                cell.setContextMenu(n == null || !n.scalar() || onFilter == null ? null
                        : filterMenu(io.eventlens.core.filter.FilterExpressions.payloadField(n.path(), n.value())));
            });
            return cell;
        });
        vm.payloadTextProperty().subscribe(text -> fields.setRoot(PayloadNode.tree(text)));
        Tab fieldsTab = new Tab("Fields", fields);
        fieldsTab.setTooltip(new Tooltip("The JSON payload as a tree: right-click a value to filter on it"));

        Tab overviewTab = new Tab("Overview", overviewScroll);
        Tab headersTab = new Tab("Headers", headers);
        headersTab.textProperty().bind(Bindings.size(vm.headers()).asString("Headers (%d)"));
        payloadTab = new Tab("Payload", payloadBox);
        tabs = new TabPane(overviewTab, headersTab, payloadTab, fieldsTab);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("detailsTabs");
        VBox.setVgrow(tabs, Priority.ALWAYS);

        Label empty = new Label("Select an event in the table or on the timeline to see its details.");
        empty.getStyleClass().add("muted");
        empty.setWrapText(true);
        empty.setPadding(new Insets(16));
        empty.visibleProperty().bind(vm.hasEventProperty().not());
        empty.managedProperty().bind(empty.visibleProperty());
        tabs.visibleProperty().bind(vm.hasEventProperty());
        tabs.managedProperty().bind(tabs.visibleProperty());

        getChildren().addAll(title, empty, tabs);
        setMinWidth(300);

        vm.anomalies().addListener((ListChangeListener<Anomaly>) c -> rebuildAnomalies());
        vm.derived().addListener((ListChangeListener<DetailsViewModel.Field>) c -> fill(derivedGrid, vm.derived(), true));
        vm.source().addListener((ListChangeListener<DetailsViewModel.Field>) c -> fill(sourceGrid, vm.source(), true));
        vm.deadLetterProperty().subscribe(this::showDeadLetter);
        vm.contractProperty().subscribe(this::showContract);
        vm.consumptionProperty().subscribe(this::showConsumption);
    }

    /**
     * The Consumer groups section: each followed group that committed past the event and how long
     * after it was observed, then each that never did by the capture's end with its lag then
     * (docs/decisions/0021-consumer-groups.md).
     */
    private void showConsumption(io.eventlens.core.analysis.Consumption c) {
        consumptionBox.getChildren().clear();
        if (c == null) {
            return;
        }
        consumptionBox.getChildren().add(subheading("Consumer groups"));
        for (io.eventlens.core.analysis.Consumption.ConsumedBy b : c.consumedBy()) {
            Label l = new Label("✓ " + b.describe());
            l.setWrapText(true);
            l.getStyleClass().add("consumed-by");
            consumptionBox.getChildren().add(l);
        }
        for (io.eventlens.core.analysis.Consumption.NotConsumedBy n : c.notConsumedBy()) {
            Label l = new Label("✗ " + n.describe());
            l.setWrapText(true);
            l.getStyleClass().addAll("not-consumed-by", n.stalled() ? Styles.DANGER : Styles.WARNING);
            consumptionBox.getChildren().add(l);
        }
    }

    /**
     * The Contract section: which contract applied and why, then each violation (JSON Pointer,
     * message, rule, expected and found value) (docs/reference/contracts.md).
     */
    private void showContract(io.eventlens.core.analysis.ContractCheck c) {
        contractBox.getChildren().clear();
        if (c == null) {
            return;
        }
        Label verdict = new Label(c.passed() ? "Passed " + c.contract()
                : "Broke " + c.contract() + " · " + c.violationCount() + (c.violationCount() == 1 ? " violation" : " violations"));
        verdict.setId("contractVerdict");
        verdict.getStyleClass().add(c.passed() ? Styles.SUCCESS : Styles.DANGER);
        verdict.setWrapText(true);
        Label why = new Label((c.schema() == null ? "" : "schema " + c.schema() + "\n") + "matched by " + c.matchedBy());
        why.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        why.setWrapText(true);
        contractBox.getChildren().addAll(subheading("Contract"), verdict, why);
        for (io.eventlens.core.analysis.ContractViolation v : c.violations()) {
            javafx.scene.control.Hyperlink pointer = new javafx.scene.control.Hyperlink(v.pointer().isEmpty() ? "/" : v.pointer());
            pointer.getStyleClass().addAll("mono", "contract-pointer");
            pointer.setTooltip(new javafx.scene.control.Tooltip("Show it in the payload"));
            pointer.setOnAction(e -> showInPayload(v.pointer()));
            Label message = new Label(v.message());
            message.setWrapText(true);
            Label detail = new Label("rule " + v.rule() + (v.expected() == null ? "" : " · expected " + v.expected())
                    + (v.found() == null ? "" : " · found " + v.found()));
            detail.getStyleClass().addAll("rule", "mono");
            detail.setWrapText(true);
            VBox row = new VBox(1, pointer, message, detail);
            row.getStyleClass().add("contract-violation");
            contractBox.getChildren().add(row);
        }
        if (c.violationCount() > c.violations().size()) {
            Label more = new Label("… and " + (c.violationCount() - c.violations().size()) + " more");
            more.getStyleClass().add(Styles.TEXT_MUTED);
            contractBox.getChildren().add(more);
        }
    }

    private void showDeadLetter(DetailsViewModel.DeadLetter d) {
        if (d == null) {
            deadLetterGrid.getChildren().clear();
            stackTrace.clear();
            return;
        }
        fill(deadLetterGrid, javafx.collections.FXCollections.observableList(d.fields()), true);
        originalButton.setText(d.originalSeq() > 0 ? "Go to the original #" + d.originalSeq() : "Go to the original");
        originalButton.setDisable(d.originalSeq() <= 0);
        linkLabel.setText(d.link());
        stackTrace.setText(d.stackTrace());
        stackTracePane.setVisible(!d.stackTrace().isEmpty());
        stackTracePane.setExpanded(false);
    }

    private java.util.function.BiConsumer<String, Boolean> onFilter;

    /**
     * Receives "Filter on this" ({@code false}) and "Exclude this" ({@code true}) of a header or a
     * payload field's context menu, with the CEL term that selects exactly that value.
     */
    public void setOnFilter(java.util.function.BiConsumer<String, Boolean> action) {
        this.onFilter = action;
    }

    private javafx.scene.control.ContextMenu filterMenu(String term) {
        String shown = term.length() > 70 ? term.substring(0, 67) + "…" : term;
        javafx.scene.control.MenuItem on = new javafx.scene.control.MenuItem("Filter on this: " + shown);
        on.setId("filterOnThis");
        on.setMnemonicParsing(false);
        on.setOnAction(a -> onFilter.accept(term, false));
        javafx.scene.control.MenuItem off = new javafx.scene.control.MenuItem("Exclude this");
        off.setId("excludeThis");
        off.setOnAction(a -> onFilter.accept(term, true));
        return new javafx.scene.control.ContextMenu(on, off);
    }

    /** Selects the member a violation's pointer names in the Payload tab (its parent when it is missing). */
    private void showInPayload(String pointer) {
        int[] range = DetailsViewModel.rangeOf(payload.getText(), pointer);
        tabs.getSelectionModel().select(payloadTab);
        if (range != null) {
            payload.requestFocus();
            payload.selectRange(range[0], range[1]);
        }
    }

    private static Label subheading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("subheading");
        return l;
    }

    private static GridPane grid() {
        GridPane g = new GridPane();
        g.setHgap(12);
        g.setVgap(4);
        ColumnConstraints name = new ColumnConstraints();
        name.setMinWidth(100);
        name.setPrefWidth(110);
        ColumnConstraints value = new ColumnConstraints();
        value.setHgrow(Priority.ALWAYS);
        value.setMinWidth(80);
        g.getColumnConstraints().addAll(name, value);
        return g;
    }

    private static void fill(GridPane grid, ObservableList<DetailsViewModel.Field> fields, boolean withRule) {
        grid.getChildren().clear();
        int row = 0;
        for (DetailsViewModel.Field f : fields) {
            Label name = new Label(f.name());
            name.getStyleClass().add("field-name");
            GridPane.setValignment(name, VPos.TOP);
            Label value = new Label(f.value());
            value.getStyleClass().add("field-value");
            value.setWrapText(true);
            VBox cell = new VBox(1, value);
            if (withRule && f.rule() != null && !f.rule().isEmpty()) {
                Label rule = new Label(f.rule());
                rule.getStyleClass().add(f.rule().startsWith("synthetic") ? "rule-warning" : "rule");
                rule.setWrapText(true);
                cell.getChildren().add(rule);
            }
            grid.add(name, 0, row);
            grid.add(cell, 1, row);
            row++;
        }
    }

    private void rebuildAnomalies() {
        anomalyBox.getChildren().clear();
        if (vm.anomalies().isEmpty()) {
            Label none = new Label("None found on this event.");
            none.getStyleClass().add("muted");
            anomalyBox.getChildren().add(none);
            return;
        }
        for (Anomaly a : vm.anomalies()) {
            Canvas icon = new Canvas(18, 18);
            MarkerPainter.paint(icon.getGraphicsContext2D(), a.kind(), 9, 9, 6.5, Color.WHITE);
            Label kind = new Label(a.kind().name().replace('_', ' '));
            kind.getStyleClass().add("anomaly-kind");
            kind.setTextFill(MarkerPainter.color(a.kind()));
            Label message = new Label(a.message());
            message.setWrapText(true);
            message.getStyleClass().add("anomaly-message");
            Label rule = new Label("rule " + a.rule());
            rule.getStyleClass().add("rule");
            VBox text = new VBox(2, kind, message, rule);
            for (var ev : a.evidence().entrySet()) {
                Label evidence = new Label(ev.getKey() + " = " + ev.getValue());
                evidence.getStyleClass().add("evidence");
                evidence.setWrapText(true);
                text.getChildren().add(evidence);
            }
            HBox row = new HBox(8, icon, text);
            row.setAlignment(Pos.TOP_LEFT);
            row.getStyleClass().add("anomaly-row");
            HBox.setHgrow(text, Priority.ALWAYS);
            anomalyBox.getChildren().add(row);
        }
    }
}
