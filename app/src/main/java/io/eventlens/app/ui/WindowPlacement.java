package io.eventlens.app.ui;

import io.eventlens.app.ui.services.WindowBounds;
import java.util.List;
import java.util.Optional;
import javafx.geometry.Rectangle2D;

/**
 * Where the main window opens, from the screens present now (their visual bounds: the desktop
 * minus task bars and docks, in px). Pure logic, unit-tested without a display.
 *
 * <p>First run: {@value #DEFAULT_WIDTH}×{@value #DEFAULT_HEIGHT} px, or {@value #FIRST_RUN_SHARE}
 * of the primary screen's visual bounds when that is smaller, centred on it. Remembered bounds are
 * kept when their title bar is on a screen present now, shrunk to fit that screen and moved inside
 * it; when it is on no screen (a laptop undocked from its monitor) the window opens as on the first
 * run. The minimum size is {@value #MIN_WIDTH}×{@value #MIN_HEIGHT} px (every pane is usable at
 * 1280×720), never more than the screen.
 */
public final class WindowPlacement {

    /** Width of the first window on a large screen, px. */
    public static final double DEFAULT_WIDTH = 1400;
    /** Height of the first window on a large screen, px. */
    public static final double DEFAULT_HEIGHT = 900;
    /** The share of a smaller screen the first window takes. */
    public static final double FIRST_RUN_SHARE = 0.92;
    /** Smallest width the layout is made for, px. */
    public static final double MIN_WIDTH = 960;
    /** Smallest height the layout is made for, px. */
    public static final double MIN_HEIGHT = 600;
    /** How much of the remembered title bar must be on a screen for the bounds to be kept, px. */
    static final double TITLE_BAR = 40;

    private WindowPlacement() {
    }

    /**
     * Where to open the window.
     *
     * @param remembered the bounds saved when the window last closed, if any
     * @param primary    the primary screen's visual bounds
     * @param screens    the visual bounds of every screen present now (includes {@code primary})
     * @return bounds inside one screen's visual bounds; {@code maximized} as remembered
     */
    public static WindowBounds place(Optional<WindowBounds> remembered, Rectangle2D primary, List<Rectangle2D> screens) {
        if (remembered.isPresent()) {
            WindowBounds r = remembered.get();
            Rectangle2D titleBar = new Rectangle2D(r.x(), r.y(), Math.max(1, r.width()), TITLE_BAR);
            Optional<Rectangle2D> home = screens.stream().filter(s -> overlap(s, titleBar) >= TITLE_BAR * TITLE_BAR / 2)
                    .max((a, b) -> Double.compare(overlap(a, titleBar), overlap(b, titleBar)));
            if (home.isPresent()) {
                Rectangle2D s = home.get();
                double w = Math.min(r.width(), s.getWidth());
                double h = Math.min(r.height(), s.getHeight());
                double x = clamp(r.x(), s.getMinX(), s.getMaxX() - w);
                double y = clamp(r.y(), s.getMinY(), s.getMaxY() - h);
                return new WindowBounds(x, y, w, h, r.maximized());
            }
        }
        double w = Math.min(DEFAULT_WIDTH, Math.floor(primary.getWidth() * FIRST_RUN_SHARE));
        double h = Math.min(DEFAULT_HEIGHT, Math.floor(primary.getHeight() * FIRST_RUN_SHARE));
        return new WindowBounds(Math.round(primary.getMinX() + (primary.getWidth() - w) / 2),
                Math.round(primary.getMinY() + (primary.getHeight() - h) / 2), w, h,
                remembered.map(WindowBounds::maximized).orElse(false));
    }

    /** The minimum window size on a screen of these visual bounds: {@link #MIN_WIDTH}×{@link #MIN_HEIGHT} or the screen. */
    public static double[] minimumSize(Rectangle2D screen) {
        return new double[] {Math.min(MIN_WIDTH, screen.getWidth()), Math.min(MIN_HEIGHT, screen.getHeight())};
    }

    private static double overlap(Rectangle2D a, Rectangle2D b) {
        double w = Math.min(a.getMaxX(), b.getMaxX()) - Math.max(a.getMinX(), b.getMinX());
        double h = Math.min(a.getMaxY(), b.getMaxY()) - Math.max(a.getMinY(), b.getMinY());
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(v, max));
    }
}
