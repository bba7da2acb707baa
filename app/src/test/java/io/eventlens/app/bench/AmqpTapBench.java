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
 * <p>It declares a topic exchange with two queues bound {@code #}: EventLens's tap (a stream queue,
 * declared by opening an {@link AmqpSource}) and a plain classic queue. It publishes N
 * (default 200,000) messages of ~200 bytes with three properties and a header, so both queues
 * hold the same N, then times, R times (default 3) each: the whole capture pipeline reading a tap
 * into a fresh H2 capture store (extraction, store, flow summaries), the same without flow
 * summaries (the tap and the store alone), and a plain amqp-client consumer (prefetch 2,000, an acknowledgement per 1,000 messages) reading the
 * classic queue and doing nothing with them. Prints the medians and the ratio capture / plain
 * (issue 7 asks for ≥ 0.9).
 */
public final class AmqpTapBench {

    private AmqpTapBench() {
    }

    public static void main(String[] args) throws Exception {
        if (!Boolean.parseBoolean(System.getProperty("bench.amqp", "true"))) {
            return;
        }
        int n = Integer.getInteger("bench.amqpRecords", 200_000);
        int runs = Math.max(1, Integer.getInteger("bench.amqpRuns", 3));
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
                double[] capture = new double[runs];
                double[] tapOnly = new double[runs];
                double[] plain = new double[runs];
                System.out.printf(Locale.ROOT, "AMQP tap benchmark: %,d messages x ~200 B, %d rounds%n", n, runs);
                for (int r = 0; r < runs; r++) {
                    String yardstick = admin.queueDeclare("", false, true, true, Map.of()).getQueue();
                    admin.queueBind(yardstick, exchange, "#");
                    AmqpCaptureConfig config = AmqpCaptureConfig.builder().uri("amqp://127.0.0.1").exchange(exchange, List.of())
                            .maxEvents(n).build();
                    AmqpSource withSummaries = new AmqpSource(config);
                    AmqpSource withoutSummaries = new AmqpSource(config);
                    try {
                        withSummaries.open(id -> List.of());
                        withoutSummaries.open(id -> List.of());
                        publish(c, exchange, n);
                        capture[r] = capture(withSummaries, n, true);
                        tapOnly[r] = capture(withoutSummaries, n, false);
                    } finally {
                        withSummaries.close(); // deletes the tap queues (also when a pipeline never ran)
                        withoutSummaries.close();
                    }
                    plain[r] = consume(c, yardstick, n);
                    admin.queueDelete(yardstick);
                    System.out.printf(Locale.ROOT, "  round %d: capture %,.0f msg/s (%.2f), without flow summaries %,.0f msg/s"
                            + " (%.2f), plain consumer %,.0f msg/s%n", r + 1, capture[r], capture[r] / plain[r], tapOnly[r],
                            tapOnly[r] / plain[r], plain[r]);
                }
                java.util.Arrays.sort(capture);
                java.util.Arrays.sort(tapOnly);
                java.util.Arrays.sort(plain);
                double mc = capture[runs / 2];
                double mt = tapOnly[runs / 2];
                double mp = plain[runs / 2];
                System.out.printf(Locale.ROOT, "AMQP tap (medians): capture %,.0f msg/s, capture without flow summaries %,.0f msg/s,"
                        + " plain amqp-client consumer %,.0f msg/s; capture/plain = %.2f, without summaries/plain = %.2f%n",
                        mc, mt, mp, mc / mp, mt / mp);
            } finally {
                Channel cleanup = c.createChannel();
                cleanup.exchangeDelete(exchange);
            }
        }
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
    private static double consume(Connection c, String queue, int n) throws Exception {
        try (Channel ch = c.createChannel()) {
            ch.basicQos(2_000);
            CountDownLatch done = new CountDownLatch(1);
            AtomicLong count = new AtomicLong();
            long t = System.nanoTime();
            ch.basicConsume(queue, false, new DefaultConsumer(ch) {
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
