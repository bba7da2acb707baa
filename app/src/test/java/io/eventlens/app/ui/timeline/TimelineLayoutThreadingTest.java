package io.eventlens.app.ui.timeline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.task.TaskContext;
import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.app.ui.task.Work;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.layout.PreparedTimeline;
import io.eventlens.core.layout.TimeWarp;
import io.eventlens.core.layout.TimelineLayouter;
import io.eventlens.core.layout.Viewport;
import io.eventlens.app.ui.UiTestData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layout work happens in core, off the FX thread (docs/decisions/0016-timeline-at-scale.md): the timeline's
 * views never call the layouter (they paint the view model's last layout), and the view model lays out
 * only inside background work handed to its {@link TaskExecutor}, never on the calling (FX) thread.
 */
class TimelineLayoutThreadingTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.eventlens.app.ui");

    @Test
    void theTimelineViewsOnlyPaintTheyNeverLayOut() {
        noClasses().that().haveSimpleNameNotEndingWith("ViewModel").and().resideInAPackage("io.eventlens.app.ui..")
                .should().accessClassesThat().belongToAnyOf(TimelineLayouter.class, PreparedTimeline.class)
                .because("views paint the layout the view model computed in the background (ADR 0016)")
                .check(CLASSES);
    }

    /** An executor that holds work until told to run it, on a worker thread, and records the threads. */
    private static final class HeldExecutor implements TaskExecutor {
        final List<Runnable> held = new ArrayList<>();
        final List<String> workThreads = new ArrayList<>();

        @Override
        public <T> Handle submit(String title, Work<T> work, Consumer<? super T> onSuccess,
                                 Consumer<? super Throwable> onFailure, Runnable onCancel) {
            held.add(() -> {
                Object[] out = new Object[1];
                Thread worker = new Thread(() -> {
                    workThreads.add(Thread.currentThread().getName());
                    try {
                        out[0] = work.run(new TaskContext() {
                            @Override
                            public void progress(long done, long total) {
                            }

                            @Override
                            public void message(String message) {
                            }

                            @Override
                            public boolean isCancelled() {
                                return false;
                            }

                            @Override
                            public void onCancel(Runnable hook) {
                            }
                        });
                    } catch (Exception e) {
                        out[0] = e;
                    }
                }, "layout-worker");
                worker.start();
                try {
                    worker.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (out[0] instanceof Exception e) {
                    onFailure.accept(e);
                } else {
                    @SuppressWarnings("unchecked") T t = (T) out[0];
                    onSuccess.accept(t);
                }
            });
            return new Handle() {
                @Override
                public void cancel() {
                }

                @Override
                public boolean isRunning() {
                    return true;
                }
            };
        }

        void runAll() {
            while (!held.isEmpty()) {
                held.remove(0).run();
            }
        }
    }

    @Test
    void showingZoomingAndPanningLayOutOnlyInBackgroundWorkOneAtATime() {
        HeldExecutor executor = new HeldExecutor();
        List<Throwable> errors = new ArrayList<>();
        TimelineViewModel vm = new TimelineViewModel(() -> null, DesktopServices.real(), executor, m -> { },
                errors::add, s -> { });
        var events = new ArrayList<io.eventlens.core.model.CapturedEvent>();
        long seq = 1;
        for (var e : UiTestData.longFlow(UiTestData.LONG, 10_000)) {
            events.add(new io.eventlens.core.model.CapturedEvent(seq++, e.channel(), e.source(), e.observedAt(),
                    e.capturedAt(), e.key(), e.headers(), e.payload(), e.derived()));
        }
        Timeline t = DesktopServices.real().analyzer().analyze(UiTestData.LONG, events);

        vm.setViewWidth(1400);
        vm.show(t, false);
        vm.zoom(2, 0.5);
        vm.pan(0.25);
        assertThat(vm.windowLayoutProperty().get().lanes()).as("nothing laid out on the calling thread").isEmpty();
        assertThat(executor.held).as("one layout at a time; the zoom and pan wait for the next").hasSize(1);

        executor.runAll();

        assertThat(errors).isEmpty();
        assertThat(executor.workThreads).isNotEmpty().allMatch("layout-worker"::equals);
        var layout = vm.windowLayoutProperty().get();
        assertThat(layout.lanes()).isNotEmpty();
        Viewport expected = Viewport.fit(layout.virtualSpan()).zoom(2, 0.5, layout.virtualSpan()).pan(0.25, layout.virtualSpan());
        assertThat(layout.viewStart()).isEqualTo(expected.start());
        assertThat(layout.viewEnd()).isEqualTo(expected.end());
    }
}
