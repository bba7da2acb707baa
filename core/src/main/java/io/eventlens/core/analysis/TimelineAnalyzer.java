package io.eventlens.core.analysis;

import com.fasterxml.jackson.databind.JsonNode;
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
 * Computes a {@link Timeline}: orders the events of one correlation ID, groups the observations of
 * one event, finds anomalies and gives the verdict, by the rules of
 * docs/reference/anomalies-and-verdicts.md. A pure function of its input events and settings: no
 * I/O, no clock.
 *
 * <p>Observed order is {@link CapturedEvent#observedAt()}, then {@link CapturedEvent#seq()}. An
 * event whose event time no header or payload field gave gets the broker timestamp
 * ({@link EventExtractor#withBrokerTimestampFallback(CapturedEvent)}); LAG and CLOCK_SKEW never
 * compare against such a time.
 *
 * <p>Observations: an observation joins an earlier entry instead of starting its own when (a) it
 * has the same source kind, channel and {@link SourcePosition#messageCoordinates() message
 * coordinates} as one of the entry's observations (the same message read twice), or (b) the entry
 * is not a dead-letter or retry copy, has the same event ID, has no observation by this
 * observation's source kind, and has the same content, compared on canonical JSON
 * ({@link CanonicalJson}; a source's payload member from {@link AnalysisSettings#payloadMemberOf})
 * when both parse, else on bytes. Such an observation is never a duplicate.
 *
 * <p>Rules, each anomaly naming its rule id, the compared values ({@link Anomaly#evidence()}) and
 * the event it was compared with ({@link Anomaly#relatedSeq()}):
 * <ul>
 * <li>{@code dead-letter.channel-name} / {@code dead-letter.configured} / {@code dead-letter.headers}
 *     (DEAD_LETTERED): the event is on a dead-letter channel ({@link DeadLetterChannels}, or
 *     {@link AnalysisSettings#deadLetterChannels()}) or carries dead-letter headers outside a retry
 *     channel. Linked to its original ({@code originalSeq} and {@code linkedBy} in the evidence): by
 *     the original coordinates in its headers ({@link #LINK_POSITION}), else by event ID, preferring
 *     an observation on the original channel (an AMQP message ID; {@link #LINK_EVENT_ID}), else by the
 *     synthetic ID its key and payload would have on the original channel ({@link #LINK_PAYLOAD}),
 *     else by the same JSON payload, compared canonically, on the original channel
 *     ({@link #LINK_PAYLOAD_JSON}).</li>
 * <li>{@code retry.retry-channel} (RETRIED): the event is a copy on a retry channel;
 *     {@code retry.delivery-attempts} (RETRIED): a delivery-count header above 1.</li>
 * <li>{@code duplicate.same-payload} (DUPLICATE): the event ID was seen earlier on the same channel
 *     by the same source kind with byte-identical payload (a redelivery);
 *     {@code duplicate.different-payload} (CONFLICTING_DUPLICATE): the event ID was seen earlier,
 *     on any channel, by the same source kind with a different payload (compared on bytes);
 *     {@code duplicate.different-content} (CONFLICTING_DUPLICATE): another source kind observed
 *     the event ID earlier with different content (compared as above). Compared with the event's
 *     first entry. Dead-letter and retry copies are never duplicates; the same event ID with an
 *     identical payload on another channel of the same source is its own step, not a duplicate.</li>
 * <li>{@code order.sequence} (OUT_OF_ORDER) and {@code order.restart} (SEQUENCE_RESTART): within
 *     one ordering stream — the same channel, the same {@link SourcePosition#orderingStream()} (a
 *     Kafka partition) and the same key — a sequence lower than the previous one in that stream.
 *     It is a restart when the stream had advanced past its first sequence and fell back to it, or
 *     to 0 or 1; else a regression. Either way the stream continues from the new value, so one
 *     regression or restart is one finding. Sources that promise no order (no ordering stream),
 *     duplicates and copies are left out.</li>
 * <li>{@code lag.previous-step} (LAG): the gap from the previous step (the previous entry that is
 *     neither a duplicate nor a copy) exceeds {@link AnalysisSettings#lagSloFor(String)} of the
 *     event's channel; {@code lag.event-time} (LAG): the event's declared time is earlier than its
 *     observed time by more than that SLO. Duplicates and copies are not checked (a redelivery or a
 *     retry backoff is not lag).</li>
 * <li>{@code clock-skew.event-time-ahead} (CLOCK_SKEW): the event's declared time is later than its
 *     observed time by more than {@link AnalysisSettings#clockSkewTolerance()}.</li>
 * <li>{@code probe.foreign-correlation-id} (FOREIGN_EVENT): a probe returned the event when asked
 *     for this correlation ID, but the event names another
 *     ({@link io.eventlens.core.model.Header#PROBE_FOREIGN_CORRELATION_ID}).</li>
 * <li>{@code contract.schema} / {@code contract.cloudevents} (CONTRACT_VIOLATION), only with
 *     {@link #withContracts(ContractChecker)}: the first observation of each entry is checked against
 *     the contract of its channel (a dead-letter or retry copy: of its original channel) and type;
 *     a failed check is one anomaly naming the contract and the first violations, and the check is
 *     kept on the entry ({@link TimelineEntry#contract()}).</li>
 * </ul>
 * "Exceeds" is strict: a gap exactly at the SLO is not lag.
 */
public final class TimelineAnalyzer {

    /** The verdict message of an empty timeline (docs/reference/anomalies-and-verdicts.md). */
    public static final String NO_EVENTS_MESSAGE = "nothing was produced for this correlation ID";

    /** The source kind of probe observations ({@code io.eventlens.core.probe.ProbePosition#KIND}). */
    private static final String PROBE = "probe";

    private static final Comparator<CapturedEvent> OBSERVED_ORDER =
            Comparator.comparing(CapturedEvent::observedAt).thenComparingLong(CapturedEvent::seq);
    private static final int SNIPPET = 24;
    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");
    private static final java.util.regex.Pattern LINE_BREAK = java.util.regex.Pattern.compile("\\s*\\R\\s*");

    /** {@code linkedBy} of a copy linked by the original's channel, partition and offset named in its headers. */
    public static final String LINK_POSITION = "position";
    /** {@code linkedBy} of a copy linked by its event ID (an AMQP message ID, preferring the original queue). */
    public static final String LINK_EVENT_ID = "event-id";
    /** {@code linkedBy} of a copy linked by the same key and payload bytes on its original channel. */
    public static final String LINK_PAYLOAD = "payload";
    /** {@code linkedBy} of a copy linked by the same payload JSON value (canonical) on its original channel. */
    public static final String LINK_PAYLOAD_JSON = "payload-json";
    /** The most events of the original channel whose payload one copy is compared with as JSON. */
    static final int MAX_JSON_CANDIDATES = 1_000;
    /** Channel names whose role is remembered at most (then the memory starts afresh). */
    private static final int ROLE_CACHE_SIZE = 4_096;
    /** Healthy verdicts remembered by {@link #quickOutcome} at most (then the memory starts afresh). */
    private static final int VERDICT_CACHE_SIZE = 4_096;

    private final AnalysisSettings settings;
    /** Checks events against their contracts, or null when no contracts were given. */
    private final ContractChecker contracts;
    /** The role of each channel name seen, by its name: names are few, matching them is not free. */
    private final java.util.concurrent.ConcurrentHashMap<String, ChannelRole> roles = new java.util.concurrent.ConcurrentHashMap<>();
    /** Healthy verdicts by their shape (entries, channels, span in ms; {@link #healthyVerdict}): they recur. */
    private final java.util.concurrent.ConcurrentHashMap<Long, Verdict> healthyVerdicts = new java.util.concurrent.ConcurrentHashMap<>();

    /** What a channel is by its name and the settings (docs/reference/anomalies-and-verdicts.md#dead-letter-channels). */
    private enum ChannelRole { CONFIGURED_DEAD_LETTER, NAMED_DEAD_LETTER, RETRY, PLAIN }

    private ChannelRole roleOf(String channel) {
        ChannelRole role = roles.get(channel);
        if (role == null) {
            if (settings.deadLetterChannels().contains(channel)) {
                role = ChannelRole.CONFIGURED_DEAD_LETTER;
            } else if (DeadLetterChannels.isDeadLetter(channel)) {
                role = ChannelRole.NAMED_DEAD_LETTER;
            } else if (DeadLetterChannels.isRetry(channel)) {
                role = ChannelRole.RETRY;
            } else {
                role = ChannelRole.PLAIN;
            }
            if (roles.size() >= ROLE_CACHE_SIZE) {
                roles.clear();
            }
            roles.put(channel, role);
        }
        return role;
    }

    /** An analyzer with these thresholds. */
    public TimelineAnalyzer(AnalysisSettings settings) {
        this(settings, null);
    }

    private TimelineAnalyzer(AnalysisSettings settings, ContractChecker contracts) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.contracts = contracts;
    }

    /**
     * An analyzer with the same settings that also checks each event against its contract
     * (CONTRACT_VIOLATION, docs/reference/anomalies-and-verdicts.md#contract-violations).
     *
     * @param checker the contracts, for example {@code io.eventlens.core.contracts.Contracts}; null for none
     */
    public TimelineAnalyzer withContracts(ContractChecker checker) {
        return new TimelineAnalyzer(settings, checker);
    }

    /** The contracts checked, or {@code null} when none. */
    public ContractChecker contracts() {
        return contracts;
    }

    /** An analyzer with the default thresholds ({@link AnalysisSettings#defaults()}). */
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
     * @param events        its captured events (observations) in any order (usually store order);
     *                      may be empty
     * @return the timeline in observed order, one entry per event with its observations, with
     *         anomalies and verdict
     * @throws NullPointerException when an argument or an event is null
     */
    public Timeline analyze(String correlationId, List<CapturedEvent> events) {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(events, "events");
        List<CapturedEvent> ordered = new ArrayList<>(events.size());
        for (CapturedEvent e : events) {
            Objects.requireNonNull(e, "event");
            // the fallback changes only an event without an event time (asking costs a map per event)
            ordered.add(e.derived().eventTimeValue() != null ? e : EventExtractor.withBrokerTimestampFallback(e));
        }
        ordered.sort(OBSERVED_ORDER);
        if (ordered.isEmpty()) {
            return new Timeline(correlationId, List.of(), new Verdict(VerdictKind.NO_EVENTS, NO_EVENTS_MESSAGE, 0));
        }
        Pass pass = new Pass(ordered);
        for (CapturedEvent e : ordered) {
            pass.observe(e);
        }
        List<TimelineEntry> entries = new ArrayList<>(pass.groups.size());
        for (Group g : pass.groups) {
            ContractCheck check = contracts == null ? null : checkContract(g);
            entries.add(new TimelineEntry(g.first, g.observations, g.anomalies, check));
        }
        return new Timeline(correlationId, entries, verdict(entries));
    }

    /** The most events {@link #quickOutcome} looks at; a larger flow is left to {@link #analyze}. */
    public static final int QUICK_MAX_EVENTS = 32;

    /**
     * The outcome of a small flow in which {@link #analyze} would find nothing but LAG: each event
     * observed once, no dead-letter or retry copy, no delivery-attempt count above 1, no event ID seen
     * twice, no sequence going back in its ordering stream, no clock skew, no foreign event, and no
     * contracts to check. Computed without building the timeline (no entries, anomalies or maps);
     * the flow summaries use it for the common flow and analyze the others
     * ({@code io.eventlens.core.flows.FlowSummary#summarize}).
     *
     * <p>When it is not null, it holds what {@link #analyze} gives for the same arguments: the same
     * verdict (HEALTHY with {@code atSeq} 0 when nothing was found, else LAG naming the worst lag
     * finding), one entry per event, the number of LAG anomalies, the earliest and latest observed
     * time, and the channels in order of first appearance.
     *
     * @param correlationId the correlation ID asked for
     * @param events        its captured events in any order
     * @return the outcome, or {@code null} when the analysis may find anything but lag, when the flow
     *         is empty or has more than {@value #QUICK_MAX_EVENTS} events, when an event is null, or
     *         when this analyzer checks contracts: then call {@link #analyze}
     * @throws NullPointerException when an argument is null
     */
    public QuickOutcome quickOutcome(String correlationId, List<CapturedEvent> events) {
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(events, "events");
        int n = events.size();
        if (contracts != null || n == 0 || n > QUICK_MAX_EVENTS) {
            return null;
        }
        // observed order, as analyze sorts (a stable sort: any gives the same order); events mostly
        // come in that order, so the insertion is a call of its own, off the common path
        CapturedEvent[] o = new CapturedEvent[n];
        int filled = 0;
        for (CapturedEvent e : events) {
            if (e == null || filled == n) {
                return null;
            }
            if (filled > 0 && observedOrder(o[filled - 1], e) > 0) {
                insertInObservedOrder(o, filled, e);
            } else {
                o[filled] = e;
            }
            filled++;
        }
        if (filled != n) {
            return null;
        }
        QuickScan scan = new QuickScan(n);
        for (int i = 0; i < n; i++) {
            if (!quickStep(scan, o, i)) {
                return null;
            }
        }
        Instant first = o[0].observedAt();
        Instant last = o[n - 1].observedAt();
        Verdict verdict = scan.lags == 0 ? healthyVerdict(n, scan.channelCount, Duration.between(first, last))
                : lagVerdict(o, scan.worstAt, scan.worstIsStep, scan.worstExcess, scan.lags);
        return new QuickOutcome(correlationId, verdict, n, scan.lags, first, last,
                Arrays.asList(scan.channels).subList(0, scan.channelCount));
    }

    /** Puts {@code e} into {@code o[0..filled]} after the last event that is not later in observed order. */
    private static void insertInObservedOrder(CapturedEvent[] o, int filled, CapturedEvent e) {
        int j = filled;
        while (j > 0 && observedOrder(o[j - 1], e) > 0) {
            o[j] = o[j - 1];
            j--;
        }
        o[j] = e;
    }

    /** What {@link #quickOutcome} has found so far in a flow's events. */
    private static final class QuickScan {
        final String[] ids;
        final String[] channels;
        int channelCount;
        // LAG findings in the order analyze adds them (per entry: previous step, then event time);
        // the worst is the first with the largest excess over its SLO in ms, as verdict() picks it
        int lags;
        long worstExcess;
        int worstAt = -1;
        boolean worstIsStep;

        QuickScan(int n) {
            ids = new String[n];
            channels = new String[n];
        }

        void lag(long excess, int at, boolean step) {
            if (lags++ == 0 || excess > worstExcess) {
                worstExcess = excess;
                worstAt = at;
                worstIsStep = step;
            }
        }
    }

    /**
     * One event {@code o[i]} of {@link #quickOutcome}'s scan (a method of its own, so that the JIT
     * compiles the per-event checks once, not again with each compilation of the scan's loop:
     * docs/decisions/0010-bounded-memory-launch.md, "hot loop bodies as methods of their own").
     *
     * @return false when the analysis may find anything but lag in the flow
     */
    private boolean quickStep(QuickScan scan, CapturedEvent[] o, int i) {
        CapturedEvent e = o[i];
        String channel = e.channel().name();
        // the previous event's channel was plain: most flows stay on one channel
        if (!(i > 0 && channel.equals(o[i - 1].channel().name())) && roleOf(channel) != ChannelRole.PLAIN) {
            return false;   // a dead-letter or retry copy
        }
        List<io.eventlens.core.model.Header> headers = e.headers();
        if (!headers.isEmpty() && !quickHeaders(headers)) {
            return false;
        }
        // LAG and CLOCK_SKEW as checkLag and checkClockSkew; the previous step is the previous event.
        // The broker-timestamp fallback gives no declared time, so it need not be applied here.
        Instant observed = e.observedAt();
        Duration slo = settings.lagSloFor(channel);
        if (i > 0 && exceeds(o[i - 1].observedAt(), observed, slo)) {
            scan.lag(Duration.between(o[i - 1].observedAt(), observed).toMillis() - slo.toMillis(), i, true);
        }
        Instant declared = e.derived().declaredEventTimeValue();
        if (declared != null) {
            if (!PROBE.equals(e.source().sourceKind()) && exceeds(declared, observed, slo)) {
                scan.lag(Duration.between(declared, observed).toMillis() - slo.toMillis(), i, false);
            }
            if (exceeds(observed, declared, settings.clockSkewTolerance())) {
                return false;
            }
        }
        // an event ID seen before: a duplicate, another channel's step, or another source's observation
        String id = eventId(e);
        String[] ids = scan.ids;
        for (int j = 0; j < i; j++) {
            if (ids[j].equals(id)) {
                return false;
            }
        }
        ids[i] = id;
        // the same message read twice joins an entry
        for (int j = 0; j < i; j++) {
            if (sameMessage(o[j], e)) {
                return false;
            }
        }
        // OUT_OF_ORDER and SEQUENCE_RESTART: against the latest earlier event of its ordering stream
        Long sequence = e.derived().sequenceValue();
        if (sequence != null && i > 0 && goesBack(o, i, e, sequence)) {
            return false;
        }
        String[] channels = scan.channels;
        for (int j = 0; j < scan.channelCount; j++) {
            if (channels[j].equals(channel)) {
                return true;
            }
        }
        channels[scan.channelCount++] = channel;
        return true;
    }

    /** False when an event's headers make it a dead-letter copy, RETRIED or a FOREIGN_EVENT (quickOutcome). */
    private static boolean quickHeaders(List<io.eventlens.core.model.Header> headers) {
        if (DeadLetterChannels.hasDeadLetterHeaders(headers)) {
            return false;   // a dead-letter copy
        }
        Integer attempts = DeadLetterChannels.deliveryAttempts(headers);
        if (attempts != null && attempts > 1) {
            return false;   // RETRIED
        }
        for (io.eventlens.core.model.Header h : headers) {
            if (h.name().equals(io.eventlens.core.model.Header.PROBE_FOREIGN_CORRELATION_ID)) {
                return false;   // FOREIGN_EVENT
            }
        }
        return true;
    }

    /** True when {@code sequence} of {@code e = o[i]} is below the latest earlier one of its ordering stream (quickOutcome). */
    private static boolean goesBack(CapturedEvent[] o, int i, CapturedEvent e, long sequence) {
        boolean kafka = e.source() instanceof SourcePosition.Kafka;
        String orderingStream = kafka ? null : e.source().orderingStream();
        if (!kafka && orderingStream == null) {
            return false;
        }
        for (int j = i - 1; j >= 0; j--) {
            CapturedEvent p = o[j];
            Long before = p.derived().sequenceValue();
            if (before != null && sameStream(p, e, orderingStream)) {
                return sequence < before;
            }
        }
        return false;
    }

    /**
     * The LAG verdict {@link #verdict(List, List)} gives when the only anomalies are {@code lags}
     * LAG findings and the worst is the previous-step gap ({@code step}) or the event-time delay of
     * {@code o[at]}: its message as {@link Pass#checkLag} words it.
     */
    private Verdict lagVerdict(CapturedEvent[] o, int at, boolean step, long excessMs, int lags) {
        CapturedEvent e = o[at];
        String channel = e.channel().name();
        Duration slo = settings.lagSloFor(channel);
        String message;
        if (step) {
            CapturedEvent previous = o[at - 1];
            message = stepLagMessage(previous.channel().name(), channel, Duration.between(previous.observedAt(), e.observedAt()), slo);
        } else {
            message = eventTimeLagMessage(channel, Duration.between(e.derived().declaredEventTimeValue(), e.observedAt()), slo);
        }
        return new Verdict(VerdictKind.LAG, lagMessage(message, excessMs, lags), e.seq());
    }

    /** The message of a previous-step LAG finding (docs/reference/anomalies-and-verdicts.md). */
    private static String stepLagMessage(String fromChannel, String toChannel, Duration gap, Duration slo) {
        return fromChannel + " → " + toChannel + " took " + formatDuration(gap) + ", SLO " + formatDuration(slo);
    }

    /** The message of an event-time LAG finding (docs/reference/anomalies-and-verdicts.md). */
    private static String eventTimeLagMessage(String channel, Duration late, Duration slo) {
        return "observed on " + channel + " " + formatDuration(late) + " after its declared event time, SLO " + formatDuration(slo);
    }

    /** The LAG verdict's message of the worst finding's message, its excess over the SLO in ms and the number of findings. */
    private static String lagMessage(String worst, long excessMs, int findings) {
        return "lag: " + worst + " (" + formatDuration(Duration.ofMillis(excessMs)) + " over)"
                + (findings > 1 ? "; " + findings + " lag findings in all" : "");
    }

    /**
     * The verdict of a healthy timeline without anomalies of {@code n} entries observed once on
     * {@code channels} channels over {@code span}: the same for the same numbers and span in ms, so
     * the ones seen are kept ({@value #VERDICT_CACHE_SIZE} at most, then the memory starts afresh).
     */
    private Verdict healthyVerdict(int n, int channels, Duration span) {
        long ms = span.toMillis();
        if (n >= 64 || channels >= 64 || ms < 0 || ms >= 1L << 40) {
            return healthy(shape(n, n, channels, span));
        }
        // the span in the low bits: Long's hash folds the high half onto them, and spans vary most
        Long key = (long) n << 56 | (long) channels << 48 | ms;
        Verdict v = healthyVerdicts.get(key);
        if (v == null) {
            v = healthy(shape(n, n, channels, span));
            if (healthyVerdicts.size() >= VERDICT_CACHE_SIZE) {
                healthyVerdicts.clear();
            }
            healthyVerdicts.put(key, v);
        }
        return v;
    }

    /** {@link #OBSERVED_ORDER} without the comparator's indirections. */
    private static int observedOrder(CapturedEvent a, CapturedEvent b) {
        int c = a.observedAt().compareTo(b.observedAt());
        return c != 0 ? c : Long.compare(a.seq(), b.seq());
    }

    /** {@code Duration.between(from, to).compareTo(limit) > 0}, without making the duration. */
    private static boolean exceeds(Instant from, Instant to, Duration limit) {
        long seconds = to.getEpochSecond() - from.getEpochSecond();
        int nanos = to.getNano() - from.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        return seconds != limit.getSeconds() ? seconds > limit.getSeconds() : nanos > limit.getNano();
    }

    /**
     * True when two observations have the same source kind, channel and message coordinates (the
     * key {@link Pass#observe} joins them by). A Kafka position's coordinates are its partition and
     * offset ({@code partition@offset}), compared as numbers.
     */
    private static boolean sameMessage(CapturedEvent a, CapturedEvent b) {
        if (!a.channel().name().equals(b.channel().name())) {
            return false;
        }
        if (a.source() instanceof SourcePosition.Kafka ka && b.source() instanceof SourcePosition.Kafka kb) {
            return ka.partition() == kb.partition() && ka.offset() == kb.offset();
        }
        String ca = a.source().messageCoordinates();
        if (ca == null) {
            return false;
        }
        String cb = b.source().messageCoordinates();
        return ca.equals(cb) && a.source().sourceKind().equals(b.source().sourceKind());
    }

    /**
     * True when an earlier observation {@code p} is in the ordering stream of {@code e} as
     * {@link Pass#checkOrder} keys them: channel, ordering stream (not null) and key text.
     *
     * @param stream the ordering stream of {@code e}, or null when {@code e} has a Kafka position
     *               (its stream is its partition, compared as a number against another Kafka position)
     */
    private static boolean sameStream(CapturedEvent p, CapturedEvent e, String stream) {
        if (!p.channel().name().equals(e.channel().name())) {
            return false;
        }
        if (stream == null && p.source() instanceof SourcePosition.Kafka kp) {
            if (kp.partition() != ((SourcePosition.Kafka) e.source()).partition()) {
                return false;
            }
        } else {
            String mine = stream != null ? stream : e.source().orderingStream();
            if (!mine.equals(p.source().orderingStream())) {
                return false;
            }
        }
        byte[] a = p.key();
        byte[] b = e.key();
        if (Arrays.equals(a, b)) {
            return true;
        }
        return a != null && b != null && HeaderValues.text(a).equals(HeaderValues.text(b));
    }

    /**
     * Checks a group's first observation against its contract: on its own channel, or for a
     * dead-letter or retry copy on the original channel its anomaly names; adds CONTRACT_VIOLATION
     * when it failed.
     */
    private ContractCheck checkContract(Group g) {
        String channel = g.first.channel().name();
        for (Anomaly a : g.anomalies) {
            if (a.kind() == AnomalyKind.DEAD_LETTERED || a.kind() == AnomalyKind.RETRIED) {
                if (a.evidence().get("originalChannel") instanceof String original && !original.isBlank()) {
                    channel = original;
                    break;
                }
                String byName = DeadLetterChannels.originalChannelOf(channel);
                if (byName != null && !byName.isBlank()) {
                    channel = byName;
                    break;
                }
            }
        }
        ContractCheck check = contracts.check(g.first, channel);
        if (check != null && !check.passed()) {
            g.anomalies.add(contractViolation(g.first, channel, check));
        }
        return check;
    }

    /** The CONTRACT_VIOLATION anomaly of a failed check. */
    static Anomaly contractViolation(CapturedEvent e, String channel, ContractCheck check) {
        String type = e.derived().eventTypeValue();
        String msg = (type == null ? "event" : type) + " on " + e.channel().name()
                + (channel.equals(e.channel().name()) ? "" : " (contract of " + channel + ")")
                + " violates " + check.summary();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("contract", check.contract());
        putIfNotNull(ev, "schema", check.schema());
        ev.put("matchedBy", check.matchedBy());
        ev.put("violations", check.violationCount());
        if (!check.violations().isEmpty()) {
            ContractViolation first = check.violations().get(0);
            ev.put("pointer", first.pointer());
            ev.put("violationRule", first.rule());
            putIfNotNull(ev, "expected", first.expected());
            putIfNotNull(ev, "found", first.found());
        }
        String rule = check.schema() == null ? "contract.cloudevents" : "contract.schema";
        return new Anomaly(AnomalyKind.CONTRACT_VIOLATION, msg, rule, ev, 0);
    }

    /** The original of a copy and how it was found ({@link #LINK_POSITION}, ...). */
    private record Link(CapturedEvent original, String how) {
    }

    /** One event being built: its observations and anomalies. */
    private static final class Group {
        final CapturedEvent first;
        final List<CapturedEvent> observations = new ArrayList<>(1);
        final List<Anomaly> anomalies = new ArrayList<>(2);
        final boolean copy;

        Group(CapturedEvent first, boolean copy) {
            this.first = first;
            this.copy = copy;
            observations.add(first);
        }

        /** The first observation by this source kind, or {@code null}. */
        CapturedEvent observationBy(String sourceKind) {
            for (CapturedEvent o : observations) {
                if (o.source().sourceKind().equals(sourceKind)) {
                    return o;
                }
            }
            return null;
        }
    }

    /** Where one ordering stream stands: its first and latest sequence and the latest observation. */
    private static final class Stream {
        long first;
        long last;
        CapturedEvent lastEvent;

        Stream(long sequence, CapturedEvent e) {
            restart(sequence, e);
        }

        void restart(long sequence, CapturedEvent e) {
            first = sequence;
            advance(sequence, e);
        }

        void advance(long sequence, CapturedEvent e) {
            last = sequence;
            lastEvent = e;
        }
    }

    /** The state of one pass over a timeline in observed order. */
    private final class Pass {
        final List<Group> groups = new ArrayList<>();
        private final Map<MessageKey, Group> byMessage;
        private final Map<String, Group> firstById;
        /** The first non-copy observation of an event ID per source kind (channel null) and per channel. */
        private final Map<IdKey, CapturedEvent> firstBySource;
        private final Map<IdKey, CapturedEvent> firstBySourceChannel;
        /** The first event at each channel and message coordinates; made when a copy first needs it. */
        private Map<MessageKey, CapturedEvent> byPosition;
        private final Map<StreamKey, Stream> streams = new HashMap<>();
        private CapturedEvent previousStep;
        private final List<CapturedEvent> ordered;

        Pass(List<CapturedEvent> ordered) {
            this.ordered = ordered;
            int capacity = Math.max(16, (int) Math.min(1 << 20, ordered.size() * 4L / 3 + 1));
            byMessage = new HashMap<>(capacity);
            firstById = new HashMap<>(capacity);
            firstBySource = new HashMap<>(capacity);
            firstBySourceChannel = new HashMap<>(capacity);
        }

        /** The first event in observed order at this channel and message coordinates, or null. */
        private CapturedEvent atPosition(String channel, String coordinates) {
            if (byPosition == null) {
                byPosition = new HashMap<>();
                for (CapturedEvent e : ordered) {
                    String c = e.source().messageCoordinates();
                    if (c != null) {
                        byPosition.putIfAbsent(new MessageKey(null, e.channel().name(), c), e);
                    }
                }
            }
            return byPosition.get(new MessageKey(null, channel, coordinates));
        }

        void observe(CapturedEvent e) {
            String coordinates = e.source().messageCoordinates();
            MessageKey messageKey = coordinates == null ? null
                    : new MessageKey(e.source().sourceKind(), e.channel().name(), coordinates);
            Group sameMessage = messageKey == null ? null : byMessage.get(messageKey);
            if (sameMessage != null) {
                sameMessage.observations.add(e);   // the same message read again: not a redelivery
                return;
            }
            Group g = group(e);
            if (messageKey != null) {
                byMessage.putIfAbsent(messageKey, g);
            }
        }

        /** Remembers the first non-copy observation of an event ID per source kind and per channel. */
        private void remember(String id, CapturedEvent e) {
            String kind = e.source().sourceKind();
            firstBySource.putIfAbsent(new IdKey(id, kind, null), e);
            firstBySourceChannel.putIfAbsent(new IdKey(id, kind, e.channel().name()), e);
        }

        /** The entry this observation joins or starts. */
        private Group group(CapturedEvent e) {
            String channel = e.channel().name();
            ChannelRole role = roleOf(channel);
            boolean configuredDlq = role == ChannelRole.CONFIGURED_DEAD_LETTER;
            boolean namedDlq = role == ChannelRole.NAMED_DEAD_LETTER;
            boolean retryChannel = role == ChannelRole.RETRY;
            boolean dlHeaders = !retryChannel && DeadLetterChannels.hasDeadLetterHeaders(e.headers());
            boolean deadLettered = configuredDlq || namedDlq || dlHeaders;
            boolean copy = deadLettered || retryChannel;

            Anomaly duplicate = null;
            boolean otherChannelCopy = false;
            String id = copy ? null : eventId(e);
            if (!copy) {
                String kind = e.source().sourceKind();
                CapturedEvent sameChannel = firstBySourceChannel.get(new IdKey(id, kind, channel));
                CapturedEvent sameSource = sameChannel != null ? sameChannel : firstBySource.get(new IdKey(id, kind, null));
                Group earlier = firstById.get(id);
                if (sameSource != null) {
                    duplicate = duplicate(e, sameSource, id, sameChannel != null);
                    otherChannelCopy = duplicate == null;
                } else if (earlier != null) {
                    CapturedEvent other = earlier.first;
                    Comparison c = compareContent(other, e);
                    if (c.same()) {
                        earlier.observations.add(e);   // another source saw the same event
                        remember(id, e);
                        checkOrder(e, earlier.anomalies);
                        return earlier;
                    }
                    duplicate = conflictingAcrossSources(e, other, id, c);
                }
            }

            Group g = new Group(e, copy);
            groups.add(g);
            List<Anomaly> found = g.anomalies;
            if (copy) {
                DeadLetterInfo info = DeadLetterChannels.inspect(channel, e.headers());
                Link link = findOriginal(e, info);
                if (deadLettered) {
                    String rule = configuredDlq ? "dead-letter.configured"
                            : namedDlq ? "dead-letter.channel-name" : "dead-letter.headers";
                    found.add(deadLettered(e, info, link, rule));
                } else {
                    found.add(retryCopy(e, info, link));
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
                if (duplicate != null) {
                    found.add(duplicate);
                } else if (!otherChannelCopy) {
                    firstById.putIfAbsent(id, g);
                }
                remember(id, e);
            }

            if (!copy && duplicate == null) {
                checkOrder(e, found);
                checkLag(e, found);
                previousStep = e;
            }
            checkClockSkew(e, found);
            checkForeign(e, found);
            return g;
        }

        /** The original of a dead-letter or retry copy and how it was found, or {@code null}. */
        private Link findOriginal(CapturedEvent copy, DeadLetterInfo info) {
            if (info.originalChannel() != null && info.originalPartition() != null && info.originalOffset() != null) {
                // The dead-letter header conventions name a Kafka record: its coordinates as a Kafka position gives them.
                String coordinates;
                try {
                    coordinates = new SourcePosition.Kafka(info.originalPartition(), info.originalOffset(), null)
                            .messageCoordinates();
                } catch (IllegalArgumentException negative) {
                    coordinates = null;
                }
                CapturedEvent byCoordinates = coordinates == null ? null
                        : atPosition(info.originalChannel(), coordinates);
                if (byCoordinates != null && byCoordinates != copy) {
                    return new Link(byCoordinates, LINK_POSITION);
                }
            }
            String originalChannel = info.originalChannel() != null
                    ? info.originalChannel() : DeadLetterChannels.originalChannelOf(copy.channel().name());
            boolean named = originalChannel != null && !originalChannel.isBlank();
            String id = copy.derived().eventIdSynthetic() ? null : copy.derived().eventIdValue();
            if (id != null) {
                // an AMQP dead letter keeps its message ID: prefer the original queue's observation
                CapturedEvent onOriginal = named ? firstBySourceChannel.get(
                        new IdKey(id, copy.source().sourceKind(), originalChannel)) : null;
                if (onOriginal != null) {
                    return new Link(onOriginal, LINK_EVENT_ID);
                }
                if (firstById.containsKey(id)) {
                    return new Link(firstById.get(id).first, LINK_EVENT_ID);
                }
            }
            if (named) {
                String synthetic = EventExtractor.syntheticEventId(
                        new Channel(copy.channel().kind(), originalChannel), copy.key(), copy.payload());
                Group g = firstById.get(synthetic);
                if (g != null) {
                    return new Link(g.first, LINK_PAYLOAD);
                }
                CapturedEvent sameJson = sameJsonOn(originalChannel, copy);
                if (sameJson != null) {
                    return new Link(sameJson, LINK_PAYLOAD_JSON);
                }
            }
            return null;
        }

        /**
         * The first event on {@code channel} (when that is not itself a dead-letter or retry channel) whose payload is
         * the same JSON value as the copy's, compared canonically ({@link CanonicalJson}); at most
         * {@value #MAX_JSON_CANDIDATES} candidates are parsed per copy.
         */
        private CapturedEvent sameJsonOn(String channel, CapturedEvent copy) {
            if (roleOf(channel) != ChannelRole.PLAIN) {
                return null;   // the original channel is itself a dead-letter or retry channel: no original there
            }
            String wanted = CanonicalJson.of(copy.payload());
            if (wanted == null) {
                return null;
            }
            int parsed = 0;
            for (CapturedEvent e : ordered) {
                if (e == copy || !e.channel().name().equals(channel)) {
                    continue;
                }
                if (++parsed > MAX_JSON_CANDIDATES) {
                    return null;
                }
                if (wanted.equals(CanonicalJson.of(e.payload()))) {
                    return e;
                }
            }
            return null;
        }

        private Anomaly deadLettered(CapturedEvent e, DeadLetterInfo info, Link link, String rule) {
            CapturedEvent original = link == null ? null : link.original();
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
                ev.put("linkedBy", link.how());
            }
            return new Anomaly(AnomalyKind.DEAD_LETTERED, msg.toString(), rule, ev, original == null ? 0 : original.seq());
        }

        private Anomaly retryCopy(CapturedEvent e, DeadLetterInfo info, Link link) {
            CapturedEvent original = link == null ? null : link.original();
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
                ev.put("linkedBy", link.how());
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

        /**
         * The finding on an event ID seen again by the same source kind: DUPLICATE on the same
         * channel with identical bytes, CONFLICTING_DUPLICATE with different bytes on any channel,
         * {@code null} for identical bytes on another channel (its own step, not a redelivery).
         */
        private Anomaly duplicate(CapturedEvent e, CapturedEvent first, String id, boolean sameChannel) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("eventId", id);
            ev.put("originalSeq", first.seq());
            ev.put("payloadBytes", e.payloadSize());
            ev.put("originalPayloadBytes", first.payloadSize());
            if (Arrays.equals(e.payload(), first.payload())) {
                if (!sameChannel) {
                    return null;
                }
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

        /** CONFLICTING_DUPLICATE: another source kind saw this event ID earlier with different content. */
        private Anomaly conflictingAcrossSources(CapturedEvent e, CapturedEvent first, String id, Comparison c) {
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("eventId", id);
            ev.put("originalSeq", first.seq());
            ev.put("sourceKind", e.source().sourceKind());
            ev.put("originalSourceKind", first.source().sourceKind());
            ev.put("comparedAs", c.comparedAs());
            ev.put("firstDifferenceAt", c.firstDifferenceAt());
            ev.put("snippet", c.snippet());
            ev.put("originalSnippet", c.originalSnippet());
            return new Anomaly(AnomalyKind.CONFLICTING_DUPLICATE,
                    "event " + id + " observed by " + e.source().sourceKind() + " with different content than its "
                            + first.source().sourceKind() + " observation " + describe(first) + " (compared as "
                            + c.comparedAs() + "; first difference at " + c.firstDifferenceAt() + ": "
                            + c.snippet() + " vs " + c.originalSnippet() + ")",
                    "duplicate.different-content", ev, first.seq());
        }

        /**
         * Sequence checks within the observation's ordering stream (channel, ordering stream, key):
         * OUT_OF_ORDER for a regression, SEQUENCE_RESTART for a fall back to the stream's start; in
         * both cases the stream continues from the new value.
         */
        private void checkOrder(CapturedEvent e, List<Anomaly> found) {
            Long sequence = e.derived().sequenceValue();
            String orderingStream = e.source().orderingStream();
            if (sequence == null || orderingStream == null) {
                return;
            }
            String channel = e.channel().name();
            String key = e.key() == null ? null : HeaderValues.text(e.key());
            StreamKey streamKey = new StreamKey(channel, orderingStream, key);
            Stream stream = streams.get(streamKey);
            if (stream == null) {
                streams.put(streamKey, new Stream(sequence, e));
                return;
            }
            if (sequence >= stream.last) {
                stream.advance(sequence, e);
                return;
            }
            long before = stream.last;
            CapturedEvent previous = stream.lastEvent;
            String scope = channel + ", " + orderingStream + ", " + (key == null ? "no key" : "key " + key);
            Map<String, Object> ev = new LinkedHashMap<>();
            ev.put("scope", scope);
            ev.put("channel", channel);
            ev.put("orderingStream", orderingStream);
            ev.put("key", key);
            ev.put("sequence", sequence);
            ev.put("position", e.source().describe());
            ev.put("previousSequence", before);
            ev.put("previousPosition", previous.source().describe());
            ev.put("previousSeq", previous.seq());
            boolean restart = stream.last > stream.first && sequence <= stream.first
                    && (sequence <= 1 || sequence == stream.first);
            if (restart) {
                ev.put("streamFirstSequence", stream.first);
                found.add(new Anomaly(AnomalyKind.SEQUENCE_RESTART,
                        "sequence fell back to " + sequence + " (" + describe(e) + ") after " + before + " ("
                                + describe(previous) + ") in " + scope + ": the stream restarted from "
                                + (sequence == stream.first ? "its first sequence" : sequence),
                        "order.restart", ev, previous.seq()));
                stream.restart(sequence, e);
            } else {
                found.add(new Anomaly(AnomalyKind.OUT_OF_ORDER,
                        "sequence " + sequence + " (" + describe(e) + ") arrived after sequence " + before + " ("
                                + describe(previous) + ") in " + scope,
                        "order.sequence", ev, previous.seq()));
                stream.advance(sequence, e);
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
                    found.add(new Anomaly(AnomalyKind.LAG, stepLagMessage(previousStep.channel().name(), channel, gap, slo),
                            "lag.previous-step", ev, previousStep.seq()));
                }
            }
            Instant declared = e.derived().declaredEventTimeValue();
            // a probe's observed time is the poll that first returned the event, and a capture's first
            // poll reads history: its delay is no lag (docs/reference/anomalies-and-verdicts.md)
            if (declared != null && !PROBE.equals(e.source().sourceKind())) {
                Duration late = Duration.between(declared, e.observedAt());
                if (late.compareTo(slo) > 0) {
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("channel", channel);
                    ev.put("eventTime", declared.toString());
                    ev.put("observedAt", e.observedAt().toString());
                    ev.put("gapMs", late.toMillis());
                    ev.put("sloMs", slo.toMillis());
                    found.add(new Anomaly(AnomalyKind.LAG, eventTimeLagMessage(channel, late, slo),
                            "lag.event-time", ev, 0));
                }
            }
        }

        /** FOREIGN_EVENT: a probe returned this event for a correlation ID that is not its own. */
        private void checkForeign(CapturedEvent e, List<Anomaly> found) {
            for (io.eventlens.core.model.Header h : e.headers()) {
                if (h.name().equals(io.eventlens.core.model.Header.PROBE_FOREIGN_CORRELATION_ID)) {
                    String own = h.valueAsString();
                    Map<String, Object> ev = new LinkedHashMap<>();
                    ev.put("ownCorrelationId", own);
                    ev.put("askedCorrelationId", e.derived().correlationIdValue());
                    ev.putAll(e.source().attributes());
                    found.add(new Anomaly(AnomalyKind.FOREIGN_EVENT,
                            "the probe returned event " + e.derived().eventIdValue() + " of correlation ID " + own
                                    + " when asked for " + e.derived().correlationIdValue() + " on " + e.channel().name()
                                    + " (" + e.source().describe() + "): the test environment is shared and isolation is broken",
                            "probe.foreign-correlation-id", ev, 0));
                    return;
                }
            }
        }

        private void checkClockSkew(CapturedEvent e, List<Anomaly> found) {
            Instant declared = e.derived().declaredEventTimeValue();
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
        return verdict(entries, List.of());
    }

    /**
     * The verdict of a timeline's entries and the steps its expected flow found missing: the first
     * that applies in the order of docs/reference/anomalies-and-verdicts.md ("Verdicts"). Used by
     * {@link #analyze} (no expected steps) and by the expected-flow judge
     * ({@code io.eventlens.core.flowmodel.FlowJudge}), which adds MISSING_STEP and learned LAG
     * anomalies and the expected steps and asks again.
     *
     * @param entries  the timeline's entries, not empty
     * @param expected the expected steps: a {@link ExpectedStep.Kind#STOPPED} one makes the verdict
     *                 STOPPED (after DEAD_LETTERED), an {@link ExpectedStep.Kind#IN_FLIGHT} one makes
     *                 an otherwise healthy flow IN_FLIGHT
     */
    public static Verdict verdict(List<TimelineEntry> entries, List<ExpectedStep> expected) {
        EnumMap<AnomalyKind, List<Found>> byKind = new EnumMap<>(AnomalyKind.class);
        for (TimelineEntry entry : entries) {
            for (Anomaly a : entry.anomalies()) {
                byKind.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(new Found(entry.event(), a));
            }
        }
        List<Found> dead = byKind.getOrDefault(AnomalyKind.DEAD_LETTERED, List.of());
        if (!dead.isEmpty()) {
            // a dead letter whose payload (or its original's) broke the contract says so first
            for (Found d : dead) {
                ContractCheck broken = brokenContractOf(entries, d);
                if (broken != null) {
                    String more = dead.size() > 1 ? "; " + dead.size() + " dead-lettered events in all" : "";
                    return new Verdict(VerdictKind.DEAD_LETTERED, "dead-lettered because the payload broke "
                            + broken.summary() + "; " + d.anomaly().message() + more, d.event().seq());
                }
            }
            return verdictOf(VerdictKind.DEAD_LETTERED, "", dead.get(0), dead.size(), "dead-lettered events");
        }
        for (ExpectedStep x : expected) {
            if (x.kind() == ExpectedStep.Kind.STOPPED) {
                return new Verdict(VerdictKind.STOPPED, "stopped: " + x.message(), x.afterSeq());
            }
        }
        List<Found> missing = byKind.getOrDefault(AnomalyKind.MISSING_STEP, List.of());
        if (!missing.isEmpty()) {
            return verdictOf(VerdictKind.MISSING_STEP, "missing step: ", missing.get(0), missing.size(), "missing steps");
        }
        List<Found> broken = byKind.getOrDefault(AnomalyKind.CONTRACT_VIOLATION, List.of());
        if (!broken.isEmpty()) {
            return verdictOf(VerdictKind.CONTRACT_VIOLATION, "contract violation: ", broken.get(0), broken.size(),
                    "events that broke their contracts");
        }
        List<Found> foreign = byKind.getOrDefault(AnomalyKind.FOREIGN_EVENT, List.of());
        if (!foreign.isEmpty()) {
            return verdictOf(VerdictKind.ISOLATION_BROKEN, "isolation broken: ", foreign.get(0), foreign.size(),
                    "foreign events");
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
            return new Verdict(VerdictKind.LAG, lagMessage(worst.anomaly().message(), excessMs(worst.anomaly()), lag.size()),
                    worst.event().seq());
        }
        for (ExpectedStep x : expected) {
            if (x.kind() == ExpectedStep.Kind.IN_FLIGHT) {
                return new Verdict(VerdictKind.IN_FLIGHT, "in flight: " + x.message(), x.afterSeq());
            }
        }
        Set<String> channels = new HashSet<>();
        int observations = 0;
        for (TimelineEntry en : entries) {
            for (CapturedEvent o : en.observations()) {
                channels.add(o.channel().name());
            }
            observations += en.observations().size();
        }
        Duration span = Duration.between(entries.get(0).event().observedAt(), entries.get(entries.size() - 1).event().observedAt());
        String shape = shape(entries.size(), observations, channels.size(), span);
        StringJoiner notes = new StringJoiner(", ");
        for (AnomalyKind kind : List.of(AnomalyKind.DUPLICATE, AnomalyKind.RETRIED, AnomalyKind.CLOCK_SKEW,
                AnomalyKind.SEQUENCE_RESTART)) {
            List<Found> list = byKind.getOrDefault(kind, List.of());
            if (!list.isEmpty()) {
                notes.add(list.size() + " " + noteText(kind, list.size()));
            }
        }
        long firstNote = 0;
        for (TimelineEntry en : entries) {
            if (!en.anomalies().isEmpty()) {
                firstNote = en.event().seq();
                break;
            }
        }
        if (notes.length() > 0) {
            return new Verdict(VerdictKind.HEALTHY, "healthy with notes: " + shape + "; " + notes, firstNote);
        }
        return healthy(shape);
    }

    /** The verdict of a healthy timeline without anomalies of this shape ({@link #shape}). */
    private static Verdict healthy(String shape) {
        return new Verdict(VerdictKind.HEALTHY,
                "healthy: " + shape + ", no anomalies; if a test failed, look at the test or the UI, not the events", 0);
    }

    /** {@code 4 events (5 observations) on 2 channels in 1.2 s}: a healthy verdict's description of a timeline. */
    private static String shape(int entries, int observations, int channels, Duration span) {
        return entries + (entries == 1 ? " event" : " events")
                + (observations > entries ? " (" + observations + " observations)" : "") + " on " + channels
                + (channels == 1 ? " channel" : " channels") + " in " + formatDuration(span);
    }

    private record Found(CapturedEvent event, Anomaly anomaly) {
    }

    /**
     * The failed contract check of a dead letter: its own, else its original's (the entry holding
     * {@code originalSeq}); null when neither broke its contract.
     */
    private static ContractCheck brokenContractOf(List<TimelineEntry> entries, Found dead) {
        Object originalSeq = dead.anomaly().evidence().get("originalSeq");
        ContractCheck original = null;
        for (TimelineEntry entry : entries) {
            if (entry.contract() == null || entry.contract().passed()) {
                continue;
            }
            if (entry.event() == dead.event()) {
                return entry.contract();
            }
            if (original == null && originalSeq instanceof Number seq
                    && entry.observations().stream().anyMatch(o -> o.seq() == seq.longValue())) {
                original = entry.contract();
            }
        }
        return original;
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
            case SEQUENCE_RESTART -> n == 1 ? "sequence restart" : "sequence restarts";
            default -> kind.name();
        };
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String eventId(CapturedEvent e) {
        String id = e.derived().eventIdValue();
        return id != null ? id : EventExtractor.syntheticEventId(e.channel(), e.key(), e.payload());
    }

    /** A message by its source kind (null in {@code byPosition}), channel and message coordinates. */
    private record MessageKey(String sourceKind, String channel, String coordinates) {
    }

    /** An event ID by source kind, and by channel (null for any channel). */
    private record IdKey(String id, String sourceKind, String channel) {
    }

    /** An ordering stream: channel, the source's ordering stream, and the key as text (null for none). */
    private record StreamKey(String channel, String orderingStream, String key) {
    }

    /** {@code #12 on orders p0@7}: how messages name another event. */
    static String describe(CapturedEvent e) {
        return "#" + e.seq() + " on " + e.channel().name() + " " + e.source().describe();
    }

    // ---- content across sources ----------------------------------------------------------------

    /**
     * How two observations' contents compared.
     *
     * @param same              true when equal
     * @param comparedAs        {@code "canonical JSON"} or {@code "bytes"}
     * @param firstDifferenceAt index of the first difference (character of the canonical text, or
     *                          byte), -1 when equal
     */
    private record Comparison(boolean same, String comparedAs, int firstDifferenceAt, String snippet, String originalSnippet) {
    }

    /**
     * Compares the content of two observations by different sources: canonical JSON of each one's
     * payload (or of its payload member, {@link AnalysisSettings#payloadMemberOf}) when both are
     * JSON, else their content bytes.
     */
    private Comparison compareContent(CapturedEvent original, CapturedEvent e) {
        Object mine = content(e);
        Object theirs = content(original);
        if (mine instanceof String a && theirs instanceof String b) {
            if (a.equals(b)) {
                return new Comparison(true, "canonical JSON", -1, null, null);
            }
            int diff = Arrays.mismatch(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            byte[] ab = a.getBytes(StandardCharsets.UTF_8);
            byte[] bb = b.getBytes(StandardCharsets.UTF_8);
            return new Comparison(false, "canonical JSON", diff, snippet(ab, diff), snippet(bb, diff));
        }
        byte[] ab = bytesOf(mine);
        byte[] bb = bytesOf(theirs);
        if (Arrays.equals(ab, bb)) {
            return new Comparison(true, "bytes", -1, null, null);
        }
        int diff = Arrays.mismatch(nullToEmpty(ab), nullToEmpty(bb));
        return new Comparison(false, "bytes", diff, snippet(ab, diff), snippet(bb, diff));
    }

    /**
     * The content of an observation: its canonical JSON text (a {@link String}) when the payload,
     * or the source kind's payload member in it, is JSON (a member that is a JSON string holding
     * JSON text counts too); else the content bytes (a {@code byte[]}, possibly {@code null}).
     */
    private Object content(CapturedEvent e) {
        JsonNode tree = CanonicalJson.parse(e.payload());
        String member = settings.payloadMemberOf(e.source().sourceKind());
        if (member == null) {
            return tree == null ? e.payload() : CanonicalJson.of(tree);
        }
        if (tree == null) {
            return e.payload();
        }
        JsonNode inner = tree.at(member);
        if (inner.isMissingNode()) {
            return CanonicalJson.of(tree);
        }
        if (inner.isTextual()) {
            JsonNode parsed = CanonicalJson.parse(inner.textValue());
            return parsed == null ? inner.textValue().getBytes(StandardCharsets.UTF_8) : CanonicalJson.of(parsed);
        }
        return CanonicalJson.of(inner);
    }

    private static byte[] bytesOf(Object content) {
        if (content instanceof String canonical) {
            return canonical.getBytes(StandardCharsets.UTF_8);
        }
        return content == null ? null : (byte[]) content;
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
            long tenths = Math.round(abs / 100.0);   // half up, as %.1f rounds
            String s = (ms < 0 ? "-" : "") + tenths / 10 + (tenths % 10 == 0 ? "" : "." + tenths % 10);
            return s + " s";
        }
        return (ms / 60_000) + " min " + Math.abs((ms % 60_000) / 1000) + " s";
    }
}
