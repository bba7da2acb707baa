package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flow summaries stored per flush as one block (schema V7, docs/decisions/0020-flow-summary-blocks.md):
 * the block format round trip, damaged blocks (seeded mutation fuzzing: refused with
 * {@link IllegalArgumentException}, never another exception), the reader's worst-first pages and
 * counts against a plain sort, and a store of schema V6 (one {@code flow_summary} row per flow) read
 * as it is and after the migration, with later summary blocks replacing its rows.
 */
class FlowSummaryBlockTest {

    private static final long SEED = Long.getLong("eventlens.fuzz.seed", 0xF10B_5EEDL);

    @TempDir
    Path dir;

    private static FlowRecord record(String id, String category, int rank, long last, int events) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (rank < 7) {
            counts.put("LAG", 1 + rank);
            counts.put("DUPLICATE", 2);
        }
        return new FlowRecord(id, category, rank, category.toLowerCase() + ": " + events + " events", events,
                last - 1_000, last, 2, List.of("orders", "pay\u00e9ments"), counts);
    }

    @Test
    void aBlockReadsBackEverySummaryExactlyWithItsOffset() {
        List<FlowRecord> flows = List.of(record("order-1", "FAILED", 0, 1_700_000_000_000L, 4),
                record("\u00fcber-\uD83D\uDE00", "HEALTHY", 7, -5, 1),
                new FlowRecord("", "STOPPED", 2, "", 1, 0, 0, 0, List.of(), Map.of()));
        FlowSummaryBlock.Decoded d = FlowSummaryBlock.decode(FlowSummaryBlock.encode(flows));
        List<FlowRecord> read = new ArrayList<>();
        List<Integer> offsets = new ArrayList<>();
        d.forEach((r, at) -> {
            read.add(r);
            offsets.add(at);
        });
        assertThat(read).isEqualTo(flows);
        for (int i = 0; i < flows.size(); i++) {
            assertThat(d.at(offsets.get(i))).isEqualTo(flows.get(i));
        }
    }

    @Test
    void damagedBlocksAreRefusedWithIllegalArgumentNeverAnotherException() {
        Random r = new Random(SEED);
        List<byte[]> genuine = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            List<FlowRecord> flows = new ArrayList<>();
            for (int i = 0; i < 1 + r.nextInt(30); i++) {
                flows.add(record("order-" + r.nextInt(1000), r.nextBoolean() ? "HEALTHY" : "LAG", r.nextInt(8),
                        r.nextLong() >> 20, 1 + r.nextInt(9)));
            }
            genuine.add(FlowSummaryBlock.encode(flows));
            genuine.add(FlowSummaryBlock.encode(flows, false));   // the plain decoder meets the damage too
        }
        for (int c = 0; c < 30_000; c++) {
            byte[] bytes = mutate(genuine.get(r.nextInt(genuine.size())), r);
            try {
                FlowSummaryBlock.Decoded d = FlowSummaryBlock.decode(bytes);
                d.forEach((rec, at) -> assertThat(rec.correlationId()).isNotNull());
            } catch (IllegalArgumentException expected) {
                // refused: the reader leaves the block out
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("fuzz case " + c + " of -Deventlens.fuzz.seed=" + SEED + ": "
                        + HexFormat.of().formatHex(bytes), e);
            }
        }
        assertThatThrownBy(() -> FlowSummaryBlock.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown format 9");
        // an LZ4 block declaring a plain length far beyond what its bytes can hold allocates nothing
        assertThatThrownBy(() -> FlowSummaryBlock.decode(new byte[] {2, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared plain length");
    }

    @Test
    void theReaderListsWorstFirstAndCountsAsASortOfTheLatestSummaryOfEachFlow() {
        Random r = new Random(7);
        FlowSummaryIndex index = new FlowSummaryIndex();
        Map<String, FlowRecord> latest = new LinkedHashMap<>();
        for (int b = 1; b <= 20; b++) {
            List<FlowRecord> flush = new ArrayList<>();
            Map<String, FlowRecord> inFlush = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                int rank = r.nextInt(8);
                FlowRecord f = record("flow-" + r.nextInt(300), rank == 7 ? "HEALTHY" : "K" + rank, rank,
                        1_000 + r.nextInt(40), 1 + r.nextInt(5));
                inFlush.put(f.correlationId(), f);   // a flush holds each flow once
            }
            flush.addAll(inFlush.values());
            index.add(b, FlowSummaryBlock.decode(FlowSummaryBlock.encode(flush)));
            latest.putAll(inFlush);
        }
        Comparator<FlowRecord> worstFirst = (a, b) -> a.isBefore(b) ? -1 : b.isBefore(a) ? 1 : 0;
        List<FlowRecord> expected = latest.values().stream().filter(f -> f.rank() < 7).sorted(worstFirst).toList();
        List<FlowRecord> paged = new ArrayList<>();
        FlowRecord after = null;
        while (true) {
            List<FlowRecord> page = index.page(after, 7, 17);
            paged.addAll(page);
            if (page.size() < 17) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertThat(paged).isEqualTo(expected);
        Map<String, Long> counts = new LinkedHashMap<>();
        latest.values().forEach(f -> counts.merge(f.category(), 1L, Long::sum));
        assertThat(index.counts()).containsExactlyInAnyOrderEntriesOf(counts);
        assertThat(index.ids(null, 100_000)).isEqualTo(latest.keySet().stream().sorted().toList());
        assertThat(index.get("flow-17")).isEqualTo(latest.get("flow-17"));
    }

    @Test
    void aStoreOfSchemaVersion6IsReadFromItsRowsAndLaterBlocksReplaceThem() throws Exception {
        Path file;
        try (CaptureStore s = CaptureStore.open(dir.resolve("v6.mv.db"))) {
            file = s.file();
        }
        String base = file.toString().replaceFirst("\\.mv\\.db$", "");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "sa", "");
             Statement st = c.createStatement()) {
            // as version 6 wrote them: one row per flow, no block table (and none of the later tables)
            st.execute("DROP TABLE consumer_commit");   // schema version 8 (consumer groups)
            st.execute("DROP TABLE consumer_group_poll");
            st.execute("DROP TABLE consumer_partition_end");
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '8'");
            st.execute("DROP TABLE flow_summary_block");
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '7'");
            st.execute("INSERT INTO flow_summary VALUES ('a', 'FAILED', 0, 'failed', 3, 10, 20, 1, '6:orders', 'LAG:1')");
            st.execute("INSERT INTO flow_summary VALUES ('b', 'HEALTHY', 7, 'healthy', 2, 10, 30, 1, '6:orders', '')");
            st.execute("INSERT INTO flow_summary VALUES ('c', 'LAG', 3, 'lag', 2, 10, 40, 1, '6:orders', 'LAG:2')");
            st.execute("UPDATE flow_summary_state SET summarized_through_seq = 7 WHERE id = 1");
        }
        String before = HostileStores.sha256(file);
        try (CaptureStore ro = CaptureStore.openReadOnly(file)) {
            assertThat(ro.flowCountsByCategory()).containsExactlyInAnyOrderEntriesOf(Map.of("FAILED", 1L, "HEALTHY", 1L, "LAG", 1L));
            assertThat(ro.flowSummaries(null, 7, 10)).extracting(FlowRecord::correlationId).containsExactly("a", "c");
            assertThat(ro.flowSummary("c").anomalyCounts()).isEqualTo(Map.of("LAG", 2));
            assertThat(ro.summarizedFlowIds(null, 10)).containsExactly("a", "b", "c");
        }
        assertThat(HostileStores.sha256(file)).as("a read-only open never writes").isEqualTo(before);

        try (CaptureStore w = CaptureStore.open(file)) {   // migrated to V7
            assertThat(w.flowSummaries(null, 7, 10)).extracting(FlowRecord::correlationId).containsExactly("a", "c");
            w.writeFlowSummaries(List.of(new FlowRecord("a", "HEALTHY", 7, "healthy", 4, 10, 50, 1, List.of("orders"), Map.of()),
                    new FlowRecord("d", "STOPPED", 1, "stopped", 1, 60, 60, 1, List.of("orders"), Map.of())), 9);
            assertThat(w.flowCountsByCategory()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("HEALTHY", 2L, "LAG", 1L, "STOPPED", 1L));
            assertThat(w.flowSummaries(null, 8, 10)).extracting(FlowRecord::correlationId).containsExactly("d", "c", "a", "b");
            assertThat(w.summarizedThroughSeq()).isEqualTo(9);
        }
        try (CaptureStore ro = CaptureStore.openReadOnly(file)) {
            assertThat(ro.flowSummary("a").eventCount()).isEqualTo(4);
            assertThat(ro.summarizedFlowIds("a", 10)).containsExactly("b", "c", "d");
        }
    }

    @Test
    void aDamagedSummaryBlockIsLeftOutAndTheOthersRead() throws Exception {
        Path file;
        try (CaptureStore s = CaptureStore.open(dir.resolve("damaged.mv.db"))) {
            file = s.file();
            s.writeFlowSummaries(List.of(record("x", "LAG", 3, 5, 1)), 1);
            s.writeFlowSummaries(List.of(record("y", "LAG", 3, 6, 1)), 2);
        }
        String base = file.toString().replaceFirst("\\.mv\\.db$", "");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "sa", "");
             Statement st = c.createStatement()) {
            st.execute("UPDATE flow_summary_block SET summaries = X'02FFFF' WHERE block_no = 1");
        }
        try (CaptureStore ro = CaptureStore.openReadOnly(file)) {
            assertThat(ro.flowSummaries(null, 8, 10)).extracting(FlowRecord::correlationId).containsExactly("y");
            assertThat(ro.flowSummary("x")).isNull();
        }
    }

    private static byte[] mutate(byte[] original, Random r) {
        byte[] d = original.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int i = 0; i < 1 + r.nextInt(4) && d.length > 0; i++) {
                    d[r.nextInt(d.length)] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                if (d.length > 0) {
                    d[r.nextInt(d.length)] = (byte) new int[] {0x00, 0xFF, 0x7F, 0x80, 0x01, 0x02}[r.nextInt(6)];
                }
            }
            case 2 -> d = java.util.Arrays.copyOf(d, r.nextInt(d.length + 1));
            case 3 -> {
                d = java.util.Arrays.copyOf(d, d.length + 1 + r.nextInt(16));
                for (int i = original.length; i < d.length; i++) {
                    d[i] = (byte) r.nextInt(256);
                }
            }
            default -> {
                d = new byte[r.nextInt(64)];
                r.nextBytes(d);
                if (d.length > 0) {
                    d[0] = (byte) (1 + r.nextInt(2));
                }
            }
        }
        return d;
    }
}
