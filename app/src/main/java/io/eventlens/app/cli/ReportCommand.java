package io.eventlens.app.cli;

import io.eventlens.app.cli.CommonOptions.OutputFormat;
import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.artifact.ArtifactSource;
import io.eventlens.core.consumers.ConsumptionIndex;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.triage.TestTriage;
import io.eventlens.core.triage.Triage;
import io.eventlens.core.triage.TriageJson;
import io.eventlens.core.triage.TriageJunit;
import io.eventlens.core.triage.TriageMarkdown;
import io.eventlens.core.triage.TriageReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens report SOURCE... --format md|json|junit [--fail-on KINDS]}: the triage report of a
 * CI run's artifacts (docs/decisions/0014-artifact-import-and-triage.md). The sources (files,
 * folders, zips) are imported into a temporary capture store (or into {@code --out FILE} when given);
 * {@code --capture FILE} adds an existing capture (a live capture of the same run). For each failed
 * test of the JUnit reports: its correlation IDs and each timeline's verdict ({@link Triage}). The
 * report goes to stdout; progress and problems to stderr. Exit 1 when a failed test's verdict is in
 * {@code --fail-on} (verdict kinds, or {@code NO_CORRELATION_ID}); 3 when no JUnit report was found,
 * a source is missing or the capture is unreadable. Damaged artifacts are named on stderr and in the
 * report; they do not change the exit code. Expected flows are learned from the run's events (up to
 * {@value TimelineCommand#LEARN_AUTO_LIMIT} events; docs/reference/anomalies-and-verdicts.md,
 * "Expected flows"), so a flow that stopped is STOPPED and {@code --fail-on STOPPED} can fire.
 * {@code --filter EXPR} (docs/reference/filters.md) keeps in each timeline only the events the CEL
 * expression keeps; the verdicts still judge whole flows.
 */
