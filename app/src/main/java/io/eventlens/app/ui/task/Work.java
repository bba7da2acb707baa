package io.eventlens.app.ui.task;

/**
 * A piece of background work: runs off the FX thread and returns a result or throws.
 *
 * @param <T> result type
 */
@FunctionalInterface
public interface Work<T> {

    /** Does the work; may report through {@code context}. */
    T run(TaskContext context) throws Exception;
}
