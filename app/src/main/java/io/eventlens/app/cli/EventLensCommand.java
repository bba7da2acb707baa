package io.eventlens.app.cli;

import io.eventlens.core.kafka.KafkaConnectException;
import io.eventlens.core.store.CaptureStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * The root command {@code eventlens} of the headless CLI (docs/reference/cli-contract.md):
 * {@code --help}, {@code --version} and the subcommands {@code capture}, {@code timeline},
 * {@code import}, {@code report}, {@code export}, {@code check-contracts}, {@code replay} and {@code demo}. Build a ready-to-run command line with {@link #commandLine()}; it maps errors to the
 * contract's exit codes ({@link ExitCodes}): picocli parameter errors → 2, {@link InputException},
 * {@link KafkaConnectException} and {@link CaptureStoreException} → 3 with their message on stderr,
 * anything else → 4 with a stack trace.
 */
@Command(name = "eventlens", mixinStandardHelpOptions = true, versionProvider = EventLensCommand.Version.class,
        description = {"EventLens: the event-flow inspector (capture, timeline, import, report, export, check-contracts, replay, demo).",
                "Without arguments, java -jar eventlens.jar opens the desktop app."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:findings: a kind named by --fail-on was found",
            "2:usage error",
            "3:input error: bad or missing file, unreachable broker (the message names it)",
            "4:internal error (a bug; stack trace on stderr)"})
public final class EventLensCommand implements Runnable {

    /**
     * The subcommands' names, in the order the root's usage lists them. Added to the root by
     * {@link #commandLine(String...)}, not by the {@code @Command} annotation, so that a command line
     * for one subcommand builds only that one's model (docs/decisions/0023-one-subcommand-model.md).
     */
    static final List<String> SUBCOMMANDS = List.of("capture", "timeline", "import", "report", "export",
            "check-contracts", "replay", "demo", "help");

    /**
     * A new instance of the subcommand named {@code name}, one of {@link #SUBCOMMANDS}. A switch, not
     * a map of constructor references: the JVM's ahead-of-time cache keeps resolved method
     * references, and one to picocli's {@code HelpCommand} (Java 5 bytecode, which the cache cannot
     * hold) made Java 25's cache assembly crash (docs/decisions/0023-one-subcommand-model.md).
     */
    static Object newSubcommand(String name) {
        return switch (name) {
            case "capture" -> new CaptureCommand();
            case "timeline" -> new TimelineCommand();
            case "import" -> new ImportCommand();
            case "report" -> new ReportCommand();
            case "export" -> new ExportCommand();
            case "check-contracts" -> new CheckContractsCommand();
            case "replay" -> new ReplayCommand();
            case "demo" -> new DemoCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    @Spec
    CommandSpec spec;

    /** Without a subcommand the root prints its usage to stderr (a usage error). */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: capture, timeline, import, report, export, replay or demo");
    }

    /**
     * A command line for {@code eventlens}, with the contract's exit codes, case-insensitive enum
     * values ({@code --format JSON} works) and stdout/stderr as its out/err. Tests redirect them
     * with {@code setOut}/{@code setErr}.
     */
    public static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * A command line for {@code eventlens} as {@link #commandLine()}, for running {@code args}: when
     * {@code args[0]} names a subcommand other than {@code help}, the root holds only that subcommand
     * (its parsing, help and errors are the same; the others' models are not built: about 0.1–0.2 s
     * less start-up for every command, docs/decisions/0023-one-subcommand-model.md); otherwise all of them.
     */
    public static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new EventLensCommand());
        String first = args.length > 0 ? args[0] : null;
        if (first != null && !first.equals("help") && SUBCOMMANDS.contains(first)) {
            cl.addSubcommand(first, newSubcommand(first));
        } else {
            for (String name : SUBCOMMANDS) {
                cl.addSubcommand(name, newSubcommand(name));
            }
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.INTERNAL);
        cl.setExecutionExceptionHandler(EventLensCommand::handleExecutionException);
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            if (ex instanceof CommonOptions.BadFilter) {
                // the expression and its caret are the help here; the usage text would bury them
                PrintWriter err = ex.getCommandLine().getErr();
                err.println("eventlens " + ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
                err.flush();
                return ExitCodes.USAGE;
            }
            return usage.handleParseException(ex, rest);
        });
        cl.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
        cl.getCommandSpec().exitCodeOnExecutionException(ExitCodes.INTERNAL);
        return cl;
    }

    /** Runs {@code args} headless and returns the exit code (0, 1, 2, 3 or 4); never calls System.exit. */
    public static int execute(String... args) {
        return commandLine(args).execute(args);
    }

    private static int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String command = "eventlens " + cl.getCommandName();
        if (ex instanceof CommandLine.ParameterException pe) {
            err.println(command + ": " + pe.getMessage());
            pe.getCommandLine().usage(err);
            err.flush();
            return ExitCodes.USAGE;
        }
        if (ex instanceof InputException || ex instanceof KafkaConnectException || ex instanceof CaptureStoreException) {
            err.println(command + ": " + ex.getMessage());
            err.flush();
            return ExitCodes.INPUT;
        }
        err.println(command + ": internal error: " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ExitCodes.INTERNAL;
    }

    /** {@code --version}: the build's version from {@code eventlens-version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = EventLensCommand.class.getResourceAsStream("/eventlens-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                // fall through to "unknown"
            }
            String v = p.getProperty("version", "unknown");
            if (v.startsWith("${")) {
                v = "development build";
            }
            return new String[] {"EventLens " + v, "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
