package io.eventlens.core.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.eventlens.core.analysis.ContractCheck;
import io.eventlens.core.contracts.Contracts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The contract-validation benchmark (issue 14; README "Speed"): N (default 1,000,000) checks of
 * ~200-byte JSON payloads against one schema, timed two ways in each of {@code bench.rounds} rounds
 * (default 3; the first on a cold JVM):
 * <ol>
 *   <li>the validator's own rate: networknt {@code Schema.validate} on pre-parsed {@link JsonNode}s;</li>
 *   <li>EventLens: {@link Contracts#check(byte[], String, String)} on the payload bytes, which parses
 *       each payload once, chooses the contract and converts the violations.</li>
 * </ol>
 * The payloads are a pool of 10,000 distinct ones (1 in 10 breaking the schema), cycled, so that
 * the pre-parsed trees fit in memory. Reports checks/s of both and their ratio (the issue asks for
 * at least 0.5). Not a test: it asserts nothing about time.
 *
 * <p>Run with {@code mvn -Pbench -pl core verify -DskipTests} (with the capture benchmark) or alone
 * with {@code -Dexec.mainClass=io.eventlens.core.bench.ContractBenchmark}; {@code -Dbench.contract.records=N}.
 */
public final class ContractBenchmark {

    private static final int POOL = 10_000;
    private static final String SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "PaymentCaptured",
             "type": "object", "required": ["eventId", "orderId", "amountCents", "currency", "capturedAt"],
             "properties": {
               "eventId": {"type": "string", "minLength": 1},
               "orderId": {"type": "string", "pattern": "^ord-[0-9]+$"},
               "amountCents": {"type": "integer", "minimum": 0},
               "currency": {"enum": ["EUR", "USD", "GBP"]},
               "capturedAt": {"type": "string", "format": "date-time"},
               "method": {"oneOf": [{"const": "card"}, {"const": "sepa"}]}}}
            """;

    private ContractBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.contract.records", Integer.getInteger("bench.records", 1_000_000));
        int rounds = Integer.getInteger("bench.rounds", 3);
        Path dir = Files.createTempDirectory("eventlens-contract-bench");
        Files.writeString(dir.resolve("payment.json"), SCHEMA);
        Contracts contracts = Contracts.load(dir);
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()))
                .getSchema(SCHEMA);

        ObjectMapper json = new ObjectMapper();
        Random random = new Random(42);
        byte[][] payloads = new byte[POOL][];
        JsonNode[] trees = new JsonNode[POOL];
        long bytes = 0;
        for (int i = 0; i < POOL; i++) {
            boolean bad = i % 10 == 0;
            String p = String.format(Locale.ROOT, "{\"eventId\":\"%s\",\"orderId\":\"ord-%d\",\"amountCents\":%s,"
                            + "\"currency\":\"%s\",\"capturedAt\":\"2026-11-22T04:%02d:%02d.%03dZ\",\"method\":\"%s\","
                            + "\"note\":\"%s\"}",
                    java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8)}), 10_000 + i,
                    bad ? "\"151,50\"" : Integer.toString(random.nextInt(1_000_000)), bad ? "XBT" : "EUR",
                    random.nextInt(60), random.nextInt(60), random.nextInt(1000), random.nextBoolean() ? "card" : "sepa",
                    "x".repeat(random.nextInt(20)));
            payloads[i] = p.getBytes(StandardCharsets.UTF_8);
            trees[i] = json.readTree(payloads[i]);
            bytes += payloads[i].length;
        }
        System.out.printf(Locale.ROOT, "contract benchmark: %,d checks of %d-byte payloads (a pool of %,d, 10%% failing) against one schema%n",
                records, bytes / POOL, POOL);
        for (int round = 1; round <= rounds; round++) {
            long t0 = System.nanoTime();
            long errors = 0;
            for (int i = 0; i < records; i++) {
                errors += schema.validate(trees[i % POOL]).size();
            }
            long validator = System.nanoTime() - t0;
            t0 = System.nanoTime();
            long violations = 0;
            for (int i = 0; i < records; i++) {
                ContractCheck c = contracts.check(payloads[i % POOL], "payments", "PaymentCaptured");
                violations += c.violationCount();
            }
            long eventLens = System.nanoTime() - t0;
            double vRate = records / (validator / 1e9);
            double eRate = records / (eventLens / 1e9);
            System.out.printf(Locale.ROOT, "round %d: validator on pre-parsed JSON %,.0f checks/s (%,d errors); "
                            + "EventLens on bytes (parsed once) %,.0f checks/s (%,d violations); ratio %.2fx%n",
                    round, vRate, errors, eRate, violations, eRate / vRate);
        }
        Files.delete(dir.resolve("payment.json"));
        Files.delete(dir);
    }
}
