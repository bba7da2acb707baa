package io.eventlens.app.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C handling for long-running commands: a JVM shutdown hook that runs a stop action (e.g.
 * {@code CapturePipeline.stop()}) and then waits, at most {@code grace}, until the command says it has
 * finished ({@link #close()}), so the last batch is committed and the store closed before the JVM
 * exits. Closing also removes the hook, so a normal end leaves nothing behind.
 *
 * <pre>{@code
 * try (GracefulStop stop = GracefulStop.onShutdown(capture::stop, Duration.ofSeconds(15))) {
 *     capture.run(listener);
 * }
 * }</pre>
 */
final class GracefulStop implements AutoCloseable {

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private GracefulStop(Runnable stopAction, Duration grace) {
        this.hook = new Thread(() -> {
            stopAction.run();
            try {
                finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "eventlens-shutdown");
    }

    /** Registers a shutdown hook running {@code stopAction}, then waiting up to {@code grace}. */
    static GracefulStop onShutdown(Runnable stopAction, Duration grace) {
        GracefulStop stop = new GracefulStop(stopAction, grace);
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** True once the shutdown hook has started (Ctrl-C or SIGTERM). */
    boolean shuttingDown() {
        return hook.getState() != Thread.State.NEW;
    }

    /** Marks the command finished and removes the hook (unless the JVM is already shutting down). */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running and now sees 'finished'.
        }
    }
}
