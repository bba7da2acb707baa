package io.eventlens.core.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.analysis.ContractCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged and crafted contract files: each is refused with a {@link ContractException} whose
 * message names the file (and line, entry or pointer), never a stack trace, a hang or a fetch.
 */
class ContractFilesHostileTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private void refused(Path path, String... fragments) {
        assertThatThrownBy(() -> Contracts.load(path)).isInstanceOf(ContractException.class)
                .satisfies(e -> {
                    for (String f : fragments) {
                        assertThat(e.getMessage()).contains(f);
                    }
                });
    }

    @Test
    void damagedJsonNamesFileAndLine() throws Exception {
        write("order.json", "{\n  \"type\": \"object\",\n  \"required\": [\"id\"\n}");
        refused(dir, "order.json:4:", "not valid JSON");
    }

    @Test
    void damagedYamlNamesFileAndLine() throws Exception {
        write("api.yaml", "asyncapi: 3.0.0\nchannels:\n  a: [unclosed\n");
        refused(dir, "api.yaml:", "not valid YAML");
    }

    @Test
    void yamlAliasBombsAreRefused() throws Exception {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 60; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j > 0 ? ", " : "").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        write("bomb.yaml", y.toString());
        // Jackson's YAML reader does not expand aliases (an alias reads as its anchor's name), so the
        // 10^60 nodes never exist: the file loads as a small, odd schema or is refused by name
        try {
            Contracts c = Contracts.load(dir);
            assertThat(c.contracts()).hasSize(1);
        } catch (ContractException e) {
            assertThat(e.getMessage()).contains("bomb.yaml");
        }
    }

    @Test
    void deeplyNestedFilesAreRefused() throws Exception {
        write("deep.json", "[".repeat(5_000) + "]".repeat(5_000));
        refused(dir, "deep.json");
    }

    @Test
    void duplicateKeysAreRefused() throws Exception {
        write("dup.json", "{\"type\": \"object\", \"type\": \"string\"}");
        refused(dir, "dup.json", "not valid JSON");
    }

    @Test
    void tooLargeFilesAreRefused() throws Exception {
        write("big.json", "{\"description\": \"" + "x".repeat((int) ContractLoader.MAX_FILE_BYTES) + "\"}");
        refused(dir, "big.json", "larger than");
    }

    @Test
    void emptyFilesAndScalarsAreRefused() throws Exception {
        write("empty.json", "");
        refused(dir, "empty.json", "empty file");
        Files.delete(dir.resolve("empty.json"));
        write("scalar.json", "42");
        refused(dir, "scalar.json", "not a JSON Schema");
    }

    @Test
    void mappingErrorsNameTheEntry() throws Exception {
        write("s.json", "{\"type\": \"object\"}");
        Path mapping = dir.resolve("eventlens-contracts.yaml");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, channel: c, shema: s.json}\n");
        refused(mapping, "eventlens-contracts.yaml: contracts[0]", "unknown member 'shema'");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, channel: c, schema: missing.json}\n");
        refused(dir, "contracts[0] (a)", "'missing.json' does not exist");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, channel: c, schema: ../../etc/passwd.json}\n");
        refused(dir, "contracts[0] (a)", "outside the contracts folder");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, schema: s.json}\n");
        refused(dir, "contracts[0] (a)", "give 'channel', 'type' or both");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, channel: c, schema: s.json, envelope: soap}\n");
        refused(dir, "envelope 'soap'");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, channel: c, schema: s.json, payload: data}\n");
        refused(dir, "payload 'data' is not a JSON Pointer");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, channel: c, schema: 's.json#/nothing/here'}\n");
        refused(dir, "s.json has nothing at #/nothing/here");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: a, channel: c, schema: 'https://example.com/x.json'}\n");
        refused(dir, "https://example.com/x.json", "never fetched");
        write("eventlens-contracts.yaml", "version: 2\ncontracts: []\n");
        refused(dir, "version 2 is not supported");
        write("eventlens-contracts.yaml", "contracts: {a: b}\n");
        refused(dir, "'contracts' must be a list");
        write("eventlens-contracts.yaml", "contracts:\n  - 7\n");
        refused(dir, "contracts[0]: must be an object");
        write("eventlens-contracts.yaml", "contracts:\n  - {name: [x], channel: c, schema: s.json}\n");
        refused(dir, "'name' must be a non-empty text");
        write("eventlens-contracts.yaml", "contracts: []\n");
        refused(dir, "no contracts found");
    }

    @Test
    void brokenAsyncApiDocumentsNameThePointer() throws Exception {
        write("api.yaml", "asyncapi: 1.2.0\ninfo: {title: t}\nchannels: {}\n");
        refused(dir, "api.yaml", "asyncapi version 1.2.0 is not supported");
        write("api.yaml", "asyncapi: 3.0.0\nchannels:\n  a:\n    messages:\n      m: {$ref: '#/components/messages/Gone'}\n");
        refused(dir, "api.yaml#/channels/a/messages/m", "points at nothing");
        write("api.yaml", "asyncapi: 3.0.0\nchannels:\n  a: {$ref: '#/channels/b'}\n  b: {$ref: '#/channels/a'}\n");
        refused(dir, "api.yaml", "$ref hops");
        write("api.yaml", "asyncapi: 3.0.0\nchannels: [1, 2]\n");
        refused(dir, "api.yaml#/channels: must be an object");
        write("api.yaml", "asyncapi: 2.6.0\nchannels:\n  a:\n    publish:\n      message: {$ref: 'https://example.com/m.yaml'}\n");
        refused(dir, "never fetched");
    }

    @Test
    void aSchemaThatIsNotASchemaIsNamedOrCheckedWithoutThrowing() throws Exception {
        write("bad.json", "{\"title\": \"Bad\", \"type\": \"integer\", \"minimum\": \"zero\", \"pattern\": \"([a-z\"}");
        try {
            Contracts c = Contracts.load(dir);
            // the validator accepted it at load time: checking must still not throw
            ContractCheck r = c.check("5".getBytes(StandardCharsets.UTF_8), "x", "Bad");
            assertThat(r).isNotNull();
        } catch (ContractException e) {
            assertThat(e.getMessage()).contains("bad.json");
        }
        write("bad.json", "{\"title\": \"Bad\", \"$ref\": \"#/$defs/missing\"}");
        try {
            Contracts c = Contracts.load(dir);
            ContractCheck r = c.check("5".getBytes(StandardCharsets.UTF_8), "x", "Bad");
            assertThat(r.passed()).as("a dangling local $ref is a violation of the schema, not a crash: %s", r).isFalse();
        } catch (ContractException e) {
            assertThat(e.getMessage()).contains("bad.json");
        }
    }

    @Test
    void aCatastrophicPatternFailsTheEventInsteadOfHanging() throws Exception {
        write("redos.json", "{\"title\": \"Slow\", \"type\": \"object\", \"properties\": "
                + "{\"name\": {\"type\": \"string\", \"pattern\": \"^(a+)+$\"}, \"ok\": {\"pattern\": \"^b+$\"}}}");
        Contracts c = Contracts.load(dir);
        long start = System.nanoTime();
        ContractCheck r = c.check(("{\"name\": \"" + "a".repeat(40) + "!\", \"ok\": \"bbb\"}").getBytes(StandardCharsets.UTF_8),
                "x", "Slow");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
        assertThat(r.passed()).isFalse();
        // the validator reports the given-up match as that value's pattern violation
        assertThat(r.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/name");
            assertThat(v.rule()).isEqualTo("pattern");
        });
        // ordinary patterns still work
        assertThat(c.check("{\"name\": \"aaa\", \"ok\": \"bbb\"}".getBytes(StandardCharsets.UTF_8), "x", "Slow").passed()).isTrue();
        assertThat(c.check("{\"name\": \"ab\"}".getBytes(StandardCharsets.UTF_8), "x", "Slow").violations())
                .extracting(v -> v.pointer() + " " + v.rule()).containsExactly("/name pattern");
    }

    @Test
    void duplicateIdsAcrossFilesAreRefused() throws Exception {
        write("a.json", "{\"$id\": \"https://x.example/s.json\", \"type\": \"object\"}");
        write("b.json", "{\"$id\": \"https://x.example/s.json\", \"type\": \"string\"}");
        refused(dir, "$id https://x.example/s.json is also the $id of");
    }

    @Test
    void aMissingPathIsNamed() {
        refused(dir.resolve("nope"), "nope", "no such file or folder");
    }

    @Test
    void aPayloadThatIsTooDeepFailsItsContractWithoutAStackOverflow() throws Exception {
        write("any.json", "{\"title\": \"Deep\", \"type\": \"object\"}");
        Contracts c = Contracts.load(dir);
        ContractCheck r = c.check(("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8), "x", "Deep");
        assertThat(r.violations()).singleElement().satisfies(v -> assertThat(v.rule()).isEqualTo("json"));
    }
}
