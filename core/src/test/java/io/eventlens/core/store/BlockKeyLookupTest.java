package io.eventlens.core.store;

import static io.eventlens.core.testkit.TestEvents.event;
import static io.eventlens.core.testkit.TestEvents.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.testkit.StoredBlocks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups through the per-block keys of schema version 3 (docs/decisions/0008-block-keys.md): exact
 * whatever the filters claim, complete when a block's keys are missing or unusable, and bounded.
 */
class BlockKeyLookupTest {

    @TempDir
    Path dir;

    /** Five blocks (appends of 1024, 1024, 1024, 1024 and 5 events), c-n has offsets 5n..5n+4. */
    private Path storeOfFiveBlocks() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("run"))) {
            for (int b = 0; b < 4; b++) {
                store.append(events("orders", b * 1024L, 1024), List.of());
            }
            store.append(List.of(event("retry", 0, 1, "c-3", "e-late"), event("retry", 0, 2, "z-new", "e-z"),
                    event("retry", 0, 3, "c-3", "e-late"), event("retry", 0, 4, "c-3", "e-late2"),
                    event("retry", 0, 5, "c-3", "e-late3")), List.of());
            return store.file();
        }
    }

    private static void assertExactLookups(CaptureStore store) {
        assertThat(store.findByCorrelationId("c-3")).extracting(CapturedEvent::seq)
                .containsExactly(16L, 17L, 18L, 19L, 20L, 4097L, 4099L, 4100L, 4101L);
        assertThat(store.findByCorrelationId("c-500")).extracting(CapturedEvent::seq)
                .containsExactly(2501L, 2502L, 2503L, 2504L, 2505L);
        assertThat(store.findByCorrelationId("c-9999")).isEmpty();
        assertThat(store.findByEventId("e-late")).extracting(CapturedEvent::seq).containsExactly(4097L, 4099L);
        assertThat(store.findByEventId("e-4000")).extracting(CapturedEvent::seq).containsExactly(4001L);
        assertThat(store.findByEventId("e-nope")).isEmpty();
        assertThat(store.correlationIds("c-81", 20)).containsExactly("c-81", "c-810", "c-811", "c-812", "c-813",
                "c-814", "c-815", "c-816", "c-817", "c-818", "c-819");
        assertThat(store.correlationIds("", 3)).containsExactly("c-0", "c-1", "c-10");
        assertThat(store.correlationIds("z", 3)).containsExactly("z-new");
        assertThat(store.correlationIds("c-3", 3)).as("an ID in two blocks is listed once")
                .containsExactly("c-3", "c-30", "c-300");
        assertThat(store.damagedBlocks()).isEmpty();
    }

    @Test
    void lookupsAreExactWhenEveryFilterClaimsEveryId() throws Exception {
        Path file = storeOfFiveBlocks();
        byte[] saturated = new byte[2 + 64];
        saturated[0] = BlockKeys.FILTER_FORMAT;
        saturated[1] = 1;
        Arrays.fill(saturated, 2, saturated.length, (byte) 0xFF);
        // every ID "collides" with every block's keys: every block is a candidate for every lookup
        StoredBlocks.replaceKeys(file, 0, "correlation_keys", saturated);
        StoredBlocks.replaceKeys(file, 0, "event_keys", saturated);

        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            assertExactLookups(store);
            assertThat(store.findByCorrelationId("c-3", 6)).satisfies(l -> {
                assertThat(l.events()).hasSize(6);
                assertThat(l.totalCount()).isEqualTo(9);
            });
        }
    }

    @Test
    void lookupsAreCompleteWhenABlocksKeysAreDamagedOrMissing() throws Exception {
        Path file = storeOfFiveBlocks();
        StoredBlocks.replaceKeys(file, 1, "correlation_keys", new byte[] {9, 9, 9});
        StoredBlocks.replaceKeys(file, 4097, "event_keys", new byte[] {1});
        byte[] unsorted = BlockKeys.idList(new String[] {"c-0", "c-1"});
        unsorted[unsorted.length - 1] = '0';
        StoredBlocks.replaceKeys(file, 1, "correlation_ids", unsorted);
        StoredBlocks.replaceKeys(file, 4097, "correlation_ids", new byte[] {1, 5});   // cut short
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:"
                + file.toString().replaceFirst("\\.mv\\.db$", ""), "sa", "")) {
            c.createStatement().executeUpdate("DELETE FROM block_key WHERE first_seq = 2049");
        }

        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            assertExactLookups(store);
        }
        try (CaptureStore store = CaptureStore.open(file)) {
            assertThat(StoredBlocks.blocksWithoutKeys(file)).as("keys of block 2049 rebuilt on a writable open").isEmpty();
            assertExactLookups(store);
        }
    }

    @Test
    void aLookupReturnsTheFirstEventsUpToItsLimitAndCountsTheRest() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("hot"))) {
            List<CapturedEvent> hot = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                hot.add(event("orders", 0, i, i % 3 == 0 ? "hot" : "c-" + i, "e-" + i));
            }
            store.append(hot, List.of());

            Lookup first = store.findByCorrelationId("hot", 250);
            assertThat(first.events()).extracting(CapturedEvent::seq)
                    .containsExactly(LongStream.range(0, 250).map(i -> 1 + 3 * i).boxed().toArray(Long[]::new));
            assertThat(first.totalCount()).isEqualTo(1000);
            assertThat(first.truncated()).isTrue();

            Lookup all = store.findByCorrelationId("hot", 1000);
            assertThat(all.events()).hasSize(1000);
            assertThat(all.truncated()).isFalse();
            assertThat(store.findByCorrelationId("hot")).as("the default limit").hasSize(1000);
            assertThat(store.findByCorrelationId(null, 5)).isEqualTo(new Lookup(List.of(), 0));
            assertThatThrownBy(() -> store.findByCorrelationId("hot", 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit");
        }
    }

    @Test
    void appendsAfterTheKeysWereLoadedAreFound() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("live"))) {
            store.append(events("orders", 0, 100), List.of());
            assertThat(store.findByCorrelationId("c-30")).isEmpty();
            assertThat(store.findByEventId("e-150")).isEmpty();
            assertThat(store.correlationIds("c-3", 100)).containsExactly("c-3");

            store.append(events("orders", 100, 100), List.of());

            assertThat(store.findByCorrelationId("c-30")).extracting(CapturedEvent::seq)
                    .containsExactly(151L, 152L, 153L, 154L, 155L);
            assertThat(store.findByEventId("e-150")).extracting(CapturedEvent::seq).containsExactly(151L);
            assertThat(store.correlationIds("c-3", 100)).containsExactly("c-3", "c-30", "c-31", "c-32", "c-33", "c-34",
                    "c-35", "c-36", "c-37", "c-38", "c-39");
        }
    }
}
