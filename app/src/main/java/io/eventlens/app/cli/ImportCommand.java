package io.eventlens.app.cli;

import io.eventlens.core.artifact.ArtifactSource;
import io.eventlens.core.store.CaptureStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens import SOURCE... --out FILE}: loads artifact files, CI-run folders and zips into a
 * capture store (docs/reference/cli-contract.md, docs/decisions/0014-artifact-import-and-triage.md).
 * Formats are detected by content: probe JSON/NDJSON and their variants, CloudEvents (single and
 * batch), kcat {@code -J}; JUnit reports are read and counted (their failed tests are what
 * {@code report} triages). Progress and a per-file summary go to stderr; stdout stays empty.
 * Exit 0 when everything was read; 3 when some input was damaged or refused (each problem names the
 * file and line on stderr; the valid records around it are imported all the same) or a source is missing.
 */
@Command(name = "import", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Import artifact files, CI-run folders or zips into a capture store.",
                "Formats are detected by content: probe events (JSON array, object with an events array, NDJSON),",
                "CloudEvents (structured, batch), kcat -J output, JUnit XML reports."},
        footer = {"", "Example:", "  eventlens import ci-artifacts.zip --out run.mv.db"})
public final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SOURCE", description = "Artifact files, folders or zips.")
    List<Path> sources = new ArrayList<>();

    @Mixin
    CommonOptions.CaptureOut out;

    @Option(names = "--quiet", description = "No progress lines or per-file summary on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Path file = out.file();
        ArtifactSource source;
        long total;
        try (CaptureStore store = CaptureStore.open(file)) {
            source = ArtifactImporter.importInto(sources, store, err, quiet, "eventlens import");
            total = store.eventCount();
        }
        err.printf("eventlens import: %s now holds %d events%n", file, total);
        err.flush();
        return source.problemCount() > 0 ? ExitCodes.INPUT : ExitCodes.OK;
    }
}
