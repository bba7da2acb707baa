package io.eventlens.core.replay;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How closely the achieved gaps between consecutive sends matched the asked ones
 * (docs/reference/replay.md, "Timing"): for each pair whose asked gap is at least
 * {@link #MIN_ASKED_NANOS}, the ratio achieved / asked (1.0 = exact; 1.2 = 20 % slower). Shorter
 * asked gaps are left out: there the cost of a send itself dominates.
 *
 * @param gaps        how many gaps were compared
 * @param medianRatio the median ratio, or null when none was compared
 * @param minRatio    the smallest ratio, or null
 * @param maxRatio    the largest ratio, or null
 */
public record GapFidelity(int gaps, Double medianRatio, Double minRatio, Double maxRatio) {

    /** Asked gaps shorter than this (1 ms) are not compared. */
    public static final long MIN_ASKED_NANOS = 1_000_000;

    /** No gaps compared. */
    public static final GapFidelity NONE = new GapFidelity(0, null, null, null);

    /**
     * The fidelity of paired asked and achieved offsets (nanoseconds from the first send).
     *
     * @param asked    asked offsets, in send order
     * @param achieved achieved offsets, same length
     */
    public static GapFidelity of(List<Long> asked, List<Long> achieved) {
        if (asked.size() != achieved.size()) {
            throw new IllegalArgumentException("asked and achieved offsets differ in length: " + asked.size()
                    + " vs " + achieved.size());
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 1; i < asked.size(); i++) {
            long a = asked.get(i) - asked.get(i - 1);
            if (a >= MIN_ASKED_NANOS) {
                ratios.add((double) (achieved.get(i) - achieved.get(i - 1)) / a);
            }
        }
        if (ratios.isEmpty()) {
            return NONE;
        }
        Collections.sort(ratios);
        int n = ratios.size();
        double median = n % 2 == 1 ? ratios.get(n / 2) : (ratios.get(n / 2 - 1) + ratios.get(n / 2)) / 2;
        return new GapFidelity(n, median, ratios.get(0), ratios.get(n - 1));
    }
}
