package io.eventlens.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.app.cli.CommonOptions.OutputFormat;
import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.TimelineJson;
import io.eventlens.core.analysis.TimelineText;
import io.eventlens.core.flowmodel.FlowFile;
import io.eventlens.core.flowmodel.FlowFileException;
import io.eventlens.core.consumers.ConsumptionIndex;
import io.eventlens.core.flowmodel.FlowJudge;
import io.eventlens.core.flowmodel.FlowModel;
import io.eventlens.core.flowmodel.FlowModelLearner;
import io.eventlens.core.flowmodel.FlowModelSettings;
import io.eventlens.core.flowmodel.FlowPath;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.store.DamagedBlockException;
import io.eventlens.core.store.Lookup;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens timeline}: one correlation ID's timeline from a capture store, with anomalies
 * and the verdict, as JSON ({@link TimelineJson}, the shape of docs/reference/cli-contract.md) or text
 * ({@link TimelineText}) on stdout. Exit 1 when a kind named by {@code --fail-on} is present
 * (an anomaly on any event, or the verdict); exit 3 naming the file when the capture is missing,
 * damaged or not a capture store. The capture is opened read-only ({@link CaptureStore#openReadOnly}):
 * it is checked before H2 runs anything in it, and its bytes stay the same. Damaged event blocks are
 * skipped: a warning on stderr names the file, their count and each block, and the JSON gets
 * {@code "damagedBlocks": N} (0 when none) after the members of {@link TimelineJson}.
 *
 * <p>At most {@code --max-events} events (default {@link CaptureStore#DEFAULT_LOOKUP_LIMIT}) are
 * analysed: the first ones of the correlation ID in store order. When it has more, a warning on
 * stderr says "showing the first N of M events" and the JSON says {@code "truncated": true}; its
 * {@code "storedEvents"} is M either way (docs/reference/cli-contract.md).
 *
 * <p>Expected flows (docs/reference/anomalies-and-verdicts.md, "Expected flows"): unless
 * {@code --no-learn}, the flow families are learned from every flow of the capture (one sequential
 * read of it; above {@value #LEARN_AUTO_LIMIT} events only with {@code --learn}, else a note on stderr) and the flow is judged against its family: STOPPED, MISSING_STEP, learned LAG,
 * IN_FLIGHT; {@code --flows FILE} declares families (declared beats learned; a file that cannot be
 * read is exit 3 naming file and line, a bad flow in it a warning naming the line, the other flows
 * are used). The JSON gets {@code "expectedFlow": {"family", "source", "note", "flowsLearnedFrom"}}
 * last; the text a last "Expected flow:" line. {@code --fail-on} matches the kinds of the expected
 * steps too (a dead-lettered flow that also stopped matches STOPPED).
 *
 * <p>{@code --filter EXPR} (docs/reference/filters.md) shows only the entries whose event the CEL
 * expression keeps, with the flow's own anomalies and verdict as variables; the verdict and
 * {@code --fail-on} still judge the whole flow. The JSON gets {@code "filter": {"expression",
 * "keptEvents", "analysedEvents"}}; a bad expression is exit 2 with the expression and a caret.
 */
@Command(name = "timeline", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print one correlation ID's timeline with anomalies and the verdict."},
        footer = {"", "Examples:",
                "  eventlens timeline --capture run.mv.db --correlation-id c-42 --format json",
                "  eventlens timeline --capture run --correlation-id c-42 --fail-on DEAD_LETTERED,CONFLICTING_DUPLICATE",
                "  eventlens timeline --capture run --correlation-id c-42 --contracts contracts/ --fail-on CONTRACT_VIOLATION",
                "  eventlens timeline --capture run --correlation-id c-42 --flows checkout.flows.yaml --fail-on STOPPED,MISSING_STEP",
                "  eventlens timeline --capture run --correlation-id c-42 --filter '\"LAG\" in anomalies || channel == \"payments\"'"})
public final class TimelineCommand implements Callable<Integer> {

    /** Writes the JSON as {@link TimelineJson#write} does (pretty-printed). */
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    @Mixin
    CommonOptions.ContractsIn contracts;

    @Mixin
    CommonOptions.Filter filter;

    @Option(names = "--lag-slo", paramLabel = "DURATION", converter = Durations.Converter.class,
            description = "Latency SLO between consecutive steps; a slower hop is LAG. Default: 2s.")
    Duration lagSlo;

    @Option(names = "--max-events", paramLabel = "N",
            description = "Analyse at most the first N events of the correlation ID (in capture order);"
                    + " a warning says when it has more. Default: 100000.")
    int maxEvents = CaptureStore.DEFAULT_LOOKUP_LIMIT;

    @Option(names = "--flows", paramLabel = "FILE",
            description = "Declared expected flows (YAML or JSON flow file, docs/reference/flow-files.md);"
                    + " declared beats learned.")
    Path flowsFile;

    @Option(names = "--learn-from", paramLabel = "FILE",
            description = "Another capture of the same system to learn expected flows from as well (repeatable;"
                    + " read-only). The flows of --capture are the ones judged.")
    List<Path> learnFrom = new java.util.ArrayList<>();

    @Option(names = "--no-learn", description = "Do not learn expected flows from the capture (no STOPPED,"
            + " MISSING_STEP, learned LAG or IN_FLIGHT unless --flows declares them).")
    boolean noLearn;

    @Option(names = "--learn", description = "Learn expected flows even from a capture of more than 200000 events"
            + " (learning reads the whole capture once; smaller captures are always learned from).")
    boolean forceLearn;

    /** Captures with more events are learned from only with {@code --learn} (one full read costs seconds). */
    static final long LEARN_AUTO_LIMIT = 200_000;

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
        if (maxEvents < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--max-events: must be 1 or more, was " + maxEvents);
        }
        io.eventlens.core.filter.EventFilter eventFilter = filter.compile();
        Path file = capture.existingFile();
        io.eventlens.core.contracts.Contracts checked = contracts.load(spec.commandLine().getErr(), "eventlens timeline");
        String id = correlation.correlationId();
        FlowFile declared = null;
        if (flowsFile != null) {
            try {
                declared = FlowFile.read(flowsFile);
            } catch (FlowFileException e) {
                throw new InputException("eventlens timeline: --flows: " + e.getMessage(), e);
            }
            PrintWriter err = spec.commandLine().getErr();
            declared.problems().forEach(p -> err.println("eventlens timeline: warning: --flows: " + p));
            err.flush();
        }
        FlowJudge.Judgement judgement = null;
        FlowModel model = null;
        Timeline timeline;
        List<DamagedBlockException> damaged;
        Lookup lookup;
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            lookup = store.findByCorrelationId(id, maxEvents);
            List<CapturedEvent> events = lookup.events();
            timeline = new TimelineAnalyzer(settings).withContracts(checked).analyze(id, events);
            boolean learn = !noLearn && (forceLearn || store.eventCount() <= LEARN_AUTO_LIMIT);
            if (!noLearn && !learn) {
                PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "eventlens timeline: note: expected flows not learned from the %d events of %s"
                        + " (more than %d); --learn learns them (one full read of the capture)%n", store.eventCount(), file,
                        LEARN_AUTO_LIMIT);
                err.flush();
            }
            if (!events.isEmpty() && (learn || declared != null)) {
                model = !learn ? FlowModelLearner.learn(store, new FlowModelSettings(Integer.MAX_VALUE, 100, 1.5, 0.5,
                        0.9, 2.0, java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(30)), null, null)
                        : learnWithOthers(store);
                if (declared != null) {
                    model = model.withDeclared(declared.flows());
                }
                FlowJudge judge = new FlowJudge(model);
                judgement = judge.judge(FlowPath.of(id, timeline.entries().stream().map(TimelineEntry::event).toList()));
                timeline = judge.apply(timeline);
            }
            // who consumed each event, and a flow a consumer group never read past (docs/decisions/0021-consumer-groups.md)
            timeline = new ConsumptionIndex(store.consumerProgress()).judge(timeline);
            if (events.isEmpty()) {
                PrintWriter err = spec.commandLine().getErr();
                List<String> similar = store.correlationIds("", 5);
                err.printf("eventlens timeline: no events with correlation ID '%s' in %s (%d events stored)%s%n",
                        id, file, store.eventCount(), similar.isEmpty() ? "" : "; some stored IDs: " + similar);
                err.flush();
            }
            damaged = store.damagedBlocks();
        }
        warnDamaged(file, damaged);
        if (lookup.truncated()) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "eventlens timeline: warning: showing the first %d of %d events with correlation ID"
                    + " '%s' in %s (--max-events %d)%n", lookup.events().size(), lookup.totalCount(), id, file, maxEvents);
            err.flush();
        }
        // --fail-on looks at the whole flow; --filter cuts what is shown (docs/decisions/0022-cel-filters.md)
        Timeline shown = io.eventlens.core.filter.TimelineFilter.apply(timeline, eventFilter);
        PrintWriter out = spec.commandLine().getOut();
        String text = fmt == OutputFormat.JSON ? json(shown, damaged.size(), lookup, judgement, model, eventFilter,
                timeline.entries().size())
                : TimelineText.render(shown) + expectedFlowLine(judgement, model)
                        + (eventFilter.keepsAll() ? "" : "\nFilter: " + eventFilter.expression() + " (kept "
                                + shown.entries().size() + " of " + timeline.entries().size() + " events)\n");
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

    /** Names the file and the count of skipped damaged blocks on stderr, then the first few blocks. */
    private void warnDamaged(Path file, List<DamagedBlockException> damaged) {
        if (damaged.isEmpty()) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("eventlens timeline: warning: %d damaged block%s skipped in %s; the timeline may miss their events%n",
                damaged.size(), damaged.size() == 1 ? "" : "s", file);
        damaged.stream().limit(5).forEach(d -> err.println("  " + d.getMessage()));
        if (damaged.size() > 5) {
            err.println("  ... and " + (damaged.size() - 5) + " more");
        }
        err.flush();
    }

    /**
     * {@link TimelineJson}'s document plus {@code "damagedBlocks": n}, {@code "storedEvents": m}
     * and {@code "truncated": b} as its last members.
     */
    private static String json(Timeline timeline, int damagedBlocks, Lookup lookup, FlowJudge.Judgement judgement,
                               FlowModel model, io.eventlens.core.filter.EventFilter eventFilter, int analysedEvents) {
        ObjectNode root = TimelineJson.toTree(timeline);
        root.put("damagedBlocks", damagedBlocks);
        root.put("storedEvents", lookup.totalCount());
        root.put("truncated", lookup.truncated());
        if (!eventFilter.keepsAll()) {
            ObjectNode f = root.putObject("filter");
            f.put("expression", eventFilter.expression());
            f.put("keptEvents", timeline.entries().size());
            f.put("analysedEvents", analysedEvents);
        }
        if (judgement != null) {
            ObjectNode x = root.putObject("expectedFlow");
            x.put("family", judgement.family());
            x.put("source", judgement.source());
            x.put("note", judgement.note());
            var family = judgement.family() == null || !"learned".equals(judgement.source()) ? null
                    : model.families().values().stream().filter(f -> f.name().equals(judgement.family())).findFirst()
                            .orElse(null);
            if (family == null) {
                x.putNull("flowsLearnedFrom");
            } else {
                x.put("flowsLearnedFrom", family.flowCount());
            }
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write timeline " + timeline.correlationId() + " as JSON", e);
        }
    }

    /** Learns from {@code store} and every {@code --learn-from} capture (each opened read-only, then closed). */
    private FlowModel learnWithOthers(CaptureStore store) {
        List<CaptureStore> others = new java.util.ArrayList<>();
        try {
            for (Path p : learnFrom) {
                Path f = CommonOptions.storeFile(p);
                if (!java.nio.file.Files.isRegularFile(f) || !java.nio.file.Files.isReadable(f)) {
                    throw new InputException("--learn-from: capture file not found or not readable: " + f);
                }
                others.add(CaptureStore.openReadOnly(f));
            }
            return FlowModelLearner.learn(store, others, FlowModelSettings.defaults(), List.of(), null, null);
        } finally {
            others.forEach(CaptureStore::close);
        }
    }

    /**
     * The text form's last line about the expected flow: which family judged the flow (learned from
     * how many flows, or declared), or why nothing was inferred.
     */
    private static String expectedFlowLine(FlowJudge.Judgement j, FlowModel model) {
        if (j == null) {
            return "";
        }
        if (j.note() != null && !"learned".equals(j.source()) && !"declared".equals(j.source())) {
            return "\nExpected flow: " + j.note() + "\n";
        }
        if ("declared".equals(j.source())) {
            return "\nExpected flow: declared " + j.family() + (j.note() == null ? "" : "; " + j.note()) + "\n";
        }
        if ("learned".equals(j.source())) {
            int n = model.families().values().stream().filter(f -> f.name().equals(j.family()))
                    .mapToInt(io.eventlens.core.flowmodel.FlowFamily::flowCount).findFirst().orElse(0);
            return "\nExpected flow: learned family " + j.family() + " (" + n + " flows)"
                    + (j.note() == null ? "" : "; " + j.note()) + "\n";
        }
        return "";
    }

    /** The verdict kind and every anomaly kind on the timeline, by name. */
    static Set<String> kindsPresent(Timeline timeline) {
        Set<String> kinds = new LinkedHashSet<>();
        kinds.add(timeline.verdict().kind().name());
        for (TimelineEntry e : timeline.entries()) {
            e.anomalies().forEach(a -> kinds.add(a.kind().name()));
        }
        // a dead-lettered flow that also stopped: STOPPED is still found
        timeline.expectedSteps().forEach(x -> kinds.add(x.kind().name()));
        return kinds;
    }
}
