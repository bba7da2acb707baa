package io.eventlens.core.extract;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Extraction throughput on one thread (not a test; prints records/s). Run from the core module:
 * {@code java -cp target/classes:target/test-classes:<jackson-core.jar> io.eventlens.core.extract.ExtractionBenchmark}.
 */
public final class ExtractionBenchmark {

    private ExtractionBenchmark() {
    }

    public static void main(String[] args) {
        EventExtractor x = EventExtractor.withDefaults();
        Channel ch = Channel.kafkaTopic("orders");
        byte[] json = ("{\"orderId\":\"o-123456\",\"customer\":\"cust-77\",\"amount\":123.45,\"currency\":\"EUR\","
                + "\"timestamp\":\"2026-11-22T04:00:00.123Z\",\"items\":[{\"sku\":\"A1\",\"qty\":2},{\"sku\":\"B2\",\"qty\":1}],"
                + "\"sequence\":5}").getBytes(StandardCharsets.UTF_8);
        byte[] binary = new byte[200];
        new Random(1).nextBytes(binary);
        byte[] key = "order-7".getBytes(StandardCharsets.UTF_8);
        List<Header> three = List.of(Header.ofString("correlationId", "c-42"), Header.ofString("eventId", "e-1"),
                Header.ofString("eventType", "OrderPlaced"));
        run("JSON " + json.length + " B, 3 headers", x, ch, key, three, json);
        run("JSON " + json.length + " B, no headers", x, ch, key, List.of(), json);
        run("binary 200 B, 1 header (synthetic ID)", x, ch, key, three.subList(0, 1), binary);
    }

    private static void run(String label, EventExtractor x, Channel ch, byte[] key, List<Header> headers, byte[] payload) {
        int n = 1_000_000;
        double best = 0;
        long sink = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += x.extract(ch, key, headers, payload).hashCode();
            }
            best = Math.max(best, n * 1e9 / (System.nanoTime() - t0));
        }
        System.out.printf("%-40s %,12.0f records/s (best of 5)%s%n", label, best, sink == 42 ? " " : "");
    }
}
