package io.eventlens.core.triage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.artifact.ArtifactProblem;
import io.eventlens.core.artifact.FailedTest;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The triage report as JSON for scripts ({@code report --format json}), the shape of
 * docs/schemas/triage-report.schema.json: {@code schemaVersion}, {@code run} (tests, failed tests,
 * events, observed span, run window, coverage), {@code failedTests} (each with its {@code verdict},
 * {@code match}, {@code timeoutMs}, {@code hint} and {@code correlationIds}, worst verdict first) and
 * {@code problems}.
 */
public final class TriageJson {

    /** Version of the JSON shape; raised when a member changes meaning or is removed. */
    public static final int SCHEMA_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TriageJson() {
    }

    /** The report as pretty-printed JSON. */
    public static String write(TriageReport report) {
        try {
            return MAPPER.writeValueAsString(toTree(report)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write the triage report as JSON", e);
        }
    }

    /** The report as a JSON tree. */
    public static ObjectNode toTree(TriageReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        ArrayNode sources = root.putArray("sources");
        r.sources().forEach(sources::add);
        ObjectNode run = root.putObject("run");
        run.put("tests", r.testCount());
        run.put("failedTests", r.failed().size());
        run.put("events", r.events());
        putTime(run, "firstObservedAt", r.firstObserved());
        putTime(run, "lastObservedAt", r.lastObserved());
        putTime(run, "start", r.runStart());
        putTime(run, "end", r.runEnd());
        if (r.coverage() < 0) {
            run.putNull("coverage");
        } else {
            run.put("coverage", Math.round(r.coverage() * 1000) / 1000.0);
        }
        ArrayNode tests = root.putArray("failedTests");
        for (TestTriage t : r.failed()) {
            tests.add(test(t));
        }
        root.put("problemCount", r.problemCount());
        ArrayNode problems = root.putArray("problems");
        for (ArtifactProblem p : r.problems()) {
            ObjectNode n = problems.addObject();
            n.put("file", p.file());
            n.put("line", p.line());
            n.put("message", p.message());
        }
        return root;
    }

    private static ObjectNode test(TestTriage t) {
        FailedTest f = t.test();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", f.name());
        n.put("className", f.className());
        n.put("suite", f.suite());
        n.put("report", f.report());
        n.put("outcome", f.errored() ? "error" : "failure");
        n.put("message", f.summary());
        putTime(n, "start", f.start());
        putTime(n, "end", f.end());
        if (t.timeout() == null) {
            n.putNull("timeoutMs");
        } else {
            n.put("timeoutMs", t.timeout().toMillis());
        }
        n.put("verdict", t.headline());
        n.put("match", t.match().name());
        n.put("hint", t.hint());
        ArrayNode ids = n.putArray("correlationIds");
        for (Timeline tl : t.timelines()) {
            ObjectNode i = ids.addObject();
            i.put("correlationId", tl.correlationId());
            i.put("events", tl.entries().size());
            ObjectNode v = i.putObject("verdict");
            v.put("kind", tl.verdict().kind().name());
            v.put("message", tl.verdict().message());
            ObjectNode counts = i.putObject("anomalies");
            for (Map.Entry<AnomalyKind, Integer> c : tl.anomalyCounts().entrySet()) {
                if (c.getValue() > 0) {
                    counts.put(c.getKey().name(), c.getValue());
                }
            }
            ArrayNode broken = i.putArray("contractViolations");
            for (io.eventlens.core.analysis.TimelineEntry e : tl.entries()) {
                if (e.contract() != null && !e.contract().passed()) {
                    ObjectNode b = broken.addObject();
                    b.put("seq", e.event().seq());
                    b.put("channel", e.event().channel().name());
                    b.put("type", e.event().derived().eventTypeValue());
                    b.setAll((ObjectNode) io.eventlens.core.analysis.TimelineJson.contractTree(e.contract()));
                }
            }
        }
        return n;
    }

    private static void putTime(ObjectNode n, String name, Instant t) {
        if (t == null) {
            n.putNull(name);
        } else {
            n.put(name, t.toString());
        }
    }
}
