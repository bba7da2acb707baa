package io.eventlens.core.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.ContractCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzzer of the contract loaders: mapping files, AsyncAPI 2 (JSON) and 3 (YAML)
 * documents and JSON Schema files are mutated (bytes flipped or set to special values, lines
 * dropped, doubled or swapped, the file cut, YAML and JSON tokens and $refs spliced in) and loaded.
 * The only failure allowed is a {@link ContractException} whose message names a file; a load that
 * succeeds must check payloads without throwing.
 *
 * <p>{@value #DEFAULT_CASES} cases by default ({@code -Deventlens.fuzz.cases=N} for more);
 * {@code -Deventlens.fuzz.seed=S} replays a run (a failure prints its seed and case).
 */
class ContractFilesFuzzTest {

    private static final int DEFAULT_CASES = 1_000;
    private static final int CASES = Integer.getInteger("eventlens.fuzz.cases", DEFAULT_CASES);
    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xC0_47_2AC7L);
    private static final String[] TOKENS = {"{", "}", "[", "]", ":", ",", "\"", "'", "&a ", "*a", "- ", "\n  ", "$ref: '#/'",
        "\"$ref\": \"#/components\"", "$ref: 'other.yaml#/x'", "\"$ref\": \"http://127.0.0.1:9/x\"", "~1", "%", "\u0000",
        "\uFFFF", "null", "oneOf: [", "asyncapi: 2.0.0", "asyncapi: 3.0.0", "payload: {", "schemaFormat: x", "!!binary",
        "{\"$ref\": \"#\"}", "\"type\": 7", "\"pattern\": \"(a+)+$\""};

    private static final String MAPPING = """
            version: 1
            contracts:
              - name: orders/v1
                channel: orders
                type: OrderPlaced
                schema: order.json
              - name: shop
                asyncapi: shop.yaml
              - name: legacy
                asyncapi: legacy.json
                channel: payments
              - {name: ce, type: com.example.x, envelope: cloudevents}
            """;
    private static final String ORDER = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://schemas.example.com/order.json",
             "type": "object", "required": ["orderId", "total"],
             "properties": {"orderId": {"type": "string"}, "total": {"$ref": "#/$defs/money"},
                            "state": {"enum": ["NEW", "PAID"]}, "at": {"type": "string", "format": "date-time"}},
             "$defs": {"money": {"oneOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+$"}]}}}
            """;
    private static final String SHOP = ContractSourcesTest.ASYNCAPI_3;
    private static final String LEGACY = """
            {"asyncapi": "2.6.0", "info": {"title": "legacy", "version": "1"},
             "channels": {"payments": {"publish": {"message": {"oneOf": [
                {"$ref": "#/components/messages/Captured"}, {"name": "Refunded", "payload": {"$ref": "order.json"}}]}}}},
             "components": {"messages": {"Captured": {"payload": {"type": "object", "required": ["amountCents"]}}}}}
            """;
    private static final List<String> NAMES = List.of("eventlens-contracts.yaml", "order.json", "shop.yaml", "legacy.json");
    private static final List<String> CORPUS = List.of(MAPPING, ORDER, SHOP, LEGACY);
    private static final List<byte[]> PAYLOADS = List.of(
            "{\"orderId\":\"o\",\"total\":\"12,50\"}".getBytes(StandardCharsets.UTF_8),
            "{\"specversion\":\"1.0\",\"type\":\"com.example.x\",\"data\":{}}".getBytes(StandardCharsets.UTF_8),
            "not json".getBytes(StandardCharsets.UTF_8),
            "[1,2,{\"a\":null}]".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void mutatedContractFilesLoadOrFailOnlyAsContractExceptionsNamingAFile() throws Exception {
        for (int i = 0; i < NAMES.size(); i++) {
            Files.writeString(dir.resolve(NAMES.get(i)), CORPUS.get(i));
        }
        assertThat(Contracts.load(dir).contracts()).as("the corpus itself loads").hasSizeGreaterThan(4);
        Random master = new Random(SEED);
        int loaded = 0;
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            long caseSeed = master.nextLong();
            Random r = new Random(caseSeed);
            int which = r.nextInt(NAMES.size());
            byte[] mutated = mutate(CORPUS.get(which).getBytes(StandardCharsets.UTF_8), r);
            Path file = dir.resolve(NAMES.get(which));
            Files.write(file, mutated);
            try {
                Contracts contracts = Contracts.load(r.nextInt(5) == 0 ? file : dir);
                loaded++;
                for (byte[] p : PAYLOADS) {
                    for (String channel : List.of("orders", "shop.orders", "payments", "x")) {
                        ContractCheck check = contracts.check(p, channel, r.nextBoolean() ? "OrderPlaced" : "Captured");
                        if (check != null) {
                            assertThat(check.violations().size()).isLessThanOrEqualTo(check.violationCount());
                        }
                    }
                }
            } catch (ContractException e) {
                refused++;
                assertThat(e.getMessage()).as("case %d (seed %d) names a file", c, caseSeed)
                        .containsAnyOf(NAMES.toArray(String[]::new));
            } catch (RuntimeException | Error e) {
                throw new AssertionError("case " + c + " (seed " + caseSeed + ", file " + NAMES.get(which) + ") threw "
                        + e + "\n--- mutated file ---\n" + new String(mutated, StandardCharsets.UTF_8), e);
            } finally {
                Files.writeString(file, CORPUS.get(which));
            }
        }
        assertThat(loaded).as("some mutations still load").isPositive();
        assertThat(refused).as("some mutations are refused").isPositive();
    }

    private static byte[] mutate(byte[] data, Random r) {
        List<Byte> b = new ArrayList<>(data.length);
        for (byte x : data) {
            b.add(x);
        }
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds && !b.isEmpty(); i++) {
            int at = r.nextInt(b.size());
            switch (r.nextInt(7)) {
                case 0 -> b.set(at, (byte) (b.get(at) ^ (1 << r.nextInt(8))));
                case 1 -> b.set(at, (byte) new int[] {0x00, 0xFF, 0x7F, 0x80, '#', '\n', '\t'}[r.nextInt(7)]);
                case 2 -> b.subList(at, b.size()).clear();
                case 3 -> {
                    byte[] t = TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
                    for (int k = t.length - 1; k >= 0; k--) {
                        b.add(at, t[k]);
                    }
                }
                case 4 -> b.subList(at, Math.min(b.size(), at + 1 + r.nextInt(40))).clear();
                case 5 -> {
                    int len = Math.min(b.size() - at, 1 + r.nextInt(60));
                    List<Byte> copy = new ArrayList<>(b.subList(at, at + len));
                    b.addAll(r.nextInt(b.size()), copy);
                }
                default -> {
                    int other = r.nextInt(b.size());
                    Byte tmp = b.get(at);
                    b.set(at, b.get(other));
                    b.set(other, tmp);
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
