package io.eventlens.core.analysis;

import static io.eventlens.core.analysis.Ev.ev;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.TimestampType;
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
                    .as("not configured: the same event on another channel is a step, not a redelivery").isEmpty();
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
            assertThat(a.message()).isEqualTo(
                    "sequence 2 (#3 on orders p0@3) arrived after sequence 3 (#2 on orders p0@2) in orders, partition 0, key k");
            assertThat(a.evidence()).containsEntry("sequence", 2L).containsEntry("previousSequence", 3L)
                    .containsEntry("scope", "orders, partition 0, key k");
            assertThat(anomalies(t, 2)).isEmpty();
        }

        @Test
        void sequencesOnDifferentChannelsAreIndependentStreams() {
            assertThat(kinds(analyze(ev(1).key("k").seqNo(5), ev(2).on("payments").at(10).key("k").seqNo(4)))).isEmpty();
        }

        @Test
        void differentPartitionsOfOneChannelAreDifferentStreams() {
            assertThat(kinds(analyze(ev(1).key("k").pos(0, 1).seqNo(5), ev(2).at(10).key("k").pos(1, 1).seqNo(4)))).isEmpty();
        }

        @Test
        void threeTopicsEachNumberingTheirOwnEventsUnderOneKeyAreHealthy() {
            List<Ev> events = new ArrayList<>();
            long seq = 1;
            for (int n = 1; n <= 150; n++) {
                for (String topic : List.of("orders", "payments", "inventory")) {
                    events.add(ev(seq).on(topic).at(seq).key("order-1").id(topic + "-" + n).seqNo(n));
                    seq++;
                }
            }
            Timeline t = analyze(events.toArray(Ev[]::new));
            assertThat(kinds(t)).as("anomalies of a healthy three-topic flow").isEmpty();
            assertThat(t.verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
        }

        @Test
        void differentKeysAreDifferentScopes() {
            assertThat(kinds(analyze(ev(1).key("a").seqNo(5), ev(2).at(10).key("b").seqNo(1)))).isEmpty();
        }

        @Test
        void withoutAKeyThePartitionIsTheStream() {
            Timeline t = analyze(ev(1).seqNo(3), ev(2).at(10).seqNo(2));
            assertThat(only(t, 2, AnomalyKind.OUT_OF_ORDER).evidence()).containsEntry("scope", "orders, partition 0, no key")
                    .containsEntry("key", null);
        }

        @Test
        void equalOrHigherSequenceIsInOrder() {
            assertThat(kinds(analyze(ev(1).key("k").seqNo(2), ev(2).at(1).key("k").seqNo(2), ev(3).at(2).key("k").seqNo(3)))).isEmpty();
        }

        @Test
        void oneRegressionIsOneFinding() {
            Timeline t = analyze(ev(1).key("k").seqNo(1), ev(2).at(1).key("k").seqNo(2), ev(3).at(2).key("k").seqNo(4),
                    ev(4).at(3).key("k").seqNo(3), ev(5).at(4).key("k").seqNo(5));
            assertThat(kinds(t)).containsExactly(AnomalyKind.OUT_OF_ORDER);
            assertThat(only(t, 4, AnomalyKind.OUT_OF_ORDER).relatedSeq()).isEqualTo(3);
        }

        @Test
        void theStreamGoesOnFromARegressionSoLaterEventsAreNotFlaggedAgain() {
            Timeline t = analyze(ev(1).key("k").seqNo(5), ev(2).at(1).key("k").seqNo(3), ev(3).at(2).key("k").seqNo(4));
            assertThat(kinds(t)).containsExactly(AnomalyKind.OUT_OF_ORDER);
            assertThat(only(t, 2, AnomalyKind.OUT_OF_ORDER).relatedSeq()).isEqualTo(1);
        }

        @Test
        void findingNamesTheStreamAndBothPositions() {
            Timeline t = analyze(ev(1).key("k").pos(2, 40).seqNo(7), ev(2).at(1).key("k").pos(2, 41).seqNo(6));
            Anomaly a = only(t, 2, AnomalyKind.OUT_OF_ORDER);
            assertThat(a.evidence()).containsEntry("channel", "orders").containsEntry("orderingStream", "partition 2")
                    .containsEntry("key", "k").containsEntry("position", "p2@41").containsEntry("previousPosition", "p2@40")
                    .containsEntry("previousSeq", 1L);
            assertThat(a.message()).contains("orders, partition 2, key k").contains("p2@41").contains("p2@40");
        }

        @Test
        void aStreamThatFallsBackToItsStartIsOneSequenceRestart() {
            List<Ev> events = new ArrayList<>();
            for (int n = 1; n <= 50; n++) {
                events.add(ev(n).at(n).key("k").seqNo(n));
            }
            for (int n = 1; n <= 20; n++) {
                events.add(ev(50 + n).at(50 + n).key("k").seqNo(n));
            }
            Timeline t = analyze(events.toArray(Ev[]::new));
            assertThat(kinds(t)).containsExactly(AnomalyKind.SEQUENCE_RESTART);
            Anomaly a = only(t, 51, AnomalyKind.SEQUENCE_RESTART);
            assertThat(a.rule()).isEqualTo("order.restart");
            assertThat(a.relatedSeq()).isEqualTo(50);
            assertThat(a.evidence()).containsEntry("sequence", 1L).containsEntry("previousSequence", 50L)
                    .containsEntry("streamFirstSequence", 1L).containsEntry("scope", "orders, partition 0, key k");
            assertThat(t.verdict().kind()).isEqualTo(VerdictKind.HEALTHY);
            assertThat(t.verdict().message()).contains("1 sequence restart");
        }

        @Test
        void aFallToZeroIsARestartAndAFallToTheMiddleIsARegression() {
            assertThat(kinds(analyze(ev(1).key("k").seqNo(1), ev(2).at(1).key("k").seqNo(2), ev(3).at(2).key("k").seqNo(0))))
                    .containsExactly(AnomalyKind.SEQUENCE_RESTART);
            assertThat(kinds(analyze(ev(1).key("k").seqNo(100), ev(2).at(1).key("k").seqNo(101), ev(3).at(2).key("k").seqNo(100))))
                    .as("back to the stream's first sequence").containsExactly(AnomalyKind.SEQUENCE_RESTART);
            assertThat(kinds(analyze(ev(1).key("k").seqNo(100), ev(2).at(1).key("k").seqNo(101), ev(3).at(2).key("k").seqNo(50))))
                    .containsExactly(AnomalyKind.OUT_OF_ORDER);
            assertThat(kinds(analyze(ev(1).key("k").seqNo(2), ev(2).at(1).key("k").seqNo(1))))
                    .as("a stream that never advanced past its first sequence cannot restart").containsExactly(AnomalyKind.OUT_OF_ORDER);
        }

        @Test
        void sourcesThatPromiseNoOrderAreNotChecked() {
            assertThat(kinds(analyze(ev(1).probe("poll-1#0").key("k").seqNo(3).id("a"),
                    ev(2).probe("poll-1#1").at(1).key("k").seqNo(2).id("b")))).isEmpty();
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
            assertThat(v.message()).isEqualTo(
                    "out of order: sequence 1 (#2 on orders p0@2) arrived after sequence 2 (#1 on orders p0@1) in orders, partition 0, key k");
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

    @Nested
    class Observations {

        private static final String BROKER_VALUE = "{\"orderId\":\"o-1\",\"amount\":12.50,\"items\":[1,2]}";
        private static final String SAME_CONTENT_OTHER_FRAMING = "{ \"items\": [1, 2], \"amount\": 12.5, \"orderId\": \"o-1\" }";

        @Test
        void aBrokerAndAProbeSeeingTheSameEventGiveOneEntryWithTwoObservations() {
            Timeline t = analyze(ev(1).id("e-1").payload(BROKER_VALUE),
                    ev(2).probe("poll-1#0").at(35).id("e-1").payload(SAME_CONTENT_OTHER_FRAMING));
            assertThat(t.entries()).hasSize(1);
            TimelineEntry entry = t.entries().get(0);
            assertThat(entry.observations()).extracting(o -> o.source().sourceKind()).containsExactly("kafka", "probe");
            assertThat(entry.event().seq()).as("the first observation defines the entry").isEqualTo(1);
            assertThat(entry.observedMoreThanOnce()).isTrue();
            assertThat(kinds(t)).as("another source's observation is not a duplicate").isEmpty();
            assertThat(t.verdict().message()).contains("1 event (2 observations) on 2 channels");
        }

        @Test
        void theEarlierObservationComesFirstWhicheverSourceMadeIt() {
            Timeline t = analyze(ev(1).at(50).id("e-1").payload(BROKER_VALUE),
                    ev(2).probe("poll-1#0").at(10).id("e-1").payload(SAME_CONTENT_OTHER_FRAMING));
            assertThat(t.entries()).singleElement().satisfies(e -> {
                assertThat(e.event().seq()).isEqualTo(2);
                assertThat(e.event().observedAt()).isEqualTo(Ev.T0.plusMillis(10));
                assertThat(e.observations()).extracting(CapturedEvent::seq).containsExactly(2L, 1L);
            });
        }

        @Test
        void aProbeEnvelopeIsComparedOnItsPayloadMemberThroughTheHook() {
            String wrapped = "{\"receivedAt\":\"2026-11-22T04:00:01Z\",\"payload\":" + SAME_CONTENT_OTHER_FRAMING + "}";
            Ev broker = ev(1).id("e-1").payload(BROKER_VALUE);
            Ev probe = ev(2).probe("poll-1#0").at(35).id("e-1").payload(wrapped);

            TimelineAnalyzer hooked = new TimelineAnalyzer(AnalysisSettings.defaults().withPayloadMember("probe", "/payload"));
            Timeline t = hooked.analyze("c-1", List.of(broker.build(), probe.build()));
            assertThat(t.entries()).singleElement().satisfies(e -> assertThat(e.observations()).hasSize(2));
            assertThat(kinds(t)).isEmpty();

            Timeline unhooked = analyze(broker, probe);
            Anomaly a = only(unhooked, 2, AnomalyKind.CONFLICTING_DUPLICATE);
            assertThat(a.rule()).isEqualTo("duplicate.different-content");
            assertThat(a.evidence()).containsEntry("comparedAs", "canonical JSON").containsEntry("sourceKind", "probe")
                    .containsEntry("originalSourceKind", "kafka");
        }

        @Test
        void aProbePayloadMemberHoldingJsonTextIsComparedAsJson() {
            String wrapped = "{\"payload\":\"{\\\"orderId\\\":\\\"o-1\\\",\\\"amount\\\":12.5,\\\"items\\\":[1,2]}\"}";
            TimelineAnalyzer hooked = new TimelineAnalyzer(AnalysisSettings.defaults().withPayloadMember("probe", "/payload"));
            Timeline t = hooked.analyze("c-1", List.of(ev(1).id("e-1").payload(BROKER_VALUE).build(),
                    ev(2).probe("poll-1#0").at(35).id("e-1").payload(wrapped).build()));
            assertThat(t.entries()).singleElement().satisfies(e -> assertThat(e.observations()).hasSize(2));
        }

        @Test
        void differentContentAcrossSourcesIsAConflictingDuplicateNamingBothSources() {
            Timeline t = analyze(ev(1).id("e-1").payload(BROKER_VALUE),
                    ev(2).probe("poll-1#0").at(35).id("e-1").payload("{\"orderId\":\"o-1\",\"amount\":13,\"items\":[1,2]}"));
            assertThat(t.entries()).hasSize(2);
            Anomaly a = only(t, 2, AnomalyKind.CONFLICTING_DUPLICATE);
            assertThat(a.relatedSeq()).isEqualTo(1);
            assertThat(a.message()).contains("observed by probe with different content than its kafka observation #1 on orders p0@1")
                    .contains("canonical JSON").contains("13").contains("12.5");
            assertThat(t.verdict().kind()).isEqualTo(VerdictKind.CONFLICTING_DUPLICATE);
        }

        @Test
        void contentThatIsNotJsonIsComparedOnBytes() {
            Timeline same = analyze(ev(1).id("e-1").payload("plain text"), ev(2).probe("poll-1#0").at(5).id("e-1").payload("plain text"));
            assertThat(same.entries()).singleElement().satisfies(e -> assertThat(e.observations()).hasSize(2));
            Timeline different = analyze(ev(1).id("e-1").payload("plain text"), ev(2).probe("poll-1#0").at(5).id("e-1").payload("plain  text"));
            assertThat(only(different, 2, AnomalyKind.CONFLICTING_DUPLICATE).evidence()).containsEntry("comparedAs", "bytes");
        }

        @Test
        void theSameMessageReadTwiceIsOneEntryNotADuplicate() {
            Timeline t = analyze(ev(1).id("e-1").pos(0, 7).payload("{}"), ev(2).at(1).id("e-1").pos(0, 7).payload("{}"));
            assertThat(t.entries()).singleElement().satisfies(e -> assertThat(e.observations()).extracting(CapturedEvent::seq)
                    .containsExactly(1L, 2L));
            assertThat(kinds(t)).isEmpty();
        }

        @Test
        void aProbeReturningTheSameAnswerAgainIsOneMoreObservation() {
            Timeline t = analyze(ev(1).probe("poll-1#0").id("e-1"), ev(2).probe("poll-1#0").at(500).id("e-1"));
            assertThat(t.entries()).singleElement().satisfies(e -> assertThat(e.observations()).hasSize(2));
            assertThat(kinds(t)).isEmpty();
        }

        @Test
        void aRedeliveryOnTheBrokerIsStillADuplicateAfterAProbeObservation() {
            Timeline t = analyze(ev(1).id("e-1").payload(BROKER_VALUE),
                    ev(2).probe("poll-1#0").at(20).id("e-1").payload(SAME_CONTENT_OTHER_FRAMING),
                    ev(3).at(40).id("e-1").payload(BROKER_VALUE));
            assertThat(t.entries()).hasSize(2);
            assertThat(only(t, 3, AnomalyKind.DUPLICATE).relatedSeq()).isEqualTo(1);
        }

        @Test
        void lagIsMeasuredFromAnEventsFirstObservationNotFromALaterOne() {
            Timeline t = analyze(ev(1).id("e-1").payload(BROKER_VALUE),
                    ev(2).probe("poll-9#0").at(2_500).id("e-1").payload(BROKER_VALUE),
                    ev(3).on("payments").at(3_000).id("e-2"));
            Anomaly lag = only(t, 3, AnomalyKind.LAG);
            assertThat(lag.evidence()).containsEntry("fromSeq", 1L).containsEntry("gapMs", 3000L);
        }
    }

    @Nested
    class EventTimeFallback {

        @Test
        void withoutADeclaredTimeTheEventTimeIsTheBrokerTimestampAndSaysSo() {
            Timeline t = analyze(ev(1).at(120), ev(2).timestampType(TimestampType.LOG_APPEND_TIME).at(200));
            assertThat(entry(t, 1).event().derived().eventTime())
                    .isEqualTo(new Derived<>(Ev.T0.plusMillis(120), "broker timestamp (CreateTime)"));
            assertThat(entry(t, 2).event().derived().eventTime().rule()).isEqualTo("broker timestamp (LogAppendTime)");
        }

        @Test
        void aCaptureTimeIsNotABrokerTimestamp() {
            Timeline t = analyze(ev(1).timestampType(TimestampType.CAPTURE_TIME), ev(2).probe("poll-1#0").at(5));
            assertThat(t.entries()).allSatisfy(e -> assertThat(e.event().derived().eventTime()).isNull());
        }

        @Test
        void lagAndClockSkewNeverCompareAgainstTheBrokerTimestamp() {
            Timeline t = analyze(ev(1).at(10_000).eventTime(0, "broker timestamp (CreateTime)"),
                    ev(2).at(10_100).eventTime(15_000, "broker timestamp (CreateTime)"));
            assertThat(kinds(t)).isEmpty();
            Timeline declared = analyze(ev(1).at(10_000).eventTime(0), ev(2).at(10_100).eventTime(15_000));
            assertThat(kinds(declared)).as("the same times declared by the events").contains(AnomalyKind.LAG, AnomalyKind.CLOCK_SKEW);
        }
    }

    @Test
    void durationsAreFormattedForPeople() {
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(2000))).isEqualTo("2 s");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(4249))).isEqualTo("4.2 s");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(125_000))).isEqualTo("2 min 5 s");
    }

    @Test
    void secondsRoundHalfUpToOneDecimal() {
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(4250))).isEqualTo("4.3 s");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(1001))).isEqualTo("1 s");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(59_960))).isEqualTo("60 s");
        assertThat(TimelineAnalyzer.formatDuration(Duration.ofMillis(-4249))).isEqualTo("-4.2 s");
    }
}
