package io.eventlens.core.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.ContractCheck;
import io.eventlens.core.analysis.ContractViolation;
import io.eventlens.core.analysis.ProbePosition;
import io.eventlens.core.analysis.QuickOutcome;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The flow summaries' quick path for flows with nothing found but lag ({@link TimelineAnalyzer#quickOutcome}, {@link FlowSummary#summarize})
 * gives exactly the summary of the full analysis, {@code FlowSummary.of(analyzer.analyze(...))}, on
 * many generated flows: duplicates and redeliveries, the same message read twice, dead letters and
 * retries (by channel name, configured, by headers in any letter case), delivery attempts, sequences
 * out of order and restarting, lag between steps and against the declared time, clock skew, broker
 * timestamps, several sources (Kafka, probes, another kind, a non-Kafka position of kind "kafka"),
 * keys whose text coincides, foreign probe events, ties in observed time, and flows larger than the
 * quick path looks at.
 */
class FlowSummaryQuickPathTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String[] PLAIN = {"orders", "payments", "inventory"};
    private static final String[] COPIES = {"orders.DLT", "orders-retry-0", "dead-letter-queue", "parking", "ORDERS_dlq"};

    private static final List<TimelineAnalyzer> ANALYZERS = List.of(
            TimelineAnalyzer.withDefaults(),
            new TimelineAnalyzer(AnalysisSettings.defaults().withLagSlo(Duration.ofMillis(40))
                    .withChannelLagSlo("payments", Duration.ofMillis(400))
                    .withClockSkewTolerance(Duration.ofMillis(30))
                    .withDeadLetterChannels(Set.of("parking"))),
            new TimelineAnalyzer(AnalysisSettings.defaults().withPayloadMember("probe", "/payload")),
            // contracts: an event whose payload is not JSON breaks its channel's contract
            TimelineAnalyzer.withDefaults().withContracts((event, channel) -> new ContractCheck("c-" + channel, null, "channel",
                    event.payloadSize() > 0 && event.payload()[0] == '{' ? List.of()
                            : List.of(new ContractViolation("", "type", "object", "text", "not JSON")))));

    @Test
    void theQuickSummaryIsTheFullAnalysisSummaryOnGeneratedFlows() {
        Random random = new Random(20261130);
        int quick = 0;
        int lagged = 0;
        int full = 0;
        Map<VerdictKind, Integer> verdicts = new EnumMap<>(VerdictKind.class);
        for (int round = 0; round < 12_000; round++) {
            List<CapturedEvent> events = flow(random, round);
            TimelineAnalyzer analyzer = ANALYZERS.get(round % ANALYZERS.size());
            String id = "flow-" + round;
            Timeline timeline = analyzer.analyze(id, events);
            FlowSummary expected = FlowSummary.of(timeline);
            assertThat(FlowSummary.summarize(analyzer, id, events)).as("round %d: %s", round, events).isEqualTo(expected);
            QuickOutcome outcome = analyzer.quickOutcome(id, events);
            if (outcome != null) {
                quick++;
                // what the quick path claims holds of the full timeline too
                assertThat(outcome.verdict()).as("round %d", round).isEqualTo(timeline.verdict());
                assertThat(timeline.entries()).allSatisfy(e -> {
                    assertThat(e.anomalies()).allMatch(a -> a.kind() == AnomalyKind.LAG);
                    assertThat(e.observations()).hasSize(1);
                });
                assertThat(outcome.lagFindings()).isEqualTo(timeline.anomalyCounts().get(AnomalyKind.LAG));
                assertThat(outcome.eventCount()).isEqualTo(events.size());
                if (outcome.lagFindings() > 0) {
                    lagged++;
                }
            } else {
                full++;
            }
            verdicts.merge(timeline.verdict().kind(), 1, Integer::sum);
        }
        // the generated flows reach both paths and every verdict the analysis alone gives
        assertThat(quick).isGreaterThan(2_000);
        assertThat(full).isGreaterThan(2_000);
        assertThat(lagged).isGreaterThan(500);
        assertThat(verdicts).containsKeys(VerdictKind.HEALTHY, VerdictKind.DEAD_LETTERED, VerdictKind.CONFLICTING_DUPLICATE,
                VerdictKind.OUT_OF_ORDER, VerdictKind.LAG, VerdictKind.ISOLATION_BROKEN);
    }

    @Test
    void eachRuleThatFindsSomethingLeavesTheFlowToTheFullAnalysis() {
        TimelineAnalyzer analyzer = TimelineAnalyzer.withDefaults();
        List<CapturedEvent> healthy = benchFlow();
        assertThat(analyzer.quickOutcome("c", healthy)).isNotNull();
        assertThat(FlowSummary.summarize(analyzer, "c", healthy).category()).isEqualTo(FlowCategory.HEALTHY);

        // a redelivery (same ID, same payload, same channel)
        List<CapturedEvent> dup = new ArrayList<>(healthy);
        dup.add(copy(healthy.get(1), 10, healthy.get(1).observedAt().plusMillis(5), 7, null, null));
        assertQuickIsFull(analyzer, dup, AnomalyKind.DUPLICATE);
        // the same message read twice: one entry with two observations
        List<CapturedEvent> twice = new ArrayList<>(healthy);
        twice.add(new CapturedEvent(11, healthy.get(2).channel(), healthy.get(2).source(), healthy.get(2).observedAt(),
                healthy.get(2).capturedAt(), healthy.get(2).key(), healthy.get(2).headers(), healthy.get(2).payload(),
                healthy.get(2).derived()));
        assertThat(analyzer.quickOutcome("c", twice)).isNull();
        assertThat(FlowSummary.summarize(analyzer, "c", twice)).isEqualTo(FlowSummary.of(analyzer.analyze("c", twice)));
        // a sequence going back
        List<CapturedEvent> back = new ArrayList<>(healthy);
        back.add(copy(healthy.get(3), 12, healthy.get(3).observedAt().plusMillis(1), 99, 2L, "e-new"));
        assertQuickIsFull(analyzer, back, AnomalyKind.OUT_OF_ORDER);
        // a delivery-attempt header above 1 (any letter case)
        CapturedEvent retried = withHeaders(healthy.get(3), List.of(new Header("KAFKA_DELIVERYATTEMPT",
                ByteBuffer.allocate(4).putInt(3).array())));
        assertQuickIsFull(analyzer, List.of(healthy.get(0), healthy.get(1), healthy.get(2), retried), AnomalyKind.RETRIED);
        // dead-letter headers on a plain channel
        CapturedEvent dead = withHeaders(healthy.get(3), List.of(Header.ofString("Kafka_DLT-Exception-Message", "boom")));
        assertQuickIsFull(analyzer, List.of(healthy.get(0), healthy.get(1), healthy.get(2), dead), AnomalyKind.DEAD_LETTERED);
        // a foreign probe event
        CapturedEvent foreign = withHeaders(healthy.get(3), List.of(Header.ofString(Header.PROBE_FOREIGN_CORRELATION_ID, "x")));
        assertQuickIsFull(analyzer, List.of(healthy.get(0), healthy.get(1), healthy.get(2), foreign), AnomalyKind.FOREIGN_EVENT);
        // lag between steps: the quick path's LAG verdict
        CapturedEvent late = copy(healthy.get(3), 4, healthy.get(3).observedAt().plusSeconds(3), 4, 4L, null);
        List<CapturedEvent> lagging = List.of(healthy.get(0), healthy.get(1), healthy.get(2), late);
        assertThat(analyzer.quickOutcome("c", lagging).verdict()).isEqualTo(analyzer.analyze("c", lagging).verdict());
        assertThat(FlowSummary.summarize(analyzer, "c", lagging).category()).isEqualTo(FlowCategory.LAG);
        assertThat(FlowSummary.summarize(analyzer, "c", lagging)).isEqualTo(FlowSummary.of(analyzer.analyze("c", lagging)));
    }

    @Test
    void aSequenceIsComparedWithTheLatestEarlierEventOfItsOwnStream() {
        TimelineAnalyzer analyzer = TimelineAnalyzer.withDefaults();
        // streams differing in channel, partition, key, or key text; and two keys of the same text
        String[][] others = {{"payments", "0", "k"}, {"orders", "1", "k"}, {"orders", "0", "j"}, {"orders", "0", null}};
        for (String[] other : others) {
            // 3 in the stream, 1 in another, then 2 in the stream: out of order against the 3
            List<CapturedEvent> back = List.of(
                    stepOn("orders", 0, "k", 1, 3), stepOn(other[0], Integer.parseInt(other[1]), other[2], 2, 1),
                    stepOn("orders", 0, "k", 3, 2));
            assertQuickIsFull(analyzer, back, AnomalyKind.OUT_OF_ORDER);
            // 1 in the stream, 5 in another, then 2 in the stream: in order
            List<CapturedEvent> ahead = List.of(
                    stepOn("orders", 0, "k", 1, 1), stepOn(other[0], Integer.parseInt(other[1]), other[2], 2, 5),
                    stepOn("orders", 0, "k", 3, 2));
            assertThat(analyzer.quickOutcome("c", ahead)).as("%s", (Object) other).isNotNull();
            assertThat(FlowSummary.summarize(analyzer, "c", ahead)).isEqualTo(FlowSummary.of(analyzer.analyze("c", ahead)));
        }
        // keys of different bytes and the same text ("0x01" and the byte 01, shown as 0x01) are one stream
        List<CapturedEvent> sameText = List.of(stepOn("orders", 0, "0x01", 1, 3), stepOn("orders", 0, "\u0001", 2, 2));
        assertQuickIsFull(analyzer, sameText, AnomalyKind.OUT_OF_ORDER);
    }

    @Test
    void theLagVerdictNamesTheFirstOfTheWorstFindingsAsTheAnalysisDoes() {
        TimelineAnalyzer analyzer = TimelineAnalyzer.withDefaults();
        // two gaps of 3 s (a tie: the first is named), then an event declared 9 s before it was observed (the worst)
        List<CapturedEvent> tie = List.of(stepAt(1, 0, 0), stepAt(2, 3_000, 3_000), stepAt(3, 6_000, 6_000));
        List<CapturedEvent> declaredLate = List.of(stepAt(1, 0, 0), stepAt(2, 3_000, 3_000), stepAt(3, 4_000, -5_000));
        List<CapturedEvent> single = List.of(stepAt(1, 0, 0), stepAt(2, 2_001, 2_001));
        for (List<CapturedEvent> events : List.of(tie, declaredLate, single)) {
            Timeline timeline = analyzer.analyze("c", events);
            assertThat(timeline.verdict().kind()).isEqualTo(VerdictKind.LAG);
            assertThat(analyzer.quickOutcome("c", events).verdict()).isEqualTo(timeline.verdict());
            assertThat(FlowSummary.summarize(analyzer, "c", events)).isEqualTo(FlowSummary.of(timeline));
        }
        assertThat(analyzer.quickOutcome("c", tie).verdict().atSeq()).isEqualTo(2);
        assertThat(analyzer.quickOutcome("c", declaredLate).verdict().message()).contains("after its declared event time");
    }

    /** Step {@code seq} of flow "c" on orders, observed {@code atMs} after T0, declaring {@code declaredMs}. */
    private static CapturedEvent stepAt(long seq, long atMs, long declaredMs) {
        Instant at = T0.plusMillis(atMs);
        return event(seq, "orders", new SourcePosition.Kafka(0, seq, TimestampType.CREATE_TIME), at, "c", "e-" + seq,
                seq, T0.plusMillis(declaredMs), "json /timestamp", "k", "{\"n\":" + seq + "}", List.of());
    }

    /** A step of flow "c" on a channel, partition and key (null for none) with store sequence {@code seq} and a sequence. */
    private static CapturedEvent stepOn(String channel, int partition, String key, long seq, long sequence) {
        Instant at = T0.plusMillis(seq);
        return event(seq, channel, new SourcePosition.Kafka(partition, seq, TimestampType.CREATE_TIME), at, "c", "e-" + seq,
                sequence, at, "json /timestamp", key, "{\"n\":" + seq + "}", List.of());
    }

    private static void assertQuickIsFull(TimelineAnalyzer analyzer, List<CapturedEvent> events, AnomalyKind found) {
        assertThat(analyzer.quickOutcome("c", events)).isNull();
        Timeline timeline = analyzer.analyze("c", events);
        assertThat(timeline.has(found)).isTrue();
        assertThat(FlowSummary.summarize(analyzer, "c", events)).isEqualTo(FlowSummary.of(timeline));
    }

    /** Four events as the whole-process benchmark produces them: one topic, one partition, sequences 1..4. */
    private static List<CapturedEvent> benchFlow() {
        List<CapturedEvent> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instant at = T0.plusMillis(i);
            out.add(event(i + 1, "bench-orders", new SourcePosition.Kafka(1, 40 + i, TimestampType.CREATE_TIME), at,
                    "bench-1", "e-" + i, (long) i + 1, at, "json /timestamp", "k", "{\"n\":" + i + "}", List.of()));
        }
        return out;
    }

    /** The event at another time and offset, with another sequence and event ID when given. */
    private static CapturedEvent copy(CapturedEvent e, long seq, Instant at, long offset, Long sequence, String eventId) {
        SourcePosition.Kafka k = (SourcePosition.Kafka) e.source();
        return new CapturedEvent(seq, e.channel(), new SourcePosition.Kafka(k.partition(), offset, k.timestampType()), at, at,
                e.key(), e.headers(), e.payload(), new DerivedFields(e.derived().correlationId(),
                eventId == null ? e.derived().eventId() : new Derived<>(eventId, "header ce_id"),
                e.derived().eventType(), e.derived().eventTime(),
                sequence == null ? e.derived().sequence() : new Derived<>(sequence, "json /sequence"), null));
    }

    private static CapturedEvent withHeaders(CapturedEvent e, List<Header> headers) {
        return new CapturedEvent(e.seq(), e.channel(), e.source(), e.observedAt(), e.capturedAt(), e.key(), headers,
                e.payload(), e.derived());
    }

    // ---- generated flows ---------------------------------------------------------------------

    /**
     * A flow: a third shaped like healthy traffic, a third mild (distinct IDs and messages on plain
     * channels, but partitions, sequences, keys and sources mixed), a third anything.
     */
    private static List<CapturedEvent> flow(Random r, int round) {
        int mode = r.nextInt(3);
        boolean wild = mode == 2;
        boolean mild = mode == 1;
        int n = r.nextInt(20) == 0 ? 30 + r.nextInt(8) : 1 + r.nextInt(wild ? 8 : 6);
        String[] idPool = new String[wild ? 1 + r.nextInt(n + 1) : n];
        for (int i = 0; i < idPool.length; i++) {
            idPool[i] = "e-" + round + "-" + i;
        }
        String[] payloads = {"{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", "{\"a\":1}", "not json", "{\"payload\":{\"a\":1,\"b\":2}}"};
        List<CapturedEvent> out = new ArrayList<>(n);
        long atMs = r.nextInt(1000);
        long[] offsets = {r.nextInt(3), r.nextInt(3), r.nextInt(3)};
        long sequence = 1;
        for (int i = 0; i < n; i++) {
            // observed time: mostly a few ms later; sometimes equal, earlier, or seconds later
            int gap = r.nextInt(mild ? 9 : 10);   // mild flows: no lag, no clock skew
            atMs += gap < 6 ? r.nextInt(5) : gap < 8 ? 0 : gap < 9 ? -r.nextInt(20) : 1_000 + r.nextInt(3_000);
            Instant at = T0.plusMillis(atMs);
            String channel = !wild || r.nextInt(4) > 0 ? PLAIN[r.nextInt(wild ? 3 : 2)] : COPIES[r.nextInt(COPIES.length)];
            SourcePosition position = position(r, wild || mild, !wild, mild ? 2 : 3, offsets);
            String id = wild && r.nextInt(6) == 0 ? null : wild ? idPool[r.nextInt(idPool.length)] : idPool[i];
            Long seqValue = r.nextInt(8) == 0 ? null : (wild || mild) && r.nextInt(3) == 0 ? (long) r.nextInt(5) : sequence++;
            // event time: declared now, declared a little or far off, from the broker, or none
            int t = mild ? 7 + r.nextInt(3) : r.nextInt(10);
            Instant eventTime;
            String rule = "json /timestamp";
            if (t < 5) {
                eventTime = at.minusMillis(r.nextInt(3));
            } else if (t < 6) {
                eventTime = at.minusMillis(r.nextInt(6_000));
            } else if (t < 7) {
                eventTime = at.plusMillis(r.nextInt(2_000));
            } else if (t < 8) {
                eventTime = at;
                rule = "broker timestamp (CreateTime)";
            } else {
                eventTime = null;
            }
            // keys: the flow's own, none, and two whose text is the same ("0x01": bytes 30 78 30 31, and 01 as hex)
            String key = switch (mild ? (r.nextInt(3) > 0 ? 0 : 3 + r.nextInt(2)) : r.nextInt(wild ? 5 : 2)) {
                case 0, 1 -> "k-" + round;
                case 2 -> null;
                case 3 -> "0x01";
                default -> "\u0001";
            };
            String payload = wild ? payloads[r.nextInt(payloads.length)] : "{\"n\":" + i + "}";
            List<Header> headers = wild && r.nextInt(3) == 0 ? headers(r) : List.of(Header.ofString("correlationId", "c"));
            out.add(event(wild && r.nextInt(5) == 0 ? r.nextInt(3) : i + 1, channel, position, at, "c-" + round, id, seqValue,
                    eventTime, rule, key, payload, headers));
        }
        if (r.nextBoolean()) {
            java.util.Collections.shuffle(out, r);
        }
        return out;
    }

    private static SourcePosition position(Random r, boolean mixed, boolean distinct, int partitions, long[] offsets) {
        int kind = mixed ? r.nextInt(8) : 0;
        int partition = r.nextInt(partitions);
        long offset = !distinct && r.nextInt(6) == 0 ? offsets[partition] : offsets[partition]++;
        return switch (kind) {
            case 5 -> new ProbePosition(r.nextBoolean() ? null : "answer-" + (distinct ? offset : r.nextInt(3)));
            case 6 -> new Other("amqp", distinct ? "q@" + offset : r.nextInt(3) + "@" + r.nextInt(3), r.nextBoolean() ? "queue" : null);
            case 7 -> new Other("kafka", partition + "@" + offset, "partition " + partition);
            default -> new SourcePosition.Kafka(partition, offset,
                    r.nextInt(5) == 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME);
        };
    }

    private static List<Header> headers(Random r) {
        List<Header> h = new ArrayList<>();
        h.add(Header.ofString("correlationId", "c"));
        switch (r.nextInt(9)) {
            case 0 -> h.add(new Header("kafka_deliveryAttempt", ByteBuffer.allocate(4).putInt(1 + r.nextInt(3)).array()));
            case 1 -> h.add(Header.ofString("RETRY_TOPIC-ATTEMPTS", String.valueOf(1 + r.nextInt(3))));
            case 2 -> h.add(Header.ofString("x-death", "[{\"count\":" + (1 + r.nextInt(3)) + ",\"queue\":\"orders\"}]"));
            case 3 -> {
                h.add(Header.ofString("kafka_dlt-original-topic", "orders"));
                h.add(new Header("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(r.nextInt(3)).array()));
                h.add(new Header("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(r.nextInt(3)).array()));
            }
            case 4 -> h.add(Header.ofString(Header.PROBE_FOREIGN_CORRELATION_ID, "other"));
            case 5 -> h.add(Header.ofString("\u212Aafka_dlt-exception-message", "Kelvin"));   // lower-cases to kafka_dlt-
            case 6 -> h.add(Header.ofString("x-f\u0130rst-death-queue", "orders"));            // lower-cases longer: none
            case 7 -> {
                h.add(Header.ofString("kafka_original-topic", "orders"));
                h.add(Header.ofString("KAFKA_EXCEPTION-MESSAGE", "boom"));
            }
            default -> h.add(Header.ofString("x-exception-message", "boom"));
        }
        return h;
    }

    private static CapturedEvent event(long seq, String channel, SourcePosition position, Instant at, String correlationId,
                                       String eventId, Long sequence, Instant eventTime, String timeRule, String key,
                                       String payload, List<Header> headers) {
        DerivedFields derived = new DerivedFields(
                new Derived<>(correlationId, "header correlationId"),
                eventId == null ? null : new Derived<>(eventId, "header ce_id"),
                new Derived<>("Step", "json /type"),
                eventTime == null ? null : new Derived<>(eventTime, timeRule),
                sequence == null ? null : new Derived<>(sequence, "json /sequence"),
                null);
        return new CapturedEvent(seq, Channel.kafkaTopic(channel), position, at, at,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), headers,
                payload.getBytes(StandardCharsets.UTF_8), derived);
    }

    /** Another source's position (possibly of kind "kafka" without being a Kafka position). */
    private record Other(String kind, String coordinates, String stream) implements SourcePosition {
        @Override
        public String sourceKind() {
            return kind;
        }

        @Override
        public String orderingStream() {
            return stream;
        }

        @Override
        public String messageCoordinates() {
            return coordinates;
        }

        @Override
        public String describe() {
            return coordinates;
        }

        @Override
        public Map<String, Object> attributes() {
            return new LinkedHashMap<>();
        }

        @Override
        public String observedTimeMeaning() {
            return "capture time";
        }
    }
}
