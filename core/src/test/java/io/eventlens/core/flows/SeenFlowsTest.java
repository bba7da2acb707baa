package io.eventlens.core.flows;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenFlowsTest {

    @Test
    void anIdAddedIsAlwaysFoundAndFewOthersAre() {
        SeenFlows seen = new SeenFlows();
        assertThat(seen.mightContain("order-1")).isFalse();
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            seen.add("order-" + i);
        }
        for (int i = 0; i < n; i++) {
            assertThat(seen.mightContain("order-" + i)).isTrue();
        }
        int falsePositives = 0;
        for (int i = 0; i < n; i++) {
            if (seen.mightContain("other-" + i) || seen.mightContain("order-" + (n + i))) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).as("of 2M IDs never added, at 1M added (the class comment: about 0.2%)")
                .isLessThan(2 * n / 500);
        assertThat(seen.added()).isEqualTo(n);
    }
}
