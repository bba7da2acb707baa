package io.eventlens.core.capture;

import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.flows.FlowSummarizer;
import io.eventlens.core.flows.FlowSummaryWriter;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.StreamPosition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one capture pipeline that runs any {@link CaptureSource} into a {@link CaptureStore}
 * (docs/decisions/0006-capture-pipeline.md): the source delivers batches, worker threads convert
 * them and derive fields with the {@link EventExtractor}, one writer appends them to the store with
 * the source's resume positions (one transaction per append, in delivery order) and then
 * acknowledges them to the source. So a stopped or crashed capture resumes with no gap and no record
 * stored twice, and a broker only forgets a message once it is stored.
 *
 * <p>Limits: {@link CaptureLimits#maxEvents()} stores exactly that many events (fewer only when
 * stopped earlier or the source ended), {@link CaptureLimits#duration()} ends the capture that long
 * after {@link #run} started, {@link #stop()} ends it from any thread; in every case what was
 * delivered is committed first. In flight (delivered, not yet committed) the pipeline holds at most
 * {@link Builder#maxInFlightBytes} bytes of payloads, keys and headers and
 * {@link Builder#maxInFlightEvents} events (a larger single batch is taken alone); delivery blocks
 * beyond that.
 *
 * <p>Health: a few times a second the writer asks the source for its {@link SourceHealth}; a
 * connection lost for the source's {@link CaptureSource#outageGrace()} is logged once as a warning
 * naming the endpoint and reported in {@link CaptureStats#sourceUnreachableMs()}; the source keeps
 * retrying until the capture ends.
 *
 * <p>Flow summaries: unless turned off ({@link Builder#flowSummaries}), a {@link FlowSummaryWriter}
 * keeps the store's per-flow summaries up to date behind the writer (docs/decisions/0009-flow-summaries.md):
 * the writer hands it each committed batch, and {@link #run} returns once they reach every stored
 * event (waiting at most {@link #SUMMARY_FINISH_WAIT}).
 *
 * <p>One instance runs once.
 */
public final class CapturePipeline {

    private static final Logger LOG = LoggerFactory.getLogger(CapturePipeline.class);
    /**
     * Default in-flight bound in payload, key and header bytes. Measured (docs/decisions/0006-capture-pipeline.md):
     * smaller bounds kept the heap and the GC pauses down without slowing the capture.
     */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 8L * 1024 * 1024;
    /**
     * Default in-flight bound in events: each event costs heap beyond its bytes (record, headers,
     * derived fields), about 0.8 KB for a 200-byte record, so small records are bounded by count.
     * 4,096 since 2026-11-30 (was 8,192): what is in flight is what each young collection copies;
     * the capture of the bench was as fast with half (docs/decisions/0006-capture-pipeline.md).
     */
    public static final int DEFAULT_MAX_IN_FLIGHT_EVENTS = 4_096;
    /** Events merged into one store append at most. */
    static final int MAX_EVENTS_PER_APPEND = 8_192;
    private static final long PROGRESS_INTERVAL_MS = 250;
    /** Extraction threads at most (one per CPU up to this). */
    private static final int EXTRACT_THREADS_MAX = 4;
    /** A batch is split between extraction threads only in chunks of at least this many records. */
    private static final int EXTRACT_CHUNK_MIN = 500;
    /** Resume positions named in the start-up log line at most. */
    private static final int POSITIONS_LOGGED = 5;
    /** At the end of a capture, the flow summaries are waited for this long at most. */
    public static final Duration SUMMARY_FINISH_WAIT = Duration.ofMinutes(2);

    private final CaptureSource source;
    private final CaptureStore store;
    private final EventExtractor extractor;
    private final CaptureLimits limits;
    private final long maxInFlightBytes;
    private final int maxInFlightEvents;
    private final TimelineAnalyzer flowAnalyzer;
    private final long flowMemoryBytes;
    private volatile FlowSummaryWriter summaries;
    private final int parallelism = Math.max(1, Math.min(EXTRACT_THREADS_MAX, Runtime.getRuntime().availableProcessors()));

    private final AtomicBoolean ran = new AtomicBoolean();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicBoolean deriveFailureLogged = new AtomicBoolean();
    private final FieldDeriver deriver = this::derive;
    private final Context context = new Context();
    private volatile String sourceId;
    private volatile long deadlineNanos;
    private volatile boolean hasDeadline;

    /** Guards the in-flight counters below and the order of {@link #queue}. */
    private final Object lock = new Object();
    private long inFlightBytes;
    private int inFlightEvents;
    private long accepted;
    private boolean closed;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private ExecutorService workers;

    private CapturePipeline(Builder b) {
        this.source = b.source;
        this.store = b.store;
        this.extractor = b.extractor;
        this.limits = b.limits;
        this.maxInFlightBytes = b.maxInFlightBytes;
        this.maxInFlightEvents = b.maxInFlightEvents;
        this.flowAnalyzer = b.flowAnalyzer;
        this.flowMemoryBytes = b.flowMemoryBytes;
    }

    /**
     * A pipeline from {@code source} into {@code store} deriving fields with {@code extractor},
     * ending by {@code limits}, with the default in-flight bounds.
     */
    public CapturePipeline(CaptureSource source, CaptureStore store, EventExtractor extractor, CaptureLimits limits) {
        this(builder(source, store, extractor).limits(limits));
    }

    /** A builder of a pipeline from {@code source} into {@code store}, deriving fields with {@code extractor}. */
    public static Builder builder(CaptureSource source, CaptureStore store, EventExtractor extractor) {
        return new Builder(source, store, extractor);
    }

    /**
     * Opens the source, captures until a limit, {@link #stop()} or the source's end, and closes the
     * source. Blocking; call it on a worker thread. What the source delivered is committed before
     * it returns, also after {@link #stop()} or an interrupt (the interrupt flag is then set again).
     *
     * @param listener receives committed events and progress; null for none
     * @return the final stats (also given to the listener)
     * @throws SourceException       when the source cannot be opened or fails; the message names
     *                               its endpoint; what was committed before stays
     * @throws io.eventlens.core.store.CaptureStoreException when the store fails; what was
     *                               committed before stays
     * @throws IllegalStateException when this pipeline has already run, or converting a source's
     *                               records failed (a defect of that source)
     */
    public CaptureStats run(CaptureListener listener) {
        if (!ran.compareAndSet(false, true)) {
            throw new IllegalStateException("a CapturePipeline runs once; create a new one");
        }
        CaptureListener out = listener == null ? CaptureListener.NONE : listener;
        long startNanos = System.nanoTime();
        if (limits.duration() != null) {
            deadlineNanos = startNanos + Math.min(limits.duration().toNanos(), Long.MAX_VALUE / 4);
            hasDeadline = true;
        }
        try {
            List<List<StreamPosition>> stored = new ArrayList<>(1);
            source.open(id -> {
                List<StreamPosition> positions = store.positions(id);
                stored.add(positions);
                return positions;
            });
            sourceId = source.sourceId();
            logStart(stored);
            started.countDown();
            return pump(out, startNanos);
        } finally {
            started.countDown();
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the source {} failed", source.endpoint(), e);
            }
        }
    }

    private void logStart(List<List<StreamPosition>> stored) {
        List<StreamPosition> resumed = stored.isEmpty() ? List.of() : stored.get(0);
        LOG.info("capturing from {} (source {}) into {}{}", source.endpoint(), sourceId, store.file(),
                resumed.isEmpty() ? "" : "; " + resumed.size() + " stored resume positions, such as "
                        + String.join(", ", resumed.stream().limit(POSITIONS_LOGGED).map(source::describe).toList()));
    }

    /**
     * Waits until {@link #run} has opened the source (for a Kafka source: every partition assigned
     * and its start offset fixed, so records produced from now on are captured).
     *
     * @return true when started, false on timeout or when the run failed before starting
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitStarted(Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && sourceId != null;
    }

    /** The ID the source's positions are stored under (a Kafka cluster ID), or null before {@link #run} opened it. */
    public String sourceId() {
        return sourceId;
    }

    /** What keeps the store's flow summaries during {@link #run}, or null (before it, or when turned off). */
    public FlowSummaryWriter flowSummaries() {
        return summaries;
    }

    /** The source this pipeline runs. */
    public CaptureSource source() {
        return source;
    }

    /** Asks a running capture to stop after committing what was delivered. Safe from any thread, also before {@link #run}. */
    public void stop() {
        requestStop();
    }

    /** Bytes delivered and not yet committed (payloads, keys, headers): for tests of the in-flight bound. */
    long inFlightBytes() {
        synchronized (lock) {
            return inFlightBytes;
        }
    }

    private void requestStop() {
        stopSignal.countDown();
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    private boolean stopping() {
        if (stopSignal.getCount() == 0) {
            return true;
        }
        if (hasDeadline && System.nanoTime() - deadlineNanos >= 0) {
            requestStop();
            return true;
        }
        return false;
    }

    private DerivedFields derive(io.eventlens.core.model.Channel channel, byte[] key,
                                 List<io.eventlens.core.model.Header> headers, byte[] payload) {
        try {
            return extractor.extract(channel, key, headers, payload);
        } catch (RuntimeException ex) {
            if (deriveFailureLogged.compareAndSet(false, true)) {
                LOG.error("extracting derived fields failed on an event of {}; such events are stored without them",
                        channel, ex);
            }
            return DerivedFields.NONE;
        }
    }

    // ------------------------------------------------------------------ the pipeline

    /**
     * One delivered batch (its first {@code taken} records) on its way to the store. Once extracted,
     * it holds the events, the batch's resume positions and its acknowledgement, no longer the
     * source's records: a Kafka batch's {@code ConsumerRecord}s (headers, buffers) then die young
     * instead of waiting for the writer, and young collections copy less
     * (docs/decisions/0006-capture-pipeline.md, "In flight").
     */
    private static final class Pending {
        /** The source's batch until extracted (read by the extraction threads), then null. */
        volatile SourceBatch<?> batch;
        final SourceBatch.Acknowledgement ack;
        final int taken;
        final long bytes;
        final CapturedEvent[] events;
        final CountDownLatch extracted = new CountDownLatch(1);
        final AtomicInteger partsLeft = new AtomicInteger();
        volatile Throwable failure;
        /** Where the batch's streams resume once its events are stored; set when extracted. */
        List<StreamPosition> positions = List.of();

        Pending(SourceBatch<?> batch, int taken, long bytes) {
            this.batch = batch;
            this.ack = batch == null ? SourceBatch.Acknowledgement.NONE : batch.ack();
            this.taken = taken;
            this.bytes = bytes;
            this.events = new CapturedEvent[taken];
        }

        /** After the last extraction part: resolves the positions and lets the records go. */
        void extractionDone() {
            try {
                if (failure == null) {
                    positions = batch.positions().after(taken);
                }
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                batch = null;
                extracted.countDown();   // publishes positions to the writer
            }
        }
    }

    /** Ends the writer's queue. */
    private static final Pending END = new Pending(null, 0, 0);

    private final class Context implements SourceContext {
        @Override
        public int deliver(SourceBatch<?> batch) throws InterruptedException {
            Objects.requireNonNull(batch, "batch");
            int size = batch.size();
            Pending p;
            synchronized (lock) {
                while (!closed && !stopping() && inFlightEvents > 0
                        && (inFlightBytes + batch.bytes() > maxInFlightBytes || inFlightEvents + size > maxInFlightEvents)) {
                    lock.wait(100);
                }
                if (closed || stopping()) {
                    return 0;
                }
                long left = limits.maxEvents() == 0 ? Long.MAX_VALUE : limits.maxEvents() - accepted;
                int n = (int) Math.min(size, left);
                if (n <= 0) {
                    return 0;
                }
                long bytes = n == size ? batch.bytes() : batch.bytes() * n / size;
                accepted += n;
                inFlightBytes += bytes;
                inFlightEvents += n;
                p = new Pending(batch, n, bytes);
                queue.add(p);
                if (limits.maxEvents() != 0 && accepted >= limits.maxEvents()) {
                    requestStop();
                }
            }
            extract(p);
            return p.taken;
        }

        @Override
        public boolean stopping() {
            return CapturePipeline.this.stopping();
        }

        @Override
        public boolean awaitStop(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (!stopping()) {
                long left = end - System.nanoTime();
                if (hasDeadline) {
                    left = Math.min(left, deadlineNanos - System.nanoTime());
                }
                if (left <= 0) {
                    return stopping();
                }
                stopSignal.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        }
    }

    /** Splits a batch over the extraction threads. */
    private void extract(Pending p) {
        int n = p.taken;
        int parts = (int) Math.min(parallelism, Math.max(1, n / EXTRACT_CHUNK_MIN));
        p.partsLeft.set(parts);
        for (int i = 0; i < parts; i++) {
            int from = (int) ((long) i * n / parts);
            int to = (int) ((long) (i + 1) * n / parts);
            workers.execute(() -> convert(p, from, to));
        }
    }

    private void convert(Pending p, int from, int to) {
        try {
            convertTyped(p.batch, p.events, from, to);
        } catch (Throwable t) {
            p.failure = t;
        } finally {
            if (p.partsLeft.decrementAndGet() == 0) {
                p.extractionDone();
            }
        }
    }

    private <R> void convertTyped(SourceBatch<R> batch, CapturedEvent[] out, int from, int to) {
        List<R> records = batch.records();
        SourceBatch.ObservationReader<R> reader = batch.reader();
        Instant capturedAt = batch.capturedAt();
        for (int i = from; i < to; i++) {
            out[i] = Objects.requireNonNull(reader.read(records.get(i), capturedAt, deriver), "read event");
        }
    }

    private CaptureStats pump(CaptureListener listener, long startNanos) {
        AtomicInteger threadNo = new AtomicInteger();
        workers = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "eventlens-capture-extract-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (flowAnalyzer != null) {
            summaries = FlowSummaryWriter.start(store, flowAnalyzer, flowMemoryBytes, !source.live());
        }
        Writer writer = new Writer(listener, startNanos);
        Thread writerThread = new Thread(writer, "eventlens-capture-writer");
        writerThread.setDaemon(true);
        writerThread.start();
        RuntimeException failure = null;
        boolean interrupted = false;
        try {
            source.run(context);
        } catch (InterruptedException e) {
            LOG.info("capture from {} interrupted; committing what was delivered", source.endpoint());
            interrupted = true;
        } catch (RuntimeException e) {
            failure = e;
        }
        requestStop();
        synchronized (lock) {
            closed = true;
            queue.add(END);
        }
        interrupted |= Thread.interrupted();
        while (true) {
            try {
                writerThread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the writer commits what was delivered; wait for it all the same
            }
        }
        workers.shutdownNow();
        if (summaries != null) {
            summaries.finish(SUMMARY_FINISH_WAIT);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (writer.failure != null) {
            if (failure != null) {
                writer.failure.addSuppressed(failure);
            }
            throw writer.failure;
        }
        if (failure != null) {
            throw failure;
        }
        CaptureStats stats = writer.stats(System.nanoTime(), true);
        listener.onProgress(stats);
        return stats;
    }

    /** Appends extracted batches to the store in delivery order, acknowledges them, and reports. */
    private final class Writer implements Runnable {
        private final CaptureListener listener;
        private final long startNanos;
        private volatile RuntimeException failure;
        private long events;
        private long bytes;
        private long lastProgressNanos;
        private long lastProgressEvents;
        private double rate;
        private long unreachableMs;
        private boolean outageReported;

        Writer(CaptureListener listener, long startNanos) {
            this.listener = listener;
            this.startNanos = startNanos;
            this.lastProgressNanos = startNanos;
        }

        @Override
        public void run() {
            List<Pending> group = new ArrayList<>();
            try {
                while (true) {
                    Pending first = queue.poll(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        tick();
                        continue;
                    }
                    if (first == END) {
                        return;
                    }
                    while (!first.extracted.await(PROGRESS_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
                        tick();
                    }
                    group.clear();
                    group.add(first);
                    int size = first.taken;
                    while (size < MAX_EVENTS_PER_APPEND) {
                        Pending next = queue.peek();
                        if (next == null || next == END || next.extracted.getCount() > 0) {
                            break;
                        }
                        group.add(queue.poll());
                        size += next.taken;
                    }
                    commit(group, size);
                    tick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
                requestStop();
            }
        }

        private void commit(List<Pending> group, int size) {
            // one array for the group: appended as it is, then its events replaced by their stored
            // copies (with the sequence the store gave them) for the flow summaries and the listener
            CapturedEvent[] merged = new CapturedEvent[size];
            int n = 0;
            Map<StreamKey, StreamPosition> positions = new LinkedHashMap<>();
            long groupBytes = 0;
            for (Pending p : group) {
                if (p.failure != null) {
                    throw new IllegalStateException("converting records of " + source.endpoint() + " failed: "
                            + p.failure, p.failure);
                }
                System.arraycopy(p.events, 0, merged, n, p.events.length);
                n += p.events.length;
                for (StreamPosition sp : p.positions) {
                    positions.put(new StreamKey(sp.source(), sp.stream()), sp);
                }
                groupBytes += p.bytes;
            }
            long firstSeq = store.append(Arrays.asList(merged), positions.values());
            events += n;
            for (CapturedEvent e : merged) {
                bytes += e.payloadSize();
            }
            for (Pending p : group) {
                try {
                    p.ack.committed(p.taken);
                } catch (RuntimeException e) {
                    LOG.warn("acknowledging {} stored events to {} failed; the source may deliver them again",
                            p.taken, source.endpoint(), e);
                }
            }
            synchronized (lock) {
                inFlightBytes -= groupBytes;
                inFlightEvents -= n;
                lock.notifyAll();
            }
            FlowSummaryWriter flows = summaries;
            if (listener != CaptureListener.NONE || flows != null) {
                for (int i = 0; i < n; i++) {
                    merged[i] = merged[i].withSeq(firstSeq + i);
                }
                List<CapturedEvent> shared = java.util.Collections.unmodifiableList(Arrays.asList(merged));
                if (flows != null) {
                    flows.committed(shared);
                }
                if (listener != CaptureListener.NONE) {
                    listener.onBatch(shared);
                }
            }
        }

        private void tick() {
            long now = System.nanoTime();
            if (now - lastProgressNanos >= PROGRESS_INTERVAL_MS * 1_000_000) {
                checkHealth();
                listener.onProgress(stats(now, false));
            }
        }

        /** Reads the source's health; logs an outage once it lasted the grace, and the reconnection after it. */
        private void checkHealth() {
            SourceHealth h;
            try {
                h = source.health();
            } catch (RuntimeException e) {
                LOG.debug("reading the health of {} failed", source.endpoint(), e);
                return;
            }
            if (h.isConnected()) {
                if (outageReported) {
                    LOG.info("reconnected to {}", h.endpoint());
                }
                outageReported = false;
                unreachableMs = 0;
                return;
            }
            Duration lost = Duration.between(h.lostSince(), Instant.now());
            if (lost.compareTo(source.outageGrace()) < 0) {
                unreachableMs = 0;
                return;
            }
            unreachableMs = Math.max(1, lost.toMillis());
            if (!outageReported) {
                outageReported = true;
                LOG.warn("no connection to {} for {} s; the capture keeps retrying until it is stopped or its duration ends",
                        h.endpoint(), lost.toSeconds());
            }
        }

        CaptureStats stats(long now, boolean fin) {
            long elapsedMs = (now - startNanos) / 1_000_000;
            long dt = now - lastProgressNanos;
            if (fin) {
                rate = elapsedMs == 0 ? 0 : events * 1000.0 / elapsedMs;
            } else if (dt > 0) {
                double current = (events - lastProgressEvents) * 1e9 / dt;
                // smooth over about a second (four 250 ms intervals)
                rate = rate == 0 ? current : rate * 0.5 + current * 0.5;
                lastProgressNanos = now;
                lastProgressEvents = events;
            }
            return new CaptureStats(events, bytes, rate, elapsedMs, unreachableMs);
        }
    }

    /** One stream of one source, for merging positions of several batches. */
    private record StreamKey(String source, String stream) {
    }

    /**
     * Builds a {@link CapturePipeline}; {@link #build()} validates.
     */
    public static final class Builder {
        private final CaptureSource source;
        private final CaptureStore store;
        private final EventExtractor extractor;
        private CaptureLimits limits = CaptureLimits.NONE;
        private long maxInFlightBytes = DEFAULT_MAX_IN_FLIGHT_BYTES;
        private int maxInFlightEvents = DEFAULT_MAX_IN_FLIGHT_EVENTS;
        private TimelineAnalyzer flowAnalyzer = TimelineAnalyzer.withDefaults();
        private long flowMemoryBytes = FlowSummarizer.DEFAULT_MAX_BYTES;

        private Builder(CaptureSource source, CaptureStore store, EventExtractor extractor) {
            this.source = Objects.requireNonNull(source, "source");
            this.store = Objects.requireNonNull(store, "store");
            this.extractor = Objects.requireNonNull(extractor, "extractor");
        }

        /** When the capture ends by itself (default: never, until stopped or the source ends). */
        public Builder limits(CaptureLimits l) {
            this.limits = Objects.requireNonNull(l, "limits");
            return this;
        }

        /** At most this many payload, key and header bytes delivered and not yet committed (default 8 MiB). */
        public Builder maxInFlightBytes(long bytes) {
            this.maxInFlightBytes = bytes;
            return this;
        }

        /** At most this many events delivered and not yet committed (default {@value CapturePipeline#DEFAULT_MAX_IN_FLIGHT_EVENTS}). */
        public Builder maxInFlightEvents(int events) {
            this.maxInFlightEvents = events;
            return this;
        }

        /**
         * Keeps the store's flow summaries with this analysis's verdicts (default:
         * {@link TimelineAnalyzer#withDefaults()}), or none when null: then a reader computes them
         * (docs/decisions/0009-flow-summaries.md).
         */
        public Builder flowSummaries(TimelineAnalyzer analyzer) {
            this.flowAnalyzer = analyzer;
            return this;
        }

        /** At most this many estimated heap bytes of events of active flows are held for the summaries (default {@link FlowSummarizer#DEFAULT_MAX_BYTES}, 4 MiB). */
        public Builder flowMemoryBytes(long bytes) {
            this.flowMemoryBytes = bytes;
            return this;
        }

        /**
         * The pipeline.
         *
         * @throws IllegalArgumentException naming the field when an in-flight bound is not positive
         */
        public CapturePipeline build() {
            if (maxInFlightBytes <= 0) {
                throw new IllegalArgumentException("maxInFlightBytes: must be positive, was " + maxInFlightBytes);
            }
            if (maxInFlightEvents <= 0) {
                throw new IllegalArgumentException("maxInFlightEvents: must be positive, was " + maxInFlightEvents);
            }
            if (flowMemoryBytes <= 0) {
                throw new IllegalArgumentException("flowMemoryBytes: must be positive, was " + flowMemoryBytes);
            }
            return new CapturePipeline(this);
        }
    }
}
