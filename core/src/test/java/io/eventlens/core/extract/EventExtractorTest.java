package io.eventlens.core.extract;

import static io.eventlens.core.extract.ExtractionRules.header;
import static io.eventlens.core.extract.ExtractionRules.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventExtractorTest {

    private static final Channel ORDERS = Channel.kafkaTopic("orders");
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private final EventExtractor extractor = EventExtractor.withDefaults();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Header> headers(String... nameValues) {
        List<Header> list = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            list.add(Header.ofString(nameValues[i], nameValues[i + 1]));
        }
        return list;
    }

    private DerivedFields extract(List<Header> headers, String payload) {
        return extractor.extract(ORDERS, null, headers, payload == null ? null : utf8(payload));
    }

    private static <T> void assertDerived(Derived<T> d, T value, String rule) {
        assertThat(d).as("derived field").isNotNull();
        assertThat(d.value()).as("value").isEqualTo(value);
        assertThat(d.rule()).as("rule").isEqualTo(rule);
    }

    @Nested
    class CorrelationId {

        @ParameterizedTest
        @ValueSource(strings = {"correlationId", "correlation-id", "x-correlation-id", "kafka_correlationId"})
        void eachDefaultHeaderGivesTheCorrelationId(String name) {
            assertDerived(extract(headers(name, "c-1"), null).correlationId(), "c-1", "header " + name);
        }

        @Test
        void cloudEventsCorrelationIdExtensionWinsInBinaryMode() {
            DerivedFields d = extract(headers("correlationId", "from-header", "ce_correlationid", "from-ce"), null);
            assertDerived(d.correlationId(), "from-ce", "CloudEvents ce_correlationid");
        }

        @Test
        void cloudEventsCorrelationIdExtensionWinsInStructuredMode() {
            DerivedFields d = extract(headers("correlationId", "from-header"),
                    "{\"specversion\":\"1.0\",\"id\":\"e\",\"correlationid\":\"from-envelope\"}");
            assertDerived(d.correlationId(), "from-envelope", "CloudEvents json /correlationid");
        }

        @Test
        void lowerCaseCorrelationidOutsideACloudEventsEnvelopeIsNotTheExtension() {
            DerivedFields d = extract(headers("correlationId", "from-header"), "{\"correlationid\":\"not-ce\"}");
            assertDerived(d.correlationId(), "from-header", "header correlationId");
        }

        @Test
        void cloudEventsSequenceExtensionIsAStringHoldingAnInteger() {
            assertDerived(extract(headers("sequence", "7", "ce_sequence", "42"), null).sequence(), 42L,
                    "CloudEvents ce_sequence");
            assertDerived(extract(List.of(), "{\"specversion\":\"1.0\",\"id\":\"e\",\"sequence\":\"43\"}").sequence(),
                    43L, "CloudEvents json /sequence");
        }

        @Test
        void headerNamesAreComparedCaseInsensitively() {
            assertDerived(extract(headers("X-CORRELATION-ID", "c-1"), null).correlationId(), "c-1", "header x-correlation-id");
        }

        @Test
        void firstRuleWinsOverHeaderOrder() {
            DerivedFields d = extract(headers("x-correlation-id", "from-x", "correlationId", "from-plain"), null);
            assertDerived(d.correlationId(), "from-plain", "header correlationId");
        }

        @Test
        void firstHeaderOfARepeatedNameCounts() {
            assertDerived(extract(headers("correlationId", "a", "correlationId", "b"), null).correlationId(), "a", "header correlationId");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/correlationId", "/correlation_id", "/metadata/correlationId", "/data/correlationId"})
        void eachDefaultJsonPointerGivesTheCorrelationId(String pointer) {
            String[] parts = pointer.substring(1).split("/");
            String json = "\"c-9\"";
            for (int i = parts.length - 1; i >= 0; i--) {
                json = "{\"" + parts[i] + "\":" + json + "}";
            }
            assertDerived(extract(List.of(), json).correlationId(), "c-9", "json " + pointer);
        }

        @Test
        void headerBeatsJson() {
            DerivedFields d = extract(headers("correlationId", "from-header"), "{\"correlationId\":\"from-json\"}");
            assertDerived(d.correlationId(), "from-header", "header correlationId");
        }

        @Test
        void jsonPointersAreTriedInRuleOrderNotDocumentOrder() {
            DerivedFields d = extract(List.of(), "{\"data\":{\"correlationId\":\"deep\"},\"correlation_id\":\"snake\"}");
            assertDerived(d.correlationId(), "snake", "json /correlation_id");
        }

        @Test
        void traceparentTraceIdIsTheLastResort() {
            assertDerived(extract(headers("traceparent", TRACEPARENT), "{\"x\":1}").correlationId(),
                    "4bf92f3577b34da6a3ce929d0e0e4736", "traceparent trace-id");
        }

        @Test
        void jsonBeatsTraceparent() {
            DerivedFields d = extract(headers("traceparent", TRACEPARENT), "{\"data\":{\"correlationId\":\"c-2\"}}");
            assertDerived(d.correlationId(), "c-2", "json /data/correlationId");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // uppercase
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // zero trace-id
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // zero parent-id
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // forbidden version
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", // v00 with extra part
                "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", // 31-char trace-id
                "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
                "garbage"})
        void invalidTraceparentIsIgnored(String value) {
            assertThat(extract(headers("traceparent", value), null).correlationId()).isNull();
        }

        @Test
        void laterTraceparentVersionMayCarryMoreParts() {
            String v01 = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-whatever";
            assertThat(extract(headers("traceparent", v01), null).correlationIdValue())
                    .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        }

        @Test
        void blankHeaderValueFallsThroughToTheNextRule() {
            DerivedFields d = extract(headers("correlationId", "  ", "correlation-id", "c-3"), null);
            assertDerived(d.correlationId(), "c-3", "header correlation-id");
        }

        @Test
        void binaryHeaderValueIsShownAsHex() {
            List<Header> h = List.of(new Header("kafka_correlationId", new byte[] {(byte) 0xca, (byte) 0xfe, 0x00, 0x01}));
            assertDerived(extractor.extract(ORDERS, null, h, null).correlationId(), "0xcafe0001", "header kafka_correlationId");
        }

        @Test
        void nonAsciiUtf8HeaderValueIsKeptAsText() {
            assertThat(extract(headers("correlationId", "commande-é-42"), null).correlationIdValue()).isEqualTo("commande-é-42");
        }

        @Test
        void integralJsonNumberIsTakenAsText() {
            assertDerived(extract(List.of(), "{\"correlationId\":12345678901}").correlationId(), "12345678901", "json /correlationId");
        }

        @Test
        void nonScalarOrNullJsonValueDoesNotMatch() {
            assertThat(extract(List.of(), "{\"correlationId\":{\"a\":1},\"correlation_id\":null,"
                    + "\"metadata\":{\"correlationId\":true},\"data\":{\"correlationId\":[\"x\"]}}").correlationId()).isNull();
        }

        @Test
        void firstOfDuplicateJsonMembersCounts() {
            assertThat(extract(List.of(), "{\"correlationId\":\"first\",\"correlationId\":\"second\"}").correlationIdValue())
                    .isEqualTo("first");
        }

        @Test
        void noRuleMatchingGivesNull() {
            assertThat(extract(headers("other", "x"), "{\"x\":1}").correlationId()).isNull();
        }
    }

    @Nested
    class EventId {

        @Test
        void cloudEventsBinaryModeHeaderWins() {
            DerivedFields d = extract(headers("eventId", "e-header", "ce_id", "e-ce"), "{\"id\":\"e-json\",\"specversion\":\"1.0\"}");
            assertDerived(d.eventId(), "e-ce", "CloudEvents ce_id");
            assertThat(d.eventIdSynthetic()).isFalse();
        }

        @Test
        void amqpCloudEventsHeaderPrefixesAreAccepted() {
            assertDerived(extract(headers("cloudEvents_id", "e-1"), null).eventId(), "e-1", "CloudEvents cloudEvents_id");
            assertDerived(extract(headers("cloudEvents:id", "e-2"), null).eventId(), "e-2", "CloudEvents cloudEvents:id");
            assertDerived(extract(headers("cloudEvents:type", "t"), null).eventType(), "t", "CloudEvents cloudEvents:type");
        }

        @Test
        void httpCloudEventsHeaderPrefixIsAccepted() {
            assertDerived(extract(headers("ce-id", "e-3"), null).eventId(), "e-3", "CloudEvents ce-id");
        }

        @Test
        void jsonIdCountsAsCloudEventsOnlyWithSpecversion() {
            DerivedFields ce = extract(headers("eventId", "e-header"), "{\"specversion\":\"1.0\",\"id\":\"e-ce\"}");
            assertDerived(ce.eventId(), "e-ce", "CloudEvents json /id");

            DerivedFields plain = extract(headers("eventId", "e-header"), "{\"id\":\"e-plain\"}");
            assertDerived(plain.eventId(), "e-header", "header eventId");
        }

        @Test
        void specversionAfterIdInTheDocumentStillCounts() {
            DerivedFields d = extract(headers("message-id", "m"), "{\"id\":\"e-ce\",\"data\":{},\"specversion\":\"1.0\"}");
            assertDerived(d.eventId(), "e-ce", "CloudEvents json /id");
        }

        @ParameterizedTest
        @ValueSource(strings = {"eventId", "event-id", "message-id"})
        void eachDefaultHeaderGivesTheEventId(String name) {
            assertDerived(extract(headers(name, "e-7"), null).eventId(), "e-7", "header " + name);
        }

        @Test
        void jsonEventIdBeatsJsonId() {
            assertDerived(extract(List.of(), "{\"id\":\"plain\",\"eventId\":\"e-8\"}").eventId(), "e-8", "json /eventId");
            assertDerived(extract(List.of(), "{\"id\":\"plain\"}").eventId(), "plain", "json /id");
        }

        @Test
        void headerBeatsPlainJsonId() {
            assertDerived(extract(headers("event-id", "h"), "{\"eventId\":\"j\"}").eventId(), "h", "header event-id");
        }

        @Test
        void withoutAnyIdTheIdIsASyntheticHashOfChannelKeyAndPayload() {
            DerivedFields d = extractor.extract(ORDERS, utf8("k"), List.of(), utf8("{\"x\":1}"));
            assertThat(d.eventId().rule()).isEqualTo(DerivedFields.SYNTHETIC_EVENT_ID_RULE);
            assertThat(d.eventIdSynthetic()).isTrue();
            assertThat(d.eventIdValue()).matches("[0-9a-f]{64}");
        }

        @Test
        void syntheticIdIsStableForTheSameMessage() {
            String a = extractor.extract(ORDERS, utf8("k"), List.of(), utf8("p")).eventIdValue();
            String b = extractor.extract(Channel.kafkaTopic("orders"), utf8("k"), headers("unrelated", "h"), utf8("p")).eventIdValue();
            assertThat(a).isEqualTo(b);
        }

        @Test
        void syntheticIdDiffersByChannelKeyAndPayload() {
            String base = EventExtractor.syntheticEventId(ORDERS, utf8("k"), utf8("p"));
            assertThat(EventExtractor.syntheticEventId(Channel.kafkaTopic("payments"), utf8("k"), utf8("p"))).isNotEqualTo(base);
            assertThat(EventExtractor.syntheticEventId(ORDERS, utf8("k2"), utf8("p"))).isNotEqualTo(base);
            assertThat(EventExtractor.syntheticEventId(ORDERS, utf8("k"), utf8("p2"))).isNotEqualTo(base);
        }

        @Test
        void syntheticIdKeepsKeyAndPayloadBoundariesApart() {
            assertThat(EventExtractor.syntheticEventId(ORDERS, utf8("ab"), utf8("c")))
                    .isNotEqualTo(EventExtractor.syntheticEventId(ORDERS, utf8("a"), utf8("bc")));
            assertThat(EventExtractor.syntheticEventId(ORDERS, null, utf8("x")))
                    .isNotEqualTo(EventExtractor.syntheticEventId(ORDERS, new byte[0], utf8("x")));
        }

        @Test
        void syntheticIdHandlesNullKeyAndTombstone() {
            assertThat(extractor.extract(ORDERS, null, null, null).eventIdSynthetic()).isTrue();
        }
    }

    @Nested
    class EventType {

        @Test
        void cloudEventsTypeHeaderWins() {
            assertDerived(extract(headers("eventType", "h", "ce_type", "OrderPlaced"), null).eventType(), "OrderPlaced", "CloudEvents ce_type");
        }

        @Test
        void headersThenJson() {
            assertDerived(extract(headers("type", "T1"), "{\"eventType\":\"T2\"}").eventType(), "T1", "header type");
            assertDerived(extract(headers("eventType", "T0", "type", "T1"), null).eventType(), "T0", "header eventType");
            assertDerived(extract(List.of(), "{\"type\":\"T3\",\"eventType\":\"T2\"}").eventType(), "T2", "json /eventType");
            assertDerived(extract(List.of(), "{\"type\":\"T3\"}").eventType(), "T3", "json /type");
        }
    }

    @Nested
    class EventTime {

        @Test
        void withoutADeclaredTimeAKafkaRecordsTimestampIsTheEventTime() {
            Instant broker = Instant.parse("2026-11-22T04:00:01.500Z");
            DerivedFields create = extractor.extract(ORDERS, null, List.of(), utf8("{\"a\":1}"),
                    new SourcePosition.Kafka(0, 3, TimestampType.CREATE_TIME), broker);
            assertDerived(create.eventTime(), broker, "broker timestamp (CreateTime)");
            assertThat(create.eventTimeFromBroker()).isTrue();
            assertThat(create.declaredEventTimeValue()).isNull();
            DerivedFields append = extractor.extract(ORDERS, null, List.of(), null,
                    new SourcePosition.Kafka(0, 4, TimestampType.LOG_APPEND_TIME), broker);
            assertDerived(append.eventTime(), broker, "broker timestamp (LogAppendTime)");
        }

        @Test
        void aDeclaredTimeWinsOverTheBrokerTimestamp() {
            DerivedFields d = extractor.extract(ORDERS, null, List.of(), utf8("{\"timestamp\":\"2026-01-01T00:00:00Z\"}"),
                    new SourcePosition.Kafka(0, 3, TimestampType.CREATE_TIME), Instant.parse("2026-11-22T04:00:00Z"));
            assertDerived(d.eventTime(), Instant.parse("2026-01-01T00:00:00Z"), "json /timestamp");
            assertThat(d.eventTimeFromBroker()).isFalse();
            assertThat(d.declaredEventTimeValue()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        }

        @Test
        void aCaptureTimeOrNoTimestampIsNoBrokerTimestamp() {
            for (TimestampType type : List.of(TimestampType.CAPTURE_TIME, TimestampType.NONE)) {
                DerivedFields d = extractor.extract(ORDERS, null, List.of(), null, new SourcePosition.Kafka(0, 3, type),
                        Instant.parse("2026-11-22T04:00:00Z"));
                assertThat(d.eventTime()).as("event time with a %s position", type).isNull();
            }
        }

        @Test
        void theFallbackIsAppliedOnceAndKeepsOtherFields() {
            DerivedFields plain = extract(headers("eventId", "e-9"), null);
            SourcePosition pos = new SourcePosition.Kafka(1, 2, TimestampType.CREATE_TIME);
            DerivedFields once = EventExtractor.withBrokerTimestampFallback(plain, pos, Instant.EPOCH);
            DerivedFields twice = EventExtractor.withBrokerTimestampFallback(once, pos, Instant.EPOCH.plusSeconds(5));
            assertThat(twice).isSameAs(once);
            assertThat(once.eventIdValue()).isEqualTo("e-9");
            assertThat(once.eventTimeValue()).isEqualTo(Instant.EPOCH);
        }

        @Test
        void cloudEventsTimeHeaderIsIso8601() {
            assertDerived(extract(headers("ce_time", "2026-11-22T04:00:00.250Z"), "{\"timestamp\":\"2020-01-01T00:00:00Z\"}").eventTime(),
                    Instant.parse("2026-11-22T04:00:00.250Z"), "CloudEvents ce_time");
        }

        @Test
        void isoTextWithOffsetIsConvertedToUtc() {
            assertThat(extract(List.of(), "{\"timestamp\":\"2026-11-22T06:00:00+02:00\"}").eventTimeValue())
                    .isEqualTo(Instant.parse("2026-11-22T04:00:00Z"));
        }

        @Test
        void epochMillisNumberIsAccepted() {
            assertDerived(extract(List.of(), "{\"createdAt\":1763784000123}").eventTime(),
                    Instant.ofEpochMilli(1763784000123L), "json /createdAt");
        }

        @Test
        void epochMillisAsDecimalTextIsAccepted() {
            assertThat(extract(List.of(), "{\"time\":\"1763784000123\"}").eventTimeValue()).isEqualTo(Instant.ofEpochMilli(1763784000123L));
        }

        @Test
        void jsonPointersInRuleOrder() {
            DerivedFields d = extract(List.of(), "{\"time\":\"2026-01-01T00:00:03Z\",\"createdAt\":\"2026-01-01T00:00:02Z\"}");
            assertDerived(d.eventTime(), Instant.parse("2026-01-01T00:00:02Z"), "json /createdAt");
        }

        @Test
        void unparseableTimeFallsThroughToTheNextRule() {
            DerivedFields d = extract(List.of(), "{\"timestamp\":\"yesterday\",\"time\":\"2026-01-01T00:00:03Z\"}");
            assertDerived(d.eventTime(), Instant.parse("2026-01-01T00:00:03Z"), "json /time");
        }

        @Test
        void timeWithoutZoneIsNotGuessed() {
            assertThat(extract(List.of(), "{\"timestamp\":\"2026-01-01T00:00:03\"}").eventTime()).isNull();
        }

        @Test
        void fractionalNumberIsNotATime() {
            assertThat(extract(List.of(), "{\"timestamp\":1763784000.5}").eventTime()).isNull();
        }

        @Test
        void noEventTimeGivesNullNotTheBrokerTimestamp() {
            assertThat(extract(headers("correlationId", "c"), "{\"x\":1}").eventTime()).isNull();
        }

        @Test
        void plainJsonTimeIsNotReadAsCloudEventsTime() {
            // "/time" is a plain rule too, so it matches, but under its own rule text.
            assertThat(extract(List.of(), "{\"time\":\"2026-01-01T00:00:03Z\"}").eventTime().rule()).isEqualTo("json /time");
        }
    }

    @Nested
    class Sequence {

        @Test
        void headerDecimalText() {
            assertDerived(extract(headers("sequence", "42"), null).sequence(), 42L, "header sequence");
        }

        @Test
        void headerFourAndEightByteBigEndian() {
            List<Header> four = List.of(new Header("seq", ByteBuffer.allocate(4).putInt(258).array()));
            assertDerived(extractor.extract(ORDERS, null, four, null).sequence(), 258L, "header seq");
            List<Header> eight = List.of(new Header("version", ByteBuffer.allocate(8).putLong(1L << 40).array()));
            assertDerived(extractor.extract(ORDERS, null, eight, null).sequence(), 1L << 40, "header version");
        }

        @Test
        void headerOfOtherLengthThatIsNotDecimalDoesNotMatch() {
            List<Header> three = List.of(new Header("sequence", new byte[] {1, 2, 3}));
            assertThat(extractor.extract(ORDERS, null, three, null).sequence()).isNull();
        }

        @Test
        void headerBeatsJsonAndRuleOrderHolds() {
            assertDerived(extract(headers("version", "3"), "{\"sequence\":1}").sequence(), 3L, "header version");
            assertDerived(extract(headers("seq", "2", "sequence", "1"), null).sequence(), 1L, "header sequence");
        }

        @Test
        void jsonIntegerOrDecimalString() {
            assertDerived(extract(List.of(), "{\"seq\":7}").sequence(), 7L, "json /seq");
            assertDerived(extract(List.of(), "{\"version\":\"8\"}").sequence(), 8L, "json /version");
        }

        @Test
        void nonIntegerSequenceDoesNotMatch() {
            assertThat(extract(List.of(), "{\"sequence\":1.5,\"seq\":\"x\",\"version\":99999999999999999999999}").sequence()).isNull();
        }
    }

    @Nested
    class CausationId {

        @Test
        void headersThenJson() {
            assertDerived(extract(headers("causation-id", "c2", "causationId", "c1"), null).causationId(), "c1", "header causationId");
            assertDerived(extract(headers("causation-id", "c2"), null).causationId(), "c2", "header causation-id");
            assertDerived(extract(List.of(), "{\"causationId\":\"c3\"}").causationId(), "c3", "json /causationId");
        }
    }

    @Nested
    class StructuredCloudEvents {

        private static final String ENVELOPE = """
                {"specversion":"1.0","id":"ce-1","type":"com.shop.OrderPlaced","source":"/orders",
                 "time":"2026-11-22T04:00:00Z","datacontenttype":"application/json",
                 "data":{"correlationId":"c-42","total":12.5}}""";

        @Test
        void fieldsComeFromTheEnvelope() {
            DerivedFields d = extract(headers("content-type", "application/cloudevents+json; charset=UTF-8"), ENVELOPE);
            assertDerived(d.eventId(), "ce-1", "CloudEvents json /id");
            assertDerived(d.eventType(), "com.shop.OrderPlaced", "CloudEvents json /type");
            assertDerived(d.eventTime(), Instant.parse("2026-11-22T04:00:00Z"), "CloudEvents json /time");
            assertDerived(d.correlationId(), "c-42", "json /data/correlationId");
        }

        @Test
        void structuredContentTypeMarksTheEnvelopeEvenWithoutSpecversion() {
            DerivedFields d = extract(headers("Content-Type", "application/cloudevents+json", "eventId", "h"), "{\"id\":\"ce-2\"}");
            assertDerived(d.eventId(), "ce-2", "CloudEvents json /id");
        }

        @Test
        void otherContentTypeDoesNotMarkTheEnvelope() {
            DerivedFields d = extract(headers("content-type", "application/json", "eventId", "h"), "{\"id\":\"x\"}");
            assertDerived(d.eventId(), "h", "header eventId");
        }
    }

    @Nested
    class BadInput {

        @Test
        void binaryPayloadMatchesNoJsonRule() {
            byte[] binary = new byte[4096];
            new Random(7).nextBytes(binary);
            binary[0] = '{';
            DerivedFields d = extractor.extract(ORDERS, null, headers("correlationId", "c"), binary);
            assertThat(d.correlationIdValue()).isEqualTo("c");
            assertThat(d.eventIdSynthetic()).isTrue();
            assertThat(d.eventType()).isNull();
        }

        @Test
        void truncatedJsonMatchesNoJsonRule() {
            DerivedFields d = extract(List.of(), "{\"correlationId\":\"c-1\",\"eventId\":\"e-1\",\"data\":{\"x\":[1,2");
            assertThat(d.correlationId()).isNull();
            assertThat(d.eventIdSynthetic()).isTrue();
        }

        @Test
        void jsonThatIsNotAnObjectIsNotParsed() {
            assertThat(extract(List.of(), "[{\"correlationId\":\"c\"}]").correlationId()).isNull();
            assertThat(extract(List.of(), "\"correlationId\"").correlationId()).isNull();
        }

        @Test
        void leadingWhitespaceAndByteOrderMarkAreSkipped() {
            assertThat(extract(List.of(), " \r\n\t{\"correlationId\":\"c\"}").correlationIdValue()).isEqualTo("c");
            byte[] bom = utf8("\uFEFF{\"correlationId\":\"c\"}");
            assertThat(extractor.extract(ORDERS, null, List.of(), bom).correlationIdValue()).isEqualTo("c");
        }

        @Test
        void deeplyNestedJsonDoesNotThrow() {
            String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
            assertThat(extract(List.of(), deep).correlationId()).isNull();
            String deepData = "{\"data\":".repeat(5000) + "1" + "}".repeat(5000);
            assertThat(extract(List.of(), deepData).correlationId()).isNull();
        }

        @Test
        void tenMegabytePayloadIsHandled() {
            StringBuilder sb = new StringBuilder(10_500_000).append("{\"items\":[");
            while (sb.length() < 10_000_000) {
                sb.append("{\"sku\":\"abcdefghij\",\"qty\":12345,\"nested\":{\"k\":[1,2,3]}},");
            }
            sb.append("{}],\"data\":{\"correlationId\":\"big-1\"},\"blob\":\"").append("x".repeat(200_000)).append("\"}");
            DerivedFields d = extract(List.of(), sb.toString());
            assertThat(d.correlationIdValue()).isEqualTo("big-1");

            byte[] garbage = new byte[10 * 1024 * 1024];
            new Random(1).nextBytes(garbage);
            garbage[0] = '{';
            assertThat(extractor.extract(ORDERS, null, List.of(), garbage).eventIdSynthetic()).isTrue();
        }

        @Test
        void tombstoneAndEmptyPayloads() {
            assertThat(extractor.extract(ORDERS, null, List.of(), null).correlationId()).isNull();
            assertThat(extractor.extract(ORDERS, null, List.of(), new byte[0]).correlationId()).isNull();
            assertThat(extractor.extract(ORDERS, null, List.of(), utf8("   ")).correlationId()).isNull();
        }

        @Test
        void headerWithoutValueIsSkipped() {
            List<Header> h = List.of(new Header("correlationId", null), Header.ofString("correlation-id", "c"));
            assertDerived(extractor.extract(ORDERS, null, h, null).correlationId(), "c", "header correlation-id");
        }

        @Test
        void plainTextPayloadIsFine() {
            DerivedFields d = extract(headers("correlationId", "c"), "hello, world");
            assertThat(d.correlationIdValue()).isEqualTo("c");
            assertThat(d.eventIdSynthetic()).isTrue();
        }
    }

    @Nested
    class CustomRules {

        @Test
        void customRulesReplaceTheDefaultsOfAField() {
            ExtractionRules rules = ExtractionRules.defaults().toBuilder()
                    .correlationId(header("x-request-id"), json("/meta/requestId"))
                    .build();
            EventExtractor custom = new EventExtractor(rules);
            assertDerived(custom.extract(ORDERS, null, headers("correlationId", "ignored"), utf8("{\"meta\":{\"requestId\":\"r-1\"}}"))
                    .correlationId(), "r-1", "json /meta/requestId");
            assertThat(custom.extract(ORDERS, null, headers("X-Request-ID", "r-2"), null).correlationIdValue()).isEqualTo("r-2");
            // Other fields keep their defaults.
            assertThat(custom.extract(ORDERS, null, headers("eventId", "e"), null).eventIdValue()).isEqualTo("e");
        }

        @Test
        void arrayIndexAndEscapedPointersWork() {
            ExtractionRules rules = ExtractionRules.builder()
                    .correlationId(json("/items/1/corr"), json("/a~1b"))
                    .build();
            EventExtractor custom = new EventExtractor(rules);
            assertThat(custom.extract(ORDERS, null, List.of(), utf8("{\"items\":[{\"corr\":\"no\"},{\"corr\":\"yes\"}]}"))
                    .correlationIdValue()).isEqualTo("yes");
            assertThat(custom.extract(ORDERS, null, List.of(), utf8("{\"a/b\":\"slash\"}")).correlationIdValue()).isEqualTo("slash");
        }

        @Test
        void fieldWithNoRulesIsNeverFound() {
            EventExtractor none = new EventExtractor(ExtractionRules.builder().build());
            DerivedFields d = none.extract(ORDERS, null, headers("correlationId", "c"), utf8("{\"correlationId\":\"c\"}"));
            assertThat(Arrays.asList(d.correlationId(), d.eventType(), d.eventTime(), d.sequence(), d.causationId())).containsOnlyNulls();
            assertThat(d.eventIdSynthetic()).isTrue();
        }
    }
}
