package io.eventlens.core.artifact;

import io.eventlens.core.model.SourcePosition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an imported artifact record came from: the artifact file (its path inside the CI run, a zip
 * entry written {@code run.zip!/reports/x.ndjson}), the line its record starts on, and its index
 * among the file's records (docs/decisions/0014-artifact-import-and-triage.md). kcat {@code -J}
 * records keep their Kafka coordinates instead ({@link SourcePosition.Kafka}) so they join Kafka
 * captures' observations of the same records.
 *
 * <p>The store keeps it with the block codec's generic position encoding (tag 2), so a capture
 * reads back as a {@link io.eventlens.core.model.StoredPosition} with the same answers.
 *
 * @param file             the artifact file's name in the CI run; not blank
 * @param line             the 1-based line the record starts on; 0 when unknown
 * @param record           the 0-based index of the record in the file
 * @param observedTimeRule what the observed time is, for people: for example
 *                         {@code "artifact createdAt"}, or {@code "artifact file time (the record has no time)"}
 */
public record ArtifactPosition(String file, long line, long record, String observedTimeRule) implements SourcePosition {

    /** The source kind of artifact observations. */
    public static final String KIND = "artifact";

    /**
     * @throws IllegalArgumentException when {@code file} is blank or {@code line}/{@code record} negative
     */
    public ArtifactPosition {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(observedTimeRule, "observedTimeRule");
        if (file.isBlank()) {
            throw new IllegalArgumentException("file: must not be blank");
        }
        if (line < 0 || record < 0) {
            throw new IllegalArgumentException("line and record must be >= 0, were " + line + " and " + record);
        }
    }

    @Override
    public String sourceKind() {
        return KIND;
    }

    /** Artifact files promise no delivery order. */
    @Override
    public String orderingStream() {
        return null;
    }

    @Override
    public String messageCoordinates() {
        return file + "#" + record;
    }

    /**
     * The file's name and the line, {@code cart-probe.ndjson:3}: short enough for a table column;
     * the whole path (a zip entry's too) is in {@link #attributes()}.
     */
    @Override
    public String describe() {
        int cut = Math.max(file.lastIndexOf('/'), Math.max(file.lastIndexOf('\\'), file.lastIndexOf('!')));
        return file.substring(cut + 1) + ":" + line;
    }

    @Override
    public Map<String, Object> attributes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file);
        m.put("line", line);
        m.put("record", record);
        return m;
    }

    @Override
    public String observedTimeMeaning() {
        return observedTimeRule;
    }

    @Override
    public String toString() {
        return describe();
    }
}
