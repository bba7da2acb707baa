package io.eventlens.core.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A reader's view of the stored flow summaries of schema V7 (docs/decisions/0020-flow-summary-blocks.md):
 * the latest summary of every flow, from the summary blocks read in the order they were written (a
 * later block's summary of a flow replaces the earlier one), after the rows of a store's
 * {@code flow_summary} table from before V7. Keeps the worst-first order and the counts per category
 * that the table's index and {@code GROUP BY} gave before.
 *
 * <p>Memory per flow: its correlation ID, one hash map entry and 24 bytes of arrays; per block its
 * plain bytes and dictionary (about 54 MB in all for the 250,000 flows of a 1M-event capture). A
 * block is added by reading only what orders and counts; a summary is decoded from its block's bytes
 * when asked for. Thread-safe (every method synchronized).
 */
final class FlowSummaryIndex {

    private final HashMap<String, Integer> slots = new HashMap<>();
    private String[] ids = new String[1024];
    private int[] rank = new int[1024];
    private int[] category = new int[1024];
    private long[] lastMs = new long[1024];
    private int[] block = new int[1024];
    private int[] offset = new int[1024];
    private int size;
    private final List<FlowSummaryBlock.Decoded> blocks = new ArrayList<>();
    private final List<String> categories = new ArrayList<>();
    private final Map<String, Integer> categoryIds = new HashMap<>();
    private long[] categoryCounts = new long[8];
    /** The last {@code flow_summary_block.block_no} read (0: none). */
    private long readThroughBlockNo;

    synchronized long readThroughBlockNo() {
        return readThroughBlockNo;
    }

    /**
     * Adds one decoded block's summaries (each replaces the flow's earlier one) and remembers the
     * block number read.
     *
     * @throws IllegalArgumentException when the block's bytes are damaged (nothing of it is added)
     */
    synchronized void add(long blockNo, FlowSummaryBlock.Decoded decoded) {
        // check the whole block first: a damaged block adds nothing
        decoded.forEachKey((id, c, r, last, at) -> { });
        int b = blocks.size();
        blocks.add(decoded);
        decoded.forEachKey((id, c, r, last, at) -> put(id, c, r, last, b, at));
        readThroughBlockNo = Math.max(readThroughBlockNo, blockNo);
    }

    /** Marks a block number as read without adding anything (a damaged block). */
    synchronized void skip(long blockNo) {
        readThroughBlockNo = Math.max(readThroughBlockNo, blockNo);
    }

    private void put(String correlationId, String categoryName, int r, long last, int b, int at) {
        Integer slot = slots.get(correlationId);
        int c = categoryId(categoryName);
        int i;
        if (slot == null) {
            if (size == ids.length) {
                int n = size * 2;
                ids = Arrays.copyOf(ids, n);
                rank = Arrays.copyOf(rank, n);
                category = Arrays.copyOf(category, n);
                lastMs = Arrays.copyOf(lastMs, n);
                block = Arrays.copyOf(block, n);
                offset = Arrays.copyOf(offset, n);
            }
            i = size++;
            ids[i] = correlationId;
            slots.put(correlationId, i);
        } else {
            i = slot;
            categoryCounts[category[i]]--;
        }
        rank[i] = r;
        category[i] = c;
        lastMs[i] = last;
        block[i] = b;
        offset[i] = at;
        categoryCounts[c]++;
    }

    private int categoryId(String name) {
        Integer id = categoryIds.get(name);
        if (id == null) {
            id = categories.size();
            categories.add(name);
            categoryIds.put(name, id);
            if (id == categoryCounts.length) {
                categoryCounts = Arrays.copyOf(categoryCounts, id * 2);
            }
        }
        return id;
    }

    /** The number of flows. */
    synchronized int size() {
        return size;
    }

    /** The number of flows per category name (only categories with flows). */
    synchronized Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int c = 0; c < categories.size(); c++) {
            if (categoryCounts[c] > 0) {
                out.put(categories.get(c), categoryCounts[c]);
            }
        }
        return out;
    }

    /** The latest summary of this flow, or null. */
    synchronized FlowRecord get(String correlationId) {
        Integer slot = slots.get(correlationId);
        return slot == null ? null : record(slot);
    }

    private FlowRecord record(int i) {
        return blocks.get(block[i]).at(offset[i]);
    }

    /** Worst first, as {@link FlowRecord#isBefore}: true when flow {@code i} comes before flow {@code j}. */
    private int compare(int i, int j) {
        if (rank[i] != rank[j]) {
            return Integer.compare(rank[i], rank[j]);
        }
        if (lastMs[i] != lastMs[j]) {
            return Long.compare(lastMs[j], lastMs[i]);
        }
        return ids[i].compareTo(ids[j]);
    }

    private boolean after(int i, FlowRecord a) {
        if (rank[i] != a.rank()) {
            return rank[i] > a.rank();
        }
        if (lastMs[i] != a.lastObservedMs()) {
            return lastMs[i] < a.lastObservedMs();
        }
        return ids[i].compareTo(a.correlationId()) > 0;
    }

    /**
     * A page worst first: the first {@code limit} flows of rank below {@code belowRank} that come after
     * {@code after} (null: from the first). One pass over every flow, keeping the best {@code limit}.
     */
    synchronized List<FlowRecord> page(FlowRecord after, int belowRank, int limit) {
        PriorityQueue<Integer> worstLast = new PriorityQueue<>(Math.min(limit, 1024) + 1, (a, b) -> compare(b, a));
        for (int i = 0; i < size; i++) {
            if (rank[i] >= belowRank || (after != null && !after(i, after))) {
                continue;
            }
            if (worstLast.size() < limit) {
                worstLast.add(i);
            } else if (compare(i, worstLast.peek()) < 0) {
                worstLast.poll();
                worstLast.add(i);
            }
        }
        Integer[] picked = worstLast.toArray(new Integer[0]);
        Arrays.sort(picked, this::compare);
        List<FlowRecord> out = new ArrayList<>(picked.length);
        for (int i : picked) {
            out.add(record(i));
        }
        return out;
    }

    /** Correlation IDs sorted, after {@code after} (null: from the first), at most {@code limit}. */
    synchronized List<String> ids(String after, int limit) {
        PriorityQueue<String> lastFirst = new PriorityQueue<>(Math.min(limit, 1024) + 1, (a, b) -> b.compareTo(a));
        for (int i = 0; i < size; i++) {
            String id = ids[i];
            if (after != null && id.compareTo(after) <= 0) {
                continue;
            }
            if (lastFirst.size() < limit) {
                lastFirst.add(id);
            } else if (id.compareTo(lastFirst.peek()) < 0) {
                lastFirst.poll();
                lastFirst.add(id);
            }
        }
        String[] out = lastFirst.toArray(new String[0]);
        Arrays.sort(out);
        return List.of(out);
    }
}
