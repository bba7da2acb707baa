package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.testkit.Version1Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema version 2 turns version 1's Kafka partition/offset rows into per-stream tokens. */
class StreamPositionMigrationTest {

    @TempDir
    Path dir;

    @Test
    void aVersion1StoreOpensWithItsKafkaPositionsAsStreamTokens() throws Exception {
        Path file = Version1Store.create(dir.resolve("v1"),
                new Version1Store.Row("cluster-x", "orders", 2, 7),
                new Version1Store.Row("cluster-x", "orders", 0, 42),
                new Version1Store.Row("cluster-x", "orders", 10, 9_000_000_000L),
                new Version1Store.Row("cluster-y", "pay.ments-v1", 1, 0));

        try (CaptureStore store = CaptureStore.open(file)) {
            assertThat(store.positions("cluster-x")).containsExactly(
                    new StreamPosition("cluster-x", "orders/0", "42"),
                    new StreamPosition("cluster-x", "orders/10", "9000000000"),
                    new StreamPosition("cluster-x", "orders/2", "7"));
            assertThat(store.positions("cluster-y")).containsExactly(
                    new StreamPosition("cluster-y", "pay.ments-v1/1", "0"));

            store.append(java.util.List.of(), java.util.List.of(new StreamPosition("cluster-x", "orders/0", "50")));
            assertThat(store.positions("cluster-x")).first().isEqualTo(new StreamPosition("cluster-x", "orders/0", "50"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("v1").toAbsolutePath(), "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, null, "SOURCE_POSITION", null)) {
            assertThat(rs.next()).as("the V1 table is gone").isFalse();
        }
    }
}
