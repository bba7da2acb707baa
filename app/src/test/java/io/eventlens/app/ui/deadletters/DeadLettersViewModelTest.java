package io.eventlens.app.ui.deadletters;

import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.task.DirectTaskExecutor;
import io.eventlens.app.ui.task.TaskContext;
import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.app.ui.task.Work;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.store.CaptureStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The Dead letters view's view model without a window, on real capture stores, through a direct executor. */
class DeadLettersViewModelTest {

    @TempDir
    Path dir;

    private final List<String> opened = new ArrayList<>();
    private final List<Long> shownEvents = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final AtomicLong clockMs = new AtomicLong(1_000_000);
    private final List<CaptureStore> stores = new ArrayList<>();

    @AfterEach
    void tearDown() {
        stores.forEach(CaptureStore::close);
        assertThat(errors).as("errors reported").isEmpty();
    }

    private CaptureStore store(String name, List<CapturedEvent> events) {
        CaptureStore s = CaptureStore.open(dir.resolve(name));
        stores.add(s);
        if (!events.isEmpty()) {
            s.append(events, List.of());
        }
        return s;
    }

    private DeadLettersViewModel viewModel(TaskExecutor executor) {
        return new DeadLettersViewModel((id, seq) -> opened.add(id + "#" + seq), shownEvents::add, executor, errors::add,
                clockMs::get);
    }

