package io.eventlens.core.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.StoredPosition;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.CaptureStoreException;
import io.eventlens.core.store.StreamPosition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline with a source that is not Kafka's shape ({@link FakePushSource}: pushes from its
 * own threads, no replayable positions, acknowledgements out of order): exact counts, limits,
 * stop, stats, the in-flight bound, acknowledgements only after the commit, health reporting.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CapturePipelineTest {

    private static final EventExtractor EXTRACTOR = EventExtractor.withDefaults();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private CaptureStore store;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @BeforeEach
    void openStore() {
        store = CaptureStore.open(dir.resolve("fake"));
    }

    @AfterEach
    void closeStore() {
        pool.shutdownNow();
        store.close();
    }

    private static Set<String> eventIds(CaptureStore store) {
        Set<String> ids = new HashSet<>();
        for (long seq = 1; seq <= store.eventCount(); seq += 10_000) {
            store.page(seq, 10_000).forEach(e -> ids.add(e.derived().eventIdValue()));
        }
        return ids;
    }

    private static Set<String> idsOf(List<Long> tags) {
        Set<String> ids = new HashSet<>();
        tags.forEach(t -> ids.add("m-" + t));
        return ids;
    }

    @Test
    void aPushSourceHasEveryMessageStoredOnceAndAcknowledgedOnlyAfterItsCommit() {
        FakePushSource source = new FakePushSource(3_000, 2, 100, 10, store);
        List<CaptureStats> progress = new CopyOnWriteArrayList<>();
        AtomicLong committed = new AtomicLong();

        CaptureStats stats = new CapturePipeline(source, store, EXTRACTOR, CaptureLimits.NONE).run(new CaptureListener() {
            @Override
            public void onBatch(List<CapturedEvent> events) {
                committed.addAndGet(events.size());
            }

            @Override
            public void onProgress(CaptureStats s) {
                progress.add(s);
            }
        });

        assertThat(source.runReturned()).as("a finite source ends the capture by itself").isTrue();
        assertThat(source.closed()).isTrue();
        assertThat(stats.events()).isEqualTo(3_000).isEqualTo(committed.get());
        assertThat(store.eventCount()).isEqualTo(3_000);
        assertThat(eventIds(store)).hasSize(3_000);
        assertThat(source.violations()).as("acknowledgements before the commit").isEmpty();
        assertThat(source.ackedTags()).as("every tag acknowledged exactly once")
                .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 3_000).boxed().toList())
                .as("acknowledged out of tag order (pusher 1 delivered first)").isNotEqualTo(
                        source.ackedTags().stream().sorted().toList());
        assertThat(source.givenBack()).isEmpty();
        assertThat(store.positions("fake-broker-1")).as("no replayable positions").isEmpty();
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(stats);
    }

    @Test
    void aPositionOfAnotherSourceKindIsStoredWithTheAnswersItGave() {
        FakePushSource source = new FakePushSource(10, 2, 5, 0, store);

        new CapturePipeline(source, store, EXTRACTOR, CaptureLimits.NONE).run(null);

        CapturedEvent e = store.findByEventId("m-7").getFirst();
        FakePushSource.FakePosition original = new FakePushSource.FakePosition(7);
        assertThat(e.source()).isInstanceOf(StoredPosition.class);
        assertThat(e.source().sourceKind()).isEqualTo("fake");
        assertThat(e.source().describe()).isEqualTo("#7");
        assertThat(e.source().messageCoordinates()).isEqualTo("tag 7");
        assertThat(e.source().orderingStream()).isNull();
        assertThat(e.source().observedTimeMeaning()).isEqualTo("capture time");
        assertThat(e.source().attributes()).containsExactlyEntriesOf(original.attributes());
        assertThat(e.derived().correlationIdValue()).isEqualTo("c-1");
    }

    @Test
    void maxEventsStoresExactlyThatManyWhileSeveralThreadsPush() {
        FakePushSource source = new FakePushSource(Long.MAX_VALUE, 3, 50, 10, store);

        CaptureStats stats = new CapturePipeline(source, store, EXTRACTOR, new CaptureLimits(777, null)).run(null);

        assertThat(stats.events()).isEqualTo(777);
        assertThat(store.eventCount()).isEqualTo(777);
        assertThat(source.ackedTags()).hasSize(777).doesNotHaveDuplicates();
        assertThat(idsOf(source.ackedTags())).isEqualTo(eventIds(store));
        assertThat(source.ackedTags()).as("a message given back is never acknowledged")
                .doesNotContainAnyElementsOf(source.givenBack());
        assertThat(source.violations()).isEmpty();
    }

    @Test
    void stopFromAnotherThreadEndsAnEndlessPushSourceWithWhatWasDeliveredCommittedAndAcknowledged() throws Exception {
        FakePushSource source = new FakePushSource(Long.MAX_VALUE, 2, 100, 10, store);
        CapturePipeline pipeline = CapturePipeline.builder(source, store, EXTRACTOR).maxInFlightEvents(1_000).build();
        AtomicLong committed = new AtomicLong();
        CountDownLatch enough = new CountDownLatch(1);
        CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> pipeline.run(new CaptureListener() {
            @Override
            public void onBatch(List<CapturedEvent> events) {
                if (committed.addAndGet(events.size()) >= 2_000) {
                    enough.countDown();
                }
            }
        }), pool);
        assertThat(pipeline.awaitStarted(WAIT)).isTrue();
        assertThat(pipeline.sourceId()).isEqualTo("fake-broker-1");
        assertThat(enough.await(30, TimeUnit.SECONDS)).as("2,000 events committed").isTrue();

        pipeline.stop();
        CaptureStats stats = run.get(30, TimeUnit.SECONDS);

        assertThat(source.runReturned()).isTrue();
        assertThat(stats.events()).isEqualTo(store.eventCount()).isEqualTo(committed.get())
                .isEqualTo(source.ackedTags().size());
        assertThat(idsOf(source.ackedTags())).isEqualTo(eventIds(store));
        assertThat(source.violations()).isEmpty();
    }

    @Test
    void durationEndsAPushSourceThatIsWaitingForTheStop() {
        FakePushSource idle = new FakePushSource(FakePushSource.IDLE, 2, 10, 0, store);

        CaptureStats stats = new CapturePipeline(idle, store, EXTRACTOR,
                new CaptureLimits(0, Duration.ofMillis(300))).run(null);

        assertThat(stats.events()).isZero();
        assertThat(idle.runReturned()).isTrue();
        assertThat(stats.elapsedMs()).as("ended by its duration").isGreaterThanOrEqualTo(300);
    }

    @Test
    void deliveryBlocksOnceTheInFlightBytesReachTheBound() throws Exception {
        long bound = 64 * 1024;
        // ~1 KB per message, 10 per batch: about 10 KB per delivery
        FakePushSource source = new FakePushSource(2_000, 2, 10, 1_000, store);
        CapturePipeline pipeline = CapturePipeline.builder(source, store, EXTRACTOR).maxInFlightBytes(bound).build();
        CountDownLatch writerMayGoOn = new CountDownLatch(1);
        CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> pipeline.run(new CaptureListener() {
            @Override
            public void onBatch(List<CapturedEvent> events) {
                try {
                    writerMayGoOn.await(); // the writer is busy: nothing more is committed meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }), pool);

        await().atMost(WAIT).until(() -> source.blockedInDeliver() == 2 && source.pusherThreads().stream()
                .allMatch(t -> t.getState() == Thread.State.TIMED_WAITING || t.getState() == Thread.State.WAITING));
        long held = pipeline.inFlightBytes();
        writerMayGoOn.countDown();
        CaptureStats stats = run.get(30, TimeUnit.SECONDS);

        assertThat(held).as("bytes delivered and not committed while both pushers wait").isPositive()
                .isLessThanOrEqualTo(bound);
        assertThat(stats.events()).isEqualTo(2_000);
        assertThat(source.ackedTags()).hasSize(2_000);
        assertThat(pipeline.inFlightBytes()).isZero();
    }

    @Test
    void aBatchLargerThanTheBoundIsTakenAlone() {
        FakePushSource source = new FakePushSource(40, 2, 20, 1_000, store);

        CaptureStats stats = CapturePipeline.builder(source, store, EXTRACTOR).maxInFlightBytes(1_000)
                .maxInFlightEvents(5).build().run(null);

        assertThat(stats.events()).isEqualTo(40);
        assertThat(source.ackedTags()).hasSize(40);
    }

    @Test
    void anOutageLongerThanTheGraceIsReportedOnceNamingTheEndpointAndClearedOnReconnect() throws Exception {
        FakePushSource source = new FakePushSource(FakePushSource.IDLE, 2, 10, 0, store, Duration.ofSeconds(1));
        CapturePipeline pipeline = new CapturePipeline(source, store, EXTRACTOR, CaptureLimits.NONE);
        List<CaptureStats> progress = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        org.apache.logging.log4j.core.Logger logger =
                (org.apache.logging.log4j.core.Logger) LogManager.getLogger(CapturePipeline.class);
        AbstractAppender appender = new AbstractAppender("capture-pipeline-test", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                log.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
        try {
            CompletableFuture<CaptureStats> run = CompletableFuture.supplyAsync(() -> pipeline.run(new CaptureListener() {
                @Override
                public void onProgress(CaptureStats stats) {
                    progress.add(stats);
                }
            }), pool);
            assertThat(pipeline.awaitStarted(WAIT)).isTrue();
            await().atMost(WAIT).until(() -> !progress.isEmpty());
            assertThat(progress.getLast().sourceUnreachable()).as("connected").isFalse();

            source.lostSince(Instant.now().minusSeconds(5));
            await().atMost(WAIT).until(() -> progress.getLast().sourceUnreachableMs() >= 5_000);
            int seen = progress.size();
            await().atMost(WAIT).until(() -> progress.size() >= seen + 2); // still lost: no second warning
            source.lostSince(null);
            await().atMost(WAIT).until(() -> !progress.getLast().sourceUnreachable());
            pipeline.stop();
            run.get(30, TimeUnit.SECONDS);
        } finally {
            logger.removeAppender(appender);
        }

        assertThat(log.stream().filter(l -> l.startsWith("WARN")).toList()).as(log.toString()).singleElement()
                .asString().matches("WARN no connection to fake broker at memory:1 for \\d+ s; the capture keeps"
                        + " retrying until it is stopped or its duration ends");
        assertThat(log).contains("INFO reconnected to fake broker at memory:1");
    }

    @Test
    void aSourceThatCannotOpenFailsTheRunNamingItsEndpointAndIsClosed() {
        FakePushSource inner = new FakePushSource(10, 2, 5, 0, store);
        CaptureSource failing = new DelegatingSource(inner) {
            @Override
            public void open(StoredPositions stored) {
                throw new SourceException(inner.endpoint() + " did not answer within 1000 ms");
            }
        };
        CapturePipeline pipeline = new CapturePipeline(failing, store, EXTRACTOR, CaptureLimits.NONE);

        assertThatThrownBy(() -> pipeline.run(null)).isInstanceOf(SourceException.class)
                .hasMessageContaining("fake broker at memory:1");
        assertThat(inner.closed()).isTrue();
        assertThat(store.eventCount()).isZero();
    }

    @Test
    void aStoreFailureEndsTheCaptureAndNothingIsAcknowledged() {
        FakePushSource source = new FakePushSource(Long.MAX_VALUE, 2, 10, 0, store);
        store.close();

        assertThatThrownBy(() -> new CapturePipeline(source, store, EXTRACTOR, CaptureLimits.NONE).run(null))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(store.file().toString());
        assertThat(source.ackedTags()).isEmpty();
        assertThat(source.runReturned()).isTrue();
        store = CaptureStore.open(dir.resolve("fake")); // for closeStore
    }

    @Test
    void aPipelineRunsOnce() {
        CapturePipeline pipeline = new CapturePipeline(new FakePushSource(1, 2, 1, 0, store), store, EXTRACTOR,
                CaptureLimits.NONE);
        pipeline.run(null);

        assertThatThrownBy(() -> pipeline.run(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runs once");
    }

    @Test
    void invalidLimitsAndBoundsAreRejectedNamingTheField() {
        assertThatThrownBy(() -> new CaptureLimits(-1, null)).hasMessageStartingWith("maxEvents:");
        assertThatThrownBy(() -> new CaptureLimits(0, Duration.ZERO)).hasMessageStartingWith("duration:");
        assertThatThrownBy(() -> CapturePipeline.builder(new FakePushSource(1, 2, 1, 0, store), store, EXTRACTOR)
                .maxInFlightBytes(0).build()).hasMessageStartingWith("maxInFlightBytes:");
    }

    /** Forwards everything to another source (to override one step). */
    private static class DelegatingSource implements CaptureSource {
        private final CaptureSource inner;

        DelegatingSource(CaptureSource inner) {
            this.inner = inner;
        }

        @Override
        public String kind() {
            return inner.kind();
        }

        @Override
        public String endpoint() {
            return inner.endpoint();
        }

        @Override
        public void open(StoredPositions stored) {
            inner.open(stored);
        }

        @Override
        public String sourceId() {
            return inner.sourceId();
        }

        @Override
        public void run(SourceContext context) throws InterruptedException {
            inner.run(context);
        }

        @Override
        public SourceHealth health() {
            return inner.health();
        }

        @Override
        public String describe(StreamPosition position) {
            return inner.describe(position);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
