package io.eventlens.core.kafka;

import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.consumers.ConsumerCommit;
import io.eventlens.core.consumers.ConsumerFollowConfig;
import io.eventlens.core.consumers.ConsumerProgressSink;
import io.eventlens.core.consumers.GroupPoll;
import io.eventlens.core.consumers.PartitionEnd;
import io.eventlens.core.consumers.TimePrecision;
import io.eventlens.core.store.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the consumer groups of a Kafka capture without joining them
 * (docs/decisions/0021-consumer-groups.md): every poll interval it reads, with the Admin client, the
 * committed offsets of the followed groups on the captured topics, their state and members, and the
 * partitions' log end offsets, and hands what changed to a {@link ConsumerProgressSink} (the capture
 * store), one call per poll.
 *
 * <p>Commit times: where the user may read {@code __consumer_offsets}, the follower reads the commit
 * records written since it started ({@link OffsetCommitRecords}) and records each commit of a
 * followed group with its record timestamp ({@link TimePrecision#EXACT}); a change the commit log
 * did not show (no permission, a record not read in time) is recorded between the two polls that
 * bound it ({@link TimePrecision#BETWEEN_POLLS}); the offsets a group had at the first poll are
 * {@link TimePrecision#BEFORE_CAPTURE}.
 *
 * <p>It is a {@link CaptureSource} that delivers no events, so it runs beside the event sources on
 * the one pipeline and stops with it ({@link io.eventlens.core.capture.CompositeSource}); a last
 * poll when the capture stops gives the lag at the end. Failures of a poll are logged (once per kind)
 * and recorded in the groups' polls; they never end the capture.
 */
public final class ConsumerGroupFollower implements CaptureSource {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupFollower.class);
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    /** The kind. */
    public static final String KIND = "consumer-groups";
    static final String OFFSETS_TOPIC = "__consumer_offsets";
    /** How often every group is listed again to find new ones when following all: 5 s. */
    private static final long DISCOVER_EVERY_MS = 5_000;
    /** A group's poll is stored at least this often even when nothing changed: 10 s. */
    private static final long POLL_ROW_EVERY_MS = 10_000;
    /** How long one poll waits for the commit log to reach its end. */
    private static final Duration COMMIT_LOG_WAIT = Duration.ofMillis(300);

    private final KafkaCaptureConfig capture;
    private final ConsumerFollowConfig follow;
    private final ConsumerProgressSink sink;
    private final String endpoint;
    private Admin admin;
    private KafkaConsumer<byte[], byte[]> commitLog;
    /** When to try opening the commit log (again), epoch ms; Long.MAX_VALUE = never (not permitted, or turned off). */
    private long commitLogRetryAtMs;
    private volatile String sourceId;

    private final Set<String> followed = new LinkedHashSet<>();
    private long lastDiscoveryMs;
    private long lastPollMs;
    private final Map<String, Long> lastCommitted = new HashMap<>();
    private final Map<String, GroupPoll> lastStored = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong commitsRecorded = new AtomicLong();
    private final AtomicLong exactCommits = new AtomicLong();

    /**
     * @param capture what the capture reads: bootstrap servers, client properties, topics or pattern
     * @param follow  which groups, how often, whether to read commit times from the commit log
     * @param sink    where each poll's findings go
     */
    public ConsumerGroupFollower(KafkaCaptureConfig capture, ConsumerFollowConfig follow, ConsumerProgressSink sink) {
        this.capture = capture;
        this.follow = follow;
        this.sink = sink;
        this.endpoint = "consumer groups at " + capture.bootstrapServers();
        this.followed.addAll(follow.groups());
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /** Delivers no events: nothing to be read as it happens. */
    @Override
    public boolean live() {
        return false;
    }

    @Override
    public void open(StoredPositions stored) {
        Properties p = new Properties();
        p.putAll(capture.clientProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, capture.bootstrapServers());
        long ms = Math.max(1_000, Math.min(10_000, capture.connectTimeout() == null ? 10_000 : capture.connectTimeout().toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ms));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(ms));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "eventlens-groups-" + CLIENT_IDS.incrementAndGet());
        admin = Admin.create(p);
        sourceId = "consumer-groups@" + capture.bootstrapServers();
    }

    @Override
    public String sourceId() {
        return sourceId;
    }

    @Override
    public void run(SourceContext context) throws InterruptedException {
        while (!context.stopping()) {
            poll();
            context.awaitStop(follow.pollInterval());
        }
        poll();   // the lag at the end
    }

    /** Polls done so far. */
    public long polls() {
        return polls.get();
    }

    /** Commits recorded so far, and how many of them with exact times. */
    public long commitsRecorded() {
        return commitsRecorded.get();
    }

    /** Commits recorded with their exact time (from {@code __consumer_offsets}). */
    public long exactCommits() {
        return exactCommits.get();
    }

    /** The groups followed so far. */
    public synchronized List<String> followedGroups() {
        return List.copyOf(followed);
    }

    /** One poll: find groups, read offsets, states and log end offsets, read the commit log, record. */
    synchronized void poll() {
        long now = System.currentTimeMillis();
        try {
            Set<String> topics = capturedTopics();
            Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets = offsets(topics, now);
            if (followed.isEmpty()) {
                polls.incrementAndGet();
                lastPollMs = now;
                return;
            }
            Map<String, ConsumerGroupDescription> described = new TreeMap<>();
            try {
                described.putAll(admin.describeConsumerGroups(followed).all().get(10, TimeUnit.SECONDS));
            } catch (Exception e) {
                warnOnce("describe", "cannot describe the consumer groups " + followed + " at " + capture.bootstrapServers()
                        + ": " + rootMessage(e));
            }
            Set<TopicPartition> partitions = new HashSet<>();
            offsets.values().forEach(m -> partitions.addAll(m.keySet()));
            Map<TopicPartition, Long> logEnd = logEndOffsets(partitions);
            List<Exact> exact = readCommitLog(topics);
            long pollAt = System.currentTimeMillis();
            List<ConsumerCommit> commits = new ArrayList<>();
            Set<String> seenExact = new HashSet<>();
            for (Exact x : exact) {
                String k = x.group() + '\u0000' + x.topic() + '\u0000' + x.partition();
                if (!followed.contains(x.group()) || !topics.contains(x.topic())) {
                    continue;
                }
                seenExact.add(k + '\u0000' + x.offset());
                Long last = lastCommitted.get(k);
                if (last == null || last != x.offset()) {
                    commits.add(new ConsumerCommit(x.group(), x.topic(), x.partition(), x.offset(), x.timestampMs(),
                            x.timestampMs(), TimePrecision.EXACT));
                    lastCommitted.put(k, x.offset());
                    exactCommits.incrementAndGet();
                }
            }
            List<PartitionEnd> ends = new ArrayList<>();
            List<GroupPoll> groupPolls = new ArrayList<>();
            for (String group : followed) {
                Map<TopicPartition, OffsetAndMetadata> mine = offsets.getOrDefault(group, Map.of());
                long lag = 0;
                boolean lagKnown = !mine.isEmpty();
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : mine.entrySet()) {
                    TopicPartition tp = e.getKey();
                    long committed = e.getValue().offset();
                    String k = group + '\u0000' + tp.topic() + '\u0000' + tp.partition();
                    Long last = lastCommitted.get(k);
                    if ((last == null || last != committed) && !seenExact.contains(k + '\u0000' + committed)) {
                        boolean first = last == null && lastPollMs == 0;
                        commits.add(new ConsumerCommit(group, tp.topic(), tp.partition(), committed, pollAt,
                                first ? 0 : Math.min(pollAt, lastPollMs == 0 ? pollAt : lastPollMs),
                                first ? TimePrecision.BEFORE_CAPTURE : TimePrecision.BETWEEN_POLLS));
                        lastCommitted.put(k, committed);
                    }
                    Long leo = logEnd.get(tp);
                    if (leo != null) {
                        ends.add(new PartitionEnd(group, tp.topic(), tp.partition(), committed, leo, pollAt));
                        lag += Math.max(0, leo - committed);
                    } else {
                        lagKnown = false;
                    }
                }
                ConsumerGroupDescription d = described.get(group);
                String state = d == null || d.groupState() == null ? "Unknown" : d.groupState().toString();
                int members = d == null ? 0 : d.members().size();
                GroupPoll gp = new GroupPoll(group, pollAt, state, members, d == null ? "" : members(d),
                        lagKnown ? lag : -1, d == null ? "not described" : null);
                GroupPoll before = lastStored.get(group);
                if (before == null || !before.state().equals(gp.state()) || before.members() != gp.members()
                        || before.lagRecords() != gp.lagRecords() || !before.memberInfo().equals(gp.memberInfo())
                        || pollAt - before.polledAtMs() >= POLL_ROW_EVERY_MS) {
                    groupPolls.add(gp);
                    lastStored.put(group, gp);
                }
            }
            commits.sort(java.util.Comparator.comparingLong(ConsumerCommit::committedAtMs));
            sink.record(commits, groupPolls, ends);
            commitsRecorded.addAndGet(commits.size());
            polls.incrementAndGet();
            lastPollMs = pollAt;
        } catch (RuntimeException e) {
            warnOnce("poll", "following consumer groups at " + capture.bootstrapServers() + " failed: " + rootMessage(e));
        }
    }

    private record Exact(String group, String topic, int partition, long offset, long timestampMs) {
    }

    /** The captured topics: the configured list, else the pattern's matches now. */
    private Set<String> capturedTopics() {
        if (capture.topicPattern() == null) {
            return new HashSet<>(capture.topics());
        }
        try {
            Set<String> out = new HashSet<>();
            for (String t : admin.listTopics().names().get(10, TimeUnit.SECONDS)) {
                if (capture.topicPattern().matcher(t).matches()) {
                    out.add(t);
                }
            }
            return out;
        } catch (Exception e) {
            warnOnce("topics", "cannot list the topics at " + capture.bootstrapServers() + ": " + rootMessage(e));
            return new HashSet<>();
        }
    }

    /**
     * The committed offsets on the captured topics of the followed groups; when following every group,
     * lists the groups first (at the start and every {@value #DISCOVER_EVERY_MS} ms) and follows
     * those with offsets on a captured topic.
     */
    private Map<String, Map<TopicPartition, OffsetAndMetadata>> offsets(Set<String> topics, long now) {
        Set<String> ask = new LinkedHashSet<>(followed);
        if (follow.groups().isEmpty() && (lastDiscoveryMs == 0 || now - lastDiscoveryMs >= DISCOVER_EVERY_MS)) {
            lastDiscoveryMs = now;
            try {
                for (GroupListing g : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(10, TimeUnit.SECONDS)) {
                    ask.add(g.groupId());
                }
            } catch (Exception e) {
                warnOnce("list", "cannot list the consumer groups at " + capture.bootstrapServers() + ": " + rootMessage(e));
            }
        }
        Map<String, Map<TopicPartition, OffsetAndMetadata>> out = new TreeMap<>();
        if (ask.isEmpty()) {
            return out;
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        ask.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
        var result = admin.listConsumerGroupOffsets(specs);
        for (String g : ask) {
            try {
                Map<TopicPartition, OffsetAndMetadata> all = result.partitionsToOffsetAndMetadata(g).get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
                all.forEach((tp, om) -> {
                    if (om != null && topics.contains(tp.topic())) {
                        mine.put(tp, om);
                    }
                });
                if (!mine.isEmpty() && followed.add(g)) {
                    LOG.info("following consumer group {} (committed on {})", g,
                            mine.keySet().stream().map(TopicPartition::topic).distinct().sorted().toList());
                }
                if (followed.contains(g)) {
                    out.put(g, mine);
                }
            } catch (Exception e) {
                if (followed.contains(g)) {
                    warnOnce("offsets " + g, "cannot read the committed offsets of consumer group " + g + " at "
                            + capture.bootstrapServers() + ": " + rootMessage(e));
                }
            }
        }
        return out;
    }

    private Map<TopicPartition, Long> logEndOffsets(Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (partitions.isEmpty()) {
            return out;
        }
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        partitions.forEach(tp -> ask.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> r = admin.listOffsets(ask).all().get(10, TimeUnit.SECONDS);
            r.forEach((tp, info) -> out.put(tp, info.offset()));
        } catch (Exception e) {
            warnOnce("end offsets", "cannot read the log end offsets at " + capture.bootstrapServers() + ": " + rootMessage(e));
        }
        return out;
    }

    /**
     * The offset commits in {@code __consumer_offsets} since the last poll, up to the topic's end now
     * (waiting at most {@link #COMMIT_LOG_WAIT}); empty when the commit log is not read.
     */
    private List<Exact> readCommitLog(Set<String> topics) {
        if (!follow.readCommitLog()) {
            return List.of();
        }
        if (commitLog == null && System.currentTimeMillis() >= commitLogRetryAtMs) {
            openCommitLog();
        }
        if (commitLog == null) {
            return List.of();
        }
        List<Exact> out = new ArrayList<>();
        try {
            Map<TopicPartition, Long> end = commitLog.endOffsets(commitLog.assignment(), Duration.ofSeconds(5));
            long deadline = System.nanoTime() + COMMIT_LOG_WAIT.toNanos();
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : commitLog.poll(Duration.ofMillis(50))) {
                    OffsetCommitRecords.Decoded d;
                    try {
                        d = OffsetCommitRecords.decode(r.key(), r.value());
                    } catch (OffsetCommitRecords.MalformedRecordException e) {
                        warnOnce("malformed", OFFSETS_TOPIC + " partition " + r.partition() + " offset " + r.offset()
                                + ": skipped a record that is not an offset commit: " + e.getMessage());
                        continue;
                    }
                    if (d instanceof OffsetCommitRecords.OffsetCommit c && topics.contains(c.topic())) {
                        out.add(new Exact(c.group(), c.topic(), c.partition(), c.offset(), r.timestamp()));
                    }
                }
                boolean caughtUp = true;
                for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                    if (commitLog.position(e.getKey()) < e.getValue()) {
                        caughtUp = false;
                        break;
                    }
                }
                if (caughtUp || System.nanoTime() > deadline) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            warnOnce("commit log", "stopped reading " + OFFSETS_TOPIC + " at " + capture.bootstrapServers()
                    + " (commit times are now between polls): " + rootMessage(e));
            closeCommitLog();
        }
        return out;
    }

    private void openCommitLog() {
        Properties p = new Properties();
        p.putAll(capture.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, capture.bootstrapServers());
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "eventlens-commit-log-" + CLIENT_IDS.incrementAndGet());
        p.put(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p);
        try {
            List<PartitionInfo> infos = c.partitionsFor(OFFSETS_TOPIC, Duration.ofSeconds(5));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException(OFFSETS_TOPIC + " has no partitions");
            }
            List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(tps);
            c.seekToEnd(tps);
            for (TopicPartition tp : tps) {
                c.position(tp, Duration.ofSeconds(5));   // fix the start now: commits from here on are read
            }
            commitLog = c;
            LOG.info("reading commit times from {} at {}", OFFSETS_TOPIC, capture.bootstrapServers());
        } catch (RuntimeException e) {
            c.close(Duration.ZERO);
            boolean refused = e instanceof org.apache.kafka.common.errors.AuthorizationException
                    || e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException;
            // a cluster where no group committed yet has no __consumer_offsets: look again in 5 s
            commitLogRetryAtMs = refused ? Long.MAX_VALUE : System.currentTimeMillis() + 5_000;
            if (warned.add("commit log open")) {
                LOG.info("cannot read {} at {} ({}): commit times are between polls{}", OFFSETS_TOPIC,
                        capture.bootstrapServers(), rootMessage(e), refused ? "" : " until it can be read");
            }
        }
    }

    private void closeCommitLog() {
        if (commitLog != null) {
            try {
                commitLog.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // closing a broken client: nothing more to do
            }
            commitLog = null;
        }
    }

    /** {@code clientId@host [orders-0, orders-1]} per member, joined by {@code "; "}. */
    private static String members(ConsumerGroupDescription d) {
        StringJoiner out = new StringJoiner("; ");
        for (MemberDescription m : d.members()) {
            List<String> parts = m.assignment().topicPartitions().stream()
                    .map(tp -> tp.topic() + "-" + tp.partition()).sorted().toList();
            out.add(m.clientId() + "@" + m.host().replaceFirst("^/", "") + " " + parts);
        }
        return out.toString();
    }

    private void warnOnce(String kind, String message) {
        if (warned.add(kind)) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public SourceHealth health() {
        return SourceHealth.connected(endpoint);
    }

    @Override
    public String describe(StreamPosition position) {
        return position.stream() + " at " + position.token();
    }

    @Override
    public synchronized void close() {
        closeCommitLog();
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
