package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventlens.core.analysis.Consumption;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineJson;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CompositeSource;
import io.eventlens.core.consumers.ConsumerFollowConfig;
import io.eventlens.core.consumers.ConsumerProgress;
import io.eventlens.core.consumers.ConsumptionIndex;
import io.eventlens.core.consumers.GroupPoll;
import io.eventlens.core.consumers.TimePrecision;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.InProcessKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ConsumerGroupFollower} beside a Kafka capture, against a real broker with real consumer
 * groups that commit, stall, rebalance and die (docs/decisions/0021-consumer-groups.md): the commit
 * history, the group states, the per-event consumption and the verdicts.
 */
class ConsumerGroupFollowerTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @TempDir
    Path dir;

    /** Threads of their own: the common pool has one thread on a 2-CPU machine, too few for a pipeline and members. */
    private static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool();

    @org.junit.jupiter.api.AfterAll
    static void stopThreads() {
        THREADS.shutdownNow();
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = KAFKA.producer()) {
            for (int i = 0; i < count; i++) {
                String json = "{\"eventId\":\"e-" + i + "\",\"correlationId\":\"c-" + i + "\",\"type\":\"OrderPlaced\"}";
                p.send(new ProducerRecord<>(topic, 0, null, ("k" + i).getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** Reads and commits record by record until {@code upTo} (exclusive) is committed. */
    private static void consumeAndCommit(KafkaConsumer<byte[], byte[]> c, String topic, long upTo) {
        TopicPartition tp = new TopicPartition(topic, 0);
        long committed = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (committed < upTo && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                if (r.offset() < upTo) {
                    committed = r.offset() + 1;
                    c.commitSync(Map.of(tp, new OffsetAndMetadata(committed)));
                }
            }
        }
        assertThat(committed).as("%s committed", topic).isEqualTo(upTo);
    }

    private static KafkaCaptureConfig capture(String topic) {
        return KafkaCaptureConfig.builder(KAFKA.bootstrapServers()).topics(List.of(topic))
                .startPosition(new StartPosition.Earliest()).build();
    }

    @Test
    void eachEventSaysWhichGroupsCommittedPastItAndAGroupThatDiedOrStalledStopsTheFlow() throws Exception {
        String topic = "cg-orders";
        KAFKA.createTopic(topic, 1);
        produce(topic, 6);
        ConsumerFollowConfig follow = new ConsumerFollowConfig(List.of("inventory", "billing", "shipping"),
                Duration.ofMillis(100), true);
        AtomicBoolean stopShipping = new AtomicBoolean();
        try (CaptureStore store = CaptureStore.open(dir.resolve("cg.mv.db"))) {
            ConsumerGroupFollower follower = new ConsumerGroupFollower(capture(topic), follow, store::appendConsumerProgress);
            CapturePipeline pipeline = new CapturePipeline(new CompositeSource(List.of(new KafkaSource(capture(topic)),
                    follower)), store, EventExtractor.withDefaults(), capture(topic).limits());
            CompletableFuture<?> run = CompletableFuture.runAsync(() -> pipeline.run(io.eventlens.core.capture.CaptureListener.NONE), THREADS);
            await().atMost(InProcessKafka.WAIT).until(() -> store.eventCount() == 6 && follower.polls() > 2);

            try (KafkaConsumer<byte[], byte[]> inventory = consumer("inventory")) {
                inventory.subscribe(List.of(topic));
                consumeAndCommit(inventory, topic, 6);
            }
            try (KafkaConsumer<byte[], byte[]> billing = consumer("billing")) {
                billing.subscribe(List.of(topic));
                consumeAndCommit(billing, topic, 3);
            }   // billing dies: the group has no members
            KafkaConsumer<byte[], byte[]> shipping = consumer("shipping");
            shipping.subscribe(List.of(topic));
            consumeAndCommit(shipping, topic, 2);
            CompletableFuture<?> stalled = CompletableFuture.runAsync(() -> {
                shipping.pause(shipping.assignment());   // stays a member, reads nothing more
                while (!stopShipping.get()) {
                    shipping.poll(Duration.ofMillis(100));
                }
                shipping.close();
            }, THREADS);
            await().atMost(InProcessKafka.WAIT).until(() -> {
                ConsumerProgress p = store.consumerProgress();
                List<GroupPoll> billingPolls = p.pollsOf("billing");
                List<GroupPoll> shippingPolls = p.pollsOf("shipping");
                return p.commitsOf("inventory").stream().anyMatch(c -> c.committedOffset() == 6)
                        && p.commitsOf("shipping").stream().anyMatch(c -> c.committedOffset() == 2)
                        && !billingPolls.isEmpty() && billingPolls.get(billingPolls.size() - 1).members() == 0
                        && !shippingPolls.isEmpty() && shippingPolls.get(shippingPolls.size() - 1).members() == 1;
            });
            pipeline.stop();
            run.get();
            stopShipping.set(true);
            stalled.get();
            follower.close();

            ConsumerProgress progress = store.consumerProgress();
            assertThat(progress.groups()).containsExactly("billing", "inventory", "shipping");
            assertThat(progress.commitsOf("inventory")).extracting(c -> c.committedOffset()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(progress.commitsOf("inventory")).allMatch(c -> c.precision() == TimePrecision.EXACT,
                    "commit times read from __consumer_offsets");
            assertThat(progress.stateChangesOf("billing")).extracting(GroupPoll::members).contains(0);

            ConsumptionIndex index = new ConsumptionIndex(progress, 0);   // every unread event has waited long enough
            TimelineAnalyzer analyzer = TimelineAnalyzer.withDefaults();
            Timeline c0 = index.judge(analyzer.analyze("c-0", store.findByCorrelationId("c-0")));
            Consumption first = c0.consumptionOf(c0.entries().get(0));
            assertThat(first.consumedBy()).extracting(Consumption.ConsumedBy::group)
                    .containsExactlyInAnyOrder("inventory", "billing", "shipping");
            assertThat(first.consumedBy()).allMatch(b -> b.timePrecision().equals("exact") && b.delayMs() >= 0);
            assertThat(c0.verdict().kind()).isNotEqualTo(VerdictKind.STOPPED);

            Timeline c2 = index.judge(analyzer.analyze("c-2", store.findByCorrelationId("c-2")));
            Consumption third = c2.consumptionOf(c2.entries().get(0));
            assertThat(third.consumedBy()).extracting(Consumption.ConsumedBy::group).containsExactlyInAnyOrder("inventory", "billing");
            assertThat(third.notConsumedBy()).singleElement().satisfies(n -> {
                assertThat(n.group()).isEqualTo("shipping");
                assertThat(n.lagAtEndRecords()).isEqualTo(4);
                assertThat(n.membersAtEnd()).isEqualTo(1);
            });
            assertThat(c2.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
            assertThat(c2.verdict().message()).startsWith("stopped: shipping never committed past OrderPlaced on cg-orders")
                    .contains("lag 4 records at capture end");

            Timeline c4 = index.judge(analyzer.analyze("c-4", store.findByCorrelationId("c-4")));
            Consumption fifth = c4.consumptionOf(c4.entries().get(0));
            assertThat(fifth.notConsumedBy()).extracting(Consumption.NotConsumedBy::group).containsExactly("billing", "shipping");
            assertThat(fifth.notConsumedBy().get(0).membersAtEnd()).isZero();
            assertThat(fifth.notConsumedBy().get(0).lagAtEndRecords()).isEqualTo(3);
            assertThat(c4.verdict().message()).contains("billing never committed past").contains("had no active members");

            String json = TimelineJson.write(c4);
            assertThat(json).contains("\"consumedBy\"").contains("\"group\" : \"inventory\"")
                    .contains("\"notConsumedBy\"").contains("\"lagAtEndRecords\" : 3");
        } finally {
            stopShipping.set(true);
        }
    }

    @Test
    void withoutTheCommitLogTimesAreBetweenPollsAndGroupsAreFoundByTheirCommits() throws Exception {
        String topic = "cg-payments";
        KAFKA.createTopic(topic, 1);
        produce(topic, 3);
        try (KafkaConsumer<byte[], byte[]> early = consumer("early")) {
            early.subscribe(List.of(topic));
            consumeAndCommit(early, topic, 1);   // committed before the capture
        }
        try (CaptureStore store = CaptureStore.open(dir.resolve("between.mv.db"))) {
            ConsumerGroupFollower follower = new ConsumerGroupFollower(capture(topic),
                    new ConsumerFollowConfig(List.of(), Duration.ofMillis(100), false), store::appendConsumerProgress);
            follower.open(id -> List.of());
            follower.poll();
            assertThat(follower.followedGroups()).contains("early");
            try (KafkaConsumer<byte[], byte[]> early = consumer("early")) {
                early.subscribe(List.of(topic));
                consumeAndCommit(early, topic, 3);
            }
            follower.poll();
            follower.close();
            ConsumerProgress p = store.consumerProgress();
            assertThat(p.commitsOf("early")).extracting(c -> c.precision())
                    .containsExactly(TimePrecision.BEFORE_CAPTURE, TimePrecision.BETWEEN_POLLS);
            assertThat(p.commitsOf("early").get(1).committedAfterMs()).isEqualTo(p.commitsOf("early").get(0).committedAtMs());
            assertThat(p.ends()).singleElement().satisfies(e -> {
                assertThat(e.committedOffset()).isEqualTo(3);
                assertThat(e.logEndOffset()).isEqualTo(3);
            });
        }
    }

    @Test
    void aRebalanceAndASecondMemberAreRecordedAsStateChanges() throws Exception {
        String topic = "cg-rebalance";
        KAFKA.createTopic(topic, 2);
        produce(topic, 2);
        AtomicBoolean stop = new AtomicBoolean();
        try (CaptureStore store = CaptureStore.open(dir.resolve("rebalance.mv.db"))) {
            ConsumerGroupFollower follower = new ConsumerGroupFollower(capture(topic),
                    new ConsumerFollowConfig(List.of("rb"), Duration.ofMillis(100), true), store::appendConsumerProgress);
            follower.open(id -> List.of());
            List<CompletableFuture<?>> members = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                members.add(CompletableFuture.runAsync(() -> {
                    try (KafkaConsumer<byte[], byte[]> c = consumer("rb")) {
                        c.subscribe(List.of(topic));
                        while (!stop.get()) {
                            if (!c.poll(Duration.ofMillis(100)).isEmpty()) {
                                c.commitSync();
                            }
                        }
                    }
                }, THREADS));
                int want = i + 1;
                await("rb has " + want + " stable members; polls so far: " + store.consumerProgress().pollsOf("rb"))
                        .atMost(InProcessKafka.WAIT).until(() -> {
                    follower.poll();
                    List<GroupPoll> polls = store.consumerProgress().pollsOf("rb");
                    return !polls.isEmpty() && polls.get(polls.size() - 1).members() == want
                            && polls.get(polls.size() - 1).state().equals("Stable");
                });
            }
            stop.set(true);
            CompletableFuture.allOf(members.toArray(CompletableFuture[]::new)).get();
            await().atMost(InProcessKafka.WAIT).until(() -> {
                follower.poll();
                List<GroupPoll> polls = store.consumerProgress().pollsOf("rb");
                return polls.get(polls.size() - 1).members() == 0;
            });
            follower.close();
            List<GroupPoll> changes = store.consumerProgress().stateChangesOf("rb");
            assertThat(changes).extracting(GroupPoll::members).containsSubsequence(1, 2, 0);
            assertThat(changes.get(changes.size() - 1).state()).isIn("Empty", "Dead");
            assertThat(store.consumerProgress().ends()).filteredOn(e -> e.group().equals("rb"))
                    .extracting(e -> e.lag()).containsOnly(0L);
        } finally {
            stop.set(true);
        }
    }
}
