package io.eventlens.core.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link TimelineAnalyzer#quickOutcome} found of a flow in which the analysis finds nothing but
 * LAG: the parts of its {@link Timeline} that a flow summary keeps, without the timeline.
 *
 * @param correlationId the correlation ID
 * @param verdict       the verdict {@link TimelineAnalyzer#analyze} gives: HEALTHY without anomalies, or LAG
 * @param eventCount    the number of entries (here each event is one entry), at least 1
 * @param lagFindings   the number of LAG anomalies (0 for a HEALTHY verdict); there are no others
 * @param firstObserved the earliest observed time of its events
 * @param lastObserved  the latest observed time of its events
 * @param channels      the names of the channels its events were observed on, each once, in order of
 *                      first appearance in observed order
 */
public record QuickOutcome(String correlationId, Verdict verdict, int eventCount, int lagFindings, Instant firstObserved,
                           Instant lastObserved, List<String> channels) {

    public QuickOutcome {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(firstObserved, "firstObserved");
        Objects.requireNonNull(lastObserved, "lastObserved");
        channels = List.copyOf(channels);
    }
}
