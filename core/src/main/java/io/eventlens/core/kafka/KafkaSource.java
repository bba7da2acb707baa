package io.eventlens.core.kafka;

import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.FieldDeriver;
import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.StreamPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A Kafka cluster as a {@link CaptureSource}: reads every partition of the chosen topics by
 * {@code assign} (never joins an application's consumer group, commits no offsets to Kafka) and
 * delivers each poll as one batch. A topic pattern is resolved once, when it opens.
 *
 * <p>Positions: one {@link StreamPosition} per partition, source = the cluster ID
 * ({@link KafkaClusterMetadata}; the bootstrap servers when the cluster has none), stream =
 * {@code "topic/partition"}, token = the next offset to read, in decimal. They are the only resume
 * state, so acknowledgements are no-ops.
 *
 * <p>Events: observed time = the record's timestamp (CreateTime or LogAppendTime, as the topic
 * says; the capture time for a record without one, marked {@link TimestampType#NONE}); position =
 * {@link SourcePosition.Kafka}.
 *
 * <p>Memory: fetches are sized so that what the consumer buffers stays a few MB whatever the traffic
 * (docs/decisions/0006-capture-pipeline.md, "In flight"); client properties given by the user win.
 */
public final class KafkaSource implements CaptureSource {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    /** The kind, as in {@link SourcePosition#sourceKind()}. */
    public static final String KIND = "kafka";
    /** Records per poll at most: one poll is one batch of the pipeline. */
    static final int MAX_POLL_RECORDS = 2_000;
    /**
     * Bytes of one fetch response at most (448 KiB): the consumer reads each response into one
     * array, and G1 allocates an array of half a heap region or more (512 KiB in the bounded child's
     * 256 MB heap) as a humongous object, outside the young generation: 2 MiB responses were 290 MB
     * of humongous allocations in a 1M-record capture and doubled its GC pauses
     * (docs/decisions/0006-capture-pipeline.md, amendments).
     */
    static final int FETCH_MAX_BYTES = 448 * 1024;
    /** Bytes per partition in one fetch response at most (a larger single record batch still comes). */
    static final int MAX_PARTITION_FETCH_BYTES = 256 * 1024;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /** Distinct header names shared among events at most (beyond, each event keeps its own string). */
    static final int MAX_HEADER_NAMES = 1_024;
    /** What the previous record converted on this thread had (names of any source: shared strings are equal strings). */
    private static final ThreadLocal<Recent> RECENT = ThreadLocal.withInitial(Recent::new);

    private final KafkaCaptureConfig config;
    private final String endpoint;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Map<TopicPartition, String> streams = new HashMap<>();
    /** Header names as first seen, so that the events in flight share one string per name. */
    private final Map<String, String> headerNames = new ConcurrentHashMap<>();
    private KafkaConsumer<byte[], byte[]> consumer;
    private volatile String sourceId;
    /** When the consumer lost its last broker connection, or null while connected. */
    private volatile Instant lostSince;
    private long lastConnectionCheckNanos;

    /** A source reading what {@code config} names (its limits are the pipeline's: {@link KafkaCaptureConfig#limits()}). */
    public KafkaSource(KafkaCaptureConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = "Kafka at " + config.bootstrapServers();
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Not live: the broker keeps the records, so a capture that waits for the work behind its writer
     * falls behind and catches up, losing nothing (measured: 9% less CPU and 16% less GC pause time for
     * 300k records than dropping that work and decoding it again from the store).
     */
    @Override
    public boolean live() {
        return false;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /** The connect timeout: a cluster unreachable that long is reported. */
    @Override
    public Duration outageGrace() {
        return config.connectTimeout();
    }

    @Override
    public String sourceId() {
        return sourceId;
    }

    /**
     * Describes the cluster (ID, topics, partitions; bounded by the connect timeout), assigns every
     * partition and seeks it by the config's {@link StartPosition}; {@link StartPosition.Resume}
     * reads {@code stored} under the cluster ID.
     *
     * @throws KafkaConnectException naming the bootstrap servers: unreachable, unknown topic, no
     *                               topic matching the pattern
     * @throws IllegalStateException when a stored token of this cluster is not an offset
     */
    @Override
    public void open(StoredPositions stored) {
        try {
            KafkaClusterMetadata.Cluster cluster = KafkaClusterMetadata.describe(config.bootstrapServers(),
                    config.connectTimeout(), config.clientProperties(), config.topics(), config.topicPattern());
            String id = cluster.clusterId() != null ? cluster.clusterId() : config.bootstrapServers();
            LOG.info("{}: {} partitions of {} (cluster {})", endpoint, cluster.partitions().size(), cluster.topics(), id);
            consumer = new KafkaConsumer<>(consumerProperties());
            consumer.assign(cluster.partitions());
            seek(cluster.partitions(), stored, id);
            sourceId = id;
        } catch (InterruptException e) {
            throw new KafkaConnectException(endpoint + ": interrupted while opening", e);
        } catch (KafkaException e) {
            throw new KafkaConnectException(endpoint + ": " + e.getMessage(), e);
        }
    }

    /**
     * Polls and delivers each poll's records as one batch until the capture stops. After an empty
     * poll, at most once a second, reads the consumer's {@code consumer-metrics/connection-count}
     * to tell whether any broker is connected ({@link #health()}).
     *
     * @throws KafkaConnectException naming the bootstrap servers when the consumer fails for good
     */
    @Override
    public void run(SourceContext context) throws InterruptedException {
        if (consumer == null) {
            throw new IllegalStateException("open the source before running it");
        }
        try {
            while (!context.stopping()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (records.isEmpty()) {
                    checkConnection();
                    continue;
                }
                lostSince = null;
                SourceBatch<ConsumerRecord<byte[], byte[]>> batch = batch(records, Instant.now());
                int taken = context.deliver(batch);
                if (taken < batch.size()) {
                    return; // the capture ends (max events, stop): the rest is never stored
                }
            }
        } catch (InterruptException e) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while polling " + endpoint);
        } catch (KafkaException e) {
            throw new KafkaConnectException(endpoint + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SourceHealth health() {
        Instant since = lostSince;
        return since == null ? SourceHealth.connected(endpoint) : SourceHealth.lost(endpoint, since);
    }

    /** {@code "orders partition 2 at offset 10"}; a token of another shape is quoted as it is. */
    @Override
    public String describe(StreamPosition position) {
        int slash = position.stream().lastIndexOf('/');
        String where = slash < 0 ? position.stream()
                : position.stream().substring(0, slash) + " partition " + position.stream().substring(slash + 1);
        return where + " at offset " + position.token();
    }

    @Override
    public void close() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        consumer = null;
        if (c != null) {
            try {
                c.close(Duration.ZERO);
            } catch (KafkaException e) {
                LOG.debug("closing the consumer of {}", endpoint, e);
            }
        }
    }

    // ------------------------------------------------------------------ set-up

    private Properties consumerProperties() {
        Properties p = new Properties();
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_POLL_RECORDS));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(FETCH_MAX_BYTES));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(MAX_PARTITION_FETCH_BYTES));
        p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(2 * 1024 * 1024));
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

    private String stream(TopicPartition tp) {
        return streams.computeIfAbsent(tp, t -> t.topic() + "/" + t.partition());
    }

    private void seek(List<TopicPartition> partitions, StoredPositions stored, String id) {
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
                Map<String, String> tokens = new HashMap<>();
                for (StreamPosition p : stored.of(id)) {
                    tokens.put(p.stream(), p.token());
                }
                List<TopicPartition> fresh = new ArrayList<>();
                for (TopicPartition tp : partitions) {
                    String token = tokens.get(stream(tp));
                    if (token == null) {
                        fresh.add(tp);
                    } else {
                        consumer.seek(tp, offset(stream(tp), token));
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

    private long offset(String stream, String token) {
        try {
            long offset = Long.parseLong(token);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("the stored position of " + stream + " (" + endpoint + ") is '" + token
                + "', not an offset; capture with --from earliest or into a new store");
    }

    // ------------------------------------------------------------------ delivery

    /** One poll's records as one batch (package-private for tests and the source benchmark). */
    SourceBatch<ConsumerRecord<byte[], byte[]>> batch(ConsumerRecords<byte[], byte[]> records, Instant now) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(records.count());
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            list.add(r);
            bytes += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
            for (org.apache.kafka.common.header.Header h : r.headers()) {
                bytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
            }
        }
        return new SourceBatch<>(list, this::toEvent, now, bytes,
                n -> positionsAfter(list, n), SourceBatch.Acknowledgement.NONE);
    }

    /** Sets the source ID as {@link #open} would (for tests and the source benchmark, which open no consumer). */
    void useSourceId(String id) {
        sourceId = id;
    }

    /** The next offset of each partition among the first {@code n} records (grouped by partition, as a poll returns them). */
    List<StreamPosition> positionsAfter(List<ConsumerRecord<byte[], byte[]>> records, int n) {
        Map<TopicPartition, Long> next = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ConsumerRecord<byte[], byte[]> r = records.get(i);
            if (i + 1 < n) {
                ConsumerRecord<byte[], byte[]> following = records.get(i + 1);
                if (following.partition() == r.partition() && following.topic().equals(r.topic())) {
                    continue; // not the last of its run: a later record of the partition gives its next offset
                }
            }
            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        }
        List<StreamPosition> out = new ArrayList<>(next.size());
        String id = sourceId;
        next.forEach((tp, offset) -> out.add(new StreamPosition(id, tp.topic() + "/" + tp.partition(), Long.toString(offset))));
        return out;
    }

    /**
     * The captured event of one record. Allocation-light, as it runs once per record on the
     * extraction threads: header names are shared among events (one string per distinct name,
     * {@link #MAX_HEADER_NAMES} at most), and records of one millisecond share one observed time.
     */
    private CapturedEvent toEvent(ConsumerRecord<byte[], byte[]> r, Instant capturedAt, FieldDeriver derive) {
        Channel channel = channels.computeIfAbsent(r.topic(), Channel::kafkaTopic);
        TimestampType type = switch (r.timestampType()) {
            case CREATE_TIME -> TimestampType.CREATE_TIME;
            case LOG_APPEND_TIME -> TimestampType.LOG_APPEND_TIME;
            case NO_TIMESTAMP_TYPE -> TimestampType.NONE;
        };
        // A record without a timestamp (pre-0.10 format) has no observed time of its own; the
        // capture time stands in, marked by TimestampType.NONE.
        Recent recent = RECENT.get();
        Instant observedAt = r.timestamp() >= 0 && type != TimestampType.NONE ? instant(r.timestamp(), recent) : capturedAt;
        org.apache.kafka.common.header.Header[] raw = r.headers().toArray();
        String[] names = recent.names;
        List<Header> headers = switch (raw.length) {
            case 0 -> List.of();
            case 1 -> List.of(header(raw[0], 0, names));
            case 2 -> List.of(header(raw[0], 0, names), header(raw[1], 1, names));
            case 3 -> List.of(header(raw[0], 0, names), header(raw[1], 1, names), header(raw[2], 2, names));
            case 4 -> List.of(header(raw[0], 0, names), header(raw[1], 1, names), header(raw[2], 2, names),
                    header(raw[3], 3, names));
            default -> {
                Header[] copy = new Header[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    copy[i] = header(raw[i], i, names);
                }
                yield List.of(copy);
            }
        };
        DerivedFields derived = derive.derive(channel, r.key(), headers, r.value());
        return new CapturedEvent(0, channel, new SourcePosition.Kafka(r.partition(), r.offset(), type),
                observedAt, capturedAt, r.key(), headers, r.value(), derived);
    }

    /**
     * The header with its name shared: the name of the header at this index in the previous record
     * of this thread when equal (headers usually come in the same order), else the first string
     * seen with that name.
     */
    private Header header(org.apache.kafka.common.header.Header h, int index, String[] recentNames) {
        String key = h.key();
        if (index < recentNames.length) {
            String recent = recentNames[index];
            if (key.equals(recent)) {
                return new Header(recent, h.value());
            }
        }
        String name = headerNames.get(key);
        if (name == null) {
            name = key;
            if (headerNames.size() < MAX_HEADER_NAMES) {
                String raced = headerNames.putIfAbsent(key, key);
                name = raced == null ? key : raced;
            }
        }
        if (index < recentNames.length) {
            recentNames[index] = name;
        }
        return new Header(name, h.value());
    }

    /** {@link Instant#ofEpochMilli}: the same instance as for the previous record of this thread in that millisecond. */
    private static Instant instant(long epochMilli, Recent recent) {
        Instant i = recent.observedAt;
        if (i == null || i.toEpochMilli() != epochMilli) {
            i = Instant.ofEpochMilli(epochMilli);
            recent.observedAt = i;
        }
        return i;
    }

    /** What the previous record converted on a thread had: its observed time and header names. */
    private static final class Recent {
        Instant observedAt;
        final String[] names = new String[8];
    }

    /** After an empty poll, at most once a second: no broker connection → lost since now (kept until a poll returns records or a connection is back). */
    private void checkConnection() {
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
            lostSince = null;
        } else if (lostSince == null) {
            lostSince = Instant.now();
        }
    }
}
