package io.eventlens.core.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.core.model.Header;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON of a replay (docs/reference/replay.md, "JSON summary", {@code schemaVersion} 1): the plan
 * that {@code --dry-run} prints, and the same with each send's outcome, the result and the
 * comparison after a run. Stateless and thread-safe.
 */
public final class ReplayJson {

    /** The summary's schema version. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReplayJson() {
    }

    /** The options of a plan as a JSON object (also logged with the run). */
    public static ObjectNode options(ReplayOptions o) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode map = n.putObject("map");
        o.channelMap().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> map.put(e.getKey(), e.getValue()));
        n.put("freshCorrelationId", o.freshCorrelationId());
        n.put("keepEventIds", o.keepEventIds());
        n.put("keepPartitions", o.keepPartitions());
        n.put("redrive", o.redrive());
        n.put("keepDeadLetterHeaders", o.keepDeadLetterHeaders());
        n.put("shiftEventTimes", o.shiftEventTimes());
        n.put("repeat", o.repeat());
        if (o.timing().speed() == null) {
            n.putNull("speed");
        } else {
            n.put("speed", o.timing().speed());
        }
        if (o.timing().gapCap() == null) {
            n.putNull("gapCapMs");
        } else {
            n.put("gapCapMs", o.timing().gapCap().toMillis());
        }
        n.put("maxRate", o.timing().maxRate());
        ObjectNode set = n.putObject("setHeaders");
        o.setHeaders().forEach(set::put);
        ArrayNode rm = n.putArray("removeHeaders");
        o.removeHeaders().stream().sorted().forEach(rm::add);
        return n;
    }

    /** {@link #options} as compact text. */
    public static String optionsText(ReplayOptions o) {
        return options(o).toString();
    }

    /**
     * The summary.
     *
     * @param plan        the plan
     * @param dryRun      true when nothing was sent
     * @param environment the target's environment label, or null
     * @param clusterId   the Kafka cluster ID read from the target, or null
     * @param result      the run's result, or null (dry run)
     * @param comparison  the comparison of original and replayed flows, or null
     */
    public static ObjectNode summary(ReplayPlan plan, boolean dryRun, String environment, String clusterId,
                                     ReplayResult result, ReplayComparison comparison) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("dryRun", dryRun);
        root.put("replayId", plan.replayId());
        ArrayNode ids = root.putArray("originalCorrelationIds");
        plan.originalCorrelationIds().forEach(ids::add);
        root.put("replayCorrelationId", plan.replayCorrelationId());
        ObjectNode target = root.putObject("target");
        target.put("kind", plan.target().kind());
        target.put("endpoint", plan.target().endpoint());
        target.put("environment", environment);
        target.put("clusterId", clusterId);
        root.set("options", options(plan.options()));
        ArrayNode problems = root.putArray("problems");
        plan.problems().forEach(problems::add);
        Map<Integer, ReplayResult.SendReport> outcomes = new HashMap<>();
        if (result != null) {
            result.sends().forEach(r -> outcomes.put(r.index(), r));
        }
        ArrayNode sends = root.putArray("sends");
        for (PlannedSend s : plan.sends()) {
            ObjectNode n = sends.addObject();
            n.put("index", s.index());
            n.put("round", s.round());
            n.put("sourceSeq", s.sourceSeq());
            n.put("sourceChannel", s.sourceChannel());
            n.put("targetChannel", s.targetChannel());
            n.put("routingKey", s.routingKey());
            if (s.partition() == null) {
                n.putNull("partition");
            } else {
                n.put("partition", s.partition());
            }
            n.put("key", bytesText(s.key()));
            n.put("eventId", s.eventId());
            n.put("dueAfterMs", s.askedOffsetNanos() / 1_000_000.0);
            ArrayNode headers = n.putArray("headers");
            for (Header h : s.headers()) {
                ObjectNode hn = headers.addObject();
                hn.put("name", h.name());
                hn.put("value", bytesText(h.value()));
            }
            String text = Rewrites.utf8OrNull(s.payload());
            n.put("payloadEncoding", s.payload() == null ? null : text != null ? "utf-8" : "base64");
            n.put("payload", s.payload() == null ? null : text != null ? text : Base64.getEncoder().encodeToString(s.payload()));
            ArrayNode rewrites = n.putArray("rewrites");
            s.rewrites().forEach(rewrites::add);
            ReplayResult.SendReport r = outcomes.get(s.index());
            n.put("outcome", r == null ? (dryRun ? null : "NOT_SENT") : r.outcome().name());
            n.put("position", r == null ? null : r.position());
            n.put("message", r == null ? null : r.message());
        }
        if (result == null) {
            root.putNull("result");
        } else {
            root.set("result", result(result));
        }
        if (comparison == null) {
            root.putNull("comparison");
        } else {
            root.set("comparison", comparison.toJson());
        }
        return root;
    }

    /** The result part of the summary. */
    public static ObjectNode result(ReplayResult r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("state", r.state());
        n.put("total", r.total());
        n.put("sent", r.sentNow());
        n.put("alreadySent", r.alreadySent());
        n.put("reconciled", r.reconciled());
        n.put("remaining", r.remaining());
        ArrayNode failed = n.putArray("failed");
        r.sends().stream().filter(s -> s.outcome() != io.eventlens.core.store.ReplayLog.Outcome.SENT).forEach(s -> {
            ObjectNode f = failed.addObject();
            f.put("index", s.index());
            f.put("outcome", s.outcome().name());
            f.put("message", s.message());
        });
        n.put("elapsedMs", r.elapsedMs());
        ObjectNode g = n.putObject("gapFidelity");
        g.put("gaps", r.gapFidelity().gaps());
        putDouble(g, "medianRatio", r.gapFidelity().medianRatio());
        putDouble(g, "minRatio", r.gapFidelity().minRatio());
        putDouble(g, "maxRatio", r.gapFidelity().maxRatio());
        return n;
    }

    private static void putDouble(ObjectNode n, String name, Double v) {
        if (v == null) {
            n.putNull(name);
        } else {
            n.put(name, Math.round(v * 1000) / 1000.0);
        }
    }

    /** Bytes as UTF-8 text when valid, else {@code 0x}-hex; null stays null (as the timeline JSON writes keys). */
    static String bytesText(byte[] b) {
        if (b == null) {
            return null;
        }
        String t = Rewrites.utf8OrNull(b);
        return t != null ? t : "0x" + java.util.HexFormat.of().formatHex(b);
    }

    /** Pretty-printed text of a node. */
    public static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }
}
