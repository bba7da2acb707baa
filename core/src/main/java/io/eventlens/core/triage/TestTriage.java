package io.eventlens.core.triage;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.artifact.FailedTest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The triage of one failed test: its correlation IDs, how they were found, each timeline (worst
 * verdict first, in the verdict table's order) and the test's headline.
 *
 * @param test      the failed test
 * @param match     how its correlation IDs were found
 * @param timeout   the test's own timeout from its failure message (Awaitility's "within 10 seconds",
 *                  Playwright's "Timeout 5000ms exceeded"), or null
 * @param timelines one per correlation ID, worst verdict first
 * @param headline  the test's verdict kind: the first timeline's verdict kind, or {@code NO_CORRELATION_ID}
 * @param hint      one line for people: what the verdict means for this test
 */
public record TestTriage(FailedTest test, Match match, Duration timeout, List<Timeline> timelines,
                         String headline, String hint) {

    /** The headline of a test whose correlation IDs were not found. */
    public static final String NO_CORRELATION_ID = "NO_CORRELATION_ID";

    public TestTriage {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(match, "match");
        timelines = List.copyOf(timelines);
        Objects.requireNonNull(headline, "headline");
        Objects.requireNonNull(hint, "hint");
    }

    /** How a failed test's correlation IDs were found. */
    public enum Match {
        /** Named in its failure message, details or output (the ID pattern, or an ID the capture knows). */
        NAMED("named in the test's failure or output"),
        /** Not named: the flows observed during the test's own time window. */
        TIME_WINDOW("flows observed during the test's time window"),
        /** Neither: no ID named and no flow in its window (or no window). */
        NONE("no correlation ID named and no flow observed in its time window");

        private final String description;

        Match(String description) {
            this.description = description;
        }

        /** For people. */
        public String description() {
            return description;
        }
    }
}
