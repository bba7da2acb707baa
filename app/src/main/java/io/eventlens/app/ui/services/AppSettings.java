package io.eventlens.app.ui.services;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the desktop app remembers between runs, in one readable, versioned JSON file
 * ({@code settings.json} in the user's config folder, {@link UserFolders}; README "Files and
 * settings"): theme, connections (Kafka, AMQP, probe; secrets only as {@link SecretRef}s), the
 * extraction rules file, SLOs, recent capture files (most recent first, at most
 * {@value #MAX_RECENT}), the folder of the last timeline export and the window's bounds.
 *
 * <p>Reading never fails: a file that is not valid JSON, has no {@code version}, or holds a value
 * of the wrong type is renamed aside to {@code settings.json.damaged-<timestamp>} and reported by
 * {@link #problem()}; the app starts with defaults. A file written by a newer EventLens
 * ({@code version} above {@value #VERSION}) is read for what this version knows and never written
 * over. {@link #flush()} writes a temporary file and moves it over the old one, so a crash leaves
 * either the old or the new file, never half of one. Not thread-safe: use it from the FX thread.
 */
public final class AppSettings {

    /** The version of the settings file this EventLens writes. */
    public static final int VERSION = 1;
    /** How many recent files are kept. */
    public static final int MAX_RECENT = 8;
    /** The connection kind of Kafka; the connect dialog remembers the connection named {@value #LAST}. */
    public static final String KAFKA = "kafka";
    /** The name of the connection the connect dialog used last. */
    public static final String LAST = "last";
    /** The kind of the RabbitMQ connections. */
    public static final String AMQP = "amqp";
    /** The kind of the HTTP test-probe connections. */
    public static final String PROBE = "probe";

    private static final Logger LOG = LoggerFactory.getLogger(AppSettings.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.INDENT_OUTPUT, true)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The file's shape (version 1). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FileModel(Integer version, String theme, WindowBounds window, List<Connection> connections,
                     List<String> recentCaptures, String exportFolder, String extractionRules,
                     Map<String, String> slos, List<String> filterHistory) {
    }

    private final Path file;
    private String problem;
    private boolean readOnly;
    private boolean dark;
    private WindowBounds window;
    private final List<Connection> connections = new ArrayList<>();
    private final List<String> recent = new ArrayList<>();
    private final List<String> filters = new ArrayList<>();
    private String exportFolder;
    private String extractionRules;
    private final Map<String, String> slos = new LinkedHashMap<>();

    /** Settings kept in {@code file} (read now; written by {@link #flush()}). */
    public AppSettings(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
        load();
    }

    /**
     * The user's settings of the desktop app, in {@link UserFolders#settingsFile()}. The first
     * time (no file yet), what an older EventLens kept in Java Preferences is carried over once.
     */
    public static AppSettings user() {
        AppSettings s = new AppSettings(UserFolders.user().settingsFile());
        if (!Files.exists(s.file) && s.problem == null && olderPreferencesMayExist()) {
            s.migrateFrom(Preferences.userRoot(), "io/eventlens/app");
        }
        return s;
    }

    /**
     * Whether an older EventLens may have left Java Preferences. On Linux they are a file under
     * {@code ~/.java/.userPrefs}: checked directly, because touching the Preferences API creates
     * lock files in the home folder. Elsewhere (registry, plist) the API is asked.
     */
    private static boolean olderPreferencesMayExist() {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return true;
        }
        String root = System.getProperty("java.util.prefs.userRoot", System.getProperty("user.home"));
        return Files.exists(Path.of(root, ".java", ".userPrefs", "io", "eventlens", "app", "prefs.xml"));
    }

    /** The settings file. */
    public Path file() {
        return file;
    }

    /**
     * What went wrong reading the file (damaged and set aside, unreadable, or from a newer
     * version), naming the file; empty when it was read or absent.
     */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** True for the dark theme (PrimerDark). */
    public boolean darkTheme() {
        return dark;
    }

    /** Remembers the theme. */
    public void setDarkTheme(boolean dark) {
        this.dark = dark;
    }

    /** The remembered connections, in the order saved. */
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    /** The connection of this kind and name, if remembered. */
    public Optional<Connection> connection(String kind, String name) {
        return connections.stream().filter(c -> c.kind().equals(kind) && c.name().equals(name)).findFirst();
    }

    /** Adds {@code c}, or replaces the one of the same kind and name. */
    public void putConnection(Connection c) {
        Objects.requireNonNull(c, "c");
        for (int i = 0; i < connections.size(); i++) {
            if (connections.get(i).kind().equals(c.kind()) && connections.get(i).name().equals(c.name())) {
                connections.set(i, c);
                return;
            }
        }
        connections.add(c);
    }

    /** Forgets the connection of this kind and name. */
    public void removeConnection(String kind, String name) {
        connections.removeIf(c -> c.kind().equals(kind) && c.name().equals(name));
    }

    private Connection lastKafka() {
        return connection(KAFKA, LAST).orElse(new Connection(KAFKA, LAST, "localhost:9092", List.of(), null, null));
    }

    /** Last bootstrap servers typed in the connect dialog, or "localhost:9092". */
    public String bootstrapServers() {
        return lastKafka().endpoint();
    }

    /** Remembers the bootstrap servers. */
    public void setBootstrapServers(String value) {
        Connection c = lastKafka();
        putConnection(new Connection(KAFKA, LAST, value == null ? "" : value, c.channels(), c.username(), c.secret()));
    }

    /**
     * The RabbitMQ part of the connect dialog last used, as a map of {@code uri} (a password in it
     * is removed), {@code username}, {@code exchanges}, {@code spyQueues} and {@code browseQueues}
     * (the dialog's texts, one entry per line). Never the password. Kept as the connection
     * {@code amqp/last}: its endpoint is the URI, its channels are the lines, each prefixed with
     * {@code exchange }, {@code spy } or {@code browse }.
     */
    public Map<String, String> amqp() {
        Connection c = connection(AMQP, LAST).orElse(new Connection(AMQP, LAST, "", List.of(), null, null));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("uri", c.endpoint());
        m.put("username", c.username() == null ? "" : c.username());
        for (Map.Entry<String, String> kind : AMQP_LINES.entrySet()) {
            StringBuilder text = new StringBuilder();
            for (String ch : c.channels()) {
                if (ch.startsWith(kind.getValue())) {
                    text.append(text.isEmpty() ? "" : "\n").append(ch.substring(kind.getValue().length()));
                }
            }
            m.put(kind.getKey(), text.toString());
        }
        return m;
    }

    /** Remembers the RabbitMQ part (see {@link #amqp()}); unknown keys are ignored, a URI's password is dropped. */
    public void setAmqp(Map<String, String> values) {
        String uri = values.getOrDefault("uri", "").replaceFirst("(?<=://)([^:/@]*):[^@/]*@", "$1@");
        String user = values.getOrDefault("username", "");
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> kind : AMQP_LINES.entrySet()) {
            for (String line : values.getOrDefault(kind.getKey(), "").split("\\R")) {
                if (!line.isBlank()) {
                    lines.add(kind.getValue() + line.strip());
                }
            }
        }
        putConnection(new Connection(AMQP, LAST, uri, lines, user.isBlank() ? null : user, null));
    }

    /**
     * The probe part of the connect dialog last used: {@code url}, {@code path} (the path template),
     * {@code ids} (the correlation IDs, one per line), {@code header} (the auth header's name) and
     * {@code tokenEnv} (the environment variable holding its value). Kept as the connection
     * {@code probe/last}: its endpoint is the URL, its channels {@code id ...}, {@code path ...} and
     * {@code header ...}, its secret the environment variable. Never the token.
     */
    public Map<String, String> probe() {
        Connection c = connection(PROBE, LAST).orElse(new Connection(PROBE, LAST, "", List.of(), null, null));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("url", c.endpoint());
        StringBuilder ids = new StringBuilder();
        String path = "";
        String header = "";
        for (String ch : c.channels()) {
            if (ch.startsWith("id ")) {
                ids.append(ids.isEmpty() ? "" : "\n").append(ch.substring(3));
            } else if (ch.startsWith("path ")) {
                path = ch.substring(5);
            } else if (ch.startsWith("header ")) {
                header = ch.substring(7);
            }
        }
        m.put("ids", ids.toString());
        m.put("path", path);
        m.put("header", header);
        m.put("tokenEnv", c.secret() == null || c.secret().env() == null ? "" : c.secret().env());
        return m;
    }

    /** Remembers the probe part (see {@link #probe()}); unknown keys are ignored. */
    public void setProbe(Map<String, String> values) {
        List<String> lines = new ArrayList<>();
        for (String id : values.getOrDefault("ids", "").split("\\R")) {
            if (!id.isBlank()) {
                lines.add("id " + id.strip());
            }
        }
        if (!values.getOrDefault("path", "").isBlank()) {
            lines.add("path " + values.get("path").strip());
        }
        if (!values.getOrDefault("header", "").isBlank()) {
            lines.add("header " + values.get("header").strip());
        }
        String env = values.getOrDefault("tokenEnv", "");
        putConnection(new Connection(PROBE, LAST, values.getOrDefault("url", "").strip(), lines, null,
                env.isBlank() ? null : SecretRef.ofEnv(env.strip())));
    }

    /** The dialog's multi-line fields and the prefix of their lines in the {@code amqp/last} connection. */
    private static final Map<String, String> AMQP_LINES = new LinkedHashMap<>();

    static {
        AMQP_LINES.put("exchanges", "exchange ");
        AMQP_LINES.put("spyQueues", "spy ");
        AMQP_LINES.put("browseQueues", "browse ");
    }

    /** Last topics chosen in the connect dialog (any number). */
    public List<String> topics() {
        return lastKafka().channels();
    }

    /** Remembers the chosen topics. */
    public void setTopics(List<String> topics) {
        Connection c = lastKafka();
        putConnection(new Connection(KAFKA, LAST, c.endpoint(), topics, c.username(), c.secret()));
    }

    /** How many filter expressions the filter box remembers. */
    public static final int MAX_FILTERS = 30;
    /** The longest filter expression remembered, in characters (the filter's own limit). */
    public static final int MAX_FILTER_LENGTH = 4_096;

    /** The filter box's history: expressions applied, most recent first (docs/decisions/0022-cel-filters.md). */
    public List<String> filterHistory() {
        return List.copyOf(filters);
    }

    /** Puts {@code expression} first in the filter history (blank or over-long ones are not kept). */
    public void addFilter(String expression) {
        if (expression == null || expression.isBlank() || expression.length() > MAX_FILTER_LENGTH) {
            return;
        }
        String e = expression.strip();
        filters.remove(e);
        filters.add(0, e);
        while (filters.size() > MAX_FILTERS) {
            filters.remove(filters.size() - 1);
        }
    }

    /** Recent capture files, most recent first. */
    public List<Path> recentFiles() {
        return recent.stream().map(Path::of).toList();
    }

    /** Puts {@code file} first in the recent files. */
    public void addRecentFile(Path file) {
        String f = file.toAbsolutePath().toString();
        recent.remove(f);
        recent.add(0, f);
        while (recent.size() > MAX_RECENT) {
            recent.remove(recent.size() - 1);
        }
    }

    /** The folder the last timeline export went to, or {@code null}. */
    public Path exportDir() {
        return exportFolder == null ? null : Path.of(exportFolder);
    }

    /** Remembers the folder of the last timeline export ({@code null} forgets it). */
    public void setExportDir(Path dir) {
        exportFolder = dir == null ? null : dir.toAbsolutePath().toString();
    }

    /** The extraction rules file the user chose (docs/reference/extraction-rules.md), or {@code null}. */
    public Path extractionRules() {
        return extractionRules == null ? null : Path.of(extractionRules);
    }

    /** Remembers the extraction rules file ({@code null} forgets it). */
    public void setExtractionRules(Path rules) {
        extractionRules = rules == null ? null : rules.toAbsolutePath().toString();
    }

    /** The SLOs by name (e.g. {@code lag} → {@code 2s}), as the user typed them. */
    public Map<String, String> slos() {
        return Map.copyOf(slos);
    }

    /** Remembers one SLO ({@code null} value forgets it). */
    public void setSlo(String name, String value) {
        if (value == null) {
            slos.remove(name);
        } else {
            slos.put(name, value);
        }
    }

    /** The remembered window bounds, or empty before the first window closed. */
    public Optional<WindowBounds> windowBounds() {
        return Optional.ofNullable(window);
    }

    /** Remembers the window bounds. */
    public void setWindowBounds(WindowBounds bounds) {
        this.window = bounds;
    }

    /**
     * Writes the settings: a temporary file in the same folder, then an atomic move over
     * {@code settings.json} (owner-only permissions where the file system has them). Failures are
     * logged and otherwise ignored: settings are a convenience, the app works without them. Does
     * nothing for a file written by a newer EventLens.
     */
    public void flush() {
        if (readOnly) {
            return;
        }
        FileModel model = new FileModel(VERSION, dark ? "dark" : "light", window, List.copyOf(connections),
                List.copyOf(recent), exportFolder, extractionRules, slos.isEmpty() ? null : Map.copyOf(slos),
                filters.isEmpty() ? null : List.copyOf(filters));
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), "settings", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system (Windows): the user's profile folder is private already
            }
            Files.writeString(tmp, JSON.writeValueAsString(model) + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not save the settings to {}: {}", file, e.toString());
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private void load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException | RuntimeException e) {
            problem = "Could not read the settings file " + file + " (" + e.getMessage() + "); using defaults, not saving over it";
            readOnly = true;
            LOG.warn(problem);
            return;
        }
        try {
            JsonNode tree = JSON.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw new IOException("not a JSON object");
            }
            JsonNode v = tree.get("version");
            if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
                throw new IOException("no valid \"version\" field");
            }
            FileModel m = JSON.treeToValue(tree, FileModel.class);
            apply(m);
            if (m.version() > VERSION) {
                readOnly = true;
                problem = "The settings file " + file + " was written by a newer EventLens (version " + m.version()
                        + "; this one writes " + VERSION + "): read what this version knows, and it will not be saved over";
                LOG.warn(problem);
            }
        } catch (IOException | RuntimeException e) {
            setAside(describe(e));
        }
    }

    private void apply(FileModel m) throws IOException {
        dark = "dark".equals(m.theme());
        if (m.window() != null && m.window().width() > 0 && m.window().height() > 0
                && Double.isFinite(m.window().x()) && Double.isFinite(m.window().y())) {
            window = m.window();
        }
        if (m.connections() != null) {
            for (Connection c : m.connections()) {
                if (c == null) {
                    throw new IOException("a null entry in \"connections\"");
                }
                connections.add(c);
            }
        }
        if (m.recentCaptures() != null) {
            m.recentCaptures().stream().filter(Objects::nonNull).filter(s -> !s.isBlank()).limit(MAX_RECENT)
                    .forEach(recent::add);
        }
        if (m.filterHistory() != null) {
            m.filterHistory().stream().filter(Objects::nonNull).filter(f -> !f.isBlank())
                    .filter(f -> f.length() <= MAX_FILTER_LENGTH).distinct().limit(MAX_FILTERS).forEach(filters::add);
        }
        exportFolder = blankToNull(m.exportFolder());
        extractionRules = blankToNull(m.extractionRules());
        if (m.slos() != null) {
            m.slos().forEach((k, v) -> {
                if (k != null && v != null) {
                    slos.put(k, v);
                }
            });
        }
    }

    private void setAside(String why) {
        dark = false;
        window = null;
        connections.clear();
        recent.clear();
        filters.clear();
        exportFolder = null;
        extractionRules = null;
        slos.clear();
        Path aside = file.resolveSibling(file.getFileName() + ".damaged-" + LocalDateTime.now().format(STAMP));
        try {
            for (int n = 2; ; n++) {
                try {
                    Files.move(file, aside);
                    break;
                } catch (FileAlreadyExistsException e) {
                    aside = file.resolveSibling(file.getFileName() + ".damaged-" + LocalDateTime.now().format(STAMP) + "-" + n);
                }
            }
            problem = "The settings file " + file + " was damaged (" + why + "); it was set aside as "
                    + aside.getFileName() + " and EventLens started with default settings";
        } catch (IOException e) {
            readOnly = true;
            problem = "The settings file " + file + " was damaged (" + why + ") and could not be set aside ("
                    + e.getMessage() + "); using defaults, not saving over it";
        }
        LOG.warn(problem);
    }

    private static String describe(Exception e) {
        if (e instanceof JsonProcessingException j) {
            var loc = j.getLocation();
            String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
            return where + j.getOriginalMessage();
        }
        return e.getMessage();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Carries over what an older EventLens kept in Java Preferences (node {@code path}), then saves. */
    void migrateFrom(Preferences root, String path) {
        try {
            if (!root.nodeExists(path)) {
                return;
            }
            Preferences p = root.node(path);
            if (p.keys().length == 0) {
                return;
            }
            dark = p.getBoolean("theme.dark", false);
            setBootstrapServers(p.get("kafka.bootstrap", "localhost:9092"));
            setTopics(lines(p.get("kafka.topics", "")));
            lines(p.get("files.recent", "")).reversed().forEach(f -> addRecentFile(Path.of(f)));
            String dir = p.get("export.dir", "");
            exportFolder = dir.isBlank() ? null : dir;
            flush();
            LOG.info("Carried the settings of an older EventLens (Java Preferences) over to {}", file);
        } catch (BackingStoreException | RuntimeException e) {
            LOG.warn("Could not read the settings of an older EventLens (Java Preferences): {}", e.toString());
        }
    }

    private static List<String> lines(String s) {
        return s == null || s.isBlank() ? List.of()
                : s.lines().map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
