package io.eventlens.app.ui.flowmap;

import atlantafx.base.theme.Styles;
import io.eventlens.core.analysis.ExpectedStep;
import java.io.File;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import javafx.stage.FileChooser;
import javafx.util.Duration;
import javafx.util.Subscription;

/**
 * The Flow map view: a family's learned graph of steps (boxes, columns by hop distance from the
 * first step), transitions with their counts and hop latency percentiles (the usual path bold), the
 * shown timeline's flow highlighted in blue with the hop where it left the usual path, and its
 * expected steps that never came as dashed arrows (red: stopped, orange: skipped). A toolbar picks the
 * family, learns again, loads a flow file (its problems listed by line) and saves the learned model as
 * a flow file. Hovering a box or an arrow label shows the evidence.
 */
public final class FlowMapView extends BorderPane {

    private final FlowMapViewModel vm;
    private final BooleanProperty dark;
    private final Canvas canvas = new Canvas(400, 140);
    private final Tooltip tooltip = new Tooltip();
    private final VBox problems = new VBox(2);
    private final Subscription subscriptions;

    /** A view of {@code vm}; {@code dark} picks the palette. */
    public FlowMapView(FlowMapViewModel vm, BooleanProperty dark) {
        this.vm = vm;
        this.dark = dark;
        setId("flowMapView");
        getStyleClass().add("flow-map");

        ComboBox<FlowMapViewModel.FamilyItem> family = new ComboBox<>(vm.families());
        family.setId("flowMapFamily");
        family.setPromptText("No flow families yet");
        family.valueProperty().bindBidirectional(vm.selectedFamilyProperty());
        family.setPrefWidth(360);
        family.setTooltip(new Tooltip("The flow family drawn: flows are grouped by their first step (event type on channel)"));
        Button learn = new Button("Learn");
        learn.setId("flowMapLearn");
        learn.setTooltip(new Tooltip("Learn the expected flows from every flow of the open capture"));
        learn.setOnAction(e -> vm.learn());
        learn.disableProperty().bind(vm.learningProperty());
        Button more = new Button("Also learn from…");
        more.setId("flowMapLearnFrom");
        more.setTooltip(new Tooltip("Learn from other captures of the same system too (more healthy flows);"
                + " only the open capture's flows are judged"));
        more.disableProperty().bind(vm.learningProperty());
        more.setOnAction(e -> {
            FileChooser chooser = new FileChooser();
            chooser.setTitle("Also learn from captures");
            chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter("Capture files", "*.mv.db"));
            var files = chooser.showOpenMultipleDialog(getScene() == null ? null : getScene().getWindow());
            if (files != null) {
                vm.setLearnFrom(files.stream().map(File::toPath).toList());
            }
        });
        Button load = new Button("Load flow file…");
        load.setId("flowMapLoad");
        load.setTooltip(new Tooltip("Declare flows in a YAML or JSON flow file (docs/reference/flow-files.md); declared beats learned"));
        load.setOnAction(e -> {
            FileChooser chooser = chooser("Load flow file");
            File f = chooser.showOpenDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                vm.loadFlowFile(f.toPath());
            }
        });
        Button save = new Button("Save as flow file…");
        save.setId("flowMapSave");
        save.setTooltip(new Tooltip("Write the learned flows as a flow file, a starting point for declaring them"));
        save.disableProperty().bind(vm.modelProperty().isNull());
        save.setOnAction(e -> {
            FileChooser chooser = chooser("Save learned flows as a flow file");
            chooser.setInitialFileName("learned.flows.yaml");
            File f = chooser.showSaveDialog(getScene() == null ? null : getScene().getWindow());
            if (f != null) {
                vm.saveFlowFile(f.toPath());
            }
        });
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(16, 16);
        busy.visibleProperty().bind(vm.learningProperty());
        busy.managedProperty().bind(vm.learningProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        Label flowFile = new Label();
        flowFile.textProperty().bind(vm.flowFileNameProperty().map(n -> n.isEmpty() ? "" : "declared: " + n));
        flowFile.getStyleClass().add(Styles.TEXT_MUTED);
        HBox bar = new HBox(8, new Label("Family"), family, busy, grow, flowFile, learn, more, load, save);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(6, 8, 4, 8));

        Label summary = new Label();
        summary.setId("flowMapSummary");
        summary.textProperty().bind(vm.summaryProperty());
        summary.getStyleClass().add(Styles.TEXT_MUTED);
        Label note = new Label();
        note.setId("flowMapNote");
        note.textProperty().bind(vm.layoutProperty().map(l -> l.note().isEmpty() ? ""
                : l.note() + "  ·  arrows: count, p50 / p95 / p99 hop latency  ·  bold: usual path  ·  blue: the shown flow"
                        + "  ·  dashed: expected steps it did not have"));
        note.getStyleClass().add(Styles.TEXT_MUTED);
        Label declared = new Label();
        declared.setId("flowMapDeclared");
        declared.textProperty().bind(vm.declaredTextProperty());
        declared.visibleProperty().bind(vm.declaredTextProperty().isNotEmpty());
        declared.managedProperty().bind(declared.visibleProperty());
        declared.getStyleClass().add(Styles.ACCENT);
        declared.setTooltip(new Tooltip("Flows of this family are judged by the declaration (declared beats learned);"
                + " ? optional, ■ terminal, [a | b] parallel branches"));
        VBox top = new VBox(2, bar, summary, declared, note);
        VBox.setMargin(declared, new Insets(0, 8, 0, 10));
        VBox.setMargin(summary, new Insets(0, 8, 0, 10));
        VBox.setMargin(note, new Insets(0, 8, 4, 10));
        setTop(top);

        ScrollPane scroll = new ScrollPane(canvas);
        scroll.setId("flowMapScroll");
        scroll.setFitToHeight(false);
        setCenter(scroll);
        problems.setId("flowMapProblems");
        problems.setPadding(new Insets(4, 10, 6, 10));
        setBottom(problems);

        tooltip.setShowDelay(Duration.millis(120));
        tooltip.setShowDuration(Duration.seconds(30));
        canvas.setOnMouseMoved(e -> {
            FlowMapLayout l = vm.layoutProperty().get();
            FlowMapLayout.Node n = l.nodeAt(e.getX(), e.getY());
            FlowMapLayout.Edge edge = n == null ? l.edgeAt(e.getX(), e.getY()) : null;
            String text = n != null ? nodeTip(n) : edge != null ? edge.tooltip() : null;
            if (text == null) {
                tooltip.hide();
            } else {
                tooltip.setText(text);
                if (getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()) {
                    tooltip.show(canvas, e.getScreenX() + 14, e.getScreenY() + 14);
                }
            }
        });
        canvas.setOnMouseExited(e -> tooltip.hide());
        subscriptions = vm.layoutProperty().subscribe(l -> draw())
                .and(dark.subscribe(d -> draw()));
        vm.flowFileProblems().addListener((javafx.collections.ListChangeListener<String>) c -> showProblems());
    }

    private static FileChooser chooser(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Flow files", "*.yaml", "*.yml", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        return chooser;
    }

    private void showProblems() {
        problems.getChildren().clear();
        for (String p : vm.flowFileProblems()) {
            Label l = new Label(p);
            l.getStyleClass().add(Styles.DANGER);
            l.setWrapText(true);
            problems.getChildren().add(l);
        }
    }

    private String nodeTip(FlowMapLayout.Node n) {
        StringBuilder sb = new StringBuilder(n.step().label()).append('\n').append(n.subtitle());
        if (n.ends() > 0) {
            sb.append("\n").append(n.ends()).append(n.ends() == 1 ? " flow ended here" : " flows ended here");
        }
        if (n.usual()) {
            sb.append("\non the usual path");
        }
        if (n.onFlow()) {
            sb.append("\nthe shown flow reached it");
        } else if (n.missing() != null) {
            sb.append("\nthe shown flow: ").append(switch (n.missing()) {
                case STOPPED -> "expected next, never came";
                case MISSING_STEP -> "skipped";
                case IN_FLIGHT -> "expected next, not due yet";
            });
        }
        return sb.toString();
    }

    /** The canvas (for tests). */
    public Canvas canvas() {
        return canvas;
    }

    private void draw() {
        FlowMapLayout l = vm.layoutProperty().get();
        canvas.setWidth(l.width());
        canvas.setHeight(l.height());
        GraphicsContext g = canvas.getGraphicsContext2D();
        boolean d = dark.get();
        Color bg = d ? Color.web("#0d1117") : Color.WHITE;
        Color text = d ? Color.web("#e6edf3") : Color.web("#1f2328");
        Color muted = d ? Color.web("#8d96a0") : Color.web("#59636e");
        Color line = d ? Color.web("#6e7681") : Color.web("#8c959f");
        Color blue = Color.web(d ? "#58a6ff" : "#0969da");
        Color box = d ? Color.web("#161b22") : Color.web("#f6f8fa");
        g.setFill(bg);
        g.fillRect(0, 0, l.width(), l.height());
        if (l.nodes().isEmpty()) {
            g.setFill(muted);
            g.setFont(Font.font(13));
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(vm.modelProperty().get() == null ? "No flows learned yet" : "Choose a flow family", 24, 40);
            return;
        }
        for (FlowMapLayout.Edge e : l.edges()) {
            Color c = e.expected() != null ? ghost(e.expected(), d) : e.onFlow() ? blue : line;
            g.setStroke(c);
            g.setLineWidth(e.onFlow() ? 3 : e.usual() ? 2.4 : 1.2);
            if (e.expected() != null) {
                g.setLineDashes(6, 5);
                g.setLineWidth(2);
            }
            if (e.back() || e.arc()) {
                double bend = e.bendY();
                g.beginPath();
                g.moveTo(e.x1(), e.y1());
                if (e.arc()) {
                    g.bezierCurveTo(e.x1() + 40, bend, e.x2() - 40, bend, e.x2(), e.y2());
                } else {
                    g.bezierCurveTo(e.x1(), bend, e.x2(), bend, e.x2(), e.y2());
                }
                g.stroke();
                if (e.arc()) {
                    arrow(g, e.x2(), e.y2(), e.x2() - 12, e.y2() - 10, c);
                } else {
                    arrow(g, e.x2(), e.y2(), e.x2(), bend, c);
                }
            } else {
                double mx = (e.x1() + e.x2()) / 2;
                g.beginPath();
                g.moveTo(e.x1(), e.y1());
                g.bezierCurveTo(mx, e.y1(), mx, e.y2(), e.x2(), e.y2());
                g.stroke();
                arrow(g, e.x2(), e.y2(), e.x2() - 10, e.y2(), c);
            }
            double lx = e.labelX();
            double ly = e.labelY();
            g.setLineDashes();
            g.setFont(Font.font(null, e.usual() || e.onFlow() ? FontWeight.SEMI_BOLD : FontWeight.NORMAL, 10));
            String label = e.leftUsual() ? "left the usual path · " + e.label() : e.label();
            double tw = label.length() * 5.6 + 8;
            g.setFill(bg.deriveColor(0, 1, 1, 0.92));
            g.fillRoundRect(lx - tw / 2, ly - 8, tw, 16, 6, 6);
            g.setFill(e.expected() != null ? c : e.leftUsual() ? Color.web(d ? "#f0883e" : "#bc4c00") : e.onFlow() ? blue : muted);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(label, lx, ly);
        }
        for (FlowMapLayout.Node n : l.nodes()) {
            Color border = n.onFlow() ? blue : n.missing() != null ? ghost(n.missing(), d) : n.usual() ? text : line;
            g.setFill(n.missing() != null ? bg : box);
            g.fillRoundRect(n.x(), n.y(), FlowMapLayout.NODE_W, FlowMapLayout.NODE_H, 10, 10);
            g.setStroke(border);
            g.setLineWidth(n.onFlow() || n.missing() != null ? 2.4 : n.usual() ? 1.6 : 1);
            if (n.missing() != null) {
                g.setLineDashes(5, 4);
            }
            g.strokeRoundRect(n.x(), n.y(), FlowMapLayout.NODE_W, FlowMapLayout.NODE_H, 10, 10);
            g.setLineDashes();
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.TOP);
            g.setFill(n.missing() != null ? ghost(n.missing(), d) : text);
            g.setFont(Font.font(null, FontWeight.SEMI_BOLD, 12.5));
            g.fillText(ellipsize(n.title(), 19), n.x() + 10, n.y() + 8);
            g.setFill(muted);
            g.setFont(Font.font(10.5));
            g.fillText(ellipsize(n.subtitle(), 24), n.x() + 10, n.y() + 28);
        }
    }

    private static void arrow(GraphicsContext g, double x, double y, double fromX, double fromY, Color c) {
        double angle = Math.atan2(y - fromY, x - fromX);
        double len = 9;
        g.setFill(c);
        g.fillPolygon(new double[] {x, x - len * Math.cos(angle - 0.4), x - len * Math.cos(angle + 0.4)},
                new double[] {y, y - len * Math.sin(angle - 0.4), y - len * Math.sin(angle + 0.4)}, 3);
    }

    static Color ghost(ExpectedStep.Kind kind, boolean dark) {
        return switch (kind) {
            case STOPPED -> Color.web(dark ? "#ff7b72" : "#cf222e");
            case MISSING_STEP -> Color.web(dark ? "#f0883e" : "#bc4c00");
            case IN_FLIGHT -> Color.web(dark ? "#8d96a0" : "#59636e");
        };
    }

    private static String ellipsize(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
        tooltip.hide();
    }
}
