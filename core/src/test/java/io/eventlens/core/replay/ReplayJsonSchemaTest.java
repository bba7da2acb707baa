package io.eventlens.core.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import io.eventlens.core.store.ReplayLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replay summary validates against docs/schemas/replay-summary.schema.json: a dry run and a run with its comparison. */
class ReplayJsonSchemaTest {

    private static com.networknt.schema.Schema schema() throws Exception {
        Path schemaFile = Path.of("..", "docs", "schemas", "replay-summary.schema.json");
        assertThat(schemaFile).as("the documented schema, relative to the core module").isRegularFile();
        return com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(schemaFile));
    }

    private static void assertValid(ObjectNode json) throws Exception {
        String text = ReplayJson.write(json);
        assertThat(schema().validate(text, com.networknt.schema.InputFormat.JSON,
                ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)))).as("schema errors of %s", text).isEmpty();
    }

    @Test
    void aDryRunAndARunWithItsComparisonValidate() throws Exception {
        List<CapturedEvent> events = List.of(ReplayEvents.order(1, 0, "k", 0, "c-1", "e-1", 1, "A"),
                ReplayEvents.kafka(2, "orders", 0, 2, null, 5, List.of(Header.ofString("correlationId", "c-1"),
                        new Header("bin", new byte[] {(byte) 0xff})), null));
        ReplayPlan plan = ReplayPlanner.plan(events, new ReplayTarget.Kafka("localhost:9092", Map.of(), EnvironmentLabel.TEST),
                ReplayOptions.builder().map("orders", "orders-test").setHeader("x", "1").removeHeader("y")
                        .timing(new ReplayTiming(2.0, java.time.Duration.ofSeconds(1), 5)).build());
        ObjectNode dry = ReplayJson.summary(plan, true, "test", null, null, null);
        dry.putNull("refusal");
        assertValid(dry);

        ReplayResult result = new ReplayResult(plan.replayId(), plan.replayCorrelationId(), "FAILED", 2, 1, 0, 0, 1,
                List.of(new ReplayResult.SendReport(0, ReplayLog.Outcome.SENT, "p0@1", null),
                        new ReplayResult.SendReport(1, ReplayLog.Outcome.FAILED, null, "refused")),
                GapFidelity.of(List.of(0L, 2_500_000L), List.of(0L, 2_600_000L)), 12);
        var analyzer = TimelineAnalyzer.withDefaults();
        ReplayComparison comparison = ReplayComparison.compare(analyzer.analyze("c-1", events),
                analyzer.analyze(plan.replayCorrelationId(), List.of()));
        ObjectNode run = ReplayJson.summary(plan, false, "test", "cluster-1", result, comparison);
        assertValid(run);

        run.put("undocumented", 1);   // the schema is closed: the test notices an undocumented member
        assertThat(schema().validate(ReplayJson.write(run), com.networknt.schema.InputFormat.JSON)).isNotEmpty();
    }
}
