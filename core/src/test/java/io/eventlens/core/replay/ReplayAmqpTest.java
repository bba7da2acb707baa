package io.eventlens.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.core.amqp.AmqpPosition;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Header;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.ReplayLog;
import io.eventlens.core.testkit.LocalRabbit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay into the real RabbitMQ on 127.0.0.1:5672: exchange and routing key from the map, AMQP
 * properties and headers back as they were captured (rewritten where asked), per-routing-key order,
 * a dead-lettered message redriven to the exchange and routing key of its {@code x-death}, and an
 * unroutable send reported as failed.
 */
class ReplayAmqpTest {

    @RegisterExtension
    final LocalRabbit rabbit = new LocalRabbit();

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventExtractor EXTRACTOR = EventExtractor.withDefaults();

    private static ReplayTarget.Amqp target() {
        return new ReplayTarget.Amqp(AmqpCaptureConfig.builder().uri("amqp://127.0.0.1:5672").buildConnection(),
                EnvironmentLabel.LOCAL);
    }

    /** An AMQP event tapped on exchange {@code shop} with this routing key and these headers (properties first). */
    private static CapturedEvent amqp(long seq, String routingKey, long ms, List<Header> headers, String payload) {
        Channel ch = new Channel(ChannelKind.AMQP_EXCHANGE, "shop");
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        return new CapturedEvent(seq, ch, new AmqpPosition("tap", "eventlens.tap.x", "shop", routingKey, seq, false,
                seq, "eventlens.tap.x", false), ReplayEvents.T0.plusMillis(ms), ReplayEvents.T0.plusMillis(ms), null,
                headers, p, EXTRACTOR.extract(ch, null, headers, p));
    }

