package io.eventlens.core.flowmodel;

import static io.eventlens.core.flowmodel.SyntheticFlows.at;
import static io.eventlens.core.flowmodel.SyntheticFlows.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineJson;
import io.eventlens.core.analysis.VerdictKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow files (docs/reference/flow-files.md): YAML and JSON, the declared rules overriding the
 * learned model, errors naming the line, hostile files, and the documented JSON Schemas
 * (docs/schemas/flows.schema.json for the files, docs/schemas/timeline.schema.json for the judged output).
 */
class FlowFileTest {

    static final String CHECKOUT = """
            # yaml-language-server: $schema=../../docs/schemas/flows.schema.json
            version: 1
            flows:
              - name: checkout
                steps:
                  - type: OrderPlaced
                    channel: orders
                  - type: PaymentAuthorized
                    channel: payments
                    timeout: 2s
                  - parallel:
                      - - type: FraudCleared
                          channel: fraud
                          slo: 150ms
                      - - type: EmailQueued
                          channel: email
                          optional: true
                  - type: OrderShipped
                    channel: shipping
                    terminal: true
            """;

    @TempDir
    Path dir;

    private static FlowFile yaml(String text) {
        return FlowFile.parse(text.getBytes(StandardCharsets.UTF_8), "flows.yaml", false);
    }

