package io.eventlens.core.consumers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.CaptureStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The capture store's consumer-group tables (schema version 8): written per poll, read back, a
 * partition's end row replaced, and crafted rows of a file from someone else left out.
 */
class ConsumerProgressStoreTest {

    @TempDir
    Path dir;

    @Test
    void pollsAreStoredAndReadBackAndTheEndRowOfAPartitionIsReplaced() {
        Path file = dir.resolve("p.mv.db");
        try (CaptureStore s = CaptureStore.open(file)) {
            s.appendConsumerProgress(List.of(new ConsumerCommit("g", "orders", 0, 3, 1_000, 1_000, TimePrecision.EXACT)),
                    List.of(new GroupPoll("g", 1_000, "Stable", 1, "c@h [orders-0]", 2, null)),
                    List.of(new PartitionEnd("g", "orders", 0, 3, 5, 1_000)));
            s.appendConsumerProgress(List.of(new ConsumerCommit("g", "orders", 0, 5, 1_500, 1_000, TimePrecision.BETWEEN_POLLS)),
                    List.of(new GroupPoll("g", 1_500, "Empty", 0, "", 0, null)),
                    List.of(new PartitionEnd("g", "orders", 0, 5, 5, 1_500)));
        }
        try (CaptureStore s = CaptureStore.openReadOnly(file)) {
            ConsumerProgress p = s.consumerProgress();
            assertThat(p.commits()).extracting(ConsumerCommit::committedOffset).containsExactly(3L, 5L);
            assertThat(p.commits().get(1).precision()).isEqualTo(TimePrecision.BETWEEN_POLLS);
            assertThat(p.stateChangesOf("g")).extracting(GroupPoll::state).containsExactly("Stable", "Empty");
            assertThat(p.ends()).singleElement().isEqualTo(new PartitionEnd("g", "orders", 0, 5, 5, 1_500));
            assertThat(p.endMs()).isEqualTo(1_500);
            assertThatThrownBy(() -> s.appendConsumerProgress(List.of(), List.of(new GroupPoll("g", 1, "Stable", 0, "", 0, null)), List.of()))
                    .isInstanceOf(CaptureStoreException.class).hasMessageContaining("read-only");
        }
    }

    @Test
    void craftedRowsAreLeftOutAndTheValidOnesKept() throws Exception {
        Path file = dir.resolve("crafted.mv.db");
        CaptureStore.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("crafted"), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO consumer_commit VALUES ('g', 'orders', 0, 4, 10, 10, 'exact')");
            st.execute("INSERT INTO consumer_commit VALUES ('g', 'orders', 0, 4, 10, 10, 'sometime')");
            st.execute("INSERT INTO consumer_commit VALUES ('g', 'orders', -1, 4, 10, 10, 'exact')");
            st.execute("INSERT INTO consumer_commit VALUES ('g', 'orders', 0, -9, 10, 10, 'exact')");
            st.execute("INSERT INTO consumer_commit VALUES ('g', 'orders', 0, 4, 10, 99, 'exact')");
            st.execute("INSERT INTO consumer_group_poll VALUES ('g', 10, 'Stable', -4, '', 0, NULL)");
            st.execute("INSERT INTO consumer_group_poll VALUES ('g', 11, 'Stable', 1, '', -77, NULL)");
            st.execute("INSERT INTO consumer_partition_end VALUES ('g', 'orders', 0, 4, -1, 10)");
        }
        try (CaptureStore s = CaptureStore.openReadOnly(file)) {
            ConsumerProgress p = s.consumerProgress();
            assertThat(p.commits()).singleElement().extracting(ConsumerCommit::committedOffset).isEqualTo(4L);
            assertThat(p.polls()).singleElement().satisfies(g -> assertThat(g.lagRecords()).isEqualTo(-1));
            assertThat(p.ends()).isEmpty();
        }
    }
}
