package io.eventlens.core.filter;

import io.eventlens.core.analysis.Anomaly;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.model.CapturedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters applied to analysed flows: the {@link FilterContext} of a {@link Timeline} (each event's
 * anomaly kinds, the flow's verdict) and a timeline cut to the entries a filter keeps
 * (docs/decisions/0022-cel-filters.md).
 */
public final class TimelineFilter {

    private TimelineFilter() {
    }

    /**
     * The analysis of one timeline as filter variables: {@code anomalies} are the kinds on the entry
     * of the event (any of its observations), {@code verdict} is the timeline's verdict kind.
     */
    public static FilterContext context(Timeline timeline) {
        Map<Long, List<String>> bySeq = new HashMap<>();
        for (TimelineEntry e : timeline.entries()) {
            List<String> kinds = e.anomalies().stream().map(Anomaly::kind).map(Enum::name).distinct().toList();
            for (CapturedEvent o : e.observations()) {
                bySeq.put(o.seq(), kinds);
            }
        }
        String verdict = timeline.verdict().kind().name();
        return new FilterContext() {
            @Override
            public List<String> anomalies(CapturedEvent event) {
                return bySeq.getOrDefault(event.seq(), List.of());
            }

            @Override
            public String verdict(CapturedEvent event) {
                return verdict;
            }
        };
    }

    /**
     * The timeline with only the entries whose event the filter keeps; the verdict and expected steps
     * stay those of the whole flow. The same timeline when the filter keeps everything.
     */
    public static Timeline apply(Timeline timeline, EventFilter filter) {
        if (filter.keepsAll()) {
            return timeline;
        }
        FilterContext context = context(timeline);
        List<TimelineEntry> kept = new ArrayList<>();
        for (TimelineEntry e : timeline.entries()) {
            if (filter.test(e.event(), context)) {
                kept.add(e);
            }
        }
        return new Timeline(timeline.correlationId(), kept, timeline.verdict(), timeline.expectedSteps());
    }
}
