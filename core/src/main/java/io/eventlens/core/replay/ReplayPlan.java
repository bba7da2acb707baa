package io.eventlens.core.replay;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a replay will send, after rewrites (docs/reference/replay.md): the sends in order, each with
 * its target, rewritten headers and payload and when it is due. {@code --dry-run} prints it and
 * sends nothing; a run sends exactly it and logs it in the capture store first.
 *
 * @param replayId              the run's ID: the value of the {@link Rewrites#REPLAY_ID_HEADER} header
 * @param createdAt             when it was planned
 * @param originalCorrelationIds the distinct correlation IDs of the selected events, in first-seen order
 * @param replayCorrelationId   the fresh correlation ID written into every send, or null when kept
 * @param target                where it goes
 * @param options               how it was planned
 * @param sends                 the sends in order (per-key order of the originals kept)
 * @param problems              events that could not be planned, each naming the event and why; a
 *                              plan with problems is not run
 */
public record ReplayPlan(String replayId, Instant createdAt, List<String> originalCorrelationIds,
                         String replayCorrelationId, ReplayTarget target, ReplayOptions options,
                         List<PlannedSend> sends, List<String> problems) {

    public ReplayPlan {
        Objects.requireNonNull(replayId, "replayId");
        Objects.requireNonNull(createdAt, "createdAt");
        originalCorrelationIds = List.copyOf(originalCorrelationIds);
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
        sends = List.copyOf(sends);
        problems = List.copyOf(problems);
    }

    /** The distinct target channels, in first-use order (Kafka topics or AMQP exchanges). */
    public List<String> targetChannels() {
        return sends.stream().map(PlannedSend::targetChannel).distinct().toList();
    }

    /** When the last send is due, nanoseconds after the first. */
    public long durationNanos() {
        return sends.isEmpty() ? 0 : sends.get(sends.size() - 1).askedOffsetNanos();
    }
}
