package io.eventlens.app.ui.capture;

import io.eventlens.app.ui.services.AppServices;
import io.eventlens.app.ui.services.AppSettings;
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
 * View model of the Connect dialog: bootstrap servers, the cluster's topics (listed off the FX thread
 * from its metadata), the chosen topics and where to start (earliest or latest). Builds a validated
 * {@link KafkaCaptureConfig} and remembers the choices in {@link AppSettings}.
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
    private TaskExecutor.Handle pending;

    /** A connect view model prefilled from the remembered settings. */
    public ConnectViewModel(AppServices services, TaskExecutor executor, AppSettings settings) {
        this.services = services;
        this.executor = executor;
        this.settings = settings;
        bootstrapServers.set(settings.bootstrapServers());
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

    /** True when the dialog may connect (servers given, a topic chosen, not loading). */
    public BooleanBinding canConnect() {
        return Bindings.createBooleanBinding(
                () -> !loading.get() && !selectedTopics.isEmpty()
                        && bootstrapServers.get() != null && !bootstrapServers.get().isBlank(),
                loading, selectedTopics, bootstrapServers);
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
