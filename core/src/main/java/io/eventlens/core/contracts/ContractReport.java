package io.eventlens.core.contracts;

import io.eventlens.core.analysis.ContractCheck;
import io.eventlens.core.analysis.ContractChecker;
import io.eventlens.core.analysis.ContractViolation;
import io.eventlens.core.analysis.DeadLetterChannels;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A whole capture checked against contracts: per channel and event type, how many events were
 * checked, passed and failed, the most common violations, and the failing events
 * (docs/reference/contracts.md, "Checking a whole capture"). Used by {@code check-contracts} and
 * the app's Contracts view. A dead-letter or retry copy is checked against its original channel's
 * contract (the channel its headers, else its name, point back at) and counted under that channel.
 * Not thread-safe while being filled; read after {@link #scan}.
 */
public final class ContractReport {

    /** The failing events kept per group (the rest are counted). */
    public static final int MAX_FAILING_PER_GROUP = 200;
    /** The most groups (channel and type) kept; the events of further ones go into one "other" group. */
    public static final int MAX_GROUPS = 500;
    /** The most distinct violations (pointer and rule) counted per group. */
    public static final int MAX_VIOLATION_KINDS = 200;

    /**
     * One failing event.
     *
     * @param seq           store sequence
     * @param channel       the channel it was observed on
     * @param correlationId its correlation ID, or null
     * @param check         the failed check
     */
    public record Failure(long seq, String channel, String correlationId, ContractCheck check) {
    }

    /**
     * How often one violation (same pointer and rule) occurred in a group.
     *
     * @param pointer JSON Pointer
     * @param rule    schema keyword
     * @param message the first occurrence's message
     * @param count   occurrences
     */
    public record ViolationCount(String pointer, String rule, String message, long count) {
    }

    /**
     * The events of one channel and type that had a contract.
     *
     * @param channel     the channel whose contract applied
     * @param type        the event type, or null
     * @param contract    the contract's name (the first event's; one group per channel and type)
     * @param checked     events checked
     * @param passed      events that passed
     * @param failed      events that failed
     * @param violations  the most common violations first
     * @param failures    the first {@link #MAX_FAILING_PER_GROUP} failing events in store order
     */
    public record Group(String channel, String type, String contract, long checked, long passed, long failed,
                        List<ViolationCount> violations, List<Failure> failures) {
    }

    private static final class Acc {
        final String channel;
        final String type;
        String contract;
        long checked;
        long passed;
        final Map<String, long[]> counts = new LinkedHashMap<>();
        final Map<String, ContractViolation> first = new HashMap<>();
        final List<Failure> failures = new ArrayList<>();
        long failed;

        Acc(String channel, String type) {
            this.channel = channel;
            this.type = type;
        }
    }

    private final Map<String, Acc> groups = new LinkedHashMap<>();
    private long scanned;
    private long unmatched;
    private long tombstones;
    private boolean complete = true;

    /**
     * Checks every event of a capture, in store order, pages of 1,000 (damaged blocks are skipped
     * as {@link CaptureStore#page} skips them).
     *
     * @param store     the capture (read-only is fine)
     * @param contracts the contracts
     * @param cancelled polled between pages; when true the scan stops and {@link #complete()} is false
     */
    public static ContractReport scan(CaptureStore store, ContractChecker contracts, BooleanSupplier cancelled) {
        ContractReport r = new ContractReport();
        long from = 1;
        while (true) {
            if (cancelled.getAsBoolean()) {
                r.complete = false;
                break;
            }
            List<CapturedEvent> page = store.page(from, 1_000);
            if (page.isEmpty()) {
                break;
            }
            for (CapturedEvent e : page) {
                r.add(e, contracts);
            }
            from = page.get(page.size() - 1).seq() + 1;
        }
        return r;
    }

    /** The channel whose contract applies to an event: its own, or a copy's original channel. */
    public static String contractChannel(CapturedEvent e) {
        String name = e.channel().name();
        if (DeadLetterChannels.isDeadLetter(name) || DeadLetterChannels.isRetry(name)
                || DeadLetterChannels.hasDeadLetterHeaders(e.headers())) {
            String original = DeadLetterChannels.inspect(name, e.headers()).originalChannel();
            if (original == null) {
                original = DeadLetterChannels.originalChannelOf(name);
            }
            if (original != null && !original.isBlank()) {
                return original;
            }
        }
        return name;
    }

    /** Checks one event and counts it. */
    public void add(CapturedEvent e, ContractChecker contracts) {
        scanned++;
        if (e.payload() == null) {
            tombstones++;
            return;
        }
        String channel = contractChannel(e);
        ContractCheck check = contracts.check(e, channel);
        if (check == null) {
            unmatched++;
            return;
        }
        String type = e.derived().eventTypeValue();
        String key = channel + '\u0000' + type;
        Acc acc = groups.get(key);
        if (acc == null) {
            if (groups.size() >= MAX_GROUPS) {
                key = "\u0000other";
                acc = groups.computeIfAbsent(key, k -> new Acc("(other channels and types)", null));
            } else {
                acc = new Acc(channel, type);
                groups.put(key, acc);
            }
        }
        if (acc.contract == null) {
            acc.contract = check.contract();
        }
        acc.checked++;
        if (check.passed()) {
            acc.passed++;
            return;
        }
        acc.failed++;
        if (acc.failures.size() < MAX_FAILING_PER_GROUP) {
            acc.failures.add(new Failure(e.seq(), e.channel().name(), e.derived().correlationIdValue(), check));
        }
        for (ContractViolation v : check.violations()) {
            String vk = v.pointer() + '\u0000' + v.rule();
            long[] n = acc.counts.get(vk);
            if (n == null) {
                if (acc.counts.size() >= MAX_VIOLATION_KINDS) {
                    continue;
                }
                n = new long[1];
                acc.counts.put(vk, n);
                acc.first.put(vk, v);
            }
            n[0]++;
        }
    }

    /** The groups, the ones with the most failures first, then by channel and type. */
    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        for (Map.Entry<String, Acc> en : groups.entrySet()) {
            Acc a = en.getValue();
            List<ViolationCount> vc = new ArrayList<>();
            a.counts.forEach((k, n) -> {
                ContractViolation v = a.first.get(k);
                vc.add(new ViolationCount(v.pointer(), v.rule(), v.message(), n[0]));
            });
            vc.sort(Comparator.comparingLong(ViolationCount::count).reversed());
            out.add(new Group(a.channel, a.type, a.contract, a.checked, a.passed, a.failed, List.copyOf(vc),
                    List.copyOf(a.failures)));
        }
        out.sort(Comparator.comparingLong(Group::failed).reversed()
                .thenComparing(Group::channel)
                .thenComparing(g -> Objects.requireNonNullElse(g.type(), "")));
        return out;
    }

    /** Events read. */
    public long scanned() {
        return scanned;
    }

    /** Events checked against a contract (passed + failed). */
    public long checked() {
        return groups.values().stream().mapToLong(a -> a.checked).sum();
    }

    /** Events that broke their contract. */
    public long failed() {
        return groups.values().stream().mapToLong(a -> a.failed).sum();
    }

    /** Events no contract applied to. */
    public long unmatched() {
        return unmatched;
    }

    /** Events without a payload (tombstones), not checked. */
    public long tombstones() {
        return tombstones;
    }

    /** False when the scan was cancelled before the end of the capture. */
    public boolean complete() {
        return complete;
    }
}
