package io.eventlens.core.bench;

import io.eventlens.core.filter.EventFilter;
import io.eventlens.core.filter.FilterContext;
import io.eventlens.core.filter.FilteredScan;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The filter benchmark (issue 13; README "Speed"): a capture of N events (default 1,000,000; five
 * channels, six event types, five events per correlation ID, ~180-byte JSON payloads, 1 ms apart) is
 * written once; then, in each of {@code bench.rounds} rounds (default 5), each query opens the
 * capture read-only afresh (a cold block cache, as when a user opens a file and types a filter) and
 * times its first page of {@code bench.page} events (default 200):
 * <ul>
 *   <li>unfiltered: {@link CaptureStore#page}, the event table's first page;</li>
 *   <li>each filter: {@link FilteredScan#next} until the page is full or the capture ends.</li>
 * </ul>
 * Prints the median of each and its ratio to the unfiltered page (the issue asks for at most 2x when
 * a filter uses indexed fields: channel, type, correlation ID, time range), and for a filter on
 * non-indexed fields the time of the whole pass. Not a test: it asserts nothing about time.
 *
 * <p>Run with {@code mvn -Pbench -pl core verify -DskipTests} (with the other benchmarks) or alone with
 * {@code -Dexec.mainClass=io.eventlens.core.bench.FilterBenchmark}; {@code -Dbench.filter.records=N}.
 */
public final class FilterBenchmark {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String[] CHANNELS = {"orders", "payments", "inventory", "shipping", "notifications"};
    private static final String[] TYPES = {"OrderPlaced", "PaymentAuthorized", "StockReserved", "ParcelShipped",
        "CustomerNotified", "PaymentRefunded"};

    private FilterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.filter.records", Integer.getInteger("bench.records", 1_000_000));
        int rounds = Integer.getInteger("bench.rounds", 5);
        int pageSize = Integer.getInteger("bench.page", 200);
        Path dir = Files.createTempDirectory("eventlens-filter-bench");
        Path file = dir.resolve("bench.mv.db");
        long start = System.nanoTime();
        try (CaptureStore store = CaptureStore.open(file)) {
            Random random = new Random(7);
            List<CapturedEvent> batch = new ArrayList<>(10_000);
            for (int i = 0; i < records; i++) {
                batch.add(event(i, random));
                if (batch.size() == 10_000) {
                    store.append(batch, List.of());
                    batch.clear();
                }
            }
            store.append(batch, List.of());
        }
        System.out.printf(Locale.ROOT, "filter benchmark: %,d events written in %.1f s (%,d bytes); first page of %d,"
                + " median of %d rounds, each query on a freshly opened read-only store%n", records,
                (System.nanoTime() - start) / 1e9, Files.size(file), pageSize, rounds);

        Instant late = T0.plusMillis(records * 8L / 10);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("channel (indexed)", "channel == \"payments\"");
        filters.put("type (per event)", "type == \"PaymentAuthorized\"");
        filters.put("correlation ID (indexed)", "correlationId == \"c-" + (records / 5 * 3 / 4) + "\"");
        filters.put("time range (indexed)", "observedAt >= timestamp(\"" + late + "\") && observedAt < timestamp(\""
                + late.plusSeconds(60) + "\")");
        filters.put("channel + payload", "channel == \"payments\" && payload.amountCents > 10000");
        filters.put("issue's example", "type == \"PaymentAuthorized\" && payload.amountCents > 10000");
        filters.put("payload only (streams)", "payload.amountCents > 999900");

        Map<String, double[]> ms = new LinkedHashMap<>();
        ms.put("unfiltered", new double[rounds]);
        filters.keySet().forEach(k -> ms.put(k, new double[rounds]));
        Map<String, Integer> found = new LinkedHashMap<>();
        double[] fullPass = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            try (CaptureStore store = CaptureStore.openReadOnly(file)) {
                long t = System.nanoTime();
                int n = store.page(1, pageSize).size();
                ms.get("unfiltered")[r] = (System.nanoTime() - t) / 1e6;
                found.put("unfiltered", n);
            }
            for (Map.Entry<String, String> f : filters.entrySet()) {
                try (CaptureStore store = CaptureStore.openReadOnly(file)) {
                    long t = System.nanoTime();
                    EventFilter filter = EventFilter.compile(f.getValue());
                    FilteredScan scan = new FilteredScan(store, filter, FilterContext.NONE);
                    List<CapturedEvent> page = new ArrayList<>();
                    while (page.size() < pageSize && !scan.done()) {
                        page.addAll(scan.next(pageSize - page.size(), 100_000).events());
                    }
                    ms.get(f.getKey())[r] = (System.nanoTime() - t) / 1e6;
                    found.put(f.getKey(), Math.min(page.size(), pageSize));
                    if (f.getKey().startsWith("payload only")) {
                        while (!scan.done()) {
                            scan.next(Integer.MAX_VALUE, 100_000);
                        }
                        fullPass[r] = (System.nanoTime() - t) / 1e6;
                    }
                }
            }
        }
        double base = median(ms.get("unfiltered"));
        for (Map.Entry<String, double[]> e : ms.entrySet()) {
            double m = median(e.getValue());
            System.out.printf(Locale.ROOT, "  %-26s %8.1f ms  %5.2fx  (%d events)%s%n", e.getKey(), m, m / base,
                    found.get(e.getKey()), e.getKey().equals("unfiltered") ? "" : "  " + filters.get(e.getKey()));
        }
        System.out.printf(Locale.ROOT, "  whole pass of the payload-only filter over %,d events: %.0f ms%n", records,
                median(fullPass));
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static CapturedEvent event(int i, Random random) {
        int c = i / 5;
        String channel = CHANNELS[i % 5];
        String type = TYPES[(i % 5) + (i % 5 == 1 && c % 10 == 0 ? 4 : 0)];
        String correlationId = "c-" + c;
        String eventId = "e-" + i;
        int amount = random.nextInt(1_000_000);
        String json = String.format(Locale.ROOT, "{\"eventId\":\"%s\",\"correlationId\":\"%s\",\"type\":\"%s\","
                + "\"amountCents\":%d,\"currency\":\"EUR\",\"customer\":{\"id\":\"cust-%d\",\"tier\":\"%s\"}}",
                eventId, correlationId, type, amount, c % 997, c % 3 == 0 ? "gold" : "basic");
        Instant observed = T0.plusMillis(i);
        DerivedFields derived = new DerivedFields(new Derived<>(correlationId, "header correlationId"),
                new Derived<>(eventId, "header eventId"), new Derived<>(type, "json /type"),
                new Derived<>(observed, "json /time"), null, null);
        return new CapturedEvent(0, Channel.kafkaTopic(channel), new SourcePosition.Kafka(c % 6, i, TimestampType.CREATE_TIME),
                observed, observed, ("ord-" + c).getBytes(StandardCharsets.UTF_8),
                List.of(Header.ofString("correlationId", correlationId), Header.ofString("eventId", eventId)),
                json.getBytes(StandardCharsets.UTF_8), derived);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
