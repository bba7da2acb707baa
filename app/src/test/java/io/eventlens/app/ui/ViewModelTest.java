package io.eventlens.app.ui;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.events.EventRow;
import io.eventlens.app.ui.events.PagedEventList;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.analysis.AnomalyKind;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaConnectException;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.ChannelKind;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.HostileStores;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The view models without a window: a direct executor, a real capture store and the core analysis. */
class ViewModelTest {

    @TempDir
    Path dir;

    /** The settings file's folder, apart from {@link #dir} (whose files some tests list). */
    @TempDir
    Path configDir;

    private AppSettings settings;
    private final List<CaptureStore> opened = new ArrayList<>();
    private AppServices services;
    private MainViewModel vm;

    @BeforeEach
    void setUp() {
        settings = new AppSettings(configDir.resolve("settings.json"));
        services = DesktopServices.real()
                .withStoreOpener(tracked(CaptureStore::openReadOnly))
                .withStoreCreator(tracked(CaptureStore::open));
        vm = new MainViewModel(services, new DirectTaskExecutor(), settings, dir.resolve("captures"));
    }

    /** An opener whose stores the test closes at the end. */
    private AppServices.StoreOpener tracked(AppServices.StoreOpener opener) {
        return file -> {
            CaptureStore s = opener.open(file);
            opened.add(s);
            return s;
        };
    }

    /** For tests that append to the shown store as a live capture would: files open writable. */
    private void openFilesWritable() {
        services = services.withStoreOpener(tracked(CaptureStore::open));
        vm = new MainViewModel(services, new DirectTaskExecutor(), settings, dir.resolve("captures"));
    }

