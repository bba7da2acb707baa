package io.eventlens.app;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** No display or no GTK: one line that says what is missing and that the CLI works, never a stack trace. */
class DesktopCheckTest {

    @TempDir
    Path home;

    @Test
    void linuxWithoutDisplayOrWaylandHasNoDisplay() {
        assertThat(DesktopCheck.missingDisplay("Linux", Map.of(), null)).get().asString()
                .contains("DISPLAY").contains("WAYLAND_DISPLAY").contains("headless");
        assertThat(DesktopCheck.missingDisplay("Linux", Map.of("DISPLAY", " "), null)).isPresent();
        assertThat(DesktopCheck.missingDisplay("Linux", Map.of("DISPLAY", ":0"), null)).isEmpty();
        assertThat(DesktopCheck.missingDisplay("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"), null)).isEmpty();
        assertThat(DesktopCheck.missingDisplay("Linux", Map.of(), "Monocle")).as("a headless platform was chosen").isEmpty();
        assertThat(DesktopCheck.missingDisplay("Windows 11", Map.of(), null)).isEmpty();
        assertThat(DesktopCheck.missingDisplay("Mac OS X", Map.of(), null)).isEmpty();
    }

    @Test
    void explainsJavaFxToolkitFailuresInOneLine() {
        assertThat(DesktopCheck.explain(new UnsupportedOperationException("Unable to load glass GTK library")))
                .get().asString().contains("libgtk-3").contains("apt install libgtk-3-0").doesNotContain("\n");
        assertThat(DesktopCheck.explain(new RuntimeException(new UnsupportedOperationException("Unable to open DISPLAY"))))
                .get().asString().contains("display").doesNotContain("\n");
        assertThat(DesktopCheck.explain(new IllegalStateException("a bug"))).isEmpty();
    }

    @Test
    void theLauncherPrintsOneLineAndExitsFiveWithoutADisplay() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        pb.environment().put("XDG_DATA_HOME", home.resolve("data").toString());
        pb.redirectErrorStream(false);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        File err = home.resolve("stderr.txt").toFile();
        pb.redirectError(err);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(5);
        List<String> lines = java.nio.file.Files.readAllLines(err.toPath(), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("eventlens: no display").contains("headless").doesNotContain("Exception");
    }
}
