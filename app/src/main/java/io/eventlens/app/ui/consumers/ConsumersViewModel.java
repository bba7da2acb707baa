package io.eventlens.app.ui.consumers;

import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.consumers.ConsumerProgress;
import io.eventlens.core.consumers.GroupPoll;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.ScanPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * View model of the Consumers view (docs/decisions/0021-consumer-groups.md): the consumer groups the
 * capture followed, each with its lag over the capture, its members and its state changes; picking a
 * point of the lag chart lists the events that were waiting for the group then (captured, observed
 * by then, at or past its committed offset), and opening one shows its timeline. Store reads run on
 * the {@link TaskExecutor}, never on the FX thread.
 */
public final class ConsumersViewModel {

    /** Opens a correlation ID's timeline with one of its events selected. */
    @FunctionalInterface
    public interface Opener {
        /** Opens the timeline of {@code correlationId} and selects the event with store sequence {@code seq}. */
        void open(String correlationId, long seq);
    }

    /** One point of a lag chart: the group's lag (records) at a poll, epoch ms. */
    public record LagPoint(long atMs, long lag) {
    }

    /**
     * One followed group.
     *
     * @param group        the consumer group ID
     * @param stateAtEnd   its state at the latest poll
     * @param membersAtEnd its active members then
     * @param memberInfo   the members then ({@code clientId@host [topic-partition, ...]})
     * @param lagAtEnd     its lag then (records), or -1
     * @param topics       the captured topics it committed on
     * @param commits      how many commits were recorded
     * @param lag          the lag at each stored poll, in time order
     * @param changes      its state changes (first poll, then each change of state or member count)
     */
    public record GroupRow(String group, String stateAtEnd, int membersAtEnd, String memberInfo, long lagAtEnd,
                           List<String> topics, int commits, List<LagPoint> lag, List<GroupPoll> changes) {
        /** {@code Stable · 2 members · lag 0 · orders, payments}. */
        public String summary() {
            return stateAtEnd + " · " + membersAtEnd + (membersAtEnd == 1 ? " member" : " members") + " · lag "
                    + (lagAtEnd < 0 ? "?" : String.format(Locale.ROOT, "%,d", lagAtEnd)) + " · " + String.join(", ", topics);
        }

        /** True when the group had no members or was rebalancing at the end: shown as a warning. */
        public boolean troubled() {
            return membersAtEnd == 0 || GroupPoll.isRebalancing(stateAtEnd);
        }
    }

    /**
     * An event that was waiting for a group at the picked time.
     *
     * @param seq           store sequence
     * @param correlationId its correlation ID, or null
     * @param channel       the topic
     * @param position      {@code p0@12}
     * @param type          the event type, or null
     * @param observedAt    when it was observed
     */
    public record WaitingEvent(long seq, String correlationId, String channel, String position, String type,
                               Instant observedAt) {
    }

    /** The most waiting events listed for one point. */
    public static final int MAX_WAITING = 200;
    /** A pulse reads the groups again at most this often while a capture stores events. */
    public static final long REFRESH_MS = 2_000;

    private final Supplier<CaptureStore> store;
    private final TaskExecutor executor;
    private final Consumer<Throwable> errors;
    private final Opener opener;

