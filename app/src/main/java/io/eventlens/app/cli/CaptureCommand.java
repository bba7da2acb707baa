package io.eventlens.app.cli;

import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.core.amqp.AmqpSource;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.CompositeSource;
import io.eventlens.core.probe.ProbeConfig;
import io.eventlens.core.probe.ProbeSource;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.capture.SourceException;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.consumers.ConsumerFollowConfig;
import io.eventlens.core.kafka.ConsumerGroupFollower;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.KafkaSource;
import io.eventlens.core.kafka.StartPosition;
import io.eventlens.core.store.CaptureStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * {@code eventlens capture}: records Kafka topics and RabbitMQ traffic (exchange taps, spied queues,
 * browsed queues) into one capture store, for a duration, up to a number of events, or until Ctrl-C
 * (docs/reference/cli-contract.md).
 *
 * <p>Into an existing store it resumes each partition from its stored position unless
 * {@code --from} is given ({@link StartPosition.Resume}). Progress goes to stderr about once a
 * second; stdout stays empty. Ctrl-C stops gracefully: the capture commits what it has polled and
 * closes the store before the JVM exits. An unreachable cluster or an unknown topic ends with exit 3
 * and a message naming the endpoint within the connect timeout (8 s by default).
 */
@Command(name = "capture", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Record Kafka topics and RabbitMQ exchanges and queues into a capture store (an H2 file).",
                "Into an existing store, each partition resumes where the last capture stopped unless --from is given."},
        footer = {"", "Examples:",
                "  eventlens capture --kafka localhost:9092 --topic orders --topic payments --from earliest --duration 20s --out run.mv.db",
                "  eventlens capture --amqp amqp://localhost --exchange orders --queue orders.dlq --kafka localhost:9092 --topic payments --duration 20s --out run.mv.db"})
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

    @Option(names = "--amqp", paramLabel = "URI",
            description = "A RabbitMQ broker: amqp://[user@]host[:port][/vhost] or amqps://... Give the password with"
                    + " --amqp-config or EVENTLENS_AMQP_PASSWORD (one in the URI works but is warned about).")
    String amqpUri;

    @Option(names = "--exchange", paramLabel = "NAME[=KEY,...]",
            description = "Tap an exchange (repeatable): a stream queue of EventLens's own bound with these binding keys"
                    + " (default #: every message of a topic, fanout or headers exchange; name the keys of a direct one).")
    List<String> exchanges = new ArrayList<>();

    @Option(names = "--spy-queue", paramLabel = "NAME[=EXCHANGE:KEY,...]",
            description = "Spy on a queue (repeatable): tap with that queue's bindings, read from the management API,"
                    + " else the ones given here. The queue's consumers still get every message.")
    List<String> spyQueues = new ArrayList<>();

    @Option(names = "--queue", paramLabel = "NAME",
            description = "Browse a queue without consuming it (repeatable; typically a dead-letter queue): a stream by"
                    + " offset; a classic or quorum queue by get and return in order (marks them redelivered).")
    List<String> queues = new ArrayList<>();

    @Option(names = "--firehose", description = "Also tap amq.rabbitmq.trace (needs 'rabbitmqctl trace_on'): shows publishes"
            + " to every exchange, the default one included.")
    boolean firehose;

    @Option(names = "--force-browse", description = "Browse a queue also when it has consumers, a delivery limit"
            + " (quorum) or a type that cannot be read.")
    boolean forceBrowse;

    @Option(names = "--keep-tap", description = "Keep the tap queues when the capture ends (a later capture into the same"
            + " store resumes from them).")
    boolean keepTap;

    @Option(names = "--classic-tap", description = "Tap through a length-limited classic queue instead of a stream"
            + " (keeps nested header tables, which a stream drops; not crash-safe).")
    boolean classicTap;

    @Option(names = "--tap-max-bytes", paramLabel = "BYTES", description = "Size retention of a tap stream. Default: 1073741824.")
    long tapMaxBytes = AmqpCaptureConfig.DEFAULT_TAP_MAX_BYTES;

    @Option(names = "--tap-max-age", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Age retention of a tap stream. Default: 1h.")
    Duration tapMaxAge = AmqpCaptureConfig.DEFAULT_TAP_MAX_AGE;

    @Option(names = "--amqp-config", paramLabel = "FILE",
            description = "RabbitMQ connection properties: username, password, virtual-host, tls (true/false),"
                    + " management-url. Secrets here or in EVENTLENS_AMQP_PASSWORD, never in the capture file.")
    Path amqpConfig;

    @Option(names = "--probe", paramLabel = "BASE_URL",
            description = "An HTTP test-probe endpoint to poll for the events of each --correlation-id (repeatable).")
    List<String> probes = new ArrayList<>();

    @Option(names = "--correlation-id", paramLabel = "ID",
            description = "A correlation ID the probes are asked for (repeatable; needed with --probe).")
    List<String> correlationIds = new ArrayList<>();

    @Option(names = "--probe-path", paramLabel = "TEMPLATE",
            description = "Path and query of a probe poll, with {correlationId} and {type}. Default: "
                    + ProbeConfig.DEFAULT_PATH_TEMPLATE)
    String probePath;

    @Option(names = "--probe-type", paramLabel = "TYPE",
            description = "An event type to ask the probes for (repeatable; one poll per ID and type). Default: none.")
    List<String> probeTypes = new ArrayList<>();

    @Option(names = "--probe-header", paramLabel = "NAME=VALUE",
            description = "A header sent with every probe poll (repeatable). NAME=env:VAR takes the value from the"
                    + " environment variable VAR, so a token stays out of shell history; headers are never stored.")
    List<String> probeHeaders = new ArrayList<>();

    @Option(names = "--poll-interval", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Pause between two rounds of probe polls. Default: 500ms.")
    Duration pollInterval;

    @Option(names = "--probe-timeout", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Connect and answer timeout of one probe poll. Default: 5s.")
    Duration probeTimeout;

    @Option(names = "--consumer-group", paramLabel = "NAME",
            description = "Follow this consumer group's committed offsets while capturing (repeatable), without joining it."
                    + " Default: every group with committed offsets on a captured topic.")
    List<String> consumerGroups = new ArrayList<>();

    @Option(names = "--consumer-poll-interval", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "How often the followed consumer groups' offsets, states and lag are read. Default: 500ms.")
    Duration consumerPollInterval;

    @Option(names = "--no-consumer-groups", description = "Do not follow consumer groups (no Admin polls, no read of"
            + " __consumer_offsets).")
    boolean noConsumerGroups;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    /** Which consumer groups to follow beside a Kafka capture; null when none (no --kafka, or --no-consumer-groups). */
    private ConsumerFollowConfig follow;

    /** Events in the store when a capture failed to connect (-1 until known). */
    private long eventsInStore = -1;

    @Override
    public Integer call() {
        if (kafka.bootstrapServers() == null && (!kafka.topics().isEmpty() || topicPattern != null)) {
            throw new ParameterException(spec.commandLine(), "--topic and --topic-pattern need --kafka BOOTSTRAP_SERVERS");
        }
        if (amqpUri == null && (!exchanges.isEmpty() || !spyQueues.isEmpty() || !queues.isEmpty() || firehose)) {
            throw new ParameterException(spec.commandLine(), "--exchange, --spy-queue, --queue and --firehose need --amqp URI");
        }
        if (kafka.bootstrapServers() == null && amqpUri == null && probes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Give a source: --kafka BOOTSTRAP_SERVERS with --topic, --amqp URI"
                    + " with --exchange, --spy-queue or --queue, or --probe BASE_URL with --correlation-id (or several)");
        }
        if (probes.isEmpty() && (!correlationIds.isEmpty() || !probeHeaders.isEmpty() || probePath != null
                || !probeTypes.isEmpty() || pollInterval != null || probeTimeout != null)) {
            throw new ParameterException(spec.commandLine(), "--correlation-id, --probe-path, --probe-type, --probe-header,"
                    + " --poll-interval and --probe-timeout need --probe BASE_URL");
        }
        if (kafka.bootstrapServers() == null && (!consumerGroups.isEmpty() || consumerPollInterval != null)) {
            throw new ParameterException(spec.commandLine(), "--consumer-group and --consumer-poll-interval need --kafka BOOTSTRAP_SERVERS");
        }
        if (noConsumerGroups && (!consumerGroups.isEmpty() || consumerPollInterval != null)) {
            throw new ParameterException(spec.commandLine(), "--no-consumer-groups cannot be combined with --consumer-group"
                    + " or --consumer-poll-interval");
        }
        if (!probes.isEmpty() && correlationIds.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--probe needs the correlation IDs to follow: --correlation-id ID (repeatable)");
        }
        if (!probes.isEmpty() && kafka.bootstrapServers() == null && amqpUri == null && limits.duration() == null
                && limits.maxEvents() == 0) {
            spec.commandLine().getErr().println("eventlens capture: polling until Ctrl-C (or give --duration or --max-events)");
        }
        KafkaCaptureConfig config = kafka.bootstrapServers() == null ? null : config();
        if (config != null && !noConsumerGroups) {
            try {
                follow = new ConsumerFollowConfig(consumerGroups, consumerPollInterval, true);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--consumer-group/--consumer-poll-interval: " + e.getMessage());
            }
        }
        AmqpCaptureConfig amqp = amqpUri == null ? null : amqpConfig();
        List<ProbeConfig> probeConfigs = probeConfigs();
        Path file = out.file();
        PrintWriter err = spec.commandLine().getErr();
        boolean created = !Files.exists(file);
        try {
            return capture(config, amqp, probeConfigs, file, err);
        } catch (SourceException e) {
            if (created && eventsInStore == 0) {
                deleteEmptyStore(file);
            }
            String msg = e.getMessage() == null ? e.toString() : e.getMessage();
            if (config != null && amqp == null && !msg.contains(config.bootstrapServers())) {
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
    /**
     * The probe connections of {@code --probe}, each with the shared correlation IDs, types,
     * headers (an {@code env:VAR} value read from the environment), path template, interval and timeout.
     *
     * @throws ParameterException naming the option when a value is invalid or an environment variable is unset
     */
    private List<ProbeConfig> probeConfigs() {
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String h : probeHeaders) {
            int eq = h.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "--probe-header: '" + h + "' is not NAME=VALUE");
            }
            String value = h.substring(eq + 1);
            if (value.startsWith("env:")) {
                String var = value.substring(4);
                value = System.getenv(var);
                if (value == null) {
                    throw new ParameterException(spec.commandLine(), "--probe-header " + h.substring(0, eq)
                            + ": the environment variable " + var + " is not set");
                }
            }
            headers.put(h.substring(0, eq), value);
        }
        List<ProbeConfig> out = new ArrayList<>();
        for (String base : probes) {
            try {
                out.add(new ProbeConfig(java.net.URI.create(base), probePath, headers, correlationIds, probeTypes,
                        pollInterval, probeTimeout, ProbeConfig.DEFAULT_MAX_BODY_BYTES));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--probe " + base + ": " + e.getMessage());
            }
        }
        return out;
    }

    private int capture(KafkaCaptureConfig config, AmqpCaptureConfig amqp, List<ProbeConfig> probeConfigs, Path file,
                        PrintWriter err) {
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
            List<CaptureSource> sources = new ArrayList<>();
            ConsumerGroupFollower follower = null;
            if (config != null) {
                sources.add(new KafkaSource(config));
                if (follow != null) {
                    follower = new ConsumerGroupFollower(config, follow, store::appendConsumerProgress);
                    sources.add(follower);
                }
            }
            AmqpSource amqpSource = amqp == null ? null : new AmqpSource(amqp);
            if (amqpSource != null) {
                sources.add(amqpSource);
            }
            List<ProbeSource> probeSources = new ArrayList<>();
            for (ProbeConfig pc : probeConfigs) {
                ProbeSource ps = new ProbeSource(pc, poll -> store.appendPolls(List.of(poll)));
                probeSources.add(ps);
                sources.add(ps);
            }
            CaptureLimits captureLimits = config != null ? config.limits() : amqp != null ? amqp.limits()
                    : new CaptureLimits(limits.maxEvents(), limits.duration());
            CapturePipeline capture = new CapturePipeline(CompositeSource.of(sources), store, EventExtractor.withDefaults(),
                    captureLimits);
            running.set(capture);
            if (stopRequested.get()) {
                return ExitCodes.OK;   // interrupted before it started: nothing to commit
            }
            if (!quiet) {
                if (config != null) {
                    err.printf("eventlens capture: %s -> %s%s (%s)%n", config.bootstrapServers(), file,
                            before > 0 ? " (" + before + " events already stored)" : "",
                            describeStart(config.startPosition()));
                }
                if (amqp != null) {
                    err.printf("eventlens capture: %s -> %s%s%n", amqp.endpoint(), file,
                            config == null && before > 0 ? " (" + before + " events already stored)" : "");
                }
                for (ProbeConfig pc : probeConfigs) {
                    err.printf(Locale.ROOT, "eventlens capture: probe %s -> %s, correlation IDs %s every %d ms%n",
                            pc.endpoint(), file, String.join(", ", pc.correlationIds()), pc.pollInterval().toMillis());
                }
                err.flush();
            }
            CaptureStats stats;
            try {
                stats = capture.run(quiet && amqpSource == null ? CaptureListener.NONE
                        : new ProgressPrinter(err, quiet, amqpSource));
            } catch (SourceException e) {
                eventsInStore = store.eventCount();
                throw e;
            }
            if (amqpSource != null) {   // retention losses and blocked publishers, with the numbers (decision 0011)
                for (String warning : amqpSource.warnings()) {
                    err.println("eventlens capture: warning: " + warning
                            + (warning.contains("tap's retention") ? " (a new tap's --tap-max-bytes and --tap-max-age)" : ""));
                }
            }
            if (follower != null && !follower.followedGroups().isEmpty()) {
                err.printf(Locale.ROOT, "eventlens capture: consumer groups %s: %d commits recorded (%d with exact times from"
                                + " __consumer_offsets), %d polls%n", String.join(", ", follower.followedGroups()),
                        follower.commitsRecorded(), follower.exactCommits(), follower.polls());
            }
            for (ProbeSource ps : probeSources) {
                err.printf(Locale.ROOT, "eventlens capture: %s: %d polls, %d failed or malformed, %d new events%s%s%n",
                        ps.endpoint(), ps.polls(), ps.failedPolls(), ps.newRecords(),
                        ps.foreignEvents() > 0 ? ", " + ps.foreignEvents() + " FOREIGN (other correlation IDs)" : "",
                        ps.mappings().isEmpty() ? "" : "; answers read as " + String.join("; ", ps.mappings()));
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
     * The RabbitMQ configuration: the URI, then {@code --amqp-config} (username, password,
     * virtual-host, tls, management-url), then {@code EVENTLENS_AMQP_USERNAME} /
     * {@code EVENTLENS_AMQP_PASSWORD} from the environment. A password in the URI is warned about.
     *
     * @throws ParameterException naming the option when a value is invalid
     * @throws InputException     naming the file when {@code --amqp-config} cannot be read
     */
    private AmqpCaptureConfig amqpConfig() {
        AmqpCaptureConfig.Builder b = AmqpCaptureConfig.builder().uri(amqpUri).keepTap(keepTap).classicTap(classicTap)
                .firehose(firehose).forceBrowse(forceBrowse).tapMaxBytes(tapMaxBytes).tapMaxAge(tapMaxAge)
                .maxEvents(limits.maxEvents()).duration(limits.duration()).connectTimeout(connectTimeout);
        for (String e : exchanges) {
            int eq = e.indexOf('=');
            b.exchange(eq < 0 ? e : e.substring(0, eq), eq < 0 ? List.of() : splitList(e.substring(eq + 1)));
        }
        for (String q : spyQueues) {
            int eq = q.indexOf('=');
            List<AmqpCaptureConfig.Binding> bindings = new ArrayList<>();
            if (eq >= 0) {
                for (String binding : splitList(q.substring(eq + 1))) {
                    int colon = binding.indexOf(':');
                    if (colon <= 0) {
                        throw new ParameterException(spec.commandLine(), "--spy-queue: binding '" + binding
                                + "' is not EXCHANGE:KEY");
                    }
                    bindings.add(new AmqpCaptureConfig.Binding(binding.substring(0, colon), binding.substring(colon + 1)));
                }
            }
            b.spyQueue(eq < 0 ? q : q.substring(0, eq), bindings);
        }
        queues.forEach(b::browseQueue);
        java.util.Properties props = CommonOptions.amqpProperties(amqpConfig);
        String user = props.getProperty("username", System.getenv("EVENTLENS_AMQP_USERNAME"));
        String password = props.getProperty("password", System.getenv("EVENTLENS_AMQP_PASSWORD"));
        AmqpCaptureConfig built;
        try {
            built = b.build();
            if (b.passwordInUri()) {
                spec.commandLine().getErr().println("eventlens capture: warning: --amqp holds a password, which shell"
                        + " history and process lists show; use --amqp-config FILE or EVENTLENS_AMQP_PASSWORD");
            }
            if (user != null) {
                b.username(user);
            }
            if (password != null) {
                b.password(password);
            }
            if (props.getProperty("virtual-host") != null) {
                b.virtualHost(props.getProperty("virtual-host"));
            }
            if (props.getProperty("tls") != null) {
                b.tls(Boolean.parseBoolean(props.getProperty("tls")));
            }
            if (props.getProperty("management-url") != null) {
                b.managementUrl(props.getProperty("management-url"));
            }
            if (user != null || password != null || !props.isEmpty()) {
                // the file and the environment win over the URI's user info
                AmqpCaptureConfig fromUri = built;
                b.uri(null).host(fromUri.host()).port(fromUri.port());
                if (props.getProperty("virtual-host") == null) {
                    b.virtualHost(fromUri.virtualHost());
                }
                if (user == null) {
                    b.username(fromUri.username());
                }
                if (password == null) {
                    b.password(fromUri.password());
                }
                if (props.getProperty("tls") == null) {
                    b.tls(fromUri.tls());
                }
                built = b.build();
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), amqpOptionName(e.getMessage()));
        }
        return built;
    }

    private static List<String> splitList(String s) {
        List<String> out = new ArrayList<>();
        for (String part : s.split(",")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    /** Maps the AMQP config's field names in a validation message to the CLI's option names. */
    private static String amqpOptionName(String message) {
        return message.replaceFirst("^uri:", "--amqp:").replaceFirst("^host:", "--amqp:").replaceFirst("^port:", "--amqp:")
                .replaceFirst("^exchanges:", "--exchange:").replaceFirst("^spyQueues:", "--spy-queue:")
                .replaceFirst("^browseQueues:", "--queue:").replaceFirst("^tapMaxBytes:", "--tap-max-bytes:")
                .replaceFirst("^tapMaxAge:", "--tap-max-age:").replaceFirst("^maxEvents:", "--max-events:")
                .replaceFirst("^duration:", "--duration:").replaceFirst("^connectTimeout:", "--connect-timeout:");
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
        private final boolean quiet;
        private AmqpSource amqp;
        private final AmqpSource blockable;
        private long lastPrintNanos = System.nanoTime();
        private long lastEvents = -1;

        ProgressPrinter(PrintWriter err, boolean quiet, AmqpSource amqp) {
            this.err = err;
            this.quiet = quiet;
            this.amqp = amqp;
            this.blockable = amqp;
        }

        @Override
        public void onProgress(CaptureStats stats) {
            if (amqp != null) { // the source is open once progress comes: say how each target is read
                for (String mode : amqp.modes()) {
                    err.println("eventlens capture: " + amqp.endpoint() + ": " + mode);
                }
                err.flush();
                amqp = null;
            }
            if (quiet) {
                return;
            }
            long now = System.nanoTime();
            long since = now - lastPrintNanos;
            boolean moved = stats.events() != lastEvents;
            boolean outage = stats.sourceUnreachable() || (blockable != null && blockable.blocked());
            if (since < BUSY_NANOS || (!moved && !outage && since < IDLE_NANOS)
                    || (outage && since < OUTAGE_NANOS)) {
                return;
            }
            lastPrintNanos = now;
            lastEvents = stats.events();
            err.printf(Locale.ROOT, "  %,d events, %,.0f events/s, %.0f s%s%n",
                    stats.events(), stats.eventsPerSecond(), stats.elapsedMs() / 1000.0,
                    stats.sourceUnreachable() ? String.format(Locale.ROOT, " (no broker reachable for %.0f s, retrying;"
                            + " Ctrl-C stops)", stats.sourceUnreachableMs() / 1000.0)
                    : outage ? String.format(Locale.ROOT, " (the broker blocks publishers: %s, for %.0f s so far)",
                            blockable.blockedReason(), blockable.blockedMs() / 1000.0) : "");
            err.flush();
        }
    }
}
