package io.eventlens.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static String canonical(String json) {
        return CanonicalJson.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void membersAreSortedAndWhiteSpaceDropped() {
        assertThat(canonical("{ \"b\": {\"y\":1, \"x\":[2, 1]}, \"a\": \"t\" }")).isEqualTo("{\"a\":\"t\",\"b\":{\"x\":[2,1],\"y\":1}}");
    }

    @Test
    void equalNumbersWrittenDifferentlyHaveOneForm() {
        assertThat(canonical("[12.50, 1e2, 100, 100.0, -0.0, 0, 1.5E-3, 12345678901234567890123]"))
                .isEqualTo("[12.5,100,100,100,0,0,0.0015,12345678901234567890123]");
        assertThat(canonical("[1e30, 1000000000000000000000000000000, 1.0E+30]")).isEqualTo("[1E+30,1E+30,1E+30]");
    }

    @Test
    void stringsKeepTheirContentWhateverTheEscaping() {
        assertThat(canonical("{\"s\":\"caf\\u00e9 \\\"q\\\"\"}")).isEqualTo(canonical("{\"s\":\"café \\\"q\\\"\"}"));
    }

    @Test
    void inputThatIsNotExactlyOneJsonValueIsNotJson() {
        assertThat(canonical("not json")).isNull();
        assertThat(canonical("{\"a\":1} trailing")).isNull();
        assertThat(canonical("{\"a\":1,\"a\":2}")).as("duplicate member names").isNull();
        assertThat(canonical("{\"a\":")).isNull();
        assertThat(CanonicalJson.of((byte[]) null)).isNull();
        assertThat(CanonicalJson.of(new byte[0])).isNull();
    }

    @Test
    void scalarsAndNullsAreJsonToo() {
        assertThat(canonical(" true ")).isEqualTo("true");
        assertThat(canonical("null")).isEqualTo("null");
        assertThat(canonical("\"x\"")).isEqualTo("\"x\"");
    }
}
