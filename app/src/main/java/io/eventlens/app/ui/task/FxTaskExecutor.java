package io.eventlens.app.ui.task;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * {@link TaskExecutor} on JavaFX: every piece of work becomes a {@link Task} run on a cached pool of
 * daemon threads named {@code eventlens-worker-N}. Exposes the most recently started running task
 * (title, message, progress) for the status bar, and {@link #cancelCurrent()} for its Cancel button.
 * Must be used from the FX thread.
 */
public final class FxTaskExecutor implements TaskExecutor, AutoCloseable {

    private final ExecutorService pool;
    private final ObservableList<UiTask<?>> running = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);

    /** An executor with its own daemon thread pool. */
    public FxTaskExecutor() {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "eventlens-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public <T> Handle submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                             Consumer<? super Throwable> onFailure, Runnable onCancel) {
        UiTask<T> task = new UiTask<>(title, work);
        task.onCancel(onCancel);
        task.setOnSucceeded(e -> {
            finished(task);
            onSuccess.accept(task.getValue());
        });
        task.setOnFailed(e -> {
            finished(task);
            onFailure.accept(task.getException());
        });
        task.setOnCancelled(e -> finished(task));
        running.add(task);
        track();
        pool.execute(task);
        return new Handle() {
            @Override
            public void cancel() {
                task.cancel(false);
            }

            @Override
            public boolean isRunning() {
                return !task.isDone();
            }
        };
    }

    /** Cancels the most recently started running task, if any. */
    public void cancelCurrent() {
        if (!running.isEmpty()) {
            running.get(running.size() - 1).cancel(false);
        }
    }

    /** True while any task runs. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Title of the most recently started running task, or "". */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** Status message of the most recently started running task, or "". */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Progress 0..1 of the most recently started running task; -1 when indeterminate. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    private void finished(UiTask<?> task) {
        running.remove(task);
        track();
    }

    private void track() {
        title.unbind();
        message.unbind();
        progress.unbind();
        busy.set(!running.isEmpty());
        if (running.isEmpty()) {
            title.set("");
            message.set("");
            progress.set(0);
        } else {
            UiTask<?> current = running.get(running.size() - 1);
            title.bind(current.titleProperty());
            message.bind(current.messageProperty());
            progress.bind(current.progressProperty());
        }
    }

    /** Stops accepting work; running work continues on daemon threads. */
    @Override
    public void close() {
        pool.shutdown();
    }

    /** A Task running one {@link Work}; cancel runs the work's hooks instead of interrupting. */
    private static final class UiTask<T> extends Task<T> implements TaskContext {
        private final Work<T> work;
        private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();

        UiTask(String title, Work<T> work) {
            this.work = work;
            updateTitle(title);
            updateProgress(-1, -1);
        }

        @Override
        protected T call() throws Exception {
            return work.run(this);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (getState() == Worker.State.SUCCEEDED || getState() == Worker.State.FAILED) {
                return false;
            }
            cancelHooks.forEach(Runnable::run);
            return super.cancel(false);
        }

        @Override
        public void progress(long done, long total) {
            updateProgress(done, total);
        }

        @Override
        public void message(String text) {
            updateMessage(text);
        }

        @Override
        public void onCancel(Runnable hook) {
            cancelHooks.add(hook);
        }
    }
}
