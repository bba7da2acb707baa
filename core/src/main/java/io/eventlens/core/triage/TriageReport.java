package io.eventlens.core.triage;

import io.eventlens.core.artifact.ArtifactProblem;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The triage report of a CI run (docs/decisions/0014-artifact-import-and-triage.md): for each
 * failed test its correlation IDs and verdicts, and how much of the run the artifacts cover.
 *
 * @param sources       what was read (paths as given)
 * @param testCount     test cases in the JUnit reports
 * @param failed        the failed tests' triage, in report order
 * @param events        events in the capture
 * @param firstObserved the capture's earliest observed time, or null when empty
 * @param lastObserved  the capture's latest observed time, or null when empty
 * @param runStart      the run's start by its reports' timestamps, or null when they give none
 * @param runEnd        the run's end by its reports, or null
 * @param coverage      the share of the run (runStart to runEnd) that the capture's observed times
 *                      span, 0 to 1, or -1 when unknown
 * @param problemCount  damage found while importing
 * @param problems      the first problems
 */
public record TriageReport(List<String> sources, long testCount, List<TestTriage> failed, long events,
                           Instant firstObserved, Instant lastObserved, Instant runStart, Instant runEnd,
                           double coverage, long problemCount, List<ArtifactProblem> problems) {

    public TriageReport {
        sources = List.copyOf(sources);
        failed = List.copyOf(failed);
        problems = List.copyOf(problems);
        Objects.requireNonNull(sources, "sources");
    }
}
