package io.eventlens.app.ui;

import io.eventlens.app.ui.task.TaskContext;
import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.app.ui.task.Work;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A {@link TaskExecutor} for integration tests without an FX toolkit: work runs on worker threads,
 * callbacks are queued and run by the test thread in {@link #runCallbacks()}, standing in for the FX
 * thread so view-model state is only touched by one thread.
 */
final class QueuedTaskExecutor implements TaskExecutor, AutoCloseable {

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-worker");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Runnable> callbacks = new ConcurrentLinkedQueue<>();
    private final List<Handle> handles = new CopyOnWriteArrayList<>();

    @Override
    public <T> Handle submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                             Consumer<? super Throwable> onFailure, Runnable onCancel) {
        List<Runnable> hooks = new CopyOnWriteArrayList<>();
        hooks.add(onCancel);
        boolean[] cancelled = {false};
        boolean[] done = {false};
        TaskContext ctx = new TaskContext() {
            @Override
            public void progress(long d, long total) {
            }

            @Override
            public void message(String message) {
            }

            @Override
            public boolean isCancelled() {
                return cancelled[0];
            }

            @Override
            public void onCancel(Runnable hook) {
                hooks.add(hook);
            }
        };
        pool.execute(() -> {
            try {
                T result = work.run(ctx);
                callbacks.add(() -> {
                    done[0] = true;
                    if (!cancelled[0]) {
                        onSuccess.accept(result);
                    }
                });
            } catch (Exception | Error e) {
                callbacks.add(() -> {
                    done[0] = true;
                    if (!cancelled[0]) {
                        onFailure.accept(e);
                    }
                });
            }
        });
        Handle handle = new Handle() {
            @Override
            public void cancel() {
                cancelled[0] = true;
                hooks.forEach(Runnable::run);
            }

            @Override
            public boolean isRunning() {
                return !done[0] && !cancelled[0];
            }
        };
        handles.add(handle);
        return handle;
    }

    /** Cancels every running task, as the status bar's Cancel does (call from the test thread). */
    void cancelRunning() {
        handles.stream().filter(Handle::isRunning).forEach(Handle::cancel);
    }

    /** Runs the queued callbacks on the calling (test) thread. */
    void runCallbacks() {
        Runnable r;
        while ((r = callbacks.poll()) != null) {
            r.run();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
