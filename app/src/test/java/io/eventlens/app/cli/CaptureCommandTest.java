package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.eventlens.app.demo.EmbeddedKafkaBroker;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlens capture} against a real embedded broker. */
class CaptureCommandTest {

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopics(List.of("cap-orders", "cap-payments"), 3);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void captureIntoAnExistingStoreResumesSoEveryRecordIsStoredExactlyOnce() {
        Path out = dir.resolve("resume");   // .mv.db left off on purpose
        produce(0, 50);

        CliRun first = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-orders",
                "--topic", "cap-payments", "--max-events", "50", "--out", out.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();

        produce(50, 30);
        CliRun second = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-orders",
                "--topic", "cap-payments", "--max-events", "30", "--out", out + ".mv.db");
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.err()).contains("50 events already stored");

        // Nothing new: a third, time-boxed run must add nothing.
        CliRun third = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-orders",
                "--topic", "cap-payments", "--duration", "1500ms", "--out", out.toString());
        assertThat(third.exitCode()).as(third.toString()).isZero();

        assertThat(first.out() + second.out() + third.out()).as("stdout stays clean").isEmpty();
        try (CaptureStore store = CaptureStore.open(out)) {
            List<CapturedEvent> events = store.page(1, 10_000);
            List<String> ids = events.stream().map(e -> e.derived().eventIdValue()).toList();
            Set<String> positions = new HashSet<>();
            for (CapturedEvent e : events) {
                assertThat(positions.add(position(e))).as("stored twice: %s", e).isTrue();
            }
            assertThat(ids).as("event IDs captured").hasSize(80).doesNotHaveDuplicates();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                expected.add("evt-" + i);
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void fromEarliestIgnoresStoredPositionsAndReadsEverythingAgain() {
        Path out = dir.resolve("again.mv.db");
        produceTo("cap-again", 10);

        CliRun first = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-again",
                "--max-events", "10", "--out", out.toString());
        CliRun again = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-again",
                "--from", "earliest", "--max-events", "10", "--out", out.toString());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        try (CaptureStore store = CaptureStore.open(out)) {
            assertThat(store.eventCount()).as("10 records read twice").isEqualTo(20);
        }
    }

    @Test
    void sigtermStopsACaptureGracefullyCommittingWhatItPolled() throws Exception {
        produceTo("cap-sig", 20);
        Path out = dir.resolve("sig.mv.db");
        Path err = dir.resolve("sig.err");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.eventlens.app.Main",
                "capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-sig", "--out", out.toString())
                .redirectErrorStream(false)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        // the bounded child's class-sharing archive goes to the cache folder: a temporary one, not the user's
        pb.environment().put("HOME", dir.resolve("home").toString());
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        Process p = pb.start();
        try {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(Files.readString(err)).as("progress of the capture subprocess").contains("  20 events"));
            p.destroy();   // SIGTERM, the same shutdown path as Ctrl-C
            assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
        assertThat(Files.readString(err)).contains("eventlens capture: 20 events");
        CliRun resumed = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-sig",
                "--duration", "1s", "--out", out.toString());
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        try (CaptureStore store = CaptureStore.open(out)) {
            assertThat(store.eventCount()).as("events after SIGTERM and a resumed run").isEqualTo(20);
        }
    }

    @Test
    void unreachableBrokerExits3WithinTenSecondsNamingTheEndpoint() {
        Path out = dir.resolve("unreachable.mv.db");

        CliRun run = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic", "orders", "--duration", "30s",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.elapsed()).as(run.toString()).isLessThan(Duration.ofSeconds(10));
        assertThat(run.err()).contains("127.0.0.1:1");
        assertThat(run.out()).isEmpty();
        assertThat(out).as("a store created by a run that never connected is removed").doesNotExist();
    }

    @Test
    void unknownTopicExits3NamingTheTopic() {
        CliRun run = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "no-such-topic",
                "--duration", "5s", "--out", dir.resolve("unknown").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("no-such-topic").contains(broker.bootstrapServers());
    }

    @Test
    void aFileThatIsNotACaptureStoreExits3NamingIt() throws Exception {
        Path bogus = Files.writeString(dir.resolve("bogus.mv.db"), "this is not an H2 database");

        CliRun run = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-orders",
                "--duration", "1s", "--out", bogus.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INPUT);
        assertThat(run.err()).contains("bogus.mv.db");
    }

    private static String position(CapturedEvent e) {
        SourcePosition s = e.source();
        return e.channel().name() + "/" + s;
    }

    private static void produce(int from, int count) {
        try (TestRecords records = new TestRecords(broker.bootstrapServers())) {
            for (int i = from; i < from + count; i++) {
                String topic = i % 2 == 0 ? "cap-orders" : "cap-payments";
                records.sendEvent(topic, "ord-" + (i % 7), Instant.now(), "corr-" + (i % 7), "evt-" + i, "Step", i, "");
            }
        }
    }

    private static void produceTo(String topic, int count) {
        broker.createTopics(List.of(topic), 2);
        try (TestRecords records = new TestRecords(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                records.sendEvent(topic, "k" + i, Instant.now(), "c-again", topic + "-" + i, "Step", i, "");
            }
        }
    }

    @Test
    void kafkaConfigFilePropertiesReachTheClientButNeverAConsumerGroup() throws Exception {
        Path props = dir.resolve("client.properties");
        Files.writeString(props, "# a user's consumer.config\nclient.dns.lookup=use_all_dns_ips\ngroup.id=payments-service\n");
        Path out = dir.resolve("with-config");
        produceTo("cap-config", 5);

        CliRun run = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-config",
                "--from", "earliest", "--max-events", "5", "--kafka-config", props.toString(),
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).as("the dropped group.id is reported").contains("ignoring group.id from " + props);
        try (CaptureStore store = CaptureStore.open(out)) {
            assertThat(store.eventCount()).isEqualTo(5);
        }
    }

    @Test
    void anUnreadableKafkaConfigFileIsAnInputErrorNamingIt() {
        Path missing = dir.resolve("nope.properties");

        CliRun run = CliRun.of("capture", "--kafka", broker.bootstrapServers(), "--topic", "cap-orders",
                "--kafka-config", missing.toString(), "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("--kafka-config " + missing);
    }

}
