package io.eventlens.core.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real in-process Kafka broker (KRaft, combined broker + controller, Kafka 4.1.2) per test
 * class (RECIPES.md). Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final InProcessKafka KAFKA = new InProcessKafka();
 * }</pre>
 *
 * <p>Also usable without JUnit (the benchmark): {@link #start()} then {@link #close()}.
 * Startup takes about 4 s. The metadata version is pinned to
 * {@link MetadataVersion#latestProduction()} (the kit's default is a testing version).
 */
public final class InProcessKafka implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private KafkaClusterTestKit cluster;

    /** Starts the broker and waits until it is ready. Idempotent. */
    public synchronized void start() {
        if (cluster != null) {
            return;
        }
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", "1")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            cluster = kit;
        } catch (Exception e) {
            throw new IllegalStateException("in-process Kafka broker failed to start: " + e, e);
        }
    }

    /** The broker's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        if (cluster == null) {
            throw new IllegalStateException("in-process Kafka broker is not started");
        }
        return cluster.bootstrapServers();
    }

    /** Creates a topic with this many partitions (replication factor 1) and waits for it. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with this many partitions and topic configs, and waits for it. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("creating topic " + name + " on " + bootstrapServers() + " failed: " + e, e);
        }
    }

    /** An admin client on this broker; close it. */
    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    /** A byte-array producer with acks=all; close it. */
    public KafkaProducer<byte[], byte[]> producer() {
        return producer(Map.of());
    }

    /** A byte-array producer with acks=all and these extra properties; close it. */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
        Properties p = producerProperties(bootstrapServers());
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    /**
     * Test producer properties for any broker: byte-array serializers, acks=all, no idempotence, one
     * request in flight, and bounded waits. Why: an idempotent producer was seen (twice, on the 2-CPU
     * machine) to hang in {@code close()} with the broker idle. Without idempotence, a retry could
     * only write a record twice after a request that took longer than the 30 s request timeout yet
     * succeeded; one request in flight keeps retries in order. A send that cannot complete fails the
     * test loudly, with its cause, within the delivery timeout.
     */
    public static Properties producerProperties(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Stops the broker. Idempotent. */
    @Override
    public synchronized void close() {
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                throw new IllegalStateException("in-process Kafka broker failed to stop: " + e, e);
            } finally {
                cluster = null;
            }
        }
    }

    /** A default timeout for waiting on broker-side effects in tests. */
    public static final Duration WAIT = Duration.ofSeconds(30);
}
