package io.eventlens.app.ui.timeline;

import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.layout.TimeWarp;
import io.eventlens.core.layout.TimelineLayout;
import javafx.scene.input.KeyCode;
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
 * The timeline drawing: a {@link Canvas} that paints the core {@link TimelineLayout} of the visible
 * window (time axis with ticks and grid lines, one lane per channel, partition or key with dead-letter
 * lanes tinted, one marker per event with its anomaly shape and colour, count badges for dense
 * stretches, hatched breaks for collapsed idle gaps, labels that fit, the selected event ringed). It
 * never lays out: the view model does that in the background (docs/decisions/0016-timeline-at-scale.md).
 *
 * Expected steps the flow did not have are drawn as dashed hollow "ghost" markers
 * (docs/decisions/0017-expected-flows.md).
 *
 * <p>Mouse: hover shows the marker's, ghost's, badge's or break's tooltip; a click selects an event, zooms into a
 * badge or expands a break; Ctrl+wheel zooms at the pointer; a drag or a horizontal wheel pans. Keys
 * (docs/reference/timeline-layout.md, "Keys"): Left/Right pan, Up/Down previous/next event, Home/End
 * first/last event, +/− zoom, 0 fit, N / P (or ] / [) next/previous anomaly.
 */
public final class TimelineCanvas extends Region {

