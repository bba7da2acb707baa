package io.eventlens.core.deadletter;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Developer benchmark (not a test): writes a capture of N events (default 1,000,000; {@link DeadLetterScenario}:
 * order and payment per flow, 1 flow in 10 dead-lettered or retried, of whose copies only 1 in K are
 * kept, default 1), then, on a read-only open,
 * times the dead-letter report (selective scan) against a plain pass over every event with
 * {@code page} that applies the same rule, and prints the heap in use after each.
 * {@code java -cp <core test classpath> io.eventlens.core.deadletter.DeadLetterReportBench DIR [EVENTS [K]]}.
 */
public final class DeadLetterReportBench {

    private DeadLetterReportBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/dl-bench"));
        int target = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int keepEvery = args.length > 2 ? Integer.parseInt(args[2]) : 1;   // keep 1 in this many dead-letter copies
        Path file = dir.resolve("dl-bench-" + target + "-" + keepEvery + ".mv.db");
        if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            try (CaptureStore store = CaptureStore.open(file)) {
                int flowsPerBatch = 5_000;
                long written = 0;
                for (int base = 0; written < target; base += flowsPerBatch) {
                    DeadLetterScenario sc = new DeadLetterScenario(flowsPerBatch);
                    List<CapturedEvent> batch = new ArrayList<>();
                    int copies = 0;
                    for (CapturedEvent e : sc.events) {
                        boolean copy = !e.channel().name().equals("orders") && !e.channel().name().equals("payments");
                        if (!copy || copies++ % keepEvery == 0) {
                            batch.add(e);
                        }
                    }
                    store.append(batch, List.of());
                    written += batch.size();
                }
            }
            System.out.printf("wrote %s in %.1f s%n", file, (System.nanoTime() - t0) / 1e9);
        }
        for (int round = 1; round <= 3; round++) {
            try (CaptureStore store = CaptureStore.openReadOnly(file)) {
                long t0 = System.nanoTime();
                DeadLetterReport report = new DeadLetterReport(store, Set.of());
                report.update((d, t) -> { }, () -> false);
                DeadLetterReport.Snapshot s = report.snapshot();
                double reportS = (System.nanoTime() - t0) / 1e9;
                long heapReport = heapMb();

                t0 = System.nanoTime();
                long plain = 0;
                for (long seq = 1; seq <= store.eventCount(); seq += 10_000) {
                    for (CapturedEvent e : store.page(seq, 10_000)) {
                        if (DeadLetters.isDeadLettered(e, Set.of())) {
                            plain++;
                        }
                    }
                }
                double plainS = (System.nanoTime() - t0) / 1e9;
                System.out.printf("round %d: %,d events, %,d dead-lettered in %d groups: report %.2f s (heap %d MB),"
                                + " plain page pass %.2f s (%,d found)%n", round, store.eventCount(), s.deadLettered(),
                        s.groups().size(), reportS, heapReport, plainS, plain);
            }
        }
    }

    private static long heapMb() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }
}
