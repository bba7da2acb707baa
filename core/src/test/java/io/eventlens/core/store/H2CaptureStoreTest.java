package io.eventlens.core.store;

import static io.eventlens.core.testkit.TestEvents.event;
import static io.eventlens.core.testkit.TestEvents.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.testkit.HoldH2File;
import io.eventlens.core.testkit.StoredBlocks;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2CaptureStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Where partition 0 of orders in cluster-a resumes: at {@code next}. */
    private static StreamPosition p0(long next) {
        return new StreamPosition("cluster-a", "orders/0", Long.toString(next));
    }

    private static StreamPosition p1(long next) {
        return new StreamPosition("cluster-a", "orders/1", Long.toString(next));
    }

    @TempDir
    Path dir;

    private CaptureStore store;

    @BeforeEach
    void openStore() {
        store = CaptureStore.open(dir.resolve("capture"));
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    private static List<CapturedEvent> withSeqs(List<CapturedEvent> events, long firstSeq) {
        List<CapturedEvent> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            out.add(events.get(i).withSeq(firstSeq + i));
        }
        return out;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void closeWaitsForAReadStillRunningSoTheFileOpensAgainAtOnce() throws Exception {
        store.append(events("orders", 0, 3), List.of());
        H2CaptureStore h2 = (H2CaptureStore) store;
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch closing = new CountDownLatch(1);
        Thread reader = new Thread(() -> h2.read("a slow read", c -> {
            reading.countDown();
            awaitQuietly(closing);    // the read goes on while close() runs
            return null;
        }));
        reader.start();
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        Thread closer = new Thread(store::close);
        closer.start();
        Awaitility.await().atMost(WAIT).until(() -> closer.getState() == Thread.State.TIMED_WAITING
                || closer.getState() == Thread.State.WAITING || !closer.isAlive());
        assertThat(closer.isAlive()).as("close() waits for the read").isTrue();
        closing.countDown();
        closer.join(WAIT.toMillis());
        reader.join(WAIT.toMillis());

        try (CaptureStore again = CaptureStore.open(store.file())) {   // without the wait: "locked"
            assertThat(again.eventCount()).isEqualTo(3);
        }
    }

    @Test
    void openAddsTheMvDbSuffixAndCreatesTheFile() {
        assertThat(store.file()).isEqualTo(dir.resolve("capture.mv.db").toAbsolutePath());
        assertThat(store.file()).exists();
        assertThat(store.eventCount()).isZero();
        assertThat(store.page(1, 10)).isEmpty();
    }

    @Test
    void appendAssignsDenseSequencesAndPagesAcrossBlocksInStoreOrder() {
        List<CapturedEvent> first = events("orders", 0, 1500);
        List<CapturedEvent> second = events("orders", 1500, 1000);

        assertThat(store.append(first, List.of(p0(1500)))).isEqualTo(1);
        assertThat(store.append(second, List.of(p0(2500)))).isEqualTo(1501);

        assertThat(store.eventCount()).isEqualTo(2500);
        List<CapturedEvent> page = store.page(1000, 600);
        assertThat(page).hasSize(600);
        assertThat(page).isEqualTo(withSeqs(events("orders", 999, 600), 1000));
        assertThat(store.page(2400, 500)).extracting(CapturedEvent::seq).containsExactly(
                java.util.stream.LongStream.rangeClosed(2400, 2500).boxed().toArray(Long[]::new));
        assertThat(store.page(2501, 10)).isEmpty();
    }

    @Test
    void eventBySeqRoundTripsEveryFieldAndIsNullOutsideTheStore() {
        List<CapturedEvent> in = events("payments", 40, 3);
        store.append(in, List.of());

        assertThat(store.event(2)).isEqualTo(in.get(1).withSeq(2));
        assertThat(store.event(2).derived().sequence().rule()).isEqualTo("json /sequence");
        assertThat(store.event(0)).isNull();
        assertThat(store.event(4)).isNull();
    }

    @Test
    void eventsWithoutKeyPayloadOrDerivedFieldsRoundTrip() {
        CapturedEvent bare = new CapturedEvent(0, new Channel(io.eventlens.core.model.ChannelKind.PROBE, "probe ü"),
                new SourcePosition.Kafka(0, 0, TimestampType.NONE), Instant.ofEpochSecond(-5, 7),
                Instant.EPOCH, null, List.of(), null, DerivedFields.NONE);
        store.append(List.of(bare), List.of());

        assertThat(store.event(1)).isEqualTo(bare.withSeq(1));
    }

    @Test
    void findsEventsByCorrelationIdAndEventIdThroughTheIndex() {
        store.append(events("orders", 0, 3000), List.of());
        store.append(List.of(event("orders.DLT", 0, 7, "c-1", "e-7")), List.of());
        assertThat(store.awaitIndexed(WAIT)).as("index catches up").isTrue();
        assertThat(store.indexedThroughSeq()).isEqualTo(3001);

        assertThat(store.findByCorrelationId("c-1")).extracting(CapturedEvent::seq)
                .containsExactly(6L, 7L, 8L, 9L, 10L, 3001L);
        assertThat(store.findByEventId("e-7")).extracting(e -> e.channel().name())
                .containsExactly("orders", "orders.DLT");
        assertThat(store.findByEventId("e-7").get(0)).isEqualTo(event("orders", 0, 7, "c-1", "e-7").withSeq(8));
        assertThat(store.findByCorrelationId("nope")).isEmpty();
    }

    @Test
    void everyBlockHasItsLookupKeysTheMomentAppendReturns() throws Exception {
        assertThat(store.findByCorrelationId("c-3")).as("keys loaded before the appends").isEmpty();
        store.append(events("orders", 0, 100), List.of());
        store.append(events("orders", 100, 2000), List.of());
        store.append(List.of(event("retry", 0, 1, "c-3", "e-late"), event("retry", 0, 2, "z-new", "e-z")), List.of());

        // the same in-process database, through a second connection, with nothing waited for
        assertThat(StoredBlocks.blocksWithoutKeys(store.file())).as("blocks without a block_key row").isEmpty();
        assertThat(StoredBlocks.count(store.file(), "block_key")).isEqualTo(StoredBlocks.count(store.file(), "event_block"))
                .isEqualTo(4);
        assertThat(store.indexedThroughSeq()).isEqualTo(2102);
        assertThat(store.findByCorrelationId("c-3")).extracting(CapturedEvent::seq)
                .containsExactly(16L, 17L, 18L, 19L, 20L, 2101L);
        assertThat(store.findByCorrelationId("c-300")).extracting(CapturedEvent::seq)
                .containsExactly(1501L, 1502L, 1503L, 1504L, 1505L);
        assertThat(store.findByEventId("e-z")).extracting(CapturedEvent::seq).containsExactly(2102L);
        assertThat(store.correlationIds("z", 10)).containsExactly("z-new");
        assertThat(store.correlationIds("c-1", 4)).containsExactly("c-1", "c-10", "c-100", "c-101");
    }

    @Test
    void correlationIdCompletionIsDistinctSortedPrefixedAndLimited() {
        store.append(events("orders", 0, 100), List.of());
        store.append(List.of(event("x", 0, 1, "order-b", "x1"), event("x", 0, 2, "order-a", "x2"),
                event("x", 0, 3, "order-a", "x3"), event("x", 0, 4, "ordex", "x4")), List.of());
        assertThat(store.awaitIndexed(WAIT)).isTrue();

        assertThat(store.correlationIds("order-", 10)).containsExactly("order-a", "order-b");
        assertThat(store.correlationIds("c-1", 3)).containsExactly("c-1", "c-10", "c-11");
        assertThat(store.correlationIds("", 2)).containsExactly("c-0", "c-1");
        assertThat(store.correlationIds("none", 5)).isEmpty();
    }

    @Test
    void positionsAreStoredPerSourceAndOverwritten() {
        store.append(events("orders", 0, 10), List.of(p0(10), p1(3)));
        store.append(events("orders", 10, 5), List.of(p0(15)));
        store.append(List.of(), List.of(new StreamPosition("cluster-b", "orders/0", "99")));

        assertThat(store.positions("cluster-a")).containsExactly(p0(15), p1(3));
        assertThat(store.positions("cluster-b")).containsExactly(new StreamPosition("cluster-b", "orders/0", "99"));
        assertThat(store.positions("unknown")).isEmpty();
    }

    @Test
    void aFailingAppendStoresNeitherEventsNorPositions() {
        store.append(events("orders", 0, 5), List.of(p0(5)));
        List<StreamPosition> broken = java.util.Arrays.asList(p0(2000), null);

        assertThatThrownBy(() -> store.append(events("orders", 5, 2000), broken))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(store.file().toString());

        assertThat(store.eventCount()).isEqualTo(5);
        assertThat(store.page(6, 10)).isEmpty();
        assertThat(store.positions("cluster-a")).containsExactly(p0(5));
        assertThat(store.append(events("orders", 5, 1), List.of(p0(6)))).as("next seq after the failure").isEqualTo(6);
        assertThat(store.awaitIndexed(WAIT)).isTrue();
        assertThat(store.findByEventId("e-5")).extracting(CapturedEvent::seq).containsExactly(6L);
    }

    @Test
    void aReopenedStoreHasEverythingAndContinuesTheSequence() {
        store.append(events("orders", 0, 2000), List.of(p0(2000)));
        store.append(events("orders", 2000, 500), List.of(p0(2500)));
        store.close();

        store = CaptureStore.open(dir.resolve("capture.mv.db"));
        assertThat(store.eventCount()).isEqualTo(2500);
        assertThat(store.positions("cluster-a")).containsExactly(p0(2500));
        assertThat(store.findByCorrelationId("c-450")).extracting(CapturedEvent::seq)
                .containsExactly(2251L, 2252L, 2253L, 2254L, 2255L);
        assertThat(store.indexedThroughSeq()).isEqualTo(2500);
        assertThat(store.append(events("orders", 2500, 1), List.of())).isEqualTo(2501);
        assertThat(store.page(2499, 5)).extracting(CapturedEvent::seq).containsExactly(2499L, 2500L, 2501L);
    }

    @Test
    void aTenMegabytePayloadIsStoredWhole() {
        byte[] big = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(big);
        CapturedEvent e = event("blobs", 0, 0, "c-big", "e-big");
        CapturedEvent bigEvent = new CapturedEvent(0, e.channel(), e.source(), e.observedAt(), e.capturedAt(),
                e.key(), e.headers(), big, e.derived());
        store.append(List.of(event("blobs", 0, 1, "c-small", "e-small"), bigEvent,
                event("blobs", 0, 2, "c-small", "e-small2")), List.of());

        assertThat(store.event(2).payload()).isEqualTo(big);
        assertThat(store.findByEventId("e-big").get(0).payloadSize()).isEqualTo(big.length);
        assertThat(store.page(1, 3)).extracting(CapturedEvent::payloadSize).containsExactly(
                store.event(1).payloadSize(), big.length, store.event(3).payloadSize());
    }

    @Test
    void copyToWritesAStoreThatOpensWithTheSameEvents() {
        store.append(events("orders", 0, 1200), List.of(p0(1200)));
        Path copy = dir.resolve("saved/copy");

        store.copyTo(copy);

        try (CaptureStore saved = CaptureStore.open(copy)) {
            assertThat(saved.file()).isEqualTo(dir.resolve("saved/copy.mv.db").toAbsolutePath());
            assertThat(saved.eventCount()).isEqualTo(1200);
            assertThat(saved.page(1, 1200)).isEqualTo(store.page(1, 1200));
            assertThat(saved.positions("cluster-a")).containsExactly(p0(1200));
            assertThat(saved.findByCorrelationId("c-7")).hasSize(5);
        }
    }

    @Test
    void aFileThatIsNotH2IsRejectedNamingTheFile() throws Exception {
        Path junk = dir.resolve("junk.mv.db");
        Files.writeString(junk, "this is not a database, just some text\n".repeat(200));

        assertThatThrownBy(() -> CaptureStore.open(junk))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(junk.toAbsolutePath().toString())
                .hasMessageContaining("not an EventLens capture store, or it is damaged");
    }

    @Test
    void anH2DatabaseOfAnotherApplicationIsRejectedNamingTheFile() throws Exception {
        Path other = dir.resolve("other");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + other.toAbsolutePath(), "sa", "")) {
            c.createStatement().execute("CREATE TABLE customers (id INT PRIMARY KEY)");
        }

        assertThatThrownBy(() -> CaptureStore.open(other))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(dir.resolve("other.mv.db").toAbsolutePath().toString())
                .hasMessageContaining("not an EventLens capture store");
    }

    @Test
    void aStoreOpenForWritingKeepsASmallPageCacheAndWriteDelayThatTheFileDoesNotRemember() throws Exception {
        assertThat(((H2CaptureStore) store).pageCacheMiB()).isEqualTo(H2CaptureStore.WRITER_PAGE_CACHE_KB / 1024);
        assertThat(((H2CaptureStore) store).writeDelayMs()).isEqualTo(H2CaptureStore.WRITER_WRITE_DELAY_MS);
        store.append(events("orders", 0, 10), List.of());
        store.close();

        // the setting lives in this process only: read-only, the file opens with H2's default cache
        try (H2CaptureStore reader = H2CaptureStore.openReadOnly(dir.resolve("capture"))) {
            assertThat(reader.pageCacheMiB()).isGreaterThan(H2CaptureStore.WRITER_PAGE_CACHE_KB / 1024);
        }
        // a setting stored in the file is listed when H2 opens it for writing (H2's default write delay: 500 ms)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("capture").toAbsolutePath(), "sa", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT SETTING_NAME FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'CACHE_SIZE' OR SETTING_NAME = 'WRITE_DELAY' AND SETTING_VALUE <> '500'")) {
            assertThat(rs.next()).as("no setting stored in the file").isFalse();
        }
        store = CaptureStore.open(dir.resolve("capture"));
    }

    @Test
    void aStoreOpenInThisProcessCannotBeOpenedTwice() {
        assertThatThrownBy(() -> CaptureStore.open(dir.resolve("capture.mv.db")))
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(store.file().toString())
                .hasMessageContaining("already open");
    }

    @Test
    void aStoreLockedByAnotherProcessIsRejectedNamingTheFile() throws Exception {
        Path locked = dir.resolve("locked");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldH2File.class.getName(), locked.toAbsolutePath().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("child process opened the file").isEqualTo("open");

            assertThatThrownBy(() -> CaptureStore.open(locked))
                    .isInstanceOf(CaptureStoreException.class)
                    .hasMessageContaining(dir.resolve("locked.mv.db").toAbsolutePath().toString())
                    .hasMessageContaining("locked");
        } finally {
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void readersSeeCommittedEventsWhileTheWriterAppends() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try {
                while (store.eventCount() < 20_000) {
                    long count = store.eventCount();
                    List<CapturedEvent> tail = store.page(Math.max(1, count - 50), 100);
                    if (count > 0 && (tail.isEmpty() || tail.get(tail.size() - 1).seq() < count)) {
                        errors.add(new AssertionError("page missed committed events: count " + count + ", page " + tail.size()));
                    }
                    store.findByCorrelationId("c-" + (count / 5));
                    store.correlationIds("c-1", 5);
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        reader.start();
        for (int i = 0; i < 40; i++) {
            store.append(events("orders", i * 500L, 500), List.of(p0((i + 1) * 500)));
        }
        reader.join(60_000);

        assertThat(errors).isEmpty();
        assertThat(store.awaitIndexed(WAIT)).isTrue();
        assertThat(store.findByCorrelationId("c-3999")).extracting(CapturedEvent::seq)
                .containsExactly(19996L, 19997L, 19998L, 19999L, 20000L);
    }

    @Test
    void pageRejectsALimitOutsideOneToTenThousand() {
        assertThatThrownBy(() -> store.page(1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.page(1, 10_001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedStoreRefusesCallsNamingTheFile() {
        store.close();
        assertThatThrownBy(() -> store.eventCount()).isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining(store.file().toString()).hasMessageContaining("closed");
        store = CaptureStore.open(dir.resolve("capture"));
    }
}
