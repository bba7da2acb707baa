package io.eventlens.core.store;

import static io.eventlens.core.testkit.TestEvents.event;
import static io.eventlens.core.testkit.TestEvents.events;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.testkit.StoredBlocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A genuine store file with one block's bytes damaged through plain H2 JDBC: the other blocks'
 * events are still paged and found, and the damaged block is counted once (issue 5).
 */
class DamagedBlockStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long DAMAGED = 1025;

    @TempDir
    Path dir;

    /**
     * Appends three full blocks (seq 1-1024, 1025-2048, 2049-3072). Correlation ID {@code c-span}
     * has the first event of each block, with event IDs {@code e-span-0..2}.
     */
    private static void appendThreeBlocks(CaptureStore store) {
        for (int b = 0; b < 3; b++) {
            List<CapturedEvent> block = new ArrayList<>();
            block.add(event("orders", 0, b * 1024L, "c-span", "e-span-" + b));
            block.addAll(events("orders", b * 1024L + 1, 1023));
            store.append(block, List.of());
        }
    }

    private Path indexedStoreWithBlock1025Damaged() throws Exception {
        Path file;
        try (CaptureStore store = CaptureStore.open(dir.resolve("run"))) {
            appendThreeBlocks(store);
            assertThat(store.awaitIndexed(WAIT)).as("index written before the damage").isTrue();
            file = store.file();
        }
        byte[] genuine = StoredBlocks.read(file, DAMAGED);
        StoredBlocks.replace(file, DAMAGED, Arrays.copyOf(genuine, genuine.length / 2));
        return file;
    }

    private static void assertOneDamagedBlock(CaptureStore store) {
        assertThat(store.damagedBlocks()).singleElement().satisfies(d -> {
            assertThat(d.firstSeq()).isEqualTo(DAMAGED);
            assertThat(d.eventCount()).isEqualTo(1024);
            assertThat(d.file()).isEqualTo(store.file());
            assertThat(d.getMessage()).startsWith("damaged block 1025 (events 1025..2048) in " + store.file() + ": ");
        });
    }

    @Test
    void theOtherBlocksAreFoundByCorrelationIdAndPagedAndTheDamagedOneIsCountedOnce() throws Exception {
        Path file = indexedStoreWithBlock1025Damaged();

        try (CaptureStore store = CaptureStore.open(file)) {
            assertThat(store.findByCorrelationId("c-span")).extracting(CapturedEvent::seq).containsExactly(1L, 2049L);
            assertOneDamagedBlock(store);

            assertThat(store.page(1000, 100)).extracting(CapturedEvent::seq).containsExactly(LongStream.concat(
                    LongStream.rangeClosed(1000, 1024), LongStream.rangeClosed(2049, 2123)).boxed().toArray(Long[]::new));
            assertThat(store.page(1500, 3)).extracting(CapturedEvent::seq).containsExactly(2049L, 2050L, 2051L);
            assertThat(store.event(1500)).as("an event of the damaged block").isNull();
            assertThat(store.event(2049)).isNotNull();
            assertThat(store.findByEventId("e-span-2")).extracting(CapturedEvent::seq).containsExactly(2049L);
            assertThat(store.findByEventId("e-span-1")).isEmpty();
            assertThat(store.correlationIds("c-span", 5)).containsExactly("c-span");
            assertOneDamagedBlock(store);
        }
    }

    @Test
    void aSelectiveScanSkipsTheDamagedBlockRecordsItOnceAndReadsOnPastIt() throws Exception {
        Path file = indexedStoreWithBlock1025Damaged();
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            List<Long> selected = new ArrayList<>();
            List<Long> steps = new ArrayList<>();
            long next = 1;
            while (next <= store.eventCount()) {
                ScanPage page = store.scan(next, 1000, (channel, names) -> true);
                page.events().forEach(e -> selected.add(e.seq()));
                steps.add(page.nextSeq());
                next = page.nextSeq();
            }
            assertThat(selected).as("every event but the damaged block's, once, in order").containsExactly(
                    LongStream.concat(LongStream.rangeClosed(1, 1024), LongStream.rangeClosed(2049, 3072))
                            .boxed().toArray(Long[]::new));
            assertThat(steps).as("whole blocks per step").containsExactly(1025L, 2049L, 3073L);
            assertOneDamagedBlock(store);
        }
    }

    @Test
    void aBlockDamagedAfterItsKeysWereWrittenIsMetByTheLookupsItsKeysPointTo() throws Exception {
        Path file;
        try (CaptureStore store = CaptureStore.open(dir.resolve("keyed"))) {
            appendThreeBlocks(store);
            file = store.file();
        }
        // an LZ4 block claiming 1 GiB
        StoredBlocks.replace(file, DAMAGED, new byte[] {EventBlockCodec.FORMAT_LZ4, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, 0x04, 0x10, 1, 0, 0});

        try (CaptureStore store = CaptureStore.open(file)) {
            assertThat(store.findByCorrelationId("c-7")).as("a lookup whose keys leave the damaged block out").hasSize(5);
            assertThat(store.damagedBlocks()).isEmpty();
            assertThat(store.findByCorrelationId("c-span", 10)).satisfies(l -> {
                assertThat(l.events()).extracting(CapturedEvent::seq).containsExactly(1L, 2049L);
                assertThat(l.totalCount()).as("events of a damaged block are not counted").isEqualTo(2);
            });
            assertOneDamagedBlock(store);
            assertThat(store.damagedBlocks().get(0).reason()).startsWith("declared LZ4 length 1073741824 is more than the");
        }
    }

    @Test
    void aDamagedBlockOfAVersion2StoreBeyondItsIndexIsSkippedAmongTheScannedOnes() throws Exception {
        List<CapturedEvent> all = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            all.add(event("orders", 0, b * 1024L, "c-span", "e-span-" + b));
            all.addAll(events("orders", b * 1024L + 1, 1023));
        }
        Path file = Version2Stores.create(dir.resolve("lagging.mv.db"), 0, all);
        // room for 1024 events, the first of which names dictionary string 7 as its channel
        byte[] bad = new byte[1 + 1024 * EventBlockCodec.MIN_EVENT_BYTES];
        bad[0] = EventBlockCodec.FORMAT;
        bad[2] = 7;
        StoredBlocks.replace(file, DAMAGED, bad);

        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            assertThat(store.indexedThroughSeq()).as("the lookup scans every block").isZero();
            assertThat(store.findByCorrelationId("c-span")).extracting(CapturedEvent::seq).containsExactly(1L, 2049L);
            assertOneDamagedBlock(store);
            assertThat(store.damagedBlocks().get(0).reason()).contains("channel name refers to string 7");
        }
        try (CaptureStore store = CaptureStore.open(file)) {
            assertOneDamagedBlock(store);   // met while building the keys of the migrated store
            assertThat(StoredBlocks.blocksWithoutKeys(file)).as("the damaged block gets no keys").containsExactly(DAMAGED);
        }
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            assertThat(store.findByCorrelationId("c-7")).as("a block without keys is scanned by every lookup").hasSize(5);
            assertOneDamagedBlock(store);
            assertThat(store.findByCorrelationId("c-span")).extracting(CapturedEvent::seq).containsExactly(1L, 2049L);
            assertThat(store.correlationIds("c-span", 5)).containsExactly("c-span");
        }
    }

    /**
     * A writer killed while H2 applied a commit can leave a block row whose LOB is gone: H2 then
     * fails reading that row's data. Simulated by removing the block's entry from H2's LOB map with
     * the MVStore API (the block is told apart by its stored length).
     */
    @Test
    void aBlockWhoseDataH2CannotReadIsSkippedAsADamagedBlock() throws Exception {
        Path file;
        try (CaptureStore store = CaptureStore.open(dir.resolve("lost-lob"))) {
            store.append(events("orders", 0, 1024), List.of());
            store.append(events("orders", 1024, 500), List.of());
            store.append(events("orders", 1524, 1024), List.of());
            file = store.file();
        }
        int length = StoredBlocks.read(file, DAMAGED).length;
        java.lang.reflect.Field byteCount = org.h2.mvstore.db.LobStorageMap.BlobMeta.class.getDeclaredField("byteCount");
        byteCount.setAccessible(true);
        try (org.h2.mvstore.MVStore mv = new org.h2.mvstore.MVStore.Builder().fileName(file.toString()).open()) {
            var lobs = mv.openMap("lobMap", new org.h2.mvstore.MVMap.Builder<Long, org.h2.mvstore.db.LobStorageMap.BlobMeta>()
                    .keyType(org.h2.mvstore.type.LongDataType.INSTANCE)
                    .valueType(org.h2.mvstore.db.LobStorageMap.BlobMeta.Type.INSTANCE));
            List<Long> ofTheBlock = new ArrayList<>();
            for (var entry : lobs.entrySet()) {
                if ((long) byteCount.get(entry.getValue()) == length) {
                    ofTheBlock.add(entry.getKey());
                }
            }
            assertThat(ofTheBlock).as("LOBs of %d bytes", length).hasSize(1);
            lobs.remove(ofTheBlock.get(0));
            mv.commit();
        }

        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            assertThat(store.page(1000, 100)).extracting(CapturedEvent::seq).containsExactly(LongStream.concat(
                    LongStream.rangeClosed(1000, 1024), LongStream.rangeClosed(1525, 1599)).boxed().toArray(Long[]::new));
            assertThat(store.event(1100)).isNull();
            assertThat(store.findByCorrelationId("c-250")).as("events 1251..1255, in the lost block").isEmpty();
            assertThat(store.findByCorrelationId("c-400")).extracting(CapturedEvent::seq)
                    .containsExactly(2001L, 2002L, 2003L, 2004L, 2005L);
            assertThat(store.damagedBlocks()).singleElement().satisfies(d -> {
                assertThat(d.firstSeq()).isEqualTo(DAMAGED);
                assertThat(d.eventCount()).isEqualTo(500);
                assertThat(d.reason()).startsWith("H2 cannot read its data: ");
            });
        }
    }

    @Test
    void aGenuineStoreHasNoDamagedBlocks() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("genuine"))) {
            appendThreeBlocks(store);
            assertThat(store.findByCorrelationId("c-span")).hasSize(3);
            assertThat(store.page(1, 10_000)).hasSize(3072);
            assertThat(store.awaitIndexed(WAIT)).isTrue();
            assertThat(store.damagedBlocks()).isEmpty();
        }
    }
}
