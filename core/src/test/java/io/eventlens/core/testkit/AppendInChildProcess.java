package io.eventlens.core.testkit;

import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.StreamPosition;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM: appends batches of 100 events (five per correlation ID {@code c-<n>}) to the
 * store {@code args[0]} until killed, printing {@code committed <n>} after each committed batch.
 * After {@value #DURABLE} events it closes and reopens the store, printing {@code durable 20000}:
 * from then on at least that many events are on disk. Lets a test kill a writer mid-way (SIGKILL:
 * no shutdown hook, no close) and read what it left.
 */
public final class AppendInChildProcess {

    /** Events committed and closed before the appending goes on. */
    public static final long DURABLE = 20_000;

    private AppendInChildProcess() {
    }

    public static void main(String[] args) {
        CaptureStore store = CaptureStore.open(Path.of(args[0]));
        for (long offset = 0; ; offset += 100) {
            store.append(TestEvents.events("orders", offset, 100), List.of(new StreamPosition("cluster", "orders/0", Long.toString(offset + 100))));
            System.out.println("committed " + (offset + 100));
            if (offset + 100 == DURABLE) {
                // a capture stopped and resumed: everything so far is on disk, whatever the kill cuts
                store.close();
                store = CaptureStore.open(Path.of(args[0]));
                System.out.println("durable " + DURABLE);
            }
            System.out.flush();
        }
    }
}
