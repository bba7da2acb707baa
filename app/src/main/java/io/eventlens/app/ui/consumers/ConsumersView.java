package io.eventlens.app.ui.consumers;

import static io.eventlens.app.ui.controls.TwoLineCell.line;

import atlantafx.base.theme.Styles;
import io.eventlens.app.ui.controls.TwoLineCell;
import io.eventlens.core.consumers.GroupPoll;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;

/**
 * The Consumers view (docs/decisions/0021-consumer-groups.md): the consumer groups the capture
 * followed (troubled ones first: no members, or rebalancing at the end), and for the selected one
 * its lag over the capture as a line chart (seconds since its first poll; a click on the chart lists
 * the events that were waiting for the group at that moment), its members and its state changes. A
 * click or Enter on a waiting event opens its timeline.
 */
public final class ConsumersView extends VBox {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final ConsumersViewModel vm;
    private final ListView<ConsumersViewModel.GroupRow> groupList = new ListView<>();
    private final NumberAxis xAxis = new NumberAxis();
    private final NumberAxis yAxis = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(xAxis, yAxis);
    private final ListView<GroupPoll> changeList = new ListView<>();
    private final ListView<ConsumersViewModel.WaitingEvent> waitingList = new ListView<>();
    private final Label members = line(Styles.TEXT_SMALL, "mono");
    private final Subscription subscriptions;
    private long originMs;