    @AfterEach
    void tearDown() throws Exception {
        opened.forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // already closed by the view model
            }
        });
    }

    private Path storeWith(List<CapturedEvent> events) {
        Path file = dir.resolve("run-" + UUID.randomUUID() + ".mv.db");
        try (CaptureStore s = CaptureStore.open(file)) {
            s.append(events, List.of());
        }
        return file;
    }

    @Test
    void openingACaptureShowsItsEventCountAndRemembersTheFile() {
        Path file = storeWith(UiTestData.captureWithTroubledFlow());

        vm.openCapture(file);

        assertThat(vm.storeProperty().get()).isNotNull();
        assertThat(vm.table().rows()).hasSize(45);
        assertThat(vm.table().rows().get(0).channel()).isEqualTo("orders");
        assertThat(vm.statusProperty().get()).contains("45 events");
        assertThat(vm.titleProperty().get()).contains(file.getFileName().toString());
        assertThat(settings.recentFiles()).contains(file.toAbsolutePath());
    }

    @Test
    void theFlowsOfTheRowsATablePageShowsAreAnalyzedInTheBackgroundToMarkThem() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        long dltSeq = vm.storeProperty().get().findByCorrelationId(UiTestData.TROUBLED).stream()
                .filter(e -> e.channel().name().equals("orders.DLT")).findFirst().orElseThrow().seq();
        assertThat(vm.table().anomalyOf(dltSeq)).as("before the table showed a row").isNull();

        vm.table().rows().get(0);   // the table shows its first rows: their page is read

        assertThat(vm.table().anomalyOf(dltSeq)).isEqualTo(AnomalyKind.DEAD_LETTERED);
        assertThat(vm.table().anomalyOf(1)).as("a healthy flow's event").isNull();
    }

    @Test
    void theFlowsPanelListsEveryFlowThatWentWrongOnOpenAndOpensItsTimeline() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));

        assertThat(vm.flows().rows()).extracting(r -> r.correlationId()).containsExactly(UiTestData.TROUBLED);
        var row = vm.flows().rows().get(0);
        assertThat(row.verdict()).isEqualTo(VerdictKind.DEAD_LETTERED);
        assertThat(row.eventCount()).isEqualTo(5);
        assertThat(row.message()).startsWith("dead-lettered on orders.DLT");
        assertThat(vm.flows().countsProperty().get())
                .containsEntry(io.eventlens.core.flows.FlowCategory.DEAD_LETTERED, 1L)
                .containsEntry(io.eventlens.core.flows.FlowCategory.HEALTHY, 20L);

        vm.flows().open(row);

        assertThat(vm.timeline().verdictKindProperty().get()).isEqualTo(VerdictKind.DEAD_LETTERED);
        assertThat(vm.table().searchTextProperty().get()).isEqualTo(UiTestData.TROUBLED);
    }

    @Test
    void openingAnotherCaptureClearsTheFlowsPanel() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        assertThat(vm.flows().rows()).hasSize(1);

        vm.openCapture(storeWith(List.of(UiTestData.event("orders", 0, 0, 0, "c-x", "e-x", "OrderPlaced", ""))));

        assertThat(vm.flows().rows()).isEmpty();
        assertThat(vm.flows().countsProperty().get()).containsEntry(io.eventlens.core.flows.FlowCategory.HEALTHY, 1L);
    }

    @Test
    void openingTheFileThatIsAlreadyOpenKeepsItOpen() {
        Path file = storeWith(UiTestData.captureWithTroubledFlow());
        vm.openCapture(file);
        CaptureStore first = vm.storeProperty().get();
        String withoutSuffix = file.toString().substring(0, file.toString().length() - ".mv.db".length());

        vm.openCapture(Path.of(withoutSuffix));

        assertThat(vm.storeProperty().get()).isSameAs(first);
        assertThat(vm.lastErrorProperty().get()).isNull();
        assertThat(vm.statusProperty().get()).endsWith("is already open.");
        assertThat(first.eventCount()).isEqualTo(45);
    }

    @Test
    void openingAndClosingACaptureLeavesItsFileAndFolderUnchanged() {
        Path file = storeWith(UiTestData.captureWithTroubledFlow());
        String before = HostileStores.sha256(file);
        java.util.Set<String> folder = HostileStores.listing(dir);

        vm.openCapture(file);
        vm.openTimeline(UiTestData.TROUBLED);
        assertThat(vm.storeProperty().get().isReadOnly()).as("a file the user opens is opened read-only").isTrue();
        assertThat(vm.titleProperty().get()).endsWith(file.getFileName() + " (read-only)");
        assertThat(vm.timeline().timelineProperty().get()).isNotNull();
        vm.dispose();

        assertThat(HostileStores.sha256(file)).as("SHA-256 of the opened file").isEqualTo(before);
        assertThat(HostileStores.listing(dir)).as("files beside it").isEqualTo(folder);
    }

    @Test
    void openingACaptureWithATriggerReportsWhatWasFoundAndRunsNothing() {
        HostileStores.Hostile trigger = HostileStores.corpus(dir.resolve("corpus")).stream()
                .filter(h -> h.name().equals("trigger-source-EVENT_BLOCK")).findFirst().orElseThrow();

        vm.openCapture(trigger.file());

        assertThat(vm.lastErrorProperty().get().title()).isEqualTo("Capture file error");
        assertThat(vm.lastErrorProperty().get().message()).contains(trigger.file().toString())
                .contains("holds a TRIGGER \"PUBLIC\".\"T_EVENT_BLOCK\"");
        assertThat(trigger.marker()).as("the trigger's payload ran").doesNotExist();
        assertThat(vm.storeProperty().get()).isNull();
    }

    @Test
    void startingACaptureWhileAFileOpenedForReadingIsShownCapturesIntoANewFile() {
        Path file = storeWith(UiTestData.captureWithTroubledFlow());
        String before = HostileStores.sha256(file);
        List<CaptureStore> capturedInto = new ArrayList<>();
        services = services.withCaptureFactory((config, store) -> {
            capturedInto.add(store);
            return new AppServices.CaptureRun() {
                @Override
                public CaptureStats run(CaptureListener l) {
                    store.append(List.of(UiTestData.event("orders", 0, 0, 0, "c-new", "e-new", "OrderPlaced", "")), List.of());
                    return new CaptureStats(1, 100, 0, 1);
                }

                @Override
                public void stop() {
                }
            };
        });
        vm = new MainViewModel(services, new DirectTaskExecutor(), settings, dir.resolve("captures"));
        vm.openCapture(file);

        vm.capture().start(KafkaCaptureConfig.builder("localhost:9").topic("orders").build());

        assertThat(capturedInto).hasSize(1);
        assertThat(capturedInto.get(0).isReadOnly()).isFalse();
        assertThat(capturedInto.get(0).file().getParent()).isEqualTo(dir.resolve("captures"));
        assertThat(vm.storeProperty().get()).isSameAs(capturedInto.get(0));
        assertThat(vm.storeProperty().get().eventCount()).isEqualTo(1);
        assertThat(HostileStores.sha256(file)).as("SHA-256 of the file opened for reading").isEqualTo(before);
    }

    @Test
    void openingAFileThatIsNotACaptureReportsAnErrorNamingTheFile() throws Exception {
        Path bogus = dir.resolve("notes.mv.db");
        Files.writeString(bogus, "this is not an H2 database");

        vm.openCapture(bogus);

        assertThat(vm.lastErrorProperty().get()).isNotNull();
        assertThat(vm.lastErrorProperty().get().message()).contains("notes.mv.db");
        assertThat(vm.storeProperty().get()).isNull();
    }

    @Test
    void searchingACorrelationIdShowsVerdictLegendAndSelectsTheMostSevereEvent() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));

        vm.table().searchTextProperty().set("  " + UiTestData.TROUBLED + " ");
        vm.table().openSearchedTimeline();

        var timeline = vm.timeline();
        assertThat(timeline.correlationIdProperty().get()).isEqualTo(UiTestData.TROUBLED);
        assertThat(timeline.entries()).hasSize(5);
        assertThat(timeline.verdictKindProperty().get()).isEqualTo(VerdictKind.DEAD_LETTERED);
        assertThat(timeline.verdictTextProperty().get()).startsWith("dead-lettered on orders.DLT");
        assertThat(timeline.legendKinds()).containsExactly(AnomalyKind.DEAD_LETTERED, AnomalyKind.LAG, AnomalyKind.DUPLICATE);
        assertThat(timeline.selectedProperty().get().event().channel().name()).isEqualTo("orders.DLT");
        assertThat(vm.details().anomalies()).extracting(a -> a.kind()).contains(AnomalyKind.DEAD_LETTERED);
        long dltSeq = timeline.selectedProperty().get().event().seq();
        assertThat(vm.table().anomalyOf(dltSeq)).isEqualTo(AnomalyKind.DEAD_LETTERED);
        assertThat(timeline.layout(1000).lanes()).extracting(l -> l.channel() + ":" + l.deadLetter())
                .containsExactly("orders:false", "payments:false", "inventory:false", "orders.DLT:true");
    }

    @Test
    void aTimelineCutAtItsLookupLimitSaysShowingTheFirstNOfMEvents() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        int stored = vm.storeProperty().get().findByCorrelationId(UiTestData.TROUBLED).size();
        var timeline = vm.timeline();
        timeline.setLookupLimit(3);

        vm.openTimeline(UiTestData.TROUBLED);

        assertThat(timeline.timelineProperty().get().entries()).extracting(e -> e.event().seq()).hasSizeLessThanOrEqualTo(3);
        assertThat(timeline.limitNoticeProperty().get()).isEqualTo("Showing the first 3 of " + stored + " events");

        timeline.setLookupLimit(CaptureStore.DEFAULT_LOOKUP_LIMIT);
        vm.openTimeline(UiTestData.TROUBLED);

        assertThat(timeline.entries()).hasSize(5);
        assertThat(timeline.limitNoticeProperty().get()).isEmpty();
        assertThatThrownBy(() -> timeline.setLookupLimit(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copyAsTextAndJsonGiveTheCliFormsOfTheShownTimelineAndConfirmInTheStatusBar() throws Exception {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        vm.openTimeline(UiTestData.TROUBLED);
        var shown = vm.timeline().timelineProperty().get();
        assertThat(vm.timeline().canExportProperty().get()).isTrue();

        String text = vm.timeline().copyText();

        assertThat(text).isEqualTo(io.eventlens.core.analysis.TimelineText.render(shown))
                .startsWith("VERDICT DEAD_LETTERED: ").contains(UiTestData.TROUBLED);
        assertThat(vm.statusProperty().get()).isEqualTo("Copied timeline of " + UiTestData.TROUBLED + " as text.");

        String json = vm.timeline().copyJson();

        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(tree.get("correlationId").asText()).isEqualTo(UiTestData.TROUBLED);
        assertThat(tree.get("verdict").get("kind").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(tree.get("events")).hasSize(5);
        assertThat(json).isEqualTo(io.eventlens.core.analysis.TimelineJson.write(shown));
        assertThat(vm.statusProperty().get()).isEqualTo("Copied timeline of " + UiTestData.TROUBLED + " as JSON.");
    }

    @Test
    void exportWritesTheCliJsonToTheFileAndRemembersItsFolder() throws Exception {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        vm.openTimeline(UiTestData.TROUBLED);
        assertThat(vm.timeline().exportFileName()).isEqualTo("timeline-" + UiTestData.TROUBLED + ".json");
        Path exports = Files.createDirectories(dir.resolve("exports"));
        Path file = exports.resolve(vm.timeline().exportFileName());

        vm.timeline().exportJson(file);

        assertThat(Files.readString(file))
                .isEqualTo(io.eventlens.core.analysis.TimelineJson.write(vm.timeline().timelineProperty().get()) + "\n");
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        assertThat(tree.get("correlationId").asText()).isEqualTo(UiTestData.TROUBLED);
        assertThat(tree.get("verdict").get("kind").asText()).isEqualTo("DEAD_LETTERED");
        assertThat(vm.lastErrorProperty().get()).isNull();
        assertThat(vm.statusProperty().get()).isEqualTo("Exported timeline of " + UiTestData.TROUBLED + " to " + file + ".");
        assertThat(vm.timeline().exportDirProperty().get()).isEqualTo(exports);
        assertThat(settings.exportDir()).as("remembered for the next run").isEqualTo(exports);
        assertThat(new MainViewModel(services, new DirectTaskExecutor(), settings, dir.resolve("captures"))
                .timeline().exportDirProperty().get()).isEqualTo(exports);
    }

    @Test
    void exportToAFolderThatDoesNotExistReportsAnErrorNamingTheFile() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        vm.openTimeline(UiTestData.TROUBLED);
        Path file = dir.resolve("no-such-folder").resolve("timeline.json");

        vm.timeline().exportJson(file);

        assertThat(file).doesNotExist();
        assertThat(vm.lastErrorProperty().get()).isNotNull();
        assertThat(vm.lastErrorProperty().get().message())
                .isEqualTo(file + ": cannot write the timeline: the folder does not exist");
        assertThat(vm.timeline().exportDirProperty().get()).isNull();
    }

    @Test
    void copyAndExportAreDisabledWithoutATimelineAndAfterAnotherCaptureIsOpened() {
        assertThat(vm.timeline().canExportProperty().get()).isFalse();
        assertThatThrownBy(() -> vm.timeline().copyText()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No timeline is shown");
        assertThatThrownBy(() -> vm.timeline().copyJson()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> vm.timeline().exportJson(dir.resolve("x.json"))).isInstanceOf(IllegalStateException.class);
        assertThat(dir.resolve("x.json")).doesNotExist();

        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        assertThat(vm.timeline().canExportProperty().get()).as("a capture but no timeline").isFalse();
        vm.openTimeline(UiTestData.TROUBLED);
        assertThat(vm.timeline().canExportProperty().get()).isTrue();

        vm.openCapture(storeWith(List.of(UiTestData.event("orders", 0, 0, 0, "c-x", "e-x", "OrderPlaced", ""))));

        assertThat(vm.timeline().canExportProperty().get()).isFalse();
    }

    @Test
    void theExportFileNameReplacesCharactersThatAreNotSafeInFileNames() {
        vm.openCapture(storeWith(List.of(UiTestData.event("orders", 0, 0, 0, "tenant/a:b c", "e-x", "OrderPlaced", ""))));
        vm.openTimeline("tenant/a:b c");

        assertThat(vm.timeline().exportFileName()).isEqualTo("timeline-tenant_a_b_c.json");
    }

    @Test
    void arrowKeysMoveTheTimelineSelectionInObservedOrderAndStopAtTheEnds() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        vm.openTimeline(UiTestData.TROUBLED);
        var t = vm.timeline();
        assertThat(t.selectedProperty().get()).isEqualTo(t.entries().get(4));

        t.selectRelative(1);
        assertThat(t.selectedProperty().get()).isEqualTo(t.entries().get(4));
        t.selectRelative(-1);
        assertThat(t.selectedProperty().get()).isEqualTo(t.entries().get(3));
        assertThat(vm.details().titleProperty().get()).startsWith("StockReserved");
        t.selectRelative(-100);
        assertThat(t.selectedProperty().get()).isEqualTo(t.entries().get(0));
    }

    @Test
    void openingATimelineExposesTheSelectedEventsRowForTheTableWithoutLoadingAPage() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        assertThat(vm.table().rowToSelectProperty().get()).as("no timeline yet").isEqualTo(-1);
        long loadsBefore = vm.table().pagedRows().pageLoads();

        vm.openTimeline(UiTestData.TROUBLED);

        long selectedSeq = vm.timeline().selectedProperty().get().event().seq();
        assertThat(vm.timeline().selectedProperty().get().event().channel().name()).isEqualTo("orders.DLT");
        assertThat(vm.table().rowToSelectProperty().get()).isEqualTo((int) (selectedSeq - 1));
        assertThat(vm.table().rows().get(vm.table().rowToSelectProperty().get()).seq()).isEqualTo(selectedSeq);
        assertThat(vm.table().pagedRows().pageLoads()).as("only the table reads the row's page")
                .isEqualTo(loadsBefore + 1);

        vm.timeline().selectRelative(-1);
        assertThat(vm.table().rowToSelectProperty().get())
                .isEqualTo((int) (vm.timeline().selectedProperty().get().event().seq() - 1));

        var timelineSelection = vm.timeline().selectedProperty().get();
        int rowToSelect = vm.table().rowToSelectProperty().get();
        vm.table().select(vm.table().rows().get(0));
        assertThat(vm.timeline().selectedProperty().get()).as("a table selection opens nothing").isSameAs(timelineSelection);
        assertThat(vm.table().rowToSelectProperty().get()).isEqualTo(rowToSelect);
        assertThat(vm.details().titleProperty().get()).endsWith("seq 1");
        assertThat(vm.timeline().correlationIdProperty().get()).isEqualTo(UiTestData.TROUBLED);
    }

    @Test
    void followingNewEventsWithdrawsTheRowToSelectAndAnotherCaptureClearsIt() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        vm.table().followNewEventsProperty().set(true);

        vm.openTimeline(UiTestData.TROUBLED);

        assertThat(vm.timeline().selectedProperty().get()).isNotNull();
        assertThat(vm.table().rowToSelectProperty().get()).isEqualTo(-1);

        vm.table().followNewEventsProperty().set(false);
        vm.timeline().selectRelative(-1);
        assertThat(vm.table().rowToSelectProperty().get()).isGreaterThanOrEqualTo(0);

        vm.openCapture(storeWith(List.of(UiTestData.event("orders", 0, 0, 0, "c-x", "e-x", "OrderPlaced", ""))));
        assertThat(vm.table().rowToSelectProperty().get()).isEqualTo(-1);
    }

    @Test
    void aSelectedEventTheTableHasNotCountedYetIsSelectedOnceARefreshCountsIt() {
        openFilesWritable();
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        List<CapturedEvent> more = new ArrayList<>();
        more.add(UiTestData.event("orders", 2, 0, 9000, "c-late", "l-0", "OrderPlaced", ""));
        more.add(UiTestData.event("orders.DLT", 0, 1, 9100, "c-late", "l-0", "OrderPlaced", ""));
        vm.storeProperty().get().append(more, List.of());

        vm.openTimeline("c-late");

        long seq = vm.timeline().selectedProperty().get().event().seq();
        assertThat(seq).isGreaterThan(vm.table().rows().size());
        assertThat(vm.table().rowToSelectProperty().get()).isEqualTo(-1);

        vm.table().refresh();

        assertThat(vm.table().rowToSelectProperty().get()).isEqualTo((int) (seq - 1));
    }

    @Test
    void doubleClickingARowOpensItsCorrelationIdsTimeline() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        EventRow row = vm.table().rows().get(41);

        vm.table().openTimelineOf(row);

        assertThat(vm.table().searchTextProperty().get()).isEqualTo(UiTestData.TROUBLED);
        assertThat(vm.timeline().correlationIdProperty().get()).isEqualTo(UiTestData.TROUBLED);
    }

    @Test
    void completionOffersCorrelationIdsStartingWithThePrefix() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));

        assertThat(vm.table().completions("c-check")).containsExactly(UiTestData.TROUBLED);
        assertThat(vm.table().completions("c-ok-1")).contains("c-ok-1", "c-ok-10", "c-ok-19").hasSize(11);
        assertThat(vm.table().completions("")).isEmpty();
    }

    @Test
    void timelineWithoutOpenCaptureReportsWhatToDo() {
        vm.openTimeline("c-1");
        assertThat(vm.lastErrorProperty().get().message()).contains("No capture is open");
    }

    @Test
    void detailsShowDerivedFieldsWithRulesSourceHeadersAndPrettyPayload() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        vm.table().select(vm.table().rows().get(40));

        var d = vm.details();
        assertThat(d.titleProperty().get()).isEqualTo("OrderPlaced  ·  seq 41");
        assertThat(d.derived()).anySatisfy(f -> {
            assertThat(f.name()).isEqualTo("Correlation ID");
            assertThat(f.value()).isEqualTo(UiTestData.TROUBLED);
            assertThat(f.rule()).isEqualTo("header correlationId");
        });
        assertThat(d.source()).anySatisfy(f -> assertThat(f.name() + "=" + f.value()).isEqualTo("Offset=100"));
        assertThat(d.headers()).extracting(f -> f.name()).containsExactly("correlationId", "eventId");
        assertThat(d.keyTextProperty().get()).isEqualTo("order-42");
        assertThat(d.payloadTextProperty().get()).contains("\n  \"amount\" : 42");
        assertThat(d.payloadSummaryProperty().get()).startsWith("JSON · ");
    }

    /** A probe's answer as a second source would report it; known to the app only through SourcePosition. */
    private record ProbeAnswer(String coordinates) implements SourcePosition {
        @Override public String sourceKind() { return "probe"; }
        @Override public String orderingStream() { return null; }
        @Override public String messageCoordinates() { return coordinates; }
        @Override public String describe() { return coordinates; }
        @Override public Map<String, Object> attributes() { return Map.of("answer", coordinates); }
        @Override public String observedTimeMeaning() { return "probe poll time"; }
    }

    @Test
    void detailsListEachObservationOfAnEventSeenByTwoSources() {
        CapturedEvent broker = UiTestData.event("payments", 1, 100, 1200, UiTestData.TROUBLED, "e-pay", "PaymentTaken", "");
        CapturedEvent probe = new CapturedEvent(9, new Channel(ChannelKind.PROBE, "payments-probe"), new ProbeAnswer("poll-1#0"),
                broker.observedAt().plusMillis(40), broker.observedAt().plusMillis(40), null, List.of(), broker.payload(),
                broker.derived());
        TimelineEntry entry = TimelineAnalyzer.withDefaults().analyze(UiTestData.TROUBLED, List.of(broker, probe)).entries().get(0);

        vm.details().show(entry);

        assertThat(vm.details().observations()).extracting(f -> f.name() + ": " + f.value() + " (" + f.rule() + ")")
                .containsExactly(
                        "Observation 1: kafka · payments p1@100 · 2026-11-22 10:00:01.200 UTC · seq 0 (Kafka CreateTime)",
                        "Observation 2: probe · payments-probe poll-1#0 · 2026-11-22 10:00:01.240 UTC · seq 9 (probe poll time)");
        assertThat(vm.details().source()).anySatisfy(f -> assertThat(f.name() + "=" + f.value())
                .isEqualTo("Observed by=2 observations, one event"));
        assertThat(vm.details().anomalies()).as("another source's observation is no duplicate").isEmpty();
        assertThat(vm.details().derived()).anySatisfy(f -> assertThat(f.name() + ":" + f.rule())
                .isEqualTo("Event time:broker timestamp (CreateTime)"));

        vm.details().show(broker, List.of());
        assertThat(vm.details().observations()).as("an event observed once lists no observations").isEmpty();
    }

    @Test
    void detailsSayWhenTheEventIdIsASyntheticHashAndTruncateHugePayloads() {
        byte[] huge = new byte[10 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');
        CapturedEvent e = new CapturedEvent(7, Channel.kafkaTopic("blobs"),
                new SourcePosition.Kafka(0, 7, TimestampType.LOG_APPEND_TIME), Instant.EPOCH, Instant.EPOCH, null,
                List.of(), huge, new DerivedFields(null,
                new Derived<>("3fa2c1", DerivedFields.SYNTHETIC_EVENT_ID_RULE), null, null, null, null));

        vm.details().show(e, List.of());

        assertThat(vm.details().derived()).anySatisfy(f -> {
            assertThat(f.name()).isEqualTo("Event ID");
            assertThat(f.rule()).startsWith("synthetic");
        });
        assertThat(vm.details().derived()).anySatisfy(f -> assertThat(f.name() + ":" + f.rule())
                .isEqualTo("Correlation ID:no rule matched"));
        assertThat(vm.details().payloadTextProperty().get()).endsWith("more bytes");
        assertThat(vm.details().payloadTextProperty().get().length()).isLessThan(400_000);
        assertThat(vm.details().payloadSummaryProperty().get()).contains("truncated");
        assertThat(vm.details().keyTextProperty().get()).isEqualTo("(no key)");
    }

    @Test
    void pagedRowsLoadOnlyBoundedPagesWhateverTheCaptureSize() {
        List<CapturedEvent> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            many.add(UiTestData.event("orders", i % 3, i, i, "c-" + (i / 5), "e-" + i, "OrderPlaced", ""));
        }
        vm.openCapture(storeWith(many));
        PagedEventList rows = vm.table().pagedRows();

        assertThat(rows.get(4321).seq()).isEqualTo(4322);
        assertThat(rows.pageLoads()).isEqualTo(1);
        for (int i = 0; i < rows.size(); i += 50) {
            assertThat(rows.get(i).seq()).isEqualTo(i + 1);
        }
        assertThat(rows.cachedPages()).isLessThanOrEqualTo(PagedEventList.MAX_PAGES);
        assertThat(rows.pageLoads()).isEqualTo(5000 / PagedEventList.PAGE_SIZE + 1);
    }

    @Test
    void newEventsAreAppendedToTheTableWithOneChange() {
        openFilesWritable();
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        List<String> changes = new ArrayList<>();
        vm.table().rows().addListener((ListChangeListener<EventRow>) c -> {
            while (c.next()) {
                changes.add(c.wasAdded() + ":" + c.getFrom() + "-" + c.getTo());
            }
        });
        List<CapturedEvent> more = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            more.add(UiTestData.event("orders", 2, i, 9000 + i, "c-late", "l-" + i, "OrderPlaced", ""));
        }
        vm.storeProperty().get().append(more, List.of());

        vm.table().refresh();

        assertThat(changes).containsExactly("true:45-75");
        assertThat(vm.table().rows().get(74).correlationId()).isEqualTo("c-late");
    }

    @Test
    void savingACaptureCopiesItToTheChosenFile() {
        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        Path target = dir.resolve("copy.mv.db");

        vm.saveCaptureAs(target);

        assertThat(vm.statusProperty().get()).contains("Saved").contains("copy.mv.db");
        try (CaptureStore copy = CaptureStore.open(target)) {
            assertThat(copy.eventCount()).isEqualTo(45);
        }
    }

    @Test
    void captureWithoutOpenFileGoesToANewFileInTheCapturesFolderAndDrainsCountersAndTouchedIds() throws Exception {
        AtomicReference<CaptureListener> listener = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        services = services.withCaptureFactory((config, store) -> new AppServices.CaptureRun() {
            @Override
            public CaptureStats run(CaptureListener l) {
                listener.set(l);
                List<CapturedEvent> batch = UiTestData.captureWithTroubledFlow();
                store.append(batch, List.of());
                l.onBatch(store.page(1, 100));
                l.onProgress(new CaptureStats(45, 4500, 450.0, 100));
                return new CaptureStats(45, 4500, 0, 100);
            }

            @Override
            public void stop() {
                stopped.countDown();
            }
        });
        vm = new MainViewModel(services, new DirectTaskExecutor(), settings, dir.resolve("captures"));
        KafkaCaptureConfig config = KafkaCaptureConfig.builder("localhost:9").topic("orders").build();

        vm.capture().start(config);

        assertThat(vm.storeProperty().get().file().getParent()).isEqualTo(dir.resolve("captures"));
        assertThat(vm.storeProperty().get().file().getFileName().toString()).startsWith("capture-").endsWith(".mv.db");
        assertThat(listener.get()).isNotNull();
        assertThat(vm.capture().capturingProperty().get()).isFalse();
        assertThat(vm.capture().capturedEventsProperty().get()).isEqualTo(45);
        assertThat(vm.statusProperty().get()).contains("Capture stopped: 45 events");

        // the next pulse appends the rows; the touched flows are analyzed when the table shows their
        // rows, not a second time beside the flow summaries
        vm.pulse();
        assertThat(vm.table().rows()).hasSize(45);
        long dltSeq = vm.storeProperty().get().findByCorrelationId(UiTestData.TROUBLED).stream()
                .filter(e -> e.channel().name().equals("orders.DLT")).findFirst().orElseThrow().seq();
        assertThat(vm.table().anomalyOf(dltSeq)).as("no row of it shown yet").isNull();
        assertThat(vm.pendingAnalysisCount()).isZero();

        vm.table().rows().get(0);   // the table shows its first rows: their page is read and analyzed
        assertThat(vm.table().anomalyOf(dltSeq)).isEqualTo(AnomalyKind.DEAD_LETTERED);
    }

    @Test
    void aSourcesWarningsReachTheStatusBarWhileCapturingAndStayAfterTheEndUntilTheNextCapture() throws Exception {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        services = services.withCaptureFactory((config, store) -> new AppServices.CaptureRun() {
            @Override
            public CaptureStats run(CaptureListener l) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new CaptureStats(0, 10, 0, 0);
            }

            @Override
            public void stop() {
                release.countDown();
            }

            @Override
            public List<String> warnings() {
                return List.copyOf(warnings);
            }
        });
        // the capture runs on a worker thread, as in the app; callbacks run on this thread (the FX thread's stand-in)
        try (QueuedTaskExecutor executor = new QueuedTaskExecutor()) {
            vm = new MainViewModel(services, executor, settings, dir.resolve("captures"));
            vm.capture().start(KafkaCaptureConfig.builder("localhost:9").topic("orders").build());
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                executor.runCallbacks();   // the new capture file is created in the background
                return vm.capture().capturingProperty().get();
            });
            vm.pulse();
            assertThat(vm.capture().warningProperty().get()).isEmpty();

            warnings.add("amqp://rabbit: the broker blocks publishers now (low on memory), for 3 s so far");
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                vm.pulse();   // no news from a blocked broker: the pulse reads the warnings anyway
                assertThat(vm.capture().warningProperty().get()).isEqualTo(
                        "amqp://rabbit: the broker blocks publishers now (low on memory), for 3 s so far");
            });

            warnings.set(0, "amqp://rabbit: the broker blocked publishers 1 time(s) for 4000 ms in total (low on memory)");
            warnings.add("amqp://rabbit: up to 12 messages were dropped by the tap's retention before they were read");
            vm.capture().stop();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
                executor.runCallbacks();
                return !vm.capture().capturingProperty().get();
            });
            assertThat(vm.capture().warningProperty().get()).as("the totals after the end, at once")
                    .isEqualTo("amqp://rabbit: the broker blocked publishers 1 time(s) for 4000 ms in total (low on memory);"
                            + " amqp://rabbit: up to 12 messages were dropped by the tap's retention before they were read");
        }
    }

    @Test
    void restartingACaptureResumesFromTheStoredPositions() {
        List<KafkaCaptureConfig> started = new ArrayList<>();
        services = services.withCaptureFactory((config, store) -> {
            started.add(config);
            return new AppServices.CaptureRun() {
                @Override
                public CaptureStats run(CaptureListener l) {
                    return new CaptureStats(0, 0, 0, 1);
                }

                @Override
                public void stop() {
                }
            };
        });
        vm = new MainViewModel(services, new DirectTaskExecutor(), settings, dir.resolve("captures"));
        assertThat(vm.capture().toggle()).as("nothing to restart yet").isFalse();

        vm.capture().start(KafkaCaptureConfig.builder("localhost:9").topic("orders").build());
        assertThat(vm.capture().toggle()).isTrue();

        assertThat(started).hasSize(2);
        assertThat(started.get(0).startPosition()).isInstanceOf(StartPosition.Earliest.class);
        assertThat(started.get(1).startPosition()).isInstanceOf(StartPosition.Resume.class);
    }

    @Test
    void cancellingTheCaptureTaskStopsTheCaptureAndEndsTheCapturingState() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        services = services.withCaptureFactory((config, store) -> runUntilStopped(stop, () -> new CaptureStats(0, 0, 0, 1)));
        try (QueuedTaskExecutor queued = new QueuedTaskExecutor()) {
            vm = new MainViewModel(services, queued, settings, dir.resolve("captures"));
            vm.capture().start(KafkaCaptureConfig.builder("localhost:9").topic("orders").build());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                queued.runCallbacks();
                return vm.capture().capturingProperty().get();
            });

            queued.cancelRunning();

            assertThat(stop.getCount()).as("the capture was asked to stop").isZero();
            assertThat(vm.capture().capturingProperty().get()).isFalse();
            assertThat(vm.statusProperty().get()).startsWith("Capture cancelled");
        }
    }

    @Test
    void disposingWhileCapturingStopsTheCaptureAndThenClosesTheStore() {
        CountDownLatch stop = new CountDownLatch(1);
        services = services.withCaptureFactory((config, store) -> runUntilStopped(stop, () -> {
            store.append(UiTestData.captureWithTroubledFlow(), List.of()); // the last batch, committed on stop
            return new CaptureStats(45, 0, 0, 1);
        }));
        try (QueuedTaskExecutor queued = new QueuedTaskExecutor()) {
            vm = new MainViewModel(services, queued, settings, dir.resolve("captures"));
            vm.capture().start(KafkaCaptureConfig.builder("localhost:9").topic("orders").build());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                queued.runCallbacks();
                return vm.capture().capturingProperty().get();
            });
            CaptureStore store = vm.storeProperty().get();
            Path file = store.file();

            vm.dispose();

            assertThatThrownBy(store::eventCount).as("the store is closed after dispose");
            try (CaptureStore reopened = CaptureStore.open(file)) {
                assertThat(reopened.eventCount()).as("the last batch was committed before closing").isEqualTo(45);
            }
        }
    }

    @Test
    void connectReportsAnUnreachableClusterByEndpointAndPreselectsRememberedTopics() {
        settings.setTopics(List.of("payments", "gone"));
        var failing = new io.eventlens.app.ui.capture.ConnectViewModel(services.withTopicLister((b, t) -> {
            throw new KafkaConnectException("Kafka at " + b + " did not answer within 8 s");
        }), new DirectTaskExecutor(), settings);
        failing.bootstrapServersProperty().set("nohost:9092");
        failing.loadTopics();
        assertThat(failing.errorProperty().get()).isEqualTo("Kafka at nohost:9092 did not answer within 8 s");
        assertThat(failing.canConnect().get()).isFalse();

        var ok = new io.eventlens.app.ui.capture.ConnectViewModel(services.withTopicLister((b, t) ->
                List.of("orders", "payments")), new DirectTaskExecutor(), settings);
        ok.bootstrapServersProperty().set("kafka:9092");
        ok.loadTopics();
        assertThat(ok.availableTopics()).containsExactly("orders", "payments");
        assertThat(ok.selectedTopics()).containsExactly("payments");
        assertThat(ok.canConnect().get()).isTrue();
        ok.fromEarliestProperty().set(false);
        KafkaCaptureConfig config = ok.buildConfig();
        assertThat(config.topics()).containsExactly("payments");
        assertThat(config.startPosition()).isInstanceOf(StartPosition.Latest.class);
        assertThat(settings.bootstrapServers()).isEqualTo("kafka:9092");

        ok.selectedTopics().clear();
        assertThatThrownBy(ok::buildConfig).hasMessageContaining("topics");
    }

    @Test
    void themeChoiceIsRemembered() {
        vm.darkThemeProperty().set(true);
        assertThat(new AppSettings(configDir.resolve("settings.json")).darkTheme()).isTrue();
    }

    /** A capture run that blocks until {@code stop()} counts {@code stop} down, then finishes with {@code onStop}. */
    private static AppServices.CaptureRun runUntilStopped(CountDownLatch stop, java.util.function.Supplier<CaptureStats> onStop) {
        return new AppServices.CaptureRun() {
            @Override
            public CaptureStats run(CaptureListener l) {
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return onStop.get();
            }

            @Override
            public void stop() {
                stop.countDown();
            }
        };
    }


    private static final Path CI_RUN = Path.of("../core/src/test/resources/artifacts/ci-run").toAbsolutePath().normalize();

    @Test
    void openingACiRunImportsItIntoANewCaptureAndListsItsFailedTestsBesideTheirVerdicts() throws Exception {
        vm.openCiRun(CI_RUN);

        assertThat(vm.lastErrorProperty().get()).isNull();
        CaptureStore store = vm.storeProperty().get();
        assertThat(store).isNotNull();
        assertThat(store.file().getParent()).isEqualTo(dir.resolve("captures").toAbsolutePath().normalize());
        assertThat(store.file().getFileName().toString()).startsWith("ci-run-ci-run-").endsWith(".mv.db");
        assertThat(store.eventCount()).isPositive();
        var rows = vm.ciRun().rows();
        assertThat(rows).isNotEmpty();
        var placesOrder = rows.stream().filter(r -> r.test().endsWith(".placesOrder")).findFirst().orElseThrow();
        assertThat(placesOrder.headline()).isEqualTo(VerdictKind.DEAD_LETTERED);
        assertThat(placesOrder.correlationIds()).isNotEmpty();
        assertThat(rows.stream().map(r -> r.headline()).filter(java.util.Objects::nonNull).toList())
                .as("in the verdict table's order").isSortedAccordingTo(java.util.Comparator.naturalOrder());
        assertThat(rows.getLast().headline()).as("tests without a correlation ID last").isNull();
        assertThat(vm.ciRun().summaryProperty().get()).contains("failed of").contains("events");
        assertThat(vm.statusProperty().get()).startsWith("Opened the CI run " + CI_RUN);
        assertThat(settings.recentFiles()).contains(store.file());

        vm.ciRun().open(placesOrder);
        assertThat(vm.timeline().correlationIdProperty().get()).isEqualTo(placesOrder.firstCorrelationId());

        vm.openCapture(storeWith(UiTestData.captureWithTroubledFlow()));
        assertThat(vm.ciRun().rows()).as("another capture replaces the CI run").isEmpty();
        assertThat(vm.ciRun().loadedProperty().get()).isFalse();
    }

    @Test
    void aCiRunThatIsNotThereIsAnErrorNamingItAndLeavesNoCaptureFile() throws Exception {
        Path missing = dir.resolve("no-such-run");

        vm.openCiRun(missing);

        assertThat(vm.lastErrorProperty().get()).isNotNull();
        assertThat(vm.lastErrorProperty().get().message()).contains(missing.toString());
        assertThat(vm.storeProperty().get()).isNull();
        assertThat(dir.resolve("captures")).satisfiesAnyOf(
                d -> assertThat(d).doesNotExist(),
                d -> assertThat(d).isEmptyDirectory());
    }
}
