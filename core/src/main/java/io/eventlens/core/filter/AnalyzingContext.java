package io.eventlens.core.filter;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.model.CapturedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link FilterContext} that analyses each event's flow when a filter first asks for its
 * {@code anomalies} or {@code verdict}, and keeps the last {@value #CACHED} flows' answers (events of
 * one flow are usually near each other in a capture). An event without a correlation ID has no
 * anomalies and verdict {@code ""}. Not thread-safe: one filter pass at a time.
 */
public final class AnalyzingContext implements FilterContext {

    /** Flows whose analysis is kept. */
    static final int CACHED = 4_096;

    private final Function<String, Timeline> analyze;
    private final Map<String, FilterContext> flows = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, FilterContext> eldest) {
            return size() > CACHED;
        }
    };

    /** @param analyze the analysed timeline of a correlation ID (reads the store; called off the FX thread) */
    public AnalyzingContext(Function<String, Timeline> analyze) {
        this.analyze = analyze;
    }

    private FilterContext flow(CapturedEvent event) {
        String id = event.derived().correlationIdValue();
        if (id == null || id.isEmpty()) {
            return FilterContext.NONE;
        }
        return flows.computeIfAbsent(id, k -> TimelineFilter.context(analyze.apply(k)));
    }

    @Override
    public List<String> anomalies(CapturedEvent event) {
        return flow(event).anomalies(event);
    }

    @Override
    public String verdict(CapturedEvent event) {
        return flow(event).verdict(event);
    }
}
