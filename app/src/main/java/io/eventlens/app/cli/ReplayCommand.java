package io.eventlens.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.SourceException;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.replay.AmqpReplaySender;
import io.eventlens.core.replay.EnvironmentLabel;
import io.eventlens.core.replay.KafkaReplaySender;
import io.eventlens.core.replay.ReplayComparison;
import io.eventlens.core.replay.ReplayException;
import io.eventlens.core.replay.ReplayFlowCapture;
import io.eventlens.core.replay.ReplayJson;
import io.eventlens.core.replay.ReplayOptions;
import io.eventlens.core.replay.ReplayPlan;
import io.eventlens.core.replay.ReplayPlanner;
import io.eventlens.core.replay.ReplayRefusedException;
import io.eventlens.core.replay.ReplayResult;
import io.eventlens.core.replay.ReplayRunner;
import io.eventlens.core.replay.ReplaySafety;
import io.eventlens.core.replay.ReplaySelection;
import io.eventlens.core.replay.ReplaySender;
import io.eventlens.core.replay.ReplayTarget;
import io.eventlens.core.replay.ReplayTiming;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.ReplayLog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens replay}: sends captured events again, into a Kafka or RabbitMQ test target, with
 * the rewrites, timing and safety checks of docs/reference/replay.md, and prints a JSON summary
 * ({@code schemaVersion} 1) on stdout; progress goes to stderr.
 *
 * <p>Order of work: the safety checks that need no connection (label, production patterns on the
 * servers or host) → the capture is opened ({@code --dry-run}: read-only; else for writing, after
 * the same file check as every open, because the run is logged in it) → the events are selected and
 * planned ({@code --dry-run} prints the plan and stops) → the target is connected and described (its
 * Kafka cluster ID is checked against the patterns; missing topics or exchanges fail here) → the
 * plan is logged → the sends. Exit 0 when every send was acknowledged (or after a dry run); 3 with
 * a message saying why when refused, when the input is bad, or when a send failed (resume it with
 * {@code --resume REPLAY_ID}); 2 for usage errors.
 */
