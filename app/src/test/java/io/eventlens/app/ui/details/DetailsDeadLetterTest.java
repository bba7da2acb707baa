package io.eventlens.app.ui.details;

import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The details pane's dead-letter section, without a window. */
class DetailsDeadLetterTest {

    private final List<Long> wentTo = new ArrayList<>();
    private final DetailsViewModel vm = new DetailsViewModel(() -> null, new DirectTaskExecutor(), seq -> List.of(),
            e -> { throw new AssertionError(e); }, wentTo::add);

    private static CapturedEvent withSeq(CapturedEvent e, long seq) {
        return e.withSeq(seq);
    }

    @Test
    void aDeadLetteredTimelineEntryShowsWhatItSaysAndGoesToItsOriginal() {
        CapturedEvent original = withSeq(UiTestData.event("orders", 0, 3, 30, "c-ok-3", "o-3", "OrderPlaced", ""), 1);
        CapturedEvent copy = withSeq(UiTestData.springDeadLetter(1, 6000, "c-ok-3", "o-3-dlt", 0, 3,
                "com.shop.InvalidOrderException", "amount -3 must be positive"), 2);
        Timeline t = TimelineAnalyzer.withDefaults().analyze("c-ok-3", List.of(original, copy));
        TimelineEntry dl = t.entries().get(1);

        vm.show(dl);
        DetailsViewModel.DeadLetter d = vm.deadLetterProperty().get();
        assertThat(d).isNotNull();
        assertThat(d.fields()).extracting(f -> f.name() + "=" + f.value()).containsExactly(
                "Reason=amount -3 must be positive", "Exception=com.shop.InvalidOrderException",
                "Original=orders · partition 0 · offset 3", "Attempts=3", "Dead letter on=orders.DLT");
        assertThat(d.originalSeq()).isEqualTo(1);
        assertThat(d.link()).isEqualTo("original #1 (linked by position)");
        assertThat(d.stackTrace()).contains("OrderListener.java:42");
        vm.openOriginal();
        assertThat(wentTo).containsExactly(1L);

        vm.show(t.entries().get(0));
        assertThat(vm.deadLetterProperty().get()).as("the original is no dead letter").isNull();
        vm.openOriginal();
        assertThat(wentTo).containsExactly(1L);
    }

    @Test
    void aDeadLetterShownWithoutItsTimelineSaysHowToLinkItAndAHugeStackTraceIsCut() {
        CapturedEvent copy = UiTestData.springDeadLetter(1, 6000, "c-ok-3", "o-3-dlt", 0, 3, "a.B", "broken");
        List<Header> headers = new ArrayList<>(copy.headers());
        headers.removeIf(h -> h.name().equals("kafka_dlt-exception-stacktrace"));
        headers.add(Header.ofString("kafka_dlt-exception-stacktrace", "x".repeat(DetailsViewModel.MAX_STACK_TRACE + 10)));
        CapturedEvent huge = new CapturedEvent(7, copy.channel(), copy.source(), copy.observedAt(), copy.capturedAt(),
                copy.key(), headers, copy.payload(), copy.derived());

        vm.show(huge, List.of());
        DetailsViewModel.DeadLetter d = vm.deadLetterProperty().get();
        assertThat(d.originalSeq()).isZero();
        assertThat(d.link()).isEqualTo("open its timeline to link the original");
        assertThat(d.stackTrace()).hasSize(DetailsViewModel.MAX_STACK_TRACE + "\n… (10 more chars)".length())
                .endsWith("… (10 more chars)");
        vm.clear();
        assertThat(vm.deadLetterProperty().get()).isNull();
    }
}
