package io.eventlens.app.cli;

import io.eventlens.core.artifact.ArtifactFileSummary;
import io.eventlens.core.artifact.ArtifactFormat;
import io.eventlens.core.artifact.ArtifactProblem;
import io.eventlens.core.artifact.ArtifactSource;
import io.eventlens.core.capture.CaptureLimits;
import io.eventlens.core.capture.CaptureListener;
import io.eventlens.core.capture.CapturePipeline;
import io.eventlens.core.capture.CaptureStats;
import io.eventlens.core.capture.SourceException;
import io.eventlens.core.extract.EventExtractor;
import io.eventlens.core.store.CaptureStore;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Imports a CI run's artifacts into a capture store through the capture pipeline, printing progress
 * lines and a per-file summary (format, mapping, records, problems) to stderr. Shared by
 * {@code import} and {@code report}.
 */
final class ArtifactImporter {

    private static final int PROBLEMS_SHOWN = 20;

    private ArtifactImporter() {
    }

    /**
     * Imports {@code sources} into {@code store}.
     *
     * @param command the command's name for messages ({@code "eventlens import"})
     * @return the source, for its failed tests, files and problems
     * @throws InputException naming a missing source
     */
    static ArtifactSource importInto(List<Path> sources, CaptureStore store, PrintWriter err, boolean quiet, String command) {
        for (Path p : sources) {
            if (!Files.exists(p)) {
                throw new InputException("artifact not found: " + p);
            }
        }
        ArtifactSource source = new ArtifactSource(sources);
        CapturePipeline pipeline = new CapturePipeline(source, store, EventExtractor.withDefaults(), CaptureLimits.NONE);
        CaptureStats stats;
        try {
            stats = pipeline.run(quiet ? CaptureListener.NONE : new Progress(err, source, command));
        } catch (SourceException e) {
            throw new InputException(e.getMessage(), e);
        }
        if (!quiet) {
            for (ArtifactFileSummary f : source.files()) {
                if (f.format() == ArtifactFormat.UNKNOWN) {
                    err.printf("  %s: %s%n", f.file(), f.format().label());
                } else {
                    err.printf("  %s: %s, %d %s%s%s%n", f.file(), f.format().label(), f.records(),
                            f.format() == ArtifactFormat.JUNIT_XML ? (f.records() == 1 ? "failed test" : "failed tests")
                                    : (f.records() == 1 ? "event" : "events"),
                            f.mappings().isEmpty() ? "" : " (" + String.join("; ", f.mappings()) + ")",
                            f.problems() > 0 ? ", " + f.problems() + " damaged" : "");
                }
            }
        }
        err.printf(Locale.ROOT, "%s: %d events in %.1f s from %d files; %d failed tests of %d in the JUnit reports%n",
                command, stats.events(), stats.elapsedMs() / 1000.0, source.files().size(),
                source.failedTests().size(), source.testCount());
        printProblems(err, source, command);
        err.flush();
        return source;
    }

    /** Prints each problem (file:line: message), the first {@value #PROBLEMS_SHOWN}. */
    static void printProblems(PrintWriter err, ArtifactSource source, String command) {
        long n = source.problemCount();
        if (n == 0) {
            return;
        }
        err.printf("%s: %d problem%s in the artifacts (the valid records around them were imported):%n",
                command, n, n == 1 ? "" : "s");
        List<ArtifactProblem> shown = source.problems();
        shown.stream().limit(PROBLEMS_SHOWN).forEach(p -> err.println("  " + p));
        if (n > PROBLEMS_SHOWN) {
            err.println("  ... and " + (n - PROBLEMS_SHOWN) + " more");
        }
    }

    /** A progress line about once a second: events, rate, and the file being read. */
    private static final class Progress implements CaptureListener {
        private final PrintWriter err;
        private final ArtifactSource source;
        private final String command;
        private long last = System.nanoTime();

        Progress(PrintWriter err, ArtifactSource source, String command) {
            this.err = err;
            this.source = source;
            this.command = command;
        }

        @Override
        public void onProgress(CaptureStats stats) {
            long now = System.nanoTime();
            if (now - last < 1_000_000_000L) {
                return;
            }
            last = now;
            err.printf(Locale.ROOT, "%s: %,d events, %,.0f events/s, %,.1f MB read, %.0f s (reading %s)%n", command,
                    stats.events(), stats.eventsPerSecond(), source.bytesRead() / 1e6, stats.elapsedMs() / 1000.0,
                    source.currentFile());
            err.flush();
        }
    }
}
