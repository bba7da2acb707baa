package io.eventlens.core.kafka;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.CaptureStoreException;
import io.eventlens.core.store.SourcePartition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a Kafka cluster's traffic into a {@link CaptureStore}. Reads every partition of the chosen
 * topics by {@code assign} (never joins an application's consumer group, commits no offsets to
 * Kafka); stores each poll's events together with the next positions in one transaction, so a
 * stopped or crashed capture resumes with no gap and no record stored twice.
 *
 * <p>Pipeline: the thread calling {@link #run} checks the cluster with an {@link Admin} (cluster
 * ID, topics, partitions; bounded by the connect timeout), then polls and hands each poll's
 * records to an extract stage, which converts them to {@link CapturedEvent}s (observed time = the
 * record's timestamp, CreateTime or LogAppendTime) and derives fields with the extractor (the
 * costliest step per record, so it gets a thread of its own and splits large polls over one
 * thread per CPU). A writer thread takes those batches from a bounded queue,
 * merges what is waiting into one {@link CaptureStore#append} (events + next positions, one
 * transaction), and tells the listener. A topic pattern is resolved once, at start.
 *
 * <p>Positions are stored per {@link SourcePartition} whose source is the cluster ID (Admin
 * {@code describeCluster}), or the bootstrap servers when the cluster has none.
 *
 * <p>One instance runs once.
 */
public final class KafkaCapture {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCapture.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    /** Events merged into one store append at most. */
    private static final int MAX_EVENTS_PER_APPEND = 16_384;
    /** Batches (polls) waiting for the writer at most: the poll loop blocks beyond that. */
    private static final int QUEUE_BATCHES = 8;
    private static final long PROGRESS_INTERVAL_MS = 250;
    /** Threads deriving fields at most (one per CPU up to this). */
    private static final int EXTRACT_THREADS_MAX = 4;
    /** A poll's records are split between extract threads only in chunks of at least this many. */
    private static final int EXTRACT_CHUNK_MIN = 500;

    private final KafkaCaptureConfig config;
    private final CaptureStore store;
    private final EventExtractor extractor;
    private final AtomicBoolean ran = new AtomicBoolean();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean stopRequested;
    /** {@link System#nanoTime()} since when the consumer has had no broker connection, or 0. */
    private volatile long disconnectedSinceNanos;
    private boolean outageReported;
    private long lastConnectionCheckNanos;
    private volatile String sourceId;
    private final AtomicBoolean extractorFailureLogged = new AtomicBoolean();

    /**
     * A capture of {@code config} into {@code store}, deriving fields with {@code extractor}.
     */
    public KafkaCapture(KafkaCaptureConfig config, CaptureStore store, EventExtractor extractor) {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.store = java.util.Objects.requireNonNull(store, "store");
        this.extractor = java.util.Objects.requireNonNull(extractor, "extractor");
    }

