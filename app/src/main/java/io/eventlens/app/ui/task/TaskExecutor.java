package io.eventlens.app.ui.task;

import java.util.function.Consumer;

/**
 * The app's one way to run background work (STYLE.md habit 4). The FX implementation wraps each
 * {@link Work} in a {@code javafx.concurrent.Task} on a daemon thread pool, so {@code onSuccess} and
 * {@code onFailure} always run on the FX thread; view models never start threads themselves.
 */
public interface TaskExecutor {

    /**
     * Runs {@code work} in the background.
     *
     * @param title     what the work does, shown in the status bar (e.g. {@code "Opening run.mv.db"})
     * @param work      the work, run off the FX thread
     * @param onSuccess receives the result on the FX thread (not called when cancelled)
     * @param onFailure receives the exception on the FX thread (not called when cancelled)
     * @return a handle to cancel the work
     */
    default <T> Handle submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                              Consumer<? super Throwable> onFailure) {
        return submit(title, work, onSuccess, onFailure, () -> { });
    }

    /**
     * Runs {@code work} in the background, with an action for when the user cancels it.
     *
     * @param onCancel runs on the FX thread as soon as the work is cancelled (even before the work
     *                 started), e.g. to stop a capture; {@code onSuccess} and {@code onFailure} are then
     *                 not called
     * @see #submit(String, Work, Consumer, Consumer)
     */
    <T> Handle submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                      Consumer<? super Throwable> onFailure, Runnable onCancel);

    /** A submitted piece of work. */
    interface Handle {
        /** Asks the work to stop (cooperatively); its callbacks are then not called. */
        void cancel();

        /** True while the work has neither finished nor been cancelled. */
        boolean isRunning();
    }
}
