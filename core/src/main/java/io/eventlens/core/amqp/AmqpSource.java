package io.eventlens.core.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.ShutdownSignalException;
import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.FieldDeriver;
import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.store.StreamPosition;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A RabbitMQ broker as a {@link CaptureSource} (docs/decisions/0011-amqp-source.md), reading without
 * disturbing the system under test:
 *
 * <ul>
 * <li><b>Tap</b>: for each exchange to tap, each queue to spy on, and the firehose, a queue of
 *     EventLens's own ({@code eventlens.tap.<target>.<random>}) bound like the target, so the
 *     system's own queues and consumers see exactly what they saw before. It is a stream queue
 *     ({@code x-queue-type: stream}, size and age retention): it survives a crash of the capture and
 *     a resumed capture continues at the stored stream offset (position stream {@code tap/<queue>},
 *     token the next offset), so nothing is lost or doubled. Where streams are unavailable it is a
 *     classic queue with a length limit (the oldest messages are dropped when the capture falls that
 *     far behind; a crash redelivers unacknowledged messages). It is deleted when the capture ends
 *     unless {@link AmqpCaptureConfig#keepTap()}. Retention that dropped messages before they were
 *     read ({@link #truncated()}) and time the broker blocked the connection ({@link #blockedMs()})
 *     are logged with the numbers.</li>
 * <li><b>Browse</b>: a queue read without consuming it, by its type: a stream by offset (untouched);
 *     a classic or quorum queue by getting every message without acknowledgement and returning them
 *     all at once, in their original order (they are marked redelivered and hidden from consumers
 *     meanwhile; a quorum queue counts one more delivery each). Refused, unless forced, when the
 *     queue has consumers, when a quorum queue has a delivery limit, or when its type cannot be read.</li>
 * </ul>
 *
 * <p>Events: observed time = the capture time, or for a browsed dead-lettered message its
 * dead-letter time from {@code x-death}; headers by {@link AmqpHeaders}; position
 * {@link AmqpPosition}; channel = the exchange (tap, firehose) or the queue (spy, browse).
 */
public final class AmqpSource implements CaptureSource {

    private static final Logger LOG = LoggerFactory.getLogger(AmqpSource.class);
    /** The kind, as in {@link io.eventlens.core.model.SourcePosition#sourceKind()}. */
    public static final String KIND = AmqpPosition.KIND;
    /** Unacknowledged deliveries per tap channel at most: the tap's in-flight bound. */
    static final int PREFETCH = 4_000;
    /** Records per batch at most. */
    static final int BATCH_MAX = 2_000;
    /** How long a tap's batch waits for more deliveries after its first one: 5 ms. */
    static final long LINGER_NANOS = 5_000_000L;
    /** The firehose exchange. */
    public static final String FIREHOSE_EXCHANGE = "amq.rabbitmq.trace";
    private static final String DEFAULT_EXCHANGE_CHANNEL = "amq.default";
    private static final String STREAM_PREFIX = "tap/";
    /** Routing key prefix of the alarm watch's one publish (to the default exchange, routed nowhere). */
    static final String ALARM_WATCH_PREFIX = "eventlens.alarm-watch.";
    /** How often the alarm watch publishes while not blocked, in ms. */
    static final long ALARM_WATCH_INTERVAL_MS = 1_000;
    /** The header a stream queue adds to each delivery: the message's offset. */
    private static final String STREAM_OFFSET_HEADER = "x-stream-offset";
    private static final Duration BROWSE_IDLE = Duration.ofSeconds(2);

    private final AmqpCaptureConfig config;
    private final String endpoint;
    /** The client-provided connection name, as the broker's connection list shows it. */
    private final String connectionName = "eventlens-capture-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    /** Channels by exchange name and by queue name: looked up per message, so keyed by the plain name. */
    private final Map<String, io.eventlens.core.model.Channel> exchangeChannels = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, io.eventlens.core.model.Channel> queueChannels = new java.util.concurrent.ConcurrentHashMap<>();
    private final BlockingQueue<Delivered> inbox = new LinkedBlockingQueue<>();
    private final List<Tap> taps = new ArrayList<>();
    private final List<Browse> browses = new ArrayList<>();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong blockedMs = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger reconnects = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Instant blockedSince;
    private volatile String blockedReason;
    private final java.util.concurrent.atomic.AtomicInteger blockedTimes = new java.util.concurrent.atomic.AtomicInteger();
    /** The alarm watch: a connection of its own that published once, so the broker tells it when it blocks publishers. */
    private volatile Connection alarmWatch;
    private final String alarmWatchKey = ALARM_WATCH_PREFIX + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    private volatile Connection connection;
    private volatile String sourceId;
    private volatile Instant lostSince;
    private volatile boolean closing;
    private AmqpManagement management;

    /** Modes of reading, as stored in {@link AmqpPosition#mode()}. */
    enum Mode {
        TAP, SPY, FIREHOSE, BROWSE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One tap queue of EventLens's own. */
    private final class Tap {
        final Mode mode;
        final String target;
        final List<AmqpCaptureConfig.Binding> bindings;
        String queue;
        boolean stream;
        /** The next stream offset to read (-1: from the first). */
        long next = -1;
        /** Resume from the first retained offset: retention removed {@link #next}. */
        boolean startAtFirst;
        /** The last stream offset handed to the pipeline (-1: none yet). */
        volatile long lastDelivered = -1;
        Channel channel;
        String consumerTag;

        Tap(Mode mode, String target, List<AmqpCaptureConfig.Binding> bindings) {
            this.mode = mode;
            this.target = target;
            this.bindings = bindings;
        }

        String key() {
            return mode.label() + "." + target.replaceAll("[^A-Za-z0-9_.-]", "_");
        }
    }

    /** One queue to browse, as the broker and the management API describe it. */
    private record Browse(String queue, String type, int consumers, long messages, Long deliveryLimit) {
    }

    /** One delivery, still in amqp-client's shape. */
    private record Delivered(Tap tap, Channel channel, Envelope envelope, AMQP.BasicProperties properties, byte[] body,
                             String browsedQueue, Long offset) {
    }

    /** A source reading what {@code config} names (its limits are the pipeline's: {@link AmqpCaptureConfig#limits()}). */
    public AmqpSource(AmqpCaptureConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = config.endpoint();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Not live once every tap is a stream queue, which keeps what the capture has not read yet (its
     * retention aside): the pipeline may then wait for the flow summaries. Live with a classic tap
     * (a length limit drops the oldest when the capture falls behind) or the firehose, and before
     * {@link #open}.
     */
    @Override
    public boolean live() {
        return taps.isEmpty() || taps.stream().anyMatch(t -> !t.stream);   // taps are set up by open(), on the pipeline's thread
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public Duration outageGrace() {
        return config.connectTimeout();
    }

    @Override
    public String sourceId() {
        return sourceId;
    }

    /** The connection's client-provided name ({@code eventlens-capture-<hex>}), as the broker lists it. */
    public String connectionName() {
        return connectionName;
    }

    /** How often the source reconnected after losing its connection, so far. */
    public int reconnects() {
        return reconnects.get();
    }

    /** Messages retention dropped from a tap before they were read, so far. */
    public long truncated() {
        return truncated.get();
    }

    /**
     * Milliseconds the broker blocked publishing connections (a resource alarm: memory or disk), so
     * far, including a block still going on. While it blocks, the system's publishers cannot
     * publish, so the capture sees nothing from them: this says why. RabbitMQ tells only
     * connections that have published ({@code connection.blocked}, seen with 3.10), so the source
     * watches through a connection of its own that published one message nobody receives (the
     * default exchange, routing key {@code eventlens.alarm-watch.<random>}, no such queue); the
     * capture's consuming connection is never blocked.
     */
    public long blockedMs() {
        Instant since = blockedSince;
        return blockedMs.get() + (since == null ? 0 : Duration.between(since, Instant.now()).toMillis());
    }

    /** How many times the broker blocked publishing connections during the capture, so far. */
    public int blockedTimes() {
        return blockedTimes.get();
    }

    /** True while the broker blocks publishing connections. */
    public boolean blocked() {
        return blockedSince != null;
    }

    /**
     * The retention losses and resource-alarm blocks so far, as sentences with the numbers
     * (docs/decisions/0011-amqp-source.md): "up to N messages were dropped by the tap's retention
     * before they were read", "the broker blocks publishers now (low on memory), for N s so far",
     * "the broker blocked publishers N time(s) for M ms in total (low on memory)".
     */
    @Override
    public java.util.List<String> warnings() {
        java.util.List<String> out = new java.util.ArrayList<>(2);
        long lost = truncated();
        if (lost > 0) {
            out.add(String.format(java.util.Locale.ROOT, "%s: up to %d messages were dropped by the tap's retention before"
                    + " they were read", endpoint(), lost));
        }
        if (blocked()) {
            out.add(String.format(java.util.Locale.ROOT, "%s: the broker blocks publishers now (%s), for %.0f s so far:"
                    + " the system cannot publish meanwhile", endpoint(), blockedReason(), blockedMs() / 1000.0));
        } else if (blockedTimes() > 0) {
            out.add(String.format(java.util.Locale.ROOT, "%s: the broker blocked publishers %d time(s) for %d ms in total"
                    + " (%s): the system could not publish meanwhile", endpoint(), blockedTimes(), blockedMs(), blockedReason()));
        }
        return out;
    }

    /** The broker's reason for the last block ({@code "low on memory"}, {@code "low on disk"}), or null when none. */
    public String blockedReason() {
        return blockedReason;
    }

    /**
     * How each target is read, for people: {@code "tap exchange orders (stream queue eventlens.tap...)"},
     * {@code "spy on queue q (bindings from the management API)"}, {@code "browse stream queue orders.dlq"}.
     * Known once {@link #open} returned.
     */
    public List<String> modes() {
        List<String> out = new ArrayList<>();
        for (Tap t : taps) {
            String what = switch (t.mode) {
                case TAP -> "tap exchange " + t.target + " with binding keys "
                        + t.bindings.stream().map(AmqpCaptureConfig.Binding::bindingKey).toList();
                case SPY -> "spy on queue " + t.target + " with its " + t.bindings.size() + " bindings " + t.bindings;
                case FIREHOSE -> "firehose " + FIREHOSE_EXCHANGE + " (publishes to every exchange, the default one included)";
                case BROWSE -> throw new IllegalStateException();
            };
            out.add(what + " via " + (t.stream ? "stream" : "classic (length-limited)") + " queue " + t.queue
                    + (t.next >= 0 ? " resuming at offset " + t.next : ""));
        }
        for (Browse b : browses) {
            out.add("browse " + b.type + " queue " + b.queue + " (" + b.messages + " messages"
                    + (b.type.equals("stream") ? ", read by offset, untouched)"
                    : ", got without acknowledgement and returned in order: marked redelivered"
                    + (b.type.equals("quorum") ? ", delivery count + 1" : "") + ")"));
        }
        return out;
    }

    // ------------------------------------------------------------------ open

    /**
     * Connects (bounded by the connect timeout), checks that every named exchange and queue exists,
     * reads spied queues' bindings and browsed queues' types (management API, else what the config
     * gives), decides the browses (refusals), and declares and binds the tap queues, resuming those
     * named by stored positions that still exist.
     *
     * @throws AmqpConnectException naming the endpoint (and exchange or queue): unreachable, refused
     *                              credentials, a missing exchange or queue, a refused browse
     */
    @Override
    public void open(StoredPositions stored) {
        Connection c = connect();
        connection = c;
        Map<String, Object> server = c.getServerProperties();
        Object cluster = server == null ? null : server.get("cluster_name");
        sourceId = "rabbitmq " + (cluster == null ? config.host() + ":" + config.port() : cluster.toString())
                + " vhost " + config.virtualHost();
        management = new AmqpManagement(config);
        try {
            for (AmqpCaptureConfig.ExchangeTap e : config.exchanges()) {
                requireExchange(e.name());
                exchangeTypeWarning(e);
                taps.add(new Tap(Mode.TAP, e.name(),
                        e.effectiveKeys().stream().map(k -> new AmqpCaptureConfig.Binding(e.name(), k)).toList()));
            }
            for (AmqpCaptureConfig.SpyQueue q : config.spyQueues()) {
                passiveQueue(q.name());
                List<AmqpCaptureConfig.Binding> bindings = management.bindings(q.name()).filter(b -> !b.isEmpty())
                        .orElse(q.bindings());
                if (bindings.isEmpty()) {
                    throw new AmqpConnectException(endpoint + ": the bindings of queue '" + q.name() + "' are unknown: the"
                            + " management API at " + management.url() + " gave none; name them (exchange=binding key)");
                }
                taps.add(new Tap(Mode.SPY, q.name(), bindings));
            }
            if (config.firehose()) {
                requireExchange(FIREHOSE_EXCHANGE);
                taps.add(new Tap(Mode.FIREHOSE, FIREHOSE_EXCHANGE,
                        List.of(new AmqpCaptureConfig.Binding(FIREHOSE_EXCHANGE, "publish.#"))));
            }
            for (String q : config.browseQueues()) {
                browses.add(decideBrowse(q));
            }
            watchAlarms();
            Map<String, StreamPosition> resumable = new HashMap<>();
            for (StreamPosition p : stored.of(sourceId)) {
                if (p.stream().startsWith(STREAM_PREFIX)) {
                    resumable.put(p.stream().substring(STREAM_PREFIX.length()), p);
                }
            }
            for (Tap t : taps) {
                declareTap(t, resumable);
            }
            c.addBlockedListener(blockedListener);
            c.addShutdownListener(cause -> {
                if (!closing && !cause.isInitiatedByApplication()) {
                    lostSince = Instant.now();
                }
            });
            for (String m : modes()) {
                LOG.info("{}: {}", endpoint, m);
            }
        } catch (IOException e) {
            throw new AmqpConnectException(endpoint + ": " + message(e), e);
        }
    }

    /** Counts the time the broker blocks publishing connections, with its reason; logs both ends. */
    private final BlockedListener blockedListener = new BlockedListener() {
        @Override
        public void handleBlocked(String reason) {
            synchronized (this) {
                if (blockedSince != null) {
                    return;   // told on both connections
                }
                blockedSince = Instant.now();
                blockedReason = reason;
                blockedTimes.incrementAndGet();
            }
            LOG.warn("{} blocks publishing connections: {} (a resource alarm: the system's publishers cannot publish"
                    + " until it clears; the tap queues keep what was published)", endpoint, reason);
        }

        @Override
        public void handleUnblocked() {
            long ms;
            synchronized (this) {
                Instant since = blockedSince;
                if (since == null) {
                    return;
                }
                ms = Duration.between(since, Instant.now()).toMillis();
                blockedMs.addAndGet(ms);
                blockedSince = null;
            }
            LOG.warn("{} unblocked publishing connections after {} ms ({} ms blocked in total)", endpoint, ms, blockedMs.get());
        }
    };

    /**
     * Opens the alarm watch (see {@link #blockedMs()}): a connection of its own that publishes one
     * byte to no queue every {@link #ALARM_WATCH_INTERVAL_MS} ms while the broker does not block
     * it (the default exchange drops it: not mandatory, no queue of that name). RabbitMQ 3.10
     * blocks a connection, and tells it, when it publishes during a resource alarm; a connection
     * that only consumes is never told. Without the watch (a refused publish, no connection) the
     * capture goes on, logging that blocks are not reported.
     */
    private void watchAlarms() {
        Connection w = null;
        try {
            w = AmqpConnections.open(config, connectionName + "-alarm-watch");
            w.addBlockedListener(blockedListener);
            Channel ch = w.createChannel();
            byte[] dot = {'.'};
            ch.basicPublish("", alarmWatchKey, false, null, dot);
            alarmWatch = w;
            Thread t = new Thread(() -> {
                while (!closing && ch.isOpen()) {
                    try {
                        Thread.sleep(ALARM_WATCH_INTERVAL_MS);
                        if (!closing && blockedSince == null) {
                            ch.basicPublish("", alarmWatchKey, false, null, dot);
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException | RuntimeException e) {
                        LOG.info("{}: the resource alarm watch stopped ({}); blocked publishers are no longer reported",
                                endpoint, message(e));
                        return;
                    }
                }
            }, "eventlens-amqp-alarm-watch");
            t.setDaemon(true);
            t.start();
        } catch (RuntimeException | IOException e) {
            LOG.info("{}: cannot watch the broker's resource alarms ({}); blocked publishers are not reported", endpoint,
                    message(e));
            if (w != null) {
                w.abort(1_000);
            }
        }
    }

    /** True for a firehose trace of the alarm watch's own publish, which is no event of the system. */
    private boolean ownPublish(Delivered d) {
        Map<String, Object> h = d.properties == null ? null : d.properties.getHeaders();
        return h != null && h.get("routing_keys") instanceof List<?> keys && !keys.isEmpty()
                && text(keys.get(0)).startsWith(ALARM_WATCH_PREFIX);
    }

    private Connection connect() {
        return AmqpConnections.open(config, connectionName);
    }

    private static String message(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof ShutdownSignalException s && s.getReason() != null) {
                return s.getReason().toString().replaceAll("#method<[^>]*>", "").trim();
            }
            if (t.getMessage() != null && !(t instanceof IOException && t.getCause() != null)) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        return e.toString();
    }

    /** Runs {@code action} on a fresh channel, closed afterwards; a channel error becomes an IOException. */
    private <T> T onChannel(ChannelAction<T> action) throws IOException {
        Channel ch = connection.createChannel();
        try {
            return action.run(ch);
        } finally {
            if (ch.isOpen()) {
                try {
                    ch.close();
                } catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException e) {
                    LOG.debug("closing a channel of {}", endpoint, e);
                }
            }
        }
    }

    @FunctionalInterface
    private interface ChannelAction<T> {
        T run(Channel ch) throws IOException;
    }

    private void requireExchange(String name) throws IOException {
        try {
            onChannel(ch -> ch.exchangeDeclarePassive(name));
        } catch (IOException e) {
            throw new AmqpConnectException(endpoint + ": exchange '" + name + "' does not exist (" + message(e) + ")", e);
        }
    }

    private AMQP.Queue.DeclareOk passiveQueue(String name) {
        try {
            return onChannel(ch -> ch.queueDeclarePassive(name));
        } catch (IOException e) {
            throw new AmqpConnectException(endpoint + ": queue '" + name + "' does not exist (" + message(e) + ")", e);
        }
    }

    private void exchangeTypeWarning(AmqpCaptureConfig.ExchangeTap e) {
        if (e.bindingKeys().isEmpty()) {
            management.exchangeType(e.name()).filter("direct"::equals).ifPresent(t -> LOG.warn(
                    "{}: exchange '{}' is a direct exchange: binding key # matches only the routing key '#'; name the"
                            + " binding keys to tap", endpoint, e.name()));
        }
    }

    private Browse decideBrowse(String queue) {
        AMQP.Queue.DeclareOk ok = passiveQueue(queue);
        Optional<AmqpManagement.QueueInfo> info = management.queue(queue);
        String type = info.map(AmqpManagement.QueueInfo::type).orElse(null);
        Long limit = info.map(AmqpManagement.QueueInfo::deliveryLimit).orElse(null);
        Browse b = new Browse(queue, type == null ? "unknown" : type, ok.getConsumerCount(), ok.getMessageCount(), limit);
        if (config.forceBrowse() || "stream".equals(type)) {
            if (type == null) {
                LOG.warn("{}: browsing queue '{}' of unknown type (forced): got without acknowledgement and returned", endpoint, queue);
            }
            return b;
        }
        if (type == null) {
            throw new AmqpConnectException(endpoint + ": cannot tell the type of queue '" + queue + "' (the management API at "
                    + management.url() + " cannot be read): browsing a classic or quorum queue marks its messages"
                    + " redelivered and a quorum queue counts a delivery each; force the browse to accept that");
        }
        if (b.consumers > 0) {
            throw new AmqpConnectException(endpoint + ": queue '" + queue + "' (" + type + ") has " + b.consumers
                    + " active consumer(s): a browse would compete with them for its " + b.messages
                    + " messages and reorder them; force the browse to read it anyway");
        }
        if ("quorum".equals(type) && limit != null) {
            throw new AmqpConnectException(endpoint + ": quorum queue '" + queue + "' has a delivery limit of " + limit
                    + ": browsing returns each of its " + b.messages + " messages once, raising its delivery count by 1,"
                    + " and RabbitMQ shows a message's count only by delivering it, so a message already delivered "
                    + limit + " times would be dead-lettered or dropped; force the browse to accept that");
        }
        return b;
    }

    private void declareTap(Tap t, Map<String, StreamPosition> resumable) throws IOException {
        String prefix = "eventlens.tap." + t.key() + ".";
        for (Map.Entry<String, StreamPosition> e : resumable.entrySet()) {
            if (e.getKey().startsWith(prefix) && exists(e.getKey())) {
                t.queue = e.getKey();
                t.stream = true;
                t.next = offset(e.getValue());
                bind(t);
                long first = firstOffset(t.queue);
                if (first > t.next || first < 0) {
                    // RabbitMQ delivers nothing from an offset its retention removed: start at the first
                    // retained one; the gap is counted as truncation when it arrives. When the first
                    // offset is not known in time (a busy broker), start there too: deliveries before
                    // the stored offset are skipped (deliverTaps), so nothing is stored twice
                    t.startAtFirst = true;
                }
                LOG.info("{}: resuming tap queue {} at stream offset {}{}", endpoint, t.queue, t.next,
                        first < 0 ? " (its first retained offset is not known yet: reading from the first, skipping"
                                + " what was stored)" : t.startAtFirst ? " (retention removed offsets before " + first + ")" : "");
                return;
            }
        }
        t.queue = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        Map<String, Object> stream = new HashMap<>();
        stream.put("x-queue-type", "stream");
        stream.put("x-max-length-bytes", config.tapMaxBytes());
        stream.put("x-max-age", config.tapMaxAge().toSeconds() + "s");
        stream.put("x-stream-max-segment-size-bytes", (int) Math.min(config.tapMaxBytes(), 50_000_000L));
        try {
            if (config.classicTap()) {
                throw new IOException("a classic tap queue was asked for");
            }
            if (t.mode == Mode.FIREHOSE) {
                throw new IOException("the firehose's trace messages carry the original in header tables, which a stream drops");
            }
            onChannel(ch -> ch.queueDeclare(t.queue, true, false, false, stream));
            t.stream = true;
        } catch (IOException e) {
            Map<String, Object> classic = new HashMap<>();
            classic.put("x-max-length", config.classicMaxLength());
            classic.put("x-overflow", "drop-head");
            onChannel(ch -> ch.queueDeclare(t.queue, false, false, false, classic));
            t.stream = false;
            LOG.warn("{}: no stream queue ({}); tapping through classic queue {} limited to {} messages:"
                            + " if the capture falls that far behind the oldest are dropped, and a crash of the capture"
                            + " may redeliver messages it already stored", endpoint, message(e), t.queue,
                    config.classicMaxLength());
        }
        bind(t);
    }

    private boolean exists(String queue) {
        try {
            onChannel(ch -> ch.queueDeclarePassive(queue));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The first offset the stream delivers now, or -1 when it delivers none within the connect
     * timeout (an empty stream). A busy broker may take seconds to start a stream consumer.
     */
    private long firstOffset(String stream) throws IOException {
        BlockingQueue<Long> got = new LinkedBlockingQueue<>();
        return onChannel(ch -> {
            ch.basicQos(1);
            String tag = ch.basicConsume(stream, false, Map.of("x-stream-offset", "first"), new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String t, Envelope env, AMQP.BasicProperties props, byte[] body) {
                    Long o = streamOffset(props);
                    got.add(o == null ? -1L : o);
                }
            });
            try {
                Long first = got.poll(Math.max(2_000, config.connectTimeout().toMillis()), TimeUnit.MILLISECONDS);
                return first == null ? -1L : first;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1L;
            } finally {
                ch.basicCancel(tag);
            }
        });
    }

    private long offset(StreamPosition p) {
        try {
            long o = Long.parseLong(p.token());
            if (o >= 0) {
                return o;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalStateException("the stored position of " + p.stream() + " (" + endpoint + ") is '" + p.token()
                + "', not a stream offset; capture into a new store");
    }

    private void bind(Tap t) throws IOException {
        for (AmqpCaptureConfig.Binding b : t.bindings) {
            onChannel(ch -> ch.queueBind(t.queue, b.exchange(), b.bindingKey()));
        }
    }

    // ------------------------------------------------------------------ run

    /**
     * Starts a consumer on each tap queue, browses each queue to browse, then delivers the taps'
     * messages in batches until the capture stops (returns after the browses when there is no tap).
     * A lost connection is retried every 2 s; each stream tap resumes after the last offset it delivered.
     */
    @Override
    public void run(SourceContext context) throws InterruptedException {
        if (connection == null) {
            throw new IllegalStateException("open the source before running it");
        }
        try {
            startConsumers();
            for (Browse b : browses) {
                if (context.stopping()) {
                    return;
                }
                if (b.type.equals("stream")) {
                    browseStream(b, context);
                } else {
                    browseByGet(b, context);
                }
            }
            if (taps.isEmpty()) {
                return;
            }
            List<Delivered> batch = new ArrayList<>(BATCH_MAX);
            long lastReconnect = 0;
            while (!context.stopping()) {
                Delivered first = inbox.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (!connection.isOpen() && System.nanoTime() - lastReconnect > 2_000_000_000L) {
                        lastReconnect = System.nanoTime();
                        reconnect();
                    }
                    continue;
                }
                batch.add(first);
                fill(batch);
                if (!deliverTaps(batch, context)) {
                    return;
                }
                batch = new ArrayList<>(BATCH_MAX);
            }
        } catch (IOException e) {
            throw new AmqpConnectException(endpoint + ": " + message(e), e);
        } finally {
            cancelConsumers();
        }
    }

    /**
     * Fills {@code batch} (one delivery in it) up to {@link #BATCH_MAX} with what arrives within
     * {@link #LINGER_NANOS} of its first delivery. A busy tap then hands the pipeline batches of
     * hundreds to thousands instead of the few dozen that arrived since the last one: fewer batches
     * to convert, commit and acknowledge (each batch is one acknowledgement frame per channel).
     */
    private void fill(List<Delivered> batch) throws InterruptedException {
        inbox.drainTo(batch, BATCH_MAX - batch.size());
        long end = System.nanoTime() + LINGER_NANOS;
        while (batch.size() < BATCH_MAX) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Delivered next = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            inbox.drainTo(batch, BATCH_MAX - batch.size());
        }
    }

    private boolean deliverTaps(List<Delivered> all, SourceContext context) throws InterruptedException {
        // a tap read from its stream's first offset (startAtFirst) sees again what was already
        // delivered or stored before: skipped here, and credited so the stream keeps delivering
        List<Delivered> batch = new ArrayList<>(all.size());
        List<Delivered> seen = new ArrayList<>();
        for (Delivered d : all) {
            Tap t = d.tap;
            long expected = t == null ? 0 : t.lastDelivered >= 0 ? t.lastDelivered + 1 : Math.max(0, t.next);
            if (d.offset != null && t != null && t.stream && d.offset < expected) {
                seen.add(d);
            } else if (t != null && t.mode == Mode.FIREHOSE && ownPublish(d)) {
                continue;   // acknowledged with the next acknowledgement of its channel (multiple)
            } else {
                batch.add(d);
            }
        }
        if (!seen.isEmpty()) {
            creditStreams(seen, seen.size());
        }
        if (batch.isEmpty()) {
            return true;
        }
        long bytes = 0;
        for (Delivered d : batch) {
            bytes += d.body.length + 200;
            if (d.offset != null) {
                Tap t = d.tap;
                long expected = t.lastDelivered >= 0 ? t.lastDelivered + 1 : Math.max(0, t.next);
                // A stream skips one offset where a segment begins (seen with RabbitMQ 3.10): a gap of
                // one is that; a longer gap is retention that removed segments before they were read.
                if (d.offset > expected + 1) {
                    long lost = d.offset - expected - 1;
                    truncated.addAndGet(lost);
                    LOG.warn("{}: tap queue {} lost up to {} messages (offsets {} to {}) to its size or age retention"
                            + " before they were read", endpoint, t.queue, lost, expected, d.offset - 1);
                }
                if (d.offset > t.lastDelivered) {
                    t.lastDelivered = d.offset;
                }
            }
        }
        List<Delivered> records = batch;
        int taken = context.deliver(new SourceBatch<>(records, this::toEvent, Instant.now(), bytes,
                n -> positionsAfter(records, n), n -> acknowledge(records, n)));
        creditStreams(records, taken);
        return taken == records.size();
    }

    /**
     * Acknowledges stream deliveries as soon as the pipeline took them: on a stream an
     * acknowledgement removes nothing, it only gives the consumer credit, and where the capture
     * resumes is the stored offset. (Waiting for the commit would hold the tap to one prefetch per
     * commit.) One {@code multiple} acknowledgement per channel: the run thread sees each
     * channel's deliveries in order.
     */
    private void creditStreams(List<Delivered> records, int taken) {
        Channel single = null;
        long singleTag = -1;
        Map<Channel, Long> last = null;
        for (int i = 0; i < taken; i++) {
            Delivered d = records.get(i);
            if (d.tap != null && d.tap.stream && d.channel != null) {
                long tag = d.envelope.getDeliveryTag();
                if (single == null || single == d.channel) {    // the common case: one tap, no map
                    single = d.channel;
                    singleTag = Math.max(singleTag, tag);
                } else {
                    if (last == null) {
                        last = new HashMap<>(4);
                    }
                    last.merge(d.channel, tag, Math::max);
                }
            }
        }
        if (single != null) {
            ack(single, singleTag, "crediting a stream consumer of {} failed");
        }
        if (last != null) {
            last.forEach((ch, tag) -> ack(ch, tag, "crediting a stream consumer of {} failed"));
        }
    }

    private List<StreamPosition> positionsAfter(List<Delivered> records, int n) {
        Map<String, Long> next = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Delivered d = records.get(i);
            if (d.offset != null && d.tap != null && d.tap.stream) {
                next.merge(d.tap.queue, d.offset + 1, Math::max);
            }
        }
        List<StreamPosition> out = new ArrayList<>(next.size());
        next.forEach((q, o) -> out.add(new StreamPosition(sourceId, STREAM_PREFIX + q, Long.toString(o))));
        return out;
    }

    /**
     * Acknowledges the committed deliveries of classic taps: one {@code multiple} acknowledgement
     * per channel, of the highest delivery tag among the first {@code n} records. That covers no
     * delivery still in flight: the run thread delivers each channel's deliveries in tag order,
     * and the pipeline commits batches in the order they were delivered (one run thread), so every
     * lower tag of the channel is in this batch or in one committed before.
     */
    private void acknowledge(List<Delivered> records, int n) {
        Map<Channel, Long> last = null;
        for (int i = 0; i < n; i++) {
            Delivered d = records.get(i);
            if (d.tap != null && !d.tap.stream && d.channel != null) { // streams: credited when taken (creditStreams)
                if (last == null) {
                    last = new HashMap<>(4);
                }
                last.merge(d.channel, d.envelope.getDeliveryTag(), Math::max);
            }
        }
        if (last != null) {
            last.forEach((ch, tag) -> ack(ch, tag, "acknowledging deliveries of {} failed; the broker may deliver them again"));
        }
    }

    private void ack(Channel ch, long tag, String failure) {
        try {
            if (ch.isOpen()) {
                ch.basicAck(tag, true);
            }
        } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
            LOG.debug(failure, endpoint, e);
        }
    }

    private void startConsumers() throws IOException {
        for (Tap t : taps) {
            Channel ch = connection.createChannel();
            ch.basicQos(PREFETCH);
            Map<String, Object> args = new HashMap<>();
            if (t.stream) {
                long from = t.lastDelivered >= 0 ? t.lastDelivered + 1 : t.next;
                args.put("x-stream-offset", from >= 0 && !t.startAtFirst ? (Object) from : "first");
            }
            t.channel = ch;
            t.consumerTag = ch.basicConsume(t.queue, false, args, new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
                    inbox.add(new Delivered(t, getChannel(), env, props, body, null, streamOffset(props)));
                }
            });
        }
    }

    private void cancelConsumers() {
        for (Tap t : taps) {
            Channel ch = t.channel;
            if (ch != null && ch.isOpen() && t.consumerTag != null) {
                try {
                    ch.basicCancel(t.consumerTag);
                } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
                    LOG.debug("cancelling the consumer of {} on {}", t.queue, endpoint, e);
                }
            }
        }
    }

    private void reconnect() {
        try {
            Connection c = connect();
            Connection old = connection;
            connection = c;
            closeQuietly(old);
            inbox.clear(); // deliveries of the old connection: redelivered (classic) or re-read by offset (stream)
            for (Tap t : taps) {
                long from = t.lastDelivered >= 0 ? t.lastDelivered + 1 : t.next;
                // retention may have removed where the tap stopped while it was away (see declareTap)
                if (t.stream && from >= 0) {
                    long first = firstOffset(t.queue);
                    t.startAtFirst = first > from || first < 0;   // unknown: from the first, skipping what was delivered
                } else {
                    t.startAtFirst = false;
                }
            }
            c.addShutdownListener(cause -> {
                if (!closing && !cause.isInitiatedByApplication()) {
                    lostSince = Instant.now();
                }
            });
            startConsumers();
            LOG.info("{}: reconnected; tap queues resume after the last offset delivered", endpoint);
            lostSince = null;
            reconnects.incrementAndGet();
        } catch (RuntimeException | IOException e) {
            LOG.debug("{}: reconnecting failed: {}", endpoint, e.getMessage());
        }
    }

    private static Long streamOffset(AMQP.BasicProperties props) {
        Map<String, Object> h = props == null ? null : props.getHeaders();
        return h != null && h.get("x-stream-offset") instanceof Number n ? n.longValue() : null;
    }

    // ------------------------------------------------------------------ browse

    /** Reads a stream queue from its first offset to the count it had when the capture opened. */
    private void browseStream(Browse b, SourceContext context) throws IOException, InterruptedException {
        BlockingQueue<Delivered> got = new LinkedBlockingQueue<>();
        Channel ch = connection.createChannel();
        try {
            ch.basicQos(BATCH_MAX);
            String tag = ch.basicConsume(b.queue, false, Map.of("x-stream-offset", "first"), new DefaultConsumer(ch) {
                @Override
                public void handleDelivery(String t, Envelope env, AMQP.BasicProperties props, byte[] body) {
                    got.add(new Delivered(null, getChannel(), env, props, body, b.queue, streamOffset(props)));
                }
            });
            // a stream's message count is its next offset (offsets include one per segment start):
            // read to the offset before it, or until nothing comes for a while (retention, an empty stream)
            long end = b.messages;
            long read = 0;
            long lastOffset = -1;
            List<Delivered> batch = new ArrayList<>();
            while (lastOffset + 1 < end && !context.stopping()) {
                Delivered d = got.poll(BROWSE_IDLE.toMillis(), TimeUnit.MILLISECONDS);
                if (d == null) {
                    break;
                }
                batch.add(d);
                got.drainTo(batch, BATCH_MAX - 1);
                for (int i = 0; i < batch.size(); i++) {
                    Long o = batch.get(i).offset;
                    if (o != null && o >= end) { // published after the browse began: not part of it
                        batch = new ArrayList<>(batch.subList(0, i));
                        lastOffset = end;
                        break;
                    }
                    if (o != null) {
                        lastOffset = o;
                    }
                }
                if (batch.isEmpty()) {
                    break;
                }
                read += batch.size();
                if (deliverBrowsed(batch, context) < batch.size()) {
                    break;
                }
                // a stream is not changed by acknowledgements: they only give the consumer credit
                ch.basicAck(batch.get(batch.size() - 1).envelope.getDeliveryTag(), true);
                batch = new ArrayList<>();
            }
            ch.basicCancel(tag);
            LOG.info("{}: browsed {} messages of stream queue {} by offset (up to offset {})", endpoint, read, b.queue, end - 1);
        } finally {
            closeQuietly(ch);
        }
    }

    /**
     * Gets every message of a classic or quorum queue without acknowledging it, then returns them
     * all at once (one {@code basic.nack} with {@code multiple} and {@code requeue}), which puts them
     * back in their original order.
     */
    private void browseByGet(Browse b, SourceContext context) throws IOException, InterruptedException {
        Channel ch = connection.createChannel();
        long lastTag = -1;
        long read = 0;
        try {
            long target = ch.queueDeclarePassive(b.queue).getMessageCount();
            List<Delivered> batch = new ArrayList<>();
            while (read < target && !context.stopping()) {
                GetResponse r = ch.basicGet(b.queue, false);
                if (r == null) {
                    break;
                }
                lastTag = r.getEnvelope().getDeliveryTag();
                read++;
                batch.add(new Delivered(null, null, r.getEnvelope(), r.getProps(), r.getBody(), b.queue, null));
                if (batch.size() >= BATCH_MAX) {
                    if (deliverBrowsed(batch, context) < batch.size()) {
                        batch = new ArrayList<>();
                        break;
                    }
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                deliverBrowsed(batch, context);
            }
            LOG.info("{}: browsed {} of {} messages of {} queue {} (returned in order, marked redelivered)", endpoint,
                    read, target, b.type, b.queue);
        } finally {
            if (lastTag >= 0 && ch.isOpen()) {
                ch.basicNack(lastTag, true, true);
            }
            closeQuietly(ch);
        }
    }

    private int deliverBrowsed(List<Delivered> batch, SourceContext context) throws InterruptedException {
        long bytes = 0;
        for (Delivered d : batch) {
            bytes += d.body.length + 200;
        }
        return context.deliver(new SourceBatch<>(List.copyOf(batch), this::toEvent, Instant.now(), bytes,
                SourceBatch.BatchPositions.NONE, SourceBatch.Acknowledgement.NONE));
    }

    // ------------------------------------------------------------------ events

    /**
     * One delivery as a captured event; runs on the pipeline's worker threads. The position is
     * built here as a {@link StoredPosition} (what the store encodes), so the store's one writer
     * thread does not build it per event.
     */
    private CapturedEvent toEvent(Delivered d, Instant capturedAt, FieldDeriver derive) {
        Envelope env = d.envelope;
        AMQP.BasicProperties props = d.properties;
        String exchange = env.getExchange();
        String routingKey = env.getRoutingKey();
        boolean redelivered = env.isRedeliver();
        Map<String, Object> table = props == null ? null : props.getHeaders();
        Mode mode = d.tap == null ? Mode.BROWSE : d.tap.mode;
        if (mode == Mode.FIREHOSE && table != null) {
            exchange = text(table.get("exchange_name"));
            if (table.get("routing_keys") instanceof List<?> keys && !keys.isEmpty()) {
                routingKey = text(keys.get(0));
            }
            props = firehoseProperties(table);
            table = props.getHeaders();
        }
        io.eventlens.core.model.Channel channel = switch (mode) {
            case TAP, FIREHOSE -> exchangeChannel(exchange);
            case SPY -> queueChannel(d.tap.target);
            case BROWSE -> queueChannel(d.browsedQueue);
        };
        Instant deadLetterTime = mode == Mode.BROWSE ? AmqpHeaders.deadLetterTime(table) : null;
        Instant observedAt = deadLetterTime != null ? deadLetterTime : capturedAt;
        // the offset a stream adds to each delivery is the position's, not one of the message's headers
        List<Header> headers = AmqpHeaders.of(props, STREAM_OFFSET_HEADER);
        String queue = mode == Mode.BROWSE ? d.browsedQueue : d.tap.queue;
        String ordering = switch (mode) {
            case SPY -> d.tap.target;
            case BROWSE -> d.browsedQueue;
            default -> null;
        };
        StoredPosition position = StoredPosition.of(new AmqpPosition(mode.label(), queue, exchange, routingKey,
                env.getDeliveryTag(), redelivered, d.offset, ordering, deadLetterTime != null));
        DerivedFields derived = derive.derive(channel, null, headers, d.body);
        return new CapturedEvent(0, channel, position, observedAt, capturedAt, null, headers, d.body, derived);
    }

    private io.eventlens.core.model.Channel exchangeChannel(String exchange) {
        String name = exchange == null || exchange.isEmpty() ? DEFAULT_EXCHANGE_CHANNEL : exchange;
        io.eventlens.core.model.Channel c = exchangeChannels.get(name);
        return c != null ? c : exchangeChannels.computeIfAbsent(name,
                k -> new io.eventlens.core.model.Channel(ChannelKind.AMQP_EXCHANGE, name));
    }

    private io.eventlens.core.model.Channel queueChannel(String queue) {
        io.eventlens.core.model.Channel c = queueChannels.get(queue);
        return c != null ? c : queueChannels.computeIfAbsent(queue,
                k -> new io.eventlens.core.model.Channel(ChannelKind.AMQP_QUEUE, queue));
    }

    private static String text(Object v) {
        return v == null ? "" : v instanceof LongString s ? s.toString() : v.toString();
    }

    /** The original message's properties, which the firehose carries in its {@code properties} header table. */
    @SuppressWarnings("unchecked")
    private static AMQP.BasicProperties firehoseProperties(Map<String, Object> trace) {
        AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder();
        if (trace.get("properties") instanceof Map<?, ?> p) {
            Map<String, Object> m = (Map<String, Object>) p;
            b.contentType(str(m.get("content_type"))).contentEncoding(str(m.get("content_encoding")))
                    .correlationId(str(m.get("correlation_id"))).replyTo(str(m.get("reply_to")))
                    .expiration(str(m.get("expiration"))).messageId(str(m.get("message_id")))
                    .type(str(m.get("type"))).userId(str(m.get("user_id"))).appId(str(m.get("app_id")));
            if (m.get("delivery_mode") instanceof Number n) {
                b.deliveryMode(n.intValue());
            }
            if (m.get("priority") instanceof Number n) {
                b.priority(n.intValue());
            }
            if (m.get("timestamp") instanceof java.util.Date t) {
                b.timestamp(t);
            } else if (m.get("timestamp") instanceof Number n) {
                b.timestamp(new java.util.Date(n.longValue() * 1000));
            }
            if (m.get("headers") instanceof Map<?, ?> h) {
                b.headers((Map<String, Object>) h);
            }
        }
        return b.build();
    }

    private static String str(Object v) {
        return v == null ? null : text(v);
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public SourceHealth health() {
        Instant since = lostSince;
        return since == null ? SourceHealth.connected(endpoint) : SourceHealth.lost(endpoint, since);
    }

    /** {@code "tap queue eventlens.tap.tap.orders.1a2b at stream offset 10"}. */
    @Override
    public String describe(StreamPosition position) {
        String s = position.stream();
        return (s.startsWith(STREAM_PREFIX) ? "tap queue " + s.substring(STREAM_PREFIX.length()) : s)
                + " at stream offset " + position.token();
    }

    /** Cancels the consumers, deletes the tap queues (unless kept), closes the connection. Idempotent. */
    @Override
    public void close() {
        closing = true;
        Connection w = alarmWatch;
        alarmWatch = null;
        if (w != null) {
            w.abort(1_000);   // not close: the broker reads nothing from a connection it blocks
        }
        Connection c = connection;
        if (c == null) {
            return;
        }
        connection = null;
        if (c.isOpen() && !config.keepTap()) {
            for (Tap t : taps) {
                if (t.queue == null) {
                    continue;
                }
                try {
                    Channel ch = c.createChannel();
                    ch.queueDelete(t.queue);
                    closeQuietly(ch);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("{}: could not delete tap queue {}: {}", endpoint, t.queue, message(e));
                }
            }
        } else if (config.keepTap()) {
            for (Tap t : taps) {
                if (t.queue != null) {
                    LOG.info("{}: kept tap queue {} (delete it when done)", endpoint, t.queue);
                }
            }
        }
        if (truncated.get() > 0) {
            LOG.warn("{}: up to {} messages lost to tap retention before they were read", endpoint, truncated.get());
        }
        if (blockedTimes() > 0) {
            LOG.warn("{}: the broker blocked publishers {} times for {} ms in total (last: {})", endpoint, blockedTimes(),
                    blockedMs(), blockedReason);
        }
        closeQuietly(c);
    }

    private void closeQuietly(Connection c) {
        if (c != null && c.isOpen()) {
            try {
                c.close(2_000);
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing the connection to {}", endpoint, e);
            }
        }
    }

    private void closeQuietly(Channel ch) {
        if (ch != null && ch.isOpen()) {
            try {
                ch.close();
            } catch (IOException | TimeoutException | RuntimeException e) {
                LOG.debug("closing a channel of {}", endpoint, e);
            }
        }
    }
}
