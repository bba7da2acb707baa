package io.eventlens.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each artifact format of the corpus, imported through the real capture pipeline into an H2 store. */
class ArtifactSourceTest {

    @TempDir
    Path dir;
    CaptureStore store;

    @BeforeEach
    void open() {
        store = CaptureStore.open(dir.resolve("run"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private ArtifactSource load(String... names) {
        Path[] paths = new Path[names.length];
        for (int i = 0; i < names.length; i++) {
            paths[i] = Corpus.file(names[i]);
        }
        return Corpus.importInto(store, ZipLimits.DEFAULTS, paths);
    }

    @Test
    void probeJsonArrayIsImportedWithItsOwnTimesAndTheMappingNamed() {
        ArtifactSource source = load("probe-array.json");
        List<CapturedEvent> events = Corpus.all(store);
        assertThat(events).extracting(e -> e.derived().eventIdValue()).containsExactly("e-1", "e-2");
        assertThat(events).extracting(e -> e.derived().correlationIdValue()).containsOnly("c-1");
        assertThat(events.get(1).observedAt()).isEqualTo(Instant.parse("2026-11-29T10:00:00.300Z"));
        assertThat(events.get(0).channel().kind()).isEqualTo(ChannelKind.PROBE);
        assertThat(events.get(0).channel().name()).isEqualTo("probe-array");
        assertThat(events.get(0).source().sourceKind()).isEqualTo("artifact");
        assertThat(events.get(0).source().attributes()).containsEntry("line", 2L).containsEntry("record", 0L);
        assertThat(events.get(0).source().observedTimeMeaning()).isEqualTo("artifact createdAt");
        assertThat(source.files()).singleElement().satisfies(f -> {
            assertThat(f.format()).isEqualTo(ArtifactFormat.JSON);
            assertThat(f.mappings()).containsExactly("probe events: id, type, correlationId, createdAt, payload");
        });
        assertThat(source.problems()).isEmpty();
        assertThat(source.bytesRead()).as("bytes read, for progress lines")
                .isEqualTo(Corpus.file("probe-array.json").toFile().length());
    }

    @Test
    void objectWithAnEventsArrayAndTheEventIdVariantNamesAreRead() {
        ArtifactSource source = load("probe-events-object.json");
        List<CapturedEvent> events = Corpus.all(store);
        assertThat(events).extracting(e -> e.derived().eventTypeValue()).containsExactly("OrderPlaced", "OrderShipped");
        assertThat(events.get(0).observedAt()).isEqualTo(Instant.ofEpochMilli(1795946400000L));
        assertThat(events.get(1).observedAt()).isEqualTo(Instant.parse("2026-11-29T10:00:01Z"));
        assertThat(source.files().get(0).mappings())
                .contains("an object with an events array", "probe events: eventId, eventType, correlationId, timestamp, payload");
    }

    @Test
    void crlfBomBlankLinesAndAMissingFinalNewlineAreNotDamage() {
        ArtifactSource source = load("probe-crlf-bom.ndjson");
        assertThat(source.problems()).as("problems").isEmpty();
        List<CapturedEvent> events = Corpus.all(store);
        assertThat(events).extracting(e -> e.derived().eventIdValue()).containsExactly("n-0", "n-1", "n-2", "n-3");
        assertThat(events).extracting(e -> e.source().attributes().get("line")).containsExactly(1L, 3L, 5L, 6L);
        assertThat(source.files().get(0).format()).isEqualTo(ArtifactFormat.NDJSON);
    }

    @Test
    void aDamagedNdjsonLineIsNamedAndTheRecordsAroundItAreKept() {
        ArtifactSource source = load("probe-damaged.ndjson");
        assertThat(Corpus.all(store)).extracting(e -> e.derived().eventIdValue()).containsExactly("n-0", "n-1", "n-2", "n-3");
        assertThat(source.problems()).extracting(ArtifactProblem::line).containsExactly(3L, 5L);
        assertThat(source.problems().get(0).file()).endsWith("probe-damaged.ndjson");
        assertThat(source.problems().get(0).toString()).contains("probe-damaged.ndjson:3: not a JSON object");
        assertThat(source.problems().get(1).message()).contains("expected a JSON object, found array");
    }

    @Test
    void aDamagedJsonArrayKeepsTheRecordsBeforeTheDamageAndNamesItsLine() {
        ArtifactSource source = load("probe-damaged-array.json");
        assertThat(Corpus.all(store)).extracting(e -> e.derived().eventIdValue()).containsExactly("n-0", "n-1");
        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(4);
            assertThat(p.message()).contains("not valid JSON");
        });
    }

    @Test
    void cloudEventsSingleAndBatchGiveCorrelationIdSequenceAndTime() {
        ArtifactSource source = load("cloudevent.json", "cloudevents-batch.json");
        List<CapturedEvent> events = Corpus.all(store);
        assertThat(events).hasSize(3);
        assertThat(events).extracting(e -> e.derived().correlationIdValue()).containsOnly("c-ce");
        assertThat(events).extracting(e -> e.derived().sequenceValue()).containsExactly(1L, 1L, 2L);
        assertThat(events).extracting(e -> e.derived().eventIdValue()).containsExactly("ce-1", "ce-1", "ce-2");
        assertThat(events.get(2).observedAt()).isEqualTo(Instant.parse("2026-11-29T10:00:00.500Z"));
        assertThat(source.files()).extracting(f -> f.mappings().get(0))
                .containsExactly("CloudEvents structured mode", "CloudEvents batch (structured mode)");
    }

    @Test
    void kcatRecordsKeepTheirKafkaCoordinatesHeadersAndTimestamp() {
        load("kcat.ndjson");
        List<CapturedEvent> events = Corpus.all(store);
        assertThat(events).hasSize(2);
        CapturedEvent first = events.get(0);
        assertThat(first.channel().kind()).isEqualTo(ChannelKind.KAFKA_TOPIC);
        assertThat(first.channel().name()).isEqualTo("orders");
        assertThat(first.source().sourceKind()).isEqualTo("kafka");
        assertThat(first.source().messageCoordinates()).isEqualTo("0@41");
        assertThat(first.source().observedTimeMeaning()).isEqualTo("Kafka CreateTime");
        assertThat(first.observedAt()).isEqualTo(Instant.ofEpochMilli(1795946400000L));
        assertThat(new String(first.key())).isEqualTo("o-1");
        assertThat(first.header("eventType").valueAsString()).isEqualTo("OrderPlaced");
        assertThat(first.derived().correlationIdValue()).isEqualTo("c-k");
        assertThat(events.get(1).key()).isNull();
        assertThat(events.get(1).source().observedTimeMeaning()).isEqualTo("Kafka LogAppendTime");
    }

    @Test
    void filesThatAreNoArtifactsAreSkippedWithoutDamage() {
        ArtifactSource source = load("not-an-artifact.log", "other.xml");
        assertThat(store.eventCount()).isZero();
        assertThat(source.problems()).isEmpty();
        assertThat(source.files()).extracting(ArtifactFileSummary::format)
                .containsExactly(ArtifactFormat.UNKNOWN, ArtifactFormat.UNKNOWN);
    }

    @Test
    void aCiRunFolderIsImportedWhole_junitReportsGiveFailedTests() {
        ArtifactSource source = load("ci-run");
        assertThat(store.eventCount()).isEqualTo(3 + 2 + 4);
        assertThat(source.failedTests()).extracting(FailedTest::displayName).containsExactlyInAnyOrder(
                "com.acme.InventoryTest.reservesStock",
                "com.acme.OrderSagaIT.placesOrder", "com.acme.OrderSagaIT.refundsOrder",
                "cart adds item.cart adds item",
                "checkout.spec.ts.checkout › shows confirmation", "checkout.spec.ts.checkout › shows receipt");
        assertThat(source.testCount()).as("tests; problems %s", source.problems()).isEqualTo(9);
        assertThat(source.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("dumps/probe/cart-probe.ndjson");
            assertThat(p.line()).isEqualTo(3);
        });
    }
}
