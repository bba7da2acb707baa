package io.eventlens.core.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.Map;

/**
 * The machine-readable form of a {@link Timeline}: the contract of {@code timeline --format json}
 * (DESIGN.md, "Machine-readable contract"), which CI users script against. Shape (pretty-printed,
 * members in this order; absent values are JSON {@code null}, times are ISO-8601 UTC):
 * <pre>
 * {
 *   "correlationId": "c-42",
 *   "verdict": {"kind": "LAG", "message": "...", "atSeq": 7},
 *   "summary": {"events": 5, "anomalies": 2,
 *               "byKind": {"DUPLICATE": 1, "CONFLICTING_DUPLICATE": 0, ... every AnomalyKind ...}},
 *   "events": [ {                       // observed order
 *     "seq": 7, "eventId": "e-1", "eventIdSynthetic": false, "type": "OrderPlaced",
 *     "channel": "orders", "partition": 0, "offset": 12,
 *     "key": "k-1",                     // UTF-8 text; binary keys as 0x-hex; null when absent
 *     "eventTime": "2026-11-22T04:00:00Z", "observedAt": "2026-11-22T04:00:00.120Z",
 *     "sequence": 3, "causationId": null,
 *     "anomalies": [ {"kind": "LAG", "message": "orders → payments took 4.2 s, SLO 2 s",
 *                     "rule": "lag.previous-step", "evidence": {"gapMs": 4200, ...}, "relatedSeq": 6} ]
 *   } ]
 * }
 * </pre>
 * {@code partition} and {@code offset} are {@code null} for sources without them.
 */
public final class TimelineJson {

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
        root.put("correlationId", timeline.correlationId());

        ObjectNode verdict = root.putObject("verdict");
        verdict.put("kind", timeline.verdict().kind().name());
        verdict.put("message", timeline.verdict().message());
        verdict.put("atSeq", timeline.verdict().atSeq());

        Map<AnomalyKind, Integer> counts = timeline.anomalyCounts();
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        ObjectNode summary = root.putObject("summary");
        summary.put("events", timeline.entries().size());
        summary.put("anomalies", total);
        ObjectNode byKind = summary.putObject("byKind");
        counts.forEach((k, n) -> byKind.put(k.name(), n));

        ArrayNode events = root.putArray("events");
        for (TimelineEntry entry : timeline.entries()) {
            events.add(event(entry));
        }
        return root;
    }

    private static ObjectNode event(TimelineEntry entry) {
        CapturedEvent e = entry.event();
        DerivedFields d = e.derived();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("seq", e.seq());
        n.put("eventId", d.eventIdValue());
        n.put("eventIdSynthetic", d.eventIdSynthetic());
        n.put("type", d.eventTypeValue());
        n.put("channel", e.channel().name());
        if (e.source() instanceof SourcePosition.Kafka k) {
            n.put("partition", k.partition());
            n.put("offset", k.offset());
        } else {
            n.putNull("partition");
            n.putNull("offset");
        }
        n.put("key", HeaderValues.text(e.key()));
        n.put("eventTime", d.eventTimeValue() == null ? null : d.eventTimeValue().toString());
        n.put("observedAt", e.observedAt().toString());
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
        return n;
    }
}
