package io.eventlens.core.replay;

import io.eventlens.core.store.ReplayLog;
import io.eventlens.core.store.ReplayLog.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a replay (docs/reference/replay.md, docs/decisions/0018-replay.md): logs the plan in the
 * capture store's replay log, then sends each message when it is due, one after the other, recording
 * each outcome as it becomes known. Resumes a partial run from the log without sending anything twice.
 *
 * <p>The log protocol, per send: {@code IN_FLIGHT} is committed before the message is handed to the
 * target; {@code SENT} with the position, or {@code FAILED} with the error, when the target answered.
 * A send that fails stops the run (later sends of the same key must not overtake it); one whose
 * outcome is unknown (a timeout, a lost connection) stops it too and stays {@code IN_FLIGHT}. A resume
 * first reads the replay marker of every {@code IN_FLIGHT} send back from the target: found, it is
 * {@code SENT}; not found, it is sent again. A target that cannot be read back (an AMQP exchange)
 * leaves such sends unsent unless {@code resendUnknown}.
 *
 * <p>Timing: the first send of the call goes at once; each later one its asked gap after the start of
 * the one before it, so every gap is at least the asked one (a slow send delays the rest rather than
 * bunching the next ones together; {@link GapFidelity} reports how close the gaps came). Cancel with {@link #cancel()}
 * from any thread: the send in progress finishes, the rest stay {@code PLANNED} and the run is
 * {@code CANCELLED} (resumable).
 */
public final class ReplayRunner {

    /** Hears each step of a run; called on the running thread. */
    public interface Listener {
        /** The run starts: {@code total} sends, of which {@code alreadySent} were sent before. */
        default void started(int total, int alreadySent) {
        }

        /** One send has an outcome. */
        default void sent(ReplayResult.SendReport report, int done, int total) {
        }

        /** No-op listener. */
        Listener NONE = new Listener() {
        };
    }

    private final ReplaySender sender;
    private final ReplayLog log;
    private final Listener listener;
    private volatile boolean cancelled;

    /**
     * @param sender   the connected target
     * @param log      the capture store's replay log (a store opened for writing)
     * @param listener progress; {@link Listener#NONE} for none
     */
    public ReplayRunner(ReplaySender sender, ReplayLog log, Listener listener) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.log = Objects.requireNonNull(log, "log");
        this.listener = listener == null ? Listener.NONE : listener;
    }

    /** Stops the run after the send in progress; the rest stays resumable. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Logs the plan, then sends it.
     *
     * @param environment the target's environment label as logged
     * @param optionsJson the plan's options as JSON (logged)
     * @throws ReplayException when the plan has problems (nothing is logged or sent)
     * @throws io.eventlens.core.store.CaptureStoreException when the log cannot be written (nothing is sent)
     */
    public ReplayResult run(ReplayPlan plan, String environment, String optionsJson) {
        if (!plan.problems().isEmpty()) {
            throw new ReplayException("the replay plan has " + plan.problems().size() + " problem(s); nothing was sent: "
                    + String.join("; ", plan.problems()));
        }
        List<ReplayLog.Send> sends = new ArrayList<>();
        for (PlannedSend s : plan.sends()) {
            sends.add(toLog(s));
        }
        log.start(new ReplayLog.Run(plan.replayId(), plan.createdAt().toEpochMilli(),
                plan.originalCorrelationIds().size() == 1 ? plan.originalCorrelationIds().get(0) : null,
                plan.replayCorrelationId(), plan.target().kind(), plan.target().endpoint(), environment,
                sender.clusterId(), optionsJson, "RUNNING", null), sends);
        return send(plan.replayId(), plan.replayCorrelationId(), sends, 0, 0);
    }

    /**
     * Resumes a logged run: reconciles its {@code IN_FLIGHT} sends with the target, then sends every
     * send not yet acknowledged, in order.
     *
     * @param resendUnknown send {@code IN_FLIGHT} sends again when the target cannot be read back
     * @throws ReplayException naming the ID when the log has no such run
     */
    public ReplayResult resume(String replayId, boolean resendUnknown) {
        ReplayLog.Run run = log.run(replayId);
        if (run == null) {
            throw new ReplayException("the capture's replay log has no replay " + replayId);
        }
        List<ReplayLog.Send> sends = new ArrayList<>(log.sends(replayId));
        List<Integer> unknown = sends.stream().filter(s -> s.outcome() == Outcome.IN_FLIGHT).map(ReplayLog.Send::index).toList();
        int reconciled = 0;
        if (!unknown.isEmpty()) {
            Map<Integer, ReplaySender.Result> found;
            try {
                found = sender.findSent(replayId, sends.stream().map(ReplayLog.Send::targetChannel).distinct().toList(),
                        Instant.ofEpochMilli(run.createdAtMs()), unknown);
            } catch (UnsupportedOperationException e) {
                if (!resendUnknown) {
                    throw new ReplayException(e.getMessage() + "; " + unknown.size() + " send(s) of unknown outcome: "
                            + unknown);
                }
                found = Map.of();
            }
            for (int i = 0; i < sends.size(); i++) {
                ReplayLog.Send s = sends.get(i);
                if (s.outcome() != Outcome.IN_FLIGHT) {
                    continue;
                }
                ReplaySender.Result r = found.get(s.index());
                long now = System.currentTimeMillis();
                if (r != null) {
                    log.outcome(replayId, s.index(), Outcome.SENT, now, r.partition(), r.offset(), r.position(), r.note());
                    sends.set(i, with(s, Outcome.SENT));
                    reconciled++;
                } else {
                    log.outcome(replayId, s.index(), Outcome.PLANNED, null, null, null, null,
                            "not found on the target; sent again");
                    sends.set(i, with(s, Outcome.PLANNED));
                }
            }
        }
        log.finish(replayId, "RUNNING", null);
        return send(replayId, run.replayCorrelationId(), sends, reconciled,
                (int) sends.stream().filter(s -> s.outcome() == Outcome.SENT).count());
    }

    private static ReplayLog.Send with(ReplayLog.Send s, Outcome o) {
        return new ReplayLog.Send(s.index(), s.round(), s.sourceSeq(), s.sourceChannel(), s.targetChannel(),
                s.routingKey(), s.askedPartition(), s.askedOffsetNanos(), s.eventId(), s.key(), s.headers(),
                s.payload(), o, s.attempts(), s.sentAtMs(), s.resultPartition(), s.resultOffset(), s.resultPosition(),
                s.error());
    }

    private ReplayResult send(String replayId, String correlationId, List<ReplayLog.Send> sends, int reconciled,
                              int alreadySent) {
        List<ReplayLog.Send> todo = sends.stream().filter(s -> s.outcome() != Outcome.SENT).toList();
        listener.started(sends.size(), alreadySent);
        List<ReplayResult.SendReport> reports = new ArrayList<>();
        List<Long> asked = new ArrayList<>();
        List<Long> achieved = new ArrayList<>();
        long start = System.nanoTime();
        long base = todo.isEmpty() ? 0 : todo.get(0).askedOffsetNanos();
        long previousAsked = base;
        long previousAt = start;
        int sentNow = 0;
        String state = "COMPLETED";
        for (ReplayLog.Send s : todo) {
            if (cancelled) {
                state = "CANCELLED";
                break;
            }
            long due = previousAt + (s.askedOffsetNanos() - previousAsked);
            if (!waitUntil(due)) {
                state = "CANCELLED";
                break;
            }
            PlannedSend p = toPlanned(s);
            log.inFlight(replayId, s.index());
            long at = System.nanoTime();
            previousAt = at;
            previousAsked = s.askedOffsetNanos();
            ReplayResult.SendReport report;
            try {
                ReplaySender.Result r = sender.send(p);
                log.outcome(replayId, s.index(), Outcome.SENT, System.currentTimeMillis(), r.partition(), r.offset(),
                        r.position(), r.note());
                report = new ReplayResult.SendReport(s.index(), Outcome.SENT, r.position(), r.note());
                asked.add(s.askedOffsetNanos() - base);
                achieved.add(at - start);
                sentNow++;
            } catch (ReplaySender.OutcomeUnknownException e) {
                report = new ReplayResult.SendReport(s.index(), Outcome.IN_FLIGHT, null,
                        "outcome unknown: " + e.getMessage());
                state = "FAILED";
            } catch (Exception e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                log.outcome(replayId, s.index(), Outcome.FAILED, System.currentTimeMillis(), null, null, null, msg);
                report = new ReplayResult.SendReport(s.index(), Outcome.FAILED, null, msg);
                state = "FAILED";
            }
            reports.add(report);
            listener.sent(report, alreadySent + sentNow, sends.size());
            if (!"COMPLETED".equals(state)) {
                break;
            }
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        log.finish(replayId, state, System.currentTimeMillis());
        int remaining = sends.size() - alreadySent - sentNow;
        return new ReplayResult(replayId, correlationId, state, sends.size(), sentNow, alreadySent, reconciled, remaining,
                reports, GapFidelity.of(asked, achieved), elapsed);
    }

    /** Parks until {@code due} (System.nanoTime), waking at least every 50 ms to see a cancel; false when cancelled. */
    private boolean waitUntil(long due) {
        while (true) {
            if (cancelled) {
                return false;
            }
            long left = due - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            LockSupport.parkNanos(Math.min(left, 50_000_000L));
            if (Thread.interrupted()) {
                cancelled = true;
                return false;
            }
        }
    }

    /** The log's form of a planned send. */
    static ReplayLog.Send toLog(PlannedSend s) {
        return new ReplayLog.Send(s.index(), s.round(), s.sourceSeq(), s.sourceChannel(), s.targetChannel(),
                s.routingKey(), s.partition(), s.askedOffsetNanos(), s.eventId(), s.key(), s.headers(), s.payload(),
                Outcome.PLANNED, 0, null, null, null, null, null);
    }

    /** The planned send a log entry holds. */
    static PlannedSend toPlanned(ReplayLog.Send s) {
        String orderingKey = s.targetChannel() + (s.routingKey() != null ? " rk=" + s.routingKey()
                : s.askedPartition() != null ? " p" + s.askedPartition() : "");
        return new PlannedSend(s.index(), s.round(), s.sourceSeq(), s.sourceChannel(), s.targetChannel(), s.routingKey(),
                s.askedPartition(), s.key(), s.headers(), s.payload(), s.eventId(), orderingKey, s.askedOffsetNanos(),
                List.of());
    }
}
