package io.eventlens.app.ui.timeline;

import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.layout.TimelineLayout;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;
import javafx.util.Subscription;

/**
 * The timeline drawing: a {@link Canvas} that paints the core {@link TimelineLayout} (time axis with
 * ticks and grid lines, one lane per channel with dead-letter lanes tinted, one marker per event with
 * its anomaly shape and colour, the selected event ringed). Hovering a marker shows a tooltip with the
 * event and every anomaly message; clicking selects the event, and the arrow keys (Home, End) move the
 * selection along the timeline. Resizes with its parent's width.
 */
public final class TimelineCanvas extends Region {

    private final TimelineViewModel vm;
    private final BooleanProperty dark;
    private final Canvas canvas = new Canvas();
    private final Tooltip tooltip = new Tooltip();
    private TimelineLayout layout = TimelineLayout.empty(0, 0);
    private TimelineLayout.Marker hovered;
    private final Subscription subscriptions;

    /** A canvas drawing {@code vm}'s timeline; {@code dark} picks the palette. */
    public TimelineCanvas(TimelineViewModel vm, BooleanProperty dark) {
        this.vm = vm;
        this.dark = dark;
        getStyleClass().add("timeline-canvas");
        setId("timelineCanvas");
        getChildren().add(canvas);
        tooltip.setShowDelay(Duration.millis(120));
        tooltip.setHideDelay(Duration.millis(80));
        tooltip.setShowDuration(Duration.seconds(30));
        tooltip.getStyleClass().add("marker-tooltip");
        canvas.setOnMouseMoved(e -> {
            TimelineLayout.Marker m = layout.markerAt(e.getX(), e.getY());
            TimelineLayout.Ghost g = m == null ? layout.ghostAt(e.getX(), e.getY()) : null;
            if (g != null) {
                hoverGhost(g, e.getScreenX(), e.getScreenY());
            } else {
                hover(m, e.getScreenX(), e.getScreenY());
            }
        });
        canvas.setOnMouseExited(e -> hover(null, 0, 0));
        canvas.setOnMouseClicked(e -> {
            requestFocus();
            TimelineLayout.Marker m = layout.markerAt(e.getX(), e.getY());
            if (m != null) {
                vm.selectSeq(m.seq());
            }
        });
        setFocusTraversable(true);
        setOnKeyPressed(e -> {
            switch (e.getCode()) {
                case LEFT, UP -> vm.selectRelative(-1);
                case RIGHT, DOWN -> vm.selectRelative(1);
                case HOME -> vm.selectRelative(-Integer.MAX_VALUE / 2);
                case END -> vm.selectRelative(Integer.MAX_VALUE / 2);
                default -> {
                    return;
                }
            }
            e.consume();
        });
        subscriptions = vm.timelineProperty().subscribe(t -> relayout())
                .and(vm.selectedProperty().subscribe(s -> draw()))
                .and(dark.subscribe(d -> draw()))
                .and(widthProperty().subscribe(w -> relayout()));
    }

    /** The layout currently drawn. */
    public TimelineLayout currentLayout() {
        return layout;
    }

    /** The hover tooltip; its text is the hovered marker's tooltip. */
    public Tooltip hoverTooltip() {
        return tooltip;
    }

    /** Shows the tooltip of a marker as if hovered (keyboard users, tests); {@code null} hides it. */
    public void hover(TimelineLayout.Marker marker, double screenX, double screenY) {
        hovered = marker;
        if (marker == null) {
            tooltip.hide();
            canvas.setCursor(javafx.scene.Cursor.DEFAULT);
        } else {
            tooltip.setText(marker.tooltip());
            canvas.setCursor(javafx.scene.Cursor.HAND);
            if (getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()) {
                tooltip.show(canvas, screenX + 14, screenY + 14);
            }
        }
        draw();
    }

    /**
     * Shows the tooltip of an expected step's hollow marker (its evidence) as if hovered; the same
     * tooltip as the markers'.
     */
    public void hoverGhost(TimelineLayout.Ghost ghost, double screenX, double screenY) {
        hovered = null;
        tooltip.setText(ghost.tooltip());
        canvas.setCursor(javafx.scene.Cursor.DEFAULT);
        if (getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()) {
            tooltip.show(canvas, screenX + 14, screenY + 14);
        }
        draw();
    }

    /** The hovered marker, or {@code null}. */
    public TimelineLayout.Marker hovered() {
        return hovered;
    }

    private void relayout() {
        double w = getWidth() > 0 ? getWidth() : 800;
        layout = vm.layout(w);
        hovered = null;
        requestLayout();
        draw();
    }

