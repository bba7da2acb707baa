package io.eventlens.app.ui;

/**
 * The JavaFX desktop app. {@link io.eventlens.app.Main} launches it; this class extends
 * {@code javafx.application.Application} (TODO issue 2).
 */
public final class EventLensApp {

    private EventLensApp() {
    }

    /**
     * Launches the desktop app and blocks until its window closes.
     *
     * @param startDemo   true to start the live demo at once (the "Start demo" action)
     * @param captureFile a capture store to open at start, or {@code null}
     */
    public static void launchApp(boolean startDemo, java.nio.file.Path captureFile) {
        throw new UnsupportedOperationException("TODO: desktop app (issue 2)");
    }
}
