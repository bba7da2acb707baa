package io.eventlens.app.ui.services;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the desktop app remembers between runs, in {@link Preferences} (node {@code io/eventlens/app}
 * by default): theme, last bootstrap servers and topics, recent capture files (most recent first,
 * at most {@value #MAX_RECENT}), the folder of the last timeline export, window size in px.
 */
public final class AppSettings {

    /** How many recent files are kept. */
    public static final int MAX_RECENT = 8;

    private final Preferences prefs;

    /** Settings stored in {@code prefs}. */
    public AppSettings(Preferences prefs) {
        this.prefs = Objects.requireNonNull(prefs, "prefs");
    }

    /** The user's settings of the desktop app. */
    public static AppSettings user() {
        return new AppSettings(Preferences.userRoot().node("io/eventlens/app"));
    }

    /** True for the dark theme (PrimerDark). */
    public boolean darkTheme() {
        return prefs.getBoolean("theme.dark", false);
    }

    /** Remembers the theme. */
    public void setDarkTheme(boolean dark) {
        prefs.putBoolean("theme.dark", dark);
    }

    /** Last bootstrap servers typed in the connect dialog, or "localhost:9092". */
    public String bootstrapServers() {
        return prefs.get("kafka.bootstrap", "localhost:9092");
    }

    /** Remembers the bootstrap servers. */
    public void setBootstrapServers(String value) {
        prefs.put("kafka.bootstrap", value == null ? "" : value);
    }

    /**
     * The RabbitMQ part of the connect dialog last used: URI (a password in it is removed), user,
     * exchanges, spied queues and browsed queues (their texts, one per line). Never the password.
     */
    public java.util.Map<String, String> amqp() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String k : AMQP_KEYS) {
            m.put(k, prefs.get("amqp." + k, ""));
        }
        return m;
    }

    /** Remembers the RabbitMQ part (see {@link #amqp()}); unknown keys are ignored, a URI's password is dropped. */
    public void setAmqp(java.util.Map<String, String> values) {
        for (String k : AMQP_KEYS) {
            String v = values.getOrDefault(k, "");
            if (k.equals("uri")) {
                v = v.replaceFirst("(?<=://)([^:/@]*):[^@/]*@", "$1@");
            }
            prefs.put("amqp." + k, v);
        }
    }

    private static final List<String> AMQP_KEYS = List.of("uri", "username", "exchanges", "spyQueues", "browseQueues");

    /** Last topics chosen in the connect dialog. */
    public List<String> topics() {
        return split(prefs.get("kafka.topics", ""));
    }

    /** Remembers the chosen topics. */
    public void setTopics(List<String> topics) {
        prefs.put("kafka.topics", String.join("\n", topics));
    }

    /** Recent capture files, most recent first. */
    public List<Path> recentFiles() {
        return split(prefs.get("files.recent", "")).stream().map(Path::of).toList();
    }

    /** Puts {@code file} first in the recent files. */
    public void addRecentFile(Path file) {
        List<String> files = new ArrayList<>(split(prefs.get("files.recent", "")));
        String f = file.toAbsolutePath().toString();
        files.remove(f);
        files.add(0, f);
        prefs.put("files.recent", String.join("\n", files.subList(0, Math.min(MAX_RECENT, files.size()))));
    }

    /** The folder the last timeline export went to, or {@code null}. */
    public Path exportDir() {
        String dir = prefs.get("export.dir", "");
        return dir.isBlank() ? null : Path.of(dir);
    }

    /** Remembers the folder of the last timeline export ({@code null} forgets it). */
    public void setExportDir(Path dir) {
        if (dir == null) {
            prefs.remove("export.dir");
        } else {
            prefs.put("export.dir", dir.toAbsolutePath().toString());
        }
    }

    /** Remembered window width in px (default 1400). */
    public double windowWidth() {
        return prefs.getDouble("window.width", 1400);
    }

    /** Remembered window height in px (default 900). */
    public double windowHeight() {
        return prefs.getDouble("window.height", 900);
    }

    /** Remembers the window size in px. */
    public void setWindowSize(double width, double height) {
        prefs.putDouble("window.width", width);
        prefs.putDouble("window.height", height);
    }

    /** Writes pending changes; failures of the backing store are ignored (settings are a convenience). */
    public void flush() {
        try {
            prefs.flush();
        } catch (BackingStoreException ignored) {
            // Preferences are best effort: the app works without them.
        }
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of()
                : Arrays.stream(s.split("\n")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
