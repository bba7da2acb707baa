package io.eventlens.core.flowmodel;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a family's flows did between two consecutive steps: how often and how fast
 * (docs/reference/anomalies-and-verdicts.md, "Expected flows").
 *
 * <p>Percentiles are nearest-rank: the p-th percentile of n sorted samples is the sample at rank
 * {@code ceil(p/100 * n)} (1-based). With fewer than {@link FlowModelSettings#minPercentileHops()}
 * samples a p99 says little, so {@link #thresholdMs()} is then the largest hop seen times
 * {@link FlowModelSettings#fewHopsMargin()} and {@link #estimated()} is true ("say so").
 *
 * @param from        the step before
 * @param to          the step after
 * @param count       how many times the family's flows went from {@code from} straight to {@code to}
 * @param p50Ms       median hop latency, ms
 * @param p95Ms       95th percentile, ms
 * @param p99Ms       99th percentile, ms
 * @param maxMs       the slowest hop, ms
 * @param thresholdMs the hop's learned limit: {@code p99Ms}, or {@code maxMs × margin} when estimated
 * @param estimated   true when fewer hops than needed for a percentile were seen
 */
public record HopStats(Step from, Step to, int count, long p50Ms, long p95Ms, long p99Ms, long maxMs, long thresholdMs,
                       boolean estimated) {

    public HopStats {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /**
     * The statistics of these hop latencies.
     *
     * @param samplesMs hop latencies in ms, any order (sorted in place); at least one
     */
    public static HopStats of(Step from, Step to, long[] samplesMs, FlowModelSettings settings) {
        if (samplesMs.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        Arrays.sort(samplesMs);
        long max = samplesMs[samplesMs.length - 1];
        long p99 = percentile(samplesMs, 99);
        boolean estimated = samplesMs.length < settings.minPercentileHops();
        long threshold = estimated ? (long) Math.ceil(max * settings.fewHopsMargin()) : p99;
        return new HopStats(from, to, samplesMs.length, percentile(samplesMs, 50), percentile(samplesMs, 95), p99, max,
                threshold, estimated);
    }

    /** Nearest-rank percentile {@code p} (0 < p <= 100) of sorted samples. */
    public static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * How the limit was found, for evidence: {@code "820 ms (p99 of 412 hops)"} or
     * {@code "1.2 s (1.5× the largest of 12 hops)"}.
     */
    public String thresholdText(FlowModelSettings settings) {
        String t = io.eventlens.core.analysis.TimelineAnalyzer.formatDuration(java.time.Duration.ofMillis(thresholdMs));
        return estimated
                ? t + " (" + trim(settings.fewHopsMargin()) + "× the largest of " + count + (count == 1 ? " hop" : " hops")
                        + ", too few for a p99)"
                : t + " (p99 of " + count + " hops)";
    }

    static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
