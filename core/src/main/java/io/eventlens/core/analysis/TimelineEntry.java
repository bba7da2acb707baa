package io.eventlens.core.analysis;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;
import java.util.Objects;

/**
 * One event of a timeline with its observations and the anomalies found on it.
 *
 * <p>An event can be observed more than once without being a duplicate: by two sources (a broker
 * and a probe), or as the same message (same source kind, channel and message coordinates) read
 * twice. Those sightings are one entry with several observations
 * (docs/reference/vocabulary.md, "observation"). The first observation, in observed order, is
 * {@link #event()}: it gives the entry its observed time and its place in the timeline.
 *
 * @param event        the first observation of the event
 * @param observations every observation of the event in observed order, starting with
 *                     {@code event}; never empty
 * @param anomalies    anomalies on this event, in rule order; never null
 * @param contract     the result of checking the event against its contract, or {@code null} when
 *                     no contract applied (or none were given); a failed check is also a
 *                     {@link AnomalyKind#CONTRACT_VIOLATION} anomaly
 * @throws IllegalArgumentException when {@code observations} does not start with {@code event}
 */
public record TimelineEntry(CapturedEvent event, List<CapturedEvent> observations, List<Anomaly> anomalies,
                            ContractCheck contract) {
    public TimelineEntry {
        Objects.requireNonNull(event, "event");
        observations = List.copyOf(observations);
        if (observations.isEmpty() || observations.get(0) != event) {
            throw new IllegalArgumentException("observations must start with the entry's event #" + event.seq());
        }
        anomalies = List.copyOf(anomalies);
    }

    /** An entry that was not checked against a contract. */
    public TimelineEntry(CapturedEvent event, List<CapturedEvent> observations, List<Anomaly> anomalies) {
        this(event, observations, anomalies, null);
    }

    /** An entry observed once. */
    public TimelineEntry(CapturedEvent event, List<Anomaly> anomalies) {
        this(event, List.of(event), anomalies);
    }

    /** True when the event was observed more than once (by two sources, or the same message twice). */
    public boolean observedMoreThanOnce() {
        return observations.size() > 1;
    }

    /** True when an anomaly of this kind is on the event. */
    public boolean has(AnomalyKind kind) {
        return anomalies.stream().anyMatch(a -> a.kind() == kind);
    }
}
