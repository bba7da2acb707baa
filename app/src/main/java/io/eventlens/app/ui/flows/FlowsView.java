package io.eventlens.app.ui.flows;

import io.eventlens.app.ui.controls.TwoLineCell;
import io.eventlens.app.ui.timeline.TimelineView;
import io.eventlens.core.flows.FlowCategory;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;

import java.util.Locale;
import java.util.Map;

/**
 * The Flows panel: every correlation ID of the capture whose verdict is not plain healthy, most
 * severe first, a page at a time ("Show more flows" below the list), each with a coloured verdict
 * badge (the timeline banner's colours), the correlation ID, the event count and the one-line verdict
 * (full text in a tooltip). A header counts the flows per category, says when flows are still being
 * analyzed, and a toggle lists healthy flows too. A click or Enter on a row opens that flow's timeline.
 */
public final class FlowsView extends VBox {

    /** Height of one row (two lines), fixed so the list stays cheap to scroll. */
    static final double ROW_HEIGHT = 50;

    private final FlowsViewModel vm;
    private final ListView<FlowRow> list = new ListView<>();
    private final FlowPane counts = new FlowPane(6, 4);
    private final Subscription subscriptions;
    private String selectedId;
    private boolean itemsChanging;

    /*
     * A list update replaces the rows; the list view's selection model reacts in between these two
     * listeners (registered before and after it), so the selection it clears on the way is not taken
     * as the user's, and the row of the remembered correlation ID is selected again afterwards.
     */
    private final ListChangeListener<FlowRow> beforeListView = c -> itemsChanging = true;
    private final ListChangeListener<FlowRow> afterListView = c -> {
        itemsChanging = false;
        reselect(selectedId);
    };
    private final CheckBox healthy = new CheckBox("Show healthy flows too");
    private final Button more = new Button("Show more flows");
    private final Label analyzing = new Label("Analyzing the flows this capture has no summaries of yet; "
            + "the list grows as they are found.");

