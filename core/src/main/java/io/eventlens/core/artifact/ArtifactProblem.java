package io.eventlens.core.artifact;

import java.util.Objects;

/**
 * Damage found in an artifact: the file (or zip entry), the 1-based line (0 when the whole file or
 * entry is refused) and what was wrong. The valid records around it are still imported.
 *
 * @param file    the artifact file's name in the CI run
 * @param line    1-based line, 0 for the whole file
 * @param message what was wrong, for people
 */
public record ArtifactProblem(String file, long line, String message) {

    public ArtifactProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
