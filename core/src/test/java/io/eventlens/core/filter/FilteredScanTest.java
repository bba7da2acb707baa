package io.eventlens.core.filter;

import static io.eventlens.core.testkit.TestEvents.events;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.TestEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filtered reads of a real store: pushdown by channel, time and correlation ID gives what a full scan gives. */
class FilteredScanTest {

    @TempDir
    static Path dir;
    static CaptureStore store;
    static List<CapturedEvent> stored;

    @BeforeAll
    static void fill() {
        store = CaptureStore.open(dir.resolve("filtered.mv.db"));
        // 6 blocks of orders, 2 of payments, interleaved block-wise; observed time grows 1 ms per offset
        for (int b = 0; b < 8; b++) {
            store.append(events(b % 4 == 3 ? "payments" : "orders", b * 1024L, 1024), List.of());
        }
        stored = store.page(1, 10_000);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static List<CapturedEvent> brute(EventFilter f) {
        return stored.stream().filter(f::test).toList();
    }

    private static List<CapturedEvent> stepwise(EventFilter f, int wanted) {
        FilteredScan scan = new FilteredScan(store, f, FilterContext.NONE);
        List<CapturedEvent> out = new ArrayList<>();
        while (!scan.done()) {
            out.addAll(scan.next(wanted, 3_000).events());
        }
        assertThat(scan.progress()).isEqualTo(1.0);
        return out;
    }

    @Test
    void eachPushdownGivesWhatTheFullScanGives() {
        for (String expr : List.of("channel == 'payments'", "channel == 'payments' && offset % 7 == 0",
                "channel in ['orders'] && payload.sequence > 5000",
                "observedAt >= timestamp('" + TestEvents.T0.plusMillis(4000) + "') && observedAt < timestamp('"
                        + TestEvents.T0.plusMillis(4100) + "')",
                "correlationId == 'c-900' && offset != 4501", "correlationId in ['c-1', 'c-1500'] || false",
                "eventId == 'e-77'", "type == 'OrderPlaced' && offset < 3", "type == 'Other'",
                "channel == 'none'", "channel == 'orders' && channel == 'payments'", "offset % 1000 == 0")) {
            EventFilter f = EventFilter.compile(expr);
            List<CapturedEvent> expected = brute(f);
            assertThat(stepwise(f, 50)).as(expr).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void allReadsToTheEndOrTheLimit() {
        EventFilter f = EventFilter.compile("channel == 'payments' && offset % 3 == 0");
        assertThat(new FilteredScan(store, f, FilterContext.NONE).all(Integer.MAX_VALUE, null))
                .containsExactlyElementsOf(brute(f));
        List<Double> progress = new ArrayList<>();
        assertThat(new FilteredScan(store, f, FilterContext.NONE).all(10, progress::add)).hasSize(10);
        assertThat(progress).isNotEmpty().allMatch(p -> p > 0 && p <= 1);
    }

    @Test
    void aTimeBoundSkipsBlocksAndACorrelationIdReadsOnlyItsEvents() {
        EventFilter time = EventFilter.compile("observedAt > timestamp('" + TestEvents.T0.plusMillis(8000) + "')");
        FilteredScan scan = new FilteredScan(store, time, FilterContext.NONE);
        List<CapturedEvent> kept = scan.all(1_000, null);
        assertThat(kept).hasSize(191);
        assertThat(scan.tested()).isLessThanOrEqualTo(1024);

        FilteredScan byId = new FilteredScan(store, EventFilter.compile("correlationId == 'c-3'"), FilterContext.NONE);
        assertThat(byId.all(100, null)).extracting(CapturedEvent::seq).containsExactly(16L, 17L, 18L, 19L, 20L);
        assertThat(byId.tested()).isEqualTo(5);
    }

    @Test
    void theFirstStepStopsAtThePageSize() {
        FilteredScan scan = new FilteredScan(store, EventFilter.compile("channel == 'orders'"), FilterContext.NONE);
        FilteredScan.Step first = scan.next(100, 100_000);
        assertThat(first.events()).hasSizeGreaterThanOrEqualTo(100).hasSizeLessThanOrEqualTo(1024);
        assertThat(first.done()).isFalse();
        assertThat(scan.progress()).isLessThan(0.5);
    }

    @Test
    void aListInMemoryIsFilteredToo() {
        assertThat(FilteredScan.keep(stored, EventFilter.compile("offset < 2"), FilterContext.NONE)).hasSize(2);
        assertThat(FilteredScan.keep(stored, EventFilter.ALL, FilterContext.NONE)).hasSize(stored.size());
    }
}
