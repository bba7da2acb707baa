package io.eventlens.app.ui.cirun;

import io.eventlens.app.ui.controls.TwoLineCell;
import io.eventlens.app.ui.timeline.TimelineView;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Subscription;

/**
 * The *CI run* view: the failed tests of the CI run opened last, each with a verdict badge (the
 * timeline banner's colours), the test's name, its correlation ID and the verdict's message (the
 * failure message, how the IDs were found and the hint in a tooltip). A click or Enter opens the
 * test's first correlation ID's timeline. Before a run is opened it says how to open one.
 */
public final class CiRunView extends VBox {

    /** Height of one row (two lines). */
    static final double ROW_HEIGHT = 50;

    private final CiRunViewModel vm;
    private final ListView<CiTestRow> list = new ListView<>();
    private final Subscription subscriptions;

    /** A CI run view of {@code vm}. */
    public CiRunView(CiRunViewModel vm) {
        this.vm = vm;
        setId("ciRunView");
        getStyleClass().add("flows-view");

        Label title = new Label("Failed tests");
        title.getStyleClass().add("section-title");
        Label source = new Label();
        source.getStyleClass().addAll("muted", "mono");
        source.setTextOverrun(OverrunStyle.LEADING_ELLIPSIS);
        source.setMinWidth(0);
        Label summary = new Label();
        summary.setId("ciRunSummary");
        summary.setWrapText(true);
        summary.setMinHeight(Region.USE_PREF_SIZE);   // a wrapped label in a VBox keeps all its lines
        summary.getStyleClass().add("muted");
        VBox top = new VBox(4, title, source, summary);
        top.setPadding(new Insets(8, 12, 8, 12));

        list.setId("ciRunList");
        list.getStyleClass().addAll("flow-list", "dense");
        list.setFixedCellSize(ROW_HEIGHT);
        Label placeholder = new Label("Open a CI run's artifacts — a folder or a .zip of probe dumps, broker dumps "
                + "(kcat -J, exports) and JUnit reports — with Open CI run… (Ctrl+Shift+O) or drop it on the window: "
                + "its failed tests are listed here beside their verdicts.");
        placeholder.setWrapText(true);
        placeholder.getStyleClass().add("muted");
        placeholder.setPadding(new Insets(12));
        list.setPlaceholder(placeholder);
        list.setCellFactory(lv -> new TestCell());
        list.setItems(vm.rows());
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER && list.getSelectionModel().getSelectedItem() != null) {
                vm.open(list.getSelectionModel().getSelectedItem());
                e.consume();
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(top, list);
        subscriptions = vm.summaryProperty().subscribe(summary::setText)
                .and(vm.sourceProperty().subscribe(s -> {
                    source.setText(s);
                    source.setTooltip(s.isEmpty() ? null : new Tooltip(s));
                }))
                .and(vm.loadedProperty().subscribe(loaded -> {
                    summary.setVisible(loaded);
                    summary.setManaged(loaded);
                    source.setVisible(loaded);
                    source.setManaged(loaded);
                }));
    }

    /** The list (for tests and focus). */
    public ListView<CiTestRow> list() {
        return list;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        list.setItems(null);
    }

    /** The badge text of a row: its verdict kind, or NO ID. */
    static String badgeText(CiTestRow row) {
        if (row.headline() == null) {
            return "NO ID";
        }
        return switch (row.headline()) {
            case CONFLICTING_DUPLICATE -> "CONFLICTING";
            case ISOLATION_BROKEN -> "ISOLATION";
            case CONTRACT_VIOLATION -> "CONTRACT";
            default -> row.headline().name().replace('_', ' ');
        };
    }

    private final class TestCell extends TwoLineCell<CiTestRow> {
        private final Label badge = new Label();
        private final Label name = new Label();
        private final Label id = new Label();
        private final Label message = new Label();

        TestCell() {
            super(620, vm::open);
            badge.getStyleClass().add("flow-badge");
            badge.setMinWidth(Region.USE_PREF_SIZE);   // the stylesheet's .flow-badge sets the width
            badge.setAlignment(Pos.CENTER);
            name.getStyleClass().add("flow-id");
            name.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
            name.setMinWidth(40);
            id.getStyleClass().addAll("muted", "mono", "flow-count");
            id.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
            id.setMinWidth(40);
            id.setMaxWidth(180);
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            HBox line1 = new HBox(8, badge, name, gap, id);
            line1.setAlignment(Pos.CENTER_LEFT);
            message.getStyleClass().add("flow-message");
            message.setTextOverrun(OverrunStyle.ELLIPSIS);
            message.setMinWidth(0);
            message.setMaxWidth(Double.MAX_VALUE);
            lines(line1, message);
        }

        @Override
        protected String show(CiTestRow row) {
            badge.setText(badgeText(row));
            badge.getStyleClass().removeAll("verdict-danger", "verdict-warning", "verdict-success", "verdict-neutral");
            badge.getStyleClass().add(TimelineView.severityClass(row.headline()));
            name.setText(row.test());
            int n = row.correlationIds().size();
            id.setText(n == 0 ? "no correlation ID" : n == 1 ? row.firstCorrelationId()
                    : row.firstCorrelationId() + " +" + (n - 1));
            message.setText(row.verdict());
            StringBuilder t = new StringBuilder(row.test()).append(row.errored() ? " (error)" : " (failed)");
            if (!row.failure().isEmpty()) {
                t.append("\n").append(row.failure());
            }
            t.append("\n\n").append(row.headline() == null ? "no verdict" : row.headline().name()).append(": ").append(row.verdict());
            if (!row.correlationIds().isEmpty()) {
                t.append("\nCorrelation IDs (").append(row.match()).append("): ").append(String.join(", ", row.correlationIds()));
            } else {
                t.append("\n").append(row.match());
            }
            if (!row.hint().isEmpty() && !row.hint().equals(row.verdict())) {
                t.append("\n").append(row.hint());
            }
            return t.toString();
        }
    }
}
