package io.eventlens.core.replay;

import java.util.Locale;

/**
 * The environment a replay target belongs to, as the user labels its connection
 * (docs/reference/replay.md, "Safety"). A replay refuses {@link #PRODUCTION} and a target with no
 * label at all.
 */
public enum EnvironmentLabel {
    /** The user's own machine. */
    LOCAL,
    /** A shared test environment. */
    TEST,
    /** A pre-production environment. */
    STAGING,
    /** Production: never a replay target. */
    PRODUCTION;

    /** The label as written in options and JSON: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code local}, {@code test}, {@code staging} or {@code production}, case-insensitively
     * ({@code prod} is production too).
     *
     * @throws IllegalArgumentException naming the value when it is none of them
     */
    public static EnvironmentLabel parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "local" -> LOCAL;
            case "test" -> TEST;
            case "staging" -> STAGING;
            case "production", "prod" -> PRODUCTION;
            default -> throw new IllegalArgumentException("environment label '" + value
                    + "' is not one of local, test, staging, production");
        };
    }
}
