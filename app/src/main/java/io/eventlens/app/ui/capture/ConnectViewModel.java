package io.eventlens.app.ui.capture;

import io.eventlens.core.probe.ProbeConfig;
import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
import io.eventlens.app.ui.services.CaptureRequest;
import io.eventlens.core.amqp.AmqpCaptureConfig;
import io.eventlens.app.ui.task.TaskExecutor;
import io.eventlens.core.kafka.KafkaCaptureConfig;
import io.eventlens.core.kafka.StartPosition;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Duration;
import java.util.List;

/**
 * View model of the Connect dialog: Kafka's bootstrap servers, the cluster's topics (listed off the FX
 * thread from its metadata), the chosen topics and where to start (earliest or latest); beside it a
 * RabbitMQ broker (URI, user, password) with exchanges to tap, queues to spy on and queues to browse
 * (docs/decisions/0011-amqp-source.md). Builds a validated {@link CaptureRequest} of either or both,
 * and remembers the Kafka choices in {@link AppSettings} (never the password).
 */
public final class ConnectViewModel {

    /** How long listing topics may take before the endpoint is reported unreachable. */
    public static final Duration LIST_TIMEOUT = Duration.ofSeconds(8);

    private final AppServices services;
    private final TaskExecutor executor;
    private final AppSettings settings;
    private final StringProperty bootstrapServers = new SimpleStringProperty(this, "bootstrapServers");
    private final BooleanProperty fromEarliest = new SimpleBooleanProperty(this, "fromEarliest", true);
    private final ObservableList<String> availableTopics = FXCollections.observableArrayList();
    private final ObservableList<String> selectedTopics = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ReadOnlyStringWrapper info = new ReadOnlyStringWrapper(this, "info", "");
    private final StringProperty amqpUri = new SimpleStringProperty(this, "amqpUri", "");
    private final StringProperty amqpUsername = new SimpleStringProperty(this, "amqpUsername", "");
    private final StringProperty amqpPassword = new SimpleStringProperty(this, "amqpPassword", "");
    private final StringProperty amqpExchanges = new SimpleStringProperty(this, "amqpExchanges", "");
    private final StringProperty amqpSpyQueues = new SimpleStringProperty(this, "amqpSpyQueues", "");
    private final StringProperty amqpBrowseQueues = new SimpleStringProperty(this, "amqpBrowseQueues", "");
    private final BooleanProperty amqpFirehose = new SimpleBooleanProperty(this, "amqpFirehose");
    private final BooleanProperty amqpForceBrowse = new SimpleBooleanProperty(this, "amqpForceBrowse");
    private final BooleanProperty amqpKeepTap = new SimpleBooleanProperty(this, "amqpKeepTap");
    private final StringProperty probeUrl = new SimpleStringProperty(this, "probeUrl", "");
    private final StringProperty probePath = new SimpleStringProperty(this, "probePath", "");
    private final StringProperty probeIds = new SimpleStringProperty(this, "probeIds", "");
    private final StringProperty probeHeader = new SimpleStringProperty(this, "probeHeader", "");
    private final StringProperty probeTokenEnv = new SimpleStringProperty(this, "probeTokenEnv", "");
    private final StringProperty probeInterval = new SimpleStringProperty(this, "probeInterval", "500ms");
    private java.util.Map<String, String> environment = System.getenv();
    private TaskExecutor.Handle pending;

    /** A connect view model prefilled from the remembered settings. */
    public ConnectViewModel(AppServices services, TaskExecutor executor, AppSettings settings) {
        this.services = services;
        this.executor = executor;
        this.settings = settings;
        bootstrapServers.set(settings.bootstrapServers());
        java.util.Map<String, String> amqp = settings.amqp();
        amqpUri.set(amqp.get("uri"));
        amqpUsername.set(amqp.get("username"));
        amqpExchanges.set(amqp.get("exchanges"));
        amqpSpyQueues.set(amqp.get("spyQueues"));
        amqpBrowseQueues.set(amqp.get("browseQueues"));
        java.util.Map<String, String> probe = settings.probe();
        probeUrl.set(probe.get("url"));
        probePath.set(probe.get("path"));
        probeIds.set(probe.get("ids"));
        probeHeader.set(probe.get("header"));
        probeTokenEnv.set(probe.get("tokenEnv"));
        info.set("Press \"List topics\" to read the cluster's topics.");
    }

