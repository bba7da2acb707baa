package io.eventlens.core.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.analysis.DeadLetterInfo;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.HostileStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterReportTest {

    @TempDir
    Path dir;

    private Path storeWith(List<CapturedEvent> events) {
        Path file = dir.resolve("dl.mv.db");
        try (CaptureStore store = CaptureStore.open(file)) {
            for (int i = 0; i < events.size(); i += 333) {
                store.append(events.subList(i, Math.min(events.size(), i + 333)), List.of());
            }
        }
        return file;
    }

    private static Map<DeadLetterReport.GroupKey, Long> counts(DeadLetterReport.Snapshot s) {
        return s.groups().stream().collect(Collectors.toMap(DeadLetterReport.Group::key, DeadLetterReport.Group::count));
    }

    @Test
    void reportCountsEveryDeadLetterPerReasonExceptionAndOriginalChannelOnAReadOnlyOpenThatLeavesTheFileUnchanged() {
        DeadLetterScenario sc = new DeadLetterScenario(3_000);
        Path file = storeWith(sc.events);
        String before = HostileStores.sha256(file);

        DeadLetterReport.Snapshot s;
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            DeadLetterReport report = new DeadLetterReport(store, Set.of(), 5, 100);
            List<long[]> progress = new ArrayList<>();
            assertThat(report.update((done, total) -> progress.add(new long[] {done, total}), () -> false)).isTrue();
            s = report.snapshot();
            assertThat(progress).as("progress reports").isNotEmpty();
            assertThat(progress.get(progress.size() - 1)).containsExactly(sc.events.size(), sc.events.size());
        }
        assertThat(HostileStores.sha256(file)).as("SHA-256 of the store read").isEqualTo(before);

        assertThat(s.complete()).isTrue();
        assertThat(s.deadLettered()).as("dead-lettered events (retry copies left out)").isEqualTo(sc.deadLettered());
        assertThat(counts(s)).as("events per group").isEqualTo(Map.of(
                new DeadLetterReport.GroupKey("amount must be positive", "com.shop.InvalidOrderException", "orders", false),
                sc.springInvalid,
                new DeadLetterReport.GroupKey("inventory timed out", "java.util.concurrent.TimeoutException", "orders", false),
                sc.springTimeout,
                new DeadLetterReport.GroupKey("Converting byte[] to Kafka Connect data failed",
                        "org.apache.kafka.connect.errors.DataException", "payments", false), sc.connect,
                new DeadLetterReport.GroupKey(null, null, "payments", false), sc.channelNamed));
        assertThat(s.groups().get(0).count()).as("most events first").isEqualTo(
                s.groups().stream().mapToLong(DeadLetterReport.Group::count).max().orElseThrow());

        DeadLetterReport.Group invalid = s.groups().stream()
                .filter(g -> "com.shop.InvalidOrderException".equals(g.key().exceptionClass())).findFirst().orElseThrow();
        assertThat(invalid.examples()).as("examples are bounded").hasSize(5);
        DeadLetterEvent newest = invalid.examples().get(0);
        assertThat(newest.seq()).as("newest first").isGreaterThan(invalid.examples().get(4).seq());
        assertThat(newest.channel()).isEqualTo("orders.DLT");
        assertThat(newest.correlationId()).startsWith("c-");
        assertThat(newest.info().convention()).isEqualTo(DeadLetterInfo.Convention.SPRING_DLT);
        assertThat(newest.info().attempts()).isEqualTo(3);
        assertThat(newest.info().originalPartition()).isZero();
        assertThat(newest.info().originalOffset()).isNotNull();
        assertThat(newest.exceptionText()).isEqualTo("InvalidOrderException: amount must be positive");
        assertThat(invalid.channels()).containsExactly("orders.DLT");
        assertThat(invalid.firstObservedAt()).isBefore(invalid.lastObservedAt());
    }

    @Test
    void selectiveScanReturnsExactlyTheEventsAFullPageReadSelects() {
        DeadLetterScenario sc = new DeadLetterScenario(1_500);
        Path file = storeWith(sc.events);
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            List<Long> scanned = new ArrayList<>();
            long next = 1;
            while (next <= store.eventCount()) {
                var page = store.scan(next, 700, (ch, names) -> ch.endsWith(".DLT") || names.contains("__connect.errors.topic"));
                page.events().forEach(e -> scanned.add(e.seq()));
                assertThat(page.nextSeq()).as("a scan step moves on").isGreaterThan(next);
                next = page.nextSeq();
            }
            List<Long> expected = new ArrayList<>();
            for (long from = 1; from <= store.eventCount(); from += 1000) {
                for (CapturedEvent e : store.page(from, 1000)) {
                    if (e.channel().name().endsWith(".DLT") || e.header("__connect.errors.topic") != null) {
                        expected.add(e.seq());
                        assertThat(store.event(e.seq())).isEqualTo(e);
                    }
                }
            }
            assertThat(scanned).isEqualTo(expected).isNotEmpty();
            // the scan's events are whole events, equal to what page gives
            var one = store.scan(1, 100_000, (ch, names) -> ch.equals("sink-errors")).events();
            assertThat(one).isNotEmpty().allSatisfy(e -> assertThat(store.event(e.seq())).isEqualTo(e));
            assertThatThrownBy(() -> store.scan(1, 0, (ch, n) -> true)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void groupsBeyondTheBoundAreCountedInAnOtherReasonsGroup() {
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(DeadLetterScenario.event("orders.DLT", 0, i, i, "{}",
                    DeadLetterScenario.header("kafka_dlt-original-topic", "orders"),
                    DeadLetterScenario.header("kafka_dlt-exception-fqcn", "x.BadThing"),
                    DeadLetterScenario.header("kafka_dlt-exception-message", "bad " + "x".repeat(i + 1))));
        }
        try (CaptureStore store = CaptureStore.open(dir.resolve("many.mv.db"))) {
            store.append(events, List.of());
            DeadLetterReport report = new DeadLetterReport(store, Set.of(), 2, 10);
            report.update((d, t) -> { }, () -> false);
            DeadLetterReport.Snapshot s = report.snapshot();
            assertThat(s.deadLettered()).isEqualTo(50);
            assertThat(s.groups()).hasSize(11);
            DeadLetterReport.Group other = s.groups().get(0);
            assertThat(other.key()).isEqualTo(new DeadLetterReport.GroupKey(null, "x.BadThing", "orders", true));
            assertThat(other.count()).isEqualTo(40);
            assertThat(other.examples()).hasSize(2);
        }
    }

    @Test
    void cancelledUpdateKeepsWhatItReadAndALaterUpdateContinuesWithoutCountingTwice() {
        DeadLetterScenario sc = new DeadLetterScenario(20_000);
        Path file = storeWith(sc.events);
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            DeadLetterReport report = new DeadLetterReport(store, Set.of());
            AtomicInteger polls = new AtomicInteger();
            boolean done = report.update((d, t) -> { }, () -> polls.incrementAndGet() > 1);
            assertThat(done).as("the cancelled pass says it stopped short").isFalse();
            DeadLetterReport.Snapshot partial = report.snapshot();
            assertThat(partial.complete()).isFalse();
            assertThat(partial.readThroughSeq()).isPositive().isLessThan(sc.events.size());
            assertThat(partial.deadLettered()).isLessThan(sc.deadLettered());

            assertThat(report.update((d, t) -> { }, () -> false)).isTrue();
            assertThat(report.snapshot().deadLettered()).isEqualTo(sc.deadLettered());
            assertThat(report.snapshot().complete()).isTrue();
        }
    }

    @Test
    void updateDuringACaptureReadsOnlyTheNewEvents() {
        DeadLetterScenario sc = new DeadLetterScenario(400);
        try (CaptureStore store = CaptureStore.open(dir.resolve("live.mv.db"))) {
            int half = sc.events.size() / 2;
            store.append(sc.events.subList(0, half), List.of());
            DeadLetterReport report = new DeadLetterReport(store, Set.of("payments"));
            report.update((d, t) -> { }, () -> false);
            long first = report.snapshot().deadLettered();
            AtomicInteger read = new AtomicInteger();
            store.append(sc.events.subList(half, sc.events.size()), List.of());
            report.update((d, t) -> read.set((int) t), () -> false);
            assertThat(read.get()).as("events read by the second update").isEqualTo(sc.events.size() - half);
            long payments = sc.events.stream().filter(e -> e.channel().name().equals("payments")).count();
            assertThat(report.snapshot().deadLettered()).as("configured channel counts too")
                    .isEqualTo(sc.deadLettered() + payments).isGreaterThan(first);
        }
    }

    @Test
    void reasonsThatDifferOnlyInNumbersAndIdsShareAGroup() {
        assertThat(DeadLetterReport.reasonPattern("Order ord-10023 rejected: total 312.50 EUR exceeds the limit of cust-4821"))
                .isEqualTo("Order ord-# rejected: total # EUR exceeds the limit of cust-#");
        assertThat(DeadLetterReport.reasonPattern("message 3f2a9c1e-0b4d-4e5f-8a6b-7c8d9e0f1a2b (checkout-1a2b3c4d) expired"))
                .isEqualTo("message # (checkout-#) expired");
        assertThat(DeadLetterReport.reasonPattern("Cannot deserialize value from String \"123,45\""))
                .isEqualTo("Cannot deserialize value from String \"#\"");
        assertThat(DeadLetterReport.reasonPattern("rejected")).isEqualTo("rejected");
        assertThat(DeadLetterReport.reasonPattern(null)).isNull();

        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(DeadLetterScenario.event("orders.DLT", 0, i, i, "{}",
                    DeadLetterScenario.header("kafka_dlt-exception-fqcn", "x.Rejected"),
                    DeadLetterScenario.header("kafka_dlt-exception-message", "order " + (1000 + i * 7) + " over limit")));
        }
        try (CaptureStore store = CaptureStore.open(dir.resolve("pattern.mv.db"))) {
            store.append(events, List.of());
            DeadLetterReport report = new DeadLetterReport(store, Set.of());
            report.update((d, t) -> { }, () -> false);
            DeadLetterReport.Snapshot s = report.snapshot();
            assertThat(s.groups()).singleElement().satisfies(g -> {
                assertThat(g.key().reason()).isEqualTo("order # over limit");
                assertThat(g.key().originalChannel()).as("from the channel name").isEqualTo("orders");
                assertThat(g.count()).isEqualTo(30);
                assertThat(g.examples().get(0).info().reason()).as("an example keeps its exact reason")
                        .isEqualTo("order " + (1000 + 29 * 7) + " over limit");
            });
        }
    }

    @Test
    void emptyCaptureHasAnEmptyCompleteReport() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("empty.mv.db"))) {
            DeadLetterReport report = new DeadLetterReport(store, Set.of());
            assertThat(report.update((d, t) -> { }, () -> false)).isTrue();
            assertThat(report.snapshot().isEmpty()).isTrue();
            assertThat(report.snapshot().complete()).isTrue();
            assertThat(report.snapshot().groups()).isEmpty();
        }
    }

    @Test
    void stackTraceIsReadFromTheConventionsHeaders() {
        DeadLetterScenario sc = new DeadLetterScenario(10);
        Map<String, CapturedEvent> byChannel = sc.events.stream()
                .collect(Collectors.toMap(e -> e.channel().name(), Function.identity(), (a, b) -> a));
        assertThat(DeadLetters.stackTrace(byChannel.get("orders.DLT").headers())).contains("OrderListener.java:42");
        assertThat(DeadLetters.stackTrace(byChannel.get("sink-errors").headers())).startsWith("org.apache.kafka.connect");
        assertThat(DeadLetters.stackTrace(byChannel.get("payments-dlq").headers())).isNull();
        assertThat(DeadLetters.isDeadLettered(byChannel.get("orders-retry-0"), Set.of())).isFalse();
        assertThat(DeadLetters.isDeadLettered(byChannel.get("sink-errors"), Set.of())).isTrue();
    }
}