    /**
     * Captures until the config's duration or max events is reached, or {@link #stop()} is called.
     * Blocking; call it on a worker thread. With max events N, exactly N events are stored (fewer
     * only when stopped earlier).
     *
     * @return the final stats
     * @throws KafkaConnectException when the cluster cannot be reached within the connect timeout
     *                               or a named topic does not exist; the message names the endpoint
     * @throws CaptureStoreException when the store fails; what was committed before stays
     * @throws IllegalStateException when this capture has already run
     */
    public CaptureStats run(CaptureListener listener) {
        if (!ran.compareAndSet(false, true)) {
            throw new IllegalStateException("a KafkaCapture runs once; create a new one");
        }
        CaptureListener out = listener == null ? CaptureListener.NONE : listener;
        long startNanos = System.nanoTime();
        try {
            ClusterView cluster = describe(config.bootstrapServers(), config.connectTimeout(), config.clientProperties(),
                    config.topics(), config.topicPattern());
            sourceId = cluster.clusterId() != null ? cluster.clusterId() : config.bootstrapServers();
            LOG.info("capturing {} partitions of {} from {} (source {}) into {}", cluster.partitions().size(),
                    cluster.topics(), config.bootstrapServers(), sourceId, store.file());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
                consumer.assign(cluster.partitions());
                seek(consumer, cluster.partitions());
                started.countDown();
                return pump(consumer, out, startNanos);
            }
        } catch (KafkaException e) {
            throw new KafkaConnectException("Kafka at " + config.bootstrapServers() + ": " + e.getMessage(), e);
        } finally {
            started.countDown();
        }
    }

    /**
     * Waits until {@link #run} has assigned every partition and fixed each start offset (so that
     * with {@code latest}, records produced from now on will be captured).
     *
     * @return true when started, false on timeout (or when the run failed before starting)
     */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && sourceId != null;
    }

    /** The source ID positions are stored under (the cluster ID), or null before {@link #run} resolved it. */
    public String sourceId() {
        return sourceId;
    }

    /** Asks a running capture to stop after committing what it has polled. Safe from any thread. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Lists the cluster's topics (without internal topics), sorted, for a topic picker.
     *
     * @throws KafkaConnectException naming {@code bootstrapServers} when unreachable within {@code timeout}
     */
    public static List<String> listTopics(String bootstrapServers, Duration timeout) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers: must not be blank (e.g. localhost:9092)");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Admin admin = admin(bootstrapServers.trim(), timeout, Map.of());
        try {
            return List.copyOf(new TreeSet<>(get(admin.listTopics(new ListTopicsOptions().listInternal(false)
                    .timeoutMs(remainingMs(deadline))).names(), deadline, bootstrapServers, timeout, "listing topics")));
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    // ------------------------------------------------------------------ set-up

    /** What the admin client found: the cluster ID (may be null), topics and their partitions. */
    private record ClusterView(String clusterId, List<String> topics, List<TopicPartition> partitions) {
    }

    private static ClusterView describe(String bootstrap, Duration timeout, Map<String, String> clientProperties,
                                        List<String> topics, java.util.regex.Pattern pattern) {
        // leave a little of the budget for closing clients, so the caller hears back within the timeout
        long deadline = System.nanoTime() + Math.max(timeout.toNanos() * 9 / 10, Math.min(timeout.toNanos(), 1_000_000_000L));
        Admin admin = admin(bootstrap, timeout, clientProperties);
        try {
            String clusterId = get(admin.describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs(deadline)))
                    .clusterId(), deadline, bootstrap, timeout, "describing the cluster");
            Set<String> existing = get(admin.listTopics(new ListTopicsOptions().listInternal(false)
                    .timeoutMs(remainingMs(deadline))).names(), deadline, bootstrap, timeout, "listing topics");
            List<String> chosen;
            if (pattern != null) {
                chosen = existing.stream().filter(t -> pattern.matcher(t).matches()).sorted().toList();
                if (chosen.isEmpty()) {
                    throw new KafkaConnectException("Kafka at " + bootstrap + ": no topic matches the pattern '"
                            + pattern.pattern() + "'");
                }
            } else {
                List<String> missing = topics.stream().filter(t -> !existing.contains(t)).toList();
                if (!missing.isEmpty()) {
                    throw new KafkaConnectException("Kafka at " + bootstrap + ": unknown topic"
                            + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                            + " (the cluster has " + existing.size() + " topics)");
                }
                chosen = topics;
            }
            Map<String, TopicDescription> descriptions = get(admin.describeTopics(chosen,
                    new DescribeTopicsOptions().timeoutMs(remainingMs(deadline))).allTopicNames(),
                    deadline, bootstrap, timeout, "describing topics " + chosen);
            List<TopicPartition> partitions = new ArrayList<>();
            for (String t : chosen) {
                descriptions.get(t).partitions().forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
            }
            return new ClusterView(clusterId, chosen, partitions);
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    private static Admin admin(String bootstrap, Duration timeout, Map<String, String> clientProperties) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        String ms = Long.toString(Math.max(1, timeout.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, ms);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "eventlens-admin-" + CLIENT_IDS.incrementAndGet());
        try {
            return Admin.create(p);
        } catch (KafkaException e) {
            throw new KafkaConnectException("Kafka at " + bootstrap + ": cannot connect: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }

    private static int remainingMs(long deadlineNanos) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (deadlineNanos - System.nanoTime()) / 1_000_000));
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, long deadlineNanos, String bootstrap,
                             Duration timeout, String what) {
        try {
            return future.get(remainingMs(deadlineNanos), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw unreachable(bootstrap, timeout, what, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(bootstrap, timeout, what, cause);
            }
            throw new KafkaConnectException("Kafka at " + bootstrap + ": " + what + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectException("Kafka at " + bootstrap + ": interrupted while " + what, e);
        }
    }

    private static KafkaConnectException unreachable(String bootstrap, Duration timeout, String what, Throwable cause) {
        return new KafkaConnectException("Kafka at " + bootstrap + " did not answer within " + timeout.toMillis()
                + " ms (" + what + "); is the broker running and reachable at that address?", cause);
    }

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 * 1024 * 1024));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 * 1024 * 1024));
        p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(4 * 1024 * 1024));
        p.put(ConsumerConfig.CHECK_CRCS_CONFIG, "false");
        p.putAll(config.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventlens-capture-" + CLIENT_IDS.incrementAndGet());
        String ms = Long.toString(Math.max(1, config.connectTimeout().toMillis()));
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, ms);
        p.put(ConsumerConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, ms);
        return p;
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        switch (config.startPosition()) {
            case StartPosition.Earliest e -> consumer.seekToBeginning(partitions);
            case StartPosition.Latest l -> consumer.seekToEnd(partitions);
            case StartPosition.AtTime t -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                partitions.forEach(tp -> query.put(tp, t.time().toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, config.connectTimeout());
                List<TopicPartition> none = new ArrayList<>();
                for (TopicPartition tp : partitions) {
                    OffsetAndTimestamp o = found.get(tp);
                    if (o == null) {
                        none.add(tp);
                    } else {
                        consumer.seek(tp, o.offset());
                    }
                }
                if (!none.isEmpty()) { // an empty collection would mean "every assigned partition"
                    consumer.seekToEnd(none);
                }
            }
            case StartPosition.Resume r -> {
                Map<SourcePartition, Long> stored = store.positions(sourceId);
                List<TopicPartition> fresh = new ArrayList<>();
                for (TopicPartition tp : partitions) {
                    Long next = stored.get(new SourcePartition(sourceId, tp.topic(), tp.partition()));
                    if (next == null) {
                        fresh.add(tp);
                    } else {
                        consumer.seek(tp, next);
                    }
                }
                if (!fresh.isEmpty()) { // an empty collection would mean "every assigned partition"
                    consumer.seekToBeginning(fresh);
                }
            }
        }
        for (TopicPartition tp : partitions) {
            long at = consumer.position(tp, config.connectTimeout());
            LOG.debug("{} starts at offset {}", tp, at);
        }
    }

    // ------------------------------------------------------------------ the pipeline

    /** Events of one or more polls and the next position of each partition they touched. */
    private record Batch(List<CapturedEvent> events, Map<SourcePartition, Long> positions) {
    }

    private static final Batch END = new Batch(List.of(), Map.of());

    /** Records of one poll, not yet converted, with their capture time and the next positions. */
    private record RawBatch(List<ConsumerRecord<byte[], byte[]>> records, Instant capturedAt,
                            Map<SourcePartition, Long> positions) {
    }

    private static final RawBatch RAW_END = new RawBatch(List.of(), Instant.EPOCH, Map.of());

    private CaptureStats pump(KafkaConsumer<byte[], byte[]> consumer, CaptureListener listener, long startNanos) {
        BlockingQueue<RawBatch> raw = new ArrayBlockingQueue<>(QUEUE_BATCHES);
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE_BATCHES);
        Writer writer = new Writer(queue, listener, startNanos);
        Thread writerThread = new Thread(writer, "eventlens-capture-writer");
        writerThread.setDaemon(true);
        writerThread.start();
        Thread extractThread = new Thread(() -> extractStage(raw, queue, writer), "eventlens-capture-extract");
        extractThread.setDaemon(true);
        extractThread.start();
        long deadline = config.duration() == null ? Long.MAX_VALUE : startNanos + config.duration().toNanos();
        long max = config.maxEvents();
        long polled = 0;
        Map<TopicPartition, SourcePartition> sources = new HashMap<>();
        RuntimeException failure = null;
        boolean interrupted = false;
        try {
            while (!stopRequested && writer.failure == null && (max == 0 || polled < max)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(
                        Math.max(1, Math.min(200, left / 1_000_000))));
                if (records.isEmpty()) {
                    checkConnection(consumer);
                    continue;
                }
                markConnected();
                Instant now = Instant.now();
                int n = max == 0 ? records.count() : (int) Math.min(records.count(), max - polled);
                List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>(n);
                Map<SourcePartition, Long> positions = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    if (taken.size() == n) {
                        break;
                    }
                    taken.add(r);
                    positions.put(sources.computeIfAbsent(new TopicPartition(r.topic(), r.partition()),
                            tp -> new SourcePartition(sourceId, tp.topic(), tp.partition())), r.offset() + 1);
                }
                polled += taken.size();
                RawBatch batch = new RawBatch(taken, now, positions);
                while (!raw.offer(batch, 100, TimeUnit.MILLISECONDS)) {
                    if (writer.failure != null) {
                        break;
                    }
                }
            }
        } catch (InterruptException | InterruptedException e) {
            LOG.info("capture from {} interrupted; committing what was polled", config.bootstrapServers());
            Thread.interrupted();
            interrupted = true;
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            while (extractThread.isAlive() && !raw.offer(RAW_END, 100, TimeUnit.MILLISECONDS)) {
                // the extract stage is draining its queue
            }
            extractThread.join();
            while (writerThread.isAlive() && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                // the writer is draining the queue
            }
            writerThread.join();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (writer.failure != null) {
            throw writer.failure;
        }
        if (failure != null) {
            throw failure instanceof KafkaException ke
                    ? new KafkaConnectException("Kafka at " + config.bootstrapServers() + ": " + ke.getMessage(), ke)
                    : failure;
        }
        CaptureStats stats = writer.stats(System.nanoTime(), true);
        listener.onProgress(stats);
        return stats;
    }

    /**
     * The middle stage: derives fields of each polled event, in order, and hands the batch to the
     * writer. Ends at {@link #END} or when the writer failed.
     */
    private void extractStage(BlockingQueue<RawBatch> in, BlockingQueue<Batch> out, Writer writer) {
        int parallelism = Math.max(1, Math.min(EXTRACT_THREADS_MAX, Runtime.getRuntime().availableProcessors()));
        java.util.concurrent.ExecutorService helpers = parallelism == 1 ? null
                : java.util.concurrent.Executors.newFixedThreadPool(parallelism - 1, r -> {
                    Thread t = new Thread(r, "eventlens-capture-extract-helper");
                    t.setDaemon(true);
                    return t;
                });
        try {
            while (writer.failure == null) {
                RawBatch b = in.poll(100, TimeUnit.MILLISECONDS);
                if (b == null) {
                    continue;
                }
                if (b == RAW_END) {
                    return;
                }
                List<ConsumerRecord<byte[], byte[]>> events = b.records();
                Instant capturedAt = b.capturedAt();
                int n = events.size();
                CapturedEvent[] derived = new CapturedEvent[n];
                int parts = helpers == null ? 1 : (int) Math.min(parallelism, Math.max(1, n / EXTRACT_CHUNK_MIN));
                List<java.util.concurrent.Future<?>> running = new ArrayList<>(parts);
                for (int p = 1; p < parts; p++) {
                    int from = (int) ((long) p * n / parts);
                    int to = (int) ((long) (p + 1) * n / parts);
                    running.add(helpers.submit(() -> derive(events, capturedAt, derived, from, to)));
                }
                derive(events, capturedAt, derived, 0, n / parts);
                for (java.util.concurrent.Future<?> f : running) {
                    f.get();
                }
                Batch next = new Batch(java.util.Arrays.asList(derived), b.positions());
                while (!out.offer(next, 100, TimeUnit.MILLISECONDS)) {
                    if (writer.failure != null) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            writer.failure = new IllegalStateException("deriving fields of captured events failed: " + e, e);
            stopRequested = true;
        } finally {
            if (helpers != null) {
                helpers.shutdownNow();
            }
        }
    }

    private final Map<String, Channel> channels = new java.util.concurrent.ConcurrentHashMap<>();

    private void derive(List<ConsumerRecord<byte[], byte[]>> records, Instant capturedAt, CapturedEvent[] out,
                        int from, int to) {
        for (int i = from; i < to; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            out[i] = toEvent(channels.computeIfAbsent(r.topic(), Channel::kafkaTopic), r, capturedAt);
        }
    }

    private CapturedEvent toEvent(Channel channel, ConsumerRecord<byte[], byte[]> r, Instant now) {
        TimestampType type = switch (r.timestampType()) {
            case CREATE_TIME -> TimestampType.CREATE_TIME;
            case LOG_APPEND_TIME -> TimestampType.LOG_APPEND_TIME;
            case NO_TIMESTAMP_TYPE -> TimestampType.NONE;
        };
        // A record without a timestamp (pre-0.10 format) has no observed time of its own; the
        // capture time stands in, marked by TimestampType.NONE.
        Instant observedAt = r.timestamp() >= 0 && type != TimestampType.NONE ? Instant.ofEpochMilli(r.timestamp()) : now;
        org.apache.kafka.common.header.Header[] raw = r.headers().toArray();
        List<Header> headers;
        if (raw.length == 0) {
            headers = List.of();
        } else {
            Header[] copy = new Header[raw.length];
            for (int i = 0; i < raw.length; i++) {
                copy[i] = new Header(raw[i].key(), raw[i].value());
            }
            headers = List.of(copy);
        }
        DerivedFields derived;
        try {
            derived = extractor.extract(channel, r.key(), headers, r.value());
        } catch (RuntimeException ex) {
            if (extractorFailureLogged.compareAndSet(false, true)) {
                LOG.error("extracting derived fields failed on {}-{}@{}; such events are stored without them",
                        r.topic(), r.partition(), r.offset(), ex);
            }
            derived = DerivedFields.NONE;
        }
        return new CapturedEvent(0, channel, new SourcePosition.Kafka(r.partition(), r.offset(), type),
                observedAt, now, r.key(), headers, r.value(), derived);
    }

    /** Takes batches off the queue, appends them to the store, and reports. */
    /**
     * Called on the poll thread after an empty poll: at most once a second, reads the consumer's
     * {@code consumer-metrics/connection-count}. With no connection for the connect timeout, logs
     * one warning naming the endpoint (the capture keeps retrying; progress reports the outage).
     */
    private void checkConnection(KafkaConsumer<byte[], byte[]> consumer) {
        long now = System.nanoTime();
        if (now - lastConnectionCheckNanos < 1_000_000_000L) {
            return;
        }
        lastConnectionCheckNanos = now;
        double connections = consumer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("connection-count") && e.getKey().group().equals("consumer-metrics"))
                .mapToDouble(e -> e.getValue().metricValue() instanceof Number n ? n.doubleValue() : 1)
                .findFirst().orElse(1);
        if (connections >= 1) {
            markConnected();
            return;
        }
        if (disconnectedSinceNanos == 0) {
            disconnectedSinceNanos = now;
        } else if (!outageReported && now - disconnectedSinceNanos >= config.connectTimeout().toNanos()) {
            outageReported = true;
            LOG.warn("no connection to Kafka at {} for {} s; the capture keeps retrying until it is stopped or its duration ends",
                    config.bootstrapServers(), (now - disconnectedSinceNanos) / 1_000_000_000L);
        }
    }

    private void markConnected() {
        if (disconnectedSinceNanos != 0) {
            if (outageReported) {
                LOG.info("reconnected to Kafka at {}", config.bootstrapServers());
            }
            disconnectedSinceNanos = 0;
            outageReported = false;
        }
    }

    private final class Writer implements Runnable {
        private final BlockingQueue<Batch> queue;
        private final CaptureListener listener;
        private final long startNanos;
        private volatile RuntimeException failure;
        private long events;
        private long bytes;
        private long lastProgressNanos;
        private long lastProgressEvents;
        private double rate;

        Writer(BlockingQueue<Batch> queue, CaptureListener listener, long startNanos) {
            this.queue = queue;
            this.listener = listener;
            this.startNanos = startNanos;
            this.lastProgressNanos = startNanos;
        }

        @Override
        public void run() {
            List<Batch> taken = new ArrayList<>();
            boolean end = false;
            try {
                while (!end) {
                    Batch first = queue.poll(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        progress();
                        continue;
                    }
                    taken.clear();
                    taken.add(first);
                    int size = first.events().size();
                    while (size < MAX_EVENTS_PER_APPEND && queue.peek() != null) {
                        Batch b = queue.poll();
                        taken.add(b);
                        size += b.events().size();
                    }
                    List<CapturedEvent> merged = new ArrayList<>(size);
                    Map<SourcePartition, Long> positions = new LinkedHashMap<>();
                    for (Batch b : taken) {
                        if (b == END) {
                            end = true;
                        } else {
                            merged.addAll(b.events());
                            positions.putAll(b.positions());
                        }
                    }
                    if (!merged.isEmpty()) {
                        commit(merged, positions);
                    }
                    progress();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
                stopRequested = true;
            }
        }

        private void commit(List<CapturedEvent> merged, Map<SourcePartition, Long> positions) {
            long firstSeq = store.append(merged, positions);
            events += merged.size();
            for (CapturedEvent e : merged) {
                bytes += e.payloadSize();
            }
            if (listener != CaptureListener.NONE) {
                List<CapturedEvent> committed = new ArrayList<>(merged.size());
                for (int i = 0; i < merged.size(); i++) {
                    committed.add(merged.get(i).withSeq(firstSeq + i));
                }
                listener.onBatch(committed);
            }
        }

        private void progress() {
            long now = System.nanoTime();
            if (now - lastProgressNanos >= PROGRESS_INTERVAL_MS * 1_000_000) {
                listener.onProgress(stats(now, false));
            }
        }

        CaptureStats stats(long now, boolean fin) {
            long elapsedMs = (now - startNanos) / 1_000_000;
            long dt = now - lastProgressNanos;
            if (fin) {
                rate = elapsedMs == 0 ? 0 : events * 1000.0 / elapsedMs;
            } else if (dt > 0) {
                double current = (events - lastProgressEvents) * 1e9 / dt;
                // smooth over about a second (four 250 ms intervals)
                rate = rate == 0 ? current : rate * 0.5 + current * 0.5;
                lastProgressNanos = now;
                lastProgressEvents = events;
            }
            long since = disconnectedSinceNanos;
            long unreachableMs = since == 0 || now - since < config.connectTimeout().toNanos()
                    ? 0 : Math.max(1, (now - since) / 1_000_000);
            return new CaptureStats(events, bytes, rate, elapsedMs, unreachableMs);
        }
    }
}
