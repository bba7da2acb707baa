package io.eventlens.core.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.eventlens.core.extract.HeaderValues;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.SourcePosition;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable form of a {@link Timeline}: the contract of {@code timeline --format json}
 * (docs/reference/cli-contract.md, "JSON output"; JSON Schema in docs/schemas/timeline.schema.json),
 * which CI users script against. Shape (pretty-printed, members in this order; absent values are JSON
 * {@code null}, times are ISO-8601 UTC):
 * <pre>
 * {
 *   "schemaVersion": 2,
 *   "correlationId": "c-42",
 *   "verdict": {"kind": "LAG", "message": "...", "atSeq": 7},
 *   "summary": {"events": 5, "observations": 5, "anomalies": 2,
 *               "byKind": {"DUPLICATE": 1, "CONFLICTING_DUPLICATE": 0, ... every AnomalyKind ...}},
 *   "events": [ {                       // observed order of each event's first observation
 *     "seq": 7, "eventId": "e-1", "eventIdSynthetic": false, "type": "OrderPlaced",
 *     "channel": "orders", "partition": 0, "offset": 12,
 *     "position": {"sourceKind": "kafka", "description": "p0@12", "observedTimeMeaning": "Kafka CreateTime",
 *                  "attributes": {"partition": 0, "offset": 12, "timestampType": "CREATE_TIME"}},
 *     "key": "k-1",                     // UTF-8 text; binary keys as 0x-hex; null when absent
 *     "eventTime": "2026-11-22T04:00:00Z", "eventTimeRule": "json /timestamp",
 *     "observedAt": "2026-11-22T04:00:00.120Z",
 *     "observations": [ {"seq": 7, "sourceKind": "kafka", "channel": "orders",
 *                        "position": {...as above...}, "observedAt": "2026-11-22T04:00:00.120Z"} ],
 *     "sequence": 3, "causationId": null,
 *     "anomalies": [ {"kind": "LAG", "message": "orders → payments took 4.2 s, SLO 2 s",
 *                     "rule": "lag.previous-step", "evidence": {"gapMs": 4200, ...}, "relatedSeq": 6} ],
 *     "deadLetter": null,               // on a dead-lettered event: see below
 *     "deadLetteredAs": [],             // store sequences of the dead-letter copies linked to this event
 *     "consumedBy": [ {"group": "inventory-service", "committedAt": "2026-11-22T04:00:00.350Z",
 *                      "delayMs": 230, "timePrecision": "exact"} ],   // or between-polls, before-capture
 *     "notConsumedBy": [ {"group": "billing", "lagAtEndRecords": 3, "stateAtEnd": "Empty",
 *                         "membersAtEnd": 0, "stalled": true} ]
 *   } ],
 *   "expectedSteps": [ {                // steps the flow's expected flow wanted and it did not have
 *     "kind": "STOPPED",                // MISSING_STEP, STOPPED or IN_FLIGHT
 *     "type": "InventoryReserved", "channel": "inventory", "expectedAt": "2026-11-22T04:00:00.400Z",
 *     "afterSeq": 7, "beforeSeq": 0, "message": "after PaymentAuthorized on payments, ...",
 *     "rule": "expected.learned-next", "evidence": {"p99Ms": 820, "waitedMs": 6100, ...} } ]
 * }
 * </pre>
 * The fields of an event ({@code seq}, {@code channel}, {@code position}, {@code key},
 * {@code observedAt}, derived fields) are those of its first observation. {@code partition} and
 * {@code offset} come from the position's attributes of the same names and are {@code null} for
 * sources without them. {@code eventTime} falls back to the broker timestamp when no header or
 * payload field gave one; {@code eventTimeRule} then says {@code "broker timestamp (CreateTime)"}.
 *
 * <p>{@code deadLetter} is the typed form of the event's DEAD_LETTERED anomaly (docs/reference/anomalies-and-verdicts.md,
 * "Dead-letter channels"): {@code {"rule", "convention", "channel", "originalChannel", "originalPartition",
 * "originalOffset", "exceptionClass", "reason", "attempts", "originalSeq", "linkedBy", "stackTrace"}}, each
 * null when unknown; {@code originalSeq} is the store sequence of the original when it was captured too
 * and {@code linkedBy} how it was found ({@code position}, {@code event-id}, {@code payload},
 * {@code payload-json}); {@code stackTrace} is cut to {@value #MAX_STACK_TRACE} chars.
 * {@code deadLetteredAs} is the reverse link, on the original.
 *
 * <p>Version history of {@link #SCHEMA_VERSION}: 1 (implicit, no {@code schemaVersion} member) had
 * no {@code position}, {@code observations}, {@code eventTimeRule} or {@code summary.observations};
 * 2 adds them; later releases of 2 add {@code deadLetter} and {@code deadLetteredAs}, then {@code contract}
 * (the event's contract check: {@code name}, {@code schema}, {@code matchedBy}, {@code passed},
 * {@code violationCount}, {@code violations[]} of {@code pointer}, {@code rule}, {@code expected},
 * {@code found}, {@code message}; null when no contract applied), then {@code expectedSteps}
 * (docs/reference/anomalies-and-verdicts.md, "Expected flows"), then {@code consumedBy} and {@code notConsumedBy}
 * (the followed consumer groups that committed past the event, and those that never did by the capture's end;
 * docs/decisions/0021-consumer-groups.md; empty arrays without followed groups). Members are only ever added within a version; a removal or a change of meaning
 * raises it.
 */
public final class TimelineJson {

    /** The longest stack trace written in {@code deadLetter.stackTrace}, in chars (cut with {@code …}). */
    public static final int MAX_STACK_TRACE = 16_384;

    /** The version of the JSON shape, written as {@code schemaVersion}. */
    public static final int SCHEMA_VERSION = 2;

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private TimelineJson() {
    }

    /** The timeline as pretty-printed JSON text (no trailing newline). */
    public static String write(Timeline timeline) {
        try {
            return MAPPER.writeValueAsString(toTree(timeline));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write timeline " + timeline.correlationId() + " as JSON", e);
        }
    }

    /** The timeline as a Jackson tree, for callers that embed it in a larger document (reports). */
    public static ObjectNode toTree(Timeline timeline) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("correlationId", timeline.correlationId());

        ObjectNode verdict = root.putObject("verdict");
        verdict.put("kind", timeline.verdict().kind().name());
        verdict.put("message", timeline.verdict().message());
        verdict.put("atSeq", timeline.verdict().atSeq());

        Map<AnomalyKind, Integer> counts = timeline.anomalyCounts();
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        ObjectNode summary = root.putObject("summary");
        summary.put("events", timeline.entries().size());
        summary.put("observations", timeline.entries().stream().mapToInt(e -> e.observations().size()).sum());
        summary.put("anomalies", total);
        ObjectNode byKind = summary.putObject("byKind");
        counts.forEach((k, n) -> byKind.put(k.name(), n));

        // back links: the copies that name an observation of an entry as their original
        Map<Long, Integer> entryOfSeq = new HashMap<>();
        for (int i = 0; i < timeline.entries().size(); i++) {
            for (CapturedEvent o : timeline.entries().get(i).observations()) {
                entryOfSeq.putIfAbsent(o.seq(), i);
            }
        }
        Map<Integer, List<Long>> copiesOf = new HashMap<>();
        for (TimelineEntry entry : timeline.entries()) {
            Anomaly dl = deadLetterAnomaly(entry);
            Integer original = dl == null || !(dl.evidence().get("originalSeq") instanceof Number seq) ? null
                    : entryOfSeq.get(seq.longValue());
            if (original != null) {
                copiesOf.computeIfAbsent(original, k -> new ArrayList<>()).add(entry.event().seq());
            }
        }
        ArrayNode events = root.putArray("events");
        for (int i = 0; i < timeline.entries().size(); i++) {
            ObjectNode n = event(timeline.entries().get(i));
            ArrayNode as = n.putArray("deadLetteredAs");
            copiesOf.getOrDefault(i, List.of()).forEach(as::add);
            consumption(n, timeline.consumptionOf(timeline.entries().get(i)));
            events.add(n);
        }
        ArrayNode expected = root.putArray("expectedSteps");
        for (ExpectedStep x : timeline.expectedSteps()) {
            ObjectNode xn = expected.addObject();
            xn.put("kind", x.kind().name());
            xn.put("type", x.type());
            xn.put("channel", x.channel());
            xn.put("expectedAt", x.expectedAt().toString());
            xn.put("afterSeq", x.afterSeq());
            xn.put("beforeSeq", x.beforeSeq());
            xn.put("message", x.message());
            xn.put("rule", x.rule());
            xn.set("evidence", MAPPER.valueToTree(x.evidence()));
        }
        return root;
    }

    /**
     * The {@code consumedBy} and {@code notConsumedBy} members of an event (docs/decisions/0021-consumer-groups.md):
     * empty arrays when no followed consumer group reads its topic.
     */
    private static void consumption(ObjectNode n, Consumption c) {
        ArrayNode by = n.putArray("consumedBy");
        ArrayNode notBy = n.putArray("notConsumedBy");
        if (c == null) {
            return;
        }
        for (Consumption.ConsumedBy b : c.consumedBy()) {
            ObjectNode o = by.addObject();
            o.put("group", b.group());
            o.put("committedAt", b.committedAt().toString());
            o.put("delayMs", b.delayMs());
            o.put("timePrecision", b.timePrecision());
        }
        for (Consumption.NotConsumedBy x : c.notConsumedBy()) {
            ObjectNode o = notBy.addObject();
            o.put("group", x.group());
            if (x.lagAtEndRecords() < 0) {
                o.putNull("lagAtEndRecords");
            } else {
                o.put("lagAtEndRecords", x.lagAtEndRecords());
            }
            o.put("stateAtEnd", x.stateAtEnd());
            o.put("membersAtEnd", x.membersAtEnd());
            o.put("stalled", x.stalled());
        }
    }

    /** The entry's DEAD_LETTERED anomaly, or null. */
    private static Anomaly deadLetterAnomaly(TimelineEntry entry) {
        for (Anomaly a : entry.anomalies()) {
            if (a.kind() == AnomalyKind.DEAD_LETTERED) {
                return a;
            }
        }
        return null;
    }

    /**
     * The {@code deadLetter} member: the typed form of the entry's DEAD_LETTERED anomaly (its
     * evidence), with the stack trace its headers carry; JSON null when the entry is not dead-lettered.
     */
    private static JsonNode deadLetter(TimelineEntry entry) {
        Anomaly a = deadLetterAnomaly(entry);
        if (a == null) {
            return MAPPER.nullNode();
        }
        Map<String, Object> ev = a.evidence();
        ObjectNode d = MAPPER.createObjectNode();
        d.put("rule", a.rule());
        d.set("convention", MAPPER.valueToTree(ev.get("convention")));
        d.put("channel", entry.event().channel().name());
        for (String k : List.of("originalChannel", "originalPartition", "originalOffset", "exceptionClass", "reason",
                "attempts", "originalSeq", "linkedBy")) {
            d.set(k, MAPPER.valueToTree(ev.get(k)));
        }
        String trace = DeadLetterStackTraces.of(entry.event().headers());
        d.put("stackTrace", trace == null || trace.length() <= MAX_STACK_TRACE ? trace
                : trace.substring(0, MAX_STACK_TRACE - 1) + "…");
        return d;
    }

    private static ObjectNode event(TimelineEntry entry) {
        CapturedEvent e = entry.event();
        DerivedFields d = e.derived();
        Map<String, Object> attributes = e.source().attributes();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("seq", e.seq());
        n.put("eventId", d.eventIdValue());
        n.put("eventIdSynthetic", d.eventIdSynthetic());
        n.put("type", d.eventTypeValue());
        n.put("channel", e.channel().name());
        n.set("partition", MAPPER.valueToTree(attributes.get("partition")));
        n.set("offset", MAPPER.valueToTree(attributes.get("offset")));
        n.set("position", position(e.source()));
        n.put("key", HeaderValues.text(e.key()));
        n.put("eventTime", d.eventTimeValue() == null ? null : d.eventTimeValue().toString());
        n.put("eventTimeRule", d.eventTime() == null ? null : d.eventTime().rule());
        n.put("observedAt", e.observedAt().toString());
        ArrayNode observations = n.putArray("observations");
        for (CapturedEvent o : entry.observations()) {
            ObjectNode on = observations.addObject();
            on.put("seq", o.seq());
            on.put("sourceKind", o.source().sourceKind());
            on.put("channel", o.channel().name());
            on.set("position", position(o.source()));
            on.put("observedAt", o.observedAt().toString());
        }
        n.put("sequence", d.sequenceValue());
        n.put("causationId", d.causationIdValue());
        ArrayNode anomalies = n.putArray("anomalies");
        for (Anomaly a : entry.anomalies()) {
            ObjectNode an = anomalies.addObject();
            an.put("kind", a.kind().name());
            an.put("message", a.message());
            an.put("rule", a.rule());
            an.set("evidence", MAPPER.valueToTree(a.evidence()));
            an.put("relatedSeq", a.relatedSeq());
        }
        n.set("deadLetter", deadLetter(entry));
        n.set("contract", contract(entry.contract()));
        return n;
    }

    /**
     * The {@code contract} member: which contract applied to the event, why, and its violations
     * (docs/reference/cli-contract.md); JSON null when no contract applied.
     */
    static JsonNode contract(ContractCheck check) {
        return contractTree(check);
    }

    /**
     * The {@code contract} member's object for a check ({@code name}, {@code schema}, {@code matchedBy},
     * {@code passed}, {@code violationCount}, {@code violations}); JSON null for null. Reports embed it.
     */
    public static JsonNode contractTree(ContractCheck check) {
        if (check == null) {
            return MAPPER.nullNode();
        }
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", check.contract());
        n.put("schema", check.schema());
        n.put("matchedBy", check.matchedBy());
        n.put("passed", check.passed());
        n.put("violationCount", check.violationCount());
        ArrayNode list = n.putArray("violations");
        for (ContractViolation v : check.violations()) {
            ObjectNode vn = list.addObject();
            vn.put("pointer", v.pointer());
            vn.put("rule", v.rule());
            vn.put("expected", v.expected());
            vn.put("found", v.found());
            vn.put("message", v.message());
        }
        return n;
    }

    private static JsonNode position(SourcePosition p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("sourceKind", p.sourceKind());
        n.put("description", p.describe());
        n.put("observedTimeMeaning", p.observedTimeMeaning());
        n.set("attributes", MAPPER.valueToTree(p.attributes()));
        return n;
    }
}
