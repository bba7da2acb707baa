package io.eventlens.core.testkit;

import io.eventlens.core.store.CaptureStore;
import java.nio.file.Path;

/**
 * Run in a child JVM (e.g. as another user): opens the store {@code args[0]} read-only and prints
 * {@code events <n> c-1 <m>}: its event count and how many events correlation ID {@code c-1} has.
 */
public final class ReadInChildProcess {

    private ReadInChildProcess() {
    }

    public static void main(String[] args) {
        try (CaptureStore s = CaptureStore.openReadOnly(Path.of(args[0]))) {
            System.out.println("events " + s.eventCount() + " c-1 " + s.findByCorrelationId("c-1").size());
        }
    }
}
