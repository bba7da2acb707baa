package io.eventlens.core.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * Describes a Kafka cluster with an {@link Admin} client: its ID, its topics, and the partitions of
 * the topics a capture reads. Used by {@link KafkaSource} when it opens, and by the app's Connect
 * dialog to offer topics. Every call is bounded by its timeout and fails with a
 * {@link KafkaConnectException} naming the bootstrap servers.
 */
public final class KafkaClusterMetadata {

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();

    private KafkaClusterMetadata() {
    }

    /**
     * What a capture reads of a cluster.
     *
     * @param clusterId  the cluster ID ({@code describeCluster}); null when the cluster has none
     * @param topics     the chosen topics, in the order asked (sorted for a pattern)
     * @param partitions every partition of those topics, topic by topic
     */
    public record Cluster(String clusterId, List<String> topics, List<TopicPartition> partitions) {
        public Cluster {
            topics = List.copyOf(topics);
            partitions = List.copyOf(partitions);
        }
    }

    /**
     * Lists the cluster's topics (without internal topics), sorted, for a topic picker.
     *
     * @param bootstrapServers Kafka {@code bootstrap.servers}, not blank
     * @param timeout          how long to wait for the cluster
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

    /**
     * Describes the cluster and the partitions of {@code topics}, or of the topics matching
     * {@code pattern} (resolved once, now).
     *
     * @param bootstrap        Kafka {@code bootstrap.servers}
     * @param timeout          the whole call's budget (a little is kept for closing the client)
     * @param clientProperties extra client properties (security, SASL, ...)
     * @param topics           named topics; ignored when {@code pattern} is set
     * @param pattern          a regex of topic names, or null
     * @throws KafkaConnectException naming {@code bootstrap}: unreachable within {@code timeout}, a
     *                               named topic missing (named), or no topic matching the pattern
     */
    public static Cluster describe(String bootstrap, Duration timeout, Map<String, String> clientProperties,
                                   List<String> topics, Pattern pattern) {
        Objects.requireNonNull(bootstrap, "bootstrap");
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
            return new Cluster(clusterId, chosen, partitions);
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
}
