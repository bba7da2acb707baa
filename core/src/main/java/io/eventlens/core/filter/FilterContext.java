package io.eventlens.core.filter;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;

/**
 * What a filter knows about an event beyond its stored fields: the analysis results for the
 * {@code anomalies} and {@code verdict} variables (docs/decisions/0022-cel-filters.md). Asked only
 * when the expression names those variables.
 */
public interface FilterContext {

    /** No analysis: {@code anomalies} is empty and {@code verdict} is {@code ""} for every event. */
    FilterContext NONE = new FilterContext() {
        @Override
        public List<String> anomalies(CapturedEvent event) {
            return List.of();
        }

        @Override
        public String verdict(CapturedEvent event) {
            return "";
        }
    };

    /** The anomaly kinds found on this event ({@code AnomalyKind} names, for example {@code "LAG"}); never null. */
    List<String> anomalies(CapturedEvent event);

    /** The verdict kind of the event's flow ({@code VerdictKind} name, for example {@code "STOPPED"}), or {@code ""}; never null. */
    String verdict(CapturedEvent event);
}
