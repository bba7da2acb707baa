package io.eventlens.app.bench;

import io.eventlens.core.testkit.InProcessKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole-process benchmark behind {@code ./dev bench} (README "Speed"). Not a test: it asserts
 * nothing about time; it measures and prints.
 *
 * <p>This process hosts one in-process Kafka broker (KRaft) and produces N (default 1,000,000)
 * records of about 200 bytes with three headers ({@code correlationId}, {@code eventType},
 * {@code ce_id}) over three partitions of one topic, 4 records per correlation ID, each
 * declaring its production time as its event time. Then,
 * in each of R rounds (default 5), in an order that rotates every round, it runs as separate
 * processes and times with {@code /usr/bin/time} (wall seconds, peak RSS):
 * <ol>
 *   <li>{@link PlainPollLoop}: a plain Java assign-and-poll loop that reads all N and does nothing
 *       with them (the limit of any Java capture path);</li>
 *   <li>{@code kcat -C -J -e} writing every record as JSON to a file (the tool a user would reach
 *       for; skipped, and said so, when kcat is not installed);</li>
 *   <li>{@code java -jar eventlens.jar capture --max-events N} into a fresh capture store, exactly
 *       as users run it (no heap flag; {@code -Xlog:gc} only records pause times to a file), after
 *       one untimed full-size capture per jar that trains its ahead-of-time cache, as a user's
 *       first run after an install does;</li>
 *   <li>the packaged app's {@code bin/eventlens capture} the same way, when {@code bench.packaged}
 *       names a built app-image ({@code -Xlog:gc} through {@code JAVA_TOOL_OPTIONS}, the only way
 *       its user gives JVM options).</li>
 * </ol>
 * It prints each run, then the medians and the ratios capture/plain and capture/kcat, peak RSS and
 * the share of the capture's wall time spent in GC pauses. Then it times, as processes,
 * {@code --help}, {@code timeline} on a 5-event capture and {@code timeline} on the N-event capture
 * (median of R runs each) and prints their ratios. Finally the desktop app under a display (an Xvfb
 * of its own when {@code DISPLAY} is unset): opening each capture until the *Flows* panel lists its
 * flows, and a live capture of the N records at full rate with the FX thread's pulse gaps
 * ({@link #appBench}).
 *
 * <p>System properties: {@code bench.records} (N), {@code bench.runs} (R), {@code bench.jar} (path
 * of eventlens.jar; default {@code target/eventlens.jar}); for trying settings,
 * {@code bench.captureJvm} (extra JVM options of the capture process, space-separated) and
 * {@code bench.captureOnly=true} (time only the capture); {@code bench.compareJar} (a second jar whose capture
 * runs in the same rotation, for before/after ratios in one run), {@code bench.timeline=false} (stop after the
 * capture figures); {@code bench.serve=true} (only host the broker with the records until stopped, for
 * profiling a capture by hand); {@code bench.app=false} skips the desktop app,
 * {@code bench.import=false} skips the artifact import ({@link #importBench}),
 * {@code bench.appOnly=true} runs one capture (for the file) and then only the desktop app,
 * {@code bench.packaged} (the packaged app-image folder, {@code packaging/target/image/eventlens}; its capture
 * is skipped, and said so, when it has no {@code bin/eventlens}),
 * {@code bench.appJvm} (extra JVM options of the desktop app's processes), {@code bench.appLogs=DIR}
 * (keeps each app run's stdout and stderr there), {@code bench.lagging=true} (every record's event time is
 * the run's start, as the first benchmarks had it: later records are observed seconds after their
 * event time and most flows are LAG, the analysis's and summaries' worst case).
 */
public final class WholeProcessBench {

    private static final String TOPIC = "bench-orders";
    private static final String TINY_TOPIC = "bench-tiny";
    private static final int PARTITIONS = 3;
    private static final Pattern GC_PAUSE = Pattern.compile("Pause .*? (\\d+(?:\\.\\d+)?)ms$");

    private WholeProcessBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.getInteger("bench.records", 1_000_000);
        int runs = Math.max(1, Integer.getInteger("bench.runs", 5));
        Path jar = Path.of(System.getProperty("bench.jar", "target/eventlens.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./dev build)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String kcat = which("kcat");
        Path dir = Files.createTempDirectory("eventlens-bench");
        System.out.printf(Locale.ROOT, "EventLens whole-process benchmark: %,d records x ~200 B, %d partitions,"
                + " %d rounds, %d CPUs, %s, event times %s%n", records, PARTITIONS, runs,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Boolean.getBoolean("bench.lagging") ? "all at the run's start (bench.lagging: most flows LAG)"
                        : "at production (healthy flows)");
        try (InProcessKafka kafka = new InProcessKafka()) {
            kafka.start();
            kafka.createTopic(TOPIC, PARTITIONS);
            kafka.createTopic(TINY_TOPIC, 1);
            String bootstrap = kafka.bootstrapServers();
            long t = System.nanoTime();
            produce(bootstrap, TOPIC, records);
            produce(bootstrap, TINY_TOPIC, 5);
            System.out.printf(Locale.ROOT, "produced in %.1f s%n%n", (System.nanoTime() - t) / 1e9);
            if (Boolean.getBoolean("bench.serve")) {
                // only the broker with the records, until this process is stopped: for profiling one
                // capture by hand (java -XX:StartFlightRecording=... -jar eventlens.jar capture ...)
                System.out.printf(Locale.ROOT, "serving: --kafka %s --topic %s (%,d records); stop this process to end%n",
                        bootstrap, TOPIC, records);
                System.out.flush();
                new java.util.concurrent.CountDownLatch(1).await();
            }

            Map<String, List<Run>> byTool = new LinkedHashMap<>();
            boolean appOnly = Boolean.getBoolean("bench.appOnly");
            boolean captureOnly = appOnly || Boolean.getBoolean("bench.captureOnly");
            if (!captureOnly) {
                byTool.put("plain poll loop", new ArrayList<>());
            }
            if (captureOnly) {
                // only the capture: for trying its settings (bench.captureJvm)
            } else if (kcat != null) {
                byTool.put("kcat -J", new ArrayList<>());
            } else {
                System.out.println("kcat is not installed: its column is skipped (apt-get install kcat)");
            }
            byTool.put("eventlens capture", new ArrayList<>());
            Path packaged = captureOnly ? null : packagedLauncher();
            if (packaged != null) {
                byTool.put("packaged capture", new ArrayList<>());
            }
            String compareJar = System.getProperty("bench.compareJar", "").trim();
            if (!compareJar.isEmpty()) {
                byTool.put("compare capture", new ArrayList<>());
            }
            List<String> tools = new ArrayList<>(byTool.keySet());
            // one capture of the whole topic per jar first, not counted in the rounds: the first run
            // of a new jar writes its class-sharing archive or, on Java 25+, trains its ahead-of-time
            // cache (docs/decisions/0010-bounded-memory-launch.md), once per install; the rounds
            // measure what every later run gets. A short training run (a command that ran under 3 s,
            // as it reports; builds before that rule: under 10 s of wall time) gives only a
            // provisional cache that the next run trains again, so the first run is the full-size
            // capture, whose time is shown on its own (what a user's first capture after an install
            // or upgrade costs)
            List<List<String>> launchers = new ArrayList<>(List.of(List.of(java, "-jar", jar.toString())));
            if (!compareJar.isEmpty()) {
                launchers.add(List.of(java, "-jar", Path.of(compareJar).toAbsolutePath().toString()));
            }
            if (packaged != null) {
                launchers.add(List.of(packaged.toString()));
            }
            for (List<String> launcher : launchers) {
                String j = launcher.getLast();
                Path warm = dir.resolve("first-run.mv.db");
                // a build whose first run was judged short (a compare build of the wall-time rule,
                // on a fast machine) leaves a provisional cache: the next run trains again, so that
                // run is not counted either
                for (int attempt = 1; attempt <= 2; attempt++) {
                    long before = System.currentTimeMillis();
                    List<String> cmd = new ArrayList<>(launcher);
                    cmd.addAll(List.of("capture", "--kafka", bootstrap, "--topic", TOPIC,
                            "--from", "earliest", "--max-events", String.valueOf(records), "--out", warm.toString()));
                    Run first = timed(dir, cmd, null);
                    Files.deleteIfExists(warm);
                    boolean provisional = provisionalCacheSince(before);
                    System.out.printf(Locale.ROOT, "%s run of %s (trains its cache if it has none; not in the rounds): %.2f s, %,d KB RSS, %.2f s CPU%s%n",
                            attempt == 1 ? "first" : "second", Path.of(j).getFileName(), first.wallS, first.rssKb, first.cpuS,
                            provisional ? " (judged short: a provisional cache, which the next run trains again)" : "");
                    if (!provisional) {
                        break;
                    }
                }
            }
            Path bigCapture = null;
            for (int round = 1; round <= (appOnly ? 1 : runs); round++) {
                for (int i = 0; i < tools.size(); i++) {
                    String tool = tools.get((i + round - 1) % tools.size());
                    Run r = switch (tool) {
                        case "plain poll loop" -> timed(dir, List.of(java, "-cp", System.getProperty("java.class.path"),
                                PlainPollLoop.class.getName(), bootstrap, TOPIC, String.valueOf(records)), null);
                        case "kcat -J" -> timed(dir, List.of(kcat, "-C", "-b", bootstrap, "-t", TOPIC, "-o", "beginning",
                                "-e", "-q", "-J"), dir.resolve("kcat.json"));
                        case "packaged capture" -> {
                            Path out = dir.resolve("packaged-" + round + ".mv.db");
                            Path gcDir = Files.createDirectories(dir.resolve("gc-packaged-" + round));
                            Run c = timed(dir, List.of(packaged.toString(), "capture",
                                    "--kafka", bootstrap, "--topic", TOPIC, "--from", "earliest",
                                    "--max-events", String.valueOf(records), "--out", out.toString()), null,
                                    Map.of("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcDir.resolve("gc-%p.log")));
                            double gcMs = 0;
                            try (var logs = Files.newDirectoryStream(gcDir)) {
                                for (Path log : logs) {
                                    gcMs += gcPauseMs(log);   // the launcher's JVM and its child, each its own file
                                }
                            }
                            Files.deleteIfExists(out);
                            yield c.withGcMs(gcMs);
                        }
                        case "compare capture" -> {
                            Path out = dir.resolve("compare-" + round + ".mv.db");
                            Path gc = dir.resolve("gc-compare-" + round + ".log");
                            List<String> cmd = new ArrayList<>(List.of(java, "-Xlog:gc:file=" + gc, "-jar",
                                    Path.of(compareJar).toAbsolutePath().toString(), "capture",
                                    "--kafka", bootstrap, "--topic", TOPIC, "--from", "earliest",
                                    "--max-events", String.valueOf(records), "--out", out.toString()));
                            Run c = timed(dir, cmd, null).withGcMs(gcPauseMs(gc));
                            Files.deleteIfExists(out);
                            yield c;
                        }
                        default -> {
                            Path out = dir.resolve("capture-" + round + ".mv.db");
                            Path gc = dir.resolve("gc-" + round + ".log");
                            List<String> cmd = new ArrayList<>(List.of(java, "-Xlog:gc:file=" + gc));
                            String extra = System.getProperty("bench.captureJvm", "").trim();
                            if (!extra.isEmpty()) {
                                cmd.addAll(List.of(extra.split("\\s+")));
                            }
                            cmd.addAll(List.of("-jar", jar.toString(), "capture",
                                    "--kafka", bootstrap, "--topic", TOPIC, "--from", "earliest",
                                    "--max-events", String.valueOf(records), "--out", out.toString()));
                            Run c = timed(dir, cmd, null);
                            c = c.withGcMs(gcPauseMs(gc));
                            if (bigCapture != null) {
                                Files.deleteIfExists(bigCapture);
                            }
                            bigCapture = out;
                            yield c;
                        }
                    };
                    byTool.get(tool).add(r);
                    System.out.printf(Locale.ROOT, "round %d  %-18s %7.2f s  %,9d KB RSS  %6.2f s CPU%s%n", round, tool, r.wallS,
                            r.rssKb, r.cpuS, r.gcMs < 0 ? "" : String.format(Locale.ROOT, "  GC pauses %.0f ms", r.gcMs));
                }
            }
            Run capture = median(byTool.get("eventlens capture"));
            if (captureOnly) {
                System.out.printf(Locale.ROOT, "capture median %.2f s, %,d MB RSS, %.2f s CPU%n", capture.wallS,
                        capture.rssKb / 1024, capture.cpuS);
                if (appOnly) {
                    appBench(dir, java, jar, tinyCapture(dir, java, jar, bootstrap), bigCapture, bootstrap, records, runs);
                }
                return;
            }
            Run plain = median(byTool.get("plain poll loop"));
            System.out.println();
            // the wall-time range beside the median: on a shared machine the rounds spread by 10-30%,
            // so a ratio of medians within that spread is not a difference
            System.out.println("| process | median wall | wall min–max | median peak RSS | CPU (user + system) |");
            System.out.println("|---|---|---|---|---|");
            byTool.forEach((tool, rs) -> {
                Run m = median(rs);
                double min = rs.stream().mapToDouble(Run::wallS).min().orElse(0);
                double max = rs.stream().mapToDouble(Run::wallS).max().orElse(0);
                System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f–%.2f s | %,d MB | %.2f s |%n", tool, m.wallS, min, max,
                        m.rssKb / 1024, m.cpuS);
            });
            System.out.printf(Locale.ROOT, "%ncapture / plain poll loop: %.2fx wall, %.2fx CPU%n", capture.wallS / plain.wallS,
                    capture.cpuS / plain.cpuS);
            if (kcat != null) {
                System.out.printf(Locale.ROOT, "capture / kcat -J:         %.2fx wall%n",
                        capture.wallS / median(byTool.get("kcat -J")).wallS);
            }
            System.out.printf(Locale.ROOT, "capture GC pauses: %.1f%% of wall time (median)%n",
                    medianGcShare(byTool.get("eventlens capture")) * 100);
            if (packaged != null) {
                Run p = median(byTool.get("packaged capture"));
                System.out.printf(Locale.ROOT, "packaged capture (%s) / plain poll loop: %.2fx wall, %.2fx CPU, GC pauses"
                        + " %.1f%%; packaged / java -jar capture: %.2fx wall%n", packaged, p.wallS / plain.wallS,
                        p.cpuS / plain.cpuS, medianGcShare(byTool.get("packaged capture")) * 100, p.wallS / capture.wallS);
            }
            if (!compareJar.isEmpty()) {
                Run other = median(byTool.get("compare capture"));
                System.out.printf(Locale.ROOT, "compare capture (%s) / plain poll loop: %.2fx wall, %.2fx CPU, GC pauses"
                        + " %.1f%%; capture / compare capture: %.2fx wall%n", compareJar, other.wallS / plain.wallS,
                        other.cpuS / plain.cpuS, medianGcShare(byTool.get("compare capture")) * 100, capture.wallS / other.wallS);
            }
            if ("false".equals(System.getProperty("bench.timeline"))) {
                return;
            }

            Path tiny = tinyCapture(dir, java, jar, bootstrap);
            List<Run> help = new ArrayList<>();
            List<Run> tinyTimeline = new ArrayList<>();
            List<Run> bigTimeline = new ArrayList<>();
            for (int round = 0; round < runs; round++) {
                help.add(timed(dir, List.of(java, "-jar", jar.toString(), "--help"), null));
                tinyTimeline.add(timed(dir, List.of(java, "-jar", jar.toString(), "timeline", "--capture",
                        tiny.toString(), "--correlation-id", correlationId(1), "--format", "json"), null));
                bigTimeline.add(timed(dir, List.of(java, "-jar", jar.toString(), "timeline", "--capture",
                        bigCapture.toString(), "--correlation-id", correlationId(records / 8), "--format", "json"), null));
            }
            Run h = median(help);
            Run tt = median(tinyTimeline);
            Run bt = median(bigTimeline);
            System.out.println();
            System.out.printf(Locale.ROOT, "--help %.2f s; timeline on 5 events %.2f s (%.2fx --help); timeline on %,d"
                    + " events %.2f s (%.2fx the 5-event timeline), %,d MB RSS%n", h.wallS, tt.wallS, tt.wallS / h.wallS,
                    records, bt.wallS, bt.wallS / tt.wallS, bt.rssKb / 1024);
            if (!"false".equals(System.getProperty("bench.import"))) {
                importBench(dir, java, jar, records, runs);
            }
            if (!"false".equals(System.getProperty("bench.app"))) {
                appBench(dir, java, jar, tiny, bigCapture, bootstrap, records, runs);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * The desktop app, whole-process, under a display ({@code DISPLAY}, else an Xvfb of its own; skipped
     * and said so without either), through {@code UiProbe} ({@code -Deventlens.uiProbe}): R times each,
     * opening the 5-event and the N-event capture (time from process start until the *Flows* panel
     * lists its flows, peak RSS), then a live capture of the N records from the earliest offset at full
     * rate (pulse gaps of the FX thread while it runs: p50, p99, max; peak RSS).
     */
    private static void appBench(Path dir, String java, Path jar, Path tiny, Path big, String bootstrap, int records,
                                 int runs) throws IOException, InterruptedException {
        System.out.println();
        Process xvfb = null;
        String display = System.getenv("DISPLAY");
        if (display == null || display.isBlank()) {
            String x = which("Xvfb");
            if (x == null) {
                System.out.println("desktop app: skipped (no DISPLAY and no Xvfb; apt-get install xvfb libgtk-3-0)");
                return;
            }
            display = ":" + (90 + (int) (ProcessHandle.current().pid() % 9));
            xvfb = new ProcessBuilder(x, display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("xvfb.log").toFile()).start();
            Path socket = Path.of("/tmp/.X11-unix/X" + display.substring(1));
            org.awaitility.Awaitility.await("Xvfb " + display).atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(socket));   // the X server accepts clients once its socket is there
        }
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> env = Map.of("DISPLAY", display, "HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString(), "XDG_DATA_HOME", home.resolve("data").toString());
        try {
            List<Map<String, Object>> tinyOpen = new ArrayList<>();
            List<Map<String, Object>> bigOpen = new ArrayList<>();
            List<Map<String, Object>> live = new ArrayList<>();
            for (int round = 0; round < runs; round++) {
                tinyOpen.add(probe(dir, java, jar, env, List.of(), tiny));
                bigOpen.add(probe(dir, java, jar, env, List.of(), big));
            }
            Map<String, Object> idle = probe(dir, java, jar, env, List.of("-Deventlens.uiProbe.seconds=15"), null);
            for (int round = 0; round < Math.min(runs, 3); round++) {
                live.add(probe(dir, java, jar, env, List.of("-Deventlens.uiProbe.kafka=" + bootstrap,
                        "-Deventlens.uiProbe.topic=" + TOPIC, "-Deventlens.uiProbe.events=" + records,
                        "-Deventlens.uiProbe.seconds=300"), null));
            }
            double tinyMs = medianOf(tinyOpen, "flowsListedMs");
            double bigMs = medianOf(bigOpen, "flowsListedMs");
            System.out.printf(Locale.ROOT, "desktop app, open to a listed Flows panel: 5 events %.0f ms, %,d events"
                    + " %.0f ms (%.2fx), peak RSS %,.0f MB / %,.0f MB; first frame %.0f ms%n", tinyMs, records, bigMs,
                    bigMs / tinyMs, medianOf(tinyOpen, "peakRssKb") / 1024, medianOf(bigOpen, "peakRssKb") / 1024,
                    medianOf(tinyOpen, "firstFrameMs"));
            System.out.printf(Locale.ROOT, "desktop app, idle window for 15 s (the machine's baseline): %s pulses,"
                    + " pulse gap p50 %s ms, p99 %s ms, max %s ms%n", idle.get("pulses"), idle.get("pulseGapP50Ms"),
                    idle.get("pulseGapP99Ms"), idle.get("pulseGapMaxMs"));
            for (Map<String, Object> r : live) {
                System.out.printf(Locale.ROOT, "desktop app, live capture of %,d events (reached: %s, %s stored):"
                        + " %s pulses, pulse gap p50 %s ms, p99 %s ms, max %s ms, peak RSS %,.0f MB%n", records,
                        r.get("reached"), r.get("capturedEvents"), r.get("pulses"), r.get("pulseGapP50Ms"),
                        r.get("pulseGapP99Ms"), r.get("pulseGapMaxMs"), ((Number) r.get("peakRssKb")).doubleValue() / 1024);
            }
            System.out.printf(Locale.ROOT, "desktop app, live capture: median p99 pulse gap %.1f ms, median peak RSS %,.0f MB%n",
                    medianOf(live, "pulseGapP99Ms"), medianOf(live, "peakRssKb") / 1024);
        } finally {
            if (xvfb != null) {
                xvfb.destroy();
            }
        }
    }

    /**
     * Artifact import (issue 8: at least 0.5x the speed of {@code jq -c .} on the same file, at most
     * 512 MiB RSS): writes N probe events as NDJSON ({@code {id, type, correlationId, createdAt,
     * payload}}, about 200 bytes each, 4 per correlation ID), then R times each, alternating,
     * {@code jq -c . FILE} (output discarded; skipped and said so when jq is missing) and
     * {@code eventlens import FILE --out NEW.mv.db} as users run it, and prints the medians and the
     * ratio of speeds.
     */
    private static void importBench(Path dir, String java, Path jar, int records, int runs)
            throws IOException, InterruptedException {
        Path ndjson = dir.resolve("probe-events.ndjson");
        Instant t0 = Instant.parse("2026-11-29T10:00:00Z");
        try (var out = new java.io.BufferedWriter(Files.newBufferedWriter(ndjson), 1 << 20)) {
            for (int i = 0; i < records; i++) {
                out.write("{\"id\":\"e-" + i + "\",\"type\":\"Step" + (i % 4) + "\",\"correlationId\":\""
                        + correlationId(i / 4) + "\",\"createdAt\":\"" + t0.plusMillis(i) + "\",\"payload\":{\"sequence\":"
                        + (i % 4 + 1) + ",\"amountCents\":" + (i % 10_000) + ",\"note\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}\n");
            }
        }
        String jq = which("jq");
        List<Run> jqRuns = new ArrayList<>();
        List<Run> importRuns = new ArrayList<>();
        for (int round = 0; round < runs; round++) {
            if (jq != null) {
                jqRuns.add(timed(dir, List.of(jq, "-c", ".", ndjson.toString()), Path.of("/dev/null")));
            }
            Path out = dir.resolve("import-" + round + ".mv.db");
            importRuns.add(timed(dir, List.of(java, "-jar", jar.toString(), "import", ndjson.toString(),
                    "--out", out.toString()), null));
            Files.deleteIfExists(out);
        }
        Run im = median(importRuns);
        System.out.println();
        if (jq == null) {
            System.out.printf(Locale.ROOT, "import of %,d probe events (%,d MB NDJSON): %.2f s, %,d MB RSS; jq is not"
                    + " installed, its column is skipped (apt-get install jq)%n", records, Files.size(ndjson) >> 20,
                    im.wallS, im.rssKb / 1024);
            return;
        }
        Run j = median(jqRuns);
        System.out.printf(Locale.ROOT, "import of %,d probe events (%,d MB NDJSON): %.2f s, %,d MB RSS; jq -c . %.2f s;"
                + " import runs at %.2fx jq's speed%n", records, Files.size(ndjson) >> 20, im.wallS, im.rssKb / 1024,
                j.wallS, j.wallS / im.wallS);
    }

    /**
     * The packaged app's launcher, {@code bin/eventlens} in the app-image folder that {@code bench.packaged}
     * names, or null (said so) when that property is not set or the image is not built.
     */
    private static Path packagedLauncher() {
        String image = System.getProperty("bench.packaged", "").trim();
        if (image.isEmpty()) {
            return null;
        }
        Path launcher = Path.of(image, "bin", "eventlens").toAbsolutePath();
        if (!Files.isExecutable(launcher)) {
            System.out.println("packaged app: not built at " + image + " (./dev build): its capture is skipped");
            return null;
        }
        return launcher;
    }

    /**
     * Whether a {@code capture} run that started at {@code sinceMs} (epoch ms) left a provisional
     * ahead-of-time cache in the user's cache folder, the one the launched JVMs use
     * ({@code <cache>/cds/eventlens-capture-*.provisional}, docs/decisions/0010-bounded-memory-launch.md).
     */
    private static boolean provisionalCacheSince(long sinceMs) throws IOException {
        Path cds = io.eventlens.app.ui.services.UserFolders.userCache().resolve("cds");
        if (!Files.isDirectory(cds)) {
            return false;
        }
        try (var markers = Files.newDirectoryStream(cds, "eventlens-capture-*.provisional")) {
            for (Path m : markers) {
                if (Files.getLastModifiedTime(m).toMillis() >= sinceMs) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Captures the 5-event topic into a fresh store and returns its path. */
    private static Path tinyCapture(Path dir, String java, Path jar, String bootstrap) throws IOException, InterruptedException {
        Path tiny = dir.resolve("tiny.mv.db");
        timed(dir, List.of(java, "-jar", jar.toString(), "capture", "--kafka", bootstrap, "--topic", TINY_TOPIC,
                "--from", "earliest", "--max-events", "5", "--out", tiny.toString()), null);
        return tiny;
    }

    /** Runs the app once with the UI probe and returns what it wrote. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> probe(Path dir, String java, Path jar, Map<String, String> env,
                                             List<String> props, Path capture) throws IOException, InterruptedException {
        Path result = dir.resolve("probe.json");
        Files.deleteIfExists(result);
        List<String> cmd = new ArrayList<>(List.of(java, "-Deventlens.uiProbe=" + result));
        String extra = System.getProperty("bench.appJvm", "").trim();
        if (!extra.isEmpty()) {
            cmd.addAll(List.of(extra.split("\\s+")));
        }
        cmd.addAll(props);
        cmd.addAll(List.of("-jar", jar.toString()));
        if (capture != null) {
            cmd.add(capture.toString());
        }
        Run run = timed(dir, cmd, null, env);
        String logs = System.getProperty("bench.appLogs");
        if (logs != null) {   // keep the app's output (e.g. with -Djavafx.pulseLogger=true in bench.appJvm)
            Path keep = Files.createDirectories(Path.of(logs));
            String name = (capture == null ? (props.isEmpty() ? "idle" : "live") : capture.getFileName().toString())
                    + "-" + System.nanoTime();
            Files.copy(dir.resolve("stdout.txt"), keep.resolve(name + ".out"));
            Files.copy(dir.resolve("stderr.txt"), keep.resolve(name + ".err"));
        }
        if (!Files.isRegularFile(result)) {
            throw new IllegalStateException("the app wrote no probe results: " + String.join(" ", cmd) + "\n"
                    + Files.readString(dir.resolve("stderr.txt")));
        }
        Map<String, Object> r = new com.fasterxml.jackson.databind.ObjectMapper().readValue(result.toFile(), Map.class);
        r.put("wallS", run.wallS);
        return r;
    }

    private static double medianOf(List<Map<String, Object>> runs, String key) {
        double[] v = runs.stream().map(r -> r.get(key)).filter(Number.class::isInstance)
                .mapToDouble(o -> ((Number) o).doubleValue()).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** One timed process: wall seconds, peak RSS, CPU seconds (user + system), GC pause ms (-1: not logged). */
    private record Run(double wallS, long rssKb, double cpuS, double gcMs) {
        Run withGcMs(double ms) {
            return new Run(wallS, rssKb, cpuS, ms);
        }
    }

    /** The median over {@code runs} of the share of each run's wall time spent in GC pauses (0..1). */
    private static double medianGcShare(List<Run> runs) {
        return runs.stream().mapToDouble(r -> r.gcMs / 1000 / r.wallS).sorted().toArray()[runs.size() / 2];
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparingDouble(Run::wallS));
        Run mid = sorted.get(sorted.size() / 2);
        long[] rss = runs.stream().mapToLong(Run::rssKb).sorted().toArray();
        return new Run(mid.wallS, rss[rss.length / 2], mid.cpuS, mid.gcMs);
    }

    private static Run timed(Path dir, List<String> command, Path stdoutTo) throws IOException, InterruptedException {
        return timed(dir, command, stdoutTo, Map.of());
    }

    private static Run timed(Path dir, List<String> command, Path stdoutTo, Map<String, String> env)
            throws IOException, InterruptedException {
        Path timeFile = dir.resolve("time.txt");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-o", timeFile.toString(), "-f", "%e %M %U %S"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        pb.redirectOutput(stdoutTo != null ? stdoutTo.toFile() : dir.resolve("stdout.txt").toFile());
        Process p = pb.start();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + command);
        }
        String[] parts = Files.readString(timeFile).trim().lines().reduce((a, b) -> b).orElse("").split(" ");
        if (p.exitValue() != 0 || parts.length != 4) {
            throw new IllegalStateException("exit " + p.exitValue() + " from " + String.join(" ", command) + ":\n"
                    + Files.readString(dir.resolve("stderr.txt")));
        }
        return new Run(Double.parseDouble(parts[0]), Long.parseLong(parts[1]),
                Double.parseDouble(parts[2]) + Double.parseDouble(parts[3]), -1);
    }

    /** Sum of the pause times (ms) in a {@code -Xlog:gc} file. */
    private static double gcPauseMs(Path gcLog) throws IOException {
        double sum = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_PAUSE.matcher(line.trim());
            if (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
        }
        return sum;
    }

    private static void produce(String bootstrap, String topic, int records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        String start = Instant.now().toString();
        boolean lagging = Boolean.getBoolean("bench.lagging");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < records; i++) {
                // the event time of each record is when it was produced (a healthy system); with
                // bench.lagging=true every record declares the run's start, so later records are
                // observed seconds after their event time and most flows are LAG
                String now = lagging ? start : Instant.now().toString();
                String corr = correlationId(i / 4);
                String type = switch (i % 4) {
                    case 0 -> "OrderPlaced";
                    case 1 -> "PaymentCaptured";
                    case 2 -> "StockReserved";
                    default -> "OrderConfirmed";
                };
                String json = "{\"eventId\":\"e-" + i + "\",\"correlationId\":\"" + corr + "\",\"eventType\":\"" + type
                        + "\",\"sequence\":" + (i % 4 + 1) + ",\"timestamp\":\"" + now + "\",\"data\":{\"amountCents\":"
                        + (i % 10_000) + ",\"note\":\"";
                StringBuilder sb = new StringBuilder(json);
                while (sb.length() < 196) {
                    sb.append('x');
                }
                sb.append("\"}}");
                var rec = new ProducerRecord<>(topic, null, corr.getBytes(StandardCharsets.UTF_8),
                        sb.toString().getBytes(StandardCharsets.UTF_8),
                        List.of(new RecordHeader("correlationId", corr.getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("eventType", type.getBytes(StandardCharsets.UTF_8)),
                                new RecordHeader("ce_id", ("e-" + i).getBytes(StandardCharsets.UTF_8))));
                producer.send(rec);
            }
            producer.flush();
        }
    }

    private static String correlationId(int n) {
        return "bench-" + n;
    }

    private static String which(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
