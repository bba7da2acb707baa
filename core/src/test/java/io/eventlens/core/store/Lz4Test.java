package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Lz4Test {

    @Test
    void storedBlocksAreDecompressedByLz4JavasSafeJavaCodeNeverItsNativeLibrary() {
        // stored blocks may come from a stranger's file (docs/decisions/0001-capture-store.md, amendment)
        assertThat(Lz4.DECOMPRESSOR.getClass().getSimpleName()).startsWith("LZ4JavaSafe").doesNotContain("JNI");
        byte[] plain = "order-42 PaymentCaptured ".repeat(400).getBytes(StandardCharsets.UTF_8);
        byte[] packed = Lz4.compressor().compress(plain);
        assertThat(packed.length).isLessThan(plain.length / 4);
        assertThat(Lz4.DECOMPRESSOR.decompress(packed, plain.length)).isEqualTo(plain);
    }
}
