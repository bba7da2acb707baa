package io.eventlens.app.cli;

import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.capture.SourceException;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.store.CaptureStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens capture}: records Kafka topics into a capture store, for a duration, up to a
 * number of events, or until Ctrl-C (docs/reference/cli-contract.md).
 *
 * <p>Into an existing store it resumes each partition from its stored position unless
 * {@code --from} is given ({@link StartPosition.Resume}). Progress goes to stderr about once a
 * second; stdout stays empty. Ctrl-C stops gracefully: the capture commits what it has polled and
 * closes the store before the JVM exits. An unreachable cluster or an unknown topic ends with exit 3
 * and a message naming the endpoint within the connect timeout (8 s by default).
 */
@Command(name = "capture", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Record Kafka topics into a capture store (an H2 file).",
                "Into an existing store, each partition resumes where the last capture stopped unless --from is given."},
        footer = {"", "Example:",
                "  eventlens capture --kafka localhost:9092 --topic orders --topic payments --from earliest --duration 20s --out run.mv.db"})
public final class CaptureCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.KafkaSource kafka;

    @Option(names = "--topic-pattern", paramLabel = "REGEX",
            description = "Capture every topic whose name matches this regex (instead of --topic).")
    String topicPattern;

    @Mixin
    CommonOptions.From from;

    @Mixin
    CommonOptions.Limits limits;

    @Mixin
    CommonOptions.CaptureOut out;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How long to wait for the cluster before giving up with exit 3. Default: 6s.")
    Duration connectTimeout = Duration.ofSeconds(6);

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "A Kafka client properties file (security.protocol, sasl.*, ssl.*, ...), like"
                    + " kafka-console-consumer's --consumer.config. group.id and offset commits are ignored:"
                    + " EventLens never joins a consumer group.")
    Path kafkaConfig;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    /** Events in the store when a capture failed to connect (-1 until known). */
    private long eventsInStore = -1;

    @Override
    public Integer call() {
        KafkaCaptureConfig config = config();
        Path file = out.file();
        PrintWriter err = spec.commandLine().getErr();
        boolean created = !Files.exists(file);
        try {
            return capture(config, file, err);
        } catch (SourceException e) {
            if (created && eventsInStore == 0) {
                deleteEmptyStore(file);
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!msg.contains(config.bootstrapServers())) {
                msg = msg + " (--kafka " + config.bootstrapServers() + ")";
            }
            throw new InputException(msg, e);
        }
    }

    /**
     * Opens the store, captures, prints the summary and closes the store, all inside the Ctrl-C
     * guard: on SIGINT/SIGTERM the hook stops the capture and the JVM waits until the last batch is
     * committed, the summary printed and the store closed.
     */
    private int capture(KafkaCaptureConfig config, Path file, PrintWriter err) {
        AtomicReference<CapturePipeline> running = new AtomicReference<>();
        AtomicBoolean stopRequested = new AtomicBoolean();
        try (GracefulStop guard = GracefulStop.onShutdown(() -> {
            stopRequested.set(true);
            CapturePipeline c = running.get();
            if (c != null) {
                c.stop();
            }
        }, Duration.ofSeconds(20));
             CaptureStore store = CaptureStore.open(file)) {
            long before = store.eventCount();
            CapturePipeline capture = new CapturePipeline(new KafkaSource(config), store, EventExtractor.withDefaults(),
                    config.limits());
            running.set(capture);
            if (stopRequested.get()) {
                return ExitCodes.OK;   // interrupted before it started: nothing to commit
            }
            if (!quiet) {
                err.printf("eventlens capture: %s -> %s%s (%s)%n", config.bootstrapServers(), file,
                        before > 0 ? " (" + before + " events already stored)" : "",
                        describeStart(config.startPosition()));
                err.flush();
            }
            CaptureStats stats;
            try {
                stats = capture.run(quiet ? CaptureListener.NONE : new ProgressPrinter(err));
            } catch (SourceException e) {
                eventsInStore = store.eventCount();
                throw e;
            }
            err.printf(Locale.ROOT, "eventlens capture: %d events (%d payload bytes) in %.1f s into %s (%d events in total)%n",
                    stats.events(), stats.bytes(), stats.elapsedMs() / 1000.0, file, store.eventCount());
            err.flush();
            return ExitCodes.OK;
        }
    }

    /** Deletes a store file this run created and left empty (the capture never connected). */
    private static void deleteEmptyStore(Path file) {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName().toString().replace(".mv.db", ".trace.db")));
        } catch (java.io.IOException e) {
            // leave it: an empty store is harmless
        }
    }

    private KafkaCaptureConfig config() {
        boolean hasTopics = !kafka.topics().isEmpty();
        if (hasTopics == (topicPattern != null)) {
            throw new ParameterException(spec.commandLine(),
                    "Give the topics to capture with --topic NAME (repeatable) or --topic-pattern REGEX, not both");
        }
        KafkaCaptureConfig.Builder b = KafkaCaptureConfig.builder(kafka.bootstrapServers())
                .topics(kafka.topics())
                .startPosition(from.from() == null ? new StartPosition.Resume() : from.from())
                .maxEvents(limits.maxEvents())
                .duration(limits.duration())
                .connectTimeout(connectTimeout);
        clientProperties().forEach(b::clientProperty);
        if (topicPattern != null) {
            try {
                b.topicPattern(Pattern.compile(topicPattern));
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--topic-pattern: '" + topicPattern
                        + "' is not a valid regex: " + e.getDescription());
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), optionName(e.getMessage()));
        }
    }

    /**
     * The properties of {@code --kafka-config}, in file order; empty without the option. Keys that
     * would make EventLens join a group or commit offsets are dropped with a note on stderr.
     *
     * @throws InputException naming the file when it cannot be read or parsed
     */
    private java.util.Map<String, String> clientProperties() {
        if (kafkaConfig == null) {
            return java.util.Map.of();
        }
        java.util.Properties props = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(kafkaConfig, java.nio.charset.StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new InputException("--kafka-config " + kafkaConfig + ": cannot read Kafka client properties: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (IGNORED_CLIENT_PROPERTIES.contains(key)) {
                spec.commandLine().getErr().println("eventlens capture: ignoring " + key + " from " + kafkaConfig
                        + " (EventLens reads by partition assignment and commits no offsets)");
            } else {
                out.put(key, props.getProperty(key));
            }
        }
        return out;
    }

    /** Client properties a capture never takes from a user's file: it must not join groups or commit. */
    private static final java.util.Set<String> IGNORED_CLIENT_PROPERTIES = java.util.Set.of(
            "group.id", "group.instance.id", "enable.auto.commit", "bootstrap.servers",
            "key.deserializer", "value.deserializer");

    /** Maps the config's field names in a validation message to the CLI's option names. */
    private static String optionName(String message) {
        return message.replaceFirst("^bootstrapServers:", "--kafka:")
                .replaceFirst("^topics:", "--topic:")
                .replaceFirst("^maxEvents:", "--max-events:")
                .replaceFirst("^duration:", "--duration:")
                .replaceFirst("^connectTimeout:", "--connect-timeout:");
    }

    private static String describeStart(StartPosition p) {
        return switch (p) {
            case StartPosition.Earliest e -> "from earliest";
            case StartPosition.Latest l -> "from latest";
            case StartPosition.AtTime t -> "from " + t.time();
            case StartPosition.Resume r -> "resuming stored positions, else from earliest";
        };
    }

    /**
     * Prints a progress line to stderr at most once a second while events arrive, and every 15 s
     * while idle, so a long capture of a quiet topic does not flood the terminal; every 5 s while the
     * source is unreachable, saying for how long (the pipeline also logs one warning naming the endpoint).
     */
    private static final class ProgressPrinter implements CaptureListener {
        private static final long BUSY_NANOS = 1_000_000_000L;
        private static final long IDLE_NANOS = 15_000_000_000L;
        private static final long OUTAGE_NANOS = 5_000_000_000L;
        private final PrintWriter err;
        private long lastPrintNanos = System.nanoTime();
        private long lastEvents = -1;

        ProgressPrinter(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onProgress(CaptureStats stats) {
            long now = System.nanoTime();
            long since = now - lastPrintNanos;
            boolean moved = stats.events() != lastEvents;
            boolean outage = stats.sourceUnreachable();
            if (since < BUSY_NANOS || (!moved && !outage && since < IDLE_NANOS)
                    || (outage && since < OUTAGE_NANOS)) {
                return;
            }
            lastPrintNanos = now;
            lastEvents = stats.events();
            err.printf(Locale.ROOT, "  %,d events, %,.0f events/s, %.0f s%s%n",
                    stats.events(), stats.eventsPerSecond(), stats.elapsedMs() / 1000.0,
                    outage ? String.format(Locale.ROOT, " (no broker reachable for %.0f s, retrying; Ctrl-C stops)",
                            stats.sourceUnreachableMs() / 1000.0) : "");
            err.flush();
        }
    }
}