    /** Lists the cluster's topics in the background; remembered topics that exist are preselected. */
    public void loadTopics() {
        String bootstrap = bootstrapServers.get() == null ? "" : bootstrapServers.get().trim();
        if (bootstrap.isEmpty()) {
            error.set("Bootstrap servers: enter host:port, e.g. localhost:9092");
            return;
        }
        if (pending != null) {
            pending.cancel();
        }
        loading.set(true);
        error.set("");
        info.set("Reading topics from " + bootstrap + " …");
        pending = executor.submit("Listing topics of " + bootstrap,
                ctx -> services.topicLister().listTopics(bootstrap, LIST_TIMEOUT),
                topics -> {
                    loading.set(false);
                    availableTopics.setAll(topics);
                    List<String> remembered = settings.topics().stream().filter(topics::contains).toList();
                    selectedTopics.setAll(remembered);
                    info.set(topics.isEmpty() ? bootstrap + " has no topics yet."
                            : topics.size() + " topics on " + bootstrap + ".");
                },
                failure -> {
                    loading.set(false);
                    availableTopics.clear();
                    selectedTopics.clear();
                    info.set("");
                    error.set(describe(bootstrap, failure));
                });
    }

    static String describe(String bootstrap, Throwable failure) {
        String msg = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return msg.contains(bootstrap) ? msg : "Cannot list topics of " + bootstrap + ": " + msg;
    }

    /**
     * The capture configuration of the dialog's choices; remembers them.
     *
     * @throws IllegalArgumentException naming the bad field (blank servers, no topic chosen)
     */
    public KafkaCaptureConfig buildConfig() {
        KafkaCaptureConfig config = KafkaCaptureConfig.builder(bootstrapServers.get())
                .topics(selectedTopics)
                .startPosition(fromEarliest.get() ? new StartPosition.Earliest() : new StartPosition.Latest())
                .build();
        settings.setBootstrapServers(config.bootstrapServers());
        settings.setTopics(config.topics());
        settings.flush();
        return config;
    }

    /**
     * True when the dialog may connect: not loading, and Kafka ready (servers given, a topic chosen)
     * or RabbitMQ ready (a URI and an exchange, spied queue, browsed queue or the firehose), or both.
     */
    public BooleanBinding canConnect() {
        return Bindings.createBooleanBinding(() -> !loading.get() && (kafkaReady() || amqpReady() || probeReady()),
                loading, selectedTopics, bootstrapServers, amqpUri, amqpExchanges, amqpSpyQueues, amqpBrowseQueues,
                amqpFirehose, probeUrl, probeIds);
    }

    private boolean probeReady() {
        return !blank(probeUrl.get()) && !lines(probeIds.get()).isEmpty();
    }

