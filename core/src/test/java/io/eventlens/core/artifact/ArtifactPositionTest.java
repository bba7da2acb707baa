package io.eventlens.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArtifactPositionTest {

    @Test
    void describesItselfByFileNameAndLineAndKeepsTheWholePathInItsAttributes() {
        ArtifactPosition inZip = new ArtifactPosition("/ci/run-7.zip!/dumps/probe/cart-probe.ndjson", 3, 2, "artifact createdAt");
        ArtifactPosition plain = new ArtifactPosition("big.ndjson", 41, 40, "artifact createdAt");

        assertThat(inZip.describe()).isEqualTo("cart-probe.ndjson:3");
        assertThat(plain.describe()).isEqualTo("big.ndjson:41");
        assertThat(inZip.attributes()).containsEntry("file", "/ci/run-7.zip!/dumps/probe/cart-probe.ndjson")
                .containsEntry("line", 3L);
    }
}
