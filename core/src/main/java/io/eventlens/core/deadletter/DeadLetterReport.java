package io.eventlens.core.deadletter;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.EventSelector;
import io.eventlens.core.store.ScanPage;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The dead-letter report of a capture store: every dead-lettered event (the rule of
 * docs/reference/anomalies-and-verdicts.md, "Dead-letter channels"; {@link DeadLetters}), grouped by
 * reason (its {@linkplain #reasonPattern pattern}: numbers and IDs left out), exception class and original channel, with the exact number of events per group and a
 * bounded number of example events per group (the latest ones). docs/decisions/0012-dead-letter-report.md.
 *
 * <p><b>Reading.</b> {@link #update} reads the store sequentially with
 * {@link CaptureStore#scan}, which decodes in full only the events on a dead-letter channel or with
 * dead-letter header names; it continues where the previous call stopped, so during a live capture
 * each call reads only the new events. It never writes the store (a read-only open works).
 *
 * <p><b>Memory</b> is bounded whatever the capture: at most {@code maxGroups} groups (the events of
 * further reasons are counted in one group per exception class and original channel, marked
 * {@link GroupKey#otherReasons()}), at most {@code examplesPerGroup} example events per group, and
 * texts cut to 500 chars. Counts stay exact.
 *
 * <p>Thread-safe: one thread runs {@link #update} while others take {@link #snapshot()}s.
 */
public final class DeadLetterReport {

    /** Default bound of example events kept per group. */
    public static final int DEFAULT_EXAMPLES = 20;
    /** Default bound of groups. */
    public static final int DEFAULT_MAX_GROUPS = 2_000;
    /** Stored events read per {@link CaptureStore#scan} step (between progress reports and cancellation checks). */
    static final int STEP = 16_384;

    /** Progress of {@link #update}. */
    @FunctionalInterface
    public interface Progress {
        /** {@code done} of {@code total} stored events read by this call. */
        void update(long done, long total);
    }

    /**
     * What a group's events share. A component is {@code null} when the events do not say it.
     *
     * @param reason          the reason's pattern ({@link #reasonPattern}) of
     *                        {@link io.eventlens.core.analysis.DeadLetterInfo#reason()}: the exception
     *                        message or the broker's dead-letter reason, cut to 500 chars, numbers and
     *                        IDs as {@code #}; {@code null} also for the {@code otherReasons} group
     * @param exceptionClass  the exception class (fully qualified)
     * @param originalChannel the channel the events were first published to
     * @param otherReasons    true for the group that counts the reasons beyond the group bound
     */
    public record GroupKey(String reason, String exceptionClass, String originalChannel, boolean otherReasons) {
    }

    /**
     * One group of the report.
     *
     * @param key             what its events share
     * @param count           how many dead-lettered events it has (exact)
     * @param channels        the dead-letter channels its events were observed on (at most 8 named)
     * @param firstObservedAt the earliest observed time of its events
     * @param lastObservedAt  the latest observed time of its events
     * @param examples        its latest events, newest first, at most the report's bound
     */
    public record Group(GroupKey key, long count, List<String> channels, Instant firstObservedAt,
                        Instant lastObservedAt, List<DeadLetterEvent> examples) {
        public Group {
            channels = List.copyOf(channels);
            examples = List.copyOf(examples);
        }
    }

    /**
     * The report as far as it was read.
     *
     * @param groups         the groups, most events first (then by reason, exception class, original channel)
     * @param deadLettered   dead-lettered events found in all
     * @param readThroughSeq every stored event up to this store sequence was read
     * @param storedEvents   the store's event count when the snapshot was taken
     */
    public record Snapshot(List<Group> groups, long deadLettered, long readThroughSeq, long storedEvents) {
        public Snapshot {
            groups = List.copyOf(groups);
        }

        /** True when no dead-lettered event was found. */
        public boolean isEmpty() {
            return deadLettered == 0;
        }

        /** True when the report covers every stored event. */
        public boolean complete() {
            return readThroughSeq >= storedEvents;
        }
    }

    private static final Comparator<Group> ORDER = Comparator.comparingLong(Group::count).reversed()
            .thenComparing(g -> g.key().otherReasons())
            .thenComparing(g -> g.key().reason(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(g -> g.key().exceptionClass(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(g -> g.key().originalChannel(), Comparator.nullsLast(Comparator.naturalOrder()));

    private final CaptureStore store;
    private final Set<String> configured;
    private final int examplesPerGroup;
    private final int maxGroups;
    private final EventSelector selector;

    // guarded by this
    private final Map<GroupKey, Acc> groups = new HashMap<>();
    private long deadLettered;
    private long readThroughSeq;

    /**
     * A report of {@code store} with the default bounds.
     *
     * @param configured channel names configured as dead-letter channels (beside the naming conventions)
     */
    public DeadLetterReport(CaptureStore store, Set<String> configured) {
        this(store, configured, DEFAULT_EXAMPLES, DEFAULT_MAX_GROUPS);
    }

    /**
     * A report of {@code store}; nothing is read until {@link #update}.
     *
     * @param configured       channel names configured as dead-letter channels
     * @param examplesPerGroup example events kept per group, 0 to 10,000
     * @param maxGroups        groups kept, 1 to 100,000 (one more per exception class and original
     *                         channel may be made for the reasons beyond it)
     * @throws IllegalArgumentException when a bound is out of range
     */
    public DeadLetterReport(CaptureStore store, Set<String> configured, int examplesPerGroup, int maxGroups) {
        this.store = Objects.requireNonNull(store, "store");
        this.configured = Set.copyOf(configured);
        if (examplesPerGroup < 0 || examplesPerGroup > 10_000) {
            throw new IllegalArgumentException("examplesPerGroup: must be 0 to 10000, was " + examplesPerGroup);
        }
        if (maxGroups < 1 || maxGroups > 100_000) {
            throw new IllegalArgumentException("maxGroups: must be 1 to 100000, was " + maxGroups);
        }
        this.examplesPerGroup = examplesPerGroup;
        this.maxGroups = maxGroups;
        Map<String, Boolean> channelVerdicts = new HashMap<>();
        Set<String> conf = this.configured;
        // a channel's name is judged once (names are few; the cache stops growing at 10,000)
        this.selector = (channel, headerNames) -> {
            Boolean named = channelVerdicts.get(channel);
            if (named == null) {
                named = conf.contains(channel) || io.eventlens.core.analysis.DeadLetterChannels.isDeadLetter(channel);
                if (channelVerdicts.size() < 10_000) {
                    channelVerdicts.put(channel, named);
                }
            }
            return named || (!headerNames.isEmpty() && DeadLetters.isDeadLetteredByNames(channel, headerNames, conf));
        };
    }

    /** The store this report reads. */
    public CaptureStore store() {
        return store;
    }

    /**
     * Reads the events stored since the last call (all of them the first time) up to the store's
     * event count now, and adds the dead-lettered ones. Runs on a worker thread; one call at a time.
     *
     * @param progress  receives progress after each step of {@value #STEP} events
     * @param cancelled polled between steps; the pass stops when it turns true (what was read stays
     *                  counted and a later call continues from there)
     * @return true when the report reached the last event stored when the call started
     * @throws io.eventlens.core.store.CaptureStoreException when the store cannot be read (naming the file)
     */
    public boolean update(Progress progress, BooleanSupplier cancelled) {
        long last = store.eventCount();
        long from;
        synchronized (this) {
            from = readThroughSeq + 1;
        }
        long total = Math.max(0, last - from + 1);
        long next = from;
        while (next <= last) {
            if (cancelled.getAsBoolean()) {
                return false;
            }
            ScanPage page = store.scan(next, (int) Math.min(STEP, last - next + 1), selector);
            long through = Math.min(last, page.nextSeq() - 1);
            synchronized (this) {
                for (CapturedEvent e : page.events()) {
                    // the selector may keep an event only by its header names: apply the full rule
                    if (e.seq() <= through && DeadLetters.isDeadLettered(e, configured)) {
                        add(DeadLetterEvent.of(e));
                    }
                }
                readThroughSeq = Math.max(readThroughSeq, through);
            }
            next = Math.max(next + 1, page.nextSeq());
            progress.update(Math.min(total, next - from), total);
        }
        return true;
    }

    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    private static final java.util.regex.Pattern HEX_ID = java.util.regex.Pattern.compile(
            "\\b(?=[0-9a-fA-F]*\\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{6,}\\b");
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("\\d+(?:[.,:_]\\d+)*");

    /**
     * The reason as a group key: every number (digits with {@code . , : _} between them), UUID and
     * hex ID of 6 or more digits becomes {@code #}, so that messages naming an order, an amount or a
     * message ID ({@code "order ord-10023 rejected: total 312.50"}) fall into one group
     * ({@code "order ord-# rejected: total #"}). {@code null} stays {@code null}.
     */
    public static String reasonPattern(String reason) {
        if (reason == null) {
            return null;
        }
        String r = UUID.matcher(reason).replaceAll("#");
        r = HEX_ID.matcher(r).replaceAll("#");
        return NUMBER.matcher(r).replaceAll("#");
    }

    private void add(DeadLetterEvent e) {
        GroupKey key = new GroupKey(reasonPattern(e.info().reason()), e.info().exceptionClass(),
                e.info().originalChannel(), false);
        Acc acc = groups.get(key);
        if (acc == null && groups.size() >= maxGroups) {
            key = new GroupKey(null, key.exceptionClass(), key.originalChannel(), true);
            acc = groups.get(key);
        }
        if (acc == null) {
            acc = new Acc();
            groups.put(key, acc);
        }
        deadLettered++;
        acc.count++;
        if (acc.channels.size() < 8) {
            acc.channels.put(e.channel(), Boolean.TRUE);
        }
        if (acc.first == null || e.observedAt().isBefore(acc.first)) {
            acc.first = e.observedAt();
        }
        if (acc.last == null || e.observedAt().isAfter(acc.last)) {
            acc.last = e.observedAt();
        }
        if (examplesPerGroup > 0) {
            if (acc.examples.size() == examplesPerGroup) {
                acc.examples.removeFirst();
            }
            acc.examples.addLast(e);
        }
    }

    /** The report as read so far (cheap: copies at most the bounded examples). */
    public synchronized Snapshot snapshot() {
        List<Group> out = new ArrayList<>(groups.size());
        for (Map.Entry<GroupKey, Acc> g : groups.entrySet()) {
            Acc a = g.getValue();
            List<DeadLetterEvent> newestFirst = new ArrayList<>(a.examples);
            java.util.Collections.reverse(newestFirst);
            out.add(new Group(g.getKey(), a.count, List.copyOf(a.channels.keySet()), a.first, a.last, newestFirst));
        }
        out.sort(ORDER);
        return new Snapshot(out, deadLettered, readThroughSeq, store.eventCount());
    }

    /** Every stored event up to this store sequence was read. */
    public synchronized long readThroughSeq() {
        return readThroughSeq;
    }

    private static final class Acc {
        long count;
        final Map<String, Boolean> channels = new LinkedHashMap<>();
        Instant first;
        Instant last;
        final ArrayDeque<DeadLetterEvent> examples = new ArrayDeque<>();
    }
}
