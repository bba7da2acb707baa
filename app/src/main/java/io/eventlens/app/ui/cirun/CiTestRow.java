package io.eventlens.app.ui.cirun;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.VerdictKind;
import io.eventlens.core.triage.TestTriage;
import java.util.List;
import java.util.Objects;

/**
 * One failed test of a CI run beside its verdict (docs/decisions/0014-artifact-import-and-triage.md).
 *
 * @param test           the test's name for people: {@code ClassName.method} (or the suite's name)
 * @param headline       the verdict kind of its worst timeline, or null when no correlation ID was found
 * @param verdict        the worst timeline's verdict message, or the triage's hint when there is none
 * @param correlationIds the test's correlation IDs, worst verdict first (the first opens on a click)
 * @param match          how they were found, for people
 * @param failure        the first line of the test's failure message
 * @param hint           what the verdict means for this test
 * @param errored        true for an error (not an assertion failure)
 */
public record CiTestRow(String test, VerdictKind headline, String verdict, List<String> correlationIds, String match,
                        String failure, String hint, boolean errored) {

    public CiTestRow {
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(verdict, "verdict");
        correlationIds = List.copyOf(correlationIds);
        Objects.requireNonNull(match, "match");
        failure = failure == null ? "" : failure;
        hint = hint == null ? "" : hint;
    }

    /** The row of one triaged test. */
    public static CiTestRow of(TestTriage t) {
        String simple = javaSimpleName(t.test().className());
        String name = simple.isEmpty() ? t.test().name() : simple + "." + t.test().name();
        List<String> ids = t.timelines().stream().map(Timeline::correlationId).toList();
        VerdictKind headline = t.timelines().isEmpty() ? null : t.timelines().getFirst().verdict().kind();
        String verdict = t.timelines().isEmpty() ? t.hint() : t.timelines().getFirst().verdict().message();
        String message = t.test().message() == null ? "" : t.test().message().strip();
        int nl = message.indexOf('\n');
        return new CiTestRow(name, headline, verdict, ids, t.match().description(),
                nl < 0 ? message : message.substring(0, nl), t.hint(), t.test().errored());
    }

    /**
     * The simple name of a Java class name ({@code com.acme.OrderSagaIT} gives {@code OrderSagaIT}); ""
     * for anything else (Playwright and jest put a file name or a describe block there, and their test
     * names say enough on their own).
     */
    static String javaSimpleName(String className) {
        if (className == null || !className.matches("([a-z_$][\\w$]*\\.)*[A-Z][\\w$]*")) {
            return "";
        }
        return className.substring(className.lastIndexOf('.') + 1);
    }

    /** The correlation ID a click opens, or null when the test has none. */
    public String firstCorrelationId() {
        return correlationIds.isEmpty() ? null : correlationIds.getFirst();
    }
}
