package io.eventlens.app.ui.timeline;

import io.eventlens.core.layout.TimelineLayout;
import javafx.beans.property.BooleanProperty;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import javafx.util.Duration;
import javafx.util.Subscription;

/**
 * The overview strip above the timeline (docs/reference/timeline-layout.md, "Overview"): the whole flow's
 * event density as bars, every anomaly as a coloured tick at any zoom, expected steps the flow did not have
 * as small hollow circles, collapsed idle gaps hatched, and
 * the visible window as a framed box. A click or a drag centres the window there. It paints the core
 * layout's {@link TimelineLayout.Overview}; it computes nothing.
 */
public final class TimelineOverview extends Region {

    /** Height of the strip in px. */
    public static final double HEIGHT = 40;

    private final TimelineViewModel vm;
    private final BooleanProperty dark;
    private final Canvas canvas = new Canvas();
    private TimelineLayout layout = TimelineLayout.empty(0, 0);
    private final Subscription subscriptions;

    /** An overview of {@code vm}'s timeline; {@code dark} picks the palette. */
    public TimelineOverview(TimelineViewModel vm, BooleanProperty dark) {
        this.vm = vm;
        this.dark = dark;
        setId("timelineOverview");
        getStyleClass().add("timeline-overview");
        getChildren().add(canvas);
        setMinHeight(HEIGHT);
        setPrefHeight(HEIGHT);
        setMaxHeight(HEIGHT);
        Tooltip.install(this, tooltip());
        canvas.setOnMousePressed(e -> centerAt(e.getX()));
        canvas.setOnMouseDragged(e -> centerAt(e.getX()));
        subscriptions = vm.windowLayoutProperty().subscribe(l -> {
            layout = l;
            draw();
        }).and(dark.subscribe(d -> draw()));
    }

    private static Tooltip tooltip() {
        Tooltip t = new Tooltip("The whole flow: bars show how many events, ticks mark every anomaly, the frame is the "
                + "part shown below. Click or drag to move there.");
        t.setShowDelay(Duration.millis(600));
        return t;
    }

    /** The x (in this strip) of the point at {@code fraction} (0..1) of the whole flow. */
    public double xOf(double fraction) {
        return layout.plotLeft() + fraction * (layout.plotRight() - layout.plotLeft());
    }

    private void centerAt(double x) {
        double w = layout.plotRight() - layout.plotLeft();
        if (w > 0 && !layout.lanes().isEmpty()) {
            vm.centerOnFraction((x - layout.plotLeft()) / w);
        }
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(Math.max(1, getWidth()));
        canvas.setHeight(HEIGHT);
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
        Color muted = d ? Color.web("#8d96a0") : Color.web("#59636e");
        Color grid = d ? Color.web("#30363d") : Color.web("#d1d9e0");
        g.setFill(bg);
        g.fillRect(0, 0, w, h);
        g.setStroke(grid);
        g.setLineWidth(1);
        g.strokeLine(0, h - 0.5, w, h - 0.5);
        TimelineLayout.Overview o = layout.overview();
        if (layout.lanes().isEmpty() || o.density().length == 0) {
            return;
        }
        double left = layout.plotLeft();
        double right = layout.plotRight();
        g.setFill(muted);
        g.setFont(Font.font(11));
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText("Overview", 12, h / 2);

        double barTop = 6;
        double barBottom = h - 8;
        for (double[] b : o.breaks()) {
            g.setFill(d ? Color.web("#21262d") : Color.web("#eef1f4"));
            g.fillRect(b[0], barTop, Math.max(2, b[1] - b[0]), barBottom - barTop);
            g.setStroke(muted);
            g.strokeLine(b[0] + 0.5, barTop, b[0] + 0.5, barBottom);
            g.strokeLine(b[1] - 0.5, barTop, b[1] - 0.5, barBottom);
        }
        Color bar = MarkerPainter.color(null).deriveColor(0, 1, 1, d ? 0.55 : 0.45);
        g.setFill(bar);
        double max = Math.log1p(o.maxDensity());
        for (int i = 0; i < o.density().length; i++) {
            int n = o.density()[i];
            if (n == 0) {
                continue;
            }
            double bh = Math.max(2, (barBottom - barTop) * Math.log1p(n) / max);
            double x = left + i * TimelineLayout.Overview.COLUMN;
            if (x > right + 2) {
                break;
            }
            g.fillRect(x, barBottom - bh, TimelineLayout.Overview.COLUMN, bh);
        }
        // every anomaly, on top of the bars, at any zoom
        for (TimelineLayout.OverviewMark m : o.anomalies()) {
            g.setStroke(MarkerPainter.color(m.kind()));
            g.setLineWidth(2);
            g.strokeLine(m.x(), 2, m.x(), h - 4);
        }
        // expected steps the flow did not have: small hollow circles (docs/decisions/0017-expected-flows.md)
        g.setStroke(d ? Color.web("#ff7b72") : Color.web("#cf222e"));
        g.setLineWidth(1.5);
        for (double gx : o.ghosts()) {
            g.setFill(bg);
            g.fillOval(gx - 4, barTop - 2, 8, 8);
            g.strokeOval(gx - 4, barTop - 2, 8, 8);
        }
        // the visible window
        double x0 = Math.max(left - 2, o.windowX0());
        double x1 = Math.min(right + 2, Math.max(o.windowX1(), x0 + 4));
        boolean fit = o.windowX0() <= left + 0.5 && o.windowX1() >= right - 0.5;
        if (!fit) {
            g.setFill(d ? Color.web("#010409", 0.55) : Color.web("#d0d7de", 0.45));
            g.fillRect(left - 2, 0, x0 - left + 2, h - 1);
            g.fillRect(x1, 0, right + 2 - x1, h - 1);
        }
        g.setStroke(Color.web(d ? "#58a6ff" : "#0969da"));
        g.setLineWidth(2);
        g.strokeRoundRect(x0, 1, x1 - x0, h - 3, 4, 4);
    }
}
