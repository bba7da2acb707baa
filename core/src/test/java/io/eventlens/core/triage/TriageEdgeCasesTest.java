package io.eventlens.core.triage;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.analysis.AnalysisSettings;
import io.eventlens.core.artifact.FailedTest;
import io.eventlens.core.store.CaptureStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Triage of a capture without events, and a configured ID pattern. */
class TriageEdgeCasesTest {

    @TempDir
    Path dir;

    private static FailedTest failed(String message, Instant start) {
        return new FailedTest("TEST-x.xml", "S", "com.acme.X", "t", false, message, "", "", "", start, 1000);
    }

    @Test
    void aConfiguredIdPatternFindsIdsTheCaptureDoesNotKnow_andAnEmptyCaptureIsSaidSo() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("empty"))) {
            TriageReport r = new Triage(store, AnalysisSettings.defaults(), Pattern.compile("ORD-\\d+"))
                    .triage(List.of("run"), List.of(failed("order ORD-7 was not shipped", Instant.parse("2026-11-29T10:00:00Z"))),
                            1, 0, List.of());
            TestTriage t = r.failed().get(0);
            assertThat(t.match()).isEqualTo(TestTriage.Match.NAMED);
            assertThat(t.timelines()).extracting(tl -> tl.correlationId()).containsExactly("ORD-7");
            assertThat(t.headline()).isEqualTo("NO_EVENTS");
            assertThat(r.coverage()).isEqualTo(-1);
            assertThat(TriageMarkdown.render(r)).contains("Capture: 0 events; the artifacts hold no events of the run.");
        }
    }

    @Test
    void markdownEscapesReportTextSoItCannotBreakTheTableOrInjectHtml() {
        try (CaptureStore store = CaptureStore.open(dir.resolve("empty2"))) {
            TriageReport r = new Triage(store, AnalysisSettings.defaults(), Triage.DEFAULT_ID_PATTERN)
                    .triage(List.of("run"), List.of(new FailedTest("r.xml", "", "A|B", "<script>x</script>\nsecond line", false,
                            "m", "", "", "", null, 0)), 1, 0, List.of());
            String md = TriageMarkdown.render(r);
            assertThat(md).contains("| A\\|B.&lt;script&gt;x&lt;/script&gt; second line | `NO_CORRELATION_ID` |")
                    .doesNotContain("<script>");
        }
    }
}
