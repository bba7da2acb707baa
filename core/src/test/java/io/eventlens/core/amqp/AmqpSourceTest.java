package io.eventlens.core.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import io.eventlens.core.analysis.DeadLetterChannels;
import io.eventlens.core.analysis.DeadLetterInfo;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.StreamPosition;
import io.eventlens.core.testkit.LocalRabbit;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link AmqpSource} against the real RabbitMQ on 127.0.0.1:5672, through the {@link CapturePipeline}. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AmqpSourceTest {

    @RegisterExtension
    final LocalRabbit rabbit = new LocalRabbit();

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopBackgroundWork() {
        pool.shutdownNow();
    }

    private static AmqpCaptureConfig.Builder broker() {
        return AmqpCaptureConfig.builder().uri("amqp://127.0.0.1:5672").connectTimeout(Duration.ofSeconds(5));
    }

    static boolean managementApi() {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:15672/api/overview"))
                    .header("Authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=").timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static AMQP.BasicProperties props(String correlationId, String messageId) {
        return new AMQP.BasicProperties.Builder().correlationId(correlationId).messageId(messageId).type("OrderPlaced")
                .appId("orders-service").timestamp(Date.from(Instant.parse("2026-01-02T03:04:05Z")))
                .headers(Map.of("tenant", "t1", "nested", Map.of("list", List.of(1, "two")))).build();
    }

    /** A running capture: the pipeline on a background thread. */
    private record Running(CapturePipeline pipeline, Future<CaptureStats> done, AmqpSource source) {
        CaptureStats stop() throws Exception {
            pipeline.stop();
            return done.get(30, TimeUnit.SECONDS);
        }
    }

    private Running start(AmqpCaptureConfig config, CaptureStore store) throws Exception {
        AmqpSource source = new AmqpSource(config);
        CapturePipeline pipeline = new CapturePipeline(source, store, EventExtractor.withDefaults(), config.limits());
        Future<CaptureStats> done = CompletableFuture.supplyAsync(() -> pipeline.run(null), pool);
        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.awaitStarted(Duration.ofMillis(100)) || done.isDone());
        if (done.isDone()) {
            done.get(); // rethrows the open failure
        }
        return new Running(pipeline, done, source);
    }

    private static List<String> bodies(List<CapturedEvent> events) {
        return events.stream().map(e -> new String(e.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void tapCapturesAnExchangeWithItsPropertiesAndLeavesTheSystemsQueueUnchanged() throws Exception {
        String exchange = rabbit.exchange("orders", "topic");
        String systemQueue = rabbit.queue("orders-svc", Map.of());
        rabbit.bind(systemQueue, exchange, "order.*");
        try (CaptureStore store = CaptureStore.open(dir.resolve("tap.mv.db"))) {
            Running capture = start(broker().exchange(exchange, List.of()).build(), store);
            String tapQueue = capture.source().modes().get(0).replaceAll(".* queue (eventlens\\.tap\\.\\S+).*", "$1");
            assertThat(rabbit.exists(tapQueue)).as("tap queue %s while capturing", tapQueue).isTrue();
            List<AMQP.BasicProperties> props = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                props.add(props("c-" + (i % 4), "m-" + i));
                bodies.add("{\"n\":" + i + "}");
            }
            rabbit.publishAll(exchange, "order.placed", props, bodies);
            await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 40);
            capture.stop();

            List<CapturedEvent> events = store.page(1, 100);
            assertThat(bodies(events)).as("captured in publish order").containsExactlyElementsOf(bodies);
            CapturedEvent first = events.get(0);
            assertThat(first.channel().kind()).isEqualTo(ChannelKind.AMQP_EXCHANGE);
            assertThat(first.channel().name()).isEqualTo(exchange);
            assertThat(first.derived().correlationIdValue()).isEqualTo("c-0");
            assertThat(first.derived().eventIdValue()).isEqualTo("m-0");
            assertThat(first.derived().eventTypeValue()).isEqualTo("OrderPlaced");
            assertThat(first.derived().eventTimeValue()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
            assertThat(first.header("amqp.app_id").valueAsString()).isEqualTo("orders-service");
            assertThat(first.header("tenant").valueAsString()).isEqualTo("t1");
            assertThat(first.header("x-stream-offset")).as("the tap's own offset is a position, not a header").isNull();
            assertThat(first.source().attributes()).containsEntry("exchange", exchange)
                    .containsEntry("routingKey", "order.placed").containsEntry("redelivered", false)
                    .containsEntry("mode", "tap").containsKey("deliveryTag").containsEntry("streamOffset", 0L);
            assertThat(first.observedAt()).isEqualTo(first.capturedAt());
            assertThat(rabbit.messageCount(systemQueue)).as("the system's queue keeps every message").isEqualTo(40);
            assertThat(rabbit.bodies(systemQueue)).as("in order").containsExactlyElementsOf(bodies);
            assertThat(rabbit.exists(tapQueue)).as("the tap queue is deleted when the capture ends").isFalse();
        }
    }

    @Test
    void aClassicTapKeepsNestedHeaderTablesAndArrays() throws Exception {
        String exchange = rabbit.exchange("nested", "headers");
        try (CaptureStore store = CaptureStore.open(dir.resolve("classic.mv.db"))) {
            Running capture = start(broker().exchange(exchange, List.of()).classicTap(true).build(), store);
            assertThat(capture.source().modes().get(0)).contains("via classic (length-limited) queue");
            rabbit.publish(exchange, "", props("c-n", "n-1"), "nested");
            await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 1);
            capture.stop();
            CapturedEvent e = store.page(1, 1).get(0);
            assertThat(e.header("nested").valueAsString()).isEqualTo("{\"list\":[1,\"two\"]}");
            assertThat(e.source().attributes()).doesNotContainKey("streamOffset");
        }
    }

    @Test
    void aKeptTapResumesByStreamOffsetWithNothingLostOrDoubled() throws Exception {
        String exchange = rabbit.exchange("payments", "fanout");
        Path file = dir.resolve("resume.mv.db");
        List<AMQP.BasicProperties> props = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            props.add(props("c", "m-" + i));
            bodies.add("p" + i);
        }
        String tapQueue;
        try (CaptureStore store = CaptureStore.open(file)) {
            Running first = start(broker().exchange(exchange, List.of()).keepTap(true).maxEvents(20).build(), store);
            tapQueue = first.source().modes().get(0).replaceAll(".* queue (eventlens\\.tap\\.\\S+).*", "$1");
            rabbit.publishAll(exchange, "", props, bodies);
            first.done().get(30, TimeUnit.SECONDS);
            assertThat(store.eventCount()).isEqualTo(20);
            assertThat(store.positions(first.pipeline().sourceId())).containsExactly(
                    new StreamPosition(first.pipeline().sourceId(), "tap/" + tapQueue, "20"));
        }
        assertThat(rabbit.exists(tapQueue)).as("kept").isTrue();
        rabbit.publishAll(exchange, "", props.subList(0, 5), List.of("q0", "q1", "q2", "q3", "q4"));
        try (CaptureStore store = CaptureStore.open(file)) {
            Running second = start(broker().exchange(exchange, List.of()).build(), store);
            assertThat(second.source().modes().get(0)).contains(tapQueue).contains("resuming at offset 20");
            await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 35);
            second.stop();
            List<String> all = bodies(store.page(1, 100));
            List<String> expected = new ArrayList<>(bodies);
            expected.addAll(List.of("q0", "q1", "q2", "q3", "q4"));
            assertThat(all).containsExactlyElementsOf(expected);
            assertThat(second.source().truncated()).isZero();
        }
        assertThat(rabbit.exists(tapQueue)).as("deleted by the capture that did not keep it").isFalse();
    }

    @Test
    void spyQueueSeesWhatTheQueueGetsWhileItsConsumersStillGetAll() throws Exception {
        String exchange = rabbit.exchange("ship", "direct");
        String queue = rabbit.queue("ship-svc", Map.of());
        rabbit.bind(queue, exchange, "ship.created");
        AmqpCaptureConfig config = broker()
                .spyQueue(queue, List.of(new AmqpCaptureConfig.Binding(exchange, "ship.created"))).build();
        try (CaptureStore store = CaptureStore.open(dir.resolve("spy.mv.db"))) {
            Running capture = start(config, store);
            assertThat(capture.source().modes().get(0)).startsWith("spy on queue " + queue);
            rabbit.publish(exchange, "ship.created", props("c", "s1"), "s1");
            rabbit.publish(exchange, "ship.other", props("c", "s2"), "s2");
            rabbit.publish(exchange, "ship.created", props("c", "s3"), "s3");
            await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 2);
            capture.stop();
            List<CapturedEvent> events = store.page(1, 10);
            assertThat(bodies(events)).containsExactly("s1", "s3");
            assertThat(events.get(0).channel()).isEqualTo(new io.eventlens.core.model.Channel(ChannelKind.AMQP_QUEUE, queue));
            assertThat(events.get(0).source().attributes()).containsEntry("mode", "spy").containsEntry("exchange", exchange);
            assertThat(rabbit.bodies(queue)).containsExactly("s1", "s3");
        }
    }

    @Test
    void deadLetteredMessagesAreBrowsedWithTheirDecodedReasonAndDeadLetterTime() throws Exception {
        String dlx = rabbit.exchange("dlx", "fanout");
        String dlq = rabbit.queue("orders.dlq", Map.of());
        rabbit.bind(dlq, dlx, "");
        String rejecting = rabbit.queue("rejecting", Map.of("x-dead-letter-exchange", dlx));
        String expiring = rabbit.queue("expiring", Map.of("x-dead-letter-exchange", dlx, "x-message-ttl", 1));
        String bounded = rabbit.queue("bounded", Map.of("x-dead-letter-exchange", dlx, "x-max-length", 1));
        String quorum = rabbit.queue("limited", Map.of("x-dead-letter-exchange", dlx, "x-queue-type", "quorum",
                "x-delivery-limit", 1));
        Instant before = Instant.now().minusSeconds(1);
        rabbit.publish("", rejecting, props("c-rej", "r1"), "rejected-one");
        assertThat(rabbit.rejectOne(rejecting, false)).isTrue();
        rabbit.publish("", expiring, props("c-exp", "e1"), "expired-one");
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(dlq) == 2);
        rabbit.publish("", bounded, props("c-max", "x1"), "maxlen-one");
        rabbit.publish("", bounded, props("c-max", "x2"), "maxlen-two");
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(dlq) == 3);
        rabbit.publish("", quorum, props("c-q", "q1"), "delivery-limit-one");
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(quorum) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            rabbit.rejectOne(quorum, true);
            return rabbit.messageCount(dlq) == 4;
        });
        List<String> dlqBefore = rabbit.bodies(dlq);
        assertThat(dlqBefore).hasSize(4);
        Instant after = Instant.now().plusSeconds(1);

        AmqpCaptureConfig config = broker().browseQueue(dlq).forceBrowse(!managementApi()).build();
        try (CaptureStore store = CaptureStore.open(dir.resolve("dlq.mv.db"))) {
            AmqpSource source = new AmqpSource(config);
            CaptureStats stats = new CapturePipeline(source, store, EventExtractor.withDefaults(), config.limits()).run(null);
            assertThat(stats.events()).isEqualTo(4);
            List<CapturedEvent> events = store.page(1, 10);
            assertThat(bodies(events)).containsExactlyElementsOf(dlqBefore);
            Map<String, String> expectedReason = Map.of("rejected-one", "rejected", "expired-one", "expired",
                    "maxlen-one", "maxlen", "delivery-limit-one", "delivery_limit");
            Map<String, String> expectedQueue = Map.of("rejected-one", rejecting, "expired-one", expiring,
                    "maxlen-one", bounded, "delivery-limit-one", quorum);
            for (CapturedEvent e : events) {
                String body = new String(e.payload(), StandardCharsets.UTF_8);
                DeadLetterInfo info = DeadLetterChannels.inspect(e.channel().name(), e.headers());
                assertThat(info.convention()).as(body).isEqualTo(DeadLetterInfo.Convention.RABBITMQ);
                assertThat(info.reason()).as(body).isEqualTo(expectedReason.get(body));
                assertThat(info.originalChannel()).as(body).isEqualTo(expectedQueue.get(body));
                assertThat(info.originalExchange()).as(body).isEqualTo("");
                assertThat(info.originalRoutingKeys()).as(body).containsExactly(expectedQueue.get(body));
                assertThat(info.attempts()).as(body).isEqualTo(1);
                assertThat(info.deadLetteredAt()).as(body).isBetween(before, after);
                assertThat(e.observedAt()).as("observed at the dead-letter time, not the browse").isEqualTo(info.deadLetteredAt());
                assertThat(e.source().observedTimeMeaning()).isEqualTo("dead-letter time (x-death)");
                assertThat(e.channel()).isEqualTo(new io.eventlens.core.model.Channel(ChannelKind.AMQP_QUEUE, dlq));
                assertThat(e.source().attributes()).containsEntry("mode", "browse").containsEntry("queue", dlq);
            }
        }
        assertThat(rabbit.messageCount(dlq)).as("the browse leaves the count").isEqualTo(4);
        assertThat(rabbit.bodies(dlq)).as("and the order").containsExactlyElementsOf(dlqBefore);
    }

    @Test
    void aStreamQueueIsBrowsedByOffsetAndLeftUntouched() throws Exception {
        String stream = rabbit.queue("events-stream", Map.of("x-queue-type", "stream"));
        List<AMQP.BasicProperties> props = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            props.add(props("c", "st-" + i));
            bodies.add("st" + i);
        }
        rabbit.publishAll("", stream, props, bodies);
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(stream) == 25);
        Assumptions.assumeTrue(managementApi(), "the queue type of a browse comes from the management API");
        AmqpCaptureConfig config = broker().browseQueue(stream).build();
        try (CaptureStore store = CaptureStore.open(dir.resolve("stream.mv.db"))) {
            CaptureStats stats = new CapturePipeline(new AmqpSource(config), store, EventExtractor.withDefaults(),
                    config.limits()).run(null);
            assertThat(stats.events()).isEqualTo(25);
            List<CapturedEvent> events = store.page(1, 100);
            assertThat(bodies(events)).containsExactlyElementsOf(bodies);
            assertThat(events.get(3).source().attributes()).containsEntry("streamOffset", 3L).containsEntry("redelivered", false);
        }
        assertThat(rabbit.messageCount(stream)).isEqualTo(25);
    }

    @Test
    void aBrowseOfAQuorumQueueWithADeliveryLimitIsRefusedWithTheNumbers() throws Exception {
        Assumptions.assumeTrue(managementApi(), "the delivery limit comes from the management API");
        String quorum = rabbit.queue("near-limit", Map.of("x-queue-type", "quorum", "x-delivery-limit", 2));
        rabbit.publish("", quorum, props("c", "n1"), "n1");
        rabbit.publish("", quorum, props("c", "n2"), "n2");
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(quorum) == 2);
        rabbit.rejectOne(quorum, true);
        rabbit.rejectOne(quorum, true); // n1 delivered twice: one more return drops it
        AmqpCaptureConfig config = broker().browseQueue(quorum).build();
        try (CaptureStore store = CaptureStore.open(dir.resolve("quorum.mv.db"))) {
            assertThatThrownBy(() -> new CapturePipeline(new AmqpSource(config), store, EventExtractor.withDefaults(),
                    config.limits()).run(null))
                    .isInstanceOf(AmqpConnectException.class)
                    .hasMessageContaining("quorum queue '" + quorum + "' has a delivery limit of 2")
                    .hasMessageContaining("each of its 2 messages").hasMessageContaining("127.0.0.1:5672");
        }
        assertThat(rabbit.messageCount(quorum)).isEqualTo(2);
    }

    @Test
    void aClassicQueueWithConsumersIsNotBrowsedUnlessForced() throws Exception {
        Assumptions.assumeTrue(managementApi(), "the queue type comes from the management API");
        String queue = rabbit.queue("busy", Map.of());
        rabbit.publish("", queue, props("c", "b1"), "b1");
        rabbit.on(ch -> {
            ch.basicQos(1);
            ch.basicConsume(queue, false, new com.rabbitmq.client.DefaultConsumer(ch));
            AmqpCaptureConfig config = broker().browseQueue(queue).build();
            try (CaptureStore store = CaptureStore.open(dir.resolve("busy.mv.db"))) {
                assertThatThrownBy(() -> new CapturePipeline(new AmqpSource(config), store, EventExtractor.withDefaults(),
                        config.limits()).run(null))
                        .isInstanceOf(AmqpConnectException.class)
                        .hasMessageContaining("queue '" + queue + "' (classic) has 1 active consumer(s)");
            }
            return null;
        });
    }

    @Test
    void anUnreachableBrokerOrAMissingExchangeFailsNamingTheEndpoint() throws Exception {
        AmqpCaptureConfig unreachable = AmqpCaptureConfig.builder().uri("amqp://127.0.0.1:1").exchange("x", List.of())
                .connectTimeout(Duration.ofSeconds(3)).build();
        try (CaptureStore store = CaptureStore.open(dir.resolve("none.mv.db"))) {
            assertThatThrownBy(() -> new CapturePipeline(new AmqpSource(unreachable), store, EventExtractor.withDefaults(),
                    unreachable.limits()).run(null))
                    .isInstanceOf(AmqpConnectException.class).hasMessageContaining("RabbitMQ at amqp://127.0.0.1:1");
            String missing = LocalRabbit.unique("no-such-exchange");
            AmqpCaptureConfig noExchange = broker().exchange(missing, List.of()).build();
            assertThatThrownBy(() -> new CapturePipeline(new AmqpSource(noExchange), store, EventExtractor.withDefaults(),
                    noExchange.limits()).run(null))
                    .isInstanceOf(AmqpConnectException.class)
                    .hasMessageContaining("exchange '" + missing + "' does not exist").hasMessageContaining("127.0.0.1:5672");
            String missingQueue = LocalRabbit.unique("no-such-queue");
            AmqpCaptureConfig noQueue = broker().browseQueue(missingQueue).build();
            assertThatThrownBy(() -> new CapturePipeline(new AmqpSource(noQueue), store, EventExtractor.withDefaults(),
                    noQueue.limits()).run(null))
                    .isInstanceOf(AmqpConnectException.class).hasMessageContaining("queue '" + missingQueue + "' does not exist");
        }
    }

    @Test
    void retentionThatDroppedTapMessagesBeforeTheyWereReadIsCountedWithTheNumbers() throws Exception {
        String exchange = rabbit.exchange("busy", "fanout");
        Path file = dir.resolve("truncated.mv.db");
        AmqpCaptureConfig small = broker().exchange(exchange, List.of()).keepTap(true).tapMaxBytes(100_000).maxEvents(1).build();
        String tapQueue;
        try (CaptureStore store = CaptureStore.open(file)) {
            Running first = start(small, store);
            tapQueue = first.source().modes().get(0).replaceAll(".* queue (eventlens\\.tap\\.\\S+).*", "$1");
            rabbit.publish(exchange, "", props("c", "first"), "first");
            first.done().get(30, TimeUnit.SECONDS);
        }
        try {
            List<AMQP.BasicProperties> props = new ArrayList<>();
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                props.add(props("c", "b-" + i));
                bodies.add("x".repeat(200) + i);
            }
            rabbit.publishAll(exchange, "", props, bodies);
            // retention runs when the stream rolls a segment: wait until it has removed the stored offset
            // (the broker decides when: where it has not within 20 s, the test cannot show truncation)
            boolean retained = false;
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> firstOffset(tapQueue) > 100);
                retained = true;
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                retained = false;
            }
            Assumptions.assumeTrue(retained, "the broker's retention did not run within 20 s");
            try (CaptureStore store = CaptureStore.open(file)) {
                Running second = start(broker().exchange(exchange, List.of()).build(), store);
                // RabbitMQ 3.10 on a busy machine once delivered nothing from the stream for 30 s right
                // after its retention ran (neither the source's probe of the first offset nor its
                // consumer got a message): without a delivery there is nothing to count
                boolean delivered;
                try {
                    await().atMost(Duration.ofSeconds(30)).until(() -> second.source().truncated() > 0 || store.eventCount() > 1);
                    delivered = true;
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    delivered = false;
                    second.stop();
                }
                Assumptions.assumeTrue(delivered, "the broker delivered nothing from the tap stream within 30 s after its retention ran");
                // a gap is counted before its batch is delivered, so a stored event means it was counted
                assertThat(second.source().truncated()).as("the gap before the first retained offset").isPositive();
                long lost = second.source().truncated();
                assertThat(lost).as("messages dropped by the tap's 100,000-byte retention").isBetween(100L, 3_000L + 20);
                await().atMost(Duration.ofSeconds(30)).until(() -> store.eventCount() > 1
                        && bodies(store.page(store.eventCount(), 1)).get(0).equals(bodies.get(2_999)));
                second.stop();
                List<String> got = bodies(store.page(2, 5_000));
                assertThat(got).as("the rest, in order, up to the last").isEqualTo(bodies.subList(3_000 - got.size(), 3_000));
                assertThat(got.size() + lost).as("nothing lost silently: read %d + lost (an upper bound: segment starts"
                        + " take an offset) %d", got.size(), lost).isGreaterThanOrEqualTo(3_000L);
            }
        } finally {
            rabbit.on(ch -> ch.queueDelete(tapQueue));
        }
    }

    @Test
    void aResourceAlarmThatBlocksPublishersIsReportedWithItsDurationAndReason() throws Exception {
        String watermark = rabbitmqctlOutput("eval", "vm_memory_monitor:get_vm_memory_high_watermark().");
        Assumptions.assumeTrue(watermark != null && !watermark.isBlank(), "rabbitmqctl is needed to raise a memory alarm");
        String exchange = rabbit.exchange("alarmed", "fanout");
        try (CaptureStore store = CaptureStore.open(dir.resolve("blocked.mv.db"))) {
            Running capture = start(broker().exchange(exchange, List.of()).build(), store);
            assertThat(capture.source().blocked()).isFalse();
            assertThat(capture.source().blockedMs()).isZero();
            // a real memory alarm, kept as short as the broker allows: every publisher of the broker
            // is blocked meanwhile; restored in finally, and by a shutdown hook if the JVM dies first
            Thread guard = new Thread(() -> restoreWatermark(watermark));
            Runtime.getRuntime().addShutdownHook(guard);
            try {
                assertThat(rabbitmqctl("set_vm_memory_high_watermark", "0.0000001")).isTrue();
                await().atMost(Duration.ofSeconds(20)).until(() -> capture.source().blocked());
                assertThat(capture.source().blockedReason()).contains("memory");
            } finally {
                restoreWatermark(watermark);
                Runtime.getRuntime().removeShutdownHook(guard);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !capture.source().blocked());
            long blockedMs = capture.source().blockedMs();
            assertThat(blockedMs).as("from the alarm to its end, in ms").isPositive();
            assertThat(capture.source().blockedTimes()).isEqualTo(1);
            rabbit.publish(exchange, "", props("c", "after-alarm"), "after-alarm");
            await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 1);
            capture.stop();
            assertThat(bodies(store.page(1, 10))).as("the alarm watch's own publish is no event").containsExactly("after-alarm");
            assertThat(capture.source().blockedMs()).as("no longer counting").isEqualTo(blockedMs);
        }
    }

    /** Sets the memory high watermark back to what {@code rabbitmqctl eval} gave ({@code 0.4} or {@code {absolute,N}}). */
    private static void restoreWatermark(String watermark) {
        String w = watermark.trim();
        boolean ok = w.startsWith("{absolute,")
                ? rabbitmqctl("set_vm_memory_high_watermark", "absolute", w.replaceAll("[^0-9]", ""))
                : rabbitmqctl("set_vm_memory_high_watermark", w);
        if (!ok) {
            throw new IllegalStateException("could not restore RabbitMQ's memory high watermark to " + w
                    + ": run rabbitmqctl set_vm_memory_high_watermark " + w);
        }
    }

    @Test
    void aForcedBrowseOfAQuorumQueueKeepsItsCountAndOrder() throws Exception {
        Assumptions.assumeTrue(managementApi(), "the queue type comes from the management API");
        String quorum = rabbit.queue("quorum-browse", Map.of("x-queue-type", "quorum"));
        List<AMQP.BasicProperties> props = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            props.add(props("c", "q-" + i));
            bodies.add("q" + i);
        }
        rabbit.publishAll("", quorum, props, bodies);
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(quorum) == 20);
        AmqpCaptureConfig config = broker().browseQueue(quorum).build();
        try (CaptureStore store = CaptureStore.open(dir.resolve("qb.mv.db"))) {
            CaptureStats stats = new CapturePipeline(new AmqpSource(config), store, EventExtractor.withDefaults(),
                    config.limits()).run(null);
            assertThat(stats.events()).isEqualTo(20);
            assertThat(bodies(store.page(1, 100))).containsExactlyElementsOf(bodies);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(quorum) == 20);
        assertThat(rabbit.bodies(quorum)).containsExactlyElementsOf(bodies);
    }

    @Test
    void theFirehoseShowsPublishesToTheDefaultExchange() throws Exception {
        String vhost = LocalRabbit.unique("eventlens-firehose");
        Assumptions.assumeTrue(rabbitmqctl("add_vhost", vhost), "rabbitmqctl is needed to turn the firehose on");
        try {
            assertThat(rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")).isTrue();
            assertThat(rabbitmqctl("trace_on", "-p", vhost)).isTrue();
            String vhostPath = java.net.URLEncoder.encode(vhost, StandardCharsets.UTF_8);
            com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
            f.setUri("amqp://127.0.0.1:5672/" + vhostPath);
            AmqpCaptureConfig config = AmqpCaptureConfig.builder().uri("amqp://127.0.0.1:5672/" + vhostPath).firehose(true).build();
            try (CaptureStore store = CaptureStore.open(dir.resolve("firehose.mv.db"));
                 com.rabbitmq.client.Connection c = f.newConnection()) {
                Running capture = start(config, store);
                assertThat(capture.source().modes().get(0)).startsWith("firehose amq.rabbitmq.trace");
                com.rabbitmq.client.Channel ch = c.createChannel();
                String q = ch.queueDeclare("work", false, false, false, null).getQueue();
                ch.confirmSelect();
                ch.basicPublish("", q, props("c-fire", "f-1"), "fired".getBytes(StandardCharsets.UTF_8));
                ch.waitForConfirmsOrDie(10_000);
                await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() >= 1);
                capture.stop();
                CapturedEvent e = store.page(1, 1).get(0);
                assertThat(new String(e.payload(), StandardCharsets.UTF_8)).isEqualTo("fired");
                assertThat(e.channel().name()).isEqualTo("amq.default");
                assertThat(e.source().attributes()).containsEntry("mode", "firehose").containsEntry("routingKey", "work");
                assertThat(e.derived().correlationIdValue()).isEqualTo("c-fire");
            }
        } finally {
            rabbitmqctl("trace_off", "-p", vhost);
            rabbitmqctl("delete_vhost", vhost);
        }
    }

    @Test
    void aTapReconnectsAfterTheBrokerClosedItsConnectionAndLosesOrDoublesNothing() throws Exception {
        Assumptions.assumeTrue(managementApi(), "the connection is closed through the management API");
        String exchange = rabbit.exchange("reconnect", "fanout");
        try (CaptureStore store = CaptureStore.open(dir.resolve("reconnect.mv.db"))) {
            Running capture = start(broker().exchange(exchange, List.of()).build(), store);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                expected.add("r" + i);
            }
            for (int i = 0; i < 10; i++) {
                rabbit.publish(exchange, "", props("c", expected.get(i)), expected.get(i));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> store.eventCount() == 10);
            assertThat(closeConnection(capture.source().connectionName())).as("closed by the broker").isTrue();
            for (int i = 10; i < 20; i++) { // while the capture may be away: the tap keeps them
                rabbit.publish(exchange, "", props("c", expected.get(i)), expected.get(i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> capture.source().reconnects() == 1
                    && capture.source().health().isConnected());
            for (int i = 20; i < 30; i++) {
                rabbit.publish(exchange, "", props("c", expected.get(i)), expected.get(i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> store.eventCount() >= 30);
            capture.stop();
            assertThat(bodies(store.page(1, 100))).containsExactlyElementsOf(expected);
        }
    }

    /** Closes the broker's connections with this client-provided name (management API); true when one was closed. */
    private static boolean closeConnection(String clientName) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic Z3Vlc3Q6Z3Vlc3Q=";
        boolean closed = false;
        for (int attempt = 0; attempt < 20 && !closed; attempt++) { // the list is refreshed every few seconds
            HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:15672/api/connections"))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            for (com.fasterxml.jackson.databind.JsonNode c : new com.fasterxml.jackson.databind.ObjectMapper().readTree(list.body())) {
                if (clientName.equals(c.path("client_properties").path("connection_name").asText())) {
                    String name = java.net.URLEncoder.encode(c.path("name").asText(), StandardCharsets.UTF_8).replace("+", "%20");
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:15672/api/connections/" + name))
                            .header("Authorization", auth).header("X-Reason", "test").DELETE().build(),
                            HttpResponse.BodyHandlers.discarding());
                    closed |= r.statusCode() / 100 == 2;
                }
            }
            if (!closed) {
                await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
        }
        return closed;
    }

    /** The first offset a stream delivers now (-1 when none comes within 10 s). */
    private long firstOffset(String stream) throws Exception {
        return rabbit.on(ch -> {
            java.util.concurrent.BlockingQueue<Long> got = new java.util.concurrent.LinkedBlockingQueue<>();
            ch.basicQos(1);
            String tag = ch.basicConsume(stream, false, Map.of("x-stream-offset", "first"), new com.rabbitmq.client.DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String t, com.rabbitmq.client.Envelope env, AMQP.BasicProperties p, byte[] body) {
                    got.add(((Number) p.getHeaders().get("x-stream-offset")).longValue());
                }
            });
            Long first = got.poll(10, TimeUnit.SECONDS); // a busy broker may take seconds to start a stream consumer
            ch.basicCancel(tag);
            return first == null ? -1L : first;
        });
    }

    /** What {@code rabbitmqctl -q ARGS} printed, or null when it failed or is missing. */
    private static String rabbitmqctlOutput(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-q"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static boolean rabbitmqctl(String... args) {
        try {
            List<String> cmd = new ArrayList<>(List.of("rabbitmqctl", "-q"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
