package io.eventlens.core.analysis;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.extract.HeaderValues;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Computes a {@link Timeline}: orders the events of one correlation ID, finds anomalies by the rules
 * of DESIGN.md ("Anomaly kinds") and gives the verdict ("The verdict"). A pure function of its
 * input events and settings: no I/O, no clock.
 *
 * <p>Observed order is {@link CapturedEvent#observedAt()}, then {@link CapturedEvent#seq()}. Rules,
 * each anomaly naming its rule id, the compared values ({@link Anomaly#evidence()}) and the event it
 * was compared with ({@link Anomaly#relatedSeq()}):
 * <ul>
 * <li>{@code dead-letter.channel-name} / {@code dead-letter.configured} / {@code dead-letter.headers}
 *     (DEAD_LETTERED): the event is on a dead-letter channel ({@link DeadLetterChannels}, or
 *     {@link AnalysisSettings#deadLetterChannels()}) or carries dead-letter headers outside a retry
 *     channel. Linked to its original: by the original coordinates in its headers, else by event
 *     ID, else by the synthetic ID its key and payload would have on the original channel.</li>
 * <li>{@code retry.retry-channel} (RETRIED): the event is a copy on a retry channel;
 *     {@code retry.delivery-attempts} (RETRIED): a delivery-count header above 1.</li>
 * <li>{@code duplicate.same-payload} (DUPLICATE) / {@code duplicate.different-payload}
 *     (CONFLICTING_DUPLICATE): the event ID was seen earlier on a non-copy event; compared with
 *     that first event. Dead-letter and retry copies are never duplicates.</li>
 * <li>{@code order.sequence} (OUT_OF_ORDER): within one ordering scope (the same key, else the
 *     correlation ID) a sequence lower than the highest observed before it. Duplicates and copies
 *     are left out.</li>
 * <li>{@code lag.previous-step} (LAG): the gap from the previous step (the previous event that is
 *     neither a duplicate nor a copy) exceeds {@link AnalysisSettings#lagSloFor(String)} of the
 *     event's channel; {@code lag.event-time} (LAG): the event's declared time is earlier than its
 *     observed time by more than that SLO. Duplicates and copies are not checked (a redelivery or a
 *     retry backoff is not lag).</li>
 * <li>{@code clock-skew.event-time-ahead} (CLOCK_SKEW): the event's declared time is later than its
 *     observed time by more than {@link AnalysisSettings#clockSkewTolerance()}.</li>
 * </ul>
 * "Exceeds" is strict: a gap exactly at the SLO is not lag.
 */
public final class TimelineAnalyzer {

    /** The verdict of an empty timeline (DESIGN.md). */
    public static final String NO_EVENTS_MESSAGE = "nothing was produced for this correlation ID";

    private static final Comparator<CapturedEvent> OBSERVED_ORDER =
            Comparator.comparing(CapturedEvent::observedAt).thenComparingLong(CapturedEvent::seq);
    private static final int SNIPPET = 24;
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");
    private static final java.util.regex.Pattern LINE_BREAK = java.util.regex.Pattern.compile("\\s*\\R\\s*");

    private final AnalysisSettings settings;

    /** An analyzer with these thresholds. */
    public TimelineAnalyzer(AnalysisSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** An analyzer with DESIGN.md's default thresholds. */
    public static TimelineAnalyzer withDefaults() {
        return new TimelineAnalyzer(AnalysisSettings.defaults());
    }

    /** The settings in force. */
    public AnalysisSettings settings() {
        return settings;
    }

    /**
     * Analyzes the events of one correlation ID.
     *
     * @param correlationId the correlation ID asked for
     * @param events        its captured events in any order (usually store order); may be empty
     * @return the timeline in observed order, with anomalies and verdict
     * @throws NullPointerException when an argument or an event is null
     */
    public Timeline analyze(String correlationId, List<CapturedEvent> events) {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(events, "events");
        List<CapturedEvent> ordered = new ArrayList<>(events);
        ordered.sort(OBSERVED_ORDER);
        if (ordered.isEmpty()) {
            return new Timeline(correlationId, List.of(), new Verdict(VerdictKind.NO_EVENTS, NO_EVENTS_MESSAGE, 0));
        }
        Pass pass = new Pass(correlationId, ordered);
        List<TimelineEntry> entries = new ArrayList<>(ordered.size());
        for (CapturedEvent e : ordered) {
            entries.add(new TimelineEntry(e, pass.anomaliesOf(e)));
        }
        return new Timeline(correlationId, entries, verdict(entries));
    }

    /** The state of one pass over a timeline in observed order. */
    private final class Pass {
        private final String correlationId;
        private final Map<String, CapturedEvent> firstById = new HashMap<>();
        private final Map<String, CapturedEvent> byPosition = new HashMap<>();
        private final Map<String, CapturedEvent> highestInScope = new HashMap<>();
        private CapturedEvent previousStep;

        Pass(String correlationId, List<CapturedEvent> ordered) {
            this.correlationId = correlationId;
            for (CapturedEvent e : ordered) {
                if (e.source() instanceof SourcePosition.Kafka k) {
                    byPosition.putIfAbsent(positionKey(e.channel().name(), k.partition(), k.offset()), e);
                }
            }
        }

        List<Anomaly> anomaliesOf(CapturedEvent e) {
            List<Anomaly> found = new ArrayList<>(2);
            String channel = e.channel().name();
            boolean configuredDlq = settings.deadLetterChannels().contains(channel);
            boolean namedDlq = DeadLetterChannels.isDeadLetter(channel);
            boolean retryChannel = !configuredDlq && !namedDlq && DeadLetterChannels.isRetry(channel);
            boolean dlHeaders = !retryChannel && DeadLetterChannels.hasDeadLetterHeaders(e.headers());
            boolean deadLettered = configuredDlq || namedDlq || dlHeaders;
            boolean copy = deadLettered || retryChannel;

            if (copy) {
                DeadLetterInfo info = DeadLetterChannels.inspect(channel, e.headers());
                CapturedEvent original = findOriginal(e, info);
                if (deadLettered) {
                    String rule = configuredDlq ? "dead-letter.configured"
                            : namedDlq ? "dead-letter.channel-name" : "dead-letter.headers";
                    found.add(deadLettered(e, info, original, rule));
                } else {
                    found.add(retryCopy(e, info, original));
                }
            } else {
                Integer attempts = DeadLetterChannels.deliveryAttempts(e.headers());
                if (attempts != null && attempts > 1) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("attempts", attempts);
                    found.add(new Anomaly(AnomalyKind.RETRIED,
                            "delivered " + attempts + " times on " + channel + " (delivery-attempt header)",
                            "retry.delivery-attempts", ev, 0));
                }
            }

            boolean duplicate = false;
            if (!copy) {
                String id = eventId(e);
                CapturedEvent first = firstById.putIfAbsent(id, e);
                if (first != null) {
                    duplicate = true;
                    found.add(duplicate(e, first, id));
                }
            }

            if (!copy && !duplicate) {
                checkOrder(e, found);
                checkLag(e, found);
                previousStep = e;
            }
            checkClockSkew(e, found);
            return found;
        }

        private CapturedEvent findOriginal(CapturedEvent copy, DeadLetterInfo info) {
            if (info.originalChannel() != null && info.originalPartition() != null && info.originalOffset() != null) {
                CapturedEvent byCoordinates = byPosition.get(
                        positionKey(info.originalChannel(), info.originalPartition(), info.originalOffset()));
                if (byCoordinates != null && byCoordinates != copy) {
                    return byCoordinates;
                }
            }
            String id = copy.derived().eventIdSynthetic() ? null : copy.derived().eventIdValue();
            if (id != null && firstById.containsKey(id)) {
                return firstById.get(id);
            }
            String originalChannel = info.originalChannel() != null
                    ? info.originalChannel() : DeadLetterChannels.originalChannelOf(copy.channel().name());
            if (originalChannel != null && !originalChannel.isBlank()) {
                String synthetic = EventExtractor.syntheticEventId(
                        new Channel(copy.channel().kind(), originalChannel), copy.key(), copy.payload());
                return firstById.get(synthetic);
            }
            return null;
        }

        private Anomaly deadLettered(CapturedEvent e, DeadLetterInfo info, CapturedEvent original, String rule) {
            StringBuilder msg = new StringBuilder("dead-lettered on ").append(e.channel().name());
            String from = originText(info, original);
            if (from != null) {
                msg.append(" from ").append(from);
            }
            if (info.attempts() != null) {
                msg.append(" after ").append(info.attempts()).append(info.attempts() == 1 ? " attempt" : " attempts");
            }
            String reason = info.reasonText();
            msg.append(reason != null ? ": " + abbreviate(reason, 200) : " (no reason in its headers)");
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("channel", e.channel().name());
            ev.put("convention", info.convention().name());
            putIfNotNull(ev, "originalChannel", info.originalChannel());
            putIfNotNull(ev, "originalPartition", info.originalPartition());
            putIfNotNull(ev, "originalOffset", info.originalOffset());
            putIfNotNull(ev, "exceptionClass", info.exceptionClass());
            putIfNotNull(ev, "reason", info.reason());
            putIfNotNull(ev, "attempts", info.attempts());
            if (original != null) {
                ev.put("originalSeq", original.seq());
            }
            return new Anomaly(AnomalyKind.DEAD_LETTERED, msg.toString(), rule, ev, original == null ? 0 : original.seq());
        }

        private Anomaly retryCopy(CapturedEvent e, DeadLetterInfo info, CapturedEvent original) {
            StringBuilder msg = new StringBuilder("retry copy on ").append(e.channel().name());
            String from = originText(info, original);
            if (from != null) {
                msg.append(" of ").append(from);
            }
            if (info.attempts() != null) {
                msg.append(", attempt ").append(info.attempts());
            }
            String reason = info.reasonText();
            if (reason != null) {
                msg.append(": ").append(abbreviate(reason, 200));
            }
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("channel", e.channel().name());
            putIfNotNull(ev, "originalChannel", info.originalChannel());
            putIfNotNull(ev, "attempts", info.attempts());
            putIfNotNull(ev, "reason", reason);
            if (original != null) {
                ev.put("originalSeq", original.seq());
            }
            return new Anomaly(AnomalyKind.RETRIED, msg.toString(), "retry.retry-channel", ev,
                    original == null ? 0 : original.seq());
        }

        private String originText(DeadLetterInfo info, CapturedEvent original) {
            if (original != null) {
                return describe(original);
            }
            if (info.originalChannel() == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder(info.originalChannel());
            if (info.originalPartition() != null && info.originalOffset() != null) {
                sb.append(" p").append(info.originalPartition()).append('@').append(info.originalOffset());
            }
            return sb.toString();
        }

        private Anomaly duplicate(CapturedEvent e, CapturedEvent first, String id) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("eventId", id);
            ev.put("originalSeq", first.seq());
            ev.put("payloadBytes", e.payloadSize());
            ev.put("originalPayloadBytes", first.payloadSize());
            if (Arrays.equals(e.payload(), first.payload())) {
                return new Anomaly(AnomalyKind.DUPLICATE,
                        "redelivery of event " + id + ": same ID and identical payload (" + e.payloadSize()
                                + " bytes) as " + describe(first),
                        "duplicate.same-payload", ev, first.seq());
            }
            int diff = Arrays.mismatch(nullToEmpty(e.payload()), nullToEmpty(first.payload()));
            String mine = snippet(e.payload(), diff);
            String theirs = snippet(first.payload(), diff);
            ev.put("firstDifferenceAt", diff);
            ev.put("snippet", mine);
            ev.put("originalSnippet", theirs);
            return new Anomaly(AnomalyKind.CONFLICTING_DUPLICATE,
                    "event " + id + " seen again with a different payload: " + e.payloadSize() + " bytes vs "
                            + first.payloadSize() + " bytes in " + describe(first) + "; first difference at byte "
                            + diff + " (" + mine + " vs " + theirs + ")",
                    "duplicate.different-payload", ev, first.seq());
        }

        private void checkOrder(CapturedEvent e, List<Anomaly> found) {
            Long sequence = e.derived().sequenceValue();
            if (sequence == null) {
                return;
            }
            String scope = e.key() != null ? "key " + HeaderValues.text(e.key()) : "correlation ID " + correlationId;
            CapturedEvent highest = highestInScope.get(scope);
            if (highest == null || sequence > highest.derived().sequenceValue()) {
                highestInScope.put(scope, e);
                return;
            }
            long before = highest.derived().sequenceValue();
            if (sequence < before) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("scope", scope);
                ev.put("sequence", sequence);
                ev.put("previousSequence", before);
                ev.put("previousSeq", highest.seq());
                found.add(new Anomaly(AnomalyKind.OUT_OF_ORDER,
                        "sequence " + sequence + " arrived after sequence " + before + " (" + describe(highest)
                                + ") for " + scope,
                        "order.sequence", ev, highest.seq()));
            }
        }

        private void checkLag(CapturedEvent e, List<Anomaly> found) {
            String channel = e.channel().name();
            Duration slo = settings.lagSloFor(channel);
            if (previousStep != null) {
                Duration gap = Duration.between(previousStep.observedAt(), e.observedAt());
                if (gap.compareTo(slo) > 0) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("fromChannel", previousStep.channel().name());
                    ev.put("toChannel", channel);
                    ev.put("fromSeq", previousStep.seq());
                    ev.put("fromObservedAt", previousStep.observedAt().toString());
                    ev.put("observedAt", e.observedAt().toString());
                    ev.put("gapMs", gap.toMillis());
                    ev.put("sloMs", slo.toMillis());
                    found.add(new Anomaly(AnomalyKind.LAG,
                            previousStep.channel().name() + " → " + channel + " took " + formatDuration(gap)
                                    + ", SLO " + formatDuration(slo),
                            "lag.previous-step", ev, previousStep.seq()));
                }
            }
            Instant declared = e.derived().eventTimeValue();
            if (declared != null) {
                Duration late = Duration.between(declared, e.observedAt());
                if (late.compareTo(slo) > 0) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("channel", channel);
                    ev.put("eventTime", declared.toString());
                    ev.put("observedAt", e.observedAt().toString());
                    ev.put("gapMs", late.toMillis());
                    ev.put("sloMs", slo.toMillis());
                    found.add(new Anomaly(AnomalyKind.LAG,
                            "observed on " + channel + " " + formatDuration(late)
                                    + " after its declared event time, SLO " + formatDuration(slo),
                            "lag.event-time", ev, 0));
                }
            }
        }

        private void checkClockSkew(CapturedEvent e, List<Anomaly> found) {
            Instant declared = e.derived().eventTimeValue();
            if (declared == null) {
                return;
            }
            Duration ahead = Duration.between(e.observedAt(), declared);
            Duration tolerance = settings.clockSkewTolerance();
            if (ahead.compareTo(tolerance) > 0) {
                Map<String, Object> ev = new LinkedHashMap<>();
                ev.put("eventTime", declared.toString());
                ev.put("observedAt", e.observedAt().toString());
                ev.put("skewMs", ahead.toMillis());
                ev.put("toleranceMs", tolerance.toMillis());
                found.add(new Anomaly(AnomalyKind.CLOCK_SKEW,
                        "event time " + declared + " is " + formatDuration(ahead) + " later than its observed time "
                                + e.observedAt() + " on " + e.channel().name() + " (tolerance "
                                + formatDuration(tolerance) + "): producer and broker clocks disagree",
                        "clock-skew.event-time-ahead", ev, 0));
            }
        }
    }

    // ---- verdict -------------------------------------------------------------------------------

    private Verdict verdict(List<TimelineEntry> entries) {
        EnumMap<AnomalyKind, List<Found>> byKind = new EnumMap<>(AnomalyKind.class);
        for (TimelineEntry entry : entries) {
            for (Anomaly a : entry.anomalies()) {
                byKind.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(new Found(entry.event(), a));
            }
        }
        List<Found> dead = byKind.getOrDefault(AnomalyKind.DEAD_LETTERED, List.of());
        if (!dead.isEmpty()) {
            return verdictOf(VerdictKind.DEAD_LETTERED, "", dead.get(0), dead.size(), "dead-lettered events");
        }
        List<Found> conflicting = byKind.getOrDefault(AnomalyKind.CONFLICTING_DUPLICATE, List.of());
        if (!conflicting.isEmpty()) {
            return verdictOf(VerdictKind.CONFLICTING_DUPLICATE, "conflicting duplicate: ", conflicting.get(0),
                    conflicting.size(), "conflicting duplicates");
        }
        List<Found> disorder = byKind.getOrDefault(AnomalyKind.OUT_OF_ORDER, List.of());
        if (!disorder.isEmpty()) {
            return verdictOf(VerdictKind.OUT_OF_ORDER, "out of order: ", disorder.get(0), disorder.size(),
                    "out-of-order events");
        }
        List<Found> lag = byKind.getOrDefault(AnomalyKind.LAG, List.of());
        if (!lag.isEmpty()) {
            Found worst = lag.get(0);
            for (Found f : lag) {
                if (excessMs(f.anomaly()) > excessMs(worst.anomaly())) {
                    worst = f;
                }
            }
            String msg = "lag: " + worst.anomaly().message() + " (" + formatDuration(Duration.ofMillis(excessMs(worst.anomaly())))
                    + " over)" + (lag.size() > 1 ? "; " + lag.size() + " lag findings in all" : "");
            return new Verdict(VerdictKind.LAG, msg, worst.event().seq());
        }
        Set<String> channels = new HashSet<>();
        entries.forEach(en -> channels.add(en.event().channel().name()));
        Duration span = Duration.between(entries.get(0).event().observedAt(), entries.get(entries.size() - 1).event().observedAt());
        String shape = entries.size() + (entries.size() == 1 ? " event" : " events") + " on " + channels.size()
                + (channels.size() == 1 ? " channel" : " channels") + " in " + formatDuration(span);
        StringJoiner notes = new StringJoiner(", ");
        for (AnomalyKind kind : List.of(AnomalyKind.DUPLICATE, AnomalyKind.RETRIED, AnomalyKind.CLOCK_SKEW)) {
            List<Found> list = byKind.getOrDefault(kind, List.of());
            if (!list.isEmpty()) {
                notes.add(list.size() + " " + noteText(kind, list.size()));
            }
        }
        long firstNote = entries.stream().filter(en -> !en.anomalies().isEmpty())
                .mapToLong(en -> en.event().seq()).findFirst().orElse(0);
        if (notes.length() > 0) {
            return new Verdict(VerdictKind.HEALTHY, "healthy with notes: " + shape + "; " + notes, firstNote);
        }
        return new Verdict(VerdictKind.HEALTHY,
                "healthy: " + shape + ", no anomalies; if a test failed, look at the test or the UI, not the events", 0);
    }

    private record Found(CapturedEvent event, Anomaly anomaly) {
    }

    private static Verdict verdictOf(VerdictKind kind, String prefix, Found first, int count, String plural) {
        String more = count > 1 ? "; " + count + " " + plural + " in all" : "";
        return new Verdict(kind, prefix + first.anomaly().message() + more, first.event().seq());
    }

    private static long excessMs(Anomaly lag) {
        return ((Number) lag.evidence().get("gapMs")).longValue() - ((Number) lag.evidence().get("sloMs")).longValue();
    }

    private static String noteText(AnomalyKind kind, int n) {
        return switch (kind) {
            case DUPLICATE -> n == 1 ? "benign redelivered duplicate" : "benign redelivered duplicates";
            case RETRIED -> n == 1 ? "retried delivery" : "retried deliveries";
            case CLOCK_SKEW -> n == 1 ? "event with clock skew" : "events with clock skew";
            default -> kind.name();
        };
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String eventId(CapturedEvent e) {
        String id = e.derived().eventIdValue();
        return id != null ? id : EventExtractor.syntheticEventId(e.channel(), e.key(), e.payload());
    }

    private static String positionKey(String channel, long partition, long offset) {
        return channel + '\u0000' + partition + '\u0000' + offset;
    }

    /** {@code #12 on orders p0@7}: how messages name another event. */
    static String describe(CapturedEvent e) {
        return "#" + e.seq() + " on " + e.channel().name() + " " + e.source();
    }

    private static void putIfNotNull(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static byte[] nullToEmpty(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    /** A short quoted excerpt of a payload around a byte offset, as text (UTF-8, lossy). */
    private static String snippet(byte[] payload, int at) {
        if (payload == null) {
            return "<tombstone>";
        }
        if (at >= payload.length) {
            return "<end>";
        }
        int from = Math.max(0, at - SNIPPET / 3);
        int to = Math.min(payload.length, from + SNIPPET);
        String text = CONTROL.matcher(new String(payload, from, to - from, StandardCharsets.UTF_8)).replaceAll("\u00b7");
        return (from > 0 ? "…" : "") + "\"" + text + "\"" + (to < payload.length ? "…" : "");
    }

    private static String abbreviate(String s, int max) {
        String oneLine = LINE_BREAK.matcher(s.strip()).replaceAll(" ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
    }

    /**
     * A duration for people: {@code 850 ms} below one second, {@code 4.2 s} below a minute
     * (trailing {@code .0} dropped), else {@code 3 min 5 s}.
     */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        long abs = Math.abs(ms);
        if (abs < 1000) {
            return ms + " ms";
        }
        if (abs < 60_000) {
            String s = String.format(Locale.ROOT, "%.1f", ms / 1000.0);
            return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " s";
        }
        return (ms / 60_000) + " min " + Math.abs((ms % 60_000) / 1000) + " s";
    }
}
