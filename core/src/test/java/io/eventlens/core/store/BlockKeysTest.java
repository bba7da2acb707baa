package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The stored forms of a block's lookup keys ({@link BlockKeys}): filters, ID lists, the hash. */
class BlockKeysTest {

    private static BlockKeys.Filter filterOf(List<String> ids) {
        long[] hashes = ids.stream().mapToLong(BlockKeys::hash).toArray();
        return BlockKeys.Filter.read(BlockKeys.filter(hashes, hashes.length));
    }

    private static List<String> readAll(byte[] list) {
        BlockKeys.IdCursor cursor = new BlockKeys.IdCursor(list);
        List<String> out = new ArrayList<>();
        while (cursor.next()) {
            out.add(cursor.current());
        }
        return out;
    }

    @Test
    void theHashIsTheDocumentedOneBecauseStoredFiltersDependOnIt() {
        // FNV-1a 64 over UTF-16 chars, then fmix64; changing it breaks every stored filter
        assertThat(BlockKeys.hash("")).isEqualTo(fmix64(0xcbf29ce484222325L));
        long h = 0xcbf29ce484222325L;
        for (char c : "c-1ü".toCharArray()) {
            h = (h ^ c) * 0x100000001b3L;
        }
        assertThat(BlockKeys.hash("c-1ü")).isEqualTo(fmix64(h));
        assertThat(BlockKeys.hash("c-1")).isNotEqualTo(BlockKeys.hash("c-2"));
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    @Test
    void aFilterHasNoFalseNegativesAndFewFalsePositives() {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < BlockKeys.MAX_IDS; i++) {
            members.add("order-" + i);
        }
        BlockKeys.Filter filter = filterOf(members);

        assertThat(members).allMatch(id -> filter.mightContain(BlockKeys.hash(id)));
        int falsePositives = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            if (filter.mightContain(BlockKeys.hash("other-" + i))) {
                falsePositives++;
            }
        }
        // 16 bits and 11 hashes per ID: about 0.05% in theory; a broken filter is far above 0.2%
        assertThat(falsePositives).as("false positives of %d probes", probes).isLessThan(probes / 500);
        assertThat(filter.bytes()).isLessThanOrEqualTo(BlockKeys.MAX_IDS * BlockKeys.BITS_PER_KEY / 8 + 16);
    }

    @Test
    void aFilterOfNoIdsContainsNothingAndARepeatedIdIsHarmless() {
        assertThat(filterOf(List.of()).mightContain(BlockKeys.hash(""))).isFalse();
        assertThat(filterOf(List.of()).bits()).isEmpty();
        assertThat(filterOf(List.of("a", "a", "a")).mightContain(BlockKeys.hash("a"))).isTrue();
        assertThat(filterOf(List.of("a", "a", "a")).bits()).hasSize(1);
    }

    @Test
    void storedFiltersOfAnotherFormatOrSizeAreRefused() {
        byte[] genuine = BlockKeys.filter(new long[] {1, 2, 3}, 3);
        assertThat(BlockKeys.Filter.read(genuine)).isNotNull();

        byte[] otherFormat = genuine.clone();
        otherFormat[0] = 9;
        byte[] noHashes = genuine.clone();
        noHashes[1] = 0;
        byte[] manyHashes = genuine.clone();
        manyHashes[1] = 33;
        assertThat(BlockKeys.Filter.read(otherFormat)).isNull();
        assertThat(BlockKeys.Filter.read(noHashes)).isNull();
        assertThat(BlockKeys.Filter.read(manyHashes)).isNull();
        assertThat(BlockKeys.Filter.read(Arrays.copyOf(genuine, genuine.length - 1))).as("not whole words").isNull();
        assertThat(BlockKeys.Filter.read(new byte[] {1})).isNull();
        assertThat(BlockKeys.Filter.read(new byte[2 + BlockKeys.MAX_FILTER_BITS / 8 + 8])).as("too many bits").isNull();
    }

    @Test
    void anIdListRoundTripsSortedIdsExactlyIncludingSurrogatesAndTheEmptyId() {
        String[] ids = {"", "a", "ab", "abc", "abd", "b", "order-0001", "order-0002", "ü-x", "\uD83D\uDE00", "\uD83D\uDE01",
                "\uD83D", "\uFFFF" + "z"};
        Arrays.sort(ids);

        assertThat(readAll(BlockKeys.idList(ids))).containsExactly(ids);
        assertThat(BlockKeys.IdList.read(BlockKeys.idList(ids))).isNotNull();
        assertThat(readAll(BlockKeys.idList(new String[0]))).isEmpty();
    }

    @Test
    void anIdListOfOrderIdsTakesAFewBytesPerId() {
        String[] ids = new String[1024];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = String.format("order-%08d", 4_000_000 + i);
        }
        assertThat(BlockKeys.idList(ids).length).as("bytes for 1024 IDs of 14 chars").isLessThan(1024 * 6);
    }

    @Test
    void aCursorSkipsToThePrefixAndComparesAsStrings() {
        byte[] list = BlockKeys.idList(new String[] {"a-1", "c-1", "c-10", "c-2", "d"});
        BlockKeys.IdCursor cursor = new BlockKeys.IdCursor(list);

        assertThat(cursor.skipTo("c-1")).isTrue();
        assertThat(cursor.current()).isEqualTo("c-1");
        assertThat(cursor.startsWith("c-1")).isTrue();
        assertThat(cursor.compareTo("c-1")).isZero();
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.current()).isEqualTo("c-10");
        assertThat(cursor.skipTo("c-3")).isTrue();
        assertThat(cursor.current()).isEqualTo("d");
        assertThat(cursor.skipTo("e")).isFalse();
    }

    @Test
    void anIdListKnowsItsFirstAndLastIdToRuleOutPrefixes() {
        BlockKeys.IdList list = BlockKeys.IdList.read(BlockKeys.idList(new String[] {"c-10", "c-11", "c-19", "d-1"}));

        assertThat(list.first()).isEqualTo("c-10");
        assertThat(list.last()).isEqualTo("d-1");
        assertThat(list.mayHavePrefix("")).isTrue();
        assertThat(list.mayHavePrefix("c-")).isTrue();
        assertThat(list.mayHavePrefix("c-1")).as("the first ID starts with it").isTrue();
        assertThat(list.mayHavePrefix("c-15")).as("between first and last").isTrue();
        assertThat(list.mayHavePrefix("c-0")).as("before the first ID").isFalse();
        assertThat(list.mayHavePrefix("d-2")).as("after the last ID").isFalse();
        assertThat(list.mayHavePrefix("d-1")).isTrue();
        assertThat(BlockKeys.IdList.read(BlockKeys.idList(new String[0])).mayHavePrefix("")).isFalse();
        BlockKeys.IdList one = BlockKeys.IdList.read(BlockKeys.idList(new String[] {"only"}));
        assertThat(one.first()).isEqualTo("only");
        assertThat(one.last()).isEqualTo("only");
    }

    @Test
    void damagedIdListsAreRefusedNotMisread() {
        byte[] genuine = BlockKeys.idList(new String[] {"a", "b", "c"});
        byte[] unsorted = BlockKeys.idList(new String[] {"a", "b", "c"});
        unsorted[unsorted.length - 1] = 'a';   // "c" becomes "a": not ascending
        byte[] sharesTooMuch = genuine.clone();
        sharesTooMuch[3] = 5;   // the first ID shares 5 chars with nothing
        byte[] countTooHigh = genuine.clone();
        countTooHigh[1] = 4;
        byte[] trailing = Arrays.copyOf(genuine, genuine.length + 1);
        byte[] manyIds = {BlockKeys.IDS_FORMAT, (byte) 0x81, 0x10};   // 2049 IDs

        assertThat(BlockKeys.IdList.read(genuine)).isNotNull();
        for (byte[] bad : List.of(unsorted, sharesTooMuch, countTooHigh, trailing, manyIds,
                Arrays.copyOf(genuine, genuine.length - 1), new byte[] {9, 0}, new byte[0])) {
            assertThat(BlockKeys.IdList.read(bad)).as(Arrays.toString(bad)).isNull();
        }
        assertThatThrownBy(() -> readAll(unsorted)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ascending");
    }

    @Test
    void aBuilderCollectsDistinctSortedCorrelationIdsAndEveryEventId() {
        BlockKeys.Builder builder = new BlockKeys.Builder();
        Random random = new Random(3);
        TreeSet<String> expected = new TreeSet<>();
        for (int i = 0; i < 1024; i++) {
            String cid = "c-" + random.nextInt(300);
            expected.add(cid);
            builder.add(cid, "e-" + i);
        }
        builder.add(null, null);

        BlockKeys.Stored stored = builder.build();

        assertThat(readAll(stored.correlationIds())).containsExactlyElementsOf(expected);
        BlockKeys.Filter events = BlockKeys.Filter.read(stored.eventKeys());
        for (int i = 0; i < 1024; i++) {
            assertThat(events.mightContain(BlockKeys.hash("e-" + i))).isTrue();
        }
        builder.reset();
        assertThat(readAll(builder.build().correlationIds())).isEmpty();
    }
    /**
     * A reused builder (issue 6: it keeps its arrays from block to block) stores exactly what a
     * fresh one given the same IDs would, the stored forms being those of the distinct IDs sorted:
     * blocks of repeated, consecutive, equal-but-not-identical and many distinct IDs (past the
     * set's growth and the size it keeps between blocks).
     */
    @Test
    void aReusedBuilderStoresExactlyWhatTheDistinctSortedIdsGive() {
        BlockKeys.Builder reused = new BlockKeys.Builder();
        Random random = new Random(11);
        for (int block = 0; block < 40; block++) {
            reused.reset();
            TreeSet<String> distinct = new TreeSet<>();
            List<String> eventIds = new ArrayList<>();
            int n = block % 7 == 0 ? 1024 : random.nextInt(1025);
            int range = block % 5 == 0 ? 20_000 : 1 + random.nextInt(400);
            String previous = null;
            for (int i = 0; i < n; i++) {
                String cid = random.nextInt(8) == 0 ? null
                        : previous != null && random.nextBoolean() ? new String(previous.toCharArray())
                        : "c-" + random.nextInt(range);
                String eid = random.nextInt(10) == 0 ? null : "e-" + block + "-" + i;
                reused.add(cid, eid);
                if (cid != null) {
                    distinct.add(cid);
                    previous = cid;
                }
                if (eid != null) {
                    eventIds.add(eid);
                }
            }
            BlockKeys.Stored stored = reused.build();
            String[] sorted = distinct.toArray(new String[0]);
            long[] idHashes = Arrays.stream(sorted).mapToLong(BlockKeys::hash).toArray();
            long[] eventHashes = eventIds.stream().mapToLong(BlockKeys::hash).toArray();
            assertThat(stored.correlationIds()).as("block %d", block).isEqualTo(BlockKeys.idList(sorted));
            assertThat(stored.correlationKeys()).isEqualTo(BlockKeys.filter(idHashes, idHashes.length));
            assertThat(stored.eventKeys()).isEqualTo(BlockKeys.filter(eventHashes, eventHashes.length));
        }
    }
}
