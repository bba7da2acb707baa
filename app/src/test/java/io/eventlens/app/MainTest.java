package io.eventlens.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    @Test
    void noArgumentsOpensTheDesktopApp() {
        assertThat(Main.decide(new String[0])).isEqualTo(new Main.Launch.Desktop(false, null));
    }

    @Test
    void demoFlagOpensTheDesktopAppOnTheLiveDemo() {
        assertThat(Main.decide(new String[] {"--demo"})).isEqualTo(new Main.Launch.Desktop(true, null));
    }

    @Test
    void aLoneExistingCaptureFileOpensItInTheDesktopApp() throws Exception {
        Path file = Files.createFile(dir.resolve("run.mv.db"));

        assertThat(Main.decide(new String[] {file.toString()})).isEqualTo(new Main.Launch.Desktop(false, file.toAbsolutePath()));
    }

    @Test
    void aMissingCaptureFileIsAnInputErrorNamingIt() {
        Path absent = dir.resolve("absent.mv.db");

        Main.Launch launch = Main.decide(new String[] {absent.toString()});

        assertThat(launch).isEqualTo(new Main.Launch.Fail(3, "capture file not found: " + absent.toAbsolutePath()));
    }

    @Test
    void subcommandsGoToTheCli() {
        Main.Launch launch = Main.decide(new String[] {"timeline", "--capture", "x", "--correlation-id", "c-1"});

        assertThat(launch).isInstanceOf(Main.Launch.Cli.class);
        assertThat(((Main.Launch.Cli) launch).args()).containsExactly("timeline", "--capture", "x", "--correlation-id", "c-1");
    }

    @Test
    void shortCommandsLogThroughSlf4jSimpleAndLongOnesAndTheDesktopThroughLog4j() {
        assertThat(Main.provider(Main.decide(new String[] {"timeline", "--capture", "x"}))).isEqualTo(Main.SIMPLE_PROVIDER);
        assertThat(Main.provider(Main.decide(new String[] {"--help"}))).isEqualTo(Main.SIMPLE_PROVIDER);
        assertThat(Main.provider(Main.decide(new String[] {"capture", "--kafka", "h:1"}))).isEqualTo(Main.SIMPLE_PROVIDER);
        assertThat(Main.provider(Main.decide(new String[] {"demo"}))).isEqualTo(Main.LOG4J_PROVIDER);
        assertThat(Main.provider(Main.decide(new String[0]))).isEqualTo(Main.LOG4J_PROVIDER);
    }
}
