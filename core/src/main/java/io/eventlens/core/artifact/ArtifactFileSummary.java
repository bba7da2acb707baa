package io.eventlens.core.artifact;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ArtifactSource} made of one artifact file.
 *
 * @param file     the file's name in the CI run
 * @param format   the format detected from its content ({@link ArtifactFormat})
 * @param mappings how its records were read, e.g. {@code "probe events: id, type, correlationId, createdAt"};
 *                 empty for formats without a choice
 * @param records  events imported from it (for a JUnit report: failed tests found)
 * @param problems damaged records or lines refused in it
 */
public record ArtifactFileSummary(String file, ArtifactFormat format, List<String> mappings, long records, long problems) {

    public ArtifactFileSummary {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        mappings = List.copyOf(mappings);
    }
}
