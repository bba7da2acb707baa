package io.eventlens.core.artifact;

import java.time.Instant;
import java.util.Objects;

/**
 * A failed or errored test of a JUnit XML report (Surefire, Failsafe, Gradle, Playwright,
 * jest-junit), as {@link JUnitReportReader} read it. Texts are cut at
 * {@link JUnitReportReader#MAX_TEXT_CHARS} characters.
 *
 * @param report     the report file's name in the CI run
 * @param suite      the {@code testsuite} name, or "" when none
 * @param className  the test's {@code classname}, or ""
 * @param name       the test's {@code name}
 * @param errored    true for {@code <error>} (the test broke), false for {@code <failure>} (an assertion failed)
 * @param message    the failure's {@code message} attribute, or ""
 * @param details    the failure's text (a stack trace, Playwright's error), or ""
 * @param systemOut  the test's {@code system-out} (its own, else its suite's), or ""
 * @param systemErr  the test's {@code system-err} (its own, else its suite's), or ""
 * @param start      when the test started, or null when the report gives no timestamp: the suite's
 *                   {@code timestamp} plus the durations of the tests before it in the suite
 * @param durationMs the test's {@code time} in milliseconds, 0 when absent
 */
public record FailedTest(String report, String suite, String className, String name, boolean errored,
                         String message, String details, String systemOut, String systemErr,
                         Instant start, long durationMs) {

    public FailedTest {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(name, "name");
        suite = suite == null ? "" : suite;
        className = className == null ? "" : className;
        message = message == null ? "" : message;
        details = details == null ? "" : details;
        systemOut = systemOut == null ? "" : systemOut;
        systemErr = systemErr == null ? "" : systemErr;
    }

    /** {@code className.name}, or the name alone without a class. */
    public String displayName() {
        return className.isEmpty() ? name : className + "." + name;
    }

    /**
     * The failure in one line: its message, or the first non-blank line of its details when the
     * reporter writes no message (jest-junit); at most 300 characters.
     */
    public String summary() {
        String text = message.isBlank() ? details : message;
        for (String line : text.split("\\R")) {
            if (!line.isBlank()) {
                String l = line.strip();
                return l.length() > 300 ? l.substring(0, 300) + "..." : l;
            }
        }
        return "";
    }

    /** When the test ended, or null without a start. */
    public Instant end() {
        return start == null ? null : start.plusMillis(durationMs);
    }
}
