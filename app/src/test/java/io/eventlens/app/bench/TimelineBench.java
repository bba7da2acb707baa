package io.eventlens.app.bench;

import io.eventlens.app.DesktopServices;
import io.eventlens.app.ui.UiTestData;
import io.eventlens.app.ui.task.FxTaskExecutor;
import io.eventlens.app.ui.timeline.TimelineView;
import io.eventlens.app.ui.timeline.TimelineViewModel;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.layout.LaneGrouping;
import io.eventlens.core.layout.PreparedTimeline;
import io.eventlens.core.layout.TimeWarp;
import io.eventlens.core.layout.TimelineLayout;
import io.eventlens.core.layout.TimelineLayouter;
import io.eventlens.core.model.CapturedEvent;
import javafx.application.Platform;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.Scene;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The timeline-at-scale benchmark behind {@code ./dev bench} (issue 12: "a flow of 10,000 events opens,
 * zooms and pans without a frame over 50 ms on the FX thread"). Not a test: it measures and prints.
 *
 * <p>It builds a 10,000-event flow ({@link UiTestData#longFlow}; four topics, bursts, two idle gaps,
 * duplicates and a dead letter), shows it in a real {@link TimelineView} in an offscreen scene (Monocle
 * headless, software rendering; no display needed) and runs a script of 120 steps: open fitted, zoom in
 * step by step at several anchors down to a few ms, pan both ways, zoom back out, regroup the lanes by
 * partition and by key, expand the gaps, fit. Every step is laid out in the background by the view
 * model; on the FX thread each frame is the canvas's paint, timed in wall-clock and in the FX thread's
 * CPU time (which a busy machine does not inflate), then the scene is rendered offscreen
 * ({@code Scene.snapshot}, wall clock). A 60-event flow is painted first, as the app has painted other
 * views before a timeline opens. Prints the worst, 95th percentile and median of each, the worst
 * background layout of a window (CPU time) and the time to prepare the lanes.
 */
public final class TimelineBench {

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private TimelineBench() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run();
        } catch (Exception | Error e) {
            System.err.println("timeline benchmark failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        setIfAbsent("glass.platform", "Monocle");
        setIfAbsent("monocle.platform", "Headless");
        setIfAbsent("prism.order", "sw");
        setIfAbsent("prism.text", "t2k");
        setIfAbsent("testfx.headless", "true");
        int n = Integer.getInteger("bench.timelineEvents", 10_000);

        List<CapturedEvent> raw = UiTestData.longFlow(UiTestData.LONG, n);
        List<CapturedEvent> events = new ArrayList<>(raw.size());
        long seq = 1;
        for (CapturedEvent e : raw) {
            events.add(new CapturedEvent(seq++, e.channel(), e.source(), e.observedAt(), e.capturedAt(), e.key(),
                    e.headers(), e.payload(), e.derived()));
        }
        var services = DesktopServices.real();
        Timeline timeline = services.analyzer().analyze(UiTestData.LONG, events);

        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get(30, TimeUnit.SECONDS);

        FxTaskExecutor executor = onFx(FxTaskExecutor::new);
        TimelineViewModel vm = onFx(() -> new TimelineViewModel(() -> null, services, executor, m -> { }, e -> e.printStackTrace(), s -> { }));
        Scene scene = onFx(() -> {
            TimelineView view = new TimelineView(vm, new SimpleBooleanProperty(false));
            return new Scene(view, 1480, 700);
        });

        onFx(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            return null;
        });
        // warm-up, as in the app, where other views and timelines were painted before: a 60-event flow
        List<CapturedEvent> small = new ArrayList<>();
        long sseq = 1_000_000;
        for (CapturedEvent e : UiTestData.longFlow("c-warm-up", 60)) {
            small.add(new CapturedEvent(sseq++, e.channel(), e.source(), e.observedAt(), e.capturedAt(), e.key(),
                    e.headers(), e.payload(), e.derived()));
        }
        Timeline warm = services.analyzer().analyze("c-warm-up", small);
        for (int i = 0; i < 3; i++) {
            onFx(() -> {
                vm.show(warm, false);
                return null;
            });
            onFx(() -> scene.snapshot(null));
        }
        List<Long> frames = new ArrayList<>();
        List<Long> renders = new ArrayList<>();
        List<Long> frameCpu = new ArrayList<>();
        List<Long> renderCpu = new ArrayList<>();
        List<Consumer<TimelineViewModel>> script = new ArrayList<>();
        script.add(v -> v.show(timeline, false));
        double[] anchors = {0.5, 0.2, 0.8, 0.63};
        for (int i = 0; i < 24; i++) {
            double a = anchors[i % anchors.length];
            script.add(v -> v.zoom(1.6, a));
        }
        for (int i = 0; i < 30; i++) {
            script.add(v -> v.pan(0.125));
        }
        for (int i = 0; i < 20; i++) {
            script.add(v -> v.pan(-0.3));
        }
        for (int i = 0; i < 24; i++) {
            script.add(v -> v.zoom(1 / 1.6, 0.5));
        }
        script.add(v -> v.laneGroupingProperty().set(LaneGrouping.CHANNEL_PARTITION));
        for (int i = 0; i < 6; i++) {
            script.add(v -> v.zoom(2, 0.4));
        }
        script.add(v -> v.laneGroupingProperty().set(LaneGrouping.KEY));
        script.add(v -> v.fit());
        script.add(v -> v.laneGroupingProperty().set(LaneGrouping.CHANNEL));
        script.add(v -> v.selectRelative(-Integer.MAX_VALUE / 2));
        script.add(v -> v.selectAnomaly(true));
        script.add(v -> v.selectAnomaly(true));
        script.add(v -> v.selectAnomaly(true));
        script.add(v -> v.fit());

        int markersMax = 0;
        int clustersMax = 0;
        for (Consumer<TimelineViewModel> step : script) {
            CountDownLatch laidOut = new CountDownLatch(1);
            TimelineLayout before = onFx(() -> vm.windowLayoutProperty().get());
            onFx(() -> {
                javafx.beans.value.ChangeListener<TimelineLayout> l = new javafx.beans.value.ChangeListener<>() {
                    @Override
                    public void changed(javafx.beans.value.ObservableValue<? extends TimelineLayout> o, TimelineLayout was, TimelineLayout now) {
                        o.removeListener(this);
                        laidOut.countDown();
                    }
                };
                vm.windowLayoutProperty().addListener(l);
                step.accept(vm);
                return null;
            });
            if (!laidOut.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no layout after a step");
            }
            long[] frame = onFx(() -> {
                var canvas = ((TimelineView) scene.getRoot()).canvas();
                long paint = canvas.lastPaintNanos(); // the paint ran on the FX thread when the layout arrived
                long paintCpu = canvas.lastPaintCpuNanos();
                long t0 = System.nanoTime();
                long c0 = THREADS.getCurrentThreadCpuTime() + renderCpu();
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                scene.snapshot(null); // renders the whole view offscreen, synchronously
                return new long[] {paint, System.nanoTime() - t0, paintCpu, THREADS.getCurrentThreadCpuTime() + renderCpu() - c0};
            });
            frames.add(frame[0]);
            renders.add(frame[1]);
            frameCpu.add(frame[2]);
            renderCpu.add(frame[3]);
            TimelineLayout l = onFx(() -> vm.windowLayoutProperty().get());
            markersMax = Math.max(markersMax, l.markers().size());
            clustersMax = Math.max(clustersMax, l.clusters().size());
            if (before == l) {
                throw new IllegalStateException("the layout did not change");
            }
        }

        // the background layout alone, on the same windows
        TimelineLayouter layouter = new TimelineLayouter(TimelineLayouter.Metrics.defaults(), services.deadLetterChannel());
        long p0 = System.nanoTime();
        PreparedTimeline p = layouter.prepare(timeline, LaneGrouping.CHANNEL);
        long prepare = System.nanoTime() - p0;
        TimeWarp warp = p.warp(TimeWarp.DEFAULT_FACTOR, Set.of());
        long worstLayout = 0;
        double span = warp.virtualSpan();
        for (int round = 0; round < 3; round++) {
            for (double s = span; s > 2; s /= 1.6) {
                for (double at = 0; at + s <= span; at += Math.max(s, span / 16)) {
                    long t0 = THREADS.getCurrentThreadCpuTime();
                    layouter.layout(p, warp, 1480, at, at + s);
                    if (round > 0) {
                        worstLayout = Math.max(worstLayout, THREADS.getCurrentThreadCpuTime() - t0);
                    }
                }
            }
        }
        // the same offscreen render of an empty scene of the same size, for scale
        Scene empty = onFx(() -> new Scene(new javafx.scene.layout.Pane(), 1480, 700));
        List<Long> baseline = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            baseline.add(onFx(() -> {
                long t0 = System.nanoTime();
                empty.snapshot(null);
                return System.nanoTime() - t0;
            }));
        }
        System.out.printf(Locale.ROOT, "Timeline of %,d events, %d steps (open, zoom, pan, regroup, jump, fit), 1480x700 offscreen, %d cores, load %.1f:%n",
                timeline.entries().size(), frames.size(), Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("  FX thread paint per frame:      " + stats(frames) + " wall; " + stats(frameCpu) + " CPU");
        System.out.println("  whole view rendered offscreen:  " + stats(renders) + " wall; " + stats(renderCpu)
                + " CPU of the FX and render threads (Scene.snapshot with CSS and layout, software rendering;"
                + " in the app the render thread renders while the FX thread goes on)");
        if (Boolean.getBoolean("bench.timelineSteps")) {
            for (int i = 0; i < frames.size(); i++) {
                System.out.printf(Locale.ROOT, "    step %3d: paint %.2f ms CPU, render %.1f ms CPU%n", i, ms(frameCpu.get(i)), ms(renderCpu.get(i)));
            }
        }
        System.out.println("  an empty scene rendered the same: " + stats(baseline) + " wall");
        System.out.printf(Locale.ROOT, "  background layout of a window: worst %.2f ms CPU (warm); lanes prepared once in %.1f ms%n",
                ms(worstLayout), ms(prepare));
        long worst = frameCpu.stream().mapToLong(Long::longValue).max().orElse(0);
        System.out.printf(Locale.ROOT, "  most markers in a window %d, most count badges %d; worst FX-thread paint %.1f ms CPU: %s%n",
                markersMax, clustersMax, ms(worst), worst <= 50_000_000L ? "no frame over 50 ms" : "FRAMES OVER 50 ms");
        onFx(() -> {
            executor.close();
            return null;
        });
        Platform.exit();
    }

    /** CPU nanoseconds the JavaFX render thread (QuantumRenderer) has used so far; 0 when it is not found. */
    private static long renderCpu() {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("QuantumRenderer")) {
                long c = THREADS.getThreadCpuTime(t.threadId());
                sum += Math.max(0, c);
            }
        }
        return sum;
    }

    /** "worst W ms, p95 P ms, median M ms" of these nanoseconds. */
    private static String stats(List<Long> nanos) {
        long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return String.format(Locale.ROOT, "worst %.1f ms, p95 %.1f ms, median %.2f ms", ms(s[s.length - 1]),
                ms(s[(int) Math.min(s.length - 1, Math.round(s.length * 0.95))]), ms(s[s.length / 2]));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(60, TimeUnit.SECONDS);
    }
}
