package io.eventlens.core.analysis;

import io.eventlens.core.model.SourcePosition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-only position of a fake HTTP probe source: it promises no delivery order, identifies an
 * answer by its poll and index (or not at all), and its observed time is the poll time. The analysis
 * and the output must treat it only through {@link SourcePosition}'s methods.
 *
 * @param coordinates the answer's coordinates, for example {@code "poll-3#1"}, or {@code null}
 */
public record ProbePosition(String coordinates) implements SourcePosition {

    @Override
    public String sourceKind() {
        return "probe";
    }

    @Override
    public String orderingStream() {
        return null;
    }

    @Override
    public String messageCoordinates() {
        return coordinates;
    }

    @Override
    public String describe() {
        return coordinates == null ? "poll" : coordinates;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer", coordinates);
        return m;
    }

    @Override
    public String observedTimeMeaning() {
        return "probe poll time";
    }
}
