package io.eventlens.core.capture;

import io.eventlens.core.store.StreamPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several sources recorded by one {@link CapturePipeline} into one store (docs/decisions/0011-amqp-source.md):
 * for example a Kafka cluster and a RabbitMQ broker, so that a flow crossing both is one timeline.
 * Each part keeps its own source ID, positions and acknowledgements (every {@link StreamPosition}
 * names its source); the pipeline sees one source.
 *
 * <p>{@link #open} opens the parts in order (closing the opened ones when one fails); {@link #run}
 * runs each on a thread of its own and returns when all have returned; when one fails, the others
 * are told to stop and its failure is thrown. A finite part (a browse) may end before the others.
 */
public final class CompositeSource implements CaptureSource {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeSource.class);
    private final List<CaptureSource> parts;

    /**
     * @param parts the sources, at least one
     * @throws IllegalArgumentException when {@code parts} is empty
     */
    public CompositeSource(List<? extends CaptureSource> parts) {
        this.parts = List.copyOf(parts);
        if (this.parts.isEmpty()) {
            throw new IllegalArgumentException("parts: at least one source");
        }
    }

    /** One source alone, or several as a composite. */
    public static CaptureSource of(List<? extends CaptureSource> parts) {
        return parts.size() == 1 ? parts.get(0) : new CompositeSource(parts);
    }

    /** The parts, in order. */
    public List<CaptureSource> parts() {
        return parts;
    }

    /** The parts' kinds joined by {@code +}, e.g. {@code kafka+amqp}. */
    @Override
    public String kind() {
        return parts.stream().map(CaptureSource::kind).collect(Collectors.joining("+"));
    }

    /** Live when any part is. */
    @Override
    public boolean live() {
        return parts.stream().anyMatch(CaptureSource::live);
    }

    /** The parts' endpoints joined by {@code " and "}. */
    @Override
    public String endpoint() {
        return parts.stream().map(CaptureSource::endpoint).collect(Collectors.joining(" and "));
    }

    @Override
    public Duration outageGrace() {
        return parts.stream().map(CaptureSource::outageGrace).max(Duration::compareTo).orElseThrow();
    }

    @Override
    public void open(StoredPositions stored) {
        List<CaptureSource> opened = new ArrayList<>();
        try {
            for (CaptureSource p : parts) {
                opened.add(p);
                p.open(stored);
            }
        } catch (RuntimeException e) {
            for (CaptureSource p : opened) {
                try {
                    p.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The parts' source IDs joined by {@code " + "}; null until all are open. */
    @Override
    public String sourceId() {
        List<String> ids = new ArrayList<>();
        for (CaptureSource p : parts) {
            if (p.sourceId() == null) {
                return null;
            }
            ids.add(p.sourceId());
        }
        return String.join(" + ", ids);
    }

    @Override
    public void run(SourceContext context) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SourceContext shared = new SourceContext() {
            @Override
            public int deliver(SourceBatch<?> batch) throws InterruptedException {
                return context.deliver(batch);
            }

            @Override
            public boolean stopping() {
                return failure.get() != null || context.stopping();
            }

            @Override
            public boolean awaitStop(Duration timeout) throws InterruptedException {
                long end = System.nanoTime() + timeout.toNanos();
                while (!stopping()) {
                    long left = end - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    context.awaitStop(Duration.ofNanos(Math.min(left, 100_000_000L)));
                }
                return true;
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (CaptureSource p : parts) {
            Thread t = Thread.ofPlatform().name("eventlens-source-" + p.kind()).unstarted(() -> {
                try {
                    p.run(shared);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                    LOG.debug("source {} failed", p.endpoint(), e);
                }
            });
            threads.add(t);
            t.start();
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            for (Thread t : threads) {
                t.join(5_000);
            }
            throw e;
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error err) {
            throw err;
        }
    }

    /** The first part that lost its connection, else connected (to all endpoints). */
    @Override
    public SourceHealth health() {
        for (CaptureSource p : parts) {
            SourceHealth h = p.health();
            if (!h.isConnected()) {
                return h;
            }
        }
        return SourceHealth.connected(endpoint());
    }

    /** The warnings of every part, in the parts' order. */
    @Override
    public List<String> warnings() {
        List<String> all = new java.util.ArrayList<>();
        for (CaptureSource p : parts) {
            all.addAll(p.warnings());
        }
        return all;
    }

    /** Described by the part whose source ID the position names. */
    @Override
    public String describe(StreamPosition position) {
        for (CaptureSource p : parts) {
            if (Objects.equals(p.sourceId(), position.source())) {
                return p.describe(position);
            }
        }
        return position.stream() + " at " + position.token();
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (CaptureSource p : parts) {
            try {
                p.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
