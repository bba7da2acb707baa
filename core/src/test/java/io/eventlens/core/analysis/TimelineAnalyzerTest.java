package io.eventlens.core.analysis;

import static io.eventlens.core.analysis.Ev.ev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TimelineAnalyzerTest {

    private final TimelineAnalyzer analyzer = TimelineAnalyzer.withDefaults();

    private Timeline analyze(Ev... events) {
        return analyzer.analyze("c-1", Arrays.stream(events).map(Ev::build).toList());
    }

    private static TimelineEntry entry(Timeline t, long seq) {
        return t.entries().stream().filter(e -> e.event().seq() == seq).findFirst()
                .orElseThrow(() -> new AssertionError("no event #" + seq + " in " + t.entries()));
    }

    private static List<Anomaly> anomalies(Timeline t, long seq) {
        return entry(t, seq).anomalies();
    }

    private static Anomaly only(Timeline t, long seq, AnomalyKind kind) {
        List<Anomaly> list = anomalies(t, seq).stream().filter(a -> a.kind() == kind).toList();
        assertThat(list).as("%s anomalies on #%d, all: %s", kind, seq, anomalies(t, seq)).hasSize(1);
        return list.get(0);
    }

    private static List<AnomalyKind> kinds(Timeline t) {
        List<AnomalyKind> all = new ArrayList<>();
        t.entries().forEach(e -> e.anomalies().forEach(a -> all.add(a.kind())));
        return all;
    }

    @Nested
    class Ordering {

        @Test
        void emptyTimelineHasTheNoEventsVerdict() {
            Timeline t = analyzer.analyze("c-404", List.of());
            assertThat(t.correlationId()).isEqualTo("c-404");
            assertThat(t.entries()).isEmpty();
            assertThat(t.verdict()).isEqualTo(new Verdict(VerdictKind.NO_EVENTS, "nothing was produced for this correlation ID", 0));
        }

        @Test
        void entriesAreInObservedOrderThenStoreSequence() {
            Timeline t = analyze(ev(1).at(300), ev(2).at(100), ev(4).at(200), ev(3).at(200));
            assertThat(t.entries()).extracting(e -> e.event().seq()).containsExactly(2L, 3L, 4L, 1L);
        }

        @Test
        void inputListIsNotModified() {
            List<CapturedEvent> input = new ArrayList<>(List.of(ev(2).at(10).build(), ev(1).at(0).build()));
            analyzer.analyze("c-1", input);
            assertThat(input).extracting(CapturedEvent::seq).containsExactly(2L, 1L);
        }

        @Test
        void nullArgumentsAreRejected() {
            assertThatThrownBy(() -> analyzer.analyze(null, List.of())).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> analyzer.analyze("c", null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Nested
    class Duplicates {

        @Test
        void sameIdAndPayloadIsARedeliveredDuplicate() {
            Timeline t = analyze(ev(1).id("e-1").payload("{\"a\":1}"), ev(2).at(100).id("e-1").payload("{\"a\":1}"));
            assertThat(anomalies(t, 1)).isEmpty();
            Anomaly a = only(t, 2, AnomalyKind.DUPLICATE);
            assertThat(a.relatedSeq()).isEqualTo(1);
            assertThat(a.rule()).isEqualTo("duplicate.same-payload");
            assertThat(a.message()).contains("e-1").contains("#1 on orders p0@1").contains("7 bytes");
            assertThat(a.evidence()).containsEntry("eventId", "e-1").containsEntry("originalSeq", 1L);
        }

        @Test
        void differentIdsWithTheSamePayloadAreNotDuplicates() {
            Timeline t = analyze(ev(1).id("e-1").payload("{}"), ev(2).id("e-2").payload("{}"));
            assertThat(kinds(t)).isEmpty();
        }

        @Test
        void sameIdWithADifferentPayloadIsAConflictingDuplicate() {
            Timeline t = analyze(ev(1).id("e-1").payload("{\"amount\":12.5}"), ev(2).at(50).id("e-1").payload("{\"amount\":13.75}"));
            Anomaly a = only(t, 2, AnomalyKind.CONFLICTING_DUPLICATE);
            assertThat(anomalies(t, 2)).extracting(Anomaly::kind).doesNotContain(AnomalyKind.DUPLICATE);
            assertThat(a.relatedSeq()).isEqualTo(1);
            assertThat(a.rule()).isEqualTo("duplicate.different-payload");
            assertThat(a.message()).contains("16 bytes vs 15 bytes").contains("first difference at byte 11")
                    .contains("13.75").contains("12.5");
            assertThat(a.evidence()).containsEntry("payloadBytes", 16).containsEntry("originalPayloadBytes", 15)
                    .containsEntry("firstDifferenceAt", 11);
        }

        @Test
        void tombstoneAgainstPayloadIsConflicting() {
            Timeline t = analyze(ev(1).id("e-1").payload("{}"), ev(2).id("e-1").payload(null));
            assertThat(only(t, 2, AnomalyKind.CONFLICTING_DUPLICATE).message()).contains("<tombstone>");
        }

        @Test
        void laterCopiesAreComparedWithTheFirstOccurrence() {
            Timeline t = analyze(ev(1).id("e").payload("A"), ev(2).at(1).id("e").payload("B"), ev(3).at(2).id("e").payload("A"));
            assertThat(only(t, 2, AnomalyKind.CONFLICTING_DUPLICATE).relatedSeq()).isEqualTo(1);
            assertThat(only(t, 3, AnomalyKind.DUPLICATE).relatedSeq()).isEqualTo(1);
        }

        @Test
        void messagesWithoutIdsAreDuplicatesWhenChannelKeyAndPayloadMatch() {
            Timeline t = analyze(ev(1).key("k").payload("x"), ev(2).at(5).key("k").payload("x"), ev(3).at(6).key("k2").payload("x"));
            assertThat(only(t, 2, AnomalyKind.DUPLICATE).relatedSeq()).isEqualTo(1);
            assertThat(anomalies(t, 3)).isEmpty();
        }
    }

    @Nested
    class DeadLetters {

        @Test
        void copyOnADeadLetterChannelIsDeadLetteredAndLinkedNotADuplicate() {
            Timeline t = analyze(ev(1).id("e-1").payload("p"), ev(2).on("orders.DLT").at(500).id("e-1").payload("p"));
            Anomaly a = only(t, 2, AnomalyKind.DEAD_LETTERED);
            assertThat(kinds(t)).containsExactly(AnomalyKind.DEAD_LETTERED);
            assertThat(a.relatedSeq()).isEqualTo(1);
            assertThat(a.rule()).isEqualTo("dead-letter.channel-name");
            assertThat(a.message()).isEqualTo("dead-lettered on orders.DLT from #1 on orders p0@1 (no reason in its headers)");
        }

        @Test
        void springHeadersGiveReasonOriginAndAttemptsAndLinkByCoordinates() {
            Timeline t = analyze(
                    ev(1).id("e-1").pos(2, 41),
                    ev(2).on("orders.DLT").at(9000).id("dlt-own-id")
                            .header("kafka_dlt-original-topic", "orders").headerInt("kafka_dlt-original-partition", 2)
                            .headerLong("kafka_dlt-original-offset", 41)
                            .header("kafka_dlt-exception-fqcn", "java.lang.NumberFormatException")
                            .header("kafka_dlt-exception-message", "For input string: \"x\"")
                            .headerInt("kafka_deliveryAttempt", 3));
            Anomaly a = only(t, 2, AnomalyKind.DEAD_LETTERED);
            assertThat(a.relatedSeq()).isEqualTo(1);
            assertThat(a.message()).isEqualTo(
                    "dead-lettered on orders.DLT from #1 on orders p2@41 after 3 attempts: NumberFormatException: For input string: \"x\"");
            assertThat(a.evidence()).containsEntry("originalChannel", "orders").containsEntry("originalPartition", 2)
                    .containsEntry("originalOffset", 41L).containsEntry("attempts", 3).containsEntry("convention", "SPRING_DLT");
            assertThat(anomalies(t, 2)).extracting(Anomaly::kind).containsExactly(AnomalyKind.DEAD_LETTERED);
        }

        @Test
        void copyWithoutIdsIsLinkedByTheHashItWouldHaveOnTheOriginalChannel() {
            Timeline t = analyze(ev(1).key("k").payload("poison"), ev(2).on("orders-dlq").at(10).key("k").payload("poison"));
            assertThat(only(t, 2, AnomalyKind.DEAD_LETTERED).relatedSeq()).isEqualTo(1);
        }

        @Test
        void copyWhoseOriginalWasNotCapturedStillNamesTheOriginalFromHeaders() {
            Timeline t = analyze(ev(5).on("orders.DLT").header("kafka_dlt-original-topic", "orders")
                    .headerInt("kafka_dlt-original-partition", 0).headerLong("kafka_dlt-original-offset", 9));
            Anomaly a = only(t, 5, AnomalyKind.DEAD_LETTERED);
            assertThat(a.relatedSeq()).isZero();
            assertThat(a.message()).startsWith("dead-lettered on orders.DLT from orders p0@9");
        }

        @Test
        void deadLetterHeadersOnAnOrdinaryChannelMarkTheEvent() {
            Timeline t = analyze(ev(1).on("quarantine").header("__connect.errors.topic", "orders")
                    .header("__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException")
                    .header("__connect.errors.exception.message", "bad bytes"));
            Anomaly a = only(t, 1, AnomalyKind.DEAD_LETTERED);
            assertThat(a.rule()).isEqualTo("dead-letter.headers");
            assertThat(a.message()).isEqualTo("dead-lettered on quarantine from orders: DataException: bad bytes");
        }

        @Test
        void configuredDeadLetterChannelIsRecognised() {
            TimelineAnalyzer custom = new TimelineAnalyzer(AnalysisSettings.defaults().withDeadLetterChannels(Set.of("parking-lot")));
            Timeline t = custom.analyze("c-1", List.of(ev(1).id("e").payload("p").build(), ev(2).on("parking-lot").id("e").payload("p").build()));
            assertThat(only(t, 2, AnomalyKind.DEAD_LETTERED).rule()).isEqualTo("dead-letter.configured");
            assertThat(analyze(ev(1).id("e").payload("p"), ev(2).on("parking-lot").id("e").payload("p")).entries().get(1).anomalies())
                    .extracting(Anomaly::kind).containsExactly(AnomalyKind.DUPLICATE);
        }

        @Test
        void copyOnARetryChannelIsRetriedAndLinkedNotADuplicateNorDeadLettered() {
            Timeline t = analyze(ev(1).id("e-1"),
                    ev(2).on("orders-retry-0").at(1000).id("e-1").header("kafka_original-topic", "orders")
                            .header("kafka_exception-fqcn", "java.lang.IllegalStateException")
                            .header("kafka_exception-message", "db down").headerInt("retry_topic-attempts", 1));
            Anomaly a = only(t, 2, AnomalyKind.RETRIED);
            assertThat(kinds(t)).containsExactly(AnomalyKind.RETRIED);
            assertThat(a.rule()).isEqualTo("retry.retry-channel");
            assertThat(a.relatedSeq()).isEqualTo(1);
            assertThat(a.message()).isEqualTo("retry copy on orders-retry-0 of #1 on orders p0@1, attempt 1: IllegalStateException: db down");
        }

        @Test
        void deadLetterCopyDoesNotHideALaterRealDuplicate() {
            Timeline t = analyze(ev(1).id("e").payload("p"), ev(2).on("orders.DLT").at(1).id("e").payload("p"),
                    ev(3).at(2).id("e").payload("p"));
            assertThat(only(t, 3, AnomalyKind.DUPLICATE).relatedSeq()).isEqualTo(1);
        }

        @Test
        void deadLetterCopyObservedBeforeItsOriginalDoesNotMakeTheOriginalADuplicate() {
            Timeline t = analyze(ev(1).on("orders.DLT").at(0).id("e"), ev(2).at(10).id("e"));
            assertThat(anomalies(t, 2)).isEmpty();
        }
    }

    @Nested
    class Retries {

        @Test
        void deliveryAttemptAboveOneIsRetried() {
            Anomaly a = only(analyze(ev(1).headerInt("kafka_deliveryAttempt", 3)), 1, AnomalyKind.RETRIED);
            assertThat(a.rule()).isEqualTo("retry.delivery-attempts");
            assertThat(a.message()).isEqualTo("delivered 3 times on orders (delivery-attempt header)");
            assertThat(a.evidence()).containsEntry("attempts", 3);
        }

        @Test
        void firstDeliveryIsNotRetried() {
            assertThat(kinds(analyze(ev(1).headerInt("kafka_deliveryAttempt", 1), ev(2).header("retry_topic-attempts", "1")))).isEmpty();
        }

        @Test
        void oneByteRetryTopicAttemptsAreDecoded() {
            Ev e = ev(1);
            Timeline t = analyzer.analyze("c-1", List.of(withHeader(e.build(), "retry_topic-attempts", new byte[] {2})));
            assertThat(only(t, 1, AnomalyKind.RETRIED).evidence()).containsEntry("attempts", 2);
        }

        private CapturedEvent withHeader(CapturedEvent e, String name, byte[] value) {
            List<io.eventlens.core.model.Header> h = new ArrayList<>(e.headers());
            h.add(new io.eventlens.core.model.Header(name, value));
            return new CapturedEvent(e.seq(), e.channel(), e.source(), e.observedAt(), e.capturedAt(), e.key(), h, e.payload(), e.derived());
        }
    }

    @Nested
    class OutOfOrder {

        @Test
        void lowerSequenceAfterAHigherOneOnTheSameKeyIsOutOfOrder() {
            Timeline t = analyze(ev(1).key("k").seqNo(1), ev(2).at(10).key("k").seqNo(3), ev(3).at(20).key("k").seqNo(2));
            Anomaly a = only(t, 3, AnomalyKind.OUT_OF_ORDER);
            assertThat(a.relatedSeq()).isEqualTo(2);
            assertThat(a.rule()).isEqualTo("order.sequence");
            assertThat(a.message()).isEqualTo("sequence 2 arrived after sequence 3 (#2 on orders p0@2) for key k");
            assertThat(a.evidence()).containsEntry("sequence", 2L).containsEntry("previousSequence", 3L).containsEntry("scope", "key k");
            assertThat(anomalies(t, 2)).isEmpty();
        }

        @Test
        void orderIsCheckedAcrossChannelsForTheSameKey() {
            Timeline t = analyze(ev(1).key("k").seqNo(5), ev(2).on("payments").at(10).key("k").seqNo(4));
            assertThat(only(t, 2, AnomalyKind.OUT_OF_ORDER).relatedSeq()).isEqualTo(1);
        }

        @Test
        void differentKeysAreDifferentScopes() {
            assertThat(kinds(analyze(ev(1).key("a").seqNo(5), ev(2).at(10).key("b").seqNo(1)))).isEmpty();
        }

        @Test
        void withoutKeysTheCorrelationIdIsTheScope() {
            Timeline t = analyze(ev(1).seqNo(2), ev(2).at(10).seqNo(1));
            assertThat(only(t, 2, AnomalyKind.OUT_OF_ORDER).evidence()).containsEntry("scope", "correlation ID c-1");
        }

        @Test
        void equalOrHigherSequenceIsInOrder() {
            assertThat(kinds(analyze(ev(1).key("k").seqNo(2), ev(2).at(1).key("k").seqNo(2), ev(3).at(2).key("k").seqNo(3)))).isEmpty();
        }

        @Test
        void comparisonIsWithTheHighestSequenceSeenNotTheLast() {
            Timeline t = analyze(ev(1).key("k").seqNo(5), ev(2).at(1).key("k").seqNo(3), ev(3).at(2).key("k").seqNo(4));
            assertThat(only(t, 3, AnomalyKind.OUT_OF_ORDER).relatedSeq()).isEqualTo(1);
        }

        @Test
        void duplicatesAndDeadLetterCopiesAreLeftOut() {
            Timeline t = analyze(ev(1).key("k").seqNo(1).id("a"), ev(2).at(1).key("k").seqNo(2).id("b"),
                    ev(3).at(2).key("k").seqNo(1).id("a"), ev(4).on("orders.DLT").at(3).key("k").seqNo(1).id("a"));
            assertThat(kinds(t)).doesNotContain(AnomalyKind.OUT_OF_ORDER);
        }

        @Test
        void eventsWithoutSequenceAreIgnored() {
            assertThat(kinds(analyze(ev(1).key("k").seqNo(3), ev(2).at(1).key("k")))).isEmpty();
        }
    }

    @Nested
    class Lag {

        @Test
        void gapAboveTheSloIsLagNamingTheHop() {
            Timeline t = analyze(ev(1), ev(2).on("payments").at(4200));
            Anomaly a = only(t, 2, AnomalyKind.LAG);
            assertThat(a.message()).isEqualTo("orders → payments took 4.2 s, SLO 2 s");
            assertThat(a.rule()).isEqualTo("lag.previous-step");
            assertThat(a.relatedSeq()).isEqualTo(1);
            assertThat(a.evidence()).containsEntry("gapMs", 4200L).containsEntry("sloMs", 2000L)
                    .containsEntry("fromChannel", "orders").containsEntry("toChannel", "payments");
        }

        @Test
        void gapExactlyAtTheSloIsNotLag() {
            assertThat(kinds(analyze(ev(1), ev(2).on("payments").at(2000)))).isEmpty();
            assertThat(kinds(analyze(ev(1), ev(2).on("payments").at(2001)))).containsExactly(AnomalyKind.LAG);
        }

        @Test
        void perChannelSloApplies() {
            TimelineAnalyzer custom = new TimelineAnalyzer(AnalysisSettings.defaults().withChannelLagSlo("reports", Duration.ofSeconds(10)));
            Timeline t = custom.analyze("c-1", List.of(ev(1).build(), ev(2).on("reports").at(9000).build(), ev(3).on("payments").at(11_001).build()));
            assertThat(anomalies(t, 2)).isEmpty();
            assertThat(only(t, 3, AnomalyKind.LAG).message()).isEqualTo("reports → payments took 2 s, SLO 2 s");
        }

        @Test
        void duplicatesAreNotStepsAndAreNotCheckedForLag() {
            Timeline t = analyze(ev(1).id("a").payload("A"), ev(2).at(1500).id("b"), ev(3).at(5000).id("a").payload("A"), ev(4).on("payments").at(3000).id("c"));
            assertThat(kinds(t)).containsExactly(AnomalyKind.DUPLICATE);
            Timeline t2 = analyze(ev(1).id("a").payload("A"), ev(2).at(1500).id("a").payload("A"), ev(3).on("payments").at(3000).id("c"));
            assertThat(only(t2, 3, AnomalyKind.LAG).relatedSeq()).isEqualTo(1);
        }

        @Test
        void deadLetterCopiesAreNotStepsAndAreNotCheckedForLag() {
            Timeline t = analyze(ev(1).id("a"), ev(2).on("orders.DLT").at(30_000).id("a"));
            assertThat(kinds(t)).containsExactly(AnomalyKind.DEAD_LETTERED);
        }

        @Test
        void declaredTimeFarBeforeObservedTimeIsLag() {
            Timeline t = analyze(ev(1).at(3100).eventTime(0));
            Anomaly a = only(t, 1, AnomalyKind.LAG);
            assertThat(a.rule()).isEqualTo("lag.event-time");
            assertThat(a.message()).isEqualTo("observed on orders 3.1 s after its declared event time, SLO 2 s");
            assertThat(a.evidence()).containsEntry("gapMs", 3100L);
        }

        @Test
        void declaredTimeExactlyAtTheSloIsNotLag() {
            assertThat(kinds(analyze(ev(1).at(2000).eventTime(0)))).isEmpty();
        }

        @Test
        void firstEventHasNoPreviousStep() {
            assertThat(kinds(analyze(ev(1).at(100_000)))).isEmpty();
        }
    }

    @Nested
    class ClockSkew {

        @Test
        void eventTimeLaterThanObservedBeyondToleranceIsSkew() {
            Anomaly a = only(analyze(ev(1).at(0).eventTime(501)), 1, AnomalyKind.CLOCK_SKEW);
            assertThat(a.rule()).isEqualTo("clock-skew.event-time-ahead");
            assertThat(a.message()).contains("501 ms later").contains("tolerance 500 ms");
            assertThat(a.evidence()).containsEntry("skewMs", 501L).containsEntry("toleranceMs", 500L);
        }

        @Test
        void skewAtTheToleranceIsNotReported() {
            assertThat(kinds(analyze(ev(1).at(0).eventTime(500)))).isEmpty();
        }

        @Test
        void customToleranceApplies() {
            TimelineAnalyzer custom = new TimelineAnalyzer(AnalysisSettings.defaults().withClockSkewTolerance(Duration.ofSeconds(2)));
            assertThat(custom.analyze("c-1", List.of(ev(1).eventTime(1500).build())).entries().get(0).anomalies()).isEmpty();
        }
    }

    @Nested
    class VerdictPrecedence {

        /** One timeline with every kind of finding; each test removes the top one. */
        private List<Ev> everything() {
            return new ArrayList<>(List.of(
                    ev(1).key("k").seqNo(2).id("a").payload("A"),
                    ev(2).at(100).key("k").seqNo(1).id("b"),                  // out of order
                    ev(3).at(200).id("a").payload("A2"),                       // conflicting duplicate
                    ev(4).on("payments").at(5000).id("c").payload("C"),         // lag 4.8 s
                    ev(5).on("orders.DLT").at(6000).id("a").payload("A"),      // dead-lettered
                    ev(6).on("payments").at(6100).id("c").payload("C"),         // benign duplicate
                    ev(7).at(6200).id("d").headerInt("kafka_deliveryAttempt", 2))); // retried
        }

        private Timeline without(long... seqs) {
            List<Ev> evs = everything();
            List<Long> drop = Arrays.stream(seqs).boxed().toList();
            return analyzer.analyze("c-1", evs.stream().map(Ev::build).filter(e -> !drop.contains(e.seq())).toList());
        }

        @Test
        void deadLetteredComesFirst() {
            Verdict v = without().verdict();
            assertThat(v.kind()).isEqualTo(VerdictKind.DEAD_LETTERED);
            assertThat(v.atSeq()).isEqualTo(5);
            assertThat(v.message()).startsWith("dead-lettered on orders.DLT from #1 on orders p0@1");
        }

        @Test
        void thenConflictingDuplicate() {
            Verdict v = without(5).verdict();
            assertThat(v.kind()).isEqualTo(VerdictKind.CONFLICTING_DUPLICATE);
            assertThat(v.atSeq()).isEqualTo(3);
            assertThat(v.message()).startsWith("conflicting duplicate: event a seen again with a different payload");
        }

        @Test
        void thenOutOfOrder() {
            Verdict v = without(5, 3).verdict();
            assertThat(v.kind()).isEqualTo(VerdictKind.OUT_OF_ORDER);
            assertThat(v.atSeq()).isEqualTo(2);
            assertThat(v.message()).isEqualTo("out of order: sequence 1 arrived after sequence 2 (#1 on orders p0@1) for key k");
        }

        @Test
        void thenLagWithTheHopAndHowMuchOver() {
            Verdict v = without(5, 3, 2).verdict();
            assertThat(v.kind()).isEqualTo(VerdictKind.LAG);
            assertThat(v.atSeq()).isEqualTo(4);
            assertThat(v.message()).isEqualTo("lag: orders → payments took 5 s, SLO 2 s (3 s over)"); // #2, #3 gone: the hop starts at #1
        }

        @Test
        void thenHealthyWithNotesForBenignDuplicatesAndRetries() {
            Timeline t = analyze(ev(1).id("a").payload("A"), ev(2).on("payments").at(100).id("b").headerInt("kafka_deliveryAttempt", 2),
                    ev(3).at(200).id("a").payload("A"));
            Verdict v = t.verdict();
            assertThat(kinds(t)).containsExactlyInAnyOrder(AnomalyKind.DUPLICATE, AnomalyKind.RETRIED);
            assertThat(v.kind()).isEqualTo(VerdictKind.HEALTHY);
            assertThat(v.message()).startsWith("healthy with notes: ")
                    .contains("1 benign redelivered duplicate").contains("1 retried delivery");
            assertThat(v.atSeq()).as("first note in observed order").isEqualTo(2);
        }

        @Test
        void elseHealthy() {
            Timeline t = without(5, 3, 2, 4, 6, 7);
            assertThat(t.verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
            assertThat(t.verdict().message()).startsWith("healthy: 1 event on 1 channel in 0 ms, no anomalies");
            assertThat(t.verdict().atSeq()).isZero();
        }

        @Test
        void lagVerdictPointsAtTheWorstHopAndCountsTheRest() {
            Timeline t = analyze(ev(1), ev(2).on("payments").at(2500), ev(3).on("inventory").at(9000));
            assertThat(t.verdict().atSeq()).isEqualTo(3);
            assertThat(t.verdict().message()).isEqualTo("lag: payments → inventory took 6.5 s, SLO 2 s (4.5 s over); 2 lag findings in all");
        }

        @Test
        void severalDeadLettersAreCounted() {
            Timeline t = analyze(ev(1).on("a.DLT"), ev(2).on("b.DLT").at(5));
            assertThat(t.verdict().atSeq()).isEqualTo(1);
            assertThat(t.verdict().message()).endsWith("; 2 dead-lettered events in all");
        }

        @Test
        void clockSkewAloneIsAHealthyNote() {
            Verdict v = analyze(ev(1).eventTime(3000)).verdict();
            assertThat(v.kind()).isEqualTo(VerdictKind.HEALTHY);
            assertThat(v.message()).contains("1 event with clock skew");
        }
    }

    @Test
    void durationsAreFormattedForPeople() {
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(2000))).isEqualTo("2 s");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(4249))).isEqualTo("4.2 s");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(125_000))).isEqualTo("2 min 5 s");
    }
}
