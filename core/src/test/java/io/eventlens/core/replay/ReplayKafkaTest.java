package io.eventlens.core.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.ReplayLog;
import io.eventlens.core.store.ReplayLog.Outcome;
import io.eventlens.core.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replay into a real in-process Kafka broker: what the broker received (keys, headers, partitions,
 * rewrites, per-key order), the replay log, a failed and an unknown send mid-way and their resume
 * without duplicates, gap fidelity as ratios, and the capture and comparison of the replayed flow.
 */
class ReplayKafkaTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger TOPICS = new AtomicInteger();

    @TempDir
    Path dir;

    private ReplayTarget.Kafka target() {
        return new ReplayTarget.Kafka(KAFKA.bootstrapServers(), Map.of(), EnvironmentLabel.LOCAL);
    }

    /** Twelve events of flow c-1 on 3 partitions, keys k0..k2 (partition = key index), sequence per key. */
    private static List<CapturedEvent> flow() {
        List<CapturedEvent> out = new ArrayList<>();
        int[] perKey = new int[3];
        for (int i = 0; i < 12; i++) {
            int k = i % 3;
            out.add(ReplayEvents.order(i + 1, k, "k" + k, i * 5L, "c-1", "e-" + i, ++perKey[k], "Step" + (i % 4)));
        }
        return out;
    }

    private CaptureStore storeWith(List<CapturedEvent> events) {
        CaptureStore store = CaptureStore.open(dir.resolve("capture-" + TOPICS.incrementAndGet()));
        store.append(events, List.of());
        return store;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long total = end.values().stream().mapToLong(Long::longValue).sum();
            assertThat(total).as("records on " + topic).isEqualTo(expected);
            long deadline = System.nanoTime() + InProcessKafka.WAIT.toNanos();
            while (out.size() < total && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void theBrokerReceivesKeysHeadersPartitionsAndRewritesInPerKeyOrder() throws Exception {
        String topic = "replayed-" + TOPICS.incrementAndGet();
        KAFKA.createTopic(topic, 3);
        try (CaptureStore store = storeWith(flow())) {
            List<CapturedEvent> selected = ReplaySelection.ofCorrelationId("c-1").select(store);
            ReplayPlan plan = ReplayPlanner.plan(selected, target(), ReplayOptions.builder().map("orders", topic).build());
            ReplayResult result;
            try (KafkaReplaySender sender = KafkaReplaySender.connect(target(), plan.targetChannels(), Duration.ofSeconds(20))) {
                assertThat(sender.clusterId()).isNotBlank();
                result = new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}");
            }
            assertThat(result.state()).isEqualTo("COMPLETED");
            assertThat(result.sentNow()).isEqualTo(12);

            List<ConsumerRecord<byte[], byte[]>> got = readAll(topic, 12);
            Map<String, List<Integer>> sequencesByKey = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : got) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                assertThat(r.partition()).as("partition of " + key).isEqualTo(Integer.parseInt(key.substring(1)));
                assertThat(header(r, "correlationId")).isEqualTo(plan.replayCorrelationId());
                assertThat(header(r, "tenant")).isEqualTo("acme");
                assertThat(header(r, Rewrites.REPLAY_ID_HEADER)).isEqualTo(plan.replayId());
                var body = JSON.readTree(r.value());
                assertThat(body.get("correlationId").asText()).isEqualTo(plan.replayCorrelationId());
                assertThat(body.get("eventId").asText()).doesNotStartWith("e-");
                sequencesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(body.get("sequence").asInt());
            }
            // per key, in each partition's offset order, the sequences are the original order
            assertThat(sequencesByKey).hasSize(3).allSatisfy((k, seqs) -> assertThat(seqs).containsExactly(1, 2, 3, 4));

            ReplayLog.Run run = store.replayLog().run(plan.replayId());
            assertThat(run.state()).isEqualTo("COMPLETED");
            assertThat(run.targetClusterId()).isNotBlank();
            assertThat(store.replayLog().sends(plan.replayId())).hasSize(12)
                    .allSatisfy(s -> {
                        assertThat(s.outcome()).isEqualTo(Outcome.SENT);
                        assertThat(s.resultOffset()).isNotNull();
                        assertThat(s.resultPartition()).isEqualTo(s.askedPartition());
                        assertThat(s.attempts()).isEqualTo(1);
                    });
        }
    }

    /** Fails (refused) or loses (unknown outcome, after really sending) the send with index {@code at}. */
    private static final class Faulty implements ReplaySender {
        final ReplaySender real;
        final int at;
        final boolean unknown;

        Faulty(ReplaySender real, int at, boolean unknown) {
            this.real = real;
            this.at = at;
            this.unknown = unknown;
        }

        @Override
        public String clusterId() {
            return real.clusterId();
        }

        @Override
        public Result send(PlannedSend send) throws Exception {
            if (send.index() == at) {
                if (unknown) {
                    real.send(send);
                    throw new OutcomeUnknownException("connection lost before the acknowledgement", null);
                }
                throw new ReplayException("broker refused the record (test)");
            }
            return real.send(send);
        }

        @Override
        public Map<Integer, Result> findSent(String replayId, Collection<String> channels, Instant since,
                                             Collection<Integer> indexes) {
            return real.findSent(replayId, channels, since, indexes);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void aFailedSendMidWayIsReportedAndTheResumeSendsTheRestOnce() {
        String topic = "failing-" + TOPICS.incrementAndGet();
        KAFKA.createTopic(topic, 3);
        try (CaptureStore store = storeWith(flow())) {
            ReplayPlan plan = ReplayPlanner.plan(flow(), target(), ReplayOptions.builder().map("orders", topic).build());
            ReplayResult first;
            try (ReplaySender sender = new Faulty(KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20)), 5, false)) {
                first = new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}");
            }
            assertThat(first.state()).isEqualTo("FAILED");
            assertThat(first.sentNow()).isEqualTo(5);
            assertThat(first.sends()).last().satisfies(r -> {
                assertThat(r.index()).isEqualTo(5);
                assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                assertThat(r.message()).contains("refused");
            });
            assertThat(store.replayLog().sends(plan.replayId())).extracting(ReplayLog.Send::outcome)
                    .containsExactly(Outcome.SENT, Outcome.SENT, Outcome.SENT, Outcome.SENT, Outcome.SENT, Outcome.FAILED,
                            Outcome.PLANNED, Outcome.PLANNED, Outcome.PLANNED, Outcome.PLANNED, Outcome.PLANNED, Outcome.PLANNED);

            ReplayResult resumed;
            try (KafkaReplaySender sender = KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20))) {
                resumed = new ReplayRunner(sender, store.replayLog(), null).resume(plan.replayId(), false);
            }
            assertThat(resumed.state()).isEqualTo("COMPLETED");
            assertThat(resumed.alreadySent()).isEqualTo(5);
            assertThat(resumed.sentNow()).isEqualTo(7);
            List<String> sendIndexes = readAll(topic, 12).stream().map(r -> header(r, Rewrites.REPLAY_SEND_HEADER)).toList();
            assertThat(sendIndexes).doesNotHaveDuplicates().hasSize(12);
        }
    }

    @Test
    void aSendOfUnknownOutcomeIsFoundOnTheTargetByItsMarkerAndNotSentAgain() {
        String topic = "unknown-" + TOPICS.incrementAndGet();
        KAFKA.createTopic(topic, 3);
        try (CaptureStore store = storeWith(flow())) {
            ReplayPlan plan = ReplayPlanner.plan(flow(), target(), ReplayOptions.builder().map("orders", topic).build());
            ReplayResult first;
            try (ReplaySender sender = new Faulty(KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20)), 3, true)) {
                first = new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}");
            }
            assertThat(first.state()).isEqualTo("FAILED");
            assertThat(store.replayLog().sends(plan.replayId()).get(3).outcome()).isEqualTo(Outcome.IN_FLIGHT);

            ReplayResult resumed;
            try (KafkaReplaySender sender = KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20))) {
                resumed = new ReplayRunner(sender, store.replayLog(), null).resume(plan.replayId(), false);
            }
            assertThat(resumed.reconciled()).isEqualTo(1);
            assertThat(resumed.alreadySent()).isEqualTo(4);
            assertThat(resumed.sentNow()).isEqualTo(8);
            assertThat(store.replayLog().sends(plan.replayId()).get(3).error()).contains("replay marker");
            List<String> sendIndexes = readAll(topic, 12).stream().map(r -> header(r, Rewrites.REPLAY_SEND_HEADER)).toList();
            assertThat(sendIndexes).doesNotHaveDuplicates().hasSize(12);
        }
    }

    @Test
    void aCancelledReplayStopsAfterTheSendInProgressAndResumes() {
        String topic = "cancelled-" + TOPICS.incrementAndGet();
        KAFKA.createTopic(topic, 3);
        try (CaptureStore store = storeWith(flow())) {
            ReplayPlan plan = ReplayPlanner.plan(flow(), target(), ReplayOptions.builder().map("orders", topic).build());
            ReplayResult first;
            try (KafkaReplaySender sender = KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20))) {
                ReplayRunner[] runner = new ReplayRunner[1];
                runner[0] = new ReplayRunner(sender, store.replayLog(), new ReplayRunner.Listener() {
                    @Override
                    public void sent(ReplayResult.SendReport report, int done, int total) {
                        if (done == 4) {
                            runner[0].cancel();
                        }
                    }
                });
                first = runner[0].run(plan, "local", "{}");
            }
            assertThat(first.state()).isEqualTo("CANCELLED");
            assertThat(first.sentNow()).isEqualTo(4);
            assertThat(store.replayLog().run(plan.replayId()).state()).isEqualTo("CANCELLED");
            ReplayResult resumed;
            try (KafkaReplaySender sender = KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20))) {
                resumed = new ReplayRunner(sender, store.replayLog(), null).resume(plan.replayId(), false);
            }
            assertThat(resumed.completed()).isTrue();
            assertThat(resumed.sentNow()).isEqualTo(8);
            assertThat(readAll(topic, 12)).extracting(r -> header(r, Rewrites.REPLAY_SEND_HEADER)).doesNotHaveDuplicates();
        }
    }

    @Test
    void achievedGapsMatchTheAskedOnesAsRatiosWithinAGenerousTolerance() {
        String topic = "timed-" + TOPICS.incrementAndGet();
        KAFKA.createTopic(topic, 1);
        List<CapturedEvent> events = new ArrayList<>();
        long[] at = {0, 300, 900, 1500, 1800};
        for (int i = 0; i < at.length; i++) {
            events.add(ReplayEvents.order(i + 1, 0, "k", at[i], "c-t", "e-" + i, i + 1, "T"));
        }
        try (CaptureStore store = storeWith(events)) {
            ReplayPlan plan = ReplayPlanner.plan(events, target(), ReplayOptions.builder().map("orders", topic)
                    .timing(ReplayTiming.atSpeed(3)).build());
            ReplayResult result;
            try (KafkaReplaySender sender = KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20))) {
                result = new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}");
            }
            assertThat(result.state()).isEqualTo("COMPLETED");
            GapFidelity g = result.gapFidelity();
            assertThat(g.gaps()).isEqualTo(4);
            // a gap is never early (the runner waits for each due time); lateness is bounded generously
            assertThat(g.minRatio()).isGreaterThan(0.5);
            assertThat(g.medianRatio()).isBetween(0.8, 3.0);
        }
    }

    @Test
    void aMissingTargetTopicFailsBeforeAnythingIsSent() {
        assertThatThrownBy(() -> KafkaReplaySender.connect(target(), List.of("no-such-topic-" + TOPICS.incrementAndGet()),
                Duration.ofSeconds(20))).hasMessageContaining("unknown topic");
    }

    @Test
    void theReplayedFlowIsCapturedByItsNewCorrelationIdAndComparedWithTheOriginal() {
        String topic = "compared-" + TOPICS.incrementAndGet();
        KAFKA.createTopic(topic, 3);
        try (CaptureStore store = storeWith(flow()); CaptureStore replayStore = CaptureStore.open(dir.resolve("replayed"))) {
            ReplayPlan plan = ReplayPlanner.plan(flow(), target(), ReplayOptions.builder().map("orders", topic).build());
            KafkaSource source = new KafkaSource(KafkaCaptureConfig.builder(KAFKA.bootstrapServers()).topic(topic)
                    .startPosition(new StartPosition.Latest()).build());
            ReplayComparison comparison;
            try (ReplayFlowCapture capture = ReplayFlowCapture.start(source, replayStore, EventExtractor.withDefaults(),
                    Duration.ofSeconds(30));
                 KafkaReplaySender sender = KafkaReplaySender.connect(target(), List.of(topic), Duration.ofSeconds(20))) {
                new ReplayRunner(sender, store.replayLog(), null).run(plan, "local", "{}");
                var replayed = capture.finish(plan.replayCorrelationId(), Duration.ofSeconds(2), TimelineAnalyzer.withDefaults());
                var original = TimelineAnalyzer.withDefaults().analyze("c-1", store.findByCorrelationId("c-1"));
                comparison = ReplayComparison.compare(original, replayed);
            }
            assertThat(comparison.replayEvents()).isEqualTo(12);
            assertThat(comparison.missingSteps()).isEmpty();
            assertThat(comparison.extraSteps()).isEmpty();
            assertThat(comparison.outcome()).isEqualTo(ReplayComparison.Outcome.REPRODUCED);
            assertThat(replayStore.findByCorrelationId(plan.replayCorrelationId()))
                    .allMatch(e -> plan.replayId().equals(e.header(Rewrites.REPLAY_ID_HEADER).valueAsString()));
        }
    }

}
