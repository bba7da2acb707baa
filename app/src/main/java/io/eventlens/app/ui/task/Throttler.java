package io.eventlens.app.ui.task;

import javafx.animation.PauseTransition;
import javafx.util.Duration;

/**
 * Collapses bursty triggers (STYLE.md habit 6): {@link #schedule()} runs the action once, at most
 * {@code delay} after the first call of a burst, however many calls come in between. FX thread only.
 */
public final class Throttler {

    private final PauseTransition pause;
    private boolean pending;

    /** A throttler running {@code action} at most once per {@code delayMs} ms. */
    public Throttler(long delayMs, Runnable action) {
        this.pause = new PauseTransition(Duration.millis(delayMs));
        this.pause.setOnFinished(e -> {
            pending = false;
            action.run();
        });
    }

    /** Asks for the action to run soon; calls during a pending wait are merged into it. */
    public void schedule() {
        if (!pending) {
            pending = true;
            pause.playFromStart();
        }
    }

    /** Drops a pending run. */
    public void cancel() {
        pending = false;
        pause.stop();
    }
}
