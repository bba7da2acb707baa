package io.eventlens.core.layout;

/**
 * The visible window of a timeline on its warped axis ({@link TimeWarp}), in virtual ms from the flow's
 * start, and the zoom and pan steps on it (docs/reference/timeline-layout.md, "Zoom and pan"). Every
 * step returns a window clamped to the flow: no wider than the whole axis ("fit"), no narrower than
 * {@link #MIN_SPAN_MS}, never past either end. Pure and immutable.
 *
 * @param start left edge (virtual ms)
 * @param end   right edge (virtual ms); greater than {@code start}
 */
public record Viewport(double start, double end) {

    /** The narrowest window: 1 ms. */
    public static final double MIN_SPAN_MS = 1;

    public Viewport {
        if (!(end > start) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("viewport: end must be greater than start, was " + start + ".." + end);
        }
    }

    /** The whole axis of length {@code total} virtual ms. */
    public static Viewport fit(double total) {
        return new Viewport(0, Math.max(MIN_SPAN_MS, total));
    }

    /** The window's width in virtual ms. */
    public double span() {
        return end - start;
    }

    /** True when the window shows the whole axis of length {@code total}. */
    public boolean isFit(double total) {
        return start <= 0 && end >= total;
    }

    /**
     * Zooms by {@code factor} (2 = twice as close) keeping the point at {@code anchor} (0 = left edge,
     * 1 = right edge of the window) where it is.
     */
    public Viewport zoom(double factor, double anchor, double total) {
        double a = Math.max(0, Math.min(1, anchor));
        double at = start + span() * a;
        double s = span() / factor;
        return clamp(at - s * a, at - s * a + s, total);
    }

    /** Moves the window by {@code fraction} of its width (negative: towards the start). */
    public Viewport pan(double fraction, double total) {
        double d = span() * fraction;
        return clamp(start + d, end + d, total);
    }

    /** The same width centred on {@code virtual}. */
    public Viewport centerOn(double virtual, double total) {
        return clamp(virtual - span() / 2, virtual + span() / 2, total);
    }

    /** This window clamped to an axis of length {@code total}. */
    public Viewport clampTo(double total) {
        return clamp(start, end, total);
    }

    /** The window {@code from}..{@code to} with {@code padding} (share of its width) on each side, clamped. */
    public static Viewport around(double from, double to, double padding, double total) {
        double s = Math.max(MIN_SPAN_MS, to - from);
        return clamp(from - s * padding, to + s * padding, total);
    }

    private static Viewport clamp(double s, double e, double total) {
        double t = Math.max(MIN_SPAN_MS, total);
        double span = Math.max(MIN_SPAN_MS, Math.min(t, e - s));
        double st = Math.max(0, Math.min(t - span, s));
        return new Viewport(st, st + span);
    }
}
