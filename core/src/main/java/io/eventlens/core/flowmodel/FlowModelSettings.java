package io.eventlens.core.flowmodel;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds of learning and judging expected flows (docs/reference/anomalies-and-verdicts.md,
 * "Expected flows"; docs/decisions/0017-expected-flows.md).
 *
 * @param minFlows            flows a family needs before anything is inferred from it (default 5)
 * @param minPercentileHops   hops a transition needs before its p99 is a percentile; below, the
 *                            largest hop seen times {@code fewHopsMargin} stands in (default 100)
 * @param fewHopsMargin       that margin (default 1.5)
 * @param continueShare       a step is "usually followed by another" when more than this share of
 *                            the visits to it went on (default 0.5: most flows)
 * @param nearlyAllShare      a step is expected before a later step when it came before it in at
 *                            least this share of the flows that reached the later step (default 0.9)
 * @param lagFactor           a learned LAG fires when a hop exceeds this many times the learned
 *                            p99 (default 2.0) ...
 * @param lagFloor            ... and at least this much (default 500 ms)
 * @param declaredTimeout     how long a declared step without a timeout (and without a learned
 *                            figure) may take before the flow is STOPPED (default 30 s)
 */
public record FlowModelSettings(int minFlows, int minPercentileHops, double fewHopsMargin, double continueShare,
                                double nearlyAllShare, double lagFactor, Duration lagFloor, Duration declaredTimeout) {

    public FlowModelSettings {
        if (minFlows < 1) {
            throw new IllegalArgumentException("minFlows: must be 1 or more, was " + minFlows);
        }
        if (minPercentileHops < 1) {
            throw new IllegalArgumentException("minPercentileHops: must be 1 or more, was " + minPercentileHops);
        }
        if (!(fewHopsMargin >= 1) || !(lagFactor >= 1)) {
            throw new IllegalArgumentException("margins must be 1 or more");
        }
        if (!(continueShare >= 0 && continueShare < 1) || !(nearlyAllShare > 0 && nearlyAllShare <= 1)) {
            throw new IllegalArgumentException("shares must be within 0..1");
        }
        Objects.requireNonNull(lagFloor, "lagFloor");
        Objects.requireNonNull(declaredTimeout, "declaredTimeout");
    }

    /** The defaults named above. */
    public static FlowModelSettings defaults() {
        return new FlowModelSettings(5, 100, 1.5, 0.5, 0.9, 2.0, Duration.ofMillis(500), Duration.ofSeconds(30));
    }
}
