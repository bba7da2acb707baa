package io.eventlens.app.ui.task;

/**
 * What a piece of background work can tell its task: progress, a status message, and whether the user
 * asked to cancel. Work cancels cooperatively: the executor never interrupts a worker thread (an
 * interrupt closes the H2 file channel under a capture store), it calls the registered cancel hook.
 */
public interface TaskContext {

    /** Reports progress: {@code done} of {@code total} units; a negative total means indeterminate. */
    void progress(long done, long total);

    /** Sets the status line of the task, e.g. {@code "Copying capture to /tmp/a.mv.db"}. */
    void message(String message);

    /** True once the user asked to cancel. */
    boolean isCancelled();

    /** Registers an action run (on the FX thread) when the user cancels, e.g. {@code capture::stop}. */
    void onCancel(Runnable hook);

    /** A context that reports nowhere and is never cancelled (for direct execution in tests). */
    TaskContext NONE = new TaskContext() {
        @Override
        public void progress(long done, long total) {
        }

        @Override
        public void message(String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable hook) {
        }
    };
}
