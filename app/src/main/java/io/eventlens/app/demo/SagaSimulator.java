package io.eventlens.app.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated checkout saga: each flow is one order moving through {@code orders} →
 * {@code payments} → {@code inventory} → {@code notifications}, keyed by order ID, with headers
 * {@code correlationId}, {@code eventId}, {@code eventType}, {@code sequence} (the saga's events
 * numbered 1, 2, 3, ... per key, in the order the services produce them) and a JSON payload
 * ({@code {"eventId","correlationId","type","orderId","timestamp","sequence",...}}).
 *
 * <p>A new flow starts every {@link Settings#flowInterval()}; steps follow each other after
 * 40–250 ms. Every {@link Settings#faultEvery()}-th flow (from the third one on) carries one
 * injected {@link Fault}, cycling through all kinds, so each fault appears within the first
 * ~15 s (with the default 400 ms interval: by about 7 s) and then recurs:
 * <ul>
 *   <li>{@link Fault#REDELIVERED_DUPLICATE}: the payment event is delivered twice, byte-identical;</li>
 *   <li>{@link Fault#OUT_OF_ORDER}: the payment service emits two events on {@code payments} under the
 *       order's key, {@code PaymentAuthorized} (sequence 2) and {@code PaymentCaptured} (sequence 3),
 *       and the captured one reaches the broker first: a regression within one topic, partition and
 *       key, where Kafka promises order (docs/reference/anomalies-and-verdicts.md, OUT_OF_ORDER);</li>
 *   <li>{@link Fault#SLOW_HOP}: the inventory step comes 2.6–3.4 s after the payment (SLO 2 s);</li>
 *   <li>{@link Fault#CONFLICTING_DUPLICATE}: the payment event is sent again with the same event ID
 *       but a different amount and status;</li>
 *   <li>{@link Fault#POISON_MESSAGE}: the order has an unparseable total (the 1st, 3rd, ... poison
 *       order) or exceeds the customer's credit limit (the 2nd, 4th, ...); after 3 delivery attempts
 *       the payment service's Spring {@code DeadLetterPublishingRecoverer} copies it to
 *       {@code orders.DLT} with the {@code kafka_dlt-*} headers (stack trace included), and the flow
 *       stops there. The two reasons make two groups in the <i>Dead letters</i> view.</li>
 * </ul>
 * All work runs on one scheduled executor thread; nothing sleeps.
 */
public final class SagaSimulator implements AutoCloseable {

    /** The saga's topics in step order. */
    public static final List<String> STEP_TOPICS = List.of("orders", "payments", "inventory", "notifications");
    /** Where poison orders are dead-lettered. */
    public static final String DEAD_LETTER_TOPIC = "orders.DLT";

    private static final Logger LOG = LoggerFactory.getLogger(SagaSimulator.class);
    private static final List<String> EVENT_TYPES =
            List.of("OrderPlaced", "PaymentAuthorized", "InventoryReserved", "CustomerNotified", "PaymentCaptured");
    /** Index of the extra {@code PaymentCaptured} event of an out-of-order flow (after the four steps). */
    private static final int CAPTURED = 4;
    private static final String[] SKUS = {"SKU-CHAIR-01", "SKU-LAMP-07", "SKU-DESK-12", "SKU-MUG-33", "SKU-RUG-05"};
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The faults the simulator injects, one per faulty flow. */
    public enum Fault {
        REDELIVERED_DUPLICATE,
        OUT_OF_ORDER,
        SLOW_HOP,
        CONFLICTING_DUPLICATE,
        POISON_MESSAGE
    }

    /**
     * How the simulator paces flows.
     *
     * @param flowInterval time between the starts of two flows (default 400 ms)
     * @param faultEvery   every n-th flow carries a fault (default 4; 0 = no faults)
     * @param seed         seed of the random choices (amounts, delays, SKUs)
     */
    public record Settings(Duration flowInterval, int faultEvery, long seed) {
        public Settings {
            Objects.requireNonNull(flowInterval, "flowInterval");
            if (flowInterval.isNegative() || flowInterval.isZero()) {
                throw new IllegalArgumentException("flowInterval must be positive, was " + flowInterval);
            }
            if (faultEvery < 0) {
                throw new IllegalArgumentException("faultEvery must be 0 (no faults) or more, was " + faultEvery);
            }
        }

        /** 400 ms between flows, a fault in every 4th flow. */
        public static Settings defaults() {
            return new Settings(Duration.ofMillis(400), 4, System.nanoTime());
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService scheduler;
    private final Settings settings;
    private final Random random;
    private final AtomicLong flows = new AtomicLong();
    private final Map<Fault, AtomicLong> faults = new EnumMap<>(Fault.class);
    private final Map<Fault, String> examples = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopped;

    private SagaSimulator(String bootstrapServers, Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        for (Fault f : Fault.values()) {
            faults.put(f, new AtomicLong());
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "eventlens-demo-saga");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eventlens-demo-saga");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts producing flows to the broker at {@code bootstrapServers}; the topics must exist.
     *
     * @return the running simulator; close it to stop
     */
    public static SagaSimulator start(String bootstrapServers, Settings settings) {
        SagaSimulator sim = new SagaSimulator(bootstrapServers, settings);
        long intervalMs = settings.flowInterval().toMillis();
        sim.scheduler.scheduleAtFixedRate(sim::startFlowSafely, 0, intervalMs, TimeUnit.MILLISECONDS);
        return sim;
    }

    /** The number of flows started so far. */
    public long flowsStarted() {
        return flows.get();
    }

    /** How many flows carried each fault so far. */
    public Map<Fault, Long> faultsInjected() {
        Map<Fault, Long> m = new EnumMap<>(Fault.class);
        faults.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /**
     * The correlation ID of the latest completed flow (its last record sent) that carried each
     * fault; faults not yet completed are absent.
     */
    public Map<Fault, String> latestExamples() {
        Map<Fault, String> m = new EnumMap<>(Fault.class);
        m.putAll(examples);
        return m;
    }

    /**
     * The fault of flow number {@code n} (0-based), or {@code null} for a healthy flow: flows
     * 2, 2+k, 2+2k, ... (k = faultEvery) cycle through {@link Fault#values()}.
     */
    static Fault faultOf(long n, int faultEvery) {
        if (faultEvery == 0 || n < 2 || (n - 2) % faultEvery != 0) {
            return null;
        }
        Fault[] all = Fault.values();
        return all[(int) (((n - 2) / faultEvery) % all.length)];
    }

    /** Stops starting flows, lets pending steps go, flushes and closes the producer. Idempotent. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
    }

    private void startFlowSafely() {
        try {
            startFlow();
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: log and keep the saga going.
            LOG.warn("Demo saga: starting a flow failed: {}", e.toString());
        }
    }

    private void startFlow() {
        long n = flows.getAndIncrement();
        Fault fault = faultOf(n, settings.faultEvery());
        Flow flow = new Flow(
                "checkout-" + HexFormat.of().toHexDigits(random.nextInt()),
                "ord-" + (10_001 + n),
                new BigDecimal(random.nextInt(1_000, 40_000)).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY),
                SKUS[random.nextInt(SKUS.length)],
                1 + random.nextInt(3),
                fault);
        if (fault != null) {
            faults.get(fault).incrementAndGet();
            LOG.info("Demo saga: flow {} ({}) carries fault {}", flow.correlationId, flow.orderId, fault);
        }
        flow.send(0);
    }

    private long stepDelayMs() {
        return 40 + random.nextInt(210);
    }

    private void later(long delayMs, Runnable step) {
        if (stopped) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                try {
                    if (!stopped) {
                        step.run();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Demo saga: a step failed: {}", e.toString());
                }
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile (a producer callback racing close()): the step is dropped.
        }
    }

    /** One order's saga; each method runs on the scheduler thread. */
    private final class Flow {
        private final String correlationId;
        private final String orderId;
        private final BigDecimal total;
        private final String sku;
        private final int quantity;
        private final Fault fault;
        /** For a poison order: true when its total cannot be parsed (the 1st, 3rd, ... poison order), else over the credit limit. */
        private final boolean unparseable;
        private final String[] eventIds = new String[5];
        private final Instant[] eventTimes = new Instant[5];

        Flow(String correlationId, String orderId, BigDecimal total, String sku, int quantity, Fault fault) {
            this.correlationId = correlationId;
            this.orderId = orderId;
            this.total = total;
            this.sku = sku;
            this.quantity = quantity;
            this.fault = fault;
            this.unparseable = fault != Fault.POISON_MESSAGE || faults.get(Fault.POISON_MESSAGE).get() % 2 == 0;
            for (int i = 0; i < eventIds.length; i++) {
                eventIds[i] = UUID.randomUUID().toString();
            }
        }

        /** Sends step {@code i} (0 = order) and schedules what follows it. */
        void send(int step) {
            switch (step) {
                case 0 -> sendOrder();
                case 1 -> {
                    if (fault == Fault.OUT_OF_ORDER) {
                        // The authorization is held up (a retry) behind the capture of the same payment:
                        // on payments, under the order's key, sequence 3 reaches the broker before sequence 2.
                        sendStep(CAPTURED, payload(CAPTURED));
                        later(stepDelayMs(), () -> {
                            sendStep(1, payload(1));
                            later(stepDelayMs(), () -> send(2));
                        });
                        return;
                    }
                    byte[] body = payload(1);
                    sendStep(1, body);
                    if (fault == Fault.REDELIVERED_DUPLICATE) {
                        // Consumer crashed before committing: the very same record is produced again.
                        later(60 + random.nextInt(120), () -> sendStep(1, body));
                    } else if (fault == Fault.CONFLICTING_DUPLICATE) {
                        // A buggy retry rebuilds the event with the same ID but different content.
                        later(60 + random.nextInt(120), () -> sendStep(1, conflictingPayment()));
                    }
                    long delay = fault == Fault.SLOW_HOP ? 2_600 + random.nextInt(800) : stepDelayMs();
                    later(delay, () -> send(2));
                }
                case 2 -> {
                    sendStep(2, payload(2));
                    later(stepDelayMs(), () -> send(3));
                }
                case 3 -> {
                    sendStep(3, payload(3));
                    completed();
                }
                default -> throw new IllegalArgumentException("no step " + step);
            }
        }

        /** The flow's last record is sent: it becomes the latest example of its fault. */
        private void completed() {
            if (fault != null) {
                examples.put(fault, correlationId);
            }
        }

        private void sendOrder() {
            ObjectNode order = base(0);
            if (fault == Fault.POISON_MESSAGE && unparseable) {
                order.put("total", total.toPlainString().replace('.', ','));   // "123,45": not a number
            } else {
                order.put("total", total);
            }
            order.put("currency", "EUR");
            order.put("customerId", "cust-" + (1000 + Math.floorMod(orderId.hashCode(), 9000)));
            order.putArray("items").addObject().put("sku", sku).put("quantity", quantity);
            byte[] body = bytes(order);
            ProducerRecord<byte[], byte[]> rec = record(0, body);
            long deadLetterDelayMs = 1_000 + random.nextInt(200);
            producer.send(rec, (meta, error) -> {
                if (error != null) {
                    LOG.warn("Demo saga: sending {} failed: {}", orderId, error.toString());
                } else if (fault == Fault.POISON_MESSAGE) {
                    // payments-service fails 3 times (backoff 2 x 500 ms), then dead-letters the record.
                    later(deadLetterDelayMs, () -> deadLetter(rec, meta));
                }
            });
            if (fault != Fault.POISON_MESSAGE) {
                later(stepDelayMs(), () -> send(1));
            }
        }

        private void deadLetter(ProducerRecord<byte[], byte[]> original, RecordMetadata meta) {
            String customer = "cust-" + (1000 + Math.floorMod(orderId.hashCode(), 9000));
            String reason = unparseable
                    ? "Cannot deserialize value of type `java.math.BigDecimal` from String \""
                            + total.toPlainString().replace('.', ',') + "\": not a valid representation"
                    : "Order " + orderId + " rejected: total " + total.toPlainString() + " EUR exceeds the credit limit of "
                            + customer;
            String cause = unparseable ? "com.fasterxml.jackson.databind.exc.InvalidFormatException"
                    : "com.example.payments.CreditLimitExceededException";
            String trace = "org.springframework.kafka.listener.ListenerExecutionFailedException: Listener method"
                    + " 'onOrderPlaced' threw exception\n"
                    + "\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer"
                    + ".decorateException(KafkaMessageListenerContainer.java:2981)\n"
                    + "\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer"
                    + ".doInvokeOnMessage(KafkaMessageListenerContainer.java:2903)\n"
                    + "Caused by: " + cause + ": " + reason + "\n"
                    + (unparseable
                            ? "\tat com.fasterxml.jackson.databind.DeserializationContext.weirdStringException(DeserializationContext.java:2025)\n"
                            : "\tat com.example.payments.CreditCheck.verify(CreditCheck.java:57)\n")
                    + "\tat com.example.payments.PaymentListener.onOrderPlaced(PaymentListener.java:42)\n";
            ProducerRecord<byte[], byte[]> dlt = new ProducerRecord<>(DEAD_LETTER_TOPIC, meta.partition(),
                    System.currentTimeMillis(), original.key(), original.value());
            original.headers().forEach(dlt.headers()::add);
            dlt.headers()
                    .add(header("kafka_dlt-original-topic", meta.topic()))
                    .add(new RecordHeader("kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(meta.partition()).array()))
                    .add(new RecordHeader("kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(meta.offset()).array()))
                    .add(new RecordHeader("kafka_dlt-original-timestamp", ByteBuffer.allocate(8).putLong(meta.timestamp()).array()))
                    .add(header("kafka_dlt-original-timestamp-type", "CreateTime"))
                    .add(header("kafka_dlt-original-consumer-group", "payments-service"))
                    .add(header("kafka_dlt-exception-fqcn",
                            "org.springframework.kafka.listener.ListenerExecutionFailedException"))
                    .add(header("kafka_dlt-exception-cause-fqcn", cause))
                    .add(header("kafka_dlt-exception-message",
                            "Listener method 'onOrderPlaced' threw exception; " + reason))
                    .add(header("kafka_dlt-exception-stacktrace", trace))
                    .add(new RecordHeader("kafka_deliveryAttempt", ByteBuffer.allocate(4).putInt(3).array()));
            producer.send(dlt, (m, error) -> {
                if (error != null) {
                    LOG.warn("Demo saga: dead-lettering {} failed: {}", orderId, error.toString());
                }
            });
            completed();
        }

        private void sendStep(int step, byte[] body) {
            producer.send(record(step, body), (meta, error) -> {
                if (error != null) {
                    LOG.warn("Demo saga: sending step {} of {} failed: {}", EVENT_TYPES.get(step), orderId, error.toString());
                }
            });
        }

        /** The topic of event {@code event} (a step 0..3, or {@link #CAPTURED} on payments). */
        private static String topicOf(int event) {
            return event == CAPTURED ? STEP_TOPICS.get(1) : STEP_TOPICS.get(event);
        }

        /**
         * The sequence of event {@code event}: the saga's events numbered per key in production order,
         * so an out-of-order flow's PaymentCaptured is 3 and its later steps move up by one.
         */
        private int sequenceOf(int event) {
            if (fault == Fault.OUT_OF_ORDER) {
                return event == CAPTURED ? 3 : event >= 2 ? event + 2 : event + 1;
            }
            return event + 1;
        }

        private ProducerRecord<byte[], byte[]> record(int step, byte[] body) {
            ProducerRecord<byte[], byte[]> rec = new ProducerRecord<>(topicOf(step), null,
                    System.currentTimeMillis(), orderId.getBytes(StandardCharsets.UTF_8), body);
            rec.headers()
                    .add(header("correlationId", correlationId))
                    .add(header("eventId", eventIds[step]))
                    .add(header("eventType", EVENT_TYPES.get(step)))
                    .add(header("sequence", Integer.toString(sequenceOf(step))))
                    .add(header("content-type", "application/json"));
            return rec;
        }

        private byte[] payload(int step) {
            ObjectNode node = base(step);
            switch (step) {
                case 1 -> {
                    node.put("paymentId", "pay-" + orderId.substring(4));
                    node.put("amount", total);
                    node.put("currency", "EUR");
                    node.put("status", "AUTHORIZED");
                }
                case CAPTURED -> {
                    node.put("paymentId", "pay-" + orderId.substring(4));
                    node.put("amount", total);
                    node.put("currency", "EUR");
                    node.put("status", "CAPTURED");
                }
                case 2 -> {
                    node.put("warehouse", "DC-" + (1 + Math.floorMod(orderId.hashCode(), 3)));
                    node.putArray("items").addObject().put("sku", sku).put("quantity", quantity);
                }
                case 3 -> {
                    node.put("channel", "email");
                    node.put("template", "order-confirmed");
                }
                default -> {
                }
            }
            return bytes(node);
        }

        private byte[] conflictingPayment() {
            ObjectNode node = base(1);
            node.put("paymentId", "pay-" + orderId.substring(4));
            node.put("amount", total.add(BigDecimal.TEN));
            node.put("currency", "EUR");
            node.put("status", "CAPTURED");
            return bytes(node);
        }

        private ObjectNode base(int step) {
            ObjectNode node = JSON.createObjectNode();
            node.put("eventId", eventIds[step]);
            node.put("correlationId", correlationId);
            node.put("type", EVENT_TYPES.get(step));
            node.put("orderId", orderId);
            if (eventTimes[step] == null) {
                eventTimes[step] = Instant.now();   // a rebuilt event keeps its time: only its content differs
            }
            node.put("timestamp", eventTimes[step].toString());
            node.put("sequence", sequenceOf(step));
            return node;
        }
    }

    private static RecordHeader header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a demo event: " + e.getMessage(), e);
        }
    }

    /** For tests: the faults of the first {@code n} flows with these settings. */
    static List<Fault> scheduleOfFirst(int n, int faultEvery) {
        List<Fault> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(faultOf(i, faultEvery));
        }
        return out;
    }
}
