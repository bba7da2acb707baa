package io.eventlens.app.ui.deadletters;

import atlantafx.base.theme.Styles;
import atlantafx.base.theme.Tweaks;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;

import java.util.function.Function;

/**
 * The Dead letters view: the capture's dead-lettered events grouped by reason, exception class and
 * original channel with counts (most first), and below, the latest events of the selected group
 * (correlation ID, channel, observed time, attempts, exception text). A click or Enter on an event
 * opens its correlation ID's timeline. Says "No dead-lettered events" when the capture has none.
 */
public final class DeadLettersView extends VBox {

    /** Height of a table row, fixed so the tables stay cheap to scroll. */
    static final double ROW_HEIGHT = 26;

    private final DeadLettersViewModel vm;
    private final TableView<DeadLetterGroupRow> groupTable = new TableView<>();
    private final TableView<DeadLetterEventRow> eventTable = new TableView<>();
    private final Subscription subscriptions;

    /** A dead letters view of {@code vm}. */
    public DeadLettersView(DeadLettersViewModel vm) {
        this.vm = vm;
        getStyleClass().add("dead-letters-view");
        setId("deadLettersView");

        Label title = new Label("Dead letters");
        title.getStyleClass().add("section-title");
        title.setTooltip(new Tooltip("Every dead-lettered event of the capture, grouped by reason, exception class "
                + "and original channel; click or press Enter on an event to open its timeline (Ctrl+D)"));
        Label summary = new Label();
        summary.setId("deadLetterSummary");
        summary.getStyleClass().add(Styles.TEXT_MUTED);
        summary.textProperty().bind(vm.summaryProperty());
        summary.setMinWidth(0);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, summary);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 12, 8, 12));

        groupTable.setId("deadLetterGroups");
        groupTable.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        groupTable.setFixedCellSize(ROW_HEIGHT);
        groupTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        groupTable.setPlaceholder(placeholder());
        groupTable.setItems(vm.groups());
        TableColumn<DeadLetterGroupRow, Long> count = new TableColumn<>("Count");
        count.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().count()));
        count.setPrefWidth(60);
        count.getStyleClass().add(Styles.TEXT_BOLD);
        groupTable.getColumns().add(count);
        groupTable.getColumns().add(text("Exception", DeadLetterGroupRow::exceptionClass, 150));
        groupTable.getColumns().add(text("Reason", DeadLetterGroupRow::reason, 220));
        groupTable.getColumns().add(text("Original channel", DeadLetterGroupRow::originalChannel, 110));
        groupTable.setRowFactory(t -> {
            TableRow<DeadLetterGroupRow> row = new TableRow<>() {
                @Override
                protected void updateItem(DeadLetterGroupRow item, boolean empty) {
                    super.updateItem(item, empty);
                    setTooltip(empty || item == null ? null : new Tooltip(item.count() + " dead-lettered on "
                            + item.channels() + "\n" + (item.exceptionFqcn().isEmpty() ? "no exception class"
                            : item.exceptionFqcn()) + "\n" + item.reason() + "\nfrom " + item.originalChannel()));
                }
            };
            return row;
        });

        eventTable.setId("deadLetterEvents");
        eventTable.getStyleClass().addAll(Styles.DENSE, Tweaks.EDGE_TO_EDGE);
        eventTable.setFixedCellSize(ROW_HEIGHT);
        eventTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label pick = new Label("Select a group to see its latest dead-lettered events.");
        pick.getStyleClass().add(Styles.TEXT_MUTED);
        eventTable.setPlaceholder(pick);
        eventTable.setItems(vm.events());
        eventTable.getColumns().add(text("Correlation ID", r -> r.correlationId().isEmpty() ? "(none)" : r.correlationId(), 130));
        eventTable.getColumns().add(text("Channel", DeadLetterEventRow::channel, 90));
        eventTable.getColumns().add(text("Observed", DeadLetterEventRow::observed, 170));
        eventTable.getColumns().add(text("Attempts", DeadLetterEventRow::attempts, 64));
        eventTable.getColumns().add(text("Exception", DeadLetterEventRow::exceptionText, 220));
        eventTable.setRowFactory(t -> {
            TableRow<DeadLetterEventRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (!row.isEmpty() && e.getButton() == MouseButton.PRIMARY) {
                    vm.open(row.getItem());
                }
            });
            return row;
        });
        eventTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && eventTable.getSelectionModel().getSelectedItem() != null) {
                vm.open(eventTable.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        Label eventsTitle = new Label("Latest events of the selected group — click to open the timeline");
        eventsTitle.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        eventsTitle.setPadding(new Insets(4, 12, 4, 12));
        VBox lower = new VBox(eventsTitle, eventTable);
        VBox.setVgrow(eventTable, Priority.ALWAYS);

        SplitPane split = new SplitPane(groupTable, lower);
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.45);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(header, split);

        subscriptions = vm.selectedGroupProperty().subscribe(g -> {
                    if (groupTable.getSelectionModel().getSelectedItem() != g) {
                        if (g == null) {
                            groupTable.getSelectionModel().clearSelection();
                        } else {
                            groupTable.getSelectionModel().select(g);
                        }
                    }
                })
                .and(groupTable.getSelectionModel().selectedItemProperty().subscribe(g -> {
                    if (g != null) {
                        vm.selectedGroupProperty().set(g);
                    }
                }));
    }

    private Label placeholder() {
        Label l = new Label();
        l.setId("deadLetterPlaceholder");
        l.textProperty().bind(vm.summaryProperty());
        l.setWrapText(true);
        l.getStyleClass().add(Styles.TEXT_MUTED);
        l.setPadding(new Insets(12));
        return l;
    }

    private static <R> TableColumn<R, String> text(String name, Function<R, String> value, double width) {
        TableColumn<R, String> c = new TableColumn<>(name);
        c.setCellValueFactory(cell -> new ReadOnlyStringWrapper(value.apply(cell.getValue())));
        c.setPrefWidth(width);
        return c;
    }

    /** The group table (for tests and focus). */
    public TableView<DeadLetterGroupRow> groupTable() {
        return groupTable;
    }

    /** The event table (for tests and focus). */
    public TableView<DeadLetterEventRow> eventTable() {
        return eventTable;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        // an empty list, not null: the tables' resize policy reads the items on a later pulse
        groupTable.setItems(javafx.collections.FXCollections.observableArrayList());
        eventTable.setItems(javafx.collections.FXCollections.observableArrayList());
    }
}
