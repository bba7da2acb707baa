package io.eventlens.app.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.eventlens.core.flows.FlowCategory;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.StartPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-process measurements of the running desktop app for {@code ./dev bench} (README "Speed"),
 * switched on only by the system property {@code eventlens.uiProbe=FILE}; otherwise never created.
 * It measures, from the process's start:
 * <ul>
 *   <li>{@code firstFrameMs}: the first frame rendered after the window was shown;</li>
 *   <li>{@code flowsListedMs} (when a capture file was opened): the *Flows* panel holds its counts
 *       and its first page of flows that went wrong (or knows there are none): a usable window;</li>
 *   <li>pulse gaps: the time between consecutive frames (an {@link AnimationTimer} keeps JavaFX
 *       pulsing at its frame rate, about 16.7 ms; a longer gap is time the FX thread was busy):
 *       count, p50, p99 and max in ms, over the measured window;</li>
 *   <li>{@code peakRssKb}: the process's peak resident set ({@code VmHWM} of /proc/self/status, Linux).</li>
 * </ul>
 * With {@code eventlens.uiProbe.kafka=BOOTSTRAP} and {@code eventlens.uiProbe.topic=NAME}, it starts a
 * live capture of that topic from the earliest offset as soon as the window shows, measures pulse gaps
 * while it runs, and ends when {@code eventlens.uiProbe.events} events (default 1,000,000) are stored
 * or after {@code eventlens.uiProbe.seconds} (default 120). Without them, on a capture file, it ends
 * once the flows are listed (or after that many seconds); with neither, it measures the idle window's
 * pulse gaps for that many seconds (a baseline of the machine). It then writes one JSON object to
 * FILE and exits the app.
 */
final class UiProbe {

    private static final Logger LOG = LoggerFactory.getLogger(UiProbe.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path out;
    private final MainViewModel vm;
    private final long startNanos;
    private final long processStartMs;
    private final String kafka;
    private final String topic;
    private final long events;
    private final long deadlineNanos;
    private final Map<String, Object> result = new LinkedHashMap<>();
    private long[] gaps = new long[1 << 16];
    private int gapCount;
    private boolean measuring;
    private boolean done;

    private UiProbe(Path out, MainViewModel vm) {
        this.out = out;
        this.vm = vm;
        this.startNanos = System.nanoTime();
        this.processStartMs = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
        this.kafka = System.getProperty("eventlens.uiProbe.kafka");
        this.topic = System.getProperty("eventlens.uiProbe.topic");
        this.events = Long.getLong("eventlens.uiProbe.events", 1_000_000);
        this.deadlineNanos = startNanos + Duration.ofSeconds(Long.getLong("eventlens.uiProbe.seconds", 120)).toNanos();
    }

    /**
     * Starts the probe when {@code eventlens.uiProbe} names a file; call on the FX thread right after
     * the window is shown.
     */
    static void startIfWanted(MainViewModel vm, boolean openingFile) {
        String file = System.getProperty("eventlens.uiProbe");
        if (file == null || file.isBlank()) {
            return;
        }
        new UiProbe(Path.of(file), vm).start(openingFile);
    }

    private long sinceProcessStartMs() {
        return System.currentTimeMillis() - processStartMs;
    }

    private void start(boolean openingFile) {
        boolean live = kafka != null && topic != null;
        result.put("mode", live ? "live-capture" : openingFile ? "open" : "start");
        new AnimationTimer() {
            private long last;

            @Override
            public void handle(long now) {
                if (last == 0) {
                    result.put("firstFrameMs", sinceProcessStartMs());
                    if (live) {
                        vm.capture().start(KafkaCaptureConfig.builder(kafka).topic(topic)
                                .startPosition(new StartPosition.Earliest()).build());
                    }
                    measuring = live || !openingFile;
                } else if (measuring) {
                    if (gapCount == gaps.length) {
                        gaps = Arrays.copyOf(gaps, gaps.length * 2);
                    }
                    gaps[gapCount++] = now - last;
                }
                last = now;
                if (!live && !result.containsKey("flowsListedMs") && flowsListed()) {
                    result.put("flowsListedMs", sinceProcessStartMs());
                    result.put("flowsListed", vm.flows().rows().size());
                }
                boolean finished = live ? vm.capture().capturedEventsProperty().get() >= events
                        : openingFile && result.containsKey("flowsListedMs");
                if (!done && (finished || now >= deadlineNanos)) {
                    done = true;
                    stop();
                    finish(finished || (!live && !openingFile));
                }
            }
        }.start();
    }

    /** The Flows panel has its counts and its first page (or there is nothing that went wrong). */
    private boolean flowsListed() {
        Map<FlowCategory, Long> counts = vm.flows().countsProperty().get();
        if (counts == null || counts.isEmpty()) {
            return false;
        }
        long wrong = 0;
        for (var e : counts.entrySet()) {
            if (e.getKey() != FlowCategory.HEALTHY && e.getKey() != FlowCategory.HEALTHY_WITH_NOTES) {
                wrong += e.getValue();
            }
        }
        return wrong == 0 || !vm.flows().rows().isEmpty();
    }

    private void finish(boolean reached) {
        result.put("reached", reached);
        result.put("capturedEvents", vm.capture().capturedEventsProperty().get());
        long[] g = Arrays.copyOf(gaps, gapCount);
        Arrays.sort(g);
        result.put("pulses", gapCount);
        if (gapCount > 0) {
            result.put("pulseGapP50Ms", g[gapCount / 2] / 1e6);
            result.put("pulseGapP99Ms", g[Math.min(gapCount - 1, (int) Math.ceil(gapCount * 0.99) - 1)] / 1e6);
            result.put("pulseGapMaxMs", g[gapCount - 1] / 1e6);
        }
        result.put("peakRssKb", peakRssKb());
        try {
            Files.writeString(out, JSON.writeValueAsString(result));
        } catch (IOException e) {
            LOG.error("writing the UI probe's results to {} failed", out, e);
        }
        if (vm.capture().capturingProperty().get()) {
            vm.capture().stop();
        }
        Platform.exit();
    }

    /** Peak resident set in KB ({@code VmHWM}), or -1 where /proc is not there. */
    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }
}
