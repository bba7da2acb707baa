package io.eventlens.app.demo;

import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live demo: an embedded single-node Kafka broker (KRaft, in-process, see
 * {@link EmbeddedKafkaBroker}) and a simulated checkout saga ({@link SagaSimulator}: orders,
 * payments, inventory, notifications topics; poison messages to {@code orders.DLT}) with injected
 * faults: a redelivered duplicate, a conflicting duplicate, an out-of-order sequence, a slow hop
 * and a dead-lettered poison message, each within the first ~10 s and recurring after that.
 * Start with {@link #start()}, close to stop both.
 */
public final class DemoEnvironment implements AutoCloseable {

    /** The saga's topics, the dead-letter topic included. */
    public static final java.util.List<String> TOPICS =
            java.util.List.of("orders", "payments", "inventory", "notifications", "orders.DLT");

    /** Partitions of each demo topic. */
    public static final int PARTITIONS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(DemoEnvironment.class);

    private final EmbeddedKafkaBroker broker;
    private final SagaSimulator saga;
    private final DemoConsumers consumers;

    private DemoEnvironment(EmbeddedKafkaBroker broker, SagaSimulator saga, DemoConsumers consumers) {
        this.broker = broker;
        this.saga = saga;
        this.consumers = consumers;
    }

    /** Why the demo cannot start when {@link #brokerInstalled()} is false. */
    public static final String BROKER_MISSING = "the demo's embedded Kafka broker is not installed: its libraries "
            + "(Kafka server, Scala) belong in the demo-lib folder beside eventlens.jar (lib/app/demo-lib in the packaged app); "
            + "everything but the demo works without them";

    /**
     * Whether the embedded broker's libraries are on the class path: they are an optional part of
     * EventLens (docs/decisions/0013-packaging.md), present in {@code ./dev demo} and the full image.
     */
    public static boolean brokerInstalled() {
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, DemoEnvironment.class.getClassLoader());
            Class.forName("scala.Option", false, DemoEnvironment.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Starts the broker (on free loopback ports, data in a temp folder), creates the topics and
     * starts the saga producer. Takes about 5 s.
     *
     * @throws IllegalStateException when the broker cannot start; the message says why
     */
    public static DemoEnvironment start() {
        return start(SagaSimulator.Settings.defaults());
    }

    /**
     * Like {@link #start()}, with the saga paced by {@code settings}.
     *
     * @throws IllegalStateException when the broker cannot start; the message says why
     */
    public static DemoEnvironment start(SagaSimulator.Settings settings) {
        if (!brokerInstalled()) {
            throw new IllegalStateException(BROKER_MISSING);
        }
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        try {
            broker.createTopics(TOPICS, PARTITIONS);
            SagaSimulator saga = SagaSimulator.start(broker.bootstrapServers(), settings);
            DemoConsumers consumers = DemoConsumers.start(broker.bootstrapServers());
            LOG.info("Demo saga running on {} (topics {})", broker.bootstrapServers(), TOPICS);
            return new DemoEnvironment(broker, saga, consumers);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The broker's bootstrap servers, e.g. {@code 127.0.0.1:39092}. */
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The demo topics, the dead-letter topic included (same as {@link #TOPICS}). */
    public List<String> topics() {
        return TOPICS;
    }

    /** Flows started so far. */
    public long flowsStarted() {
        return saga.flowsStarted();
    }

    /** How many flows carried each injected fault so far. */
    public Map<SagaSimulator.Fault, Long> faultsInjected() {
        return saga.faultsInjected();
    }

    /** The correlation ID of the latest flow that carried each fault, to try in a timeline. */
    public Map<SagaSimulator.Fault, String> latestExamples() {
        return saga.latestExamples();
    }

    /** Stops the saga and the broker and deletes the broker's data folder. Idempotent. */
    @Override
    public void close() {
        try {
            consumers.close();
            saga.close();
        } finally {
            broker.close();
        }
    }
}
