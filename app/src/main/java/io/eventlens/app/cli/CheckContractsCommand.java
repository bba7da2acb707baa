package io.eventlens.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventlens.app.cli.CommonOptions.OutputFormat;
import io.eventlens.core.analysis.ContractViolation;
import io.eventlens.core.contracts.ContractReport;
import io.eventlens.core.contracts.Contracts;
import io.eventlens.core.store.CaptureStore;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eventlens check-contracts --capture FILE --contracts PATH [--format text|json]}: checks
 * every event of a capture against its contract ({@link ContractReport}; docs/reference/contracts.md)
 * and prints, per channel and type, how many were checked, passed and failed, the most common
 * violations and the first failing events. For pipelines: exit 1 when any event broke its contract,
 * 3 when the capture or the contracts cannot be read (the message names the file), 0 otherwise.
 * The capture is opened read-only.
 */
@Command(name = "check-contracts", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Check every event of a capture against its contract (JSON Schema, AsyncAPI, CloudEvents);"
                + " exit 1 on violations."},
        footer = {"", "Examples:",
                "  eventlens check-contracts --capture run.mv.db --contracts contracts/",
                "  eventlens check-contracts --capture run --contracts shop.asyncapi.yaml --format json > contracts.json"})
public final class CheckContractsCommand implements Callable<Integer> {

    /** The version of the JSON shape written by {@code --format json}. */
    public static final int SCHEMA_VERSION = 1;
    /** Failing events listed per group in the output. */
    static final int LISTED_FAILURES = 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions.CaptureIn capture;

    @Option(names = "--contracts", required = true, paramLabel = "PATH",
            description = "A mapping file (eventlens-contracts.yaml), a folder, an AsyncAPI 2/3 document or a JSON Schema"
                    + " file. Local files only: remote $refs are refused, never fetched.")
    Path contracts;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    OutputFormat format = OutputFormat.TEXT;

    @Override
    public Integer call() {
        if (format != OutputFormat.TEXT && format != OutputFormat.JSON) {
            throw new ParameterException(spec.commandLine(), "--format: check-contracts supports "
                    + EnumSet.of(OutputFormat.TEXT, OutputFormat.JSON) + ", not " + format);
        }
        PrintWriter err = spec.commandLine().getErr();
        CommonOptions.ContractsIn in = new CommonOptions.ContractsIn();
        in.contracts = contracts;
        Contracts loaded = in.load(err, "eventlens check-contracts");
        Path file = capture.existingFile();
        ContractReport report;
        int damaged;
        try (CaptureStore store = CaptureStore.openReadOnly(file)) {
            report = ContractReport.scan(store, loaded, () -> false);
            damaged = store.damagedBlocks().size();
        }
        if (damaged > 0) {
            err.printf("eventlens check-contracts: warning: %d damaged block%s skipped in %s%n", damaged,
                    damaged == 1 ? "" : "s", file);
        }
        err.printf(Locale.ROOT, "eventlens check-contracts: %d events, %d checked against %d contracts, %d failed%n",
                report.scanned(), report.checked(), loaded.contracts().size(), report.failed());
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == OutputFormat.JSON ? json(report, file, loaded, damaged) : text(report));
        out.flush();
        return report.failed() > 0 ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    /** For people: one block per channel and type, failing ones first. */
    static String text(ContractReport report) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %d of %d checked events broke their contract (%d events had no contract)%n",
                report.failed() > 0 ? "FAILED" : "OK", report.failed(), report.checked(), report.unmatched()));
        for (ContractReport.Group g : report.groups()) {
            sb.append(String.format(Locale.ROOT, "%n%s %s  [%s]  checked %d, passed %d, failed %d%n", g.channel(),
                    g.type() == null ? "(no type)" : g.type(), g.contract(), g.checked(), g.passed(), g.failed()));
            for (ContractReport.ViolationCount v : g.violations().subList(0, Math.min(5, g.violations().size()))) {
                sb.append(String.format(Locale.ROOT, "  %6d x %s: %s (%s)%n", v.count(),
                        v.pointer().isEmpty() ? "/" : v.pointer(), v.message(), v.rule()));
            }
            for (ContractReport.Failure f : g.failures().subList(0, Math.min(5, g.failures().size()))) {
                sb.append("  #").append(f.seq()).append(" on ").append(f.channel());
                if (f.correlationId() != null) {
                    sb.append(" (").append(f.correlationId()).append(')');
                }
                sb.append(": ").append(f.check().summary()).append('\n');
            }
            if (g.failed() > 5) {
                sb.append("  ... and ").append(g.failed() - 5).append(" more failing events\n");
            }
        }
        return sb.toString();
    }

    /** For pipelines: the shape of docs/reference/cli-contract.md#check-contracts---format-json. */
    static String json(ContractReport report, Path capture, Contracts contracts, int damagedBlocks) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        root.put("capture", capture.toString());
        root.put("contracts", contracts.source().toString());
        root.put("passed", report.failed() == 0);
        ObjectNode summary = root.putObject("summary");
        summary.put("events", report.scanned());
        summary.put("checked", report.checked());
        summary.put("failed", report.failed());
        summary.put("unmatched", report.unmatched());
        summary.put("tombstones", report.tombstones());
        summary.put("damagedBlocks", damagedBlocks);
        ArrayNode groups = root.putArray("groups");
        for (ContractReport.Group g : report.groups()) {
            ObjectNode gn = groups.addObject();
            gn.put("channel", g.channel());
            gn.put("type", g.type());
            gn.put("contract", g.contract());
            gn.put("checked", g.checked());
            gn.put("passed", g.passed());
            gn.put("failed", g.failed());
            ArrayNode vs = gn.putArray("violations");
            for (ContractReport.ViolationCount v : g.violations()) {
                vs.addObject().put("pointer", v.pointer()).put("rule", v.rule()).put("message", v.message()).put("count", v.count());
            }
            ArrayNode fs = gn.putArray("failures");
            for (ContractReport.Failure f : g.failures().subList(0, Math.min(LISTED_FAILURES, g.failures().size()))) {
                ObjectNode fn = fs.addObject();
                fn.put("seq", f.seq());
                fn.put("channel", f.channel());
                fn.put("correlationId", f.correlationId());
                fn.put("schema", f.check().schema());
                fn.put("matchedBy", f.check().matchedBy());
                fn.put("violationCount", f.check().violationCount());
                ArrayNode list = fn.putArray("violations");
                for (ContractViolation v : f.check().violations()) {
                    list.addObject().put("pointer", v.pointer()).put("rule", v.rule()).put("expected", v.expected())
                            .put("found", v.found()).put("message", v.message());
                }
            }
        }
        ArrayNode warnings = root.putArray("warnings");
        contracts.warnings().forEach(warnings::add);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not write the contract report as JSON", e);
        }
    }
}