    /** A flows panel of {@code vm}. */
    public FlowsView(FlowsViewModel vm) {
        this.vm = vm;
        getStyleClass().add("flows-view");
        setId("flowsView");

        Label title = new Label("Flows");
        title.getStyleClass().add("section-title");
        title.setTooltip(new Tooltip("The correlation IDs whose verdict is not plain healthy, worst first; "
                + "click or press Enter to open a flow's timeline"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        healthy.setId("showHealthyFlows");
        healthy.selectedProperty().bindBidirectional(vm.showHealthyProperty());
        healthy.setTooltip(new Tooltip("Also list flows whose verdict is healthy with no anomalies"));
        healthy.setMinWidth(Region.USE_PREF_SIZE);
        HBox header = new HBox(8, title, spacer, healthy);
        header.setAlignment(Pos.CENTER_LEFT);

        counts.setId("flowCounts");
        counts.getStyleClass().add("flow-counts");
        counts.setPrefWrapLength(300);
        VBox top = new VBox(6, header, counts);
        top.setPadding(new Insets(8, 12, 8, 12));

        list.setId("flowList");
        list.getStyleClass().addAll("flow-list", "dense");
        list.setFixedCellSize(ROW_HEIGHT);
        list.setPlaceholder(placeholder(vm));
        list.setCellFactory(lv -> new FlowCell());
        vm.rows().addListener(beforeListView);
        list.setItems(vm.rows());
        vm.rows().addListener(afterListView);
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && list.getSelectionModel().getSelectedItem() != null) {
                vm.open(list.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);

        more.setId("showMoreFlows");
        more.setMaxWidth(Double.MAX_VALUE);
        more.setOnAction(e -> vm.showMore());
        more.visibleProperty().bind(vm.moreAvailableProperty());
        more.managedProperty().bind(more.visibleProperty());
        analyzing.setId("flowsAnalyzing");
        analyzing.getStyleClass().add("muted");
        analyzing.setWrapText(true);
        analyzing.visibleProperty().bind(vm.analyzingProperty());
        analyzing.managedProperty().bind(analyzing.visibleProperty());
        top.getChildren().add(analyzing);
        VBox bottom = new VBox(more);
        bottom.setPadding(new Insets(4, 12, 8, 12));
        bottom.managedProperty().bind(more.visibleProperty());

        getChildren().addAll(top, list, bottom);
        subscriptions = vm.countsProperty().subscribe(this::showCounts)
                .and(list.getSelectionModel().selectedItemProperty().subscribe(row -> {
                    if (!itemsChanging && row != null) {
                        selectedId = row.correlationId();
                    }
                }))
                .and(vm.shownCorrelationIdProperty().subscribe(id -> {
                    selectedId = id;
                    reselect(id);
                }));
    }

    private static Label placeholder(FlowsViewModel vm) {
        Label l = new Label();
        l.setId("flowsEmpty");
        l.textProperty().bind(vm.emptyListTextProperty());
        l.setWrapText(true);
        l.getStyleClass().add("muted");
        l.setPadding(new Insets(12));
        return l;
    }

    private void reselect(String id) {
        if (id == null || id.isEmpty()) {
            return;
        }
        for (int i = 0; i < vm.rows().size(); i++) {
            if (vm.rows().get(i).correlationId().equals(id)) {
                if (list.getSelectionModel().getSelectedIndex() != i) {
                    list.getSelectionModel().select(i);
                }
                return;
            }
        }
    }

    private void showCounts(Map<FlowCategory, Long> byCategory) {
        counts.getChildren().clear();
        long total = 0;
        for (Map.Entry<FlowCategory, Long> e : byCategory.entrySet()) {
            total += e.getValue();
            if (e.getValue() == 0) {
                continue;
            }
            Label chip = new Label(String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey().label()));
            chip.setId("flowCount-" + e.getKey().name());
            chip.getStyleClass().addAll("flow-chip", TimelineView.severityClass(e.getKey().verdict()));
            if (e.getKey() == FlowCategory.HEALTHY_WITH_NOTES) {
                chip.getStyleClass().add("notes");
            }
            counts.getChildren().add(chip);
        }
        if (total == 0) {
            Label none = new Label("nothing analyzed yet");
            none.getStyleClass().add("muted");
            counts.getChildren().add(none);
        }
    }

    /** The text of a verdict badge: the verdict kind, short enough for a narrow list. */
    static String badgeText(FlowCategory category) {
        return switch (category) {
            case CONFLICTING_DUPLICATE -> "CONFLICTING";
            case CONTRACT_VIOLATION -> "CONTRACT";
            case ISOLATION_BROKEN -> "ISOLATION";
            case HEALTHY_WITH_NOTES -> "NOTES";
            default -> category.verdict().name().replace('_', ' ');
        };
    }

    /** The list (for tests and focus). */
    public ListView<FlowRow> list() {
        return list;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        vm.rows().removeListener(beforeListView);
        vm.rows().removeListener(afterListView);
        healthy.selectedProperty().unbindBidirectional(vm.showHealthyProperty());
        more.visibleProperty().unbind();
        analyzing.visibleProperty().unbind();
        list.setItems(null);
    }

    private final class FlowCell extends TwoLineCell<FlowRow> {
        private final Label badge = new Label();
        private final Label id = new Label();
        private final Label count = new Label();
        private final Label message = new Label();

        FlowCell() {
            super(560, vm::open);
            badge.getStyleClass().add("flow-badge");
            badge.setMinWidth(Region.USE_PREF_SIZE);
            badge.setAlignment(Pos.CENTER);
            id.getStyleClass().addAll("mono", "flow-id");
            id.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
            id.setMinWidth(40);
            count.getStyleClass().addAll("muted", "flow-count");
            count.setMinWidth(Region.USE_PREF_SIZE);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            HBox line1 = new HBox(8, badge, id, gap, count);
            line1.setAlignment(Pos.CENTER_LEFT);
            message.getStyleClass().add("flow-message");
            message.setTextOverrun(OverrunStyle.ELLIPSIS);
            message.setMinWidth(0);
            message.setMaxWidth(Double.MAX_VALUE);
            lines(line1, message);
        }

        @Override
        protected String show(FlowRow row) {
            badge.setText(badgeText(row.category()));
            badge.getStyleClass().removeAll("verdict-danger", "verdict-warning", "verdict-success", "verdict-neutral", "notes");
            badge.getStyleClass().add(TimelineView.severityClass(row.verdict()));
            if (row.category() == FlowCategory.HEALTHY_WITH_NOTES) {
                badge.getStyleClass().add("notes");
            }
            id.setText(row.correlationId());
            count.setText(row.eventCount() == 1 ? "1 event" : row.eventCount() + " events");
            message.setText(row.message());
            return row.correlationId() + "\n" + row.category().verdict().name() + ": " + row.message();
        }
    }
}