    /** A consumers view of {@code vm}. */
    public ConsumersView(ConsumersViewModel vm) {
        this.vm = vm;
        getStyleClass().add("consumers-view");
        setId("consumersView");

        Label title = new Label("Consumer groups");
        title.getStyleClass().add("section-title");
        title.setMinWidth(Region.USE_PREF_SIZE);
        title.setTooltip(new Tooltip("The consumer groups followed while capturing: committed offsets read with the Admin"
                + " client without joining them; commit times from __consumer_offsets where readable"));
        Label summary = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        summary.setId("consumersSummary");
        summary.textProperty().bind(vm.summaryProperty());
        HBox header = new HBox(10, title, summary);
        HBox.setHgrow(summary, Priority.ALWAYS);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 12, 4, 12));

        groupList.setId("consumerGroups");
        groupList.getStyleClass().addAll("dead-letter-list", Styles.DENSE);
        groupList.setFixedCellSize(46);
        Label none = new Label("No consumer groups followed.");
        none.getStyleClass().add(Styles.TEXT_MUTED);
        none.setPadding(new Insets(12));
        groupList.setPlaceholder(none);
        groupList.setItems(vm.groups());
        groupList.setCellFactory(lv -> new GroupCell());

        chart.setId("consumerLagChart");
        chart.setAnimated(false);
        chart.setCreateSymbols(true);
        chart.setLegendVisible(false);
        chart.setMinHeight(180);
        xAxis.setLabel("seconds since the group's first poll");
        xAxis.setForceZeroInRange(true);
        yAxis.setLabel("lag (records)");
        yAxis.setForceZeroInRange(true);
        yAxis.setMinorTickVisible(false);
        chart.setOnMouseClicked(e -> {
            if (e.getButton() != MouseButton.PRIMARY || vm.selectedGroupProperty().get() == null) {
                return;
            }
            Point2D inAxis = xAxis.sceneToLocal(e.getSceneX(), e.getSceneY());
            Number x = xAxis.getValueForDisplay(inAxis.getX());
            if (x != null && inAxis.getX() >= 0 && inAxis.getX() <= xAxis.getWidth()) {
                vm.pickPoint(originMs + Math.round(x.doubleValue() * 1000));
            }
        });
        Tooltip.install(chart, new Tooltip("Click the chart to list the events that were waiting for the group then"));

        members.setId("consumerMembers");
        members.setWrapText(true);
        members.setPadding(new Insets(2, 12, 2, 12));

        changeList.setId("consumerStateChanges");
        changeList.getStyleClass().add(Styles.DENSE);
        changeList.setPlaceholder(new Label("No state changes recorded."));
        changeList.setCellFactory(lv -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(GroupPoll p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : TIME.format(Instant.ofEpochMilli(p.polledAtMs())) + "  " + p.state()
                        + " · " + p.members() + (p.members() == 1 ? " member" : " members")
                        + (p.lagRecords() >= 0 ? " · lag " + p.lagRecords() : "") + (p.error() == null ? "" : " · " + p.error()));
                getStyleClass().remove("danger-text");
                if (!empty && p != null && (p.members() == 0 || p.rebalancing())) {
                    getStyleClass().add("danger-text");
                }
            }
        });

        waitingList.setId("consumerWaitingEvents");
        waitingList.getStyleClass().add(Styles.DENSE);
        Label pick = new Label("Click a point of the chart to list the events that were waiting then.");
        pick.getStyleClass().add(Styles.TEXT_MUTED);
        pick.setWrapText(true);
        waitingList.setPlaceholder(pick);
        waitingList.setItems(vm.waiting());
        waitingList.setCellFactory(lv -> new WaitingCell(vm));
        waitingList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && waitingList.getSelectionModel().getSelectedItem() != null) {
                vm.open(waitingList.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        Label waitingTitle = line(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        waitingTitle.setId("consumerWaitingTitle");
        waitingTitle.textProperty().bind(vm.waitingTitleProperty());
        waitingTitle.setPadding(new Insets(4, 12, 4, 12));
        Label changesTitle = line(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        changesTitle.setText("State changes");
        changesTitle.setPadding(new Insets(4, 12, 4, 12));

        VBox changes = new VBox(changesTitle, changeList);
        VBox.setVgrow(changeList, Priority.ALWAYS);
        VBox waitingBox = new VBox(waitingTitle, waitingList);
        VBox.setVgrow(waitingList, Priority.ALWAYS);
        SplitPane lists = new SplitPane(changes, waitingBox);
        lists.setDividerPositions(0.4);
        VBox right = new VBox(chart, members, lists);
        VBox.setVgrow(chart, Priority.ALWAYS);
        VBox.setVgrow(lists, Priority.ALWAYS);
        SplitPane split = new SplitPane(groupList, right);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.26);
        SplitPane.setResizableWithParent(groupList, false);
        VBox.setVgrow(split, Priority.ALWAYS);
        getChildren().addAll(header, split);

        subscriptions = vm.selectedGroupProperty().subscribe(this::showGroup)
                .and(groupList.getSelectionModel().selectedItemProperty().subscribe(g -> {
                    if (g != null) {
                        vm.selectedGroupProperty().set(g);
                    }
                }));
    }

    /** Draws the selected group: its lag chart, members and state changes. */
    private void showGroup(ConsumersViewModel.GroupRow g) {
        if (groupList.getSelectionModel().getSelectedItem() != g) {
            if (g == null) {
                groupList.getSelectionModel().clearSelection();
            } else {
                groupList.getSelectionModel().select(g);
            }
        }
        chart.getData().clear();
        if (g == null) {
            members.setText("");
            changeList.getItems().clear();
            chart.setTitle(null);
            return;
        }
        originMs = g.lag().isEmpty() ? 0 : g.lag().get(0).atMs();
        XYChart.Series<Number, Number> series = new XYChart.Series<>();
        series.setName(g.group());
        for (ConsumersViewModel.LagPoint p : g.lag()) {
            series.getData().add(new XYChart.Data<>((p.atMs() - originMs) / 1000.0, p.lag()));
        }
        chart.getData().add(series);
        chart.setTitle(g.group() + " — lag over the capture");
        for (XYChart.Data<Number, Number> d : series.getData()) {
            Node n = d.getNode();
            if (n != null) {
                Tooltip.install(n, new Tooltip(String.format(Locale.ROOT, "+%.1f s: lag %,d", d.getXValue().doubleValue(),
                        d.getYValue().longValue())));
            }
        }
        members.setText(g.memberInfo().isEmpty() ? "Members at the end: none" : "Members at the end: " + g.memberInfo());
        changeList.getItems().setAll(g.changes());
    }

    /** The group list (for tests and focus). */
    public ListView<ConsumersViewModel.GroupRow> groupList() {
        return groupList;
    }

    /** The lag chart (for tests). */
    public LineChart<Number, Number> chart() {
        return chart;
    }

    /** The waiting events (for tests). */
    public ListView<ConsumersViewModel.WaitingEvent> waitingList() {
        return waitingList;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        groupList.setItems(null);
        waitingList.setItems(null);
    }

    private static final class GroupCell extends TwoLineCell<ConsumersViewModel.GroupRow> {
        private final Label name = line("dead-letter-exception");
        private final Label detail = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);

        GroupCell() {
            super(560, null);
            lines(name, detail);
        }

        @Override
        protected String show(ConsumersViewModel.GroupRow g) {
            name.setText(g.group());
            name.getStyleClass().remove(Styles.DANGER);
            if (g.troubled()) {
                name.getStyleClass().add(Styles.DANGER);
            }
            detail.setText(g.summary());
            return g.group() + ": " + g.summary() + " · " + g.commits() + " commits recorded";
        }
    }

    private static final class WaitingCell extends TwoLineCell<ConsumersViewModel.WaitingEvent> {
        private final Label id = line("mono", "dead-letter-id");
        private final Label detail = line(Styles.TEXT_MUTED, Styles.TEXT_SMALL);

        WaitingCell(ConsumersViewModel vm) {
            super(560, vm::open);
            lines(id, detail);
        }

        @Override
        protected String show(ConsumersViewModel.WaitingEvent e) {
            id.setText((e.correlationId() == null ? "(no correlation ID)" : e.correlationId()) + "  #" + e.seq());
            detail.setText((e.type() == null ? "(untyped)" : e.type()) + " on " + e.channel() + " " + e.position()
                    + " · observed " + TIME.format(e.observedAt()));
            return id.getText() + "\n" + detail.getText();
        }
    }
}
