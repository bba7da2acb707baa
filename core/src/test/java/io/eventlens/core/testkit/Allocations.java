package io.eventlens.core.testkit;

import java.lang.management.ManagementFactory;

/** Heap bytes allocated by the current thread (HotSpot's {@code com.sun.management.ThreadMXBean}). */
public final class Allocations {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocations() {
    }

    /** Bytes the current thread has allocated so far; differences measure a piece of code. */
    public static long currentThreadBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Bytes the current thread allocates while running {@code r}. */
    public static long bytesAllocatedBy(Runnable r) {
        long before = currentThreadBytes();
        r.run();
        return currentThreadBytes() - before;
    }
}
