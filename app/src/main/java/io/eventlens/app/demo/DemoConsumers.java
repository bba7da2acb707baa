package io.eventlens.app.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo saga's services as real Kafka consumer groups that read and commit, so that a capture of
 * the demo has consumer groups to follow (docs/decisions/0021-consumer-groups.md):
 * {@code payments-service} reads {@code orders}, {@code inventory-service} reads {@code payments},
 * {@code notification-service} reads {@code inventory} and {@code audit-service} reads
 * {@code notifications}. Each commits after every poll.
 *
 * <p>The injected fault: {@code audit-service} <b>stalls</b> — from {@value #STALL_FROM_S} s to
 * {@value #STALL_UNTIL_S} s after the start, and again in the same window of every following
 * minute, its first member stays a member of its group but reads nothing (its partitions are
 * paused), so its lag climbs and the flows of that time wait for it; at {@value #STALL_UNTIL_S} s a
 * second audit-service member joins (a rebalance) and takes some of the partitions.
 *
 * <p>One platform thread per member; {@link #close()} wakes them and waits for them.
 */
public final class DemoConsumers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoConsumers.class);
    /** When the audit service stops reading, seconds after the start. */
    static final long STALL_FROM_S = 8;
    /** When it reads again (and a second member joins), seconds after the start. */
    static final long STALL_UNTIL_S = 20;

    private final String bootstrapServers;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<KafkaConsumer<byte[], byte[]>> consumers = new ArrayList<>();
    private final long startNanos = System.nanoTime();

    private DemoConsumers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts the services' consumers on the demo broker; the topics must exist. */
    public static DemoConsumers start(String bootstrapServers) {
        DemoConsumers d = new DemoConsumers(bootstrapServers);
        d.member("payments-service", "orders", false, 0);
        d.member("inventory-service", "payments", false, 0);
        d.member("notification-service", "inventory", false, 0);
        d.member("audit-service", "notifications", true, 0);
        d.member("audit-service", "notifications", false, STALL_UNTIL_S);
        return d;
    }

    private void member(String group, String topic, boolean stalls, long joinAfterS) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + (consumers.size() + 1));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        synchronized (consumers) {
            consumers.add(c);
        }
        Thread t = Thread.ofPlatform().daemon().name("demo-" + group + "-" + consumers.size()).unstarted(() -> run(c, topic, stalls, joinAfterS));
        threads.add(t);
        t.start();
    }

    private long elapsedS() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    private void run(KafkaConsumer<byte[], byte[]> c, String topic, boolean stalls, long joinAfterS) {
        try {
            while (!closed.get() && elapsedS() < joinAfterS) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
            }
            c.subscribe(List.of(topic));
            boolean paused = false;
            while (!closed.get()) {
                long s = elapsedS();
                boolean stall = stalls && s % 60 >= STALL_FROM_S && s % 60 < STALL_UNTIL_S;
                if (stall && !paused) {
                    c.pause(c.assignment());
                    paused = true;
                    LOG.info("demo: audit-service stalls on {} for {} s (stays a member, reads nothing)", topic, STALL_UNTIL_S - STALL_FROM_S);
                } else if (!stall && paused) {
                    c.resume(c.paused());
                    paused = false;
                }
                ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    c.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed.get()) {
                LOG.warn("demo consumer on {} stopped: {}", topic, e.toString());
            }
        } finally {
            try {
                c.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // closing on the way out
            }
        }
    }

    /** Stops every member and waits for them (at most a few seconds). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (consumers) {
            consumers.forEach(KafkaConsumer::wakeup);
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
