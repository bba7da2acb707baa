package io.eventlens.app.ui.capture;

import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.CaptureRequest;
import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * View model of live capture: starts a Kafka capture (or the demo and a capture of it) into the open
 * capture store off the FX thread, stops it, and exposes live counters. The capture thread only queues
 * (latest stats, the correlation IDs it touched); {@link #drain()} — called a few times a second by the
 * view's pulse — moves them to the FX thread in one step (STYLE.md habit 5).
 */
public final class CaptureViewModel {

    /** At most this many touched correlation IDs are queued between two drains. */
    static final int MAX_TOUCHED = 10_000;

    private final AppServices services;
    private final TaskExecutor executor;
    private final StoreProvider storeProvider;
    private final Consumer<Throwable> errorSink;
    private final Consumer<String> statusSink;

    private final ReadOnlyBooleanWrapper capturing = new ReadOnlyBooleanWrapper(this, "capturing");
    private final ReadOnlyBooleanWrapper starting = new ReadOnlyBooleanWrapper(this, "starting");
    private final ReadOnlyBooleanWrapper demoRunning = new ReadOnlyBooleanWrapper(this, "demoRunning");
    private final javafx.beans.property.ReadOnlyObjectWrapper<java.nio.file.Path> demoContracts =
            new javafx.beans.property.ReadOnlyObjectWrapper<>(this, "demoContracts");
    private final ReadOnlyLongWrapper capturedEvents = new ReadOnlyLongWrapper(this, "capturedEvents");
    private final ReadOnlyDoubleWrapper eventsPerSecond = new ReadOnlyDoubleWrapper(this, "eventsPerSecond");
    private final ReadOnlyStringWrapper source = new ReadOnlyStringWrapper(this, "source", "");
    private final ReadOnlyStringWrapper warning = new ReadOnlyStringWrapper(this, "warning", "");
    /** The capture whose warnings are shown: the running one, else the last one (until the next starts). */
    private AppServices.CaptureRun warningsOf;
    private long warningsReadNanos;

    private final AtomicReference<CaptureStats> latestStats = new AtomicReference<>();
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private volatile boolean newEvents;
    private AppServices.CaptureRun run;
    private CaptureRequest lastRequest;
    private volatile java.util.concurrent.CountDownLatch runDone = new java.util.concurrent.CountDownLatch(0);
    private AppServices.Demo demo;

    /** Gives the store to capture into, creating a new one when none is open; calls back on the FX thread. */
    @FunctionalInterface
    public interface StoreProvider {
        void withStore(Consumer<CaptureStore> then);
    }

    /**
     * A capture view model.
     *
     * @param services      capture factory and demo starter
     * @param executor      runs the capture
     * @param storeProvider the store to capture into
     * @param errorSink     receives failures (naming the endpoint)
     * @param statusSink    receives status lines
     */
    public CaptureViewModel(AppServices services, TaskExecutor executor, StoreProvider storeProvider,
                            Consumer<Throwable> errorSink, Consumer<String> statusSink) {
        this.services = services;
        this.executor = executor;
        this.storeProvider = storeProvider;
        this.errorSink = errorSink;
        this.statusSink = statusSink;
    }

    /** Starts capturing {@code config} into the open store (a new one when none is open). */
    public void start(KafkaCaptureConfig config) {
        start(CaptureRequest.of(config));
    }

    /**
     * Starts capturing every part of {@code request} (Kafka topics, RabbitMQ taps and browses) into
     * the open store (a new one when none is open), as one capture.
     */
    public void start(CaptureRequest request) {
        if (capturing.get() || starting.get()) {
            statusSink.accept("A capture is already running: stop it first.");
            return;
        }
        lastRequest = request;
        starting.set(true);
        storeProvider.withStore(store -> {
            if (store == null) {
                starting.set(false);
                return;
            }
            AppServices.CaptureRun r;
            try {
                r = services.captureFactory().create(request, store);
            } catch (RuntimeException e) {
                starting.set(false);
                errorSink.accept(e);
                return;
            }
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            runDone = done;
            run = r;
            warningsOf = r;
            warning.set("");
            latestStats.set(null);
            capturedEvents.set(0);
            eventsPerSecond.set(0);
            source.set(request.endpoints());
            capturing.set(true);
            starting.set(false);
            statusSink.accept("Capturing " + request.describe() + " into " + store.file().getFileName());
            executor.submit("Capturing from " + request.endpoints(),
                    ctx -> {
                        try {
                            return r.run(listener());
                        } finally {
                            done.countDown();
                        }
                    },
                    stats -> {
                        finished(r, stats);
                        statusSink.accept(String.format(java.util.Locale.ROOT,
                                "Capture stopped: %,d events in %.1f s.", stats.events(), stats.elapsedMs() / 1000.0));
                    },
                    error -> {
                        finished(r, null);
                        errorSink.accept(error);
                    },
                    () -> {
                        // Cancel (status bar) stops the capture like Stop does; the task's other
                        // callbacks are then skipped, so this ends the capture state itself.
                        r.stop();
                        finished(r, null);
                        statusSink.accept("Capture cancelled; what was polled is committed.");
                    });
        });
    }

    private void finished(AppServices.CaptureRun r, CaptureStats stats) {
        if (warningsOf == r) {
            warningsReadNanos = 0;
            refreshWarnings();   // the last word: totals after the end
        }
        if (run == r) {
            run = null;
            capturing.set(false);
            if (stats != null) {
                latestStats.set(stats);
                capturedEvents.set(stats.events());
            }
            eventsPerSecond.set(0);
            newEvents = true; // the next pulse appends the last rows and analyzes the last touched IDs
        }
    }

    private CaptureListener listener() {
        return new CaptureListener() {
            @Override
            public void onBatch(List<CapturedEvent> committed) {
                for (CapturedEvent e : committed) {
                    String id = e.derived().correlationIdValue();
                    if (id != null && touched.size() < MAX_TOUCHED) {
                        touched.add(id);
                    }
                }
                newEvents = true;
            }

            @Override
            public void onProgress(CaptureStats stats) {
                latestStats.set(stats);
                newEvents = true;
            }
        };
    }

    /**
     * Start/Stop: stops a running capture, else restarts the last configuration resuming each
     * partition from the store's stored position, so a stop and restart neither skips nor doubles a record.
     *
     * @return false when there is nothing to restart (the view then opens the Connect dialog)
     */
    public boolean toggle() {
        if (capturing.get()) {
            stop();
            return true;
        }
        if (lastRequest != null) {
            start(lastRequest.resumed());
            return true;
        }
        return false;
    }

    /** Asks the running capture to stop after committing what it has polled. */
    public void stop() {
        AppServices.CaptureRun r = run;
        if (r != null) {
            statusSink.accept("Stopping the capture …");
            r.stop();
        }
    }

    /** The running demo broker's bootstrap servers, or null when no demo runs (the replay dialog's default target). */
    public String demoBootstrapServers() {
        AppServices.Demo d = demo;
        return d == null ? null : d.bootstrapServers();
    }

    /** Starts the demo broker and saga in the background, then captures all its topics from earliest. */
    public void startDemo() {
        if (demo != null) {
            if (!capturing.get()) {
                start(demoConfig(demo));
            }
            return;
        }
        if (capturing.get() || starting.get()) {
            statusSink.accept("A capture is already running: stop it before starting the demo.");
            return;
        }
        starting.set(true);
        statusSink.accept("Starting the demo: embedded Kafka broker and checkout saga …");
        executor.submit("Starting the demo broker",
                ctx -> {
                    AppServices.Demo started = services.demoStarter().start();
                    return new DemoStart(started, started.contracts());
                },
                begun -> {
                    AppServices.Demo d = begun.demo();
                    starting.set(false);
                    demo = d;
                    demoContracts.set(begun.contracts());
                    demoRunning.set(true);
                    start(demoConfig(d));
                },
                error -> {
                    starting.set(false);
                    errorSink.accept(error);
                });
    }

    /** A started demo and the folder of its contracts (written off the FX thread), or null. */
    private record DemoStart(AppServices.Demo demo, java.nio.file.Path contracts) {
    }

    private static KafkaCaptureConfig demoConfig(AppServices.Demo d) {
        return KafkaCaptureConfig.builder(d.bootstrapServers()).topics(d.topics())
                .startPosition(new StartPosition.Earliest()).build();
    }

    /**
     * Moves what the capture thread queued to the FX thread: counters, and the correlation IDs touched
     * since the last drain (returned, for re-analysis). Cheap when nothing happened.
     *
     * @return correlation IDs that got new events; empty when none
     */
    public List<String> drain() {
        if (!newEvents) {
            return List.of();
        }
        newEvents = false;
        CaptureStats stats = latestStats.get();
        if (stats != null) {
            capturedEvents.set(stats.events());
            eventsPerSecond.set(stats.eventsPerSecond());
        }
        List<String> ids = new ArrayList<>(touched);
        touched.removeAll(ids);
        return ids;
    }

    /**
     * Waits until the capture thread has returned (after {@link #stop()}), so the store can be closed
     * with every polled batch committed. True at once when no capture runs.
     */
    public boolean awaitStopped(java.time.Duration timeout) {
        try {
            return runDone.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when {@link #drain()} has something to move. */
    public boolean hasNews() {
        return newEvents;
    }

    /** Stops the capture and the demo. */
    public void dispose() {
        stop();
        if (demo != null) {
            AppServices.Demo d = demo;
            demo = null;
            demoRunning.set(false);
            Thread t = new Thread(d::close, "eventlens-demo-close");
            t.setDaemon(false);
            t.start();
        }
    }

    /** True while a capture runs. */
    public ReadOnlyBooleanProperty capturingProperty() {
        return capturing.getReadOnlyProperty();
    }

    /** True while a capture or the demo is being started. */
    public ReadOnlyBooleanProperty startingProperty() {
        return starting.getReadOnlyProperty();
    }

    /** The folder of the running demo's contracts (set when the demo starts), or null. */
    public javafx.beans.property.ReadOnlyObjectProperty<java.nio.file.Path> demoContractsProperty() {
        return demoContracts.getReadOnlyProperty();
    }

    /** True once the demo runs. */
    public ReadOnlyBooleanProperty demoRunningProperty() {
        return demoRunning.getReadOnlyProperty();
    }

    /** Events stored by the running (or last) capture. */
    public ReadOnlyLongProperty capturedEventsProperty() {
        return capturedEvents.getReadOnlyProperty();
    }

    /** Capture rate in events/s. */
    public ReadOnlyDoubleProperty eventsPerSecondProperty() {
        return eventsPerSecond.getReadOnlyProperty();
    }

    /**
     * The running or last capture's warnings, joined by {@code "; "} (a tap's retention losses, the
     * broker blocking publishers, with the numbers: {@link AppServices.CaptureRun#warnings()}), or "".
     */
    public ReadOnlyStringProperty warningProperty() {
        return warning.getReadOnlyProperty();
    }

    /**
     * Reads the capture's warnings again, at most four times a second (cheap otherwise); on the FX
     * thread, from the main view model's pulse: a blocked broker sends no events, so this does not
     * wait for news.
     */
    public void refreshWarnings() {
        AppServices.CaptureRun r = warningsOf;
        long now = System.nanoTime();
        if (r == null || (warningsReadNanos != 0 && now - warningsReadNanos < 250_000_000L)) {
            return;
        }
        warningsReadNanos = now;
        String text = String.join("; ", r.warnings());
        if (!text.equals(warning.get())) {
            warning.set(text);
        }
    }

    /** The endpoints captured from (bootstrap servers, the AMQP endpoint), or "". */
    public ReadOnlyStringProperty sourceProperty() {
        return source.getReadOnlyProperty();
    }
}
