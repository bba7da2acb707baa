package io.eventlens.core.triage;

import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
import io.eventlens.core.analysis.TimelineEntry;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.artifact.ArtifactProblem;
import io.eventlens.core.artifact.FailedTest;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.CaptureStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Triages the failed tests of a CI run against its capture (docs/decisions/0014-artifact-import-and-triage.md):
 * <ol>
 *   <li>correlation IDs named by a test: matches of the ID pattern (default: UUIDs) in its failure
 *       message, details, system-out and system-err, plus every token there that the capture knows as
 *       a correlation ID (checked in the one pass over the capture below: a per-token lookup was
 *       measured at 5 minutes for 40 tests against a 2.4M-event capture), in order of first
 *       appearance, at most {@value #MAX_IDS_PER_TEST};</li>
 *   <li>a test that names none is matched to the flows observed during its own time window (from its
 *       report's timestamps, widened by {@link #WINDOW_SLACK} each side);</li>
 *   <li>each ID's timeline is analysed ({@link TimelineAnalyzer}); a timeout in the failure message
 *       (Awaitility's "within 10 seconds", Playwright's "Timeout 5000ms exceeded") becomes the lag SLO
 *       where it is stricter than the configured one, so a hop slower than the test waited is LAG;</li>
 *   <li>timelines are ordered by the verdict table (docs/reference/anomalies-and-verdicts.md), worst
 *       first; the first is the test's headline, and tests are ordered by their headlines the same
 *       way (tests without a correlation ID last; report order within one verdict). Healthy events behind a failed test point at the test
 *       or the UI.</li>
 * </ol>
 * Memory: one timeline's lookup at a time (at most {@value #MAX_EVENTS_PER_TIMELINE} events), and one
 * pass over the capture in pages for the time windows and the coverage.
 */
public final class Triage {

    /** UUIDs, the usual correlation ID of test flows. */
    public static final Pattern DEFAULT_ID_PATTERN =
            Pattern.compile("\\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\b");
    /** Most correlation IDs triaged per test. */
    public static final int MAX_IDS_PER_TEST = 20;
    /** Most events analysed per timeline. */
    public static final int MAX_EVENTS_PER_TIMELINE = 10_000;
    /** Tokens of a test's texts checked against the capture at most. */
    static final int MAX_TOKENS_PER_TEST = 5_000;
    /** Tokens of all tests' texts checked against the capture at most (bounds the scan's memory). */
    static final int MAX_TOKENS = 200_000;
    /** How much a test's time window is widened each side (report timestamps have second precision). */
    public static final Duration WINDOW_SLACK = Duration.ofSeconds(1);

    private static final Pattern TOKEN = Pattern.compile("[^\\s\"'`<>()\\[\\]{},;=|]+");
    private static final Pattern AWAITILITY = Pattern.compile(
            "within (\\d+(?:\\.\\d+)?) ?(milliseconds|millis|ms|seconds|second|s|minutes|minute)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PLAYWRIGHT = Pattern.compile("Timeout (\\d+) ?ms exceeded", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMED_OUT = Pattern.compile(
            "timed? ?out after (\\d+(?:\\.\\d+)?) ?(milliseconds|ms|seconds|s)\\b", Pattern.CASE_INSENSITIVE);

    private final CaptureStore store;
    private final AnalysisSettings settings;
    private final Pattern idPattern;
    private final io.eventlens.core.analysis.ContractChecker contracts;
    private java.util.function.UnaryOperator<Timeline> judge = java.util.function.UnaryOperator.identity();

    /**
     * @param store     the capture of the run (read only)
     * @param settings  the analysis settings
     * @param idPattern what a correlation ID looks like in test output; the whole match is the ID
     */
    public Triage(CaptureStore store, AnalysisSettings settings, Pattern idPattern) {
        this(store, settings, idPattern, null);
    }

    /**
     * A triage that also checks each event against its contract (CONTRACT_VIOLATION,
     * docs/reference/anomalies-and-verdicts.md#contract-violations).
     *
     * @param contracts the contracts, or null for none
     */
    public Triage(CaptureStore store, AnalysisSettings settings, Pattern idPattern,
                  io.eventlens.core.analysis.ContractChecker contracts) {
        this.contracts = contracts;
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.idPattern = Objects.requireNonNull(idPattern, "idPattern");
    }

    /**
     * Judges each analysed timeline against the run's expected flows as well
     * ({@code io.eventlens.core.flowmodel.FlowJudge#apply}: STOPPED, MISSING_STEP, learned LAG,
     * IN_FLIGHT; docs/reference/anomalies-and-verdicts.md, "Expected flows").
     *
     * @return this triage
     */
    public Triage withJudge(java.util.function.UnaryOperator<Timeline> newJudge) {
        this.judge = newJudge == null ? java.util.function.UnaryOperator.identity() : newJudge;
        return this;
    }

    /**
     * The report of a run.
     *
     * @param sources      what was read, for the report
     * @param failedTests  the failed tests of its JUnit reports
     * @param testCount    all test cases of its reports
     * @param problemCount damage found while importing
     * @param problems     the first problems
     */
    public TriageReport triage(List<String> sources, List<FailedTest> failedTests, long testCount,
                               long problemCount, List<ArtifactProblem> problems) {
        List<List<Candidate>> candidates = new ArrayList<>();
        Set<String> tokens = new java.util.HashSet<>();
        for (FailedTest t : failedTests) {
            List<Candidate> c = candidates(t, tokens);
            candidates.add(c);
        }
        List<Set<String>> windowIds = new ArrayList<>();
        failedTests.forEach(t -> windowIds.add(new LinkedHashSet<>()));
        Set<String> known = new java.util.HashSet<>();
        Instant[] span = scan(failedTests, tokens, known, windowIds);
        List<TestTriage> out = new ArrayList<>();
        for (int i = 0; i < failedTests.size(); i++) {
            FailedTest t = failedTests.get(i);
            Set<String> named = new LinkedHashSet<>();
            for (Candidate c : candidates.get(i)) {
                if ((c.pattern() || known.contains(c.id())) && named.size() < MAX_IDS_PER_TEST) {
                    named.add(c.id());
                }
            }
            TestTriage.Match match = !named.isEmpty() ? TestTriage.Match.NAMED
                    : !windowIds.get(i).isEmpty() ? TestTriage.Match.TIME_WINDOW : TestTriage.Match.NONE;
            Set<String> ids = match == TestTriage.Match.NAMED ? named : windowIds.get(i);
            out.add(triage(t, match, ids));
        }
        out.sort(Comparator.comparingInt(Triage::rank)); // stable: report order within a verdict
        Instant runStart = null;
        Instant runEnd = null;
        for (FailedTest t : failedTests) {
            if (t.start() != null) {
                runStart = runStart == null || t.start().isBefore(runStart) ? t.start() : runStart;
                runEnd = runEnd == null || t.end().isAfter(runEnd) ? t.end() : runEnd;
            }
        }
        double coverage = coverage(runStart, runEnd, span[0], span[1]);
        return new TriageReport(sources, testCount, out, store.eventCount(), span[0], span[1], runStart, runEnd,
                coverage, problemCount, problems);
    }

    private TestTriage triage(FailedTest t, TestTriage.Match match, Set<String> ids) {
        Duration timeout = timeout(t.message() + "\n" + t.details());
        AnalysisSettings s = settings;
        if (timeout != null && !timeout.isZero() && timeout.compareTo(settings.lagSlo()) < 0) {
            s = settings.withLagSlo(timeout);
        }
        TimelineAnalyzer analyzer = new TimelineAnalyzer(s).withContracts(contracts);
        List<Timeline> timelines = new ArrayList<>();
        for (String id : ids) {
            List<CapturedEvent> events = store.findByCorrelationId(id, MAX_EVENTS_PER_TIMELINE).events();
            timelines.add(judge.apply(analyzer.analyze(id, events)));
        }
        timelines.sort(Comparator.comparingInt(tl -> tl.verdict().kind().ordinal()));
        String headline = timelines.isEmpty() ? TestTriage.NO_CORRELATION_ID : timelines.get(0).verdict().kind().name();
        return new TestTriage(t, match, timeout, timelines, headline, hint(t, match, timeout, timelines));
    }

    /** A test's place in the verdict table's order; a test without correlation ID comes last. */
    private static int rank(TestTriage t) {
        return t.timelines().isEmpty() ? VerdictKind.values().length : t.timelines().get(0).verdict().kind().ordinal();
    }

    private static String hint(FailedTest t, TestTriage.Match match, Duration timeout, List<Timeline> timelines) {
        if (timelines.isEmpty()) {
            return t.start() == null
                    ? "no correlation ID in the test's failure or output, and its report gives no time window"
                    : "no correlation ID in the test's failure or output, and no flow was observed in its time window";
        }
        Timeline worst = timelines.get(0);
        String via = match == TestTriage.Match.TIME_WINDOW ? " (matched by its time window, not by a named ID)" : "";
        if (worst.verdict().kind() == VerdictKind.HEALTHY) {
            String slow = slowFlow(timeout, timelines);
            return slow != null ? slow + via
                    : "the events look healthy: look at the test or the UI, not the events" + via;
        }
        String waited = worst.verdict().kind() == VerdictKind.LAG && timeout != null
                ? "; the test waited " + TimelineAnalyzer.formatDuration(timeout) : "";
        return worst.verdict().message() + waited + via;
    }

    /** "the flow X took 12 s; the test waited 10 s" when a healthy flow outlasted the test's timeout. */
    private static String slowFlow(Duration timeout, List<Timeline> timelines) {
        if (timeout == null) {
            return null;
        }
        for (Timeline tl : timelines) {
            List<TimelineEntry> e = tl.entries();
            if (e.size() >= 2) {
                Duration span = Duration.between(e.get(0).event().observedAt(), e.get(e.size() - 1).event().observedAt());
                if (span.compareTo(timeout) > 0) {
                    return "every hop was within its SLO, but flow " + tl.correlationId() + " took "
                            + TimelineAnalyzer.formatDuration(span) + " and the test waited "
                            + TimelineAnalyzer.formatDuration(timeout) + ": the test's timeout is shorter than the flow";
                }
            }
        }
        return null;
    }

    /** A possible correlation ID in a test's texts: a pattern match (always an ID) or a token the capture may know. */
    private record Candidate(String id, boolean pattern) {
    }

    /**
     * A test's candidate IDs in order of appearance (its message, details, system-out, system-err):
     * matches of the ID pattern, and tokens (3 to 200 characters, at most {@value #MAX_TOKENS_PER_TEST}
     * per test), which are added to {@code tokens} for the capture scan to check.
     */
    private List<Candidate> candidates(FailedTest t, Set<String> tokens) {
        List<Candidate> out = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (String text : List.of(t.message(), t.details(), t.systemOut(), t.systemErr())) {
            java.util.TreeMap<Integer, Candidate> found = new java.util.TreeMap<>();
            Matcher m = idPattern.matcher(text);
            int matches = 0;
            while (m.find() && matches < MAX_IDS_PER_TEST) {
                if (m.end() > m.start()) {
                    found.put(m.start(), new Candidate(m.group(), true));
                    matches++;
                }
            }
            Matcher words = TOKEN.matcher(text);
            while (words.find() && seen.size() < MAX_TOKENS_PER_TEST) {
                String tok = trim(words.group());
                if (tok.length() < 3 || tok.length() > 200 || !seen.add(tok)) {
                    continue;
                }
                if (tokens.size() < MAX_TOKENS || tokens.contains(tok)) {
                    found.putIfAbsent(words.start(), new Candidate(tok, false));
                    tokens.add(tok);
                }
            }
            out.addAll(found.values());
        }
        return out;
    }

    private static String trim(String token) {
        int s = 0;
        int e = token.length();
        while (s < e && "#:.!?*".indexOf(token.charAt(s)) >= 0) {
            s++;
        }
        while (e > s && ".:!?*".indexOf(token.charAt(e - 1)) >= 0) {
            e--;
        }
        return token.substring(s, e);
    }

    /**
     * One pass over the capture, in pages: its observed-time span, which candidate tokens are
     * correlation IDs it knows, and the correlation IDs observed in each test's time window.
     */
    private Instant[] scan(List<FailedTest> tests, Set<String> tokens, Set<String> known, List<Set<String>> windowIds) {
        List<Integer> windowed = new ArrayList<>();
        Instant from = null;
        Instant to = null;
        for (int i = 0; i < tests.size(); i++) {
            FailedTest t = tests.get(i);
            if (t.start() != null) {
                windowed.add(i);
                Instant s = t.start().minus(WINDOW_SLACK);
                Instant e = t.end().plus(WINDOW_SLACK);
                from = from == null || s.isBefore(from) ? s : from;
                to = to == null || e.isAfter(to) ? e : to;
            }
        }
        Instant min = null;
        Instant max = null;
        long seq = 1;
        while (true) {
            List<CapturedEvent> page = store.page(seq, 1_000);
            if (page.isEmpty()) {
                break;
            }
            for (CapturedEvent e : page) {
                Instant at = e.observedAt();
                min = min == null || at.isBefore(min) ? at : min;
                max = max == null || at.isAfter(max) ? at : max;
                String id = e.derived().correlationIdValue();
                if (id == null) {
                    continue;
                }
                if (tokens.contains(id)) {
                    known.add(id);
                }
                if (from == null || at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                for (int i : windowed) {
                    FailedTest t = tests.get(i);
                    Set<String> ids = windowIds.get(i);
                    if (ids.size() < MAX_IDS_PER_TEST && !at.isBefore(t.start().minus(WINDOW_SLACK))
                            && !at.isAfter(t.end().plus(WINDOW_SLACK))) {
                        ids.add(id);
                    }
                }
            }
            seq = page.get(page.size() - 1).seq() + 1;
        }
        return new Instant[] {min, max};
    }

    private static double coverage(Instant runStart, Instant runEnd, Instant first, Instant last) {
        if (runStart == null || first == null) {
            return -1;
        }
        long run = Duration.between(runStart, runEnd).toMillis();
        Instant s = first.isAfter(runStart) ? first : runStart;
        Instant e = last.isBefore(runEnd) ? last : runEnd;
        if (run <= 0) {
            return !runStart.isBefore(first) && !runStart.isAfter(last) ? 1 : 0;
        }
        long overlap = Math.max(0, Duration.between(s, e).toMillis());
        return Math.min(1.0, overlap / (double) run);
    }

    /**
     * The test's own timeout named in its failure text: Awaitility's "within 10 seconds",
     * Playwright's "Timeout 5000ms exceeded", "timed out after 3 s"; null when none.
     */
    public static Duration timeout(String text) {
        Matcher m = PLAYWRIGHT.matcher(text);
        if (m.find()) {
            return Duration.ofMillis(Long.parseLong(m.group(1)));
        }
        for (Pattern p : List.of(AWAITILITY, TIMED_OUT)) {
            m = p.matcher(text);
            if (m.find()) {
                double v = Double.parseDouble(m.group(1));
                String unit = m.group(2).toLowerCase(Locale.ROOT);
                double ms = unit.startsWith("m") && !unit.startsWith("min") ? v
                        : unit.startsWith("min") ? v * 60_000 : v * 1_000;
                return Duration.ofMillis((long) ms);
            }
        }
        return null;
    }
}