    private List<GetResponse> drain(String queue, int expected) throws Exception {
        return rabbit.on(ch -> {
            List<GetResponse> out = new ArrayList<>();
            org.awaitility.Awaitility.await("the queue receives " + expected + " messages").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20)).until(() -> {
                        GetResponse r = ch.basicGet(queue, true);
                        if (r != null) {
                            out.add(r);
                        }
                        return out.size() >= expected;
                    });
            assertThat(ch.basicGet(queue, true)).as("no more messages than expected").isNull();
            return out;
        });
    }

    @Test
    void propertiesHeadersAndOrderReachTheQueueRewritten() throws Exception {
        String exchange = rabbit.exchange("replay-target", "topic");
        String queue = rabbit.queue("replay-q", Map.of());
        rabbit.bind(queue, exchange, "order.*");
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            events.add(amqp(i + 1, "order.created", i, List.of(Header.ofString("amqp.content_type", "application/json"),
                    Header.ofString("amqp.correlation_id", "c-7"), Header.ofString("amqp.message_id", "m-" + i),
                    Header.ofString("amqp.delivery_mode", "2"), Header.ofString("tenant", "acme")),
                    "{\"sequence\":" + (i + 1) + "}"));
        }
        try (CaptureStore store = CaptureStore.open(dir.resolve("cap"))) {
            store.append(events, List.of());
            ReplayPlan plan = ReplayPlanner.plan(store.findByCorrelationId("c-7"), target(),
                    ReplayOptions.builder().map("shop", exchange).build());
            ReplayResult result;
            try (AmqpReplaySender sender = AmqpReplaySender.connect(target(), plan.targetChannels(), Duration.ofSeconds(10))) {
                result = new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}");
            }
            assertThat(result.state()).as(result.toString()).isEqualTo("COMPLETED");
            List<GetResponse> got = drain(queue, 6);
            for (int i = 0; i < got.size(); i++) {
                GetResponse r = got.get(i);
                assertThat(r.getEnvelope().getRoutingKey()).isEqualTo("order.created");
                assertThat(r.getProps().getCorrelationId()).isEqualTo(plan.replayCorrelationId());
                assertThat(r.getProps().getMessageId()).isNotEqualTo("m-" + i).isEqualTo(plan.sends().get(i).eventId());
                assertThat(r.getProps().getContentType()).isEqualTo("application/json");
                assertThat(r.getProps().getDeliveryMode()).isEqualTo(2);
                assertThat(r.getProps().getHeaders().get("tenant").toString()).isEqualTo("acme");
                assertThat(r.getProps().getHeaders().get(Rewrites.REPLAY_ID_HEADER).toString()).isEqualTo(plan.replayId());
                assertThat(JSON.readTree(r.getBody()).get("sequence").asInt()).isEqualTo(i + 1);
            }
            assertThat(store.replayLog().sends(plan.replayId())).extracting(ReplayLog.Send::outcome)
                    .containsOnly(ReplayLog.Outcome.SENT);
        }
    }

    @Test
    void aDeadLetteredMessageIsRedrivenToItsOriginalExchangeWithoutDeadLetterHeaders() throws Exception {
        String exchange = rabbit.exchange("orig", "direct");
        String queue = rabbit.queue("orig-q", Map.of());
        rabbit.bind(queue, exchange, "order.created");
        Channel dlq = new Channel(ChannelKind.AMQP_QUEUE, "orders.dlq");
        List<Header> headers = List.of(Header.ofString("amqp.correlation_id", "c-9"),
                Header.ofString("x-death", "[{\"count\":2,\"reason\":\"rejected\",\"queue\":\"orders\",\"exchange\":\""
                        + exchange + "\",\"routing-keys\":[\"order.created\"]}]"),
                Header.ofString("x-first-death-exchange", exchange), Header.ofString("x-first-death-queue", "orders"),
                Header.ofString("x-first-death-reason", "rejected"));
        byte[] body = "{\"amount\":-1}".getBytes(StandardCharsets.UTF_8);
        CapturedEvent dead = new CapturedEvent(1, dlq, new AmqpPosition("browse", "orders.dlq", "dlx", "orders", 1, false,
                null, "orders.dlq", true), ReplayEvents.T0, ReplayEvents.T0, null, headers, body,
                EXTRACTOR.extract(dlq, null, headers, body));
        try (CaptureStore store = CaptureStore.open(dir.resolve("dlq"))) {
            store.append(List.of(dead), List.of());
            ReplayPlan plan = ReplayPlanner.plan(store.findByCorrelationId("c-9"), target(),
                    ReplayOptions.builder().redrive(true).build());
            assertThat(plan.sends().get(0).targetChannel()).isEqualTo(exchange);
            try (AmqpReplaySender sender = AmqpReplaySender.connect(target(), plan.targetChannels(), Duration.ofSeconds(10))) {
                assertThat(new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}").completed()).isTrue();
            }
            GetResponse r = drain(queue, 1).get(0);
            assertThat(r.getProps().getHeaders()).doesNotContainKeys("x-death", "x-first-death-exchange", "x-first-death-queue");
            assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"amount\":-1}");
        }
    }

    @Test
    void anUnroutableSendIsReportedAsFailedAndAMissingExchangeBeforeAnything() throws Exception {
        String exchange = rabbit.exchange("nobody-bound", "topic");
        List<CapturedEvent> events = List.of(amqp(1, "x", 0, List.of(Header.ofString("amqp.correlation_id", "c-1")), "{}"));
        try (CaptureStore store = CaptureStore.open(dir.resolve("unroutable"))) {
            store.append(events, List.of());
            ReplayPlan plan = ReplayPlanner.plan(events, target(), ReplayOptions.builder().map("shop", exchange).build());
            ReplayResult result;
            try (AmqpReplaySender sender = AmqpReplaySender.connect(target(), plan.targetChannels(), Duration.ofSeconds(10))) {
                result = new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}");
            }
            assertThat(result.state()).isEqualTo("FAILED");
            assertThat(result.sends().get(0).message()).contains("no queue took the message");
            assertThat(store.replayLog().sends(plan.replayId()).get(0).outcome()).isEqualTo(ReplayLog.Outcome.FAILED);
        }
        assertThatThrownBy(() -> AmqpReplaySender.connect(target(), List.of(LocalRabbit.unique("missing")), Duration.ofSeconds(10)))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theReplayedFlowIsTappedFromTheTargetExchangeAndCompared() throws Exception {
        String exchange = rabbit.exchange("compare-target", "topic");
        String queue = rabbit.queue("compare-q", Map.of());
        rabbit.bind(queue, exchange, "#");
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(amqp(i + 1, "order.created", i * 10L, List.of(Header.ofString("amqp.correlation_id", "c-cmp"),
                    Header.ofString("amqp.type", "Step" + i)), "{\"sequence\":" + (i + 1) + "}"));
        }
        try (CaptureStore store = CaptureStore.open(dir.resolve("cmp"));
             CaptureStore replayStore = CaptureStore.open(dir.resolve("cmp-replayed"))) {
            store.append(events, List.of());
            ReplayPlan plan = ReplayPlanner.plan(store.findByCorrelationId("c-cmp"), target(),
                    ReplayOptions.builder().map("shop", exchange).build());
            ReplayComparison comparison;
            try (ReplayFlowCapture capture = ReplayFlowCapture.start(ReplayFlowCapture.sourceFor(plan, List.of("shop"),
                    java.time.Instant.now(), Duration.ofSeconds(10)), replayStore, EXTRACTOR, Duration.ofSeconds(30));
                 AmqpReplaySender sender = AmqpReplaySender.connect(target(), plan.targetChannels(), Duration.ofSeconds(10))) {
                assertThat(new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}").completed()).isTrue();
                var replayed = capture.finish(plan.replayCorrelationId(), Duration.ofSeconds(2),
                        io.eventlens.core.analysis.TimelineAnalyzer.withDefaults());
                var original = io.eventlens.core.analysis.TimelineAnalyzer.withDefaults().analyze("c-cmp",
                        store.findByCorrelationId("c-cmp"));
                comparison = ReplayComparison.compare(original, replayed);
            }
            assertThat(comparison.replayEvents()).isEqualTo(3);
            assertThat(comparison.missingSteps()).isEmpty();
            assertThat(comparison.outcome()).isEqualTo(ReplayComparison.Outcome.REPRODUCED);
        }
    }
}
