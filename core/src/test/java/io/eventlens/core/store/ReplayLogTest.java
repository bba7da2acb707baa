package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.Header;
import io.eventlens.core.store.ReplayLog.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay log (schema V6): a run and its sends round-trip, outcomes update, a read-only store
 * reads it and cannot write it, and damaged header bytes in the file are a named error
 * ({@link ReplayLogFuzzTest} mutates them).
 */
class ReplayLogTest {

    @TempDir
    Path dir;

    private static ReplayLog.Run run(String id) {
        return new ReplayLog.Run(id, 1_700_000_000_000L, "c-1", "fresh", "kafka", "Kafka at localhost:9092", "test",
                "cluster-1", "{\"repeat\":1}", "RUNNING", null);
    }

    static ReplayLog.Send send(int i) {
        return new ReplayLog.Send(i, 0, 10 + i, "orders", "orders-test", null, i % 2, i * 1_000_000L, "e-" + i,
                ("k" + i).getBytes(StandardCharsets.UTF_8), List.of(Header.ofString("correlationId", "fresh"),
                new Header("void", null), new Header("bin", new byte[] {0, (byte) 0xff})),
                "{}".getBytes(StandardCharsets.UTF_8), Outcome.PLANNED, 0, null, null, null, null, null);
    }

    @Test
    void aRunAndItsSendsRoundTripAndOutcomesUpdate() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("log"))) {
            ReplayLog log = store.replayLog();
            log.start(run("r-1"), List.of(send(0), send(1), send(2)));
            log.inFlight("r-1", 0);
            log.outcome("r-1", 0, Outcome.SENT, 5L, 1, 42L, "p1@42", null);
            log.inFlight("r-1", 1);
            log.outcome("r-1", 1, Outcome.FAILED, 6L, null, null, null, "refused");
            log.finish("r-1", "FAILED", 7L);

            assertThat(log.run("r-1")).isEqualTo(new ReplayLog.Run("r-1", 1_700_000_000_000L, "c-1", "fresh", "kafka",
                    "Kafka at localhost:9092", "test", "cluster-1", "{\"repeat\":1}", "FAILED", 7L));
            List<ReplayLog.Send> sends = log.sends("r-1");
            assertThat(sends).extracting(ReplayLog.Send::outcome).containsExactly(Outcome.SENT, Outcome.FAILED, Outcome.PLANNED);
            assertThat(sends.get(0).resultPosition()).isEqualTo("p1@42");
            assertThat(sends.get(0).attempts()).isEqualTo(1);
            assertThat(sends.get(1).error()).isEqualTo("refused");
            assertThat(sends.get(2).headers()).isEqualTo(send(2).headers());
            assertThat(sends.get(2).key()).isEqualTo(send(2).key());
            assertThat(log.runs()).extracting(ReplayLog.Run::replayId).containsExactly("r-1");
            assertThat(log.run("nope")).isNull();
            assertThatThrownBy(() -> log.start(run("r-1"), List.of())).isInstanceOf(CaptureStoreException.class)
                    .hasMessageContaining("r-1");
        }
        try (CaptureStore readOnly = CaptureStore.openReadOnly(dir.resolve("log"))) {
            assertThat(readOnly.replayLog().sends("r-1")).hasSize(3);
            assertThatThrownBy(() -> readOnly.replayLog().finish("r-1", "COMPLETED", 1L))
                    .isInstanceOf(CaptureStoreException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void damagedHeaderBytesInTheFileAreANamedErrorNotACrash() throws Exception {
        Path file = dir.resolve("damaged");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.replayLog().start(run("r-2"), List.of(send(0)));
        }
        String url = "jdbc:h2:file:" + dir.resolve("damaged").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().executeUpdate("UPDATE replay_send SET headers = X'5b5b2261222c22212121225d5d'");
        }
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            assertThatThrownBy(() -> store.replayLog().sends("r-2")).isInstanceOf(CaptureStoreException.class)
                    .hasMessageContaining(file.getFileName().toString())
                    .hasStackTraceContaining("not base64");
        }
    }
}
