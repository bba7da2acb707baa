package io.eventlens.app.ui.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.MainViewModel;
import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.events.EventRow;
import io.eventlens.app.ui.flows.FlowRow;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.filter.EventFilter;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one filter box without a window: the table, the Flows panel and the timeline follow it; errors, history, completion. */
class FilterViewModelTest {

    @TempDir
    Path dir;
    @TempDir
    Path configDir;

    private AppSettings settings;
    private MainViewModel vm;
    private final List<CaptureStore> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        settings = new AppSettings(configDir.resolve("settings.json"));
        vm = new MainViewModel(DesktopServices.real().withStoreOpener(file -> {
            CaptureStore s = CaptureStore.openReadOnly(file);
            opened.add(s);
            return s;
        }), new DirectTaskExecutor(), settings, dir.resolve("captures"));
        Path file = dir.resolve("run.mv.db");
        try (CaptureStore s = CaptureStore.open(file)) {
            s.append(UiTestData.captureWithTroubledFlow(), List.of());
        }
        vm.openCapture(file);
    }

    @AfterEach
    void tearDown() {
        opened.forEach(s -> {
            try {
                s.close();
            } catch (RuntimeException ignored) {
                // closed by the view model
            }
        });
    }

    private List<EventRow> rows() {
        return new ArrayList<>(vm.table().rows());
    }

    @Test
    void aFilterCutsTheTableTheFlowsPanelAndTheTimeline() {
        vm.openTimeline(UiTestData.TROUBLED);
        assertThat(vm.timeline().entries()).hasSizeGreaterThan(2);
        assertThat(vm.flows().rows()).isNotEmpty();

        vm.filter().textProperty().set("channel == \"payments\" && correlationId == \"" + UiTestData.TROUBLED + "\"");
        assertThat(vm.filter().apply()).isTrue();

        assertThat(rows()).extracting(EventRow::channel).containsOnly("payments").hasSize(2);
        assertThat(rows()).extracting(EventRow::correlationId).containsOnly(UiTestData.TROUBLED);
        assertThat(vm.table().filterStatusProperty().get()).isEqualTo("2 of 45 events");
        assertThat(vm.flows().rows()).extracting(FlowRow::correlationId).containsExactly(UiTestData.TROUBLED);
        assertThat(vm.timeline().entries()).extracting(TimelineEntry::event)
                .allMatch(e -> e.channel().name().equals("payments"));
        assertThat(vm.timeline().verdictKindProperty().get().name()).as("the whole flow's verdict")
                .isEqualTo("DEAD_LETTERED");

        vm.filter().clear();
        assertThat(rows()).hasSize(45);
        assertThat(vm.table().filterStatusProperty().get()).isEmpty();
        assertThat(vm.timeline().entries()).hasSizeGreaterThan(2);
    }

    @Test
    void anomaliesAndVerdictComeFromEachEventsFlow() {
        vm.filter().textProperty().set("\"DEAD_LETTERED\" in anomalies || verdict == \"HEALTHY\" && offset == 3");
        vm.filter().apply();
        assertThat(rows()).extracting(EventRow::channel).contains("orders.DLT");
        assertThat(rows()).allMatch(r -> r.channel().equals("orders.DLT") || r.position().endsWith("@3"));
    }

    @Test
    void aBadExpressionKeepsTheFilterAppliedAndSaysWhere() {
        vm.filter().textProperty().set("channel == \"orders\"");
        vm.filter().apply();
        EventFilter before = vm.filter().appliedProperty().get();

        vm.filter().textProperty().set("channel == \"orders\" &&");
        assertThat(vm.filter().apply()).isFalse();
        assertThat(vm.filter().appliedProperty().get()).isSameAs(before);
        assertThat(vm.filter().errorProperty().get()).startsWith("Column ");
        assertThat(vm.filter().errorOffsetProperty().get()).isBetween(18, 22);
        assertThat(vm.filter().pointerProperty().get()).contains("^");

        vm.filter().textProperty().set("exec(\"x\")");
        vm.filter().apply();
        assertThat(vm.filter().errorProperty().get()).contains("there is no such function: exec");
        vm.filter().textProperty().set("channel == \"orders\" ");
        assertThat(vm.filter().errorProperty().get()).as("cleared by typing").isEmpty();
    }

    @Test
    void historyIsRememberedInTheSettingsMostRecentFirst() {
        for (String e : List.of("offset == 1", "offset == 2", "offset == 1")) {
            vm.filter().textProperty().set(e);
            vm.filter().apply();
        }
        assertThat(vm.filter().history()).containsExactly("offset == 1", "offset == 2");
        AppSettings reread = new AppSettings(configDir.resolve("settings.json"));
        assertThat(reread.filterHistory()).containsExactly("offset == 1", "offset == 2");
    }

    @Test
    void rightClickTermsAreAddedToTheFilterApplied() {
        vm.filter().filterOn(io.eventlens.core.filter.FilterExpressions.equalTo("channel", "payments"));
        assertThat(rows()).extracting(EventRow::channel).containsOnly("payments");
        vm.filter().exclude(io.eventlens.core.filter.FilterExpressions.equalTo("correlationId", UiTestData.TROUBLED));
        assertThat(vm.filter().textProperty().get())
                .isEqualTo("(channel == \"payments\") && !(correlationId == \"" + UiTestData.TROUBLED + "\")");
        assertThat(rows()).hasSize(20).noneMatch(r -> r.correlationId().equals(UiTestData.TROUBLED));
    }

    @Test
    void completionOffersFieldNamesAndValuesSeen() {
        vm.table().rows().get(0);   // a page is read: its values are learned
        assertThat(vm.filter().completions("chan")).containsExactly("channel");
        assertThat(vm.filter().completions("type == \"x\" && corr")).containsExactly("type == \"x\" && correlationId");
        assertThat(vm.filter().completions("channel == \"pay")).containsExactly("channel == \"payments\"");
        assertThat(vm.filter().completions("channel == '")).contains("channel == 'orders'", "channel == 'orders.DLT'");
        assertThat(vm.filter().completions("payload.cha")).isEmpty();
    }
}
