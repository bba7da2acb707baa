package io.eventlens.app;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, before JavaFX starts, whether the desktop app can open a window, and turns JavaFX's own
 * start-up failures into one line for the user (docs/reference/cli-contract.md, "Exit codes": 5).
 * Linux only: other systems always have a display when a user starts a desktop app.
 */
final class DesktopCheck {

    /** Printed after the reason: the headless commands need no display. */
    static final String CLI_HINT = "the headless commands work without one (eventlens --help, eventlens timeline ...)";

    private DesktopCheck() {
    }

    /**
     * The reason the desktop app cannot start here, or empty when it may try: on Linux, neither
     * {@code DISPLAY} nor {@code WAYLAND_DISPLAY} is set (and no headless glass platform such as
     * Monocle was chosen with {@code -Dglass.platform}).
     *
     * @param osName        the {@code os.name} system property
     * @param env           the process environment
     * @param glassPlatform the {@code glass.platform} system property, or {@code null}
     */
    static Optional<String> missingDisplay(String osName, Map<String, String> env, String glassPlatform) {
        if (osName == null || !osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return Optional.empty();
        }
        if (glassPlatform != null && !glassPlatform.isBlank() && !glassPlatform.equalsIgnoreCase("gtk")) {
            return Optional.empty();
        }
        if (isSet(env.get("DISPLAY")) || isSet(env.get("WAYLAND_DISPLAY"))) {
            return Optional.empty();
        }
        return Optional.of("no display: DISPLAY and WAYLAND_DISPLAY are unset, so the desktop app cannot open a window; "
                + CLI_HINT);
    }

    /**
     * The one-line explanation of a JavaFX toolkit start-up failure, or empty when {@code failure}
     * is something else (a bug, reported with its stack trace). JavaFX reports a missing GTK 3
     * library as {@code UnsupportedOperationException("Unable to load glass GTK library")} and an
     * unreachable X server as {@code UnsupportedOperationException("Unable to open DISPLAY")}.
     */
    static Optional<String> explain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof UnsupportedOperationException && m.contains("GTK")) {
                return Optional.of("the GTK 3 library (libgtk-3.so.0) could not be loaded, so the desktop app cannot open a "
                        + "window; install it (Debian/Ubuntu: apt install libgtk-3-0); " + CLI_HINT);
            }
            if (t instanceof UnsupportedOperationException && m.contains("DISPLAY")) {
                return Optional.of("cannot open the display '" + System.getenv().getOrDefault("DISPLAY", "")
                        + "' (is the X server running and may this user connect to it?); " + CLI_HINT);
            }
        }
        return Optional.empty();
    }

    private static boolean isSet(String v) {
        return v != null && !v.isBlank();
    }
}