    /**
     * The probe part: base URL, path template (blank: the default), correlation IDs one per line, an
     * auth header whose value is read from the named environment variable now (never stored), and
     * the poll interval ({@code 500ms}, {@code 2s}).
     *
     * @throws IllegalArgumentException naming the bad field: a URL that is not http(s), no ID, an
     *                                  unset environment variable, an unreadable interval
     */
    public ProbeConfig buildProbeConfig() {
        java.net.URI url;
        try {
            url = java.net.URI.create(probeUrl.get().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("probe URL: '" + probeUrl.get().strip() + "' is not a URL");
        }
        java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (!blank(probeHeader.get())) {
            if (blank(probeTokenEnv.get())) {
                throw new IllegalArgumentException("probe header " + probeHeader.get().strip()
                        + ": name the environment variable that holds its value");
            }
            String value = environment.get(probeTokenEnv.get().strip());
            if (value == null) {
                throw new IllegalArgumentException("probe header " + probeHeader.get().strip() + ": the environment variable "
                        + probeTokenEnv.get().strip() + " is not set");
            }
            headers.put(probeHeader.get().strip(), value);
        }
        java.time.Duration interval;
        try {
            interval = blank(probeInterval.get()) ? null : io.eventlens.core.format.Durations.parse(probeInterval.get().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("poll interval: " + e.getMessage());
        }
        return new ProbeConfig(url, blank(probePath.get()) ? null : probePath.get().strip(), headers, lines(probeIds.get()),
                List.of(), interval, null, ProbeConfig.DEFAULT_MAX_BODY_BYTES);
    }

    /** Sets the environment the probe's token is read from (default: the process's; tests give their own). */
    public void environment(java.util.Map<String, String> env) {
        this.environment = java.util.Map.copyOf(env);
    }

    private boolean kafkaReady() {
        return !selectedTopics.isEmpty() && bootstrapServers.get() != null && !bootstrapServers.get().isBlank();
    }

    private boolean amqpReady() {
        return !blank(amqpUri.get()) && (!lines(amqpExchanges.get()).isEmpty() || !lines(amqpSpyQueues.get()).isEmpty()
                || !lines(amqpBrowseQueues.get()).isEmpty() || amqpFirehose.get());
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Non-blank lines or comma-separated items of a text field, trimmed. */
    static List<String> lines(String text) {
        if (text == null) {
            return List.of();
        }
        return java.util.Arrays.stream(text.split("[\\n;]")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    /**
     * The capture of the dialog's choices: the Kafka part when servers and topics are given, the
     * RabbitMQ part when a URI and something to read are given; remembers the Kafka choices.
     *
     * @throws IllegalArgumentException naming the bad field (of either part)
     */
    public CaptureRequest buildRequest() {
        KafkaCaptureConfig kafka = kafkaReady() ? buildConfig() : null;
        AmqpCaptureConfig amqp = amqpReady() ? buildAmqpConfig() : null;
        ProbeConfig probe = probeReady() ? buildProbeConfig() : null;
        CaptureRequest request = new CaptureRequest(kafka, amqp, probe);
        if (probe != null) {
            settings.setProbe(java.util.Map.of("url", probeUrl.get(), "path", nonNull(probePath.get()),
                    "ids", String.join("\n", probe.correlationIds()), "header", nonNull(probeHeader.get()), "tokenEnv", nonNull(probeTokenEnv.get())));
            settings.flush();
        }
        if (amqp != null) {
            settings.setAmqp(java.util.Map.of("uri", amqpUri.get(), "username", nonNull(amqpUsername.get()),
                    "exchanges", nonNull(amqpExchanges.get()), "spyQueues", nonNull(amqpSpyQueues.get()),
                    "browseQueues", nonNull(amqpBrowseQueues.get())));
            settings.flush();
        }
        return request;
    }

    /**
     * The RabbitMQ part: exchanges one per line ({@code NAME} or {@code NAME=KEY,KEY}), spied queues
     * ({@code NAME} or {@code NAME=EXCHANGE:KEY,...}) and browsed queues one per line.
     *
     * @throws IllegalArgumentException naming the bad field
     */
    public AmqpCaptureConfig buildAmqpConfig() {
        AmqpCaptureConfig.Builder b = AmqpCaptureConfig.builder().uri(amqpUri.get().strip())
                .firehose(amqpFirehose.get()).forceBrowse(amqpForceBrowse.get()).keepTap(amqpKeepTap.get());
        for (String e : lines(amqpExchanges.get())) {
            int eq = e.indexOf('=');
            b.exchange(eq < 0 ? e : e.substring(0, eq).strip(), eq < 0 ? List.of()
                    : java.util.Arrays.stream(e.substring(eq + 1).split(",")).map(String::strip).filter(k -> !k.isEmpty()).toList());
        }
        for (String q : lines(amqpSpyQueues.get())) {
            int eq = q.indexOf('=');
            List<AmqpCaptureConfig.Binding> bindings = new java.util.ArrayList<>();
            if (eq >= 0) {
                for (String binding : q.substring(eq + 1).split(",")) {
                    int colon = binding.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("spyQueues: binding '" + binding.strip() + "' is not EXCHANGE:KEY");
                    }
                    bindings.add(new AmqpCaptureConfig.Binding(binding.substring(0, colon).strip(), binding.substring(colon + 1).strip()));
                }
            }
            b.spyQueue(eq < 0 ? q : q.substring(0, eq).strip(), bindings);
        }
        lines(amqpBrowseQueues.get()).forEach(b::browseQueue);
        AmqpCaptureConfig fromUri = b.build();
        if (!blank(amqpUsername.get()) || !blank(amqpPassword.get())) {
            b.uri(null).host(fromUri.host()).port(fromUri.port()).virtualHost(fromUri.virtualHost()).tls(fromUri.tls())
                    .username(blank(amqpUsername.get()) ? fromUri.username() : amqpUsername.get().strip())
                    .password(blank(amqpPassword.get()) ? fromUri.password() : amqpPassword.get());
            return b.build();
        }
        return fromUri;
    }

    /**
     * How the RabbitMQ part will read, for people (the dialog shows it): taps, spies and browses,
     * and what a browse of a classic or quorum queue does to it.
     */
    public javafx.beans.binding.StringBinding amqpModes() {
        return Bindings.createStringBinding(() -> {
            List<String> modes = new java.util.ArrayList<>();
            lines(amqpExchanges.get()).forEach(e -> modes.add("tap exchange " + e + " (a stream queue of EventLens's own)"));
            lines(amqpSpyQueues.get()).forEach(q -> modes.add("spy on queue " + q + " (its bindings copied; its consumers get everything)"));
            if (amqpFirehose.get()) {
                modes.add("firehose amq.rabbitmq.trace");
            }
            lines(amqpBrowseQueues.get()).forEach(q -> modes.add("browse " + q + " (a stream by offset; a classic or quorum"
                    + " queue is got and returned in order: marked redelivered" + (amqpForceBrowse.get() ? ", forced)" : ")")));
            return modes.isEmpty() ? "Nothing from RabbitMQ." : "RabbitMQ: " + String.join("; ", modes) + ".";
        }, amqpExchanges, amqpSpyQueues, amqpBrowseQueues, amqpFirehose, amqpForceBrowse);
    }

    /** The probe's base URL, e.g. {@code http://localhost:8080}. */
    public StringProperty probeUrlProperty() {
        return probeUrl;
    }

    /** The probe's path template; blank for {@value ProbeConfig#DEFAULT_PATH_TEMPLATE}. */
    public StringProperty probePathProperty() {
        return probePath;
    }

    /** The correlation IDs to follow, one per line. */
    public StringProperty probeIdsProperty() {
        return probeIds;
    }

    /** The name of the probe's auth header, e.g. {@code Authorization}; blank for none. */
    public StringProperty probeHeaderProperty() {
        return probeHeader;
    }

    /** The environment variable holding the auth header's value (remembered; the value never is). */
    public StringProperty probeTokenEnvProperty() {
        return probeTokenEnv;
    }

    /** The pause between two rounds of polls, e.g. {@code 500ms}. */
    public StringProperty probeIntervalProperty() {
        return probeInterval;
    }

    /** The AMQP URI, e.g. {@code amqp://localhost:5672/}. */
    public StringProperty amqpUriProperty() {
        return amqpUri;
    }

    /** The AMQP user (blank: from the URI, else guest). */
    public StringProperty amqpUsernameProperty() {
        return amqpUsername;
    }

    /** The AMQP password (blank: from the URI, else guest); never remembered. */
    public StringProperty amqpPasswordProperty() {
        return amqpPassword;
    }

    /** Exchanges to tap, one per line: {@code NAME} or {@code NAME=KEY,KEY}. */
    public StringProperty amqpExchangesProperty() {
        return amqpExchanges;
    }

    /** Queues to spy on, one per line: {@code NAME} or {@code NAME=EXCHANGE:KEY,...}. */
    public StringProperty amqpSpyQueuesProperty() {
        return amqpSpyQueues;
    }

    /** Queues to browse, one per line. */
    public StringProperty amqpBrowseQueuesProperty() {
        return amqpBrowseQueues;
    }

    /** Also tap the firehose. */
    public BooleanProperty amqpFirehoseProperty() {
        return amqpFirehose;
    }

    /** Browse also queues with consumers or a delivery limit. */
    public BooleanProperty amqpForceBrowseProperty() {
        return amqpForceBrowse;
    }

    /** Keep the tap queues after the capture. */
    public BooleanProperty amqpKeepTapProperty() {
        return amqpKeepTap;
    }

    /** Bootstrap servers, e.g. {@code localhost:9092}. */
    public StringProperty bootstrapServersProperty() {
        return bootstrapServers;
    }

    /** True to start from the earliest records, false for only new ones (latest). */
    public BooleanProperty fromEarliestProperty() {
        return fromEarliest;
    }

    /** The cluster's topics. */
    public ObservableList<String> availableTopics() {
        return availableTopics;
    }

    /** The chosen topics (the view keeps it in sync with its check boxes). */
    public ObservableList<String> selectedTopics() {
        return selectedTopics;
    }

    /** True while topics are listed. */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** The last error, naming the endpoint; "" when none. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A hint or the topic count; "" when none. */
    public ReadOnlyStringProperty infoProperty() {
        return info.getReadOnlyProperty();
    }
}
