package io.eventlens.core.analysis;

import static io.eventlens.core.analysis.Ev.ev;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real {@link TimelineJson} output validates against the documented JSON Schema, docs/schemas/timeline.schema.json. */
class TimelineJsonSchemaTest {

    private static final Path SCHEMA_FILE = Path.of("..", "docs", "schemas", "timeline.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        assertThat(SCHEMA_FILE).as("the documented schema, relative to the core module").isRegularFile();
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(SCHEMA_FILE));
    }

    private static List<Error> errors(JsonNode output) {
        return schema.validate(output, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
    }

    private static JsonNode output(Timeline t) throws Exception {
        return JSON.readTree(TimelineJson.write(t));
    }

    /** A timeline with every anomaly the analysis finds today, two sources, a binary key and a synthetic ID. */
    private static Timeline everything() {
        Channel raw = Channel.kafkaTopic("raw");
        byte[] key = {(byte) 0xff, 0x00};
        byte[] payload = "not json".getBytes(StandardCharsets.UTF_8);
        CapturedEvent binary = new CapturedEvent(20, raw, new SourcePosition.Kafka(0, 0, TimestampType.LOG_APPEND_TIME),
                Ev.T0.plusMillis(9000), Ev.T0.plusMillis(9000), key, List.of(), payload,
                EventExtractor.withDefaults().extract(raw, key, List.of(), payload));
        List<CapturedEvent> events = new ArrayList<>(List.of(
                ev(1).id("a").key("k").seqNo(1).payload("{\"a\":1}").build(),
                ev(2).probe("poll-1#0").at(20).id("a").payload("{ \"a\": 1.0 }").build(),   // second observation
                ev(3).at(100).key("k").seqNo(3).id("b").build(),
                ev(4).at(150).key("k").seqNo(2).id("c").build(),                             // out of order
                ev(5).at(200).key("k").seqNo(1).id("d").build(),                             // restart
                ev(6).at(250).id("a").payload("{\"a\":2}").build(),                          // conflicting duplicate
                ev(7).probe("poll-2#0").at(300).id("b").payload("{\"other\":true}").build(), // conflicting across sources
                ev(8).on("payments").at(5000).id("e").payload("P").eventTime(-1000).build(),           // lag
                ev(9).on("payments").at(5100).id("e").payload("P").eventTime(-1000).build(),           // duplicate
                ev(10).on("orders.DLT").at(6000).id("a").payload("{\"a\":1}")
                        .header("kafka_dlt-exception-message", "boom").build(),             // dead-lettered
                ev(11).at(6100).id("f").headerInt("kafka_deliveryAttempt", 3).eventTime(9000).build())); // retried, skew
        events.add(binary);
        return TimelineAnalyzer.withDefaults().analyze("c-1", events);
    }

    @Test
    void everyAnomalyKindTheAnalysisFindsValidates() throws Exception {
        Timeline t = everything();
        assertThat(t.anomalyCounts()).as("the sample covers what it claims to")
                .allSatisfy((kind, n) -> {
                    if (kind != AnomalyKind.MISSING_STEP && kind != AnomalyKind.FOREIGN_EVENT) {
                        assertThat(n).as("%s findings", kind).isPositive();
                    }
                });
        assertThat(t.entries()).anySatisfy(e -> assertThat(e.observations()).hasSize(2));
        assertThat(errors(output(t))).isEmpty();
    }

    @Test
    void anEmptyTimelineValidates() throws Exception {
        assertThat(errors(output(TimelineAnalyzer.withDefaults().analyze("nobody", List.of())))).isEmpty();
    }

    /** The members {@code eventlens timeline} adds after {@link TimelineJson}'s (docs/reference/cli-contract.md). */
    @Test
    void theTimelineCommandsOwnMembersValidate() throws Exception {
        ObjectNode cli = (ObjectNode) output(everything());
        cli.put("damagedBlocks", 0);
        cli.put("storedEvents", 250_000);
        cli.put("truncated", true);
        assertThat(errors(cli)).isEmpty();

        cli.put("truncated", "yes");
        assertThat(errors(cli)).as("truncated as a string").isNotEmpty();
        cli.put("truncated", false);
        cli.put("storedEvents", -1);
        assertThat(errors(cli)).as("a negative count").isNotEmpty();
    }

    @Test
    void theSchemaRejectsOutputThatBreaksTheContract() throws Exception {
        ObjectNode noVersion = (ObjectNode) output(everything());
        noVersion.remove("schemaVersion");
        assertThat(errors(noVersion)).as("without schemaVersion").isNotEmpty();

        ObjectNode undocumented = (ObjectNode) output(everything());
        ((ObjectNode) undocumented.path("events").get(0)).put("undocumented", 1);
        assertThat(errors(undocumented)).as("with an undocumented member").isNotEmpty();

        ObjectNode badTime = (ObjectNode) output(everything());
        ((ObjectNode) badTime.path("events").get(0)).put("observedAt", "yesterday");
        assertThat(errors(badTime)).as("with a time that is not ISO-8601").isNotEmpty();

        ObjectNode unknownKind = (ObjectNode) output(everything());
        ((ObjectNode) unknownKind.path("verdict")).put("kind", "FINE");
        assertThat(errors(unknownKind)).as("with an unknown verdict kind").isNotEmpty();
    }
}
