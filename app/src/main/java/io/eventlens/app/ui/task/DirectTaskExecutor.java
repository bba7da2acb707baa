package io.eventlens.app.ui.task;

import java.util.function.Consumer;

/**
 * A {@link TaskExecutor} that runs work at once on the calling thread and calls back immediately:
 * for view-model tests without a window or FX toolkit.
 */
public final class DirectTaskExecutor implements TaskExecutor {

    @Override
    public <T> Handle submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                             Consumer<? super Throwable> onFailure, Runnable onCancel) {
        T result;
        try {
            result = work.run(TaskContext.NONE);
        } catch (Exception | Error e) {
            onFailure.accept(e);
            return DONE;
        }
        onSuccess.accept(result);
        return DONE;
    }

    private static final Handle DONE = new Handle() {
        @Override
        public void cancel() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }
    };
}
