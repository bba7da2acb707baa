package io.eventlens.app.ui.details;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link DetailsViewModel#rangeOf}: where a contract violation's JSON Pointer sits in the shown payload. */
class PayloadPointerTest {

    private static final String PAYLOAD = """
            {
              "orderId" : "ord-1",
              "money" : {
                "amount" : "151,50",
                "currency" : "EUR"
              },
              "items" : [ { "sku" : "A" }, { "sku" : 7 } ],
              "a/b" : 1
            }""";

    private static String at(String pointer) {
        int[] r = DetailsViewModel.rangeOf(PAYLOAD, pointer);
        return r == null ? null : PAYLOAD.substring(r[0], r[1]);
    }

    @Test
    void membersElementsAndEscapedNames() {
        assertThat(at("/orderId")).isEqualTo("\"orderId\" : \"ord-1\"");
        assertThat(at("/money/amount")).isEqualTo("\"amount\" : \"151,50\"");
        assertThat(at("/money")).startsWith("\"money\" : {").endsWith("}");
        assertThat(at("/items/1")).isEqualTo("{ \"sku\" : 7 }");
        assertThat(at("/items/1/sku")).isEqualTo("\"sku\" : 7");
        assertThat(at("/a~1b")).isEqualTo("\"a/b\" : 1");
        assertThat(at("")).isEqualTo(PAYLOAD);
    }

    @Test
    void aMissingMemberGivesItsParentAndNonJsonGivesNothing() {
        assertThat(at("/money/amountCents")).startsWith("\"money\" : {");
        assertThat(at("/nothing")).startsWith("{");
        assertThat(DetailsViewModel.rangeOf("00 01 02 ff", "/x")).isNull();
        assertThat(DetailsViewModel.rangeOf("{\"a\": [1, 2", "/a/5")).isNull();
    }
}
