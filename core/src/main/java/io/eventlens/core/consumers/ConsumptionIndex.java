package io.eventlens.core.consumers;

import io.eventlens.core.analysis.Consumption;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.Verdict;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.model.CapturedEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Answers, per captured Kafka event, which followed consumer groups committed past it and which
 * never did (docs/decisions/0021-consumer-groups.md), and judges a timeline with that: a flow one
 * of whose events a group reading its topic never committed past, while that group had no members,
 * was rebalancing, or left the event waiting {@link Consumption.NotConsumedBy#STALL_AFTER_MS} ms or
 * more, is {@link VerdictKind#STOPPED} and says which group and why.
 *
 * <p>A group reads a topic when it committed on one of its partitions during the capture (or had
 * committed before it). "Committed past" follows Kafka's convention: a committed offset is the next
 * record to read, so an event at offset {@code o} is consumed once the committed offset exceeds
 * {@code o}. Offsets that move backwards (a reset) are honoured: the first commit in time past the
 * event counts.
 *
 * <p>Immutable and thread-safe once built; built in O(commits log commits).
 */
public final class ConsumptionIndex {

    /** The empty index: no group followed. */
    public static final ConsumptionIndex EMPTY = new ConsumptionIndex(ConsumerProgress.NONE);

    private final ConsumerProgress progress;
    /** topic → groups that read it, sorted. */
    private final Map<String, TreeSet<String>> groupsOfTopic = new HashMap<>();
    /** group/topic/partition → commits sorted by time, with running maximum offsets. */
    private final Map<String, Track> tracks = new HashMap<>();
    private final Map<String, PartitionEnd> ends = new HashMap<>();
    private final Map<String, GroupPoll> lastPoll = new HashMap<>();
    private final long endMs;
    private final long stallAfterMs;

    /** The commits of one group on one partition, by time, and the highest offset committed up to each. */
    private record Track(long[] atMs, long[] maxOffset, ConsumerCommit[] commits) {
    }

    /** Builds the index of a capture's consumer progress, stalls after {@link Consumption.NotConsumedBy#STALL_AFTER_MS}. */
    public ConsumptionIndex(ConsumerProgress progress) {
        this(progress, Consumption.NotConsumedBy.STALL_AFTER_MS);
    }

    /**
     * Builds the index of a capture's consumer progress.
     *
     * @param stallAfterMs how long an event a group never committed past must have waited at the
     *                     capture's end to count as stalled (when the group had members and was not rebalancing), ms
     */
    public ConsumptionIndex(ConsumerProgress progress, long stallAfterMs) {
        this.progress = progress;
        this.stallAfterMs = stallAfterMs;
        Map<String, List<ConsumerCommit>> byPartition = new HashMap<>();
        for (ConsumerCommit c : progress.commits()) {
            groupsOfTopic.computeIfAbsent(c.topic(), t -> new TreeSet<>()).add(c.group());
            byPartition.computeIfAbsent(key(c.group(), c.topic(), c.partition()), k -> new ArrayList<>()).add(c);
        }
        for (PartitionEnd e : progress.ends()) {
            groupsOfTopic.computeIfAbsent(e.topic(), t -> new TreeSet<>()).add(e.group());
            ends.put(key(e.group(), e.topic(), e.partition()), e);
        }
        byPartition.forEach((k, list) -> {
            list.sort(Comparator.comparingLong(ConsumerCommit::committedAtMs));
            long[] at = new long[list.size()];
            long[] max = new long[list.size()];
            long m = -1;
            for (int i = 0; i < list.size(); i++) {
                at[i] = list.get(i).committedAtMs();
                m = Math.max(m, list.get(i).committedOffset());
                max[i] = m;
            }
            tracks.put(k, new Track(at, max, list.toArray(ConsumerCommit[]::new)));
        });
        for (GroupPoll p : progress.polls()) {
            GroupPoll before = lastPoll.get(p.group());
            if (before == null || before.polledAtMs() <= p.polledAtMs()) {
                lastPoll.put(p.group(), p);
            }
        }
        endMs = progress.endMs();
    }

    /** The progress this index was built from. */
    public ConsumerProgress progress() {
        return progress;
    }

    /** True when no group was followed. */
    public boolean isEmpty() {
        return progress.isEmpty();
    }

    private static String key(String group, String topic, int partition) {
        return group + '\u0000' + topic + '\u0000' + partition;
    }

    /**
     * Who consumed this event; null when it is no Kafka event (no {@code partition} and
     * {@code offset} attributes) or no followed group reads its topic.
     */
    public Consumption of(CapturedEvent event) {
        if (!"kafka".equals(event.source().sourceKind())
                || !(event.source().attributes().get("partition") instanceof Number partition)
                || !(event.source().attributes().get("offset") instanceof Number offsetValue)) {
            return null;
        }
        TreeSet<String> groups = groupsOfTopic.get(event.channel().name());
        if (groups == null) {
            return null;
        }
        long offset = offsetValue.longValue();
        long observedMs = event.observedAt().toEpochMilli();
        List<Consumption.ConsumedBy> consumed = new ArrayList<>();
        List<Consumption.NotConsumedBy> notConsumed = new ArrayList<>();
        for (String group : groups) {
            String k = key(group, event.channel().name(), partition.intValue());
            Track t = tracks.get(k);
            int i = t == null ? -1 : firstAbove(t.maxOffset(), offset);
            if (i >= 0) {
                ConsumerCommit c = firstPast(t, i, offset);
                consumed.add(new Consumption.ConsumedBy(group, Instant.ofEpochMilli(c.committedAtMs()),
                        c.committedAtMs() - observedMs, c.precision().label(),
                        c.precision() == TimePrecision.BETWEEN_POLLS ? c.committedAtMs() - c.committedAfterMs() : 0));
            } else {
                PartitionEnd end = ends.get(k);
                long committed = t == null ? (end == null ? -1 : end.committedOffset()) : t.maxOffset()[t.maxOffset().length - 1];
                long lag = end == null ? -1 : Math.max(0, end.logEndOffset() - Math.max(0, committed));
                GroupPoll poll = lastPoll.get(group);
                String state = poll == null ? "Unknown" : poll.state();
                int members = poll == null ? -1 : poll.members();
                long waited = endMs == 0 ? 0 : Math.max(0, endMs - observedMs);
                boolean stalled = members == 0 || GroupPoll.isRebalancing(state)
                        || waited >= stallAfterMs;
                notConsumed.add(new Consumption.NotConsumedBy(group, lag, committed, state, Math.max(0, members), waited,
                        stalled));
            }
        }
        consumed.sort(Comparator.comparing(Consumption.ConsumedBy::committedAt).thenComparing(Consumption.ConsumedBy::group));
        return new Consumption(consumed, notConsumed);
    }

    /** The first index whose running maximum exceeds {@code offset}, or -1. */
    private static int firstAbove(long[] max, long offset) {
        int lo = 0;
        int hi = max.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (max[mid] > offset) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo < max.length ? lo : -1;
    }

    /** The commit at {@code i} or, among commits at the same time, the first one past {@code offset}. */
    private static ConsumerCommit firstPast(Track t, int i, long offset) {
        for (int j = i; j < t.commits().length; j++) {
            if (t.commits()[j].committedOffset() > offset) {
                return t.commits()[j];
            }
        }
        return t.commits()[i];
    }

    /**
     * The timeline with each Kafka event's consumption and the verdict it leads to: unchanged for
     * {@code NO_EVENTS} and {@code DEAD_LETTERED}; else, when a group never committed past one of
     * its events and {@linkplain Consumption.NotConsumedBy#stalled() stalled} on it, {@code STOPPED}
     * naming the earliest such event and the group (added to the message of a flow already
     * {@code STOPPED} by its expected flow).
     */
    public Timeline judge(Timeline timeline) {
        if (isEmpty()) {
            return timeline;
        }
        Map<Long, Consumption> map = new LinkedHashMap<>();
        TimelineEntry stoppedAt = null;
        Consumption.NotConsumedBy stalledGroup = null;
        for (TimelineEntry entry : timeline.entries()) {
            Consumption c = of(entry.event());
            if (c == null) {
                continue;
            }
            map.put(entry.event().seq(), c);
            if (stoppedAt == null) {
                for (Consumption.NotConsumedBy n : c.notConsumedBy()) {
                    if (n.stalled()) {
                        stoppedAt = entry;
                        stalledGroup = n;
                        break;
                    }
                }
            }
        }
        Verdict verdict = timeline.verdict();
        if (stoppedAt != null && verdict.kind() != VerdictKind.NO_EVENTS && verdict.kind() != VerdictKind.DEAD_LETTERED) {
            CapturedEvent e = stoppedAt.event();
            String type = e.derived().eventTypeValue();
            String what = stalledGroup.group() + " never committed past " + (type == null ? "the event" : type) + " on "
                    + e.channel().name() + " " + e.source().describe() + " ("
                    + (stalledGroup.lagAtEndRecords() < 0 ? "lag unknown"
                    : "lag " + stalledGroup.lagAtEndRecords() + (stalledGroup.lagAtEndRecords() == 1 ? " record" : " records"))
                    + " at capture end" + (stalledGroup.reason().isEmpty() ? "" : "; group " + stalledGroup.reason()
                    .replace("no active members", "had no active members").replace("rebalancing", "was rebalancing")) + ")";
            verdict = verdict.kind() == VerdictKind.STOPPED
                    ? new Verdict(VerdictKind.STOPPED, verdict.message() + "; " + what, verdict.atSeq())
                    : new Verdict(VerdictKind.STOPPED, "stopped: " + what, e.seq());
        }
        return timeline.withConsumption(map, verdict);
    }
}
