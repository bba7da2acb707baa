package io.eventlens.app.ui.timeline;

import io.eventlens.core.analysis.AnomalyKind;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;

import java.util.EnumMap;
import java.util.Map;

/**
 * Draws event markers: each anomaly kind has its own colour AND its own shape (square with a cross for
 * dead-lettered, diamond with "!" for a conflicting duplicate, down-pointing triangle for out of order,
 * clock for lag, double ring for a duplicate, a circle with a back-arrow for a sequence restart, ...), so a
 * marker reads without colour vision. Used by the
 * timeline canvas and the legend's icons alike. Shapes are drawn, not font glyphs, so they look the same
 * on every machine.
 */
public final class MarkerPainter {

    /** Colour and name of one marker style. */
    public record Style(Color color, String label, String description) {
    }

    private static final Color CLEAN = Color.web("#0969da");
    private static final Map<AnomalyKind, Style> STYLES = new EnumMap<>(AnomalyKind.class);

    static {
        STYLES.put(AnomalyKind.DEAD_LETTERED, new Style(Color.web("#d1242f"), "Dead-lettered", "observed on a dead-letter channel"));
        STYLES.put(AnomalyKind.CONTRACT_VIOLATION, new Style(Color.web("#9a6700"), "Contract violation",
                "payload broke its schema or CloudEvents envelope"));
        STYLES.put(AnomalyKind.MISSING_STEP, new Style(Color.web("#8250df"), "Missing step", "an expected step never appeared"));
        STYLES.put(AnomalyKind.CONFLICTING_DUPLICATE, new Style(Color.web("#bf3989"), "Conflicting duplicate", "same event ID, different payload"));
        STYLES.put(AnomalyKind.FOREIGN_EVENT, new Style(Color.web("#57606a"), "Foreign event", "another correlation ID"));
        STYLES.put(AnomalyKind.OUT_OF_ORDER, new Style(Color.web("#e16f24"), "Out of order", "sequence lower than one seen before"));
        STYLES.put(AnomalyKind.LAG, new Style(Color.web("#b08800"), "Lag", "gap from the previous step exceeds the SLO"));
        STYLES.put(AnomalyKind.CLOCK_SKEW, new Style(Color.web("#1b7c83"), "Clock skew", "event time later than observed"));
        STYLES.put(AnomalyKind.DUPLICATE, new Style(Color.web("#6639ba"), "Duplicate", "redelivery with identical payload"));
        STYLES.put(AnomalyKind.RETRIED, new Style(Color.web("#4b6a88"), "Retried", "delivered more than once"));
        STYLES.put(AnomalyKind.SEQUENCE_RESTART, new Style(Color.web("#2da44e"), "Sequence restart",
                "a stream's sequence fell back to its start (producer restarted)"));
    }

    private MarkerPainter() {
    }

    /** The style of a kind; {@code null} gives the clean-event style. */
    public static Style style(AnomalyKind kind) {
        return kind == null ? new Style(CLEAN, "Event", "no anomaly") : STYLES.get(kind);
    }

    /** The colour of a kind ({@code null}: a clean event). */
    public static Color color(AnomalyKind kind) {
        return style(kind).color();
    }

