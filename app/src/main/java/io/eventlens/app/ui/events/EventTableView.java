package io.eventlens.app.ui.events;

import io.eventlens.app.ui.task.Throttler;
import io.eventlens.app.ui.timeline.MarkerPainter;
import io.eventlens.core.analysis.AnomalyKind;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.Subscription;
import org.controlsfx.control.textfield.AutoCompletionBinding;
import org.controlsfx.control.textfield.TextFields;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The live event table with the correlation ID search above it. The table is virtualized over the
 * paged row list (fixed cell size, cheap cell value factories); the search field completes correlation
 * IDs from the store (queried off the FX thread by the completion popup) and opens the timeline on
 * Enter; double-clicking a row opens its correlation ID's timeline. When the timeline selects another
 * event, the table selects its row and scrolls to it (unless "Follow new events" is on).
 */
public final class EventTableView extends VBox {

    private java.util.function.Consumer<List<Long>> onReplaySelected;

    /** Receives the store sequences of the selected rows when the user asks to replay them (the context menu). */
    public void setOnReplaySelected(java.util.function.Consumer<List<Long>> action) {
        this.onReplaySelected = action;
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private final EventTableViewModel vm;
    private final TextField search = new TextField();
    private final TableView<EventRow> table = new TableView<>();
    private final AutoCompletionBinding<String> completion;
    private final Throttler refreshThrottle = new Throttler(300, table::refresh);
    private final Subscription subscriptions;
    private final CheckBox follow;
    /** True while the table selects the timeline's event: that selection is not the user's, so it is not echoed back. */
    private boolean revealing;

    /** A table view of {@code vm}. */
    public EventTableView(EventTableViewModel vm) {
        this.vm = vm;
        getStyleClass().add("event-table-view");

        Label title = new Label("Events");
        title.getStyleClass().add("section-title");
        Label count = new Label();
        count.getStyleClass().add("muted");
        count.setMinWidth(Region.USE_PREF_SIZE);
        count.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> String.format(Locale.ROOT, vm.filterStatusProperty().get().isEmpty() ? "%,d in capture" : "%,d match the filter",
                        vm.eventCountProperty().get()),
                vm.eventCountProperty(), vm.filterStatusProperty()));

        search.setId("correlationSearch");
        search.setPromptText("Correlation ID — type to complete, Enter opens the timeline (Ctrl+F)");
        search.textProperty().bindBidirectional(vm.searchTextProperty());
        search.setOnAction(e -> vm.openSearchedTimeline());
        search.getStyleClass().add("search-field");
        HBox.setHgrow(search, Priority.ALWAYS);
        search.setMaxWidth(560);
        search.setMinWidth(180); // the bar fits a 1280-px screen: the search field gives way first
        completion = TextFields.bindAutoCompletion(search, request -> vm.completions(request.getUserText()));
        completion.setDelay(150);
        completion.setVisibleRowCount(12);
        completion.setOnAutoCompleted(e -> vm.openSearchedTimeline());
        // the popup is a window of its own: give it the app's stylesheet so it follows the theme
        // (ControlsFX's default paints it white, unreadable in the dark theme)
        completion.getAutoCompletionPopup().getStyleClass().add("eventlens-completion");
        completion.getAutoCompletionPopup().getScene().getStylesheets().add(java.util.Objects.requireNonNull(
                EventTableView.class.getResource("/io/eventlens/app/ui/eventlens.css")).toExternalForm());
        Button open = new Button("Show timeline");
        open.setOnAction(e -> vm.openSearchedTimeline());
        open.disableProperty().bind(search.textProperty().isEmpty());
        title.setMinWidth(Region.USE_PREF_SIZE);
        open.setMinWidth(Region.USE_PREF_SIZE);

        follow = new CheckBox("Follow new events");
        follow.setId("followToggle");
        follow.setMinWidth(Region.USE_PREF_SIZE);
        follow.setTooltip(new Tooltip("Keep the newest captured event in view"));
        follow.selectedProperty().bindBidirectional(vm.followNewEventsProperty());
        vm.rows().addListener((javafx.collections.ListChangeListener<EventRow>) c -> {
            if (follow.isSelected() && !vm.rows().isEmpty()) {
                table.scrollTo(vm.rows().size() - 1);
            }
        });

