package io.eventlens.core.analysis;

import static io.eventlens.core.analysis.Ev.ev;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT_VIOLATION findings and their verdicts (docs/reference/anomalies-and-verdicts.md,
 * "Contract violations"): a dead letter whose payload, or its original's, broke the contract says
 * so first; a dead-letter copy is checked against its original channel's contract.
 */
class ContractVerdictTest {

    /** orders/v1 breaks when the payload contains a comma in the total, i.e. "total":"12,50". */
    private static ContractCheck orders(CapturedEvent e, String channel) {
        if (!channel.equals("orders")) {
            return null;
        }
        String payload = new String(e.payload(), java.nio.charset.StandardCharsets.UTF_8);
        return new ContractCheck("orders/v1", "orders.json", "channel orders (any type)",
                payload.contains(",50") ? List.of(new ContractViolation("/total", "type", "number", "\"12,50\"",
                        "expected number, got string")) : List.of());
    }

    private static Timeline analyze(CapturedEvent... events) {
        return TimelineAnalyzer.withDefaults().withContracts(ContractVerdictTest::orders).analyze("c-1", List.of(events));
    }

    @Test
    void aDeadLetterWhoseOriginalBrokeTheContractSaysSoFirst() {
        Timeline t = analyze(
                ev(1).id("o-1").type("OrderPlaced").payload("{\"total\":\"12,50\"}").build(),
                ev(2).on("orders.DLT").at(1500).id("o-1").type("OrderPlaced").payload("{\"total\":\"12,50\"}")
                        .header("kafka_dlt-original-topic", "orders").headerInt("kafka_dlt-original-partition", 0)
                        .headerLong("kafka_dlt-original-offset", 1)
                        .header("kafka_dlt-exception-message", "Cannot deserialize value of type BigDecimal").build());
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.DEAD_LETTERED);
        assertThat(t.verdict().message()).startsWith(
                "dead-lettered because the payload broke orders/v1 at /total: expected number, got string; dead-lettered on orders.DLT");
        assertThat(t.verdict().atSeq()).isEqualTo(2);
        TimelineEntry original = t.entries().get(0);
        assertThat(original.contract().passed()).isFalse();
        assertThat(original.anomalies()).filteredOn(a -> a.kind() == AnomalyKind.CONTRACT_VIOLATION).singleElement()
                .satisfies(a -> {
                    assertThat(a.rule()).isEqualTo("contract.schema");
                    assertThat(a.message()).isEqualTo("OrderPlaced on orders violates orders/v1 at /total: expected number, got string");
                    assertThat(a.evidence()).containsEntry("contract", "orders/v1").containsEntry("pointer", "/total")
                            .containsEntry("violationRule", "type").containsEntry("found", "\"12,50\"")
                            .containsEntry("violations", 1);
                });
        // the copy on the dead-letter channel is checked against its original channel's contract
        TimelineEntry copy = t.entries().get(1);
        assertThat(copy.contract()).isNotNull();
        assertThat(copy.anomalies()).extracting(Anomaly::kind)
                .containsExactly(AnomalyKind.DEAD_LETTERED, AnomalyKind.CONTRACT_VIOLATION);
        assertThat(copy.anomalies().get(1).message()).contains("on orders.DLT (contract of orders) violates orders/v1");
    }

    @Test
    void aDeadLetterWithAValidPayloadKeepsItsPlainVerdict() {
        Timeline t = analyze(
                ev(1).id("o-1").payload("{\"total\":12.5}").build(),
                ev(2).on("orders.DLT").at(1500).id("o-1").payload("{\"total\":12.5}")
                        .header("kafka_dlt-exception-message", "credit limit").build());
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.DEAD_LETTERED);
        assertThat(t.verdict().message()).startsWith("dead-lettered on orders.DLT");
        assertThat(t.entries()).allSatisfy(e -> assertThat(e.contract().passed()).isTrue());
    }

    @Test
    void aViolationWithoutDeadLetterIsTheVerdictBeforeConflictsAndLag() {
        Timeline t = analyze(
                ev(1).id("o-1").payload("{\"total\":\"12,50\"}").build(),
                ev(2).on("payments").at(9000).id("p-1").payload("{}").build());   // lag too
        assertThat(t.has(AnomalyKind.LAG)).isTrue();
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.CONTRACT_VIOLATION);
        assertThat(t.verdict().message()).isEqualTo("contract violation: event on orders violates orders/v1 at /total: expected number, got string");
        assertThat(t.verdict().atSeq()).isEqualTo(1);
        assertThat(t.entries().get(1).contract()).as("no contract for payments").isNull();
    }

    @Test
    void withoutContractsNothingIsChecked() {
        Timeline t = TimelineAnalyzer.withDefaults().analyze("c-1", List.of(ev(1).payload("{\"total\":\"12,50\"}").build()));
        assertThat(t.entries().get(0).contract()).isNull();
        assertThat(t.verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
    }
}
