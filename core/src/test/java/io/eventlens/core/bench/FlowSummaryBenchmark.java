package io.eventlens.core.bench;

import com.sun.management.ThreadMXBean;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.flows.FlowSummarizer;
import io.eventlens.core.flows.FlowSummary;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.FlowRecord;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The flow-summaries benchmark (issue 6, "Speed and memory"): the work of the capture's
 * flow-summaries thread per event, measured as CPU time and allocated bytes of the calling thread
 * ({@link ThreadMXBean}), which depend little on the load of the machine. Events shaped as the
 * whole-process benchmark's ({@code app} {@code WholeProcessBench}): flows of 4 consecutive events
 * (key and {@code correlationId} header = the correlation ID, {@code eventType} and {@code ce_id}
 * headers, a ~200-byte JSON payload with {@code sequence} 1..4 and {@code timestamp}) on one topic of
 * 3 partitions (a flow's events on one partition, by key), in store order as a Kafka poll of the three
 * partitions gives it, handed over in batches of {@code bench.batch} events (default 1,500). Their
 * derived fields are extracted once, before timing, by {@link EventExtractor#withDefaults()}. With
 * {@code -Dbench.lagging=true} every event declares the first one's time, so that most flows are LAG
 * (the full analysis) as in the whole-process benchmark's option of that name.
 *
 * <p>Each of {@code bench.rounds} rounds (default 3; the first warms up) feeds
 * {@code bench.flows.records} events (default 1,000,000) to a fresh {@link FlowSummarizer} with the
 * default memory bound whose sink does what the capture's does (each summary to a
 * {@link FlowRecord}, {@link CaptureStore#writeFlowSummaries} into an H2 store in a temporary
 * folder), and prints CPU ns and allocated bytes per event, analyses and reloads. Not a test: it
 * asserts nothing about time.
 *
 * <p>Run with {@code mvn -Pbench -pl core verify -DskipTests} (with the other benchmarks) or alone
 * with {@code -Dexec.mainClass=io.eventlens.core.bench.FlowSummaryBenchmark}.
 */
public final class FlowSummaryBenchmark {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String[] TYPES = {"OrderPlaced", "PaymentCaptured", "StockReserved", "OrderConfirmed"};
    private static final int PARTITIONS = 3;
    /** As the whole-process benchmark's {@code bench.lagging}: every event declares the run's start, most flows are LAG. */
    private static final boolean LAGGING = Boolean.getBoolean("bench.lagging");

    private FlowSummaryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.flows.records", Integer.getInteger("bench.records", 1_000_000));
        int rounds = Integer.getInteger("bench.rounds", 3);
        int batchSize = Integer.getInteger("bench.batch", 1_500);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadAllocatedMemoryEnabled(true);
        EventExtractor extractor = EventExtractor.withDefaults();
        Path dir = Files.createTempDirectory("eventlens-flow-summary-bench");
        System.out.printf(Locale.ROOT, "flow-summary benchmark: %,d events in flows of 4 on 3 partitions, batches of %,d,"
                + " default memory bound (%,d bytes)%s; CPU and allocation of the summarizing thread%n",
                records, batchSize, FlowSummarizer.DEFAULT_MAX_BYTES, LAGGING ? ", lagging (most flows LAG)" : "");
        for (int round = 0; round < rounds; round++) {
            Path file = dir.resolve("round-" + round + ".mv.db");
            try (CaptureStore store = CaptureStore.open(file)) {
                long[] sinkCpu = new long[1];
                long[] sinkAlloc = new long[1];
                long[] flows = new long[1];
                long[] reloads = new long[1];
                FlowSummarizer summarizer = new FlowSummarizer(TimelineAnalyzer.withDefaults(), id -> {
                    reloads[0]++;
                    return List.of();
                }, (changed, through) -> {
                    long c0 = mx.getCurrentThreadCpuTime();
                    long a0 = mx.getCurrentThreadAllocatedBytes();
                    List<FlowRecord> out = new ArrayList<>(changed.size());
                    for (FlowSummary s : changed) {
                        out.add(s.toRecord());
                    }
                    store.writeFlowSummaries(out, through);
                    flows[0] += changed.size();
                    sinkCpu[0] += mx.getCurrentThreadCpuTime() - c0;
                    sinkAlloc[0] += mx.getCurrentThreadAllocatedBytes() - a0;
                }, 0, List.of(), FlowSummarizer.DEFAULT_MAX_BYTES, System::nanoTime);
                long cpu = 0;
                long alloc = 0;
                long wall = 0;
                long seq = 0;
                List<CapturedEvent> batch = new ArrayList<>(batchSize);
                for (int from = 0; from < records; from += batchSize) {
                    int to = Math.min(records, from + batchSize);
                    batch.clear();
                    // a poll of three partitions: each partition's records of this window, in turn
                    for (int p = 0; p < PARTITIONS; p++) {
                        for (int i = from; i < to; i++) {
                            if ((i / 4) % PARTITIONS == p) {
                                batch.add(event(extractor, i, p, ++seq));
                            }
                        }
                    }
                    long w0 = System.nanoTime();
                    long c0 = mx.getCurrentThreadCpuTime();
                    long a0 = mx.getCurrentThreadAllocatedBytes();
                    summarizer.accept(batch);
                    if (to == records) {
                        summarizer.flush();
                    }
                    cpu += mx.getCurrentThreadCpuTime() - c0;
                    alloc += mx.getCurrentThreadAllocatedBytes() - a0;
                    wall += System.nanoTime() - w0;
                }
                System.out.printf(Locale.ROOT, "round %d: %,6d CPU ns/event (%,d without the store write), %,6d bytes/event"
                        + " allocated (%,d without the store write); %,d analyses, %,d summaries written, %,d reloads,"
                        + " wall %,d ms%n", round, cpu / records, (cpu - sinkCpu[0]) / records, alloc / records,
                        (alloc - sinkAlloc[0]) / records, summarizer.analyses(), flows[0], reloads[0], wall / 1_000_000);
            }
        }
    }

    /** Record {@code i} of the benchmark's topic, as the capture extracts it, with store sequence {@code seq}. */
    static CapturedEvent event(EventExtractor extractor, int i, int partition, long seq) {
        String corr = "bench-" + (i / 4);
        String type = TYPES[i % 4];
        Instant at = T0.plusNanos(i * 3_000L);   // ~330k events/s
        StringBuilder sb = new StringBuilder("{\"eventId\":\"e-" + i + "\",\"correlationId\":\"" + corr
                + "\",\"eventType\":\"" + type + "\",\"sequence\":" + (i % 4 + 1) + ",\"timestamp\":\""
                + (LAGGING ? T0 : Instant.ofEpochMilli(at.toEpochMilli())) + "\",\"data\":{\"amountCents\":" + (i % 10_000) + ",\"note\":\"");
        while (sb.length() < 196) {
            sb.append('x');
        }
        sb.append("\"}}");
        byte[] payload = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] key = corr.getBytes(StandardCharsets.UTF_8);
        List<Header> headers = Arrays.asList(new Header("correlationId", key),
                new Header("eventType", type.getBytes(StandardCharsets.UTF_8)),
                new Header("ce_id", ("e-" + i).getBytes(StandardCharsets.UTF_8)));
        Channel channel = Channel.kafkaTopic("bench-orders");
        SourcePosition position = new SourcePosition.Kafka(partition, i / 4 / PARTITIONS * 4L + i % 4, TimestampType.CREATE_TIME);
        Instant observed = Instant.ofEpochMilli(at.toEpochMilli());
        DerivedFields derived = extractor.extract(channel, key, headers, payload, position, observed);
        return new CapturedEvent(seq, channel, position, observed, observed, key, headers, payload, derived);
    }
}
