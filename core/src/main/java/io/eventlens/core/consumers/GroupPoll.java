package io.eventlens.core.consumers;

import java.util.Objects;

/**
 * What one poll of the Admin client saw of a consumer group (table {@code consumer_group_poll},
 * schema version 8; docs/decisions/0021-consumer-groups.md): its state, its members and its lag on
 * the captured topics. Written when something changed, and at least every 10 s.
 *
 * @param group      the consumer group ID
 * @param polledAtMs when the poll was answered, epoch ms
 * @param state      the group's state as Kafka names it ({@code Stable}, {@code Empty},
 *                   {@code PreparingRebalance}, {@code CompletingRebalance}, {@code Reconciling},
 *                   {@code Assigning}, {@code Dead}, {@code Unknown})
 * @param members    active members, 0 or more
 * @param memberInfo the members as {@code clientId@host [topic-partition, ...]} joined by {@code "; "},
 *                   at most {@value #MAX_TEXT} characters; empty when none
 * @param lagRecords the group's lag summed over the captured topics' partitions it committed on
 *                   (log end offset − committed offset), or -1 when unknown
 * @param error      what failed while reading the group, at most {@value #MAX_TEXT} characters; null when nothing
 */
public record GroupPoll(String group, long polledAtMs, String state, int members, String memberInfo, long lagRecords,
                        String error) {

    /** Longest member list and error kept, in characters. */
    public static final int MAX_TEXT = 2000;

    public GroupPoll {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(state, "state");
        if (members < 0) {
            throw new IllegalArgumentException("members must be >= 0, was " + members);
        }
        memberInfo = memberInfo == null ? "" : cut(memberInfo);
        error = error == null ? null : cut(error);
        lagRecords = Math.max(-1, lagRecords);
    }

    private static String cut(String s) {
        return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT - 1) + "…" : s;
    }

    /** True when the group was rebalancing ({@code PreparingRebalance}, {@code CompletingRebalance}, {@code Reconciling}, {@code Assigning}). */
    public boolean rebalancing() {
        return isRebalancing(state);
    }

    /** True for a state name in which a group is rebalancing. */
    public static boolean isRebalancing(String state) {
        return switch (state) {
            case "PreparingRebalance", "CompletingRebalance", "Reconciling", "Assigning" -> true;
            default -> false;
        };
    }
}
