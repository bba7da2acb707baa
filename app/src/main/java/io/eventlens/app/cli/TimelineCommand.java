package io.eventlens.app.cli;

import io.eventlens.app.cli.CommonOptions.OutputFormat;
import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.TimelineJson;
import io.eventlens.core.analysis.TimelineText;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens timeline}: one correlation ID's timeline from a capture store, with anomalies
 * and the verdict, as JSON ({@link TimelineJson}, the shape of DESIGN.md) or text
 * ({@link TimelineText}) on stdout. Exit 1 when a kind named by {@code --fail-on} is present
 * (an anomaly on any event, or the verdict); exit 3 naming the file when the capture is missing,
 * damaged or not a capture store. The capture is opened read-only ({@link CaptureStore#openReadOnly}):
 * it is checked before H2 runs anything in it, and its bytes stay the same.
 */
@Command(name = "timeline", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print one correlation ID's timeline with anomalies and the verdict."},
        footer = {"", "Examples:",
                "  eventlens timeline --capture run.mv.db --correlation-id c-42 --format json",
                "  eventlens timeline --capture run --correlation-id c-42 --fail-on DEAD_LETTERED,CONFLICTING_DUPLICATE"})
public final class TimelineCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.CaptureIn capture;

    @Mixin
    CommonOptions.Correlation correlation;

    @Mixin
    CommonOptions.Format format;

    @Mixin
    CommonOptions.FailOn failOn;

    @Option(names = "--lag-slo", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Latency SLO between consecutive steps; a slower hop is LAG. Default: 2s.")
    Duration lagSlo;

    @Override
    public Integer call() {
        OutputFormat fmt = format.require(EnumSet.of(OutputFormat.JSON, OutputFormat.TEXT));
        Set<String> failKinds = failOn.kinds();
        AnalysisSettings settings = AnalysisSettings.defaults();
        if (lagSlo != null) {
            if (lagSlo.isZero()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--lag-slo: must be positive, was 0");
            }
            settings = settings.withLagSlo(lagSlo);
        }
        Path file = capture.existingFile();
        String id = correlation.correlationId();
        Timeline timeline;
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            List<CapturedEvent> events = store.findByCorrelationId(id);
            timeline = new TimelineAnalyzer(settings).analyze(id, events);
            if (events.isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                List<String> similar = store.correlationIds("", 5);
                err.printf("eventlens timeline: no events with correlation ID '%s' in %s (%d events stored)%s%n",
                        id, file, store.eventCount(), similar.isEmpty() ? "" : "; some stored IDs: " + similar);
                err.flush();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        String text = fmt == OutputFormat.JSON ? TimelineJson.write(timeline) : TimelineText.render(timeline);
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
        out.flush();
        Set<String> found = kindsPresent(timeline);
        found.retainAll(failKinds);
        if (!found.isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("eventlens timeline: --fail-on matched " + found + " for correlation ID " + id);
            err.flush();
            return ExitCodes.FINDINGS;
        }
        return ExitCodes.OK;
    }

    /** The verdict kind and every anomaly kind on the timeline, by name. */
    static Set<String> kindsPresent(Timeline timeline) {
        Set<String> kinds = new LinkedHashSet<>();
        kinds.add(timeline.verdict().kind().name());
        for (TimelineEntry e : timeline.entries()) {
            e.anomalies().forEach(a -> kinds.add(a.kind().name()));
        }
        return kinds;
    }
}
