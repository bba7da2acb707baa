package io.eventlens.core.artifact;

/**
 * An artifact file's format, detected from its content, never its name
 * (docs/decisions/0014-artifact-import-and-triage.md, "Detection").
 */
public enum ArtifactFormat {
    /** One JSON document: an array of events, or an object with an {@code events} array, or one CloudEvent. */
    JSON,
    /** One JSON object per line: probe events, CloudEvents, kcat {@code -J} records. */
    NDJSON,
    /** A JUnit XML test report (Surefire, Failsafe, Gradle, Playwright, jest-junit). */
    JUNIT_XML,
    /** Nothing EventLens reads (a log, a screenshot, another XML); skipped, not damage. */
    UNKNOWN;

    /** Lower-case label for people. */
    public String label() {
        return switch (this) {
            case JSON -> "JSON";
            case NDJSON -> "NDJSON";
            case JUNIT_XML -> "JUnit XML";
            case UNKNOWN -> "not an artifact (skipped)";
        };
    }
}
