package io.eventlens.core.flows;

import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.FlowRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a writable store's flow summaries up to date behind a capture
 * (docs/decisions/0009-flow-summaries.md): the capture's writer hands it each committed batch
 * ({@link #committed}, waiting briefly at most), and its own thread feeds them to a {@link FlowSummarizer}
 * whose flushes write the summaries and {@code summarized_through_seq} in one transaction.
 *
 * <p>It first catches up with what the store holds past its watermark (an older store, a capture
 * that was killed), reading the blocks once in store order. Batches that arrive while it is busy wait
 * in a bounded queue ({@value #QUEUE_EVENTS} events); when it is full the writer waits for room
 * for a short while ({@link #MAX_WAIT_NANOS}: decoding the events again costs more than the pause),
 * then drops the batch, which is read back from the store when its turn comes, so the writer never
 * waits long and memory stays bounded.
 *
 * <p>A failure is logged and ends the summaries, never the capture: the summaries are derived data,
 * and a reader computes those past the watermark ({@link FlowSummaries#catchUp}).
 */
public final class FlowSummaryWriter {

    private static final Logger LOG = LoggerFactory.getLogger(FlowSummaryWriter.class);
    /**
     * Events waiting for the summarizer at most. Behind a source whose records wait to be read, the
     * writer waits for room ({@link #committed}); behind a live one a batch that finds no room is read
     * back from the store later. Small, because what waits here is held in the heap and young
     * collections copy it (docs/decisions/0009-flow-summaries.md, amendments).
     */
    static final int QUEUE_EVENTS = 2_048;
    /** Events read from the store per page when catching up. */
    static final int PAGE = 4_096;
    private static final long IDLE_POLL_MS = 250;
    /** How long {@link #committed} waits for room in the queue at most before it drops the batch. */
    static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final List<CapturedEvent> WAKE = List.of();

    private final CaptureStore store;
    private final TimelineAnalyzer analyzer;
    private final long maxBytes;
    private final BlockingQueue<List<CapturedEvent>> queue = new ArrayBlockingQueue<>(QUEUE_EVENTS);
    private final Object lock = new Object();
    private final Thread thread;
    private int queuedEvents;
    private volatile boolean finishing;
    private volatile long target = Long.MAX_VALUE;
    private volatile long summarizedThrough;
    private volatile Throwable failure;
    private volatile long reloads;
    /** True while the summarizer reads events back from the store (the queue does not drain then). */
    private volatile boolean readingStore;
    /** Events handed over but dropped (read back from the store later); guarded by {@code lock}. */
    private long dropped;

    /** True when {@link #committed} waits for room however long it takes (a source that is not live). */
    private final boolean waitForRoom;

    private FlowSummaryWriter(CaptureStore store, TimelineAnalyzer analyzer, long maxBytes, boolean waitForRoom) {
        this.store = store;
        this.analyzer = analyzer;
        this.maxBytes = maxBytes;
        this.waitForRoom = waitForRoom;
        this.thread = new Thread(this::run, "eventlens-flow-summaries-" + store.file().getFileName());
        thread.setDaemon(true);
    }

    /**
     * Starts keeping {@code store}'s flow summaries, with {@code analyzer}'s verdicts and at most
     * {@code maxBytes} of events in memory ({@link FlowSummarizer#DEFAULT_MAX_BYTES} by default).
     *
     * @throws IllegalArgumentException when the store is read-only or {@code maxBytes} is not positive
     */
    public static FlowSummaryWriter start(CaptureStore store, TimelineAnalyzer analyzer, long maxBytes) {
        return start(store, analyzer, maxBytes, false);
    }

    /**
     * As {@link #start(CaptureStore, TimelineAnalyzer, long)}; with {@code waitForRoom}, {@link #committed}
     * waits for room in the queue as long as it takes instead of dropping a batch to be read back
     * from the store later: for sources that are read, not followed (artifact files), where the
     * capture loses nothing by waiting and decoding the events again would cost more.
     */
    public static FlowSummaryWriter start(CaptureStore store, TimelineAnalyzer analyzer, long maxBytes, boolean waitForRoom) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(analyzer, "analyzer");
        if (store.isReadOnly()) {
            throw new IllegalArgumentException(store.file() + ": flow summaries are written only into a writable store");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: must be positive, was " + maxBytes);
        }
        FlowSummaryWriter w = new FlowSummaryWriter(store, analyzer, maxBytes, waitForRoom);
        w.thread.start();
        return w;
    }

    /**
     * Hands over committed events (with their store sequences, in store order). Waits at most
     * {@link #MAX_WAIT_NANOS} for room in the queue; then the events are left to be read back from
     * the store.
     */
    public void committed(List<CapturedEvent> events) {
        if (events.isEmpty() || finishing) {
            return;
        }
        synchronized (lock) {
            long deadline = System.nanoTime() + MAX_WAIT_NANOS;
            try {
                // a short wait for room: reading the events back from the store later costs more
                // than the writer pausing now, as long as the pause stays short; behind a source
                // whose records wait (waitForRoom) also while the summarizer reads the store back,
                // else every batch handed meanwhile is dropped and read back too, and decoding
                // them again is slower than taking them from the queue: it would never catch up
                for (long left = MAX_WAIT_NANOS; (waitForRoom || !readingStore) && queuedEvents > 0 && queuedEvents + events.size() > QUEUE_EVENTS
                        && (left > 0 || waitForRoom) && failure == null && thread.isAlive(); left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(lock, waitForRoom ? MAX_WAIT_NANOS : left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (queuedEvents > 0 && queuedEvents + events.size() > QUEUE_EVENTS) {
                dropped += events.size();
                return;
            }
            queuedEvents += events.size();
        }
        if (!queue.offer(events)) {
            synchronized (lock) {
                queuedEvents -= events.size();
            }
        }
    }

    /**
     * Summarizes every event the store holds now, writes the last summaries and stops; waits at most
     * {@code timeout} (then stops after the flush it is in, leaving the rest to a reader).
     *
     * @return true when the summaries reach every event stored when this was called
     */
    public boolean finish(Duration timeout) {
        long goal = store.eventCount();
        target = goal;
        finishing = true;
        queue.offer(WAKE);
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            if (thread.isAlive()) {
                LOG.warn("{}: flow summaries not finished after {} s; readers compute the rest", store.file(),
                        timeout.toSeconds());
                target = -1;   // stop after the current step
                thread.join(60_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return summarizedThrough >= goal;
    }

    /** The watermark of the summaries written so far. */
    public long summarizedThroughSeq() {
        return summarizedThrough;
    }

    /** How many times a flow evicted from memory was read back from the store ({@link FlowSummarizer#reloads()}). */
    public long reloads() {
        return reloads;
    }

    /** Events handed to {@link #committed} that found no room and are read back from the store. */
    public long droppedEvents() {
        synchronized (lock) {
            return dropped;
        }
    }

    /** The failure that ended the summaries, or null. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        FlowSummarizer summarizer = null;
        try {
            long start = store.summarizedThroughSeq();
            summarizedThrough = start;
            summarizer = new FlowSummarizer(analyzer, store::findByCorrelationId, (changed, through) -> {
                List<FlowRecord> records = new ArrayList<>(changed.size());
                for (FlowSummary s : changed) {
                    records.add(s.toRecord());
                }
                store.writeFlowSummaries(records, through);
                summarizedThrough = through;
            }, start, start > 0 ? summarizedIds(store) : List.of(), maxBytes, System::nanoTime);
            if (start < store.eventCount()) {
                LOG.info("{}: summarizing the flows of {} events stored before this capture", store.file(),
                        store.eventCount() - start);
            }
            while (target >= 0) {
                List<CapturedEvent> batch = queue.poll(IDLE_POLL_MS, TimeUnit.MILLISECONDS);
                if (batch != null && !batch.isEmpty()) {
                    synchronized (lock) {
                        queuedEvents -= batch.size();
                        lock.notifyAll();
                    }
                    long first = batch.get(0).seq();
                    if (first > summarizer.fedThroughSeq() + 1) {
                        readStore(summarizer, first - 1);
                    }
                    summarizer.accept(batch);
                    reloads = summarizer.reloads();
                } else if (batch == null || finishing) {
                    // idle, or finishing: what was dropped (or never handed) is read from the store
                    readStore(summarizer, store.eventCount());
                    if (finishing && queue.isEmpty() && summarizer.fedThroughSeq() >= target) {
                        break;
                    }
                }
                summarizer.flushIfDue();
            }
            summarizer.flush();
            reloads = summarizer.reloads();
            LOG.debug("{}: flow summaries done: {} analyses, {} flows read back, {} events dropped and read back",
                    store.file(), summarizer.analyses(), summarizer.reloads(), droppedEvents());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("{}: keeping the flow summaries failed; they reach event {} and readers compute the rest",
                    store.file(), summarizedThrough, e);
        }
    }

    /** Feeds the stored events past what the summarizer took, up to {@code through}, in pages. */
    private void readStore(FlowSummarizer summarizer, long through) {
        if (summarizer.fedThroughSeq() >= through) {
            return;
        }
        readingStore = true;
        try {
            readStorePages(summarizer, through);
        } finally {
            readingStore = false;
        }
    }

    private void readStorePages(FlowSummarizer summarizer, long through) {
        while (summarizer.fedThroughSeq() < through && target >= 0) {
            long from = summarizer.fedThroughSeq() + 1;
            List<CapturedEvent> page = store.page(from, (int) Math.min(PAGE, through - from + 1));
            if (page.isEmpty()) {
                if (from <= store.eventCount()) {
                    summarizer.skipTo(through);   // stored but unreadable: a damaged block
                }
                return;
            }
            summarizer.accept(page);
            summarizer.flushIfDue();
            reloads = summarizer.reloads();
        }
    }

    /** The correlation IDs of the store's summaries, read in pages as iterated. */
    static Iterable<String> summarizedIds(CaptureStore store) {
        return () -> new Iterator<>() {
            private List<String> page = store.summarizedFlowIds(null, 10_000);
            private int i;

            @Override
            public boolean hasNext() {
                if (i < page.size()) {
                    return true;
                }
                if (page.size() < 10_000) {
                    return false;
                }
                page = store.summarizedFlowIds(page.get(page.size() - 1), 10_000);
                i = 0;
                return !page.isEmpty();
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(i++);
            }
        };
    }
}
