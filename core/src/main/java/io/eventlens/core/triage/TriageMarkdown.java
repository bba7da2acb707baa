package io.eventlens.core.triage;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.artifact.ArtifactProblem;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The triage report as GitHub-flavoured Markdown ({@code report --format md}): short enough for a
 * pull-request comment or a pipeline summary. A heading with the counts by verdict, one table row
 * per failed test (worst verdict first within the test), the tests' hints, coverage, and the first
 * import problems. Text from the reports is escaped: it cannot break the table or inject HTML.
 */
public final class TriageMarkdown {

    private static final int MAX_PROBLEMS_SHOWN = 10;
    /** Correlation IDs listed per test in the table (worst first); the details list them all. */
    private static final int MAX_IDS_IN_TABLE = 5;

    private TriageMarkdown() {
    }

    /** The report as Markdown, ending with a newline. */
    public static String render(TriageReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## EventLens triage: ").append(r.failed().size()).append(" failed test")
                .append(r.failed().size() == 1 ? "" : "s").append(" of ").append(r.testCount()).append("\n\n");
        Map<String, Integer> byVerdict = new LinkedHashMap<>();
        r.failed().forEach(t -> byVerdict.merge(t.headline(), 1, Integer::sum));
        if (!byVerdict.isEmpty()) {
            StringBuilder counts = new StringBuilder();
            byVerdict.forEach((k, n) -> counts.append(counts.isEmpty() ? "" : ", ").append("`").append(k).append("` ").append(n));
            sb.append("Verdicts: ").append(counts).append("\n\n");
            sb.append("| Test | Verdict | Correlation IDs | What happened |\n");
            sb.append("|---|---|---|---|\n");
            for (TestTriage t : r.failed()) {
                sb.append("| ").append(cell(t.test().displayName()))
                        .append(" | `").append(t.headline()).append("`")
                        .append(" | ").append(ids(t))
                        .append(" | ").append(cell(t.hint()))
                        .append(" |\n");
            }
            sb.append('\n');
        } else {
            sb.append("No failed tests in the reports.\n\n");
        }
        sb.append("<details><summary>Details</summary>\n\n");
        for (TestTriage t : r.failed()) {
            sb.append("- **").append(cell(t.test().displayName())).append("** (").append(t.test().errored() ? "error" : "failure")
                    .append(", ").append(cell(t.test().report())).append("): ").append(cell(t.test().summary())).append('\n');
            sb.append("  - correlation IDs: ").append(t.match().description());
            if (t.timeout() != null) {
                sb.append("; the test's own timeout: ").append(io.eventlens.core.analysis.TimelineAnalyzer.formatDuration(t.timeout()));
            }
            sb.append('\n');
            for (Timeline tl : t.timelines()) {
                sb.append("  - `").append(cell(tl.correlationId())).append("` `").append(tl.verdict().kind().name())
                        .append("` ").append(cell(tl.verdict().message())).append(" (").append(tl.entries().size())
                        .append(tl.entries().size() == 1 ? " event)" : " events)").append('\n');
                int shown = 0;
                for (io.eventlens.core.analysis.TimelineEntry e : tl.entries()) {
                    for (io.eventlens.core.analysis.Anomaly a : e.anomalies()) {
                        if (a.kind() == io.eventlens.core.analysis.AnomalyKind.CONTRACT_VIOLATION && shown++ < 5) {
                            sb.append("    - contract: #").append(e.event().seq()).append(' ').append(cell(a.message())).append('\n');
                        }
                    }
                }
            }
        }
        sb.append("\n</details>\n\n");
        sb.append("Capture: ").append(r.events()).append(" events");
        if (r.firstObserved() != null) {
            sb.append(", observed ").append(r.firstObserved()).append(" to ").append(r.lastObserved());
        }
        if (r.coverage() >= 0) {
            sb.append(String.format(Locale.ROOT, "; the artifacts cover %.0f%% of the failed tests' run (%s to %s)",
                    r.coverage() * 100, r.runStart(), r.runEnd()));
        } else {
            sb.append(r.runStart() == null ? "; coverage of the run unknown (the reports give no timestamps)"
                    : "; the artifacts hold no events of the run");
        }
        sb.append(".\n");
        if (r.problemCount() > 0) {
            sb.append("\n").append(r.problemCount()).append(" problem").append(r.problemCount() == 1 ? "" : "s")
                    .append(" while importing (valid records were kept):\n");
            r.problems().stream().limit(MAX_PROBLEMS_SHOWN).forEach(p -> sb.append("- ").append(cell(describe(p))).append('\n'));
            if (r.problemCount() > MAX_PROBLEMS_SHOWN) {
                sb.append("- ... and ").append(r.problemCount() - MAX_PROBLEMS_SHOWN).append(" more\n");
            }
        }
        return sb.toString();
    }

    private static String describe(ArtifactProblem p) {
        return p.toString();
    }

    private static String ids(TestTriage t) {
        if (t.timelines().isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Timeline tl : t.timelines()) {
            if (++shown > MAX_IDS_IN_TABLE) {
                sb.append("<br>and ").append(t.timelines().size() - MAX_IDS_IN_TABLE).append(" more (see details)");
                break;
            }
            sb.append(sb.isEmpty() ? "" : "<br>").append('`').append(cell(tl.correlationId())).append("` ")
                    .append(tl.verdict().kind().name());
        }
        if (t.match() == TestTriage.Match.TIME_WINDOW) {
            sb.append(" (by time window)");
        }
        return sb.toString();
    }

    /** Escapes text for a table cell: no line breaks, pipes, backticks or HTML. */
    static String cell(String s) {
        String one = s.replaceAll("\\s*\\R\\s*", " ");
        if (one.length() > 300) {
            one = one.substring(0, 300) + "...";
        }
        return one.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("`", "'");
    }
}
