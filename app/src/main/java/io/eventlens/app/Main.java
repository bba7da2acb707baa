package io.eventlens.app;

/**
 * Entry point of {@code eventlens.jar}. No arguments (or {@code --demo}, or a capture file) opens
 * the desktop app; a subcommand runs headless (DESIGN.md, "Machine-readable contract").
 * Deliberately not a {@code javafx.application.Application} so the shaded jar starts on a
 * classpath JavaFX.
 */
public final class Main {

    private Main() {
    }

    /** Runs EventLens; exits with the subcommand's exit code (0, 1, 2 or 3). */
    public static void main(String[] args) {
        throw new UnsupportedOperationException("TODO: launcher + CLI (issue 2)");
    }
}
