package io.eventlens.core.artifact;

import java.io.IOException;

/** Damage in an artifact file at a line (0 when the line is unknown); the message says what. */
public final class ArtifactFormatException extends IOException {

    private final long line;

    /** Damage at {@code line} (1-based, 0 when unknown). */
    public ArtifactFormatException(long line, String message) {
        super(message);
        this.line = line;
    }

    /** The 1-based line, 0 when unknown. */
    public long line() {
        return line;
    }
}
