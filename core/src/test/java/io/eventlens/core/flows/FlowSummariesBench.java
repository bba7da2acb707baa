package io.eventlens.core.flows;

import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.StreamPosition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Measures the flow summaries on a large capture (docs/decisions/0009-flow-summaries.md, "Measured"):
 * capture with and without summaries, opening the flows of the captured store (what the app does on
 * open) against a tiny store, and the in-memory catch-up of a store without summaries.
 * {@code java -cp <core test classpath> io.eventlens.core.flows.FlowSummariesBench DIR [EVENTS]}.
 */
public final class FlowSummariesBench {

    private FlowSummariesBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/flows-bench"));
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path with = dir.resolve("with-summaries-" + System.nanoTime() + ".mv.db");
        Path without = dir.resolve("without-summaries-" + System.nanoTime() + ".mv.db");
        Path tiny = dir.resolve("tiny-" + System.nanoTime() + ".mv.db");

        long t0 = System.nanoTime();
        FlowSummaryWriter writer;
        try (CaptureStore s = CaptureStore.open(without)) {
            CapturePipeline.builder(new Generated(events), s, EventExtractor.withDefaults()).flowSummaries(null).build().run(null);
        }
        long plainMs = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        try (CaptureStore s = CaptureStore.open(with)) {
            CapturePipeline p = CapturePipeline.builder(new Generated(events), s, EventExtractor.withDefaults()).build();
            p.run(null);
            writer = p.flowSummaries();
        }
        long summarizedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(Locale.ROOT, "capture of %,d events (store closed, index complete): without summaries %,d ms,"
                + " with summaries %,d ms (%.2fx); reloads %,d%n", events, plainMs, summarizedMs,
                summarizedMs / (double) plainMs, writer.reloads());
        try (CaptureStore s = CaptureStore.open(tiny)) {
            CapturePipeline.builder(new Generated(5), s, EventExtractor.withDefaults()).build().run(null);
        }

        for (int round = 0; round < 3; round++) {
            System.out.printf(Locale.ROOT, "round %d: open flows of the tiny store %,d ms; of the %,d-event store %,d ms%n",
                    round, openFlows(tiny), events, openFlows(with));
        }
        System.gc();
        long heapBefore = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        t0 = System.nanoTime();
        try (CaptureStore s = CaptureStore.openReadOnly(without)) {
            FlowSummaries f = FlowSummaries.of(s);
            f.catchUp((done, total) -> { }, () -> false);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.gc();
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory() - heapBefore;
            System.out.printf(Locale.ROOT, "catch-up of a store without summaries: %,d ms, %,d MB of heap kept for %s%n",
                    ms, heap / 1_000_000, f.counts());
        }
    }

    /** Opens the store read-only and reads what the Flows panel shows first: counts and the first 500 flows. */
    private static long openFlows(Path file) {
        long t0 = System.nanoTime();
        try (CaptureStore s = CaptureStore.openReadOnly(file)) {
            FlowSummaries f = FlowSummaries.of(s);
            f.counts();
            f.worstFirst(null, false, 500);
            if (f.eventsBehind() != 0) {
                throw new IllegalStateException(file + ": summaries behind by " + f.eventsBehind());
            }
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Flows of 4 events (orders, payments, inventory, and 1 in 100 dead-lettered) of ~200-byte JSON,
     * each flow's events within a window of 2,000 events, as traffic of short flows interleaves.
     */
    private static final class Generated implements CaptureSource {
        private final int events;
        private volatile boolean opened;

        Generated(int events) {
            this.events = events;
        }

        @Override
        public String kind() {
            return "generated";
        }

        @Override
        public String endpoint() {
            return "generated events";
        }

        @Override
        public void open(StoredPositions stored) {
            opened = true;
        }

        @Override
        public String sourceId() {
            return opened ? "generated" : null;
        }

        @Override
        public void run(SourceContext context) throws InterruptedException {
            Random r = new Random(1);
            long[] offsets = new long[8];
            String pad = "x".repeat(120);
            for (int from = 0; from < events && !context.stopping(); from += 2_000) {
                List<CapturedEvent> window = new ArrayList<>(2_000);
                for (int i = from; i < Math.min(events, from + 2_000); i++) {
                    int flow = i / 4;
                    int step = i % 4;
                    String topic = step == 3 && flow % 100 == 0 ? "orders.DLT" : step == 0 || step == 3 ? "orders"
                            : step == 1 ? "payments" : "inventory";
                    window.add(FlowScenarios.event(topic, flow % 3, offsets, i * 2L, "order-" + flow,
                            "e-" + i, step + 1, "{\"flow\":" + flow + ",\"step\":" + step + ",\"pad\":\"" + pad + "\"}"));
                }
                Collections.shuffle(window, r);
                long bytes = window.stream().mapToLong(CapturedEvent::payloadSize).sum();
                context.deliver(new SourceBatch<>(window, (e, at, derive) -> e, Instant.now(), bytes,
                        SourceBatch.BatchPositions.NONE, SourceBatch.Acknowledgement.NONE));
            }
        }

        @Override
        public SourceHealth health() {
            return SourceHealth.connected(endpoint());
        }

        @Override
        public String describe(StreamPosition position) {
            return position.stream();
        }

        @Override
        public void close() {
        }
    }
}
