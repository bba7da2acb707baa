package io.eventlens.app;

import io.eventlens.app.cli.EventLensCommand;
import io.eventlens.app.cli.ExitCodes;
import io.eventlens.app.ui.EventLensApp;
import io.eventlens.app.ui.services.UserFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Entry point of {@code eventlens.jar}. No arguments (or {@code --demo}, or a capture file) opens
 * the desktop app; a subcommand runs headless (docs/reference/cli-contract.md).
 * Deliberately not a {@code javafx.application.Application} so the shaded jar starts on a
 * classpath JavaFX.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs EventLens; exits with the subcommand's exit code (0, 1, 2 or 3). The long headless
     * commands run in a child JVM with a bounded heap when no heap option was given
     * ({@link BoundedMemoryLaunch}).
     */
    public static void main(String[] args) {
        BoundedMemoryLaunch.exitWithParent();
        Launch launch = decide(args);
        chooseLogging(launch);
        switch (launch) {
            case Launch.Desktop d -> System.exit(runDesktop(d, args));
            case Launch.Cli c -> System.exit(BoundedMemoryLaunch.runIfWanted(c.args())
                    .orElseGet(() -> EventLensCommand.execute(c.args())));
            case Launch.Fail f -> {
                System.err.println("eventlens: " + f.message());
                System.exit(f.exitCode());
            }
        }
    }

    /**
     * Opens the desktop app and returns the exit code once its window closed: 0, or
     * {@link ExitCodes#NO_DESKTOP} with one line on stderr when this machine has no display or no
     * GTK 3 (never a stack trace for those; docs/reference/cli-contract.md).
     */
    static int runDesktop(Launch.Desktop d, String[] args) {
        var missing = DesktopCheck.missingDisplay(System.getProperty("os.name"), System.getenv(),
                System.getProperty("glass.platform"));
        if (missing.isPresent()) {
            System.err.println("eventlens: " + missing.get());
            return ExitCodes.NO_DESKTOP;
        }
        Optional<Integer> child = BoundedMemoryLaunch.runDesktopIfWanted(args);
        if (child.isPresent()) {
            return child.get();   // the app ran in a child JVM with a bounded heap
        }
        try {
            EventLensApp.launchApp(DesktopServices.real(), d.startDemo(), d.captureFile());
            return ExitCodes.OK;
        } catch (RuntimeException | Error e) {
            var why = DesktopCheck.explain(e);
            if (why.isEmpty()) {
                throw e;
            }
            System.err.println("eventlens: " + why.get());
            return ExitCodes.NO_DESKTOP;
        }
    }

    /** The SLF4J provider of the desktop app and {@code demo}: Log4j 2 (log4j2.xml). */
    static final String LOG4J_PROVIDER = "org.apache.logging.slf4j.SLF4JServiceProvider";
    /** The SLF4J provider of the other commands, {@code capture} included: SLF4J Simple (simplelogger.properties). */
    static final String SIMPLE_PROVIDER = "org.slf4j.simple.SimpleServiceProvider";

    /**
     * Picks the logging backend before the first logger exists, unless the user chose one with
     * {@code -Dslf4j.provider}: Log4j 2 for the desktop app and {@code demo} (the embedded broker
     * logs through it), SLF4J Simple for the commands, {@code capture} included, whose start-up it
     * shortens by about half a second of CPU (docs/decisions/0010-bounded-memory-launch.md).
     * Both write to stderr; the desktop app also to a rolling file in the user's data folder
     * ({@code log4j2-desktop.xml}, {@link UserFolders#logs()}).
     */
    static void chooseLogging(Launch launch) {
        if (launch instanceof Launch.Desktop && System.getProperty("log4j2.configurationFile") == null) {
            // the desktop app also logs to a rolling file in the user's data folder (log4j2-desktop.xml)
            System.setProperty("log4j2.configurationFile", "log4j2-desktop.xml");
            if (System.getProperty("eventlens.logDir") == null) {
                System.setProperty("eventlens.logDir", UserFolders.user().logs().toString());
            }
        }
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", provider(launch));
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN"); // no "Attempting to load provider" line
            }
        }
    }

    static String provider(Launch launch) {
        return switch (launch) {
            case Launch.Cli c when c.args().length > 0 && c.args()[0].equals("demo") -> LOG4J_PROVIDER;
            case Launch.Cli c -> SIMPLE_PROVIDER;
            case Launch.Fail f -> SIMPLE_PROVIDER;
            case Launch.Desktop d -> LOG4J_PROVIDER;
        };
    }

    /** What {@link #main} does with its arguments. */
    sealed interface Launch {
        /** Open the desktop app, optionally on the live demo or a capture file. */
        record Desktop(boolean startDemo, Path captureFile) implements Launch { }

        /** Run the headless CLI with these arguments. */
        record Cli(String[] args) implements Launch { }

        /** Refuse at once: print {@code message} to stderr and exit with {@code exitCode}. */
        record Fail(int exitCode, String message) implements Launch { }
    }

    /**
     * Decides between the desktop app and the CLI: no arguments → desktop; {@code --demo} alone →
     * desktop on the live demo; one existing {@code *.mv.db} file → desktop with that capture open
     * (a missing one → exit 3 naming it); anything else → the CLI (which reports unknown arguments
     * as usage errors).
     */
    static Launch decide(String[] args) {
        if (args.length == 0) {
            return new Launch.Desktop(false, null);
        }
        if (args.length == 1 && args[0].equals("--demo")) {
            return new Launch.Desktop(true, null);
        }
        if (args.length == 1 && args[0].endsWith(".mv.db")) {
            try {
                Path p = Paths.get(args[0]);
                if (Files.isRegularFile(p)) {
                    return new Launch.Desktop(false, p.toAbsolutePath());
                }
                return new Launch.Fail(ExitCodes.INPUT, "capture file not found: " + p.toAbsolutePath());
            } catch (java.nio.file.InvalidPathException e) {
                // not a path: let the CLI report it
            }
        }
        return new Launch.Cli(args);
    }
}
