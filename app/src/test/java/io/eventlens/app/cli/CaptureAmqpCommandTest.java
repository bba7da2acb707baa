package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.LocalRabbit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlens capture --amqp ...} against the real RabbitMQ on 127.0.0.1:5672. */
class CaptureAmqpCommandTest {

    @RegisterExtension
    final LocalRabbit rabbit = new LocalRabbit();

    @TempDir
    Path dir;

    @Test
    void browsesADeadLetterQueueAndSaysHowItReadsIt() throws Exception {
        String dlq = rabbit.queue("cli.dlq", Map.of());
        for (int i = 0; i < 3; i++) {
            rabbit.publish("", dlq, new AMQP.BasicProperties.Builder().correlationId("c-cli").messageId("d" + i).build(), "d" + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(dlq) == 3);
        Path out = dir.resolve("dlq.mv.db");
        Path config = dir.resolve("amqp.properties");
        Files.writeString(config, "username=guest\npassword=guest\n");
        CliRun run = CliRun.of("capture", "--amqp", "amqp://127.0.0.1:5672", "--amqp-config", config.toString(),
                "--queue", dlq, "--force-browse", "--out", out.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("RabbitMQ at amqp://127.0.0.1:5672 vhost /: browse").contains("queue " + dlq)
                .contains("3 events").doesNotContain("warning: --amqp holds a password");
        try (CaptureStore store = CaptureStore.open(out)) {
            assertThat(store.page(1, 10)).extracting(CapturedEvent::derived).extracting(d -> d.eventIdValue())
                    .containsExactly("d0", "d1", "d2");
        }
        assertThat(rabbit.messageCount(dlq)).isEqualTo(3);
        assertThat(rabbit.bodies(dlq)).containsExactly("d0", "d1", "d2");
    }

    @Test
    void tapsAnExchangeForADurationAndWarnsAboutAPasswordInTheUri() throws Exception {
        String exchange = rabbit.exchange("cli-orders", "topic");
        Path out = dir.resolve("tap.mv.db");
        Thread publisher = Thread.ofPlatform().start(() -> {
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                    rabbit.publish(exchange, "order.placed", new AMQP.BasicProperties.Builder().messageId("o1").build(), "o1");
                    return true;
                });
            } catch (RuntimeException e) {
                // the assertion below reports it
            }
        });
        CliRun run = CliRun.of("capture", "--amqp", "amqp://guest:guest@127.0.0.1", "--exchange", exchange,
                "--duration", "4s", "--out", out.toString());
        publisher.join();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("warning: --amqp holds a password").contains("tap exchange " + exchange)
                .contains("via stream queue eventlens.tap.");
    }

    @Test
    void aResumedTapWhoseRetentionDroppedMessagesBeforeTheyWereReadSaysHowMany() throws Exception {
        String exchange = rabbit.exchange("cli-busy", "fanout");
        Path out = dir.resolve("resumed.mv.db");
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread publisher = Thread.ofPlatform().start(() -> {   // every 200 ms until the first capture has stored one
            try {
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    rabbit.publish(exchange, "", new AMQP.BasicProperties.Builder().messageId("first").build(), "first");
                    return !running.get();
                });
            } catch (RuntimeException e) {
                // the capture's assertions below report it
            }
        });
        CliRun first;
        try {
            first = CliRun.of("capture", "--amqp", "amqp://127.0.0.1", "--exchange", exchange, "--keep-tap",
                    "--tap-max-bytes", "100000", "--max-events", "1", "--out", out.toString());
        } finally {
            running.set(false);
            publisher.join();
        }
        assertThat(first.exitCode()).as(first.toString()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("stream queue (eventlens\\.tap\\.\\S+)").matcher(first.err());
        assertThat(m.find()).as(first.err()).isTrue();
        String tap = m.group(1);
        try {
            // retention runs when the stream rolls a segment, asynchronously: on a broker busy with
            // other streams (the rest of the suite) it may lag, so each round rolls more segments
            boolean retained = false;
            int sent = 0;
            for (int round = 0; round < 3 && !retained; round++) {
                List<AMQP.BasicProperties> props = new java.util.ArrayList<>();
                List<String> bodies = new java.util.ArrayList<>();
                for (int i = 0; i < 6_000; i++) {
                    props.add(new AMQP.BasicProperties.Builder().messageId("b" + (sent + i)).build());
                    bodies.add("x".repeat(200) + i);
                }
                rabbit.publishAll(exchange, "", props, bodies);
                sent += 6_000;
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1))
                            .until(() -> firstOffset(tap) > 100);
                    retained = true;
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    retained = false;
                }
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(retained, "the broker's retention did not run in three rounds of 6,000 messages");
            CliRun second = CliRun.of("capture", "--amqp", "amqp://127.0.0.1", "--exchange", exchange, "--duration", "8s",
                    "--out", out.toString());
            assertThat(second.exitCode()).as(second.toString()).isZero();
            java.util.regex.Matcher lost = java.util.regex.Pattern.compile("warning: RabbitMQ at amqp://127\\.0\\.0\\.1:5672"
                    + " vhost /: up to (\\d+) messages were dropped by the tap's retention before they were read").matcher(second.err());
            assertThat(lost.find()).as(second.err()).isTrue();
            assertThat(Long.parseLong(lost.group(1))).as("dropped by the 100,000-byte retention").isBetween(100L, sent + 20L);
            assertThat(second.err()).contains("resuming at offset");
        } finally {
            rabbit.on(ch -> ch.queueDelete(tap));
        }
    }

    /** The first offset a stream delivers now, or -1 when none comes within 10 s. */
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
            Long first = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            ch.basicCancel(tag);
            return first == null ? -1L : first;
        });
    }

    @Test
    void aMissingExchangeOrAnUnreachableBrokerExitsWith3NamingTheEndpointWithin10Seconds() {
        String missing = LocalRabbit.unique("cli-missing");
        CliRun run = CliRun.of("capture", "--amqp", "amqp://127.0.0.1", "--exchange", missing, "--out",
                dir.resolve("m.mv.db").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
        assertThat(run.err()).contains("RabbitMQ at amqp://127.0.0.1:5672").contains("exchange '" + missing + "' does not exist");
        assertThat(run.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(dir.resolve("m.mv.db")).doesNotExist();

        CliRun down = CliRun.of("capture", "--amqp", "amqp://127.0.0.1:1", "--queue", "q", "--out",
                dir.resolve("d.mv.db").toString());
        assertThat(down.exitCode()).as(down.toString()).isEqualTo(3);
        assertThat(down.err()).contains("RabbitMQ at amqp://127.0.0.1:1");
        assertThat(down.elapsed()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void withoutAnySourceItIsAUsageError() {
        CliRun run = CliRun.of("capture", "--out", dir.resolve("x.mv.db").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--kafka").contains("--amqp");
        CliRun bad = CliRun.of("capture", "--amqp", "http://x", "--exchange", "e", "--out", dir.resolve("y.mv.db").toString());
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("--amqp: must start with amqp://");
        CliRun orphan = CliRun.of("capture", "--queue", "q.dlq", "--out", dir.resolve("z.mv.db").toString());
        assertThat(orphan.exitCode()).as(orphan.toString()).isEqualTo(2);
        assertThat(orphan.err()).contains("need --amqp URI");
    }

    static List<String> lines(String s) {
        return s.lines().toList();
    }
}
