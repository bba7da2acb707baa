package io.eventlens.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoundedMemoryLaunchTest {

    @Test
    void captureAndDemoWithoutAHeapOptionRunInABoundedChild() {
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"capture", "--kafka", "h:9092"}, List.of("-Dfoo=1"))).isTrue();
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"demo"}, List.of())).isTrue();
    }

    @Test
    void aHeapOptionOfTheUserIsRespected() {
        for (String option : List.of("-Xmx2g", "-XX:MaxRAMPercentage=50", "-XX:MaxRAM=4g", "-XX:MaxHeapSize=1g")) {
            assertThat(BoundedMemoryLaunch.wanted(new String[] {"capture"}, List.of(option))).as(option).isFalse();
        }
    }

    @Test
    void shortCommandsRunInThisJvmAndTheDesktopIsNotALongCommand() {
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"timeline", "--capture", "x"}, List.of())).isFalse();
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"--help"}, List.of())).isFalse();
        assertThat(BoundedMemoryLaunch.wanted(new String[0], List.of())).isFalse();
    }

    @Test
    void heapOptionsAreRecognisedWhateverTheirSpelling() {
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-Dx=1", "-Xmx2g"))).isTrue();
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-XX:MaxRAMPercentage=50"))).isTrue();
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-XX:MaxHeapSize=1g"))).isTrue();
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-Xms64m", "-Deventlens.uiProbe=x"))).isFalse();
    }

    @Test
    void theChildSharesClassesThroughAnArchiveUnlessTheUserChoseOtherwise() {
        Path archive = Path.of("/cache/eventlens/cds/eventlens-cli-25-abc.jsa");
        assertThat(BoundedMemoryLaunch.classSharing(List.of("-Dfoo=1"), archive)).containsExactly(
                "-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr",
                "-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive");
        for (String own : List.of("-XX:SharedArchiveFile=/opt/eventlens/lib/app/eventlens.jsa", "-Xshare:off",
                "-XX:ArchiveClassesAtExit=x.jsa", "-XX:AOTCache=app.aot", "-XX:AOTMode=off", "-Deventlens.classSharing=false")) {
            assertThat(BoundedMemoryLaunch.classSharing(List.of("-Dfoo=1", own), archive)).as(own).isEmpty();
        }
        assertThat(BoundedMemoryLaunch.classSharing(List.of(), null)).as("no cache folder").isEmpty();
    }

    @Test
    void aHeadlessChildGetsItsJitAndGcOptionsBeforeTheUsersOwnOptionsAndTheDesktopDoesNot() {
        List<String> user = List.of("-XX:FreqInlineSize=325", "-Dfoo=1");
        List<String> headless = BoundedMemoryLaunch.childCommand("java", "app.jar", new String[] {"capture", "--kafka", "h:9092"},
                user, BoundedMemoryLaunch.CAPTURE_HEAP, false, List.of());
        assertThat(headless).containsSubsequence("java", "-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000",
                "-XX:SurvivorRatio=3", "-XX:TargetSurvivorRatio=80", "-XX:MaxTenuringThreshold=4",
                "-XX:FreqInlineSize=325", "-Dfoo=1", "-Xmx256m", "-Deventlens.boundedLaunch=child",
                "-cp", "app.jar", Main.class.getName(), "capture", "--kafka", "h:9092");
        // the JVM takes the last of repeated -XX options: the user's own value wins
        assertThat(headless.lastIndexOf("-XX:FreqInlineSize=325")).isGreaterThan(headless.indexOf("-XX:FreqInlineSize=100"));

        List<String> desktop = BoundedMemoryLaunch.childCommand("java", "app.jar", new String[0], List.of(),
                BoundedMemoryLaunch.DESKTOP_HEAP, true, List.of());
        assertThat(desktop).doesNotContainAnyElementsOf(BoundedMemoryLaunch.HEADLESS_OPTIONS).contains("-Xmx512m");
    }

    @Test
    void aCaptureChildStartsWithHalfItsHeapYoungAndNoOnStackReplacementUnlessTheUserSaysOtherwise() {
        List<String> capture = BoundedMemoryLaunch.childCommand("java", "app.jar", new String[] {"capture"},
                List.of("-XX:NewSize=64m", "-XX:+UseOnStackReplacement"), BoundedMemoryLaunch.CAPTURE_HEAP, false, List.of());
        assertThat(capture).containsSubsequence("java", "-XX:NewSize=128m", "-XX:-UseOnStackReplacement",
                "-XX:Tier4InvocationThreshold=15000", "-XX:NewSize=64m", "-XX:+UseOnStackReplacement", "-Xmx256m");
        assertThat(BoundedMemoryLaunch.childCommand("java", "app.jar", new String[] {"import", "f.ndjson"},
                List.of(), BoundedMemoryLaunch.CAPTURE_HEAP, false, List.of())).doesNotContainAnyElementsOf(BoundedMemoryLaunch.CAPTURE_OPTIONS);
        assertThat(BoundedMemoryLaunch.childCommand("java", "app.jar", new String[] {"capture"},
                List.of(), BoundedMemoryLaunch.DESKTOP_HEAP, true, List.of())).doesNotContainAnyElementsOf(BoundedMemoryLaunch.CAPTURE_OPTIONS);
    }

    @Test
    void compactObjectHeadersFromJava25AndTheUsersChoiceWins() {
        assertThat(BoundedMemoryLaunch.headlessOptions(24, List.of())).isEqualTo(BoundedMemoryLaunch.HEADLESS_OPTIONS);
        assertThat(BoundedMemoryLaunch.headlessOptions(25, List.of("-Xshare:off"))).containsAll(BoundedMemoryLaunch.HEADLESS_OPTIONS)
                .endsWith("-XX:+UseCompactObjectHeaders");
        // an archive the user (or the packaged launcher) names was made with the default layout
        for (String own : List.of("-XX:SharedArchiveFile=/opt/eventlens/lib/app/eventlens.jsa", "-XX:AOTCache=app.aot")) {
            assertThat(BoundedMemoryLaunch.headlessOptions(25, List.of(own))).as(own).isEqualTo(BoundedMemoryLaunch.HEADLESS_OPTIONS);
        }
        List<String> child = BoundedMemoryLaunch.childJvmOptions(List.of("-XX:-UseCompactObjectHeaders"));
        if (Runtime.version().feature() >= 25) {
            assertThat(child.indexOf("-XX:-UseCompactObjectHeaders")).isGreaterThan(child.indexOf("-XX:+UseCompactObjectHeaders"));
        }
        assertThat(child).endsWith("-XX:-UseCompactObjectHeaders");
    }

    @Test
    void theAssemblyOfACacheGetsTheLayoutOptionsAndNothingThatRunsOrWrites() {
        List<String> options = List.of("-XX:FreqInlineSize=100", "-XX:+UseCompactObjectHeaders", "-Xlog:gc:file=gc.log",
                "-XX:StartFlightRecording=filename=x.jfr", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-XX:+UnlockExperimentalVMOptions", "-XX:-UseCompressedOops", "-XX:ObjectAlignmentInBytes=16",
                "-XX:+UseParallelGC", "-Dfoo=1", "-XX:+UseCompactObjectHeadersX=1");
        assertThat(BoundedMemoryLaunch.layoutOptions(options)).containsExactly("-XX:+UseCompactObjectHeaders",
                "-XX:+UnlockExperimentalVMOptions", "-XX:-UseCompressedOops", "-XX:ObjectAlignmentInBytes=16",
                "-XX:+UseParallelGC");
    }

    @Test
    void aHeadlessChildOfThePackagedLauncherStartsWithoutTheDesktopsOptions(@TempDir Path image) throws Exception {
        Path app = Files.createDirectories(image.resolve("lib/app"));
        Path launcher = Files.createDirectories(image.resolve("bin")).resolve("eventlens");
        // as jpackage writes it (packaging/src/main/jpackage.sh)
        Files.writeString(app.resolve("eventlens.cfg"), """
                [Application]
                app.classpath=$APPDIR/eventlens-app.jar
                app.mainclass=io.eventlens.app.Main
                app.classpath=$APPDIR/h2.jar

                [JavaOptions]
                java-options=-Djpackage.app-version=0.1.0
                java-options=--enable-native-access=javafx.graphics,ALL-UNNAMED
                java-options=-Xlog:disable
                java-options=-Xlog:all=warning,cds*=off:stderr
                java-options=--add-exports=javafx.base/com.sun.javafx.event=ALL-UNNAMED
                java-options=-XX:SharedArchiveFile=$APPDIR/eventlens.jsa
                """);
        String classPath = app.resolve("eventlens-app.jar") + java.io.File.pathSeparator + app.resolve("h2.jar");
        List<String> launcherOptions = BoundedMemoryLaunch.launcherOptions(launcher.toString(), classPath);
        assertThat(launcherOptions).hasSize(6).contains("-XX:SharedArchiveFile=" + app.resolve("eventlens.jsa"));

        // the user's JAVA_TOOL_OPTIONS come first among the input arguments, the launcher's after them
        List<String> input = new java.util.ArrayList<>(List.of("-Xlog:disable", "-Dsome.flag=1"));
        input.addAll(launcherOptions);
        List<String> users = BoundedMemoryLaunch.withoutLauncherOptions(input, launcherOptions);
        assertThat(users).containsExactly("-Xlog:disable", "-Dsome.flag=1");
        // so the child takes its own cache and compact headers, and none of the launcher's logging
        assertThat(BoundedMemoryLaunch.sharingChosen(input)).isTrue();
        assertThat(BoundedMemoryLaunch.sharingChosen(users)).isFalse();
        List<String> child = BoundedMemoryLaunch.childCommand("java", classPath, new String[] {"capture"}, users,
                BoundedMemoryLaunch.CAPTURE_HEAP, false, List.of());
        assertThat(child).noneMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-Xlog:all")
                || a.contains("javafx"));

        // not the packaged launcher, or a configuration it cannot read: nothing is taken away
        assertThat(BoundedMemoryLaunch.launcherOptions(null, classPath)).isEmpty();
        assertThat(BoundedMemoryLaunch.launcherOptions(image.resolve("bin/other").toString(), classPath)).isEmpty();
        assertThat(BoundedMemoryLaunch.launcherOptions(launcher.toString(), "/elsewhere/eventlens.jar")).isEmpty();
    }
}