    private final ObservableList<GroupRow> groups = FXCollections.observableArrayList();
    private final ObservableList<GroupRow> groupsView = FXCollections.unmodifiableObservableList(groups);
    private final ObjectProperty<GroupRow> selectedGroup = new SimpleObjectProperty<>(this, "selectedGroup");
    private final ObservableList<WaitingEvent> waiting = FXCollections.observableArrayList();
    private final ObservableList<WaitingEvent> waitingView = FXCollections.unmodifiableObservableList(waiting);
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
            "No consumer groups followed: capture from Kafka (groups with committed offsets on the captured topics are followed).");
    private final ReadOnlyStringWrapper waitingTitle = new ReadOnlyStringWrapper(this, "waitingTitle",
            "Click a point of the chart to list the events that were waiting then.");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private long generation;
    private long lastRefreshMs = Long.MIN_VALUE / 2;
    private TaskExecutor.Handle waitingTask;

    /**
     * @param store    the open capture, or null
     * @param executor runs the store reads
     * @param errors   receives failures
     * @param opener   opens a waiting event's timeline
     */
    public ConsumersViewModel(Supplier<CaptureStore> store, TaskExecutor executor, Consumer<Throwable> errors, Opener opener) {
        this.store = Objects.requireNonNull(store, "store");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.opener = Objects.requireNonNull(opener, "opener");
        selectedGroup.addListener((obs, was, now) -> {
            if (was == null || now == null || !was.group().equals(now.group())) {
                waiting.clear();
                waitingTitle.set("Click a point of the chart to list the events that were waiting then.");
            }
        });
    }

    /** Reads the followed groups of the open capture (again), in the background. */
    public void refresh() {
        CaptureStore s = store.get();
        if (s == null) {
            groups.clear();
            return;
        }
        long gen = ++generation;
        busy.set(true);
        lastRefreshMs = System.currentTimeMillis();
        executor.submit("Reading consumer groups", ctx -> rows(s.consumerProgress()),
                rows -> {
                    if (gen != generation) {
                        return;
                    }
                    busy.set(false);
                    GroupRow was = selectedGroup.get();
                    groups.setAll(rows);
                    summary.set(rows.isEmpty()
                            ? "No consumer groups followed in this capture (a capture from Kafka follows the groups with"
                            + " committed offsets on its topics; capture --consumer-group NAME picks them)."
                            : String.format(Locale.ROOT, "%d consumer groups followed · %d with no members or rebalancing at the end",
                            rows.size(), rows.stream().filter(GroupRow::troubled).count()));
                    GroupRow again = was == null ? null : rows.stream().filter(r -> r.group().equals(was.group())).findFirst().orElse(null);
                    selectedGroup.set(again != null ? again : rows.stream().filter(GroupRow::troubled).findFirst()
                            .orElse(rows.isEmpty() ? null : rows.get(0)));
                },
                error -> {
                    if (gen == generation) {
                        busy.set(false);
                        errors.accept(error);
                    }
                });
    }

    /** The rows of a capture's consumer progress, troubled groups first, then by name. */
    static List<GroupRow> rows(ConsumerProgress p) {
        List<GroupRow> out = new ArrayList<>();
        for (String g : p.groups()) {
            List<GroupPoll> polls = p.pollsOf(g);
            GroupPoll last = polls.isEmpty() ? null : polls.get(polls.size() - 1);
            List<LagPoint> lag = polls.stream().filter(x -> x.lagRecords() >= 0).map(x -> new LagPoint(x.polledAtMs(), x.lagRecords())).toList();
            out.add(new GroupRow(g, last == null ? "Unknown" : last.state(), last == null ? 0 : last.members(),
                    last == null ? "" : last.memberInfo(), last == null ? -1 : last.lagRecords(), p.topicsOf(g),
                    p.commitsOf(g).size(), lag, p.stateChangesOf(g)));
        }
        out.sort(java.util.Comparator.comparing((GroupRow r) -> !r.troubled()).thenComparing(GroupRow::group));
        return out;
    }

    /**
     * Lists the events that were waiting for the selected group at {@code atMs}: on its topics,
     * observed by then, at or past its committed offset then (at most {@value #MAX_WAITING}, in store order).
     */
    public void pickPoint(long atMs) {
        GroupRow row = selectedGroup.get();
        CaptureStore s = store.get();
        if (row == null || s == null) {
            return;
        }
        if (waitingTask != null) {
            waitingTask.cancel();
        }
        waitingTitle.set("Looking for the events " + row.group() + " had not read at " + Instant.ofEpochMilli(atMs) + " …");
        waitingTask = executor.submit("Events waiting for " + row.group(),
                ctx -> {
                    Map<String, Map<Integer, Long>> committed = s.consumerProgress().committedAt(row.group(), atMs);
                    Set<String> topics = committed.keySet();
                    List<WaitingEvent> out = new ArrayList<>();
                    long next = 1;
                    long last = s.eventCount();
                    while (next <= last && out.size() < MAX_WAITING && !ctx.isCancelled()) {
                        ctx.progress(next, last);
                        ScanPage page = s.scan(next, 50_000, (channel, headers) -> topics.contains(channel));
                        for (CapturedEvent e : page.events()) {
                            if (waitingAt(e, committed, atMs) && out.size() < MAX_WAITING) {
                                out.add(new WaitingEvent(e.seq(), e.derived().correlationIdValue(), e.channel().name(),
                                        e.source().describe(), e.derived().eventTypeValue(), e.observedAt()));
                            }
                        }
                        next = page.nextSeq();
                    }
                    return out;
                },
                found -> {
                    waiting.setAll(found);
                    waitingTitle.set(String.format(Locale.ROOT, "%s%d events waiting for %s at %s", found.size() >= MAX_WAITING
                            ? "The first " : "", found.size(), row.group(), Instant.ofEpochMilli(atMs)));
                },
                errors);
    }

    /** True when the group had not committed past {@code e} at {@code atMs} and it was observed by then. */
    static boolean waitingAt(CapturedEvent e, Map<String, Map<Integer, Long>> committed, long atMs) {
        Map<Integer, Long> byPartition = committed.get(e.channel().name());
        if (byPartition == null || e.observedAt().toEpochMilli() > atMs
                || !(e.source().attributes().get("partition") instanceof Number partition)
                || !(e.source().attributes().get("offset") instanceof Number offset)) {
            return false;
        }
        Long c = byPartition.get(partition.intValue());
        return c == null || offset.longValue() >= c;
    }

    /** Opens a waiting event's timeline. */
    public void open(WaitingEvent e) {
        if (e != null && e.correlationId() != null) {
            opener.open(e.correlationId(), e.seq());
        }
    }

    /**
     * One UI pulse: while a capture stores events, reads the groups again at most once per {@value #REFRESH_MS} ms.
     *
     * @param captured true when a capture stored events since the last pulse
     */
    public void pulse(boolean captured) {
        long now = System.currentTimeMillis();
        if (captured && !busy.get() && now - lastRefreshMs >= REFRESH_MS) {
            refresh();
        }
    }

    /** Another capture was opened: reads its groups. */
    public void show(CaptureStore opened) {
        groups.clear();
        waiting.clear();
        selectedGroup.set(null);
        if (opened != null) {
            refresh();
        }
    }

    /** The followed groups, troubled ones first. */
    public ObservableList<GroupRow> groups() {
        return groupsView;
    }

    /** The selected group. */
    public ObjectProperty<GroupRow> selectedGroupProperty() {
        return selectedGroup;
    }

    /** The events waiting at the picked point. */
    public ObservableList<WaitingEvent> waiting() {
        return waitingView;
    }

    /** One line on the groups. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** What the waiting list shows. */
    public ReadOnlyStringProperty waitingTitleProperty() {
        return waitingTitle.getReadOnlyProperty();
    }

    /** True while reading the groups. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }
}
