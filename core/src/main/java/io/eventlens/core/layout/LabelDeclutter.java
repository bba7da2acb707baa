package io.eventlens.core.layout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places the labels of one lane so that none overlap (docs/reference/timeline-layout.md, "Labels"):
 * candidates go in priority order (anomalies first, most severe first, then left to right); a label is
 * drawn in full when its box is free, else abbreviated with "…" to the room left around its marker, else
 * dropped. The full text stays in the marker's tooltip. Boxes are estimated from an average character
 * width (no font toolkit in core), with {@link #PAD} px kept free between boxes. Pure.
 */
public final class LabelDeclutter {

    /** Px kept free between two labels. */
    public static final double PAD = 8;
    /** An abbreviation keeps at least this many characters, the ellipsis included. */
    public static final int MIN_CHARS = 7;

    private LabelDeclutter() {
    }

    /**
     * A label that wants a place.
     *
     * @param id       caller's key (entry index)
     * @param x        centre x in px
     * @param text     the full text
     * @param priority lower goes first
     */
    public record Candidate(int id, double x, String text, int priority) {
    }

    /**
     * A label that got a place.
     *
     * @param id          the candidate's key
     * @param x           centre x in px (moved inside the bounds when needed)
     * @param text        the text drawn
     * @param abbreviated true when shortened
     */
    public record Placed(int id, double x, String text, boolean abbreviated) {
    }

    /**
     * Places labels of one lane.
     *
     * @param candidates labels that want a place, in any order
     * @param minX       leftmost px a label may use
     * @param maxX       rightmost px a label may use
     * @param charWidth  estimated width of one character in px
     * @return the placed labels, in placement (priority) order; no two boxes closer than {@link #PAD}
     */
    public static List<Placed> place(List<Candidate> candidates, double minX, double maxX, double charWidth) {
        List<Candidate> order = new ArrayList<>(candidates);
        order.sort(Comparator.comparingInt(Candidate::priority).thenComparingDouble(Candidate::x));
        TreeMap<Double, Double> taken = new TreeMap<>(); // box start -> box end
        List<Placed> placed = new ArrayList<>();
        for (Candidate c : order) {
            if (c.text().isEmpty() || c.x() < minX || c.x() > maxX) {
                continue;
            }
            double w = c.text().length() * charWidth;
            double cx = clamp(c.x(), minX + w / 2, maxX - w / 2);
            if (free(taken, cx - w / 2, cx + w / 2)) {
                taken.put(cx - w / 2, cx + w / 2);
                placed.add(new Placed(c.id(), cx, c.text(), false));
                continue;
            }
            // room around the marker: up to the neighbouring boxes and the bounds
            Map.Entry<Double, Double> before = taken.floorEntry(c.x());
            Map.Entry<Double, Double> after = taken.ceilingEntry(c.x());
            double leftEnd = Math.max(minX - PAD, before == null ? Double.NEGATIVE_INFINITY : before.getValue());
            double rightStart = Math.min(maxX + PAD, after == null ? Double.POSITIVE_INFINITY : after.getKey());
            if (leftEnd + PAD >= c.x() || rightStart - PAD <= c.x()) {
                continue;
            }
            double half = Math.min(c.x() - leftEnd - PAD, rightStart - PAD - c.x());
            int chars = (int) Math.floor(2 * half / charWidth);
            if (chars < MIN_CHARS || chars >= c.text().length()) {
                continue;
            }
            String t = c.text().substring(0, chars - 1) + "…";
            double tw = chars * charWidth;
            taken.put(c.x() - tw / 2, c.x() + tw / 2);
            placed.add(new Placed(c.id(), c.x(), t, true));
        }
        return placed;
    }

    private static boolean free(TreeMap<Double, Double> taken, double start, double end) {
        Map.Entry<Double, Double> before = taken.floorEntry(end + PAD);
        return before == null || before.getValue() + PAD <= start;
    }

    private static double clamp(double v, double lo, double hi) {
        return lo > hi ? (lo + hi) / 2 : Math.max(lo, Math.min(hi, v));
    }
}
