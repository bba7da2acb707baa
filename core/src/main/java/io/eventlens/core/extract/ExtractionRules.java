package io.eventlens.core.extract;

/**
 * Where to read each derived field: header names, JSON Pointers into the payload, in priority order.
 * Immutable; {@link #defaults()} gives DESIGN.md's defaults.
 */
public final class ExtractionRules {

    private ExtractionRules() {
    }

    /** DESIGN.md's default rules. */
    public static ExtractionRules defaults() {
        return new ExtractionRules();
    }
}
