package io.eventlens.core.replay;

import io.eventlens.core.analysis.DeadLetterChannels;
import io.eventlens.core.analysis.DeadLetterInfo;
import io.eventlens.core.deadletter.DeadLetters;
import io.eventlens.core.extract.ExtractionRules.Field;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Derived;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Turns selected captured events into a {@link ReplayPlan} (docs/reference/replay.md): the order,
 * each event's target channel, the rewrites and when each send is due. Pure: reads nothing, sends
 * nothing. Stateless and thread-safe.
 *
 * <p>Order: the events' observed order (observed time, then store sequence), except that within
 * one ordering group (source channel, Kafka partition and key; AMQP routing key) the events keep
 * their store order, which is their order in the partition or queue: per-key order is always
 * preserved. The same message observed twice (same channel and message coordinates) is sent once.
 * With {@code repeat} N the whole set follows itself N times.
 */
public final class ReplayPlanner {

    private ReplayPlanner() {
    }

    /**
     * Plans a replay.
     *
     * @param events  the selected events (any order; observations of one message are merged)
     * @param target  where they go
     * @param options what to do to them
     * @return the plan; its {@link ReplayPlan#problems()} names events that could not be planned
     */
    public static ReplayPlan plan(List<CapturedEvent> events, ReplayTarget target, ReplayOptions options) {
        return plan(events, target, options, UUID.randomUUID().toString(), Instant.now());
    }

    /** {@link #plan(List, ReplayTarget, ReplayOptions)} with a given replay ID and time (tests, resume). */
    public static ReplayPlan plan(List<CapturedEvent> events, ReplayTarget target, ReplayOptions options,
                                  String replayId, Instant createdAt) {
        Objects.requireNonNull(target, "target");
        List<CapturedEvent> ordered = order(distinctMessages(events));
        Set<String> originalIds = new LinkedHashSet<>();
        ordered.forEach(e -> {
            if (e.derived().correlationIdValue() != null) {
                originalIds.add(e.derived().correlationIdValue());
            }
        });
        String newCorrelationId = !options.freshCorrelationId() ? null
                : options.correlationId() != null ? options.correlationId() : freshId();
        boolean amqp = target instanceof ReplayTarget.Amqp;
        List<String> problems = new ArrayList<>();
        Map<String, String> renewedIds = new HashMap<>();
        List<PlannedSend> sends = new ArrayList<>();
        long offset = 0;
        int index = 0;
        for (int round = 0; round < options.repeat(); round++) {
            Instant previous = null;
            for (CapturedEvent e : ordered) {
                Destination d;
                try {
                    d = destination(e, amqp, options);
                } catch (ReplayException ex) {
                    if (round == 0) {
                        problems.add(ex.getMessage());
                    }
                    continue;
                }
                long originalGap = previous == null ? 0 : Duration.between(previous, e.observedAt()).toNanos();
                if (index > 0) {
                    offset += options.timing().askedGapNanos(previous == null ? 0 : originalGap);
                }
                previous = e.observedAt();
                Rewrites.Message m = new Rewrites.Message(e.headers(), e.payload());
                if (newCorrelationId != null) {
                    Derived<String> cid = e.derived().correlationId();
                    if (cid == null) {
                        m.notes.add("correlationId: none found, none written");
                    } else if (Rewrites.writeField(m, options.rules(), Field.CORRELATION_ID, cid.value(),
                            newCorrelationId, cid.rule()) == 0 && round == 0) {
                        problems.add("event #" + e.seq() + " on " + e.channel().name() + ": its correlation ID '"
                                + cid.value() + "' (found by " + cid.rule() + ") cannot be rewritten");
                    }
                }
                String eventId = e.derived().eventIdValue();
                if (!options.keepEventIds() && eventId != null && !e.derived().eventIdSynthetic()) {
                    String renewed = renewedIds.computeIfAbsent(eventId, k -> renewedId(replayId, k));
                    if (Rewrites.writeField(m, options.rules(), Field.EVENT_ID, eventId, renewed,
                            e.derived().eventId().rule()) > 0) {
                        eventId = renewed;
                    }
                } else if (e.derived().eventIdSynthetic()) {
                    eventId = null;
                }
                Instant declared = e.derived().declaredEventTimeValue();
                if (options.shiftEventTimes() && declared != null) {
                    Instant due = createdAt.plusNanos(offset);
                    Instant shifted = declared.plus(Duration.between(e.observedAt(), due));
                    Rewrites.writeTime(m, options.rules(), declared, shifted, e.derived().eventTime().rule());
                }
                if (!options.removeHeaders().isEmpty() && Rewrites.remove(m, options.removeHeaders()) > 0) {
                    m.notes.add("headers removed: " + options.removeHeaders());
                }
                if (!options.setHeaders().isEmpty()) {
                    Rewrites.set(m, options.setHeaders());
                    m.notes.add("headers set: " + options.setHeaders().keySet());
                }
                if (d.redriven() && !options.keepDeadLetterHeaders()) {
                    int n = Rewrites.stripDeadLetterHeaders(m);
                    if (n > 0) {
                        m.notes.add("dead-letter headers stripped: " + n);
                    }
                }
                if (d.redriven()) {
                    m.notes.add("redriven from " + e.channel().name() + " to its original channel " + d.channel()
                            + (d.routingKey() != null ? " (routing key " + d.routingKey() + ")" : ""));
                }
                Rewrites.mark(m, replayId, index);
                String orderingKey = d.channel() + (amqp ? " rk=" + d.routingKey()
                        : d.partition() != null ? " p" + d.partition() : " key=" + hex(e.key()));
                sends.add(new PlannedSend(index, round, e.seq(), e.channel().name(), d.channel(), d.routingKey(),
                        d.partition(), e.key(), m.headers, m.payload, eventId, orderingKey, offset, m.notes));
                index++;
            }
        }
        return new ReplayPlan(replayId, createdAt, List.copyOf(originalIds), newCorrelationId, target, options,
                sends, problems);
    }

