package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.store.CaptureStore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlens demo} headless, bounded by --duration. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void demoPrintsBootstrapServersAndTopicsAndCapturesForItsDuration() {
        Path out = dir.resolve("demo");

        CliRun run = CliRun.of("demo", "--duration", "4s", "--capture-out", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as("stdout carries only the connection facts")
                .containsPattern("(?m)^bootstrap servers: 127\\.0\\.0\\.1:\\d+$")
                .contains("topics: orders,payments,inventory,notifications,orders.DLT");
        assertThat(run.out().lines()).hasSize(2);
        assertThat(run.err()).contains("flows").contains("captured");
        try (CaptureStore store = CaptureStore.open(out)) {
            assertThat(store.eventCount()).as("events captured in 4 s").isGreaterThan(10);
            assertThat(store.correlationIds("checkout-", 5)).isNotEmpty();
        }
    }
}
