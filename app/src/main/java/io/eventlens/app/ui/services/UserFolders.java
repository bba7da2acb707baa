package io.eventlens.app.ui.services;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where EventLens keeps the user's files, following the XDG Base Directory specification on Linux:
 * settings in {@code $XDG_CONFIG_HOME/eventlens} (default {@code ~/.config/eventlens}), captures
 * and logs in {@code $XDG_DATA_HOME/eventlens} (default {@code ~/.local/share/eventlens}). On
 * Windows {@code %APPDATA%\EventLens} and {@code %LOCALAPPDATA%\EventLens}; on macOS
 * {@code ~/Library/Application Support/EventLens} for both. A relative XDG value is ignored, as
 * the specification asks. README "Files and settings" lists them.
 *
 * @param config the settings folder
 * @param data   the data folder (captures, logs)
 */
public record UserFolders(Path config, Path data) {

    /** Both folders must be given. */
    public UserFolders {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
    }

    /** The folders of the user running this JVM. */
    public static UserFolders user() {
        return of(System.getProperty("os.name", ""), System.getenv(), home(System.getenv()));
    }

    /**
     * The home folder: {@code $HOME} when it is an absolute path (what the XDG specification and a
     * user who sets it mean), else the {@code user.home} property (the password database's entry).
     */
    static Path home(Map<String, String> env) {
        return absolute(env.get("HOME"), Path.of(System.getProperty("user.home")));
    }

    /** The folders for this operating system name, environment and home folder. */
    public static UserFolders of(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            Path roaming = absolute(env.get("APPDATA"), home.resolve("AppData").resolve("Roaming"));
            Path local = absolute(env.get("LOCALAPPDATA"), home.resolve("AppData").resolve("Local"));
            return new UserFolders(roaming.resolve("EventLens"), local.resolve("EventLens"));
        }
        if (os.startsWith("mac")) {
            Path support = home.resolve("Library").resolve("Application Support").resolve("EventLens");
            return new UserFolders(support, support);
        }
        Path config = absolute(env.get("XDG_CONFIG_HOME"), home.resolve(".config"));
        Path data = absolute(env.get("XDG_DATA_HOME"), home.resolve(".local").resolve("share"));
        return new UserFolders(config.resolve("eventlens"), data.resolve("eventlens"));
    }

    /**
     * The folder of files EventLens can rebuild at any time (the class-sharing archive of the bounded
     * child JVM, docs/decisions/0010-bounded-memory-launch.md): {@code $XDG_CACHE_HOME/eventlens}
     * (default {@code ~/.cache/eventlens}) on Linux, {@code ~/Library/Caches/EventLens} on macOS,
     * {@code %LOCALAPPDATA%\EventLens\cache} on Windows.
     */
    public static Path cache(String osName, Map<String, String> env, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return absolute(env.get("LOCALAPPDATA"), home.resolve("AppData").resolve("Local")).resolve("EventLens").resolve("cache");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library").resolve("Caches").resolve("EventLens");
        }
        return absolute(env.get("XDG_CACHE_HOME"), home.resolve(".cache")).resolve("eventlens");
    }

    /** The cache folder ({@link #cache(String, Map, Path)}) of the user running this JVM. */
    public static Path userCache() {
        return cache(System.getProperty("os.name", ""), System.getenv(), home(System.getenv()));
    }

    /** The settings file, {@code settings.json} in the config folder. */
    public Path settingsFile() {
        return config.resolve("settings.json");
    }

    /** The folder new captures go to when none is open. */
    public Path captures() {
        return data.resolve("captures");
    }

    /** The folder of the desktop app's rolling log files. */
    public Path logs() {
        return data.resolve("logs");
    }

    private static Path absolute(String value, Path fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Path p = Path.of(value);
            return p.isAbsolute() ? p : fallback;
        } catch (java.nio.file.InvalidPathException e) {
            return fallback;
        }
    }
}
