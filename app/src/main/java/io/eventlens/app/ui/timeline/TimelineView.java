package io.eventlens.app.ui.timeline;

import atlantafx.base.theme.Styles;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.layout.LaneGrouping;
import io.eventlens.core.layout.TimelineLayout;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.util.StringConverter;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.Subscription;

import java.io.File;
import java.nio.file.Path;

/**
 * The timeline view: the verdict banner (kind and message, coloured by severity) above the
 * {@link TimelineCanvas}, and a legend of the anomaly kinds drawn (colour, shape and name). The header
 * holds the correlation ID and a Copy / Export menu (text or JSON to the clipboard, JSON to a file). A
 * tool bar (previous/next anomaly, zoom out/in, fit, "Collapse gaps" once one was expanded, lane
 * grouping, what the window shows) and the
 * {@link TimelineOverview} strip sit above the drawing (docs/reference/timeline-layout.md). The header's
 * Replay… button (Ctrl+Shift+R) replays the shown flow; a legend entry explains the hollow "ghost" markers
 * of expected steps the flow did not have (docs/decisions/0017-expected-flows.md).
 */
public final class TimelineView extends VBox {

    private final javafx.scene.control.Button replayButton = new javafx.scene.control.Button("Replay…");

    /** Copies the shown timeline as text (also in the Copy / Export menu). */
    public static final KeyCombination COPY_TEXT =
            new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN);

    private final TimelineViewModel vm;
    private final TimelineCanvas canvas;
    /** Flows with fewer events than this show no overview strip (it would add nothing to the lanes). */
    static final int OVERVIEW_MIN_EVENTS = 40;

    private final TimelineOverview overview;
    private final Label verdictKind = new Label();
    private final Label verdictText = new Label();
    private final Label heading = new Label("Timeline");
    private final FlowPane legend = new FlowPane(14, 6);
    private final Subscription subscriptions;
    private boolean followPending;

    /** A timeline view of {@code vm}; {@code dark} picks the canvas palette. */
    public TimelineView(TimelineViewModel vm, BooleanProperty dark) {
        this.vm = vm;
        this.canvas = new TimelineCanvas(vm, dark);
        this.overview = new TimelineOverview(vm, dark);
        getStyleClass().add("timeline-view");
        setSpacing(0);

        heading.getStyleClass().add("section-title");
        Label cid = new Label();
        cid.setId("timelineCorrelationId");
        cid.getStyleClass().add("mono");
        cid.textProperty().bind(vm.correlationIdProperty());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(vm.loadingProperty());
        busy.managedProperty().bind(busy.visibleProperty());
        Label limitNotice = new Label();
        limitNotice.setId("timelineLimitNotice");
        limitNotice.getStyleClass().add(Styles.WARNING);
        limitNotice.textProperty().bind(vm.limitNoticeProperty());
        limitNotice.visibleProperty().bind(vm.limitNoticeProperty().isNotEmpty());
        limitNotice.managedProperty().bind(limitNotice.visibleProperty());
        Region headerSpacer = new Region();
        HBox.setHgrow(headerSpacer, Priority.ALWAYS);
        replayButton.setId("replayButton");
        replayButton.getStyleClass().add("small");
        replayButton.setTooltip(new Tooltip("Replay this flow's events into a test environment (Ctrl+Shift+R)"));
        replayButton.setMinWidth(Region.USE_PREF_SIZE);
        replayButton.disableProperty().bind(vm.canExportProperty().not());
        HBox header = new HBox(8, heading, cid, busy, limitNotice, headerSpacer, replayButton, copyMenu());
        header.setAlignment(Pos.CENTER_LEFT);
        cid.setMinWidth(0);
        header.setPadding(new Insets(8, 12, 6, 12));

        verdictKind.setId("verdictKind");
        verdictKind.getStyleClass().add("verdict-kind");
        verdictKind.setMinWidth(Region.USE_PREF_SIZE);
        verdictText.setId("verdictText");
        verdictText.getStyleClass().add("verdict-text");
        verdictText.textProperty().bind(vm.verdictTextProperty());
        verdictText.setWrapText(true);
        verdictText.setTooltip(new Tooltip());
        verdictText.getTooltip().textProperty().bind(vm.verdictTextProperty());
        HBox banner = new HBox(10, verdictKind, verdictText);
        banner.setId("verdictBanner");
        banner.getStyleClass().add("verdict-banner");
        banner.setAlignment(Pos.CENTER_LEFT);
        banner.setPadding(new Insets(8, 12, 8, 12));
        HBox.setHgrow(verdictText, Priority.ALWAYS);
        VBox.setMargin(banner, new Insets(0, 12, 8, 12));

        ScrollPane scroll = new ScrollPane(canvas);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("timeline-scroll");
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        VBox.setVgrow(scroll, Priority.ALWAYS);

        legend.setId("legend");
        legend.getStyleClass().add("legend");
        legend.setPadding(new Insets(6, 12, 8, 12));
        legend.setAlignment(Pos.CENTER_LEFT);

        getChildren().addAll(header, banner, toolBar(), overview, scroll, legend);
        // a short flow is read whole at a glance: the overview strip only takes room from its lanes
        overview.visibleProperty().bind(javafx.beans.binding.Bindings.size(vm.entries()).greaterThanOrEqualTo(OVERVIEW_MIN_EVENTS));
        overview.managedProperty().bind(overview.visibleProperty());

        // the tabs around this view take the focus on a mouse press; the drawing's keys need it back
        overview.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_RELEASED, e -> canvas.requestFocus());
        canvas.addEventHandler(javafx.scene.input.MouseEvent.MOUSE_RELEASED, e -> canvas.requestFocus());

        subscriptions = vm.verdictKindProperty().subscribe(k -> styleVerdict(banner, k))
                .and(vm.windowLayoutProperty().subscribe(l -> followSelection(scroll)))
                .and(scroll.viewportBoundsProperty().subscribe(b -> followSelection(scroll)))
                .and(canvas.heightProperty().subscribe(h -> followSelection(scroll)))
                .and(vm.selectedProperty().subscribe(sel -> {
                    followPending = sel != null;
                    followSelection(scroll);
                }));
        vm.legendKinds().addListener((ListChangeListener<AnomalyKind>) c -> rebuildLegend());
        vm.timelineProperty().addListener((obs, was, now) -> rebuildLegend());
        rebuildLegend();
    }

    /**
     * Scrolls the drawing up or down so that the selected event's marker (with 30 px around it) is in view:
     * with the tool bar and the overview above it, a flow of many lanes is taller than the view. Done once
     * per selection change (once the marker is laid out and the drawing is taller than the view), so that
     * scrolling by hand afterwards sticks.
     */
    private void followSelection(ScrollPane scroll) {
        TimelineEntry sel = vm.selectedProperty().get();
        TimelineLayout l = vm.windowLayoutProperty().get();
        if (!followPending || sel == null || l == null) {
            return;
        }
        TimelineLayout.Marker m = l.markerForSeq(sel.event().seq());
        double viewH = scroll.getViewportBounds().getHeight();
        double contentH = Math.max(l.height(), 60);
        if (m == null || viewH <= 0 || contentH <= viewH || canvas.getHeight() < contentH - 0.5) {
            return; // not laid out, not shown, all in view or not resized yet: try again when that changes
        }
        followPending = false;
        double top = scroll.getVvalue() * (contentH - viewH);
        double newTop;
        if (m.y() - 30 < top) {
            newTop = m.y() - 30;
        } else if (m.y() + 30 > top + viewH) {
            newTop = m.y() + 30 - viewH;
        } else {
            return;
        }
        scroll.setVvalue(Math.max(0, Math.min(1, newTop / (contentH - viewH))));
    }

    /** Runs {@code action} when the user asks to replay the flow on show (the Replay… button). */
    public void setOnReplay(Runnable action) {
        replayButton.setOnAction(e -> action.run());
    }

    private HBox toolBar() {
        Button prev = toolButton("timelinePrevAnomaly", "◀ Anomaly", "Previous anomaly (P or [)", () -> vm.selectAnomaly(false));
        Button next = toolButton("timelineNextAnomaly", "Anomaly ▶", "Next anomaly (N or ])", () -> vm.selectAnomaly(true));
        Button out = toolButton("timelineZoomOut", "−", "Zoom out (− or Ctrl+wheel)", () -> vm.zoom(0.5, 0.5));
        Button in = toolButton("timelineZoomIn", "+", "Zoom in (+ or Ctrl+wheel); drag or Left/Right to pan", () -> vm.zoom(2, 0.5));
        Button fit = toolButton("timelineFit", "Fit", "Show the whole flow (0)", vm::fit);
        Button collapse = toolButton("timelineCollapseGaps", "Collapse gaps", "Collapse the idle gaps you expanded again",
                vm::collapseGaps);
        collapse.visibleProperty().bind(vm.gapsExpandedProperty());
        collapse.managedProperty().bind(collapse.visibleProperty());
        ChoiceBox<LaneGrouping> lanes = new ChoiceBox<>(FXCollections.observableArrayList(LaneGrouping.values()));
        lanes.setId("timelineLaneGrouping");
        lanes.setConverter(new StringConverter<>() {
            @Override
            public String toString(LaneGrouping g) {
                return g == null ? "" : g.label();
            }

            @Override
            public LaneGrouping fromString(String s) {
                return null;
            }
        });
        lanes.valueProperty().bindBidirectional(vm.laneGroupingProperty());
        lanes.setTooltip(new Tooltip("One lane per channel, per channel and partition, or per record key"));
        Label lanesLabel = new Label("Lanes");
        lanesLabel.getStyleClass().add(Styles.TEXT_MUTED);
        Label window = new Label();
        window.setId("timelineWindowText");
        window.getStyleClass().add(Styles.TEXT_MUTED);
        window.textProperty().bind(vm.windowTextProperty());
        window.setMinWidth(0);
        for (javafx.scene.Node n : List.of(prev, next, out, in, fit, lanes)) {
            n.disableProperty().bind(vm.canExportProperty().not());
        }
        HBox bar = new HBox(6, prev, next, gap(), out, in, fit, collapse, gap(), lanesLabel, lanes, gap(), window);
        bar.setId("timelineToolBar");
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(0, 12, 6, 12));
        return bar;
    }

    private static Region gap() {
        Region r = new Region();
        r.setMinWidth(8);
        return r;
    }

    private Button toolButton(String id, String text, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.getStyleClass().add(Styles.SMALL);
        b.setFocusTraversable(false);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> {
            action.run();
            canvas.requestFocus();
        });
        return b;
    }

    /** The overview strip. */
    public TimelineOverview overview() {
        return overview;
    }

    private MenuButton copyMenu() {
        MenuItem text = new MenuItem("Copy as text");
        text.setId("copyTimelineText");
        text.setAccelerator(COPY_TEXT);
        text.setOnAction(e -> copyText());
        MenuItem json = new MenuItem("Copy as JSON");
        json.setId("copyTimelineJson");
        json.setOnAction(e -> copyJson());
        MenuItem export = new MenuItem("Export JSON…");
        export.setId("exportTimelineJson");
        export.setOnAction(e -> exportJson());
        MenuButton menu = new MenuButton("Copy / Export", null, text, json, export);
        menu.setId("timelineCopyMenu");
        menu.getStyleClass().addAll("small", "timeline-copy-menu");
        menu.setMinWidth(Region.USE_PREF_SIZE);
        menu.setTooltip(new Tooltip("Copy the timeline as text (Ctrl+Shift+C) or JSON, or export it as the CLI's JSON"));
        menu.disableProperty().bind(vm.canExportProperty().not());
        for (MenuItem item : menu.getItems()) {
            item.disableProperty().bind(vm.canExportProperty().not());
        }
        return menu;
    }

    /** Puts the shown timeline on the clipboard as text (Ctrl+Shift+C); does nothing without a timeline. */
    public void copyText() {
        if (vm.canExportProperty().get()) {
            toClipboard(vm.copyText());
        }
    }

    /** Puts the shown timeline on the clipboard as the CLI's JSON; does nothing without a timeline. */
    public void copyJson() {
        if (vm.canExportProperty().get()) {
            toClipboard(vm.copyJson());
        }
    }

    private static void toClipboard(String s) {
        ClipboardContent content = new ClipboardContent();
        content.putString(s);
        Clipboard.getSystemClipboard().setContent(content);
    }

    /** Asks where to save the shown timeline's JSON, then writes it in the background. */
    public void exportJson() {
        if (!vm.canExportProperty().get()) {
            return;
        }
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Export timeline as JSON");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("JSON (*.json)", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        chooser.setInitialFileName(vm.exportFileName());
        Path dir = vm.exportDirProperty().get();
        if (dir != null && dir.toFile().isDirectory()) {
            chooser.setInitialDirectory(dir.toFile());
        }
        File f = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            vm.exportJson(f.toPath());
        }
    }

    /** The canvas (hit tests and tooltip for tests and keyboard access). */
    public TimelineCanvas canvas() {
        return canvas;
    }

    private void styleVerdict(HBox banner, VerdictKind kind) {
        banner.getStyleClass().removeAll("verdict-danger", "verdict-warning", "verdict-success", "verdict-neutral");
        banner.getStyleClass().add(severityClass(kind));
        verdictKind.setText(kind == null ? "NO TIMELINE" : kind.name().replace('_', ' '));
    }

    /** The style class of a verdict kind: danger, warning, success or neutral. */
    public static String severityClass(VerdictKind kind) {
        if (kind == null) {
            return "verdict-neutral";
        }
        return switch (kind) {
            case DEAD_LETTERED, STOPPED, CONTRACT_VIOLATION, ISOLATION_BROKEN, CONFLICTING_DUPLICATE -> "verdict-danger";
            case MISSING_STEP, OUT_OF_ORDER, LAG -> "verdict-warning";
            case HEALTHY -> "verdict-success";
            case NO_EVENTS, IN_FLIGHT -> "verdict-neutral";
        };
    }

    private void rebuildLegend() {
        legend.getChildren().clear();
        Label title = new Label("Legend");
        title.getStyleClass().add("legend-title");
        legend.getChildren().add(title);
        legend.getChildren().add(item(null, "legend-EVENT"));
        for (AnomalyKind kind : vm.legendKinds()) {
            legend.getChildren().add(item(kind, "legend-" + kind.name()));
        }
        io.eventlens.core.analysis.Timeline shown = vm.timelineProperty().get();
        if (shown != null && !shown.expectedSteps().isEmpty()) {
            Canvas icon = new Canvas(20, 20);
            var g = icon.getGraphicsContext2D();
            g.setStroke(TimelineCanvas.ghostColor(shown.expectedSteps().get(0).kind(), false));
            g.setLineWidth(2);
            g.setLineDashes(3, 2.5);
            g.strokeOval(3, 3, 14, 14);
            Label expected = new Label("expected step, not seen", icon);
            expected.setId("legend-EXPECTED");
            expected.getStyleClass().add("legend-item");
            expected.setTooltip(new Tooltip("A step the flow's family nearly always has (learned from the capture, or"
                    + " declared in a flow file), drawn where it was expected; hover it for the evidence"));
            legend.getChildren().add(expected);
        }
        Region swatch = new Region();
        swatch.getStyleClass().add("dlt-swatch");
        swatch.setPrefSize(18, 12);
        swatch.setMinSize(18, 12);
        Label dlt = new Label("dead-letter lane", swatch);
        dlt.getStyleClass().add("legend-item");
        legend.getChildren().add(dlt);
    }

    private static Label item(AnomalyKind kind, String id) {
        Canvas icon = new Canvas(20, 20);
        MarkerPainter.paint(icon.getGraphicsContext2D(), kind, 10, 10, 7, javafx.scene.paint.Color.WHITE);
        MarkerPainter.Style style = MarkerPainter.style(kind);
        Label label = new Label(style.label(), icon);
        label.setId(id);
        label.getStyleClass().add("legend-item");
        label.setTooltip(new Tooltip(style.label() + ": " + style.description()));
        return label;
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        canvas.dispose();
        overview.dispose();
    }
}
