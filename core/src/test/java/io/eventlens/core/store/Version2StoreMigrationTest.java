package io.eventlens.core.store;

import static io.eventlens.core.testkit.TestEvents.event;
import static io.eventlens.core.testkit.TestEvents.events;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.testkit.StoredBlocks;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written at schema version 2 (per-event index behind the capture) is read completely
 * read-only as it is, and once opened for writing is migrated to version 3 with the keys of all its
 * blocks built, reading the same.
 */
class Version2StoreMigrationTest {

    @TempDir
    Path dir;

    /** 2,102 events in four blocks, its per-event index through block 1 only (seq 100). */
    private Path laggingVersion2Store() throws Exception {
        return Version2Stores.create(dir.resolve("v2.mv.db"), 100, events("orders", 0, 100), events("orders", 100, 2000),
                List.of(event("retry", 0, 1, "c-3", "e-late"), event("retry", 0, 2, "z-new", "e-z")));
    }

    private static void assertReadCompletely(CaptureStore s) {
        assertThat(s.eventCount()).isEqualTo(2102);
        assertThat(s.findByCorrelationId("c-3")).as("in the index and past it").extracting(CapturedEvent::seq)
                .containsExactly(16L, 17L, 18L, 19L, 20L, 2101L);
        assertThat(s.findByCorrelationId("c-300")).extracting(CapturedEvent::seq)
                .containsExactly(1501L, 1502L, 1503L, 1504L, 1505L);
        assertThat(s.findByEventId("e-z")).extracting(CapturedEvent::seq).containsExactly(2102L);
        assertThat(s.findByEventId("e-7")).extracting(CapturedEvent::seq).containsExactly(8L);
        assertThat(s.correlationIds("z", 10)).containsExactly("z-new");
        assertThat(s.correlationIds("c-1", 4)).containsExactly("c-1", "c-10", "c-100", "c-101");
        assertThat(s.findByCorrelationId("c-3", 2)).satisfies(l -> {
            assertThat(l.events()).extracting(CapturedEvent::seq).containsExactly(16L, 17L);
            assertThat(l.totalCount()).isEqualTo(6);
        });
        assertThat(s.findByCorrelationId("c-3", 5).totalCount()).as("counted in the index and past it").isEqualTo(6);
        assertThat(s.damagedBlocks()).isEmpty();
    }

    @Test
    void aVersion2StoreIsReadCompletelyReadOnlyThenMigratedWithTheKeysOfEveryBlock() throws Exception {
        Path file = laggingVersion2Store();
        String before = HostileStores.sha256(file);

        try (H2CaptureStore s = H2CaptureStore.openReadOnly(file)) {
            assertThat(s.hasBlockKeys()).isFalse();
            assertThat(s.indexedThroughSeq()).isEqualTo(100);
            assertReadCompletely(s);
        }
        assertThat(HostileStores.sha256(file)).as("read-only: unchanged").isEqualTo(before);

        try (H2CaptureStore s = H2CaptureStore.open(file)) {
            assertThat(s.hasBlockKeys()).isTrue();
            assertThat(StoredBlocks.blocksWithoutKeys(file)).as("keys built on the writable open").isEmpty();
            assertReadCompletely(s);
            s.append(List.of(event("later", 0, 9, "c-3", "e-after")), List.of());
            assertThat(s.findByCorrelationId("c-3")).extracting(CapturedEvent::seq).endsWith(2101L, 2103L);
        }
        assertThat(CaptureFileCheck.check(file)).isEqualTo(CaptureFileCheck.latestVersion());
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("v2").toAbsolutePath(), "sa", "");
             ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", "EVENT_INDEX", null)) {
            assertThat(rs.next()).as("V2's per-event index is dropped").isFalse();
        }
        try (H2CaptureStore s = H2CaptureStore.openReadOnly(file)) {
            assertThat(s.hasBlockKeys()).isTrue();
            assertThat(s.indexedThroughSeq()).isEqualTo(2103);
            assertThat(s.findByCorrelationId("c-300")).hasSize(5);
            assertThat(s.findByCorrelationId("c-3")).hasSize(7);
        }
    }
}