    @Override
    protected double computePrefHeight(double width) {
        return Math.max(layout.height(), 60);
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(Math.max(1, getWidth()));
        canvas.setHeight(Math.max(1, Math.max(layout.height(), getHeight())));
        draw();
    }

    /** Stops listening to the view model. */
    public void dispose() {
        subscriptions.unsubscribe();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        boolean d = dark.get();
        Color bg = d ? Color.web("#0d1117") : Color.WHITE;
        Color text = d ? Color.web("#e6edf3") : Color.web("#1f2328");
        Color muted = d ? Color.web("#8d96a0") : Color.web("#59636e");
        Color grid = d ? Color.web("#30363d") : Color.web("#d1d9e0");
        Color laneAlt = d ? Color.web("#161b22") : Color.web("#f6f8fa");
        Color dlt = d ? Color.web("#da3633", 0.16) : Color.web("#ffebe9");
        Color ink = Color.WHITE;

        g.setFill(bg);
        g.fillRect(0, 0, w, h);
        if (layout.lanes().isEmpty()) {
            g.setFill(muted);
            g.setFont(Font.font(13));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(vm.timelineProperty().get() == null ? "No timeline yet"
                    : "No events were captured for this correlation ID", w / 2, Math.max(30, h / 2));
            return;
        }

        for (TimelineLayout.Lane lane : layout.lanes()) {
            g.setFill(lane.deadLetter() ? dlt : (lane.index() % 2 == 1 ? laneAlt : bg));
            g.fillRect(0, lane.top(), w, lane.height());
            g.setStroke(grid);
            g.setLineWidth(1);
            g.strokeLine(0, lane.top() + lane.height() - 0.5, w, lane.top() + lane.height() - 0.5);
            g.setTextAlign(TextAlignment.LEFT);
            g.setTextBaseline(VPos.CENTER);
            g.setFont(Font.font(null, FontWeight.SEMI_BOLD, 12.5));
            g.setFill(lane.deadLetter() ? Color.web(d ? "#ff7b72" : "#cf222e") : text);
            g.fillText(ellipsize(lane.channel(), 19), 12, lane.centerY() - 7);
            g.setFont(Font.font(11));
            g.setFill(muted);
            g.fillText(lane.eventCount() == 0 ? "expected step only"
                    : lane.eventCount() + (lane.eventCount() == 1 ? " event" : " events")
                    + (lane.deadLetter() ? " · dead-letter" : ""), 12, lane.centerY() + 9);
        }

        // axis and grid
        g.setFill(bg);
        g.fillRect(0, 0, w, layout.lanes().get(0).top());
        g.setStroke(grid);
        g.strokeLine(0, layout.lanes().get(0).top() - 0.5, w, layout.lanes().get(0).top() - 0.5);
        g.setFont(Font.font(11));
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.CENTER);
        for (TimelineLayout.Tick tick : layout.axis()) {
            g.setStroke(grid);
            g.setLineDashes(2, 3);
            g.strokeLine(Math.round(tick.x()) + 0.5, layout.lanes().get(0).top(), Math.round(tick.x()) + 0.5, layout.height());
            g.setLineDashes();
            g.strokeLine(Math.round(tick.x()) + 0.5, layout.lanes().get(0).top() - 5, Math.round(tick.x()) + 0.5, layout.lanes().get(0).top());
            g.setFill(muted);
            g.fillText(tick.label(), tick.x(), layout.lanes().get(0).top() / 2 - 1);
        }
        g.setStroke(grid);
        g.strokeLine(firstTickX() - 0.5, 0, firstTickX() - 0.5, layout.height());

        // flow line connecting events in observed order
        g.setStroke(d ? Color.web("#8d96a0", 0.35) : Color.web("#59636e", 0.28));
        g.setLineWidth(1.2);
        TimelineLayout.Marker prev = null;
        for (TimelineLayout.Marker m : layout.markers()) {
            if (prev != null) {
                g.strokeLine(prev.x(), prev.y(), m.x(), m.y());
            }
            prev = m;
        }

        drawGhosts(g, d);

