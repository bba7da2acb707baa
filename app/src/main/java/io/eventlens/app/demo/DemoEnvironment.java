package io.eventlens.app.demo;

/**
 * The live demo: an embedded single-node Kafka broker (KRaft, in-process) and a simulated checkout
 * saga (orders, payments, inventory, notifications topics; poison messages to {@code orders.DLT})
 * with injected faults. Start with {@link #start()}, close to stop both.
 */
public final class DemoEnvironment implements AutoCloseable {

    /** The saga's topics, the dead-letter topic included. */
    public static final java.util.List<String> TOPICS =
            java.util.List.of("orders", "payments", "inventory", "notifications", "orders.DLT");

    private DemoEnvironment() {
    }

    /**
     * Starts the broker (on free loopback ports, data in a temp folder), creates the topics and
     * starts the saga producer. Takes about 5 s.
     *
     * @throws IllegalStateException when the broker cannot start; the message says why
     */
    public static DemoEnvironment start() {
        throw new UnsupportedOperationException("TODO: demo (issue 2)");
    }

    /** The broker's bootstrap servers, e.g. {@code 127.0.0.1:39092}. */
    public String bootstrapServers() {
        throw new UnsupportedOperationException("TODO");
    }

    /** Stops the saga and the broker and deletes the broker's data folder. */
    @Override
    public void close() {
    }
}