    /**
     * Paints one marker centred at (x, y) with radius {@code r} px.
     *
     * @param kind     the most severe anomaly kind, or {@code null} for a clean event
     * @param ink      contrast colour for the inner glyph (white on light and dark themes)
     */
    public static void paint(GraphicsContext g, AnomalyKind kind, double x, double y, double r, Color ink) {
        Color c = color(kind);
        g.save();
        g.setLineCap(StrokeLineCap.ROUND);
        g.setFill(c);
        g.setStroke(c);
        g.setLineWidth(Math.max(1.2, r / 5));
        if (kind == null) {
            g.fillOval(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6);
            g.restore();
            return;
        }
        switch (kind) {
            case DEAD_LETTERED -> {
                g.fillRoundRect(x - r, y - r, 2 * r, 2 * r, r * 0.5, r * 0.5);
                g.setStroke(ink);
                g.setLineWidth(Math.max(1.5, r / 4));
                double d = r * 0.45;
                g.strokeLine(x - d, y - d, x + d, y + d);
                g.strokeLine(x - d, y + d, x + d, y - d);
            }
            case CONFLICTING_DUPLICATE -> {
                g.fillPolygon(new double[] {x, x + r * 1.15, x, x - r * 1.15}, new double[] {y - r * 1.15, y, y + r * 1.15, y}, 4);
                g.setStroke(ink);
                g.setLineWidth(Math.max(1.5, r / 4));
                g.strokeLine(x, y - r * 0.5, x, y + r * 0.1);
                g.setFill(ink);
                g.fillOval(x - r * 0.14, y + r * 0.32, r * 0.28, r * 0.28);
            }
            case OUT_OF_ORDER -> {
                g.fillPolygon(new double[] {x - r * 1.1, x + r * 1.1, x}, new double[] {y - r * 0.8, y - r * 0.8, y + r}, 3);
                g.setStroke(ink);
                g.setLineWidth(Math.max(1.3, r / 5));
                g.strokeLine(x - r * 0.35, y - r * 0.35, x + r * 0.35, y - r * 0.35);
            }
            case LAG, CLOCK_SKEW -> {
                g.fillOval(x - r, y - r, 2 * r, 2 * r);
                g.setStroke(ink);
                g.setLineWidth(Math.max(1.3, r / 5));
                g.strokeLine(x, y, x, y - r * 0.6);
                if (kind == AnomalyKind.LAG) {
                    g.strokeLine(x, y, x + r * 0.45, y + r * 0.2);
                } else {
                    g.strokeLine(x, y, x - r * 0.45, y + r * 0.2);
                    g.strokeLine(x, y, x + r * 0.45, y + r * 0.2);
                }
            }
            case DUPLICATE -> {
                g.setLineWidth(Math.max(1.5, r / 4));
                g.strokeOval(x - r, y - r, 2 * r, 2 * r);
                g.fillOval(x - r * 0.5, y - r * 0.5, r, r);
            }
            case RETRIED -> {
                g.setLineWidth(Math.max(1.8, r / 3.5));
                g.strokeArc(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7, 40, 290, javafx.scene.shape.ArcType.OPEN);
                g.fillPolygon(new double[] {x + r * 0.95, x + r * 0.35, x + r * 0.95}, new double[] {y - r * 0.95, y - r * 0.55, y - r * 0.15}, 3);
            }
            case MISSING_STEP -> {
                g.setLineDashes(r * 0.4, r * 0.3);
                g.setLineWidth(Math.max(1.5, r / 4));
                g.strokeOval(x - r, y - r, 2 * r, 2 * r);
            }
            case SEQUENCE_RESTART -> {
                g.fillOval(x - r, y - r, 2 * r, 2 * r);
                g.setStroke(ink);
                g.setFill(ink);
                g.setLineWidth(Math.max(1.3, r / 5));
                // a bar and an arrow pointing back to it: "back to the start"
                g.strokeLine(x - r * 0.5, y - r * 0.45, x - r * 0.5, y + r * 0.45);
                g.strokeLine(x - r * 0.2, y, x + r * 0.55, y);
                g.fillPolygon(new double[] {x - r * 0.35, x - r * 0.05, x - r * 0.05}, new double[] {y, y - r * 0.3, y + r * 0.3}, 3);
            }
            case CONTRACT_VIOLATION -> {
                // a document with a broken corner: the payload broke its contract
                g.fillPolygon(new double[] {x - r * 0.85, x + r * 0.4, x + r * 0.85, x + r * 0.85, x - r * 0.85},
                        new double[] {y - r, y - r, y - r * 0.55, y + r, y + r}, 5);
                g.setStroke(ink);
                g.setLineWidth(Math.max(1.5, r / 4));
                g.strokeLine(x - r * 0.4, y - r * 0.35, x + r * 0.4, y + r * 0.45);
                g.strokeLine(x - r * 0.4, y + r * 0.45, x + r * 0.4, y - r * 0.35);
            }
            case FOREIGN_EVENT -> {
                g.fillPolygon(new double[] {x, x + r * 1.1, x - r * 1.1}, new double[] {y - r, y + r * 0.8, y + r * 0.8}, 3);
                g.setFill(ink);
                g.fillOval(x - r * 0.15, y + r * 0.25, r * 0.3, r * 0.3);
            }
        }
        g.restore();
    }
}
