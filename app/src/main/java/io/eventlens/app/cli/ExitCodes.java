package io.eventlens.app.cli;

/**
 * The CLI's exit codes (docs/reference/cli-contract.md, "Exit codes"); CI pipelines script against them.
 */
public final class ExitCodes {

    /** The command did its work. */
    public static final int OK = 0;
    /** Findings: something named by {@code --fail-on} was found. */
    public static final int FINDINGS = 1;
    /** Usage error: an unknown option, a missing or malformed value (picocli's parameter exceptions). */
    public static final int USAGE = 2;
    /** Input error: a bad or missing file, an unreachable broker; the message names the file or endpoint. */
    public static final int INPUT = 3;
    /** Internal error: a bug in EventLens; the stack trace is on stderr. */
    public static final int INTERNAL = 4;
    /** The desktop app cannot start here: no display, or the GTK 3 library is missing; the headless commands work. */
    public static final int NO_DESKTOP = 5;

    private ExitCodes() {
    }
}
