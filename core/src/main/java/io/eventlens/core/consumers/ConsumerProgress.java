package io.eventlens.core.consumers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a capture recorded about the consumer groups it followed (schema version 8;
 * docs/decisions/0021-consumer-groups.md): the commit history, the polls (state, members, lag)
 * and where each group stood on each partition at the end.
 *
 * @param commits commits in commit order (time, then insertion)
 * @param polls   polls in time order
 * @param ends    the last poll's position per group and partition
 */
public record ConsumerProgress(List<ConsumerCommit> commits, List<GroupPoll> polls, List<PartitionEnd> ends) {

    /** Nothing recorded (no groups followed, or a store older than schema version 8). */
    public static final ConsumerProgress NONE = new ConsumerProgress(List.of(), List.of(), List.of());

    public ConsumerProgress {
        commits = List.copyOf(commits);
        polls = List.copyOf(polls);
        ends = List.copyOf(ends);
    }

    /** True when nothing was recorded. */
    public boolean isEmpty() {
        return commits.isEmpty() && polls.isEmpty() && ends.isEmpty();
    }

    /** The followed groups, sorted. */
    public List<String> groups() {
        TreeSet<String> out = new TreeSet<>();
        commits.forEach(c -> out.add(c.group()));
        polls.forEach(p -> out.add(p.group()));
        ends.forEach(e -> out.add(e.group()));
        return List.copyOf(out);
    }

    /** The polls of one group in time order. */
    public List<GroupPoll> pollsOf(String group) {
        return polls.stream().filter(p -> p.group().equals(group)).sorted(Comparator.comparingLong(GroupPoll::polledAtMs)).toList();
    }

    /** The commits of one group in commit order. */
    public List<ConsumerCommit> commitsOf(String group) {
        return commits.stream().filter(c -> c.group().equals(group)).toList();
    }

    /** The topics a group committed on (or stood on at the end), sorted. */
    public List<String> topicsOf(String group) {
        TreeSet<String> out = new TreeSet<>();
        commits.stream().filter(c -> c.group().equals(group)).forEach(c -> out.add(c.topic()));
        ends.stream().filter(e -> e.group().equals(group)).forEach(e -> out.add(e.topic()));
        return List.copyOf(out);
    }

    /**
     * The state changes of one group: the first poll and each poll whose state or member count
     * differs from the one before, in time order.
     */
    public List<GroupPoll> stateChangesOf(String group) {
        List<GroupPoll> out = new ArrayList<>();
        GroupPoll last = null;
        for (GroupPoll p : pollsOf(group)) {
            if (last == null || !last.state().equals(p.state()) || last.members() != p.members()) {
                out.add(p);
            }
            last = p;
        }
        return out;
    }

    /** The latest poll time recorded, epoch ms, or 0: the capture's end as the follower saw it. */
    public long endMs() {
        long end = 0;
        for (GroupPoll p : polls) {
            end = Math.max(end, p.polledAtMs());
        }
        for (PartitionEnd e : ends) {
            end = Math.max(end, e.polledAtMs());
        }
        return end;
    }

    /**
     * A group's committed offset on each partition of its topics at {@code atMs} (the last commit at
     * or before it; -1 for partitions without one yet), keyed {@code topic} → partition → offset.
     */
    public Map<String, Map<Integer, Long>> committedAt(String group, long atMs) {
        Map<String, Map<Integer, Long>> out = new TreeMap<>();
        for (PartitionEnd e : ends) {
            if (e.group().equals(group)) {
                out.computeIfAbsent(e.topic(), t -> new TreeMap<>()).put(e.partition(), -1L);
            }
        }
        for (ConsumerCommit c : commits) {
            if (c.group().equals(group)) {
                Map<Integer, Long> byPartition = out.computeIfAbsent(c.topic(), t -> new TreeMap<>());
                byPartition.putIfAbsent(c.partition(), -1L);
                if (c.committedAtMs() <= atMs) {
                    byPartition.put(c.partition(), c.committedOffset());
                }
            }
        }
        return out;
    }
}
