package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import picocli.CommandLine;
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
    void helpListsTheSubcommandsInTheirOrder() {
        String out = CliRun.of("--help").out();

        int at = 0;
        for (String name : EventLensCommand.SUBCOMMANDS) {
            int next = out.indexOf("  " + name + " ", at);
            assertThat(next).as("'%s' listed after the one before it in:%n%s", name, out).isGreaterThan(at);
            at = next;
        }
    }

    @Test
    void aCommandLineForOneSubcommandHoldsOnlyItWithTheSameHelp() {
        for (String name : EventLensCommand.SUBCOMMANDS) {
            if (name.equals("help")) {
                assertThat(EventLensCommand.commandLine("help").getSubcommands()).containsOnlyKeys(EventLensCommand.SUBCOMMANDS);
                continue;
            }
            CommandLine one = EventLensCommand.commandLine(name, "--help");
            CommandLine all = EventLensCommand.commandLine();

            assertThat(one.getSubcommands()).containsOnlyKeys(name);
            assertThat(one.getSubcommands().get(name).getCommandSpec().name())
                    .as("the @Command name of %s", name).isEqualTo(name);
            assertThat(one.getSubcommands().get(name).getUsageMessage())
                    .isEqualTo(all.getSubcommands().get(name).getUsageMessage());
        }
        assertThat(EventLensCommand.commandLine("--help").getSubcommands()).containsOnlyKeys(EventLensCommand.SUBCOMMANDS);
    }

    @Test
    void aSubcommandsHelpIsItsOwnUsage() {
        CliRun run = CliRun.of("timeline", "--help");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("Usage: eventlens timeline ").contains("--correlation-id");
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
    void consumerGroupOptionsNeedKafkaAValidIntervalAndNotNoConsumerGroups() {
        CliRun noKafka = CliRun.of("capture", "--probe", "http://127.0.0.1:1", "--correlation-id", "c-1",
                "--consumer-group", "inventory", "--out", dir.resolve("a").toString());
        assertThat(noKafka.exitCode()).as(noKafka.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(noKafka.err()).contains("--consumer-group and --consumer-poll-interval need --kafka");

        CliRun both = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic", "orders", "--no-consumer-groups",
                "--consumer-group", "inventory", "--out", dir.resolve("b").toString());
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("--no-consumer-groups cannot be combined");

        CliRun tooFast = CliRun.of("capture", "--kafka", "127.0.0.1:1", "--topic", "orders",
                "--consumer-poll-interval", "10ms", "--out", dir.resolve("c").toString());
        assertThat(tooFast.exitCode()).as(tooFast.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooFast.err()).contains("must be 100ms to 1h, was 10 ms");
        assertThat(dir.resolve("c.mv.db")).doesNotExist();
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