    /**
     * The renewed ID of an event in a run: a name-based UUID of the run's ID and the original event ID,
     * so planning the same run again (the app plans again when the user confirms) gives the same IDs.
     */
    static String renewedId(String replayId, String eventId) {
        return UUID.nameUUIDFromBytes((replayId + "\u0000" + eventId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** A fresh correlation ID: 32 lowercase hex digits (a random UUID's), also valid as a W3C trace-id. */
    public static String freshId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private record Destination(String channel, String routingKey, Integer partition, boolean redriven) {
    }

    private static Destination destination(CapturedEvent e, boolean amqp, ReplayOptions options) {
        String source = e.channel().name();
        Map<String, Object> attrs = e.source().attributes();
        boolean mapped = options.channelMap().containsKey(source);
        if (options.redrive() && !mapped && DeadLetters.isDeadLettered(e, Set.of())) {
            DeadLetterInfo info = DeadLetterChannels.inspect(source, e.headers());
            if (amqp) {
                String exchange = info.originalExchange();
                String rk = info.originalRoutingKeys().isEmpty() ? null : info.originalRoutingKeys().get(0);
                if (exchange != null && rk != null) {
                    return new Destination(exchange, rk, null, true);
                }
                if (info.originalChannel() != null) {   // the queue itself, through the default exchange
                    return new Destination("", info.originalChannel(), null, true);
                }
            } else if (info.originalChannel() != null) {
                Integer p = options.keepPartitions() ? info.originalPartition() : null;
                return new Destination(info.originalChannel(), null, p, true);
            }
            throw new ReplayException("event #" + e.seq() + " on " + source + " is dead-lettered but its headers"
                    + " do not name its original channel (" + info.convention() + "); map it with --map "
                    + source + "=TARGET");
        }
        String to = options.channelMap().getOrDefault(source, source);
        if (amqp) {
            int colon = to.indexOf(':');
            String exchange = colon < 0 ? to : to.substring(0, colon);
            String rk = colon >= 0 ? to.substring(colon + 1)
                    : attrs.get("routingKey") instanceof String s ? s
                    : e.key() != null ? new String(e.key(), java.nio.charset.StandardCharsets.UTF_8) : "";
            return new Destination(exchange, rk, null, false);
        }
        if (to.isBlank()) {
            throw new ReplayException("event #" + e.seq() + " on " + source + ": the target topic is blank");
        }
        Integer partition = options.keepPartitions() && attrs.get("partition") instanceof Integer p ? p : null;
        return new Destination(to, null, partition, false);
    }

    /** One event per message: observations with the same channel and message coordinates are merged. */
    static List<CapturedEvent> distinctMessages(List<CapturedEvent> events) {
        Map<String, CapturedEvent> byMessage = new LinkedHashMap<>();
        List<CapturedEvent> out = new ArrayList<>();
        for (CapturedEvent e : events) {
            String coords = e.source().messageCoordinates();
            if (coords == null) {
                out.add(e);
            } else if (byMessage.putIfAbsent(e.channel().name() + "\u0000" + e.source().sourceKind() + "\u0000" + coords,
                    e) == null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Observed order, then each ordering group's events put back in store order on the group's own
     * places: no two events of one partition/key (or routing key) swap.
     */
    static List<CapturedEvent> order(List<CapturedEvent> events) {
        List<CapturedEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(CapturedEvent::observedAt).thenComparingLong(CapturedEvent::seq));
        Map<String, List<Integer>> slots = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            slots.computeIfAbsent(group(sorted.get(i)), g -> new ArrayList<>()).add(i);
        }
        CapturedEvent[] out = new CapturedEvent[sorted.size()];
        for (List<Integer> places : slots.values()) {
            List<CapturedEvent> members = new ArrayList<>();
            places.forEach(i -> members.add(sorted.get(i)));
            members.sort(Comparator.comparingLong(CapturedEvent::seq));
            for (int j = 0; j < places.size(); j++) {
                out[places.get(j)] = members.get(j);
            }
        }
        return List.of(out);
    }

    private static String group(CapturedEvent e) {
        Map<String, Object> a = e.source().attributes();
        String stream = e.source().orderingStream();
        return e.channel().name() + "\u0000" + (stream == null ? "" : stream) + "\u0000"
                + (a.get("routingKey") instanceof String rk ? rk : hex(e.key()));
    }

    private static String hex(byte[] b) {
        return b == null ? "-" : HexFormat.of().formatHex(b);
    }
}