    @Test
    void listsGroupsWithCountsMostFirstAndTheLatestEventsOfTheSelectedGroup() {
        DeadLettersViewModel vm = viewModel(new DirectTaskExecutor());
        vm.show(store("dl", UiTestData.captureWithDeadLetters()));

        assertThat(vm.summaryProperty().get()).isEqualTo("3 dead-lettered events in 2 groups");
        assertThat(vm.totalProperty().get()).isEqualTo(3);
        assertThat(vm.groups()).extracting(DeadLetterGroupRow::count, DeadLetterGroupRow::exceptionClass,
                        DeadLetterGroupRow::reason, DeadLetterGroupRow::originalChannel)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2L, "InvalidOrderException", "amount -# must be positive", "orders"),
                        org.assertj.core.groups.Tuple.tuple(1L, "—", "—", "orders"));
        assertThat(vm.selectedGroupProperty().get()).as("the first group is selected").isEqualTo(vm.groups().get(0));
        assertThat(vm.events()).extracting(DeadLetterEventRow::correlationId).containsExactly("c-ok-4", "c-ok-3");
        DeadLetterEventRow newest = vm.events().get(0);
        assertThat(newest.channel()).isEqualTo("orders.DLT");
        assertThat(newest.attempts()).isEqualTo("3");
        assertThat(newest.exceptionText()).isEqualTo("InvalidOrderException: amount -4 must be positive");
        assertThat(newest.original()).isEqualTo("orders p0@4");
        assertThat(newest.observed()).endsWith("UTC");

        vm.selectedGroupProperty().set(vm.groups().get(1));
        assertThat(vm.events()).extracting(DeadLetterEventRow::correlationId).containsExactly(UiTestData.TROUBLED);

        vm.open(vm.events().get(0));
        assertThat(opened).as("a click opens the timeline of the event's correlation ID, the event selected")
                .containsExactly(UiTestData.TROUBLED + "#" + vm.events().get(0).seq());
    }

    @Test
    void anEmptyCaptureSaysSoInsteadOfAnEmptyGrid() {
        DeadLettersViewModel vm = viewModel(new DirectTaskExecutor());
        assertThat(vm.summaryProperty().get()).isEqualTo("No capture open");
        vm.show(store("none", UiTestData.captureWithTroubledFlow().subList(0, 40)));
        assertThat(vm.loadedProperty().get()).isTrue();
        assertThat(vm.groups()).isEmpty();
        assertThat(vm.events()).isEmpty();
        assertThat(vm.summaryProperty().get()).isEqualTo("No dead-lettered events");
    }

    @Test
    void anEventWithoutACorrelationIdIsShownInTheDetailsInstead() {
        CapturedEvent dl = UiTestData.springDeadLetter(9, 100, "x", "y", 0, 1, "a.B", "broken");
        CapturedEvent anonymous = new CapturedEvent(0, dl.channel(), dl.source(), dl.observedAt(), dl.capturedAt(),
                dl.key(), dl.headers(), dl.payload(), DerivedFields.NONE);
        DeadLettersViewModel vm = viewModel(new DirectTaskExecutor());
        vm.show(store("anon", List.of(anonymous)));
        assertThat(vm.events()).singleElement().satisfies(r -> assertThat(r.correlationId()).isEmpty());
        vm.open(vm.events().get(0));
        assertThat(opened).isEmpty();
        assertThat(shownEvents).containsExactly(1L);
    }

    @Test
    void aLiveCaptureIsReadAgainAtMostEveryFewSecondsKeepingTheSelectedGroup() {
        DeadLettersViewModel vm = viewModel(new DirectTaskExecutor());
        CaptureStore s = store("live", UiTestData.captureWithTroubledFlow());
        vm.show(s);
        assertThat(vm.totalProperty().get()).isEqualTo(1);
        DeadLetterGroupRow first = vm.selectedGroupProperty().get();

        s.append(List.of(UiTestData.springDeadLetter(5, 9000, "c-ok-5", "o-5-dlt", 0, 5, "a.B", "broken 1"),
                UiTestData.springDeadLetter(6, 9001, "c-ok-6", "o-6-dlt", 0, 6, "a.B", "broken 2"),
                UiTestData.springDeadLetter(7, 9002, "c-ok-7", "o-7-dlt", 0, 7, "a.B", "broken 3")), List.of());
        clockMs.addAndGet(DeadLettersViewModel.REFRESH_MS - 1);
        vm.pulse(true);
        assertThat(vm.totalProperty().get()).as("throttled: not read again yet").isEqualTo(1);
        clockMs.addAndGet(1);
        vm.pulse(false);
        assertThat(vm.totalProperty().get()).as("nothing captured: not read again").isEqualTo(1);
        vm.pulse(true);
        assertThat(vm.totalProperty().get()).isEqualTo(4);
        assertThat(vm.groups().get(0).count()).isEqualTo(3);
        assertThat(vm.selectedGroupProperty().get().key()).as("the selection stays on its group").isEqualTo(first.key());
    }

    @Test
    void cancelKeepsWhatWasReadAndSaysHowFarItGot() {
        List<CapturedEvent> many = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            many.add(UiTestData.springDeadLetter(i, i, "c-" + i, "e-" + i, 0, i, "a.B", "broken"));
        }
        CaptureStore s = store("big", many);
        CancelAfterFirstProgress executor = new CancelAfterFirstProgress();
        DeadLettersViewModel vm = viewModel(executor);
        vm.show(s);
        assertThat(executor.cancelled).isTrue();
        assertThat(vm.readingProperty().get()).isFalse();
        assertThat(vm.totalProperty().get()).isPositive().isLessThan(40_000);
        assertThat(vm.summaryProperty().get()).contains("dead-lettered events in 1 group (read ").endsWith("of 40,000 events)");
    }

    /** Runs work directly; the first progress report cancels it, as the status bar's Cancel would. */
    private static final class CancelAfterFirstProgress implements TaskExecutor {
        boolean cancelled;

        @Override
        public <T> Handle submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                                 Consumer<? super Throwable> onFailure, Runnable onCancel) {
            TaskContext ctx = new TaskContext() {
                @Override
                public void progress(long done, long total) {
                    if (!cancelled && done > 0) {
                        cancelled = true;
                        onCancel.run();
                    }
                }

                @Override
                public void message(String message) {
                }

                @Override
                public boolean isCancelled() {
                    return cancelled;
                }

                @Override
                public void onCancel(Runnable hook) {
                }
            };
            try {
                T result = work.run(ctx);
                if (!cancelled) {
                    onSuccess.accept(result);
                }
            } catch (Exception e) {
                onFailure.accept(e);
            }
            return new Handle() {
                @Override
                public void cancel() {
                }

                @Override
                public boolean isRunning() {
                    return false;
                }
            };
        }
    }
}
