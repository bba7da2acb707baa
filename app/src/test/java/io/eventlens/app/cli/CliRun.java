package io.eventlens.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

/**
 * One in-process run of the CLI with stdout and stderr captured.
 *
 * @param exitCode the command's exit code
 * @param out      what it printed on stdout
 * @param err      what it printed on stderr
 * @param elapsed  how long it took
 */
record CliRun(int exitCode, String out, String err, Duration elapsed) {

    /** Runs {@code eventlens args...} through {@link EventLensCommand#commandLine(String...)}, as {@code main} does. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = EventLensCommand.commandLine(args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        long start = System.nanoTime();
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public String toString() {
        return "exit " + exitCode + " after " + elapsed.toMillis() + " ms\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
    }
}