    @Test
    void readsStepsOptionalParallelTimeoutsAndTerminalSteps() {
        FlowFile f = yaml(CHECKOUT);
        assertThat(f.problems()).isEmpty();
        DeclaredFlow flow = f.flows().get(0);
        assertThat(flow.name()).isEqualTo("checkout");
        assertThat(flow.line()).isEqualTo(4);
        assertThat(flow.start()).isEqualTo(new Step("OrderPlaced", "orders"));
        assertThat(flow.steps()).hasSize(5);
        DeclaredStep pay = flow.steps().get(1);
        assertThat(pay.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(pay.line()).isEqualTo(8);
        DeclaredStep fraud = flow.steps().get(2);
        DeclaredStep email = flow.steps().get(3);
        assertThat(fraud.slo()).isEqualTo(Duration.ofMillis(150));
        assertThat(email.optional()).isTrue();
        assertThat(fraud.before(email)).isFalse();
        assertThat(email.before(fraud)).isFalse();
        assertThat(pay.before(fraud)).isTrue();
        assertThat(flow.steps().get(4).terminal()).isTrue();
    }

    @Test
    void jsonReadsTheSameAndBothValidateAgainstTheDocumentedSchema() throws Exception {
        JsonNode tree = new YAMLMapper().readTree(CHECKOUT);
        byte[] json = new ObjectMapper().writeValueAsBytes(tree);
        FlowFile fromJson = FlowFile.parse(json, "flows.json", true);
        assertThat(fromJson.problems()).isEmpty();
        assertThat(fromJson.flows().get(0).steps()).extracting(DeclaredStep::step)
                .isEqualTo(yaml(CHECKOUT).flows().get(0).steps().stream().map(DeclaredStep::step).toList());
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Path.of("..", "docs", "schemas", "flows.schema.json")));
        assertThat(schema.validate(tree)).isEmpty();
        assertThat(schema.validate(new YAMLMapper().readTree(FlowFileWriter.write(learned().model, "learned")))).isEmpty();
    }

    private record Learned(SyntheticFlows flows, FlowModel model) {
    }

    /** 30 flows OrderPlaced → PaymentAuthorized → FraudCleared → OrderShipped, plus test flows. */
    private static Learned learned() {
        SyntheticFlows s = new SyntheticFlows();
        Random r = new Random(3);
        for (int i = 0; i < 30; i++) {
            long t = i * 1000L;
            s.flow("ok-" + i, steps("OrderPlaced@orders", "PaymentAuthorized@payments", "FraudCleared@fraud",
                    "OrderShipped@shipping"), at(t, t + 50 + r.nextInt(50), t + 150 + r.nextInt(50), t + 250 + r.nextInt(50)));
        }
        s.flow("no-fraud", steps("OrderPlaced@orders", "PaymentAuthorized@payments", "OrderShipped@shipping"),
                at(40_000, 40_100, 40_200));
        s.flow("stop-pay", steps("OrderPlaced@orders", "PaymentAuthorized@payments"), at(41_000, 41_100));
        s.flow("stop-order", steps("OrderPlaced@orders"), at(42_000));
        s.flow("slow-fraud", steps("OrderPlaced@orders", "PaymentAuthorized@payments", "FraudCleared@fraud",
                "OrderShipped@shipping"), at(43_000, 43_100, 43_400, 43_500));
        s.add("tail", "Other", "other", 45_000);
        return new Learned(s, s.learn());
    }

    @Test
    void declaredBeatsLearned() {
        Learned l = learned();
        // learned: FraudCleared is missing, PaymentAuthorized is late (learned limit ~150 ms)
        assertThat(l.flows().timeline(l.model(), "no-fraud").verdict().kind()).isEqualTo(VerdictKind.MISSING_STEP);
        FlowModel declared = l.model().withDeclared(yaml("""
                flows:
                  - name: checkout
                    steps:
                      - {type: OrderPlaced, channel: orders}
                      - {type: PaymentAuthorized, channel: payments, timeout: 10s}
                      - {type: FraudCleared, channel: fraud, optional: true, slo: 200ms}
                      - {type: OrderShipped, channel: shipping, terminal: true}
                """).flows());
        // declared: FraudCleared is optional, so nothing is missing
        Timeline noFraud = l.flows().timeline(declared, "no-fraud");
        assertThat(noFraud.verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
        // declared timeout 10 s: the capture ended 4 s after OrderPlaced, so it is still in flight
        Timeline order = l.flows().timeline(declared, "stop-order");
        assertThat(order.verdict().kind()).isEqualTo(VerdictKind.IN_FLIGHT);
        assertThat(order.verdict().message()).contains("is declared next by checkout (flows.yaml line 5) within 10 s"
                + " (declared timeout)");
        // no timeout declared for OrderShipped after PaymentAuthorized: the learned figure is not of that hop,
        // so the default 30 s applies and the flow is in flight
        Timeline pay = l.flows().timeline(declared, "stop-pay");
        assertThat(pay.verdict().kind()).isEqualTo(VerdictKind.IN_FLIGHT);
        assertThat(pay.verdict().message()).contains("OrderShipped on shipping is declared next").contains("default timeout");
        // declared SLO 200 ms on FraudCleared: 300 ms is LAG
        Timeline slow = l.flows().timeline(declared, "slow-fraud");
        assertThat(slow.verdict().kind()).isEqualTo(VerdictKind.LAG);
        assertThat(slow.entries().get(2).anomalies()).anySatisfy(a -> assertThat(a.rule()).isEqualTo("lag.declared-slo"));

        FlowModel strict = l.model().withDeclared(yaml("""
                flows:
                  - name: checkout
                    steps:
                      - {type: OrderPlaced, channel: orders}
                      - {type: PaymentAuthorized, channel: payments, timeout: 1s}
                      - {type: FraudCleared, channel: fraud}
                      - {type: OrderShipped, channel: shipping, terminal: true}
                """).flows());
        Timeline strictNoFraud = l.flows().timeline(strict, "no-fraud");
        assertThat(strictNoFraud.verdict().kind()).isEqualTo(VerdictKind.MISSING_STEP);
        assertThat(strictNoFraud.entries().get(2).anomalies()).anySatisfy(a -> {
            assertThat(a.kind()).isEqualTo(AnomalyKind.MISSING_STEP);
            assertThat(a.rule()).isEqualTo("expected.declared-before");
            assertThat(a.message()).isEqualTo("FraudCleared on fraud is declared before OrderShipped on shipping by"
                    + " checkout (flows.yaml line 6); this flow skipped it");
        });
        Timeline strictOrder = l.flows().timeline(strict, "stop-order");
        assertThat(strictOrder.verdict().kind()).isEqualTo(VerdictKind.STOPPED);
        assertThat(strictOrder.verdict().message()).isEqualTo("stopped: after OrderPlaced on orders, PaymentAuthorized"
                + " on payments is declared next by checkout (flows.yaml line 5) within 1 s (declared timeout);"
                + " none came in 3 s");
    }

    @Test
    void judgedTimelinesValidateAgainstTheTimelineSchema() throws Exception {
        Learned l = learned();
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Path.of("..", "docs", "schemas", "timeline.schema.json")));
        for (String id : new String[] {"no-fraud", "stop-pay", "stop-order", "slow-fraud", "ok-1"}) {
            Timeline t = l.flows().timeline(l.model(), id);
            JsonNode out = new ObjectMapper().readTree(TimelineJson.write(t));
            assertThat(schema.validate(out, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true))))
                    .as(id).isEmpty();
        }
        assertThat(new ObjectMapper().readTree(TimelineJson.write(l.flows().timeline(l.model(), "stop-pay")))
                .path("expectedSteps").get(0).path("kind").asText()).isEqualTo("STOPPED");
    }

    @Test
    void theLearnedModelSavedAsAFlowFileReadsBack() throws Exception {
        Learned l = learned();
        String text = FlowFileWriter.write(l.model(), "run.mv.db");
        Path file = dir.resolve("learned.flows.yaml");
        Files.writeString(file, text);
        FlowFile back = FlowFile.read(file);
        assertThat(back.problems()).isEmpty();
        assertThat(back.flows()).singleElement().satisfies(f -> {
            assertThat(f.steps()).extracting(DeclaredStep::step).containsExactly(new Step("OrderPlaced", "orders"),
                    new Step("PaymentAuthorized", "payments"), new Step("FraudCleared", "fraud"),
                    new Step("OrderShipped", "shipping"));
            assertThat(f.steps().get(3).terminal()).isTrue();
            assertThat(f.steps().get(1).timeout()).isNotNull();
        });
    }

    @Test
    void badMembersNameTheLineAndKeepTheValidFlows() {
        FlowFile f = yaml("""
                flows:
                  - name: good
                    steps:
                      - {type: A, channel: a}
                  - name: bad-timeout
                    steps:
                      - {type: B, channel: b}
                      - type: C
                        channel: c
                        timeout: 2 parsecs
                  - name: no-channel
                    steps:
                      - {type: D}
                  - name: parallel-first
                    steps:
                      - parallel: [[{channel: x}], [{channel: y}]]
                  - name: good
                    steps:
                      - {type: E, channel: e}
                  - steps:
                      - {type: F, channel: f, colour: red}
                """);
        assertThat(f.flows()).extracting(DeclaredFlow::name).containsExactly("good");
        assertThat(f.problems()).containsExactly(
                "flows.yaml:10: flows[1].steps[1].timeout: '2 parsecs' is not a duration from 1 ms to 7 days (500ms, 2s,"
                        + " 1.5s, 1m, PT2S) (flow left out)",
                "flows.yaml:13: flows[2].steps[0].channel: required (flow left out)",
                "flows.yaml:16: flows[3].steps[0]: the first step cannot be parallel: it names the family (flow left out)",
                "flows.yaml:17: flows[4].name: 'good' is declared twice (flow left out)",
                "flows.yaml:20: flows[5].name: required (flow left out)");
    }

    @Test
    void malformedFilesFailNamingLineAndColumn() {
        assertThatThrownBy(() -> yaml("flows:\n  - name: x\n    steps: [\n"))
                .isInstanceOf(FlowFileException.class).hasMessageStartingWith("flows.yaml:").hasMessageContaining("not well-formed YAML");
        assertThatThrownBy(() -> FlowFile.parse("{\"flows\": [}".getBytes(StandardCharsets.UTF_8), "f.json", true))
                .isInstanceOf(FlowFileException.class).hasMessageStartingWith("f.json:1:");
        assertThatThrownBy(() -> yaml("- just\n- a list\n")).isInstanceOf(FlowFileException.class)
                .hasMessage("flows.yaml:1:1: the file must be an object with 'flows:', was a list");
        assertThatThrownBy(() -> yaml("version: 2\nflows: []\n")).isInstanceOf(FlowFileException.class)
                .hasMessage("flows.yaml:1:10: version: this EventLens reads flow files of version 1");
        assertThatThrownBy(() -> yaml("flows:\n  - a: 1\n    a: 2\n")).isInstanceOf(FlowFileException.class)
                .hasMessageStartingWith("flows.yaml:");
        assertThatThrownBy(() -> yaml("")).isInstanceOf(FlowFileException.class).hasMessageContaining("empty flow file");
    }

    @Test
    void hostileFilesFailCleanly() {
        // nesting past the limit
        String deep = "flows: " + "[".repeat(200) + "]".repeat(200);
        assertThatThrownBy(() -> yaml(deep)).isInstanceOf(FlowFileException.class);
        assertThatThrownBy(() -> FlowFile.parse(deep.substring(7).getBytes(StandardCharsets.UTF_8), "d.json", true))
                .isInstanceOf(FlowFileException.class);
        // billion laughs: aliases past the limit
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'j'; c++) {
            char p = (char) (c - 1);
            laughs.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        laughs.append("flows: *j\n");
        assertThatThrownBy(() -> yaml(laughs.toString())).isInstanceOf(FlowFileException.class);
        // too large
        byte[] big = new byte[FlowFile.MAX_BYTES + 1];
        assertThatThrownBy(() -> FlowFile.parse(big, "big.yaml", false)).isInstanceOf(FlowFileException.class)
                .hasMessageContaining("too large");
        // binary garbage, control characters in names, a Java type tag
        assertThatThrownBy(() -> FlowFile.parse(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe}, "bin.yaml", false))
                .isInstanceOf(FlowFileException.class);
        FlowFile ctl = yaml("flows:\n  - name: \"a\\u0007b\"\n    steps: [{channel: c}]\n");
        assertThat(ctl.flows()).isEmpty();
        assertThat(ctl.problems()).singleElement().asString().startsWith("flows.yaml:2: flows[0].name: must be 1 to 1000");
        FlowFile tagged = yaml("flows:\n  - name: !!javax.script.ScriptEngineManager [x]\n    steps: [{channel: c}]\n");
        assertThat(tagged.flows()).isEmpty();
        // wrong types everywhere
        FlowFile types = yaml("flows:\n  - name: 5\n    steps: {a: 1}\n  - name: n\n    steps: [{channel: c, optional: yes-please}]\n");
        assertThat(types.flows()).isEmpty();
        assertThat(types.problems()).hasSize(2);
        // a huge but allowed number of steps
        StringBuilder many = new StringBuilder("flows:\n  - name: many\n    steps:\n");
        for (int i = 0; i <= FlowFile.MAX_STEPS; i++) {
            many.append("      - {channel: c").append(i).append("}\n");
        }
        FlowFile tooMany = yaml(many.toString());
        assertThat(tooMany.flows()).isEmpty();
        assertThat(tooMany.problems()).singleElement().asString().contains("more than 500 steps");
    }

    @Test
    void durationsWithUnits() {
        assertThat(FlowFile.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(FlowFile.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FlowFile.parseDuration("2 min")).isEqualTo(Duration.ofMinutes(2));
        assertThat(FlowFile.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(FlowFile.parseDuration("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(FlowFile.parseDuration("2")).isNull();
        assertThat(FlowFile.parseDuration("P")).isNull();
    }
}