    private final TimelineViewModel vm;
    private final BooleanProperty dark;
    private final Canvas canvas = new Canvas();
    private final Tooltip tooltip = new Tooltip();
    private TimelineLayout layout = TimelineLayout.empty(0, 0);
    private TimelineLayout.Marker hovered;
    private Object hoveredOther;
    private final Subscription subscriptions;
    private double dragX = Double.NaN;
    private boolean dragged;
    private long lastPaintNanos;
    private long lastPaintCpuNanos;
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

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
        canvas.setOnMouseMoved(e -> pointAt(e.getX(), e.getY(), e.getScreenX(), e.getScreenY()));
        canvas.setOnMouseExited(e -> hover(null, 0, 0));
        canvas.setOnMousePressed(e -> {
            dragX = e.getX();
            dragged = false;
        });
        canvas.setOnMouseDragged(e -> {
            if (Double.isNaN(dragX)) {
                return;
            }
            double dx = e.getX() - dragX;
            if (dragged || Math.abs(dx) > 3) {
                dragged = true;
                dragX = e.getX();
                vm.pan(-dx / plotWidth());
                canvas.setCursor(javafx.scene.Cursor.CLOSED_HAND);
            }
        });
        canvas.setOnMouseReleased(e -> {
            dragX = Double.NaN;
            if (dragged) {
                canvas.setCursor(javafx.scene.Cursor.DEFAULT);
            }
        });
        canvas.setOnMouseClicked(e -> {
            requestFocus();
            if (dragged) {
                dragged = false;
                return;
            }
            click(e.getX(), e.getY());
        });
        canvas.setOnScroll(e -> {
            if (e.isShortcutDown() || e.isControlDown()) {
                double anchor = (e.getX() - layout.plotLeft()) / plotWidth();
                vm.zoom(Math.pow(1.25, Math.signum(e.getDeltaY() == 0 ? e.getDeltaX() : e.getDeltaY())), anchor);
                e.consume();
            } else if (e.getDeltaX() != 0 || e.isShiftDown()) {
                double d = e.getDeltaX() != 0 ? e.getDeltaX() : e.getDeltaY();
                vm.pan(-d / plotWidth());
                e.consume();
            }
        });
        setFocusTraversable(true);
        setOnKeyPressed(e -> {
            if (!handleKey(e.getCode(), e.getText(), e.isShiftDown())) {
                return;
            }
            e.consume();
        });
        subscriptions = vm.windowLayoutProperty().subscribe(l -> show(l))
                .and(vm.selectedProperty().subscribe(s -> draw()))
                .and(dark.subscribe(d -> draw()))
                .and(widthProperty().subscribe(w -> vm.setViewWidth(w.doubleValue())));
    }

    /**
     * Handles a timeline key (see the class comment).
     *
     * @return true when the key was a timeline key
     */
    boolean handleKey(KeyCode code, String text, boolean shift) {
        switch (code) {
            case LEFT -> vm.pan(-0.125);
            case RIGHT -> vm.pan(0.125);
            case UP -> vm.selectRelative(-1);
            case DOWN -> vm.selectRelative(1);
            case HOME -> vm.selectRelative(-Integer.MAX_VALUE / 2);
            case END -> vm.selectRelative(Integer.MAX_VALUE / 2);
            case PLUS, ADD, EQUALS -> vm.zoom(2, 0.5);
            case MINUS, SUBTRACT -> vm.zoom(0.5, 0.5);
            case DIGIT0, NUMPAD0 -> vm.fit();
            case N -> vm.selectAnomaly(!shift);
            case P -> vm.selectAnomaly(false);
            case CLOSE_BRACKET -> vm.selectAnomaly(true);
            case OPEN_BRACKET -> vm.selectAnomaly(false);
            default -> {
                if ("+".equals(text)) {
                    vm.zoom(2, 0.5);
                } else if ("-".equals(text)) {
                    vm.zoom(0.5, 0.5);
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private double plotWidth() {
        return Math.max(1, layout.plotRight() - layout.plotLeft());
    }

    private void show(TimelineLayout l) {
        double oldHeight = layout.height();
        layout = l;
        if (hovered != null) {
            hovered = l.markerForSeq(hovered.seq());
        }
        hoveredOther = null;
        if (oldHeight != l.height()) {
            requestLayout();
        }
        draw();
    }

    private void pointAt(double x, double y, double screenX, double screenY) {
        TimelineLayout.Marker m = layout.markerAt(x, y);
        if (m != null) {
            hover(m, screenX, screenY);
            return;
        }
        TimelineLayout.Ghost ghost = layout.ghostAt(x, y);
        if (ghost != null) {
            hoverGhost(ghost, screenX, screenY);
            return;
        }
        TimelineLayout.Cluster c = layout.clusterAt(x, y);
        TimelineLayout.Break b = c == null ? layout.breakAt(x, y) : null;
        Object other = c != null ? c : b;
        if (other == null) {
            hover(null, 0, 0);
            return;
        }
        hovered = null;
        hoveredOther = other;
        tooltip.setText(c != null ? c.tooltip() : "No events for " + TimeWarp.formatDuration(b.endMs() - b.startMs())
                + ", from +" + TimeWarp.formatDuration(b.startMs() - layout.startMs()) + " to +"
                + TimeWarp.formatDuration(b.endMs() - layout.startMs()) + "\nclick to expand the gap");
        canvas.setCursor(javafx.scene.Cursor.HAND);
        showTooltip(screenX, screenY);
        draw();
    }

    private void click(double x, double y) {
        TimelineLayout.Marker m = layout.markerAt(x, y);
        if (m != null) {
            vm.selectSeq(m.seq());
            return;
        }
        TimelineLayout.Cluster c = layout.clusterAt(x, y);
        if (c != null) {
            vm.zoomTo(c.virtualStart(), c.virtualEnd());
            return;
        }
        TimelineLayout.Break b = layout.breakAt(x, y);
        if (b != null) {
            vm.expandGap(b.startMs());
        }
    }

    private void showTooltip(double screenX, double screenY) {
        if (getScene() != null && getScene().getWindow() != null && getScene().getWindow().isShowing()) {
            tooltip.show(canvas, screenX + 14, screenY + 14);
        }
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
        hoveredOther = null;
        if (marker == null) {
            tooltip.hide();
            canvas.setCursor(javafx.scene.Cursor.DEFAULT);
        } else {
            io.eventlens.core.analysis.Timeline shown = vm.timelineProperty().get();
            io.eventlens.core.analysis.Consumption c = shown == null ? null : shown.consumption().get(marker.seq());
            StringBuilder tip = new StringBuilder(marker.tooltip());
            if (c != null) {
                c.consumedBy().forEach(b -> tip.append("\n✓ ").append(b.describe()));
                c.notConsumedBy().forEach(n -> tip.append("\n✗ ").append(n.describe()));
            }
            tooltip.setText(tip.toString());
            canvas.setCursor(javafx.scene.Cursor.HAND);
            showTooltip(screenX, screenY);
        }
        draw();
    }

    /**
     * Shows the tooltip of an expected step's hollow marker (its evidence) as if hovered; the same
     * tooltip as the markers'.
     */
    public void hoverGhost(TimelineLayout.Ghost ghost, double screenX, double screenY) {
        hovered = null;
        hoveredOther = ghost;
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

    /** Nanoseconds (wall clock) the last paint took on the FX thread (the benchmark reads it). */
    public long lastPaintNanos() {
        return lastPaintNanos;
    }

    /** CPU nanoseconds of the FX thread the last paint took (the benchmark reads it; robust to a busy machine). */
    public long lastPaintCpuNanos() {
        return lastPaintCpuNanos;
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
        long started = System.nanoTime();
        long startedCpu = THREADS.getCurrentThreadCpuTime();
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

        double plotTop = layout.lanes().get(0).top();
        g.save(); // nothing of the plot spills over the lane titles when panned
        g.beginPath();
        g.rect(layout.plotLeft() - 14, 0, w - layout.plotLeft() + 14, h);
        g.clip();
        // collapsed idle gaps: a hatched column with its length on the axis
        for (TimelineLayout.Break b : layout.breaks()) {
            double x0 = Math.max(b.x0(), layout.plotLeft() - 8);
            double x1 = Math.min(b.x1(), w);
            if (x1 <= x0) {
                continue;
            }
            g.setFill(d ? Color.web("#21262d") : Color.web("#eef1f4"));
            g.fillRect(x0, plotTop, x1 - x0, layout.height() - plotTop);
            g.save();
            g.beginPath();
            g.rect(x0, plotTop, x1 - x0, layout.height() - plotTop);
            g.clip();
            g.setStroke(grid);
            g.setLineWidth(1);
            for (double hx = x0 - layout.height(); hx < x1; hx += 7) {
                g.strokeLine(hx, layout.height(), hx + layout.height() - plotTop, plotTop);
            }
            g.restore();
            g.setStroke(muted);
            g.setLineWidth(1.2);
            zigzag(g, b.x0(), plotTop, layout.height());
            zigzag(g, b.x1(), plotTop, layout.height());
            boolean hot = hoveredOther instanceof TimelineLayout.Break hb && hb.startMs() == b.startMs();
            g.setFont(Font.font(null, FontWeight.SEMI_BOLD, 10.5));
            double tw = b.labelWidth();
            double cx = Math.max(layout.plotLeft() + tw / 2, Math.min(w - tw / 2 - 2, (b.x0() + b.x1()) / 2));
            g.setFill(hot ? Color.web(d ? "#388bfd" : "#0969da") : (d ? Color.web("#30363d") : Color.web("#57606a")));
            g.fillRoundRect(cx - tw / 2, 5, tw, plotTop - 10, 9, 9);
            g.setFill(Color.WHITE);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(b.label(), cx, plotTop / 2);
        }

        // flow line connecting events in observed order (only while every visible event has its own marker and there are few enough to follow)
        if (layout.clusters().isEmpty() && layout.markers().size() <= 60) {
            g.setStroke(d ? Color.web("#8d96a0", 0.35) : Color.web("#59636e", 0.28));
            g.setLineWidth(1.2);
            TimelineLayout.Marker prev = null;
            for (TimelineLayout.Marker m : layout.markers()) {
                if (prev != null) {
                    g.strokeLine(prev.x(), prev.y(), m.x(), m.y());
                }
                prev = m;
            }
        }

        // count badges
        g.setFont(Font.font(null, FontWeight.BOLD, 10.5));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (TimelineLayout.Cluster c : layout.clusters()) {
            double x0 = c.left();
            double bw = c.right() - c.left();
            double hh = c.halfHeight();
            boolean hot = hoveredOther instanceof TimelineLayout.Cluster hc && hc.equals(c);
            Color base = MarkerPainter.color(null);
            g.setFill(hot ? base.deriveColor(0, 1, 1, 0.4) : base.deriveColor(0, 1, 1, d ? 0.32 : 0.22));
            g.fillRoundRect(x0, c.y() - hh, bw, 2 * hh, 2 * hh, 2 * hh);
            if (c.primaryKind() != null) { // only badges holding an anomaly get an outline (cheaper to render)
                g.setLineWidth(2);
                g.setStroke(MarkerPainter.color(c.primaryKind()));
                g.strokeRoundRect(x0 + 1, c.y() - hh + 1, bw - 2, 2 * hh - 2, 2 * hh, 2 * hh);
            }
            g.setFill(text);
            g.fillText(c.text(), (c.left() + c.right()) / 2, c.y());
            if (c.primaryKind() != null) { // the most severe anomaly inside, on the badge's corner
                MarkerPainter.paint(g, c.primaryKind(), c.right() - 2, c.y() - hh, 5, ink);
            }
        }

        drawGhosts(g, d);

        TimelineEntry selected = vm.selectedProperty().get();
        io.eventlens.core.analysis.Timeline shownTimeline = vm.timelineProperty().get();
        for (TimelineLayout.Marker m : layout.markers()) {
            if (m.x() < -20 || m.x() > w + 20) {
                continue;
            }
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
            io.eventlens.core.analysis.Consumption consumed = shownTimeline == null ? null : shownTimeline.consumption().get(m.seq());
            if (consumed != null && consumed.notConsumedBy().stream().anyMatch(io.eventlens.core.analysis.Consumption.NotConsumedBy::stalled)) {
                // a consumer group of the next step never committed past this event (docs/decisions/0021-consumer-groups.md)
                double bx = m.x() + m.radius() * 0.7;
                double by = m.y() + m.radius() * 0.7;
                g.setFill(Color.web(d ? "#f85149" : "#cf222e"));
                g.fillRect(bx - 1, by - 1, 9, 9);
                g.setStroke(Color.WHITE);
                g.setLineWidth(1.5);
                g.strokeLine(bx + 1, by + 1, bx + 6, by + 6);
                g.strokeLine(bx + 6, by + 1, bx + 1, by + 6);
            }
            if (m.kinds().size() > 1) {
                g.setFill(text);
                g.setFont(Font.font(null, FontWeight.BOLD, 9));
                g.setTextAlign(TextAlignment.LEFT);
                g.setTextBaseline(VPos.CENTER);
                g.fillText("+" + (m.kinds().size() - 1), m.x() + m.radius() + 2, m.y() - m.radius());
            }
        }
        // labels: placed by the core layout so that none overlap
        g.setFont(Font.font(10.5));
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        for (TimelineLayout.Label label : layout.labels()) {
            g.setFill(label.kind() == null ? muted : MarkerPainter.color(label.kind()));
            g.fillText(label.text(), label.x(), label.y());
        }
        g.restore();
        lastPaintNanos = System.nanoTime() - started;
        lastPaintCpuNanos = THREADS.getCurrentThreadCpuTime() - startedCpu;
    }

    private static void zigzag(GraphicsContext g, double x, double top, double bottom) {
        double y = top;
        boolean out = false;
        g.beginPath();
        g.moveTo(x, y);
        while (y < bottom) {
            y = Math.min(bottom, y + 5);
            out = !out;
            g.lineTo(x + (out ? 2.5 : -2.5), y);
        }
        g.stroke();
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
            // within the plot area (left of it the lane titles are drawn over whatever is there)
            double lx = Math.max(layout.plotLeft() - 8 + half, Math.min(ghost.x(), canvas.getWidth() - 4 - half));
            double below = ghost.y() + r + 3;
            // an expected step close to the flow's last events (a flow of a few ms) would write its
            // label over theirs: it goes above the marker instead
            boolean clash = false;
            for (TimelineLayout.Label placed : layout.labels()) {
                double placedHalf = placed.text().length() * 3.0;
                if (Math.abs(placed.y() - below) < 11 && Math.abs(placed.x() - lx) < half + placedHalf + 4) {
                    clash = true;
                    break;
                }
            }
            g.fillText(label, lx, clash ? ghost.y() - r - 14 : below);
        }
    }

    private double firstTickX() {
        return layout.axis().isEmpty() ? 0 : layout.axis().get(0).x() - 14;
    }

    private static String ellipsize(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
