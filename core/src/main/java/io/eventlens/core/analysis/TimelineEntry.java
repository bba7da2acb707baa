package io.eventlens.core.analysis;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;

/**
 * One event of a timeline with the anomalies found on it.
 *
 * @param event     the captured event
 * @param anomalies anomalies on this event, in rule order; never null
 */
public record TimelineEntry(CapturedEvent event, List<Anomaly> anomalies) {
    public TimelineEntry {
        anomalies = List.copyOf(anomalies);
    }

    /** True when an anomaly of this kind is on the event. */
    public boolean has(AnomalyKind kind) {
        return anomalies.stream().anyMatch(a -> a.kind() == kind);
    }
}
