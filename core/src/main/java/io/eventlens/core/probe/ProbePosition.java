package io.eventlens.core.probe;

import io.eventlens.core.model.SourcePosition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a probe observation came from: the probe, the correlation ID it was asked for, the poll
 * that first returned the event (1-based, per correlation ID and capture run) and the record's index
 * in that answer (docs/decisions/0019-probe-source.md). Kept by the block codec's generic position
 * encoding, like {@link io.eventlens.core.artifact.ArtifactPosition}.
 *
 * @param probe       the probe's base URL
 * @param asked       the correlation ID the poll asked for
 * @param poll        the poll's number, 1 or more
 * @param record      the record's 0-based index in the answer
 */
public record ProbePosition(String probe, String asked, long poll, int record) implements SourcePosition {

    /** The source kind of probe observations. */
    public static final String KIND = "probe";

    /** @throws IllegalArgumentException when {@code poll} is below 1 or {@code record} negative */
    public ProbePosition {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(asked, "asked");
        if (poll < 1 || record < 0) {
            throw new IllegalArgumentException("poll must be >= 1 and record >= 0, were " + poll + " and " + record);
        }
    }

    @Override
    public String sourceKind() {
        return KIND;
    }

    /** A probe promises no delivery order. */
    @Override
    public String orderingStream() {
        return null;
    }

    @Override
    public String messageCoordinates() {
        return null;
    }

    /** {@code poll 3 #2}: the poll that first returned it and the record's index in that answer. */
    @Override
    public String describe() {
        return "poll " + poll + " #" + record;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("probe", probe);
        m.put("askedCorrelationId", asked);
        m.put("poll", poll);
        m.put("record", record);
        return m;
    }

    @Override
    public String observedTimeMeaning() {
        return "probe poll time (the first poll that returned it)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
