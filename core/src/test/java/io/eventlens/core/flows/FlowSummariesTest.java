package io.eventlens.core.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.HostileStores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow summaries against a full re-analysis of the same capture: for every correlation ID, the
 * summary equals {@code FlowSummary.of(analyze(id, findByCorrelationId(id)))}, whether the capture's
 * pipeline kept them (flows spanning many batches, a memory bound so small that flows are evicted
 * and read back), or a read-only open computed them for a store without summaries or one whose
 * summaries stop short (a killed capture), without writing the file.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FlowSummariesTest {

    /** So small that only a handful of flows fit: most flows are evicted and read back. */
    private static final long TINY_MEMORY = 16 * 1024;
    private static final TimelineAnalyzer ANALYZER = TimelineAnalyzer.withDefaults();

    @TempDir
    Path dir;

    private static CapturePipeline pipeline(List<CapturedEvent> events, CaptureStore store) {
        return CapturePipeline.builder(new ReplaySource(events, 37), store, EventExtractor.withDefaults())
                .limits(CaptureLimits.NONE).flowMemoryBytes(TINY_MEMORY).build();
    }

    /** Asserts that every flow's summary equals the summary of a full analysis of its stored events. */
    private static void assertEveryFlowMatchesAFullReanalysis(CaptureStore store, FlowSummaries summaries,
                                                              Iterable<String> ids) {
        Map<FlowCategory, Long> expectedCounts = new EnumMap<>(FlowCategory.class);
        List<FlowSummary> expected = new ArrayList<>();
        int flows = 0;
        for (String id : ids) {
            FlowSummary full = FlowSummary.of(ANALYZER.analyze(id, store.findByCorrelationId(id)));
            assertThat(summaries.summary(id)).as("summary of %s", id).isEqualTo(full);
            expectedCounts.merge(full.category(), 1L, Long::sum);
            expected.add(full);
            flows++;
        }
        for (FlowCategory c : FlowCategory.values()) {
            expectedCounts.putIfAbsent(c, 0L);
        }
        assertThat(summaries.counts()).as("flows per category").isEqualTo(expectedCounts);
        assertThat(expectedCounts.get(FlowCategory.HEALTHY)).as("healthy flows in the scenario").isPositive();
        assertThat(expectedCounts.get(FlowCategory.DEAD_LETTERED)).as("dead-lettered flows in the scenario").isPositive();

        List<FlowSummary> listed = new ArrayList<>();
        FlowSummary after = null;
        for (List<FlowSummary> page; !(page = summaries.worstFirst(after, true, 97)).isEmpty(); after = page.get(page.size() - 1)) {
            listed.addAll(page);
        }
        expected.sort(FlowSummary.WORST_FIRST);
        assertThat(listed).as("every flow, listed worst first in pages").hasSize(flows).isEqualTo(expected);
        List<FlowSummary> wrong = summaries.worstFirst(null, false, 10_000);
        assertThat(wrong).as("without healthy flows").isEqualTo(expected.stream()
                .filter(s -> s.category() != FlowCategory.HEALTHY).toList());
        assertThat(summaries.eventsBehind()).isZero();
    }

    @Test
    void summariesKeptByTheCapturePipelineEqualAFullReanalysisOfEveryFlow() {
        FlowScenarios.Capture capture = FlowScenarios.mixed(600, 42);
        try (CaptureStore store = CaptureStore.open(dir.resolve("run"))) {
            CapturePipeline p = pipeline(capture.events(), store);
            p.run(null);

            assertThat(store.eventCount()).isEqualTo(capture.events().size());
            assertThat(store.summarizedThroughSeq()).as("watermark at the end of the capture").isEqualTo(store.eventCount());
            assertThat(p.flowSummaries().reloads()).as("flows evicted and read back from the store").isGreaterThan(100);
            assertThat(p.flowSummaries().failure()).isNull();
            assertEveryFlowMatchesAFullReanalysis(store, FlowSummaries.of(store), capture.correlationIds());
        }
    }

    @Test
    void aStoreWithoutSummariesGetsThemComputedOnReadOnlyOpenWithoutWritingIt() throws Exception {
        FlowScenarios.Capture capture = FlowScenarios.mixed(300, 7);
        Path file = dir.resolve("old.mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            for (int i = 0; i < capture.events().size(); i += 500) {
                store.append(capture.events().subList(i, Math.min(capture.events().size(), i + 500)), List.of());
            }
        }
        // as a store of schema version 2 (before flow summaries) holds them
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("old"), "sa", "");
             Statement st = c.createStatement()) {
            st.execute("DROP TABLE consumer_commit");   // schema version 8 (consumer groups) came later
            st.execute("DROP TABLE consumer_group_poll");
            st.execute("DROP TABLE consumer_partition_end");
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '8'");
            st.execute("DROP TABLE flow_summary_block");   // schema version 7 (summary blocks) came later
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '7'");
            st.execute("DROP TABLE source_poll");
            st.execute("DROP TABLE replay_send");   // schema version 6 (the replay log) came later
            st.execute("DROP TABLE replay_run");
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '6'");
            st.execute("DROP TABLE flow_summary");
            st.execute("DROP TABLE flow_summary_state");
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('4', '5')");
        }
        String before = HostileStores.sha256(file);

        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            FlowSummaries summaries = FlowSummaries.of(store, ANALYZER, TINY_MEMORY);
            assertThat(store.summarizedThroughSeq()).isZero();
            assertThat(summaries.eventsBehind()).isEqualTo(capture.events().size());
            AtomicLong progress = new AtomicLong();

            assertThat(summaries.catchUp((done, total) -> progress.set(done), () -> false)).isTrue();

            assertThat(progress.get()).isEqualTo(capture.events().size());
            assertEveryFlowMatchesAFullReanalysis(store, summaries, capture.correlationIds());
        }
        assertThat(HostileStores.sha256(file)).as("SHA-256 of the store read").isEqualTo(before);
    }

    @Test
    void aCaptureKilledBeforeItsLastSummariesGetsTheRestComputedOnReadOnlyOpenAndOnTheNextCapture() {
        FlowScenarios.Capture capture = FlowScenarios.mixed(500, 99);
        List<CapturedEvent> events = capture.events();
        int half = events.size() / 2;
        int threeQuarters = events.size() * 3 / 4;
        Path file = dir.resolve("killed.mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            pipeline(events.subList(0, half), store).run(null);
            // committed by the capture, killed before its summaries of them were written
            store.append(events.subList(half, threeQuarters), List.of());
            assertThat(store.summarizedThroughSeq()).isEqualTo(half);
        }
        String before = HostileStores.sha256(file);

        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            FlowSummaries summaries = FlowSummaries.of(store, ANALYZER, TINY_MEMORY);
            assertThat(summaries.eventsBehind()).isEqualTo(threeQuarters - half);
            summaries.catchUp((done, total) -> { }, () -> false);
            List<String> stored = new ArrayList<>();
            store.flowSummaries(null, Integer.MAX_VALUE, 10_000).forEach(r -> stored.add(r.correlationId()));
            assertThat(stored).as("flows summarized by the capture").isNotEmpty();
            assertEveryFlowMatchesAFullReanalysis(store, summaries, seenIn(store));
        }
        assertThat(HostileStores.sha256(file)).as("SHA-256 of the store read").isEqualTo(before);

        try (CaptureStore store = CaptureStore.open(file)) {
            pipeline(events.subList(threeQuarters, events.size()), store).run(null);

            assertThat(store.summarizedThroughSeq()).isEqualTo(events.size());
            assertEveryFlowMatchesAFullReanalysis(store, FlowSummaries.of(store), capture.correlationIds());
        }
    }

    @Test
    void aCancelledCatchUpKeepsWhatItComputedAndSaysItIsBehind() {
        FlowScenarios.Capture capture = FlowScenarios.mixed(1000, 3);
        Path file = dir.resolve("cancel.mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            store.append(capture.events(), List.of());
        }
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            FlowSummaries summaries = FlowSummaries.of(store, ANALYZER, TINY_MEMORY);
            AtomicLong pages = new AtomicLong();

            boolean finished = summaries.catchUp((done, total) -> pages.incrementAndGet(), () -> pages.get() >= 1);

            assertThat(finished).isFalse();
            assertThat(summaries.eventsBehind()).isEqualTo(capture.events().size() - FlowSummaryWriter.PAGE);
            assertThat(summaries.counts().values().stream().mapToLong(Long::longValue).sum())
                    .as("flows summarized before the cancel").isPositive();
        }
    }

    /** The correlation IDs of the store's events. */
    private static List<String> seenIn(CaptureStore store) {
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        for (long seq = 1; seq <= store.eventCount(); seq += 5_000) {
            store.page(seq, 5_000).forEach(e -> ids.add(e.derived().correlationIdValue()));
        }
        return new ArrayList<>(ids);
    }
}
