package io.eventlens.app.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.core.amqp.AmqpSource;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The AMQP tap benchmark behind {@code ./dev bench} (skipped when RabbitMQ is not on
 * 127.0.0.1:5672, or with {@code -Dbench.amqp=false}). Not a test: it measures and prints.
 *
 * <p>Each round declares a topic exchange's four queues, all bound {@code #} (the same bindings):
 * two EventLens taps (stream queues, declared by opening an {@link AmqpSource}), a plain classic
 * queue and a plain stream queue. It publishes N (default 200,000) messages of ~200 bytes with
 * three properties and a header, so each queue holds the same N, then times, in an order that
 * rotates from round to round (the machine's load drifts):
 *
 * <ul>
 * <li><b>capture</b>: the whole capture pipeline reading a tap into a fresh H2 capture store
 *     (extraction, store, flow summaries);</li>
 * <li><b>tap</b>: the same without flow summaries (the tap, extraction and the store);</li>
 * <li><b>plain classic</b>: a plain amqp-client consumer (prefetch 2,000, one {@code multiple}
 *     acknowledgement per 1,000 messages) reading the classic queue and doing nothing with them
 *     (the yardstick issue 7 names: a plain consumer on a queue with the same bindings);</li>
 * <li><b>plain stream</b>: the same consumer reading the stream queue from its first offset: the
 *     broker does for it what it does for the tap, so the difference is EventLens's own work.</li>
 * </ul>
 *
 * <p>Prints each round's rates and the JVM's CPU seconds per phase (the broker runs on the same
 * machine: a client that burns CPU slows the broker), then the medians and the ratios to each
 * yardstick and to the faster of the two (issue 7 asks for capture ≥ 0.9× a plain consumer).
 * Options: {@code -Dbench.amqpRecords=N}, {@code -Dbench.amqpRuns=R},
 * {@code -Dbench.amqpPhases=capture,tap,classic,stream} (a subset, for profiling).
 */
public final class AmqpTapBench {

    private static final String CAPTURE = "capture";
    private static final String TAP = "tap";
    private static final String CLASSIC = "classic";
    private static final String STREAM = "stream";

    private AmqpTapBench() {
    }

    public static void main(String[] args) throws Exception {
        if (!Boolean.parseBoolean(System.getProperty("bench.amqp", "true"))) {
            return;
        }
        int n = Integer.getInteger("bench.amqpRecords", 200_000);
        int runs = Math.max(1, Integer.getInteger("bench.amqpRuns", 3));
        List<String> phases = List.of(System.getProperty("bench.amqpPhases", "capture,tap,classic,stream").split(","));
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        Connection c;
        try {
            c = f.newConnection("eventlens-bench");
        } catch (Exception e) {
            System.out.println("AMQP tap benchmark skipped: no RabbitMQ on 127.0.0.1:5672 (" + e + ")");
            return;
        }
        String exchange = "eventlens-bench-" + Long.toHexString(System.nanoTime());
        try (c) {
            Channel admin = c.createChannel();
            try {
                admin.exchangeDeclare(exchange, "topic", false, false, Map.of()); // not auto-delete: rounds unbind everything
                Map<String, double[]> rates = new LinkedHashMap<>();
                Map<String, double[]> cpu = new LinkedHashMap<>();
                for (String p : phases) {
                    rates.put(p, new double[runs]);
                    cpu.put(p, new double[runs]);
                }
                System.out.printf(Locale.ROOT, "AMQP tap benchmark: %,d messages x ~200 B, %d rounds, phases %s%n", n, runs, phases);
                int warmup = Math.max(0, Integer.getInteger("bench.amqpWarmup", 1));
                for (int r = -warmup; r < runs; r++) {
                    int records = r < 0 ? Math.max(1, n / 4) : n;   // a warm-up round: JIT, H2, the broker's caches
                    String classic = admin.queueDeclare("", false, true, true, Map.of()).getQueue();
                    admin.queueBind(classic, exchange, "#");
                    String stream = "eventlens-bench-stream-" + Long.toHexString(System.nanoTime());
                    admin.queueDeclare(stream, true, false, false, Map.of("x-queue-type", "stream"));
                    admin.queueBind(stream, exchange, "#");
                    AmqpCaptureConfig config = AmqpCaptureConfig.builder().uri("amqp://127.0.0.1").exchange(exchange, List.of())
                            .maxEvents(records).build();
                    AmqpSource withSummaries = new AmqpSource(config);
                    AmqpSource withoutSummaries = new AmqpSource(config);
                    StringBuilder line = new StringBuilder();
                    try {
                        withSummaries.open(id -> List.of());
                        withoutSummaries.open(id -> List.of());
                        publish(c, exchange, records);
                        for (int i = 0; i < phases.size(); i++) {
                            String p = phases.get((i + Math.max(0, r)) % phases.size());
                            long cpu0 = processCpuNanos();
                            double rate = switch (p) {
                                case CAPTURE -> capture(withSummaries, records, true);
                                case TAP -> capture(withoutSummaries, records, false);
                                case CLASSIC -> consume(c, classic, records, Map.of());
                                case STREAM -> consume(c, stream, records, Map.of("x-stream-offset", "first"));
                                default -> throw new IllegalArgumentException("bench.amqpPhases: unknown phase " + p);
                            };
                            double seconds = (processCpuNanos() - cpu0) / 1e9;
                            if (r >= 0) {
                                rates.get(p)[r] = rate;
                                cpu.get(p)[r] = seconds;
                            }
                            line.append(String.format(Locale.ROOT, " %s %,.0f msg/s (cpu %.1f s);", p, rate, seconds));
                        }
                    } finally {
                        withSummaries.close(); // deletes the tap queues (also when a pipeline never ran)
                        withoutSummaries.close();
                        admin.queueDelete(classic);
                        admin.queueDelete(stream);
                    }
                    System.out.printf(Locale.ROOT, "  %s:%s%n", r < 0 ? "warm-up (not counted)" : "round " + (r + 1), line);
                }
                Map<String, Double> median = new LinkedHashMap<>();
                rates.forEach((p, v) -> median.put(p, median(v)));
                StringBuilder out = new StringBuilder("AMQP tap (medians):");
                median.forEach((p, v) -> out.append(String.format(Locale.ROOT, " %s %,.0f msg/s (cpu %.1f s);", p, v,
                        median(cpu.get(p)))));
                System.out.println(out);
                double best = Math.max(median.getOrDefault(CLASSIC, 0.0), median.getOrDefault(STREAM, 0.0));
                for (String mine : List.of(CAPTURE, TAP)) {
                    if (!median.containsKey(mine) || best == 0) {
                        continue;
                    }
                    double m = median.get(mine);
                    System.out.printf(Locale.ROOT, "  %s / plain classic = %s, / plain stream = %s, / the faster plain = %.2f%n",
                            mine, ratio(m, median.get(CLASSIC)), ratio(m, median.get(STREAM)), m / best);
                }
            } finally {
                Channel cleanup = c.createChannel();
                cleanup.exchangeDelete(exchange);
            }
        }
    }

    private static String ratio(double a, Double b) {
        return b == null || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One capture of the n messages waiting in the source's tap, into a fresh store; messages per second. */
    private static double capture(AmqpSource source, int n, boolean summaries) throws Exception {
        Path dir = Files.createTempDirectory("eventlens-amqp-bench");
        try (CaptureStore store = CaptureStore.open(dir.resolve("bench.mv.db"))) {
            CapturePipeline.Builder b = CapturePipeline.builder(new Opened(source), store, EventExtractor.withDefaults())
                    .limits(new CaptureLimits(n, null));
            if (!summaries) {
                b.flowSummaries(null);
            }
            long t = System.nanoTime();
            CaptureStats stats = b.build().run(null);
            double rate = n / ((System.nanoTime() - t) / 1e9);
            if (stats.events() != n) {
                throw new IllegalStateException("captured " + stats.events() + " of " + n);
            }
            return rate;
        }
    }

    private static void publish(Connection c, String exchange, int n) throws Exception {
        try (Channel ch = c.createChannel()) {
            ch.confirmSelect();
            byte[] body = ("{\"orderId\":\"o-%08d\",\"amount\":123.45,\"items\":[1,2,3],\"note\":\"" + "x".repeat(110) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < n; i++) {
                AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().correlationId("c-" + (i / 4))
                        .messageId("m-" + i).type("OrderPlaced").headers(Map.of("tenant", "t1")).build();
                ch.basicPublish(exchange, "order.placed", p, body);
                if (i % 5_000 == 4_999) {
                    ch.waitForConfirmsOrDie(60_000);
                }
            }
            ch.waitForConfirmsOrDie(60_000);
        }
    }

    /** A plain consumer's rate over n messages, in messages per second. */
    private static double consume(Connection c, String queue, int n, Map<String, Object> arguments) throws Exception {
        try (Channel ch = c.createChannel()) {
            ch.basicQos(2_000);
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong count = new AtomicLong();
            long t = System.nanoTime();
            ch.basicConsume(queue, false, arguments, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body)
                        throws java.io.IOException {
                    long k = count.incrementAndGet();
                    if (k % 1_000 == 0 || k == n) {
                        getChannel().basicAck(env.getDeliveryTag(), true);
                    }
                    if (k == n) {
                        done.countDown();
                    }
                }
            });
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the plain consumer got " + count.get() + " of " + n);
            }
            return n / ((System.nanoTime() - t) / 1e9);
        }
    }

    /** The source, opened before the messages were published; the pipeline's open is a no-op. */
    private record Opened(AmqpSource source) implements CaptureSource {
        @Override
        public String kind() {
            return source.kind();
        }

        @Override
        public String endpoint() {
            return source.endpoint();
        }

        @Override
        public void open(StoredPositions stored) {
            // opened already
        }

        @Override
        public String sourceId() {
            return source.sourceId();
        }

        @Override
        public void run(SourceContext context) throws InterruptedException {
            source.run(context);
        }

        @Override
        public SourceHealth health() {
            return source.health();
        }

        @Override
        public String describe(StreamPosition position) {
            return source.describe(position);
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
