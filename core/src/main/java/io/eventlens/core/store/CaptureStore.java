package io.eventlens.core.store;

import io.eventlens.core.model.CapturedEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * A capture store: the events of one or more captures and the source positions they came from,
 * in an embedded H2 database file. Thread-safe: one writer (a capture) and many readers (the UI,
 * the CLI) may use one store at once.
 *
 * <p>Never loads a whole capture into memory: every read is a bounded page or one correlation ID.
 *
 * <p>A capture file is untrusted input: it may come from someone else's CI run or ticket
 * (docs/decisions/0007-untrusted-capture-files.md). Both ways of opening one first check it
 * without H2's SQL engine, because H2 runs the definitions stored in a database file (triggers,
 * aliases, views) while it opens it: the file is accepted only when its stored definitions are
 * exactly those of one released schema version of the store. Then:
 * <ul>
 *   <li>{@link #openReadOnly} (the CLI's {@code timeline}, the desktop app's Open…, Recent, drag and
 *       drop and command line) never writes: the file's bytes stay the same, nothing is created
 *       beside it, no migration runs and an older schema version is read as it is;</li>
 *   <li>{@link #open} ({@code capture --out}, the app's capture into a new file) creates a missing
 *       file, migrates an existing one to the newest schema version, and writes.</li>
 * </ul>
 * Neither accepts a path that H2 would read as database URL settings (a {@code ;}).
 */
public interface CaptureStore extends AutoCloseable {

    /**
     * Opens the store in {@code file} for writing, creating it (and its schema) when absent; an
     * existing file is checked (see the class comment), then migrated to the newest schema version;
     * a store of schema version 1 or 2 then gets the lookup keys of its blocks, in one pass.
     *
     * @param file the store file; the {@code .mv.db} suffix may be left off
     * @throws CaptureStoreException when the file is not a capture store (or is damaged), its path
     *                               holds H2 URL syntax, it is locked by another process (or already
     *                               open in this one), or it cannot be created; the message names
     *                               the file and says what was found
     */
    static CaptureStore open(Path file) {
        return H2CaptureStore.open(file);
    }

    /**
     * Opens the existing store in {@code file} for reading only, after the check of the class
     * comment. The file is never written and no file is created; {@link #append} fails.
     *
     * @param file the store file; the {@code .mv.db} suffix may be left off
     * @throws CaptureStoreException when the file is missing, is not a capture store (or is
     *                               damaged), its path holds H2 URL syntax, or it is locked by
     *                               another process (or already open in this one); the message
     *                               names the file and says what was found
     */
    static CaptureStore openReadOnly(Path file) {
        return H2CaptureStore.openReadOnly(file);
    }

    /** True when opened by {@link #openReadOnly}: {@link #append} then fails. */
    default boolean isReadOnly() {
        return false;
    }

    /** The store file ({@code ....mv.db}). */
    Path file();

    /**
     * Appends events and the positions to resume from, in one transaction: after a crash either
     * both are stored or neither. Assigns each event the next store sequence.
     *
     * @param events        events in capture order (their {@code seq} is ignored)
     * @param nextPositions for each stream these events came from, where it resumes after them
     *                      (Kafka: the last captured offset + 1); replaces the stored position of
     *                      the same {@code (source, stream)}; a later entry for the same stream
     *                      wins; empty for sources without replayable positions
     * @return the store sequence assigned to the first event (the others follow densely), or 0
     *         when {@code events} is empty
     * @throws CaptureStoreException when the write fails (nothing of this call is then stored),
     *                               or the store is {@linkplain #isReadOnly() read-only}
     */
    long append(List<CapturedEvent> events, Collection<StreamPosition> nextPositions);

    /**
     * The stored resume positions of one source (for example one Kafka cluster's ID), sorted by
     * stream; empty when none.
     */
    List<StreamPosition> positions(String source);

    /** Number of events stored. */
    long eventCount();

    /**
     * A page of events in store order. The events of a damaged block are left out (the sequences
     * jump; see {@link #damagedBlocks()}).
     *
     * @param fromSeq first store sequence to return (1-based)
     * @param limit   maximum number of events, 1 to 10,000
     */
    List<CapturedEvent> page(long fromSeq, int limit);

    /**
     * One step of a sequential pass that decodes in full only the events {@code selector} wants
     * (by channel name and header names), reading at most {@code maxEvents} stored events (whole
     * blocks: a step may read up to one block more). Events it does not want are checked but not
     * copied, so a pass for a few events over a large capture allocates little
     * (docs/decisions/0012-dead-letter-report.md). Damaged blocks are skipped as {@link #page} skips
     * them. Works on a read-only store; never writes.
     *
     * @param fromSeq   first store sequence to read (1-based)
     * @param maxEvents how many stored events to read at most, 1 to 100,000
     * @param selector  which events to return
     * @return the selected events and where the next step starts
     * @throws IllegalArgumentException when {@code maxEvents} is out of range
     * @throws CaptureStoreException    when the store cannot be read; the message names the file
     */
    default ScanPage scan(long fromSeq, int maxEvents, EventSelector selector) {
        if (maxEvents < 1 || maxEvents > 100_000) {
            throw new IllegalArgumentException("maxEvents: must be 1 to 100000, was " + maxEvents);
        }
        long from = Math.max(1, fromSeq);
        long last = eventCount();
        List<CapturedEvent> out = new java.util.ArrayList<>();
        long next = from;
        while (next <= last && next - from < maxEvents) {
            int n = (int) Math.min(Math.min(10_000, maxEvents - (next - from)), last - next + 1);
            List<CapturedEvent> page = page(next, n);
            for (CapturedEvent e : page) {
                if (e.seq() < next + n && selector.wants(e.channel().name(), e.headers().stream().map(io.eventlens.core.model.Header::name).toList())) {
                    out.add(e);
                }
            }
            next += n;
        }
        return new ScanPage(out, next);
    }

    /**
     * {@link #scan(long, int, EventSelector)} that may skip whole blocks whose observed times all lie
     * outside {@code [minObservedMs, maxObservedMs]} without reading them (the block index keeps each
     * block's earliest and latest observed time, docs/decisions/0001-capture-store.md). Events of the
     * blocks it reads are returned whatever their time: the caller still tests each one. Used by
     * filters that bound {@code observedAt} (docs/decisions/0022-cel-filters.md, "Pushdown").
     *
     * @param minObservedMs earliest observed time wanted, epoch ms ({@link Long#MIN_VALUE} for none)
     * @param maxObservedMs latest observed time wanted, epoch ms ({@link Long#MAX_VALUE} for none)
     */
    default ScanPage scan(long fromSeq, int maxEvents, EventSelector selector, long minObservedMs, long maxObservedMs) {
        return scan(fromSeq, maxEvents, selector);
    }

    /** One event by store sequence, or {@code null} (also when its block is damaged). */
    CapturedEvent event(long seq);

    /**
     * The most events {@link #findByCorrelationId(String)} returns: {@value}. A correlation ID with
     * more events (a hot key, a test flow that never ends) is cut to its first events in store
     * order, so that a lookup's memory stays bounded (issue 6); {@link #findByCorrelationId(String, int)}
     * says how many there were.
     */
    int DEFAULT_LOOKUP_LIMIT = 100_000;

    /**
     * The first {@link #DEFAULT_LOOKUP_LIMIT} events with this correlation ID, in store order
     * (indexed lookup); damaged blocks are skipped. Use {@link #findByCorrelationId(String, int)}
     * to learn whether there were more.
     */
    default List<CapturedEvent> findByCorrelationId(String correlationId) {
        return findByCorrelationId(correlationId, DEFAULT_LOOKUP_LIMIT).events();
    }

    /**
     * The first {@code limit} events with this correlation ID in store order, and how many the
     * store holds in all (indexed lookup; damaged blocks are skipped and not counted).
     *
     * @param correlationId the correlation ID (exact, case-sensitive); {@code null} finds nothing
     * @param limit         the most events to return, 1 or more ({@link #DEFAULT_LOOKUP_LIMIT} for
     *                      the default)
     * @throws IllegalArgumentException when {@code limit} is less than 1
     * @throws CaptureStoreException    when the store cannot be read; the message names the file
     */
    Lookup findByCorrelationId(String correlationId, int limit);

    /**
     * The events with this event ID (normally one; more when it was redelivered or seen by several
     * sources), in store order (indexed lookup), at most {@link #DEFAULT_LOOKUP_LIMIT}; damaged
     * blocks are skipped.
     */
    List<CapturedEvent> findByEventId(String eventId);

    /**
     * Distinct correlation IDs that start with {@code prefix} (case-sensitive), sorted, at most
     * {@code limit}: the correlation ID search completion.
     */
    List<String> correlationIds(String prefix, int limit);

    /**
     * The damaged event blocks this store has met so far, in store order: blocks whose bytes
     * cannot be decoded (docs/decisions/0001-capture-store.md, "Damaged blocks"). Reads skip them
     * ({@link #page} leaves their events out, {@link #event} returns {@code null}, lookups miss their
     * events) instead of failing, so a caller that needs to know whether a result is complete asks
     * here after the read. Each entry names the file, the block (its first sequence), its events
     * and what is wrong; it is also logged once as a warning.
     *
     * @return an immutable snapshot; empty when no damaged block was met
     */
    default List<DamagedBlockException> damagedBlocks() {
        return List.of();
    }

    /**
     * The highest store sequence through which the lookup index (correlation ID, event ID) is
     * written. A store of schema version 3 or later writes its index with each block, in the
     * same transaction (docs/decisions/0008-block-keys.md), so this is always {@link #eventCount()};
     * only an older store opened read-only may lag (its per-event index was written behind the
     * capture). Lookups are complete whatever it is (events past it are found by scanning).
     */
    default long indexedThroughSeq() {
        return eventCount();
    }

    /**
     * Whether the lookup index covers every stored event. Nothing is ever waited for: a store of
     * schema version 3 or later is always indexed, and nothing indexes an older store opened
     * read-only (its lookups scan the events past its index instead).
     *
     * @param timeout ignored; kept for callers written when a background indexer existed
     * @return true when {@link #indexedThroughSeq()} reaches {@link #eventCount()}
     */
    default boolean awaitIndexed(Duration timeout) {
        return indexedThroughSeq() >= eventCount();
    }

    // ------------------------------------------------------------------ flow summaries (schema V4)

    /**
     * Stores the summaries of these flows (replacing each flow's earlier summary) and moves the
     * summaries' watermark, in one transaction: after a crash either both are stored or neither
     * (docs/decisions/0009-flow-summaries.md). Since schema V7 the summaries of one call are one
     * {@code flow_summary_block} row (docs/decisions/0020-flow-summary-blocks.md); the reads below
     * give the latest summary of each flow.
     *
     * @param flows                the changed flows' summaries; may be empty (only the watermark moves)
     * @param summarizedThroughSeq every event with a store sequence up to this is reflected in the
     *                             stored summaries once this commits
     * @throws CaptureStoreException when the write fails (nothing of this call is then stored), or
     *                               the store is {@linkplain #isReadOnly() read-only}
     */
    void writeFlowSummaries(java.util.Collection<FlowRecord> flows, long summarizedThroughSeq);

    /**
     * How far the stored flow summaries reach: every event with a store sequence up to this is
     * reflected in them. 0 when none are stored (also for a store of a schema version before 4,
     * opened read-only). Summaries past it are computed by the reader
     * ({@code io.eventlens.core.flows.FlowSummaries}).
     */
    long summarizedThroughSeq();

    /**
     * A page of stored flow summaries, worst first: by {@link FlowRecord#rank()}, then the latest
     * observed first, then by correlation ID ({@link FlowRecord#isBefore}). The first read of the
     * flow summaries holds the latest summary of every flow in memory (about 200 bytes per flow) and
     * later reads add the blocks written since; a page is one pass over them
     * (docs/decisions/0020-flow-summary-blocks.md).
     *
     * @param after     the last record of the previous page, or null for the first page
     * @param belowRank only records whose rank is lower than this
     * @param limit     at most this many, 1 to 10,000
     * @return the page; empty when none are stored
     */
    List<FlowRecord> flowSummaries(FlowRecord after, int belowRank, int limit);

    /**
     * Records polls of a polled source (docs/decisions/0019-probe-source.md), in one transaction.
     *
     * @throws CaptureStoreException when the write fails (nothing of this call is then stored), or
     *                               the store is {@linkplain #isReadOnly() read-only}
     */
    void appendPolls(java.util.Collection<SourcePoll> polls);

    /**
     * The recorded polls of one source ID in the order they were made, at most {@code limit}
     * (the latest ones); empty when none, also for a store of a schema version before 5.
     *
     * @throws IllegalArgumentException when {@code limit} is not 1 to 100,000
     */
    List<SourcePoll> polls(String source, int limit);

    /**
     * Records one poll of the consumer-group follower (docs/decisions/0021-consumer-groups.md,
     * schema version 8) in one transaction: new commits, group polls, and each group's position
     * on each partition (replacing the earlier row of the same group and partition).
     *
     * @throws CaptureStoreException when the write fails (nothing of this call is then stored), or
     *                               the store is {@linkplain #isReadOnly() read-only}
     * @throws UnsupportedOperationException for stores that keep no consumer progress
     */
    default void appendConsumerProgress(List<io.eventlens.core.consumers.ConsumerCommit> commits,
                                        List<io.eventlens.core.consumers.GroupPoll> polls,
                                        List<io.eventlens.core.consumers.PartitionEnd> ends) {
        throw new UnsupportedOperationException("this capture store keeps no consumer-group progress");
    }

    /**
     * Everything recorded about the followed consumer groups, at most {@value #MAX_CONSUMER_ROWS}
     * rows of each table (the earliest ones); empty for a store of a schema version before 8. Rows
     * that a damaged or crafted file holds and that are not valid (a negative offset, an unknown
     * time precision) are left out and logged once.
     *
     * @throws CaptureStoreException when the store cannot be read; the message names the file
     */
    default io.eventlens.core.consumers.ConsumerProgress consumerProgress() {
        return io.eventlens.core.consumers.ConsumerProgress.NONE;
    }

    /** The most rows of each consumer-progress table {@link #consumerProgress()} reads: {@value}. */
    int MAX_CONSUMER_ROWS = 1_000_000;

    /** The number of stored flow summaries per category name; empty when none are stored. */
    java.util.Map<String, Long> flowCountsByCategory();

    /** The stored summary of one flow, or null when none is stored. */
    FlowRecord flowSummary(String correlationId);

    /**
     * Correlation IDs of stored flow summaries, sorted, after {@code after} (null for the first),
     * at most {@code limit} (1 to 100,000): a pass over every summarized flow.
     */
    List<String> summarizedFlowIds(String after, int limit);

    /**
     * Writes a consistent copy of the store to {@code target} (a {@code .mv.db} file), for "Save As".
     * Works on a read-only store too: only {@code target} (and a temporary file beside it) is written.
     *
     * @throws CaptureStoreException when the copy fails; the message names the target
     */
    void copyTo(Path target);

    /**
     * The replay log of this store (docs/decisions/0018-replay.md): every replay run from it, what
     * each send carried, where it went and its outcome. Writing it needs a store opened with
     * {@link #open}; a read-only store can be read.
     *
     * @throws UnsupportedOperationException for stores that keep no replay log
     */
    default ReplayLog replayLog() {
        throw new UnsupportedOperationException("this capture store keeps no replay log");
    }

    /**
     * Closes the database; further calls fail. Nothing is left to finish: every committed block
     * was committed with its lookup keys.
     */
    @Override
    void close();
}
