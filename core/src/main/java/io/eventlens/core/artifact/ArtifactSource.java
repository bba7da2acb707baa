package io.eventlens.core.artifact;

import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceException;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.StreamPosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A CI run's artifacts as a {@link CaptureSource} (docs/decisions/0014-artifact-import-and-triage.md):
 * files, folders and zips, each file's format detected from its content ({@link ArtifactReader}),
 * its records streamed into the capture pipeline in batches, never loaded whole. JUnit XML reports
 * are not events: their failed tests are kept for the triage ({@link #failedTests()}).
 *
 * <p>Damage never stops an import: each damaged line, refused zip entry or unreadable file is an
 * {@link ArtifactProblem} naming the file and line ({@link #problems()}, the first
 * {@value #MAX_PROBLEMS_KEPT} kept, all counted), and the valid records around it are imported.
 * Artifact files have no resume positions: importing the same file twice stores its records twice.
 * Thread-safety: {@link #run} runs on one thread; the progress getters may be called from any.
 */
public final class ArtifactSource implements CaptureSource {

    /** Most problems kept (all are counted). */
    public static final int MAX_PROBLEMS_KEPT = 1_000;
    /** Records per delivered batch at most. */
    static final int BATCH_RECORDS = 1_000;
    /** Bytes per delivered batch at most (a batch ends after the record that passes it). */
    static final long BATCH_BYTES = 1024 * 1024;

    private final List<Path> roots;
    private final ZipLimits zipLimits;
    private final ArtifactReader reader = new ArtifactReader();
    private final List<ArtifactProblem> problems = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong problemCount = new AtomicLong();
    private final List<ArtifactFileSummary> files = Collections.synchronizedList(new ArrayList<>());
    private final List<FailedTest> failedTests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong testCount = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile String currentFile = "";
    private volatile boolean opened;

    /**
     * @param roots     files, folders and zips to import, in order; not empty
     * @param zipLimits limits against zip bombs
     * @throws IllegalArgumentException when {@code roots} is empty
     */
    public ArtifactSource(List<Path> roots, ZipLimits zipLimits) {
        this.roots = List.copyOf(roots);
        this.zipLimits = Objects.requireNonNull(zipLimits, "zipLimits");
        if (this.roots.isEmpty()) {
            throw new IllegalArgumentException("roots: give at least one file, folder or zip");
        }
    }

    /** A source with the default {@link ZipLimits}. */
    public ArtifactSource(List<Path> roots) {
        this(roots, ZipLimits.DEFAULTS);
    }

    @Override
    public String kind() {
        return ArtifactPosition.KIND;
    }

    /** Files are read, not followed: the pipeline may wait for the flow summaries instead of dropping their work. */
    @Override
    public boolean live() {
        return false;
    }

    @Override
    public String endpoint() {
        return "artifacts " + roots;
    }

    /** Checks that every root exists. @throws SourceException naming a missing one */
    @Override
    public void open(StoredPositions stored) {
        for (Path p : roots) {
            if (!java.nio.file.Files.exists(p)) {
                throw new SourceException("artifact not found: " + p);
            }
        }
        opened = true;
    }

    @Override
    public String sourceId() {
        return opened ? "artifacts" : null;
    }

    @Override
    public void run(SourceContext context) throws InterruptedException {
        Batcher batcher = new Batcher(context);
        ArtifactReader.Sink sink = new ArtifactReader.Sink() {
            @Override
            public void record(ArtifactRecord record) throws InterruptedException {
                batcher.add(record);
            }

            @Override
            public void problem(ArtifactProblem problem) {
                addProblem(problem);
            }

            @Override
            public void testReport(String file, int tests, List<FailedTest> failed) {
                testCount.addAndGet(tests);
                failedTests.addAll(failed);
            }
        };
        ArtifactEntries entries = new ArtifactEntries(zipLimits, this::addProblem, bytesRead);
        for (Path root : roots) {
            if (batcher.stopped || context.stopping()) {
                break;
            }
            try {
                entries.walk(root, (name, in, modified) -> visit(name, in, modified, sink, batcher));
            } catch (IOException e) {
                addProblem(new ArtifactProblem(root.toString(), 0, "cannot read: " + e.getMessage()));
            }
        }
        batcher.flush();
    }

    private void visit(String name, InputStream in, Instant modified, ArtifactReader.Sink sink, Batcher batcher)
            throws IOException, InterruptedException {
        if (batcher.stopped) {
            return;
        }
        currentFile = name;
        files.add(reader.read(name, in, modified, sink));
    }

    private void addProblem(ArtifactProblem p) {
        if (problemCount.incrementAndGet() <= MAX_PROBLEMS_KEPT) {
            problems.add(p);
        }
    }

    /** Collects records into batches and delivers them. */
    private final class Batcher {
        private final SourceContext context;
        private List<ArtifactRecord> pending = new ArrayList<>();
        private long bytes;
        boolean stopped;

        Batcher(SourceContext context) {
            this.context = context;
        }

        void add(ArtifactRecord r) throws InterruptedException {
            if (stopped) {
                return;
            }
            pending.add(r);
            bytes += r.bytes();
            if (pending.size() >= BATCH_RECORDS || bytes >= BATCH_BYTES) {
                flush();
            }
        }

        void flush() throws InterruptedException {
            if (pending.isEmpty() || stopped) {
                return;
            }
            List<ArtifactRecord> batch = pending;
            pending = new ArrayList<>();
            long b = bytes;
            bytes = 0;
            int taken = context.deliver(new SourceBatch<>(batch, ArtifactSource::event, Instant.now(), b,
                    SourceBatch.BatchPositions.NONE, SourceBatch.Acknowledgement.NONE));
            records.addAndGet(taken);
            if (taken < batch.size()) {
                stopped = true;
            }
        }
    }

    private static CapturedEvent event(ArtifactRecord r, Instant capturedAt, io.eventlens.core.capture.FieldDeriver derive) {
        return new CapturedEvent(0, r.channel(), r.position(), r.observedAt(),
                r.capturedAt() != null ? r.capturedAt() : capturedAt, r.key(), r.headers(),
                r.payload(), derive.derive(r.channel(), r.key(), r.headers(), r.payload()));
    }

    @Override
    public SourceHealth health() {
        return SourceHealth.connected(endpoint());
    }

    @Override
    public String describe(StreamPosition position) {
        return position.stream() + " at " + position.token();
    }

    @Override
    public void close() {
        // nothing held: each file is closed after it was read
    }

    /** Damage found so far, the first {@value #MAX_PROBLEMS_KEPT}, in the order found. */
    public List<ArtifactProblem> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /** How many problems were found in all. */
    public long problemCount() {
        return problemCount.get();
    }

    /** What was made of each file read, in reading order. */
    public List<ArtifactFileSummary> files() {
        synchronized (files) {
            return List.copyOf(files);
        }
    }

    /** The failed tests of the JUnit reports read, in reading order. */
    public List<FailedTest> failedTests() {
        synchronized (failedTests) {
            return List.copyOf(failedTests);
        }
    }

    /** Test cases seen in the JUnit reports read. */
    public long testCount() {
        return testCount.get();
    }

    /** Records taken by the pipeline so far. */
    public long recordsDelivered() {
        return records.get();
    }

    /** Bytes read so far from the artifact files and zip entries (uncompressed), for progress lines. */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** The file being read now, for progress lines. */
    public String currentFile() {
        return currentFile;
    }
}
