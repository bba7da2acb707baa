package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors exit 2 before anything touches a broker or a file. */
class CliUsageTest {

    @TempDir
    Path dir;

    @Test
    void helpListsTheSubcommandsAndExitCodes() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("capture", "demo", "Exit codes", "3", "input error");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("EventLens ").doesNotContain("${");
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliRun run = CliRun.of("frobnicate");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("frobnicate");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void noSubcommandIsAUsageError() {
        assertThat(CliRun.of().exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void captureWithoutKafkaIsAUsageErrorNamingTheOption() {
        CliRun run = CliRun.of("capture", "--topic", "orders", "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--kafka");
    }

    @Test
    void captureWithABadDurationIsAUsageErrorQuotingTheValue() {
        CliRun run = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic", "orders",
                "--duration", "soon", "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'soon'", "--duration");
    }

    @Test
    void captureWithABadFromIsAUsageError() {
        CliRun run = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic", "orders",
                "--from", "yesterday", "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("yesterday");
    }

    @Test
    void captureWithNeitherTopicNorPatternIsAUsageError() {
        CliRun run = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--topic");
    }

    @Test
    void captureWithTopicAndPatternIsAUsageError() {
        CliRun run = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic", "orders", "--topic-pattern", "o.*",
                "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--topic-pattern");
    }

    @Test
    void captureWithABadRegexIsAUsageError() {
        CliRun run = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic-pattern", "orders[",
                "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("orders[");
    }

    @Test
    void negativeMaxEventsIsAUsageError() {
        CliRun run = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic", "orders", "--max-events", "-5",
                "--out", dir.resolve("x").toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--max-events");
    }

    @Test
    void demoWithABadDurationIsAUsageError() {
        CliRun run = CliRun.of("demo", "--duration", "PT");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    }
}
