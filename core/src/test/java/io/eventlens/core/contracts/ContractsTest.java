package io.eventlens.core.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.eventlens.core.analysis.ContractCheck;
import io.eventlens.core.analysis.ContractViolation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading JSON Schema files, mapping files and AsyncAPI documents, and checking payloads against
 * them (docs/reference/contracts.md).
 */
class ContractsTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static ContractCheck check(Contracts c, String channel, String type, String payload) {
        return c.check(payload.getBytes(StandardCharsets.UTF_8), channel, type);
    }

    static final String MONEY = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "$id": "https://schemas.example.com/common/money.json",
             "type": "object", "required": ["amountCents", "currency"],
             "properties": {"amountCents": {"type": "integer", "minimum": 0},
                            "currency": {"enum": ["EUR", "USD"]}}}
            """;
    static final String PAYMENT = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "$id": "https://schemas.example.com/payments/v3.json",
             "title": "PaymentCaptured",
             "type": "object",
             "required": ["paymentId", "money", "capturedAt", "method"],
             "properties": {
               "paymentId": {"type": "string"},
               "money": {"$ref": "../common/money.json"},
               "capturedAt": {"type": "string", "format": "date-time"},
               "payer": {"type": "string", "format": "email"},
               "method": {"oneOf": [
                 {"type": "object", "required": ["card"], "properties": {"card": {"type": "string", "pattern": "^[0-9]{4}$"}}, "additionalProperties": false},
                 {"type": "object", "required": ["iban"], "properties": {"iban": {"type": "string"}}, "additionalProperties": false}]}
             }}
            """;

    private Contracts paymentContracts() throws Exception {
        write("common/money.json", MONEY);
        write("payments/v3.json", PAYMENT);
        write("eventlens-contracts.yaml", """
                version: 1
                contracts:
                  - name: payments/v3
                    channel: payments
                    type: PaymentCaptured
                    schema: payments/v3.json
                """);
        return Contracts.load(dir);
    }

    @Test
    void aValidPaymentPasses() throws Exception {
        Contracts c = paymentContracts();
        ContractCheck r = check(c, "payments", "PaymentCaptured", """
                {"paymentId":"p-1","money":{"amountCents":15150,"currency":"EUR"},"capturedAt":"2026-11-22T04:00:00Z",
                 "payer":"a@example.com","method":{"card":"4242"}}""");
        assertThat(r.passed()).as(r.toString()).isTrue();
        assertThat(r.contract()).isEqualTo("payments/v3");
        assertThat(r.schema()).isEqualTo("payments/v3.json");
        assertThat(r.matchedBy()).contains("channel payments and type PaymentCaptured");
    }

    @Test
    void refsFormatsOneOfAndEnumsAreCheckedWithPointers() throws Exception {
        Contracts c = paymentContracts();
        ContractCheck r = check(c, "payments", "PaymentCaptured", """
                {"paymentId":"p-1","money":{"amount":"151,50","currency":"GBP"},"capturedAt":"yesterday",
                 "payer":"not-an-email","method":{"card":"4242","iban":"DE00"}}""");
        assertThat(r.passed()).isFalse();
        assertThat(r.violations()).extracting(ContractViolation::pointer, ContractViolation::rule)
                .contains(tuple("/money/amountCents", "required"),
                        tuple("/money/currency", "enum"),
                        tuple("/capturedAt", "format"),
                        tuple("/payer", "format"),
                        tuple("/method", "oneOf"));
        ContractViolation missing = r.violations().stream().filter(v -> v.rule().equals("required")).findFirst().orElseThrow();
        assertThat(missing.found()).isEqualTo("missing");
        assertThat(missing.describe()).isEqualTo("/money/amountCents: required property missing");
        ContractViolation currency = r.violations().stream().filter(v -> v.rule().equals("enum")).findFirst().orElseThrow();
        assertThat(currency.found()).isEqualTo("\"GBP\"");
        assertThat(currency.expected()).contains("EUR").contains("USD");
        assertThat(r.summary()).startsWith("payments/v3 at ");
    }

    @Test
    void aWrongTypeSaysExpectedAndFound() throws Exception {
        Contracts c = paymentContracts();
        ContractCheck r = check(c, "payments", "PaymentCaptured", """
                {"paymentId":"p-1","money":{"amountCents":"151,50","currency":"EUR"},"capturedAt":"2026-11-22T04:00:00Z",
                 "method":{"iban":"DE00"}}""");
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/money/amountCents");
            assertThat(v.rule()).isEqualTo("type");
            assertThat(v.expected()).isEqualTo("integer");
            assertThat(v.found()).isEqualTo("\"151,50\"");
            assertThat(v.message()).isEqualTo("expected integer, got string");
        });
    }

    @Test
    void longFoundValuesAreTruncated() throws Exception {
        Contracts c = paymentContracts();
        String longId = "x".repeat(500);
        ContractCheck r = check(c, "payments", "PaymentCaptured", "{\"paymentId\":5,\"money\":{\"amountCents\":1,\"currency\":\"EUR\"},"
                + "\"capturedAt\":\"" + longId + "\",\"method\":{\"iban\":\"x\"}}");
        assertThat(r.violations()).allSatisfy(v -> assertThat(v.found() == null ? 0 : v.found().length())
                .isLessThanOrEqualTo(ContractViolation.MAX_VALUE));
        assertThat(r.violations()).anySatisfy(v -> assertThat(v.found()).endsWith("…"));
    }

    @Test
    void otherChannelsAndTypesAreNotChecked() throws Exception {
        Contracts c = paymentContracts();
        assertThat(check(c, "orders", "OrderPlaced", "{}")).isNull();
        assertThat(check(c, "payments", "PaymentRefunded", "{}")).isNull();
    }

    @Test
    void aPayloadThatIsNotJsonFailsItsContract() throws Exception {
        Contracts c = paymentContracts();
        ContractCheck r = check(c, "payments", "PaymentCaptured", "amount=151,50");
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("json");
            assertThat(v.pointer()).isEmpty();
            assertThat(v.found()).isEqualTo("amount=151,50");
        });
    }

    @Test
    void draft07SchemasWorkByTheirSchemaMember() throws Exception {
        write("order.json", """
                {"$schema": "http://json-schema.org/draft-07/schema#", "title": "OrderPlaced",
                 "type": "object", "required": ["total"], "properties": {"total": {"type": "number"}},
                 "definitions": {"x": {"type": "string"}}}
                """);
        Contracts c = Contracts.load(dir);
        assertThat(check(c, "orders", "OrderPlaced", "{\"total\":\"12,50\"}").violations())
                .extracting(ContractViolation::pointer, ContractViolation::rule).containsExactly(tuple("/total", "type"));
        assertThat(check(c, "anything", "OrderPlaced", "{\"total\":12.5}").passed()).isTrue();
        assertThat(check(c, "orders", "OrderPlaced", "{\"total\":12.5}").matchedBy()).contains("type OrderPlaced (any channel)");
    }

    @Test
    void aSchemaPointerIntoAFileIsAContract() throws Exception {
        write("defs.json", """
                {"$defs": {"Order": {"type": "object", "required": ["id"]}}}
                """);
        write("eventlens-contracts.json", """
                {"contracts": [{"name": "orders/v1", "channel": "orders", "schema": "defs.json#/$defs/Order"}]}
                """);
        Contracts c = Contracts.load(dir);
        ContractCheck r = check(c, "orders", "Whatever", "{}");
        assertThat(r.schema()).isEqualTo("defs.json#/$defs/Order");
        assertThat(r.matchedBy()).contains("channel orders (any type)");
        assertThat(r.violations()).extracting(ContractViolation::pointer).containsExactly("/id");
    }
}
