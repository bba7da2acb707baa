package io.eventlens.core.replay;

import io.eventlens.core.kafka.KafkaClusterMetadata;
import io.eventlens.core.kafka.KafkaConnectException;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a replay to a Kafka cluster: key, headers and payload as planned, to the planned partition
 * when the target topic has it (else the key decides, and the result says so). The producer is
 * idempotent with {@code acks=all} and one request in flight, and each send waits for its
 * acknowledgement, so a retry inside the client never writes twice and per-key order holds.
 *
 * <p>{@link #connect} first describes the cluster (its ID, for the safety check, and the partitions of
 * every target topic): a missing target topic fails there, before anything is sent.
 */
public final class KafkaReplaySender implements ReplaySender {

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private final ReplayTarget.Kafka target;
    private final Duration timeout;
    private final String clusterId;
    private final Map<String, Integer> partitions = new HashMap<>();
    private KafkaProducer<byte[], byte[]> producer;

    private KafkaReplaySender(ReplayTarget.Kafka target, Duration timeout, KafkaClusterMetadata.Cluster cluster) {
        this.target = target;
        this.timeout = timeout;
        this.clusterId = cluster.clusterId();
        cluster.partitions().forEach(tp -> partitions.merge(tp.topic(), 1, Integer::sum));
    }

    /**
     * Describes the target cluster and its topics; creates no producer yet (nothing can be sent
     * before {@link #send}).
     *
     * @param topics  the target topics
     * @param timeout how long to wait for the cluster, and for each send
     * @throws KafkaConnectException naming the bootstrap servers when the cluster does not answer or
     *                               a topic is missing
     */
    public static KafkaReplaySender connect(ReplayTarget.Kafka target, Collection<String> topics, Duration timeout) {
        KafkaClusterMetadata.Cluster cluster = KafkaClusterMetadata.describe(target.bootstrapServers(), timeout,
                target.clientProperties(), List.copyOf(new java.util.LinkedHashSet<>(topics)), null);
        KafkaReplaySender sender = new KafkaReplaySender(target, timeout, cluster);
        try {
            for (String topic : cluster.topics()) {   // warms the producer's metadata: the first send is not slower
                sender.producer().partitionsFor(topic);
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            sender.close();
            throw new KafkaConnectException(target.endpoint() + ": " + e.getMessage(), e);
        }
        return sender;
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    /** The number of partitions of a target topic, or 0 when it was not described. */
    public int partitionCount(String topic) {
        return partitions.getOrDefault(topic, 0);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.putAll(target.clientProperties());
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "eventlens-replay-" + CLIENT_IDS.incrementAndGet());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            long ms = Math.max(1000, timeout.toMillis());
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(ms));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ms));
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(ms + 1000));
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    @Override
    public Result send(PlannedSend s) throws Exception {
        Integer partition = s.partition();
        String note = null;
        int count = partitionCount(s.targetChannel());
        if (partition != null && count > 0 && partition >= count) {
            note = "partition " + partition + " does not exist on " + s.targetChannel() + " (" + count
                    + " partitions); the key decided";
            partition = null;
        }
        List<org.apache.kafka.common.header.Header> headers = new ArrayList<>();
        for (Header h : s.headers()) {
            headers.add(new RecordHeader(h.name(), h.value()));
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(s.targetChannel(), partition, null, s.key(),
                s.payload(), headers);
        try {
            RecordMetadata md = producer().send(record).get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
            return new Result(md.partition(), md.offset(), "p" + md.partition() + "@" + md.offset(), note);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new OutcomeUnknownException("no acknowledgement from " + target.endpoint() + " within "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RetriableException) {   // timeouts, lost connections: it may have been written
                throw new OutcomeUnknownException(target.endpoint() + ": " + cause.getMessage(), cause);
            }
            throw new ReplayException(target.endpoint() + " refused the send to " + s.targetChannel() + ": "
                    + cause.getMessage(), cause);
        }
    }

    @Override
    public Map<Integer, Result> findSent(String replayId, Collection<String> channels, Instant since,
                                         Collection<Integer> indexes) {
        Set<Integer> wanted = new HashSet<>(indexes);
        Map<Integer, Result> found = new HashMap<>();
        if (wanted.isEmpty()) {
            return found;
        }
        Properties p = new Properties();
        p.putAll(target.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, target.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventlens-replay-check-" + CLIENT_IDS.incrementAndGet());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (String topic : new java.util.LinkedHashSet<>(channels)) {
                consumer.partitionsFor(topic, timeout).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
            }
            Map<TopicPartition, Long> query = new HashMap<>();
            long from = since.minusSeconds(60).toEpochMilli();   // the producer's clock may differ a little
            tps.forEach(tp -> query.put(tp, from));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query, timeout);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps, timeout);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            Map<TopicPartition, Long> seeks = new HashMap<>();
            for (TopicPartition tp : tps) {
                OffsetAndTimestamp start = starts.get(tp);
                long startOffset = start == null ? ends.get(tp) : start.offset();
                if (startOffset < ends.get(tp)) {
                    seeks.put(tp, startOffset);
                    remaining.put(tp, ends.get(tp));
                }
            }
            consumer.assign(remaining.keySet());
            seeks.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos() * 4;
            while (!remaining.isEmpty() && found.size() < wanted.size()) {
                if (System.nanoTime() > deadline) {
                    throw new ReplayException(target.endpoint() + ": reading back replay " + replayId
                            + " did not finish within " + timeout.multipliedBy(4).toMillis() + " ms");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    var id = r.headers().lastHeader(Rewrites.REPLAY_ID_HEADER);
                    var send = r.headers().lastHeader(Rewrites.REPLAY_SEND_HEADER);
                    if (id != null && send != null && replayId.equals(text(id.value()))) {
                        try {
                            int index = Integer.parseInt(text(send.value()));
                            if (wanted.contains(index)) {
                                found.putIfAbsent(index, new Result(r.partition(), r.offset(),
                                        "p" + r.partition() + "@" + r.offset(), "found on the target by its replay marker"));
                            }
                        } catch (NumberFormatException ignored) {
                            // not ours after all
                        }
                    }
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new ReplayException(target.endpoint() + ": reading back replay " + replayId + " failed: "
                    + e.getMessage(), e);
        }
        return found;
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
