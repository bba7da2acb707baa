package io.eventlens.core.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.model.CapturedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The summarizer alone, with an in-memory "store" and a test clock. */
class FlowSummarizerTest {

    private final AtomicLong nanos = new AtomicLong();
    private final List<CapturedEvent> stored = new ArrayList<>();
    private final List<List<FlowSummary>> flushes = new ArrayList<>();
    private final List<Long> watermarks = new ArrayList<>();
    private long[] offsets = new long[8];

    private FlowSummarizer summarizer(long maxBytes) {
        return new FlowSummarizer(TimelineAnalyzer.withDefaults(),
                id -> stored.stream().filter(e -> id.equals(e.derived().correlationIdValue())).toList(),
                (changed, through) -> {
                    flushes.add(changed);
                    watermarks.add(through);
                }, 0, List.of(), maxBytes, nanos::get);
    }

    /** Stores {@code n} more events of flow {@code id} and returns them with their sequences. */
    private List<CapturedEvent> store(String id, int n) {
        List<CapturedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CapturedEvent e = FlowScenarios.event("orders", 0, offsets, stored.size(), id, id + "-" + stored.size(),
                    stored.size() + 1, "{}").withSeq(stored.size() + 1);
            stored.add(e);
            out.add(e);
        }
        return out;
    }

    @Test
    void aLargeFlowIsAnalyzedAgainOnlyAfterAQuarterMoreEventsOrAfterOneMsPerEventAndTheWatermarkWaitsForIt() {
        FlowSummarizer s = summarizer(FlowSummarizer.DEFAULT_MAX_BYTES);
        s.accept(store("big", 2_000));
        s.flush();
        assertThat(s.analyses()).isEqualTo(1);
        assertThat(s.summarizedThroughSeq()).isEqualTo(2_000);

        s.accept(store("big", 1));
        s.accept(store("small", 1));
        nanos.addAndGet(FlowSummarizer.FLUSH_INTERVAL_NANOS);   // a flush is due 1 s after the last one
        s.flushIfDue();

        assertThat(s.analyses()).as("the small flow only: the big one got 1 event of 2,000 within 2 s").isEqualTo(2);
        assertThat(s.summarizedThroughSeq()).as("not past the big flow's unsummarized event 2,001").isEqualTo(2_000);
        assertThat(s.dirtyFlows()).isEqualTo(1);

        nanos.addAndGet(FlowSummarizer.FLUSH_INTERVAL_NANOS);
        s.flushIfDue();
        assertThat(s.analyses()).as("2 s after its last analysis: 1 ms per event").isEqualTo(3);
        assertThat(s.summarizedThroughSeq()).isEqualTo(2_002);

        s.accept(store("big", 501));
        nanos.addAndGet(FlowSummarizer.FLUSH_INTERVAL_NANOS);
        s.flushIfDue();
        assertThat(s.analyses()).as("501 new events: a quarter of 2,001, within 1 s").isEqualTo(4);
        assertThat(s.summarizedThroughSeq()).isEqualTo(2_503);
        assertThat(flushes.get(flushes.size() - 1)).singleElement()
                .satisfies(f -> assertThat(f.eventCount()).isEqualTo(2_502));
    }

    @Test
    void aFinalFlushSummarizesEveryDirtyFlowAndTheWatermarkNeverGoesBack() {
        FlowSummarizer s = summarizer(FlowSummarizer.DEFAULT_MAX_BYTES);
        s.accept(store("big", 2_000));
        s.flush();
        s.accept(store("big", 1));
        nanos.addAndGet(FlowSummarizer.FLUSH_INTERVAL_NANOS);
        s.flushIfDue();
        s.flush();

        assertThat(s.summarizedThroughSeq()).isEqualTo(2_001);
        assertThat(watermarks).isSorted();
        assertThat(flushes.get(flushes.size() - 1)).singleElement()
                .satisfies(f -> assertThat(f.eventCount()).isEqualTo(2_001));
    }

    @Test
    void aFlowEvictedAndTouchedAgainIsReadBackFromTheStoreOnce() {
        FlowSummarizer s = summarizer(3 * 1024);
        s.accept(store("a", 3));
        s.accept(store("b", 10));   // pushes "a" out
        assertThat(s.activeFlows()).isEqualTo(1);

        s.accept(store("a", 1));
        s.flush();

        assertThat(s.reloads()).isEqualTo(1);
        FlowSummary a = flushes.stream().flatMap(List::stream).filter(f -> f.correlationId().equals("a"))
                .reduce((x, y) -> y).orElseThrow();
        assertThat(a.eventCount()).isEqualTo(4);
    }

    @Test
    void eventsAlreadyTakenAreIgnoredWhenHandedAgain() {
        FlowSummarizer s = summarizer(FlowSummarizer.DEFAULT_MAX_BYTES);
        List<CapturedEvent> batch = store("a", 3);
        s.accept(batch);
        s.accept(batch);
        s.flush();

        assertThat(flushes.get(0)).singleElement().satisfies(f -> assertThat(f.eventCount()).isEqualTo(3));
    }

    @Test
    void theMemoryBoundIsValidated() {
        assertThatThrownBy(() -> summarizer(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
    }
}