@Command(name = "report", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Triage a CI run: for each failed test of its JUnit reports, its correlation IDs and verdicts."},
        footer = {"", "Examples:",
                "  eventlens report ci-artifacts.zip --format md >> \"$GITHUB_STEP_SUMMARY\"",
                "  eventlens report build/artifacts --format junit --fail-on DEAD_LETTERED,STOPPED > eventlens-triage.xml"})
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SOURCE",
            description = "The CI run's artifacts: files, folders or zips (JUnit reports, probe dumps, kcat -J, CloudEvents).")
    List<Path> sources = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "md (a pull-request comment or pipeline summary), json or junit. Default: md.")
    OutputFormat format = OutputFormat.MD;

    @Mixin
    CommonOptions.ContractsIn contracts;

    @Mixin
    CommonOptions.Filter filter;

    @Option(names = "--fail-on", split = ",", paramLabel = "KIND",
            description = "Exit 1 (and mark the JUnit test case failed) when a failed test's verdict is one of these:"
                    + " NO_EVENTS, DEAD_LETTERED, STOPPED, ISOLATION_BROKEN, CONFLICTING_DUPLICATE, OUT_OF_ORDER, LAG, HEALTHY,"
                    + " NO_CORRELATION_ID. Case-insensitive, comma-separated.")
    List<String> failOn = new ArrayList<>();

    @Option(names = "--capture", paramLabel = "FILE",
            description = "Also use the events of this capture store (copied; the file is not changed).")
    Path capture;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Keep the imported capture in this store (created or appended to). Default: a temporary store.")
    Path out;

    @Option(names = "--id-pattern", paramLabel = "REGEX",
            description = "What a correlation ID looks like in test output (besides IDs the capture knows). Default: UUIDs.")
    String idPattern;

    @Option(names = "--lag-slo", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Latency SLO between consecutive steps. Default: 2s (a test's own shorter timeout wins).")
    Duration lagSlo;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        if (format == OutputFormat.TEXT) {
            throw new ParameterException(spec.commandLine(), "--format: report supports [md, json, junit], not text");
        }
        io.eventlens.core.filter.EventFilter eventFilter = filter.compile();
        Set<String> failKinds = failKinds();
        Pattern pattern = pattern();
        AnalysisSettings settings = AnalysisSettings.defaults();
        if (lagSlo != null) {
            if (lagSlo.isZero()) {
                throw new ParameterException(spec.commandLine(), "--lag-slo: must be positive, was 0");
            }
            settings = settings.withLagSlo(lagSlo);
        }
        PrintWriter err = spec.commandLine().getErr();
        io.eventlens.core.contracts.Contracts checked = contracts.load(err, "eventlens report");
        Path temp = null;
        TriageReport report;
        try {
            Path storeFile;
            if (out != null) {
                storeFile = CommonOptions.storeFile(out);
            } else {
                temp = Files.createTempDirectory("eventlens-report");
                storeFile = temp.resolve("run.mv.db");
            }
            if (capture != null) {
                Path given = CommonOptions.storeFile(capture);
                if (!Files.isRegularFile(given)) {
                    throw new InputException("capture file not found: " + given);
                }
                try (CaptureStore source = CaptureStore.openReadOnly(given)) {
                    if (Files.exists(storeFile)) {
                        throw new InputException("--out " + storeFile + " exists: give --capture or --out, not both");
                    }
                    source.copyTo(storeFile);
                }
            }
            try (CaptureStore store = CaptureStore.open(storeFile)) {
                ArtifactSource imported = ArtifactImporter.importInto(sources, store, err, quiet, "eventlens report");
                if (imported.failedTests().isEmpty() && imported.testCount() == 0) {
                    throw new InputException("no JUnit XML report found in " + sources
                            + " (the report triages the failed tests of a CI run's test reports)");
                }
                List<String> names = sources.stream().map(Path::toString).toList();
                Triage triage = new Triage(store, settings, pattern, checked);
                java.util.function.UnaryOperator<io.eventlens.core.analysis.Timeline> judge =
                        java.util.function.UnaryOperator.identity();
                if (store.eventCount() <= TimelineCommand.LEARN_AUTO_LIMIT) {
                    // expected flows learned from the run's own events: STOPPED and MISSING_STEP can fire
                    judge = new io.eventlens.core.flowmodel.FlowJudge(io.eventlens.core.flowmodel.FlowModelLearner
                            .learn(store, io.eventlens.core.flowmodel.FlowModelSettings.defaults(), null, null))::apply;
                }
                java.util.function.UnaryOperator<io.eventlens.core.analysis.Timeline> judged = judge;
                // the consumer groups a --capture followed (docs/decisions/0021-consumer-groups.md): a flow
                // whose event a group never read is STOPPED here as in `timeline`
                ConsumptionIndex consumption = new ConsumptionIndex(store.consumerProgress());
                // --filter: each timeline shows the events it keeps; verdicts judge the whole flow
                triage.withJudge(t -> io.eventlens.core.filter.TimelineFilter.apply(
                        consumption.judge(judged.apply(t)), eventFilter));
                report = triage.triage(names, imported.failedTests(), imported.testCount(),
                        imported.problemCount(), imported.problems());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary capture store", e);
        } finally {
            deleteQuietly(temp);
        }
        String text = switch (format) {
            case JSON -> TriageJson.write(report);
            case JUNIT -> TriageJunit.render(report, failKinds);
            default -> TriageMarkdown.render(report);
        };
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(text);
        stdout.flush();
        Set<String> matched = new LinkedHashSet<>();
        for (TestTriage t : report.failed()) {
            if (TriageJunit.failing(t, failKinds)) {
                matched.add(t.test().displayName() + " (" + t.headline() + ")");
            }
        }
        if (!matched.isEmpty()) {
            err.println("eventlens report: --fail-on matched " + matched.size() + " failed test"
                    + (matched.size() == 1 ? "" : "s") + ": " + String.join(", ", matched));
            err.flush();
            return ExitCodes.FINDINGS;
        }
        return ExitCodes.OK;
    }

    private Set<String> failKinds() {
        Set<String> kinds = new LinkedHashSet<>();
        for (String k : failOn) {
            String name = k.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                continue;
            }
            boolean ok = name.equals(TestTriage.NO_CORRELATION_ID);
            for (io.eventlens.core.analysis.VerdictKind v : io.eventlens.core.analysis.VerdictKind.values()) {
                ok |= v.name().equals(name);
            }
            if (!ok) {
                throw new ParameterException(spec.commandLine(), "--fail-on: '" + k + "' is not a verdict kind "
                        + EnumSet.allOf(io.eventlens.core.analysis.VerdictKind.class) + " or NO_CORRELATION_ID");
            }
            kinds.add(name);
        }
        return kinds;
    }

    private Pattern pattern() {
        if (idPattern == null) {
            return Triage.DEFAULT_ID_PATTERN;
        }
        try {
            return Pattern.compile(idPattern);
        } catch (PatternSyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--id-pattern: '" + idPattern + "' is not a valid regex: "
                    + e.getDescription());
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
