package io.eventlens.app.cli;

import io.eventlens.core.artifact.CaptureExport;
import io.eventlens.core.store.CaptureStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens export --capture FILE [--out FILE.ndjson]}: writes a capture as EventLens's own
 * NDJSON ({@link CaptureExport}), which {@code import} reads back with full fidelity: bytes,
 * headers, coordinates and times. How captures are shared safely: the NDJSON is plain data, unlike
 * an H2 file whose stored definitions run when it is opened (docs/decisions/0007-untrusted-capture-files.md).
 * To stdout without {@code --out}. The capture is opened read-only. {@code --filter EXPR} writes only
 * the events the CEL expression keeps (docs/reference/filters.md); export analyses no flows, so an
 * expression naming {@code anomalies} or {@code verdict} is a usage error (exit 2).
 */
@Command(name = "export", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Write a capture as NDJSON that import reads back without loss (how captures are shared safely)."},
        footer = {"", "Examples:", "  eventlens export --capture run.mv.db --out run.ndjson && eventlens import run.ndjson --out copy.mv.db",
                "  eventlens export --capture run.mv.db --filter 'correlationId == \"c-42\"' --out c-42.ndjson"})
public final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.CaptureIn capture;

    @Mixin
    CommonOptions.Filter filter;

    @Option(names = "--out", paramLabel = "FILE", description = "The NDJSON file to write (replaced). Default: stdout.")
    Path out;

    @Override
    public Integer call() throws IOException {
        io.eventlens.core.filter.EventFilter eventFilter = filter.compile();
        if (eventFilter.needsAnalysis()) {
            throw new CommonOptions.BadFilter(spec.commandLine(), "--filter: export does not analyse flows, so"
                    + " 'anomalies' and 'verdict' have no values here; filter on the event's own fields");
        }
        Path file = capture.existingFile();
        PrintWriter err = spec.commandLine().getErr();
        long n;
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            if (out == null) {
                PrintWriter stdout = spec.commandLine().getOut();
                n = CaptureExport.write(store, stdout, eventFilter, written -> { });
                stdout.flush();
            } else {
                try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16)) {
                    n = CaptureExport.write(store, o, eventFilter, written -> { });
                } catch (IOException e) {
                    throw new InputException("cannot write " + out + ": " + e.getMessage(), e);
                }
            }
        }
        err.printf("eventlens export: %d events from %s to %s%n", n, file, out == null ? "stdout" : out);
        err.flush();
        return ExitCodes.OK;
    }
}
