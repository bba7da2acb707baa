package io.eventlens.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ReplayPlanner}: target mapping, rewrites, order and asked timing; pure, no broker. */
class ReplayPlannerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReplayTarget.Kafka KAFKA = new ReplayTarget.Kafka("localhost:9092", Map.of(), EnvironmentLabel.TEST);

    private static JsonNode payload(PlannedSend s) throws Exception {
        return JSON.readTree(s.payload());
    }

    @Test
    void aFreshCorrelationIdIsWrittenWhereTheRuleFoundItAndWhereverElseTheOldValueSits() throws Exception {
        CapturedEvent e = ReplayEvents.order(1, 0, "k1", 0, "c-1", "e-1", 1, "OrderPlaced");
        ReplayPlan plan = ReplayPlanner.plan(List.of(e), KAFKA, ReplayOptions.builder().correlationId("fresh-1").build());

        PlannedSend s = plan.sends().get(0);
        assertThat(plan.replayCorrelationId()).isEqualTo("fresh-1");
        assertThat(plan.originalCorrelationIds()).containsExactly("c-1");
        assertThat(s.header("correlationId")).isEqualTo("fresh-1");
        assertThat(payload(s).get("correlationId").asText()).isEqualTo("fresh-1");
        assertThat(s.header("tenant")).isEqualTo("acme");
        assertThat(s.rewrites()).anyMatch(r -> r.startsWith("correlationId c-1 -> fresh-1 (found by header correlationId; 2 places)"));
        assertThat(plan.problems()).isEmpty();
    }

    @Test
    void cloudEventsBinaryAndStructuredAndTraceparentCorrelationIdsAreRewritten() throws Exception {
        CapturedEvent binary = ReplayEvents.kafka(1, "t", 0, 1, null, 0,
                List.of(Header.ofString("ce_correlationid", "c-9"), Header.ofString("ce_id", "id-1"),
                        Header.ofString("ce_type", "A")), "{}");
        CapturedEvent structured = ReplayEvents.kafka(2, "t", 0, 2, null, 1,
                List.of(Header.ofString("content-type", "application/cloudevents+json")),
                "{\"specversion\":\"1.0\",\"id\":\"id-2\",\"type\":\"B\",\"correlationid\":\"c-9\"}");
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        CapturedEvent traced = ReplayEvents.kafka(3, "t", 0, 3, null, 2,
                List.of(Header.ofString("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")), "binary");
        assertThat(traced.derived().correlationIdValue()).isEqualTo(trace);

        String fresh = ReplayPlanner.freshId();
        ReplayPlan plan = ReplayPlanner.plan(List.of(binary, structured), KAFKA,
                ReplayOptions.builder().correlationId(fresh).build());
        assertThat(plan.sends().get(0).header("ce_correlationid")).isEqualTo(fresh);
        assertThat(payload(plan.sends().get(1)).get("correlationid").asText()).isEqualTo(fresh);

        ReplayPlan tracePlan = ReplayPlanner.plan(List.of(traced), KAFKA, ReplayOptions.builder().correlationId(fresh).build());
        assertThat(tracePlan.sends().get(0).header("traceparent")).isEqualTo("00-" + fresh + "-00f067aa0ba902b7-01");
        assertThat(tracePlan.problems()).isEmpty();
    }

    @Test
    void aCorrelationIdThatCannotBeWrittenIsAProblemNamingTheEvent() {
        CapturedEvent traced = ReplayEvents.kafka(7, "t", 0, 3, null, 2,
                List.of(Header.ofString("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")), "x");
        ReplayPlan plan = ReplayPlanner.plan(List.of(traced), KAFKA,
                ReplayOptions.builder().correlationId("not-hex").build());
        assertThat(plan.problems()).singleElement().asString().contains("event #7").contains("traceparent");
    }

    @Test
    void eventIdsAreRenewedOncePerOriginalSoRepeatsAreDuplicatesAndKeptOnRequest() throws Exception {
        List<CapturedEvent> events = List.of(ReplayEvents.order(1, 0, "k", 0, "c", "e-1", 1, "A"),
                ReplayEvents.order(2, 0, "k", 10, "c", "e-2", 2, "B"));
        ReplayPlan plan = ReplayPlanner.plan(events, KAFKA, ReplayOptions.builder().repeat(3).build());
        assertThat(plan.sends()).hasSize(6);
        assertThat(plan.sends()).extracting(PlannedSend::round).containsExactly(0, 0, 1, 1, 2, 2);
        List<String> ids = plan.sends().stream().map(PlannedSend::eventId).toList();
        assertThat(ids.get(0)).isNotEqualTo("e-1").isEqualTo(ids.get(2)).isEqualTo(ids.get(4));
        assertThat(payload(plan.sends().get(0)).get("eventId").asText()).isEqualTo(ids.get(0));
        assertThat(plan.sends()).extracting(s -> s.header(Rewrites.REPLAY_SEND_HEADER)).containsExactly("0", "1", "2", "3", "4", "5");
        assertThat(plan.sends()).allMatch(s -> plan.replayId().equals(s.header(Rewrites.REPLAY_ID_HEADER)));

        ReplayPlan kept = ReplayPlanner.plan(events, KAFKA, ReplayOptions.builder().keepEventIds(true).build());
        assertThat(kept.sends()).extracting(PlannedSend::eventId).containsExactly("e-1", "e-2");
    }

    @Test
    void headersAreRemovedSetAndOverriddenAndEarlierReplayMarkersReplaced() {
        CapturedEvent e = ReplayEvents.kafka(1, "t", 0, 1, "k", 0, List.of(Header.ofString("correlationId", "c"),
                Header.ofString("Tenant", "acme"), Header.ofString("secret", "s"),
                Header.ofString("eventlens-replay-id", "older-run")), "{}");
        ReplayPlan plan = ReplayPlanner.plan(List.of(e), KAFKA, ReplayOptions.builder().freshCorrelationId(false)
                .removeHeader("SECRET").setHeader("tenant", "test-tenant").setHeader("x-added", "1").build());
        PlannedSend s = plan.sends().get(0);
        assertThat(s.headers()).extracting(Header::name)
                .containsExactly("correlationId", "tenant", "x-added", "eventlens-replay-id", "eventlens-replay-send");
        assertThat(s.header("tenant")).isEqualTo("test-tenant");
        assertThat(s.header("correlationId")).isEqualTo("c");
        assertThat(s.header(Rewrites.REPLAY_ID_HEADER)).isEqualTo(plan.replayId());
        assertThat(plan.replayCorrelationId()).isNull();
    }

    @Test
    void channelsAreMappedKeysAndPartitionsKeptUnmappedChannelsKeepTheirName() {
        CapturedEvent a = ReplayEvents.order(1, 2, "k1", 0, "c", "e-1", 1, "A");
        CapturedEvent b = ReplayEvents.kafka(2, "payments", 1, 5, "k2", 1, List.of(Header.ofString("correlationId", "c")), "{}");
        ReplayPlan plan = ReplayPlanner.plan(List.of(a, b), KAFKA, ReplayOptions.builder().map("orders", "orders-test").build());
        assertThat(plan.sends()).extracting(PlannedSend::targetChannel).containsExactly("orders-test", "payments");
        assertThat(plan.sends()).extracting(PlannedSend::partition).containsExactly(2, 1);
        assertThat(plan.sends()).extracting(PlannedSend::keyText).containsExactly("k1", "k2");

        ReplayPlan byKey = ReplayPlanner.plan(List.of(a), KAFKA, ReplayOptions.builder().keepPartitions(false).build());
        assertThat(byKey.sends().get(0).partition()).isNull();
    }

    @Test
    void perKeyOrderFollowsTheStoreEvenWhenObservedTimesDisagree() {
        // partition 0 key k: seq 1 then 3, but seq 3's timestamp is earlier (a producer-set CreateTime)
        CapturedEvent first = ReplayEvents.order(1, 0, "k", 50, "c", "e-1", 1, "A");
        CapturedEvent other = ReplayEvents.order(2, 1, "j", 20, "c", "e-2", 1, "B");
        CapturedEvent second = ReplayEvents.order(3, 0, "k", 10, "c", "e-3", 2, "C");
        ReplayPlan plan = ReplayPlanner.plan(List.of(second, other, first), KAFKA, ReplayOptions.builder().build());
        List<Long> seqs = plan.sends().stream().map(PlannedSend::sourceSeq).toList();
        assertThat(seqs.indexOf(1L)).isLessThan(seqs.indexOf(3L));
        assertThat(seqs).containsExactly(1L, 2L, 3L);
    }

    @Test
    void theSameMessageObservedTwiceIsSentOnce() {
        CapturedEvent e = ReplayEvents.order(1, 0, "k", 0, "c", "e-1", 1, "A");
        CapturedEvent again = new CapturedEvent(2, e.channel(), e.source(), e.observedAt(), e.capturedAt().plusSeconds(1),
                e.key(), e.headers(), e.payload(), e.derived());
        assertThat(ReplayPlanner.plan(List.of(e, again), KAFKA, ReplayOptions.builder().build()).sends()).hasSize(1);
    }

    @Test
    void askedGapsAreTheOriginalOnesScaledCappedAndRateLimited() {
        List<CapturedEvent> events = new ArrayList<>();
        long[] at = {0, 200, 600, 5600};
        for (int i = 0; i < at.length; i++) {
            events.add(ReplayEvents.order(i + 1, 0, "k", at[i], "c", "e-" + i, i, "T" + i));
        }
        List<Long> fast = offsets(ReplayPlanner.plan(events, KAFKA, ReplayOptions.builder().build()));
        assertThat(fast).containsExactly(0L, 0L, 0L, 0L);
        List<Long> doubled = offsets(ReplayPlanner.plan(events, KAFKA,
                ReplayOptions.builder().timing(ReplayTiming.atSpeed(2)).build()));
        assertThat(doubled).containsExactly(0L, 100L, 300L, 2800L);
        List<Long> capped = offsets(ReplayPlanner.plan(events, KAFKA, ReplayOptions.builder()
                .timing(new ReplayTiming(0.5, Duration.ofSeconds(1), 0)).build()));
        assertThat(capped).containsExactly(0L, 400L, 1200L, 2200L);
        List<Long> limited = offsets(ReplayPlanner.plan(events, KAFKA, ReplayOptions.builder()
                .timing(new ReplayTiming(null, null, 10)).build()));
        assertThat(limited).containsExactly(0L, 100L, 200L, 300L);
        assertThatThrownBy(() -> ReplayTiming.atSpeed(150)).hasMessageContaining("0.1 to 100");
        assertThatThrownBy(() -> ReplayTiming.atSpeed(0.05)).hasMessageContaining("0.1 to 100");
    }

    private static List<Long> offsets(ReplayPlan plan) {
        return plan.sends().stream().map(s -> s.askedOffsetNanos() / 1_000_000).toList();
    }

    @Test
    void aDeadLetteredKafkaEventIsRedrivenToItsOriginalTopicAndPartitionWithoutItsDeadLetterHeaders() {
        CapturedEvent dlt = ReplayEvents.kafka(4, "orders.DLT", 0, 9, "k", 0, List.of(Header.ofString("correlationId", "c"),
                Header.ofString("kafka_dlt-original-topic", "orders"),
                new Header("kafka_dlt-original-partition", new byte[] {0, 0, 0, 2}),
                new Header("kafka_dlt-original-offset", new byte[] {0, 0, 0, 0, 0, 0, 0, 41}),
                Header.ofString("kafka_dlt-exception-message", "boom"), Header.ofString("tenant", "acme")), "{}");
        ReplayPlan plan = ReplayPlanner.plan(List.of(dlt), KAFKA, ReplayOptions.builder().redrive(true).build());
        PlannedSend s = plan.sends().get(0);
        assertThat(s.targetChannel()).isEqualTo("orders");
        assertThat(s.partition()).isEqualTo(2);
        assertThat(s.headers()).extracting(Header::name).noneMatch(n -> n.startsWith("kafka_dlt-"));
        assertThat(s.header("tenant")).isEqualTo("acme");

        ReplayPlan kept = ReplayPlanner.plan(List.of(dlt), KAFKA,
                ReplayOptions.builder().redrive(true).keepDeadLetterHeaders(true).build());
        assertThat(kept.sends().get(0).header("kafka_dlt-original-topic")).isEqualTo("orders");
    }

    @Test
    void aDeadLetteredRabbitMessageIsRedrivenToTheExchangeAndRoutingKeyOfItsXDeath() {
        CapturedEvent dlq = new CapturedEvent(5, new io.eventlens.core.model.Channel(
                io.eventlens.core.model.ChannelKind.AMQP_QUEUE, "orders.dlq"),
                new io.eventlens.core.amqp.AmqpPosition("browse", "orders.dlq", "dlx", "orders.created", 1, false, null,
                        "orders.dlq", true), Instant.EPOCH, Instant.EPOCH, null,
                List.of(Header.ofString("amqp.correlation_id", "c"), Header.ofString("x-death",
                        "[{\"count\":1,\"reason\":\"rejected\",\"queue\":\"orders\",\"exchange\":\"shop\","
                                + "\"routing-keys\":[\"order.created\"]}]"),
                        Header.ofString("x-first-death-queue", "orders")),
                "{}".getBytes(StandardCharsets.UTF_8), io.eventlens.core.model.DerivedFields.NONE);
        ReplayTarget.Amqp amqp = new ReplayTarget.Amqp(AmqpCaptureConfig.builder().buildConnection(), EnvironmentLabel.LOCAL);
        ReplayPlan plan = ReplayPlanner.plan(List.of(dlq), amqp, ReplayOptions.builder().redrive(true).build());
        PlannedSend s = plan.sends().get(0);
        assertThat(s.targetChannel()).isEqualTo("shop");
        assertThat(s.routingKey()).isEqualTo("order.created");
        assertThat(s.headers()).extracting(Header::name).doesNotContain("x-death", "x-first-death-queue");
    }

    @Test
    void amqpTargetsTakeExchangeAndRoutingKeyFromTheMapElseTheCapturedRoutingKey() {
        CapturedEvent e = ReplayEvents.order(1, 0, "k1", 0, "c", "e-1", 1, "A");
        ReplayTarget.Amqp amqp = new ReplayTarget.Amqp(AmqpCaptureConfig.builder().buildConnection(), EnvironmentLabel.LOCAL);
        ReplayPlan mapped = ReplayPlanner.plan(List.of(e), amqp, ReplayOptions.builder().map("orders", "shop:order.placed").build());
        assertThat(mapped.sends().get(0).targetChannel()).isEqualTo("shop");
        assertThat(mapped.sends().get(0).routingKey()).isEqualTo("order.placed");
        ReplayPlan byKey = ReplayPlanner.plan(List.of(e), amqp, ReplayOptions.builder().map("orders", "shop").build());
        assertThat(byKey.sends().get(0).routingKey()).isEqualTo("k1");
        assertThat(byKey.sends().get(0).partition()).isNull();
    }

    @Test
    void declaredEventTimesMoveWithTheReplayInTheFormFoundAndRenewedIdsAreStablePerRun() throws Exception {
        Instant planned = Instant.parse("2026-12-01T08:00:00Z");
        CapturedEvent iso = ReplayEvents.kafka(1, "t", 0, 1, "k", 0, List.of(Header.ofString("correlationId", "c")),
                "{\"eventId\":\"e-1\",\"timestamp\":\"2026-11-22T11:59:59.500+02:00\"}");
        CapturedEvent millis = ReplayEvents.kafka(2, "t", 0, 2, "k", 1000, List.of(Header.ofString("correlationId", "c")),
                "{\"eventId\":\"e-2\",\"timestamp\":" + ReplayEvents.T0.plusMillis(900).toEpochMilli() + "}");
        ReplayOptions options = ReplayOptions.builder().timing(ReplayTiming.atSpeed(1)).build();
        ReplayPlan plan = ReplayPlanner.plan(List.of(iso, millis), KAFKA, options, "run-1", planned);
        // the first is due at the plan time, 0.5 s after its declared time as originally; the second 1 s later
        assertThat(payload(plan.sends().get(0)).get("timestamp").asText()).isEqualTo("2026-12-01T09:59:59.500+02:00");
        assertThat(payload(plan.sends().get(1)).get("timestamp").asLong())
                .isEqualTo(planned.plusMillis(900).toEpochMilli());
        assertThat(plan.sends().get(0).rewrites()).anyMatch(r -> r.startsWith("eventTime shifted by"));

        ReplayPlan again = ReplayPlanner.plan(List.of(iso, millis), KAFKA, options, "run-1", planned.plusSeconds(60));
        assertThat(again.sends()).extracting(PlannedSend::eventId)
                .isEqualTo(plan.sends().stream().map(PlannedSend::eventId).toList());
        ReplayPlan kept = ReplayPlanner.plan(List.of(iso), KAFKA, ReplayOptions.builder().shiftEventTimes(false).build());
        assertThat(payload(kept.sends().get(0)).get("timestamp").asText()).isEqualTo("2026-11-22T11:59:59.500+02:00");
    }
}