        HBox bar = new HBox(10, title, count, follow, new javafx.scene.layout.Region(), search, open);
        HBox.setHgrow(bar.getChildren().get(3), Priority.ALWAYS);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 12, 8, 12));

        table.setId("eventTable");
        table.setItems(vm.rows());
        table.setFixedCellSize(26);
        table.getStyleClass().addAll("dense", "striped");
        table.setPlaceholder(new Label("No events yet: open a capture (Ctrl+O), connect to Kafka, or start the demo."));
        table.getColumns().add(anomalyColumn());
        table.getColumns().add(column("Seq", 70, r -> r.seq(), "num"));
        table.getColumns().add(column("Observed (UTC)", 140, r -> TIME.format(r.observedAt()), null));
        table.getColumns().add(filterable(column("Channel", 130, EventRow::channel, null), "channel", EventRow::channel));
        table.getColumns().add(column("P / offset", 95, EventRow::position, "num"));
        table.getColumns().add(filterable(column("Key", 120, EventRow::key, "mono"), "key",
                r -> r.key().endsWith("…") || r.key().contains("\uFFFD") ? null : r.key()));
        table.getColumns().add(filterable(column("Type", 160, EventRow::type, null), "type", EventRow::type));
        table.getColumns().add(filterable(column("Event ID", 170, EventRow::eventId, "mono"), "eventId",
                r -> r.eventId().startsWith("#") ? r.eventId().substring(1) : r.eventId()));
        table.getColumns().add(filterable(column("Correlation ID", 170, EventRow::correlationId, "mono"),
                "correlationId", EventRow::correlationId));
        table.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        table.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        javafx.scene.control.MenuItem replay = new javafx.scene.control.MenuItem("Replay selected events…");
        replay.setId("replaySelected");
        replay.setOnAction(e -> {
            List<Long> seqs = table.getSelectionModel().getSelectedItems().stream().map(EventRow::seq).toList();
            if (!seqs.isEmpty() && onReplaySelected != null) {
                onReplaySelected.accept(seqs);
            }
        });
        table.setContextMenu(new javafx.scene.control.ContextMenu(replay));
        table.setRowFactory(tv -> {
            TableRow<EventRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (!row.isEmpty() && e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                    vm.openTimelineOf(row.getItem());
                }
            });
            return row;
        });
        table.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && table.getSelectionModel().getSelectedItem() != null) {
                vm.openTimelineOf(table.getSelectionModel().getSelectedItem());
            }
        });
        VBox.setVgrow(table, Priority.ALWAYS);

        getChildren().addAll(bar, table);
        subscriptions = table.getSelectionModel().selectedItemProperty().subscribe(row -> {
                    if (!revealing) {
                        vm.select(row);
                    }
                })
                .and(vm.anomaliesVersionProperty().subscribe(v -> refreshThrottle.schedule()))
                .and(vm.pagesVersionProperty().subscribe(v -> table.refresh()))
                .and(vm.rowToSelectProperty().subscribe(row -> reveal(row.intValue())));
    }

    private java.util.function.BiConsumer<String, Boolean> onFilter;

    /**
     * Receives "Filter on this" ({@code false}) and "Exclude this" ({@code true}) of a cell's context
     * menu, with the CEL term that selects exactly the cell's value.
     */
    public void setOnFilter(java.util.function.BiConsumer<String, Boolean> action) {
        this.onFilter = action;
    }

    /**
     * Gives the column's cells a context menu: "Filter on field == value", "Exclude ..." (the value
     * escaped as a CEL string, {@link io.eventlens.core.filter.FilterExpressions}) and the table's
     * replay item. {@code exact} gives the value to filter on, {@code null} when the cell does not
     * show it whole (a shortened key).
     */
    private TableColumn<EventRow, String> filterable(TableColumn<EventRow, String> c, String field,
                                                     java.util.function.Function<EventRow, String> exact) {
        c.setCellFactory(col -> {
            TableCell<EventRow, String> cell = new TableCell<>() {
                @Override
                protected void updateItem(String item, boolean empty) {
                    super.updateItem(item, empty);
                    setText(empty ? null : item);
                }
            };
            cell.setOnContextMenuRequested(e -> {
                EventRow row = cell.getTableRow() == null ? null : cell.getTableRow().getItem();
                String value = row == null ? null : exact.apply(row);
                javafx.scene.control.ContextMenu menu = new javafx.scene.control.ContextMenu();
                if (value != null && !value.isEmpty() && onFilter != null) {
                    String term = io.eventlens.core.filter.FilterExpressions.equalTo(field, value);
                    javafx.scene.control.MenuItem on = new javafx.scene.control.MenuItem("Filter on " + shortTerm(term));
                    on.setId("filterOnThis");
                    on.setMnemonicParsing(false);
                    on.setOnAction(a -> onFilter.accept(term, false));
                    javafx.scene.control.MenuItem off = new javafx.scene.control.MenuItem("Exclude " + shortTerm(term));
                    off.setId("excludeThis");
                    off.setMnemonicParsing(false);
                    off.setOnAction(a -> onFilter.accept(term, true));
                    menu.getItems().addAll(on, off, new javafx.scene.control.SeparatorMenuItem());
                }
                menu.getItems().addAll(table.getContextMenu().getItems().stream()
                        .filter(i -> "replaySelected".equals(i.getId())).map(i -> {
                            javafx.scene.control.MenuItem copy = new javafx.scene.control.MenuItem(i.getText());
                            copy.setOnAction(i.getOnAction());
                            return copy;
                        }).toList());
                cell.setContextMenu(menu);
            });
            return cell;
        });
        return c;
    }

    private static String shortTerm(String term) {
        return term.length() > 60 ? term.substring(0, 57) + "…" : term;
    }

    private interface Getter<T> {
        T get(EventRow row);
    }

    private static <T> TableColumn<EventRow, T> column(String title, double width, Getter<T> getter, String style) {
        TableColumn<EventRow, T> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(getter.get(cell.getValue())));
        if (style != null) {
            c.getStyleClass().add(style);
        }
        return c;
    }

    private TableColumn<EventRow, AnomalyKind> anomalyColumn() {
        TableColumn<EventRow, AnomalyKind> c = new TableColumn<>("Anomaly");
        c.setPrefWidth(185);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(vm.anomalyOf(cell.getValue().seq())));
        c.setCellFactory(col -> new TableCell<>() {
            private final Circle dot = new Circle(5);
            private final Tooltip tip = new Tooltip();

            @Override
            protected void updateItem(AnomalyKind kind, boolean empty) {
                super.updateItem(kind, empty);
                if (empty || kind == null) {
                    setText(null);
                    setGraphic(null);
                    setTooltip(null);
                    return;
                }
                dot.setFill(MarkerPainter.color(kind));
                setGraphic(dot);
                setText(MarkerPainter.style(kind).label());
                tip.setText(MarkerPainter.style(kind).label() + ": " + MarkerPainter.style(kind).description());
                setTooltip(tip);
            }
        });
        return c;
    }

    /**
     * Selects {@code row} (the timeline's selected event) and scrolls it into view a few rows below the
     * top, keeping those rows on the row's own page so the jump reads one page. The selection is not
     * passed on to the view model: the details already show that event.
     */
    private void reveal(int row) {
        if (row < 0 || row >= table.getItems().size() || follow.isSelected()) {
            return;
        }
        revealing = true;
        try {
            table.getSelectionModel().clearAndSelect(row);
        } finally {
            revealing = false;
        }
        int pageStart = row - row % PagedEventList.PAGE_SIZE;
        table.scrollTo(Math.max(pageStart, row - 3));
    }

    /** Focuses the correlation ID search and selects its text (Ctrl+F). */
    public void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    /** The search field. */
    public TextField searchField() {
        return search;
    }

    /** The table. */
    public TableView<EventRow> table() {
        return table;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        follow.selectedProperty().unbindBidirectional(vm.followNewEventsProperty());
        refreshThrottle.cancel();
        completion.dispose();
        search.textProperty().unbindBidirectional(vm.searchTextProperty());
    }
}