        TimelineEntry selected = vm.selectedProperty().get();
        for (TimelineLayout.Marker m : layout.markers()) {
            if (selected != null && selected.event().seq() == m.seq()) {
                g.setFill(Color.web(d ? "#58a6ff" : "#0969da", 0.22));
                g.fillOval(m.x() - m.radius() - 6, m.y() - m.radius() - 6, 2 * m.radius() + 12, 2 * m.radius() + 12);
                g.setStroke(Color.web(d ? "#58a6ff" : "#0969da"));
                g.setLineWidth(2);
                g.strokeOval(m.x() - m.radius() - 5, m.y() - m.radius() - 5, 2 * m.radius() + 10, 2 * m.radius() + 10);
            } else if (hovered != null && hovered.seq() == m.seq()) {
                g.setStroke(muted);
                g.setLineWidth(1.5);
                g.strokeOval(m.x() - m.radius() - 4, m.y() - m.radius() - 4, 2 * m.radius() + 8, 2 * m.radius() + 8);
            }
            MarkerPainter.paint(g, m.primaryKind(), m.x(), m.y(), m.radius(), ink);
            if (m.kinds().size() > 1) {
                g.setFill(text);
                g.setFont(Font.font(null, FontWeight.BOLD, 9));
                g.setTextAlign(TextAlignment.LEFT);
                g.setTextBaseline(VPos.CENTER);
                g.fillText("+" + (m.kinds().size() - 1), m.x() + m.radius() + 2, m.y() - m.radius());
            }
        }
        // labels under markers where they fit
        g.setFont(Font.font(10.5));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        java.util.Map<Integer, Double> laneLabelEnd = new java.util.HashMap<>();
        for (TimelineLayout.Marker m : layout.markers()) {
            if (m.label().isEmpty()) {
                continue;
            }
            String label = ellipsize(m.label(), 22);
            double width = label.length() * 6.0;
            double end = laneLabelEnd.getOrDefault(m.lane(), Double.NEGATIVE_INFINITY);
            double cx = Math.min(m.x(), w - 4 - width / 2);
            if (cx - width / 2 > end + 6) {
                g.setFill(m.primaryKind() == null ? muted : MarkerPainter.color(m.primaryKind()));
                g.fillText(label, cx, m.y() + m.radius() + 3);
                laneLabelEnd.put(m.lane(), cx + width / 2);
            }
        }
    }

    /** The colour of an expected step's hollow marker: STOPPED red, MISSING_STEP orange, IN_FLIGHT grey. */
    static Color ghostColor(io.eventlens.core.analysis.ExpectedStep.Kind kind, boolean dark) {
        return switch (kind) {
            case STOPPED -> Color.web(dark ? "#ff7b72" : "#cf222e");
            case MISSING_STEP -> Color.web(dark ? "#f0883e" : "#bc4c00");
            case IN_FLIGHT -> Color.web(dark ? "#8d96a0" : "#59636e");
        };
    }

    /** Expected-but-missing steps: a dashed link from the step before, a dashed hollow circle, a label. */
    private void drawGhosts(GraphicsContext g, boolean d) {
        for (TimelineLayout.Ghost ghost : layout.ghosts()) {
            Color c = ghostColor(ghost.step().kind(), d);
            g.setStroke(c);
            g.setLineWidth(1.4);
            g.setLineDashes(4, 4);
            if (!Double.isNaN(ghost.fromX())) {
                g.strokeLine(ghost.fromX(), ghost.fromY(), ghost.x(), ghost.y());
            }
            g.setLineDashes(3, 2.5);
            g.setLineWidth(2);
            g.setFill(d ? Color.web("#0d1117") : Color.WHITE);
            double r = ghost.radius();
            g.fillOval(ghost.x() - r, ghost.y() - r, 2 * r, 2 * r);
            g.strokeOval(ghost.x() - r, ghost.y() - r, 2 * r, 2 * r);
            g.setLineDashes();
            g.setFill(c);
            g.setFont(Font.font(null, FontWeight.BOLD, 10));
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(ghost.step().kind() == io.eventlens.core.analysis.ExpectedStep.Kind.IN_FLIGHT ? "…" : "?",
                    ghost.x(), ghost.y());
            g.setFont(Font.font(10.5));
            g.setTextBaseline(VPos.TOP);
            String what = switch (ghost.step().kind()) {
                case STOPPED -> "never came";
                case MISSING_STEP -> "skipped";
                case IN_FLIGHT -> "not due yet";
            };
            String label = ellipsize(ghost.label(), 22) + " · " + what;
            double half = label.length() * 3.0;
            g.fillText(label, Math.max(half + 4, Math.min(ghost.x(), canvas.getWidth() - 4 - half)), ghost.y() + r + 3);
        }
    }

    private double firstTickX() {
        return layout.axis().isEmpty() ? 0 : layout.axis().get(0).x() - 14;
    }

    private static String ellipsize(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