@Command(name = "replay", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Send captured events again into a Kafka or RabbitMQ test environment, safely, and compare the result.",
                "Production targets are refused (exit 3). A JSON summary goes to stdout."},
        footer = {"", "Examples:",
                "  eventlens replay --capture run.mv.db --correlation-id c-42 --to-kafka localhost:9092 --target-env local --dry-run",
                "  eventlens replay --capture run --correlation-id c-42 --to-kafka test-kafka:9092 --target-env test --map orders=orders-replay --speed 2",
                "  eventlens replay --capture run --correlation-id c-42 --to-amqp amqp://rabbit.test --target-env test --map orders=shop:order.created",
                "  eventlens replay --capture run --resume 5c1e... --to-kafka test-kafka:9092 --target-env test"})
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.CaptureIn capture;

    @Option(names = "--correlation-id", paramLabel = "ID",
            description = "Replay the events of this flow (repeatable).")
    List<String> correlationIds = new ArrayList<>();

    @Option(names = "--event-type", paramLabel = "TYPE", description = "Only events of this type (repeatable).")
    List<String> eventTypes = new ArrayList<>();

    @Option(names = "--channel", paramLabel = "NAME", description = "Only events of this channel (repeatable).")
    List<String> channels = new ArrayList<>();

    @Option(names = "--seq", paramLabel = "N", split = ",", description = "Only these store sequences (repeatable, or N,N,...).")
    List<Long> seqs = new ArrayList<>();

    @Option(names = "--after", paramLabel = "ISO-8601", description = "Only events observed at or after this instant.")
    String after;

    @Option(names = "--before", paramLabel = "ISO-8601", description = "Only events observed before this instant.")
    String before;

    static final class Target {
        @Option(names = "--to-kafka", paramLabel = "BOOTSTRAP_SERVERS", required = true,
                description = "Replay into this Kafka cluster.")
        String kafka;

        @Option(names = "--to-amqp", paramLabel = "URI", required = true,
                description = "Replay into this RabbitMQ broker: amqp://[user@]host[:port][/vhost] or amqps://...")
        String amqp;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--target-env", paramLabel = "LABEL",
            description = "The target's environment: local, test or staging (production is refused; a target without a label too).")
    String targetEnv;

    @Option(names = "--production-pattern", paramLabel = "REGEX",
            description = "A target whose bootstrap servers, host or Kafka cluster ID contains a match is refused"
                    + " (repeatable; also EVENTLENS_PRODUCTION_PATTERNS, comma-separated). Built in: prod/production as a word.")
    List<String> productionPatterns = new ArrayList<>();

    @Option(names = "--map", paramLabel = "SOURCE=TARGET",
            description = "Send the events of channel SOURCE to TARGET: a topic, or for RabbitMQ EXCHANGE[:ROUTING_KEY]"
                    + " (repeatable). Unmapped channels go to the channel of the same name.")
    List<String> maps = new ArrayList<>();

    @Option(names = "--speed", paramLabel = "FACTOR",
            description = "Keep the original gaps, divided by FACTOR (0.1 to 100). Default: as fast as possible.")
    Double speed;

    @Option(names = "--gap-cap", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "No gap longer than this (with --speed).")
    Duration gapCap;

    @Option(names = "--max-rate", paramLabel = "PER_SECOND", description = "At most this many sends a second.")
    double maxRate;

    @Option(names = "--repeat", paramLabel = "N", description = "Send the set N times (1 to 1000; duplicate delivery). Default: 1.")
    int repeat = 1;

    @Option(names = "--keep-event-ids", description = "Keep the event IDs (to test idempotency). Default: renewed.")
    boolean keepEventIds;

    @Option(names = "--keep-correlation-id", description = "Keep the original correlation ID. Default: one fresh ID for the run.")
    boolean keepCorrelationId;

    @Option(names = "--keep-event-times", description = "Keep the events' declared times. Default: shifted with the"
            + " replay, so the replayed flow is not judged late by its old times.")
    boolean keepEventTimes;

    @Option(names = "--header", paramLabel = "NAME=VALUE", description = "Add or override a header (repeatable).")
    List<String> headers = new ArrayList<>();

    @Option(names = "--remove-header", paramLabel = "NAME", description = "Remove a header (repeatable).")
    List<String> removeHeaders = new ArrayList<>();

    @Option(names = "--partition-by-key", description = "Let the key choose the partition. Default: the original partition.")
    boolean partitionByKey;

    @Option(names = "--redrive", description = "Send dead-lettered events back to their original channel, read from their"
            + " dead-letter headers (the headers stripped unless --keep-dead-letter-headers).")
    boolean redrive;

    @Option(names = "--keep-dead-letter-headers", description = "Keep the dead-letter headers of redriven events.")
    boolean keepDeadLetterHeaders;

    @Option(names = "--dry-run", description = "Print exactly what would be sent, after rewrites; send nothing, write nothing.")
    boolean dryRun;

    @Option(names = "--resume", paramLabel = "REPLAY_ID",
            description = "Resume a replay logged in the capture: sends of unknown outcome are first looked for on the target.")
    String resume;

    @Option(names = "--resend-unknown", description = "With --resume on RabbitMQ (which cannot be read back): send sends of unknown outcome again.")
    boolean resendUnknown;

    @Option(names = "--compare", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Capture the replay's flow until this long after the last send and compare it with the original.")
    Duration compare;

    @Option(names = "--compare-out", paramLabel = "FILE",
            description = "The capture store of the replay's flow. Default: CAPTURE.replay-<id>.mv.db beside the capture.")
    Path compareOut;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties (security) for --to-kafka.")
    Path kafkaConfig;

    @Option(names = "--amqp-config", paramLabel = "FILE",
            description = "RabbitMQ connection properties (username, password, virtual-host, tls) for --to-amqp.")
    Path amqpConfig;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How long to wait for the target. Default: 10s.")
    Duration connectTimeout = Duration.ofSeconds(10);

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    private boolean passwordWarned;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ReplayTarget replayTarget = target();
        ReplaySafety safety;
        try {
            List<String> patterns = new ArrayList<>(productionPatterns);
            String env = System.getenv("EVENTLENS_PRODUCTION_PATTERNS");
            if (env != null) {
                patterns.addAll(List.of(env.split(",")));
            }
            safety = ReplaySafety.withPatterns(patterns);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--production-pattern: " + e.getMessage());
        }
        String refusal = null;
        try {
            safety.checkStatic(replayTarget);
        } catch (ReplayRefusedException e) {
            if (!dryRun) {
                throw new InputException(e.getMessage() + "; nothing was sent");
            }
            refusal = e.getMessage();
        }
        if (resume != null) {
            return resume(replayTarget, safety, err);
        }
        ReplayOptions options = options();
        ReplaySelection selection = selection();
        Path file = capture.existingFile();
        try (CaptureStore store = dryRun ? CaptureStore.openReadOnly(file) : CaptureStore.open(file)) {
            List<CapturedEvent> events = selection.select(store);
            if (events.isEmpty()) {
                throw new InputException("no events in " + file + " match the selection (" + store.eventCount()
                        + " events stored); nothing was sent");
            }
            ReplayPlan plan = ReplayPlanner.plan(events, replayTarget, options);
            if (dryRun) {
                ObjectNode json = ReplayJson.summary(plan, true, label(), null, null, null);
                json.put("refusal", refusal);
                print(json);
                if (!plan.problems().isEmpty()) {
                    throw new InputException("the plan has problems: " + String.join("; ", plan.problems()));
                }
                return ExitCodes.OK;
            }
            if (!plan.problems().isEmpty()) {
                throw new InputException("the plan has problems; nothing was sent: " + String.join("; ", plan.problems()));
            }
            try (ReplaySender sender = connect(replayTarget, plan.targetChannels())) {
                checkCluster(safety, replayTarget, sender);
                return runPlan(store, plan, sender, events, err);
            }
        } catch (ReplayException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private int runPlan(CaptureStore store, ReplayPlan plan, ReplaySender sender, List<CapturedEvent> events,
                        PrintWriter err) {
        ReplayFlowCapture flowCapture = null;
        CaptureStore compareStore = null;
        try {
            if (compare != null && plan.replayCorrelationId() == null) {
                progress(err, "warning: --compare needs the fresh correlation ID (not --keep-correlation-id); not comparing");
            }
            if (compare != null && plan.replayCorrelationId() != null) {
                Path out = compareOut != null ? compareOut : store.file().resolveSibling(store.file().getFileName()
                        .toString().replace(".mv.db", "") + ".replay-" + plan.replayId().substring(0, 8) + ".mv.db");
                compareStore = CaptureStore.open(out);
                flowCapture = ReplayFlowCapture.start(comparisonSource(plan, events), compareStore,
                        EventExtractor.withDefaults(), connectTimeout.multipliedBy(3));
                progress(err, "capturing the replay's flow into %s", compareStore.file());
            }
            ReplayResult result;
            ReplayRunner runner = new ReplayRunner(sender, store.replayLog(), listener(err));
            progress(err, "replay %s: %d sends to %s (%s)%s", plan.replayId(), plan.sends().size(),
                    plan.target().endpoint(), label(), plan.replayCorrelationId() == null ? ""
                            : ", correlation ID " + plan.replayCorrelationId());
            try (GracefulStop guard = GracefulStop.onShutdown(runner::cancel, Duration.ofSeconds(20))) {
                result = runner.run(plan, label(), ReplayJson.optionsText(plan.options()));
            }
            ReplayComparison comparison = null;
            if (flowCapture != null) {
                Timeline replayed = flowCapture.finish(plan.replayCorrelationId(), compare, TimelineAnalyzer.withDefaults());
                flowCapture = null;
                String original = plan.originalCorrelationIds().isEmpty() ? null : plan.originalCorrelationIds().get(0);
                Timeline originalTimeline = TimelineAnalyzer.withDefaults().analyze(original == null ? "" : original,
                        original == null ? List.of() : store.findByCorrelationId(original));
                comparison = ReplayComparison.compare(originalTimeline, replayed);
            }
            print(ReplayJson.summary(plan, false, label(), sender.clusterId(), result, comparison));
            return finish(result, err);
        } finally {
            if (flowCapture != null) {
                flowCapture.close();
            }
            if (compareStore != null) {
                compareStore.close();
            }
        }
    }

    private int resume(ReplayTarget replayTarget, ReplaySafety safety, PrintWriter err) {
        if (dryRun) {
            throw new ParameterException(spec.commandLine(), "--resume and --dry-run cannot be combined");
        }
        Path file = capture.existingFile();
        try (CaptureStore store = CaptureStore.open(file)) {
            ReplayLog.Run run = store.replayLog().run(resume);
            if (run == null) {
                throw new InputException("the replay log of " + file + " has no replay " + resume);
            }
            if (!run.targetEndpoint().equals(replayTarget.endpoint())) {
                throw new InputException("replay " + resume + " went to " + run.targetEndpoint() + ", not "
                        + replayTarget.endpoint() + "; resume it against the same target");
            }
            List<String> channelsUsed = store.replayLog().sends(resume).stream().map(ReplayLog.Send::targetChannel)
                    .distinct().toList();
            try (ReplaySender sender = connect(replayTarget, channelsUsed)) {
                checkCluster(safety, replayTarget, sender);
                ReplayRunner runner = new ReplayRunner(sender, store.replayLog(), listener(err));
                ReplayResult result;
                try (GracefulStop guard = GracefulStop.onShutdown(runner::cancel, Duration.ofSeconds(20))) {
                    result = runner.resume(resume, resendUnknown);
                }
                ObjectNode json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                json.put("schemaVersion", ReplayJson.SCHEMA_VERSION);
                json.put("dryRun", false);
                json.put("resumed", true);
                json.put("replayId", resume);
                json.put("replayCorrelationId", run.replayCorrelationId());
                ObjectNode t = json.putObject("target");
                t.put("kind", replayTarget.kind());
                t.put("endpoint", replayTarget.endpoint());
                t.put("environment", label());
                t.put("clusterId", sender.clusterId());
                json.set("result", ReplayJson.result(result));
                print(json);
                return finish(result, err);
            }
        } catch (ReplayException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private int finish(ReplayResult result, PrintWriter err) {
        if (result.completed()) {
            progress(err, "replay %s: %d of %d sends acknowledged%s", result.replayId(), result.sentNow() + result.alreadySent(),
                    result.total(), result.gapFidelity().gaps() == 0 ? "" : String.format(Locale.ROOT,
                            "; gaps achieved/asked median %.2f (min %.2f, max %.2f)", result.gapFidelity().medianRatio(),
                            result.gapFidelity().minRatio(), result.gapFidelity().maxRatio()));
            return ExitCodes.OK;
        }
        String why = result.sends().isEmpty() ? result.state()
                : "send #" + result.sends().get(result.sends().size() - 1).index() + ": "
                        + result.sends().get(result.sends().size() - 1).message();
        err.printf("eventlens replay: replay %s %s after %d of %d sends (%s); resume it with --resume %s%n",
                result.replayId(), result.state().equals("CANCELLED") ? "was cancelled" : "stopped",
                result.sentNow() + result.alreadySent(), result.total(), why, result.replayId());
        err.flush();
        return ExitCodes.INPUT;
    }

    private ReplayRunner.Listener listener(PrintWriter err) {
        return new ReplayRunner.Listener() {
            private long lastPrint;

            @Override
            public void sent(ReplayResult.SendReport report, int done, int total) {
                long now = System.nanoTime();
                if (report.outcome() != ReplayLog.Outcome.SENT || done == total || now - lastPrint > 1_000_000_000L) {
                    lastPrint = now;
                    progress(err, "send #%d %s%s (%d/%d)", report.index(), report.outcome(),
                            report.position() != null ? " " + report.position() : report.message() != null
                                    ? ": " + report.message() : "", done, total);
                }
            }
        };
    }

    private void progress(PrintWriter err, String format, Object... args) {
        if (!quiet) {
            err.println("eventlens replay: " + String.format(Locale.ROOT, format, args));
            err.flush();
        }
    }

    private void print(ObjectNode json) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(ReplayJson.write(json));
        out.flush();
    }

    private ReplaySender connect(ReplayTarget t, List<String> channelsUsed) {
        try {
            return switch (t) {
                case ReplayTarget.Kafka k -> KafkaReplaySender.connect(k, channelsUsed, connectTimeout);
                case ReplayTarget.Amqp a -> AmqpReplaySender.connect(a, channelsUsed, connectTimeout);
            };
        } catch (SourceException e) {   // KafkaConnectException, AmqpConnectException
            throw new InputException(e.getMessage() + "; nothing was sent", e);
        }
    }

    private static void checkCluster(ReplaySafety safety, ReplayTarget t, ReplaySender sender) {
        try {
            safety.checkClusterId(t, sender.clusterId());
        } catch (ReplayRefusedException e) {
            throw new InputException(e.getMessage() + "; nothing was sent");
        }
    }

    /** The source that captures the replay's flow ({@link ReplayFlowCapture#sourceFor}). */
    private CaptureSource comparisonSource(ReplayPlan plan, List<CapturedEvent> events) {
        return ReplayFlowCapture.sourceFor(plan, events.stream().map(e -> e.channel().name()).distinct().toList(),
                Instant.now(), connectTimeout);
    }

    private ReplayTarget target() {
        EnvironmentLabel label = null;
        if (targetEnv != null) {
            try {
                label = EnvironmentLabel.parse(targetEnv);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--target-env: " + e.getMessage());
            }
        }
        if (target.kafka != null) {
            return new ReplayTarget.Kafka(target.kafka, kafkaProperties(), label);
        }
        try {
            return new ReplayTarget.Amqp(amqpBuilder().buildConnection(), label);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--to-amqp: " + e.getMessage());
        }
    }

    private String label() {
        return targetEnv == null ? null : EnvironmentLabel.parse(targetEnv).label();
    }

    private AmqpCaptureConfig.Builder amqpBuilder() {
        java.util.Properties props = CommonOptions.amqpProperties(amqpConfig);
        // the URI is parsed by build(); explicit credentials win over it
        String user = props.getProperty("username", System.getenv("EVENTLENS_AMQP_USERNAME"));
        String password = props.getProperty("password", System.getenv("EVENTLENS_AMQP_PASSWORD"));
        AmqpCaptureConfig parsed;
        try {
            AmqpCaptureConfig.Builder fromUri = AmqpCaptureConfig.builder().uri(target.amqp);
            parsed = fromUri.buildConnection();
            if (fromUri.passwordInUri() && !passwordWarned) {
                passwordWarned = true;
                spec.commandLine().getErr().println("eventlens replay: warning: --to-amqp holds a password, which shell"
                        + " history and process lists show; use --amqp-config FILE or EVENTLENS_AMQP_PASSWORD");
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--to-amqp: " + e.getMessage());
        }
        AmqpCaptureConfig.Builder b = AmqpCaptureConfig.builder().host(parsed.host()).port(parsed.port()).tls(parsed.tls())
                .virtualHost(props.getProperty("virtual-host", parsed.virtualHost()))
                .username(user != null ? user : parsed.username())
                .password(password != null ? password : parsed.password())
                .connectTimeout(connectTimeout);
        if (props.getProperty("tls") != null) {
            b.tls(Boolean.parseBoolean(props.getProperty("tls")));
        }
        return b;
    }

    private Map<String, String> kafkaProperties() {
        if (kafkaConfig == null) {
            return Map.of();
        }
        java.util.Properties props = new java.util.Properties();
        try (java.io.Reader r = Files.newBufferedReader(kafkaConfig, java.nio.charset.StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new InputException("--kafka-config " + kafkaConfig + ": cannot read Kafka client properties: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        Map<String, String> out = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
        return out;
    }

    private ReplayOptions options() {
        ReplayOptions.Builder b = ReplayOptions.builder();
        for (String m : maps) {
            int eq = m.indexOf('=');
            if (eq <= 0 || eq == m.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--map: '" + m + "' is not SOURCE=TARGET");
            }
            b.map(m.substring(0, eq), m.substring(eq + 1));
        }
        for (String h : headers) {
            int eq = h.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--header: '" + h + "' is not NAME=VALUE");
            }
            b.setHeader(h.substring(0, eq), h.substring(eq + 1));
        }
        removeHeaders.forEach(b::removeHeader);
        try {
            return b.freshCorrelationId(!keepCorrelationId).keepEventIds(keepEventIds).keepPartitions(!partitionByKey)
                    .shiftEventTimes(!keepEventTimes)
                    .redrive(redrive).keepDeadLetterHeaders(keepDeadLetterHeaders).repeat(repeat)
                    .timing(new ReplayTiming(speed, gapCap, maxRate)).build();
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            String option = msg.startsWith("speed") ? "--speed" : msg.startsWith("repeat") ? "--repeat"
                    : msg.startsWith("gap cap") ? "--gap-cap" : msg.startsWith("max rate") ? "--max-rate" : "replay";
            throw new ParameterException(spec.commandLine(), option + ": " + msg);
        }
    }

    private ReplaySelection selection() {
        if (correlationIds.isEmpty() && seqs.isEmpty() && eventTypes.isEmpty() && channels.isEmpty()
                && after == null && before == null) {
            throw new ParameterException(spec.commandLine(), "Select what to replay: --correlation-id ID, --seq N,"
                    + " --event-type, --channel, --after or --before");
        }
        return new ReplaySelection(seqs, Set.copyOf(correlationIds), Set.copyOf(eventTypes), Set.copyOf(channels),
                instant("--after", after), instant("--before", before));
    }

    private Instant instant(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ParameterException(spec.commandLine(), option + ": '" + value + "' is not an ISO-8601 instant"
                    + " such as 2026-11-22T10:15:30Z");
        }
    }
}
