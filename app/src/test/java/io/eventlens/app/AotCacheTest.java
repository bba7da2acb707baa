package io.eventlens.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void onlyAJarClassPathOnJava25OrLaterGetsACache() throws IOException {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
        Path folder = Files.createDirectories(dir.resolve("cds"));

        assertThat(AotCache.of(folder, "capture", "abc", jar.toString(), 25, 7)).isNotNull();
        assertThat(AotCache.of(folder, "capture", "abc", jar.toString(), 24, 7)).as("Java 24").isNull();
        assertThat(AotCache.of(null, "capture", "abc", jar.toString(), 25, 7)).as("no cache folder").isNull();
        assertThat(AotCache.of(folder, "capture", "abc", jar + java.io.File.pathSeparator + dir, 25, 7))
                .as("a folder on the class path: the JVM would fail the training run").isNull();
        assertThat(AotCache.of(folder, "capture", "abc", dir.resolve("missing.jar").toString(), 25, 7)).isNull();
    }

    @Test
    void aFirstRunTrainsALaterRunUsesTheCacheAndANewJarTrainsAgain() throws IOException {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
        Path folder = Files.createDirectories(dir.resolve("cds"));
        AotCache first = AotCache.of(folder, "capture", "abc", jar.toString(), 25, 7);

        assertThat(first.training()).isTrue();
        assertThat(first.options()).containsSubsequence(AotCache.LOGGING)
                .contains("-XX:AOTMode=record", "-D" + AotCache.TRAINING_PROPERTY + "=" + folder.resolve(
                        first.file().getFileName().toString().replace(".aot", "-7.ran")), "-XX:AOTConfiguration=" + folder.resolve(
                        first.file().getFileName().toString().replace(".aot", "-7.aotconf")))
                .noneMatch(o -> o.startsWith("-XX:AOTCache"));

        Files.write(first.file(), new byte[] {0});
        AotCache later = AotCache.of(folder, "capture", "abc", jar.toString(), 25, 8);
        assertThat(later.training()).isFalse();
        assertThat(later.options()).contains("-XX:AOTCache=" + first.file())
                .doesNotContain("-XX:AOTMode=record").noneMatch(o -> o.startsWith("-D" + AotCache.TRAINING_PROPERTY));

        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        AotCache updated = AotCache.of(folder, "capture", "abc", jar.toString(), 25, 9);
        assertThat(updated.file()).isNotEqualTo(first.file());
        assertThat(updated.training()).isTrue();
        assertThat(AotCache.of(folder, "import", "abc", jar.toString(), 25, 9).file())
                .as("each command has its own cache").isNotEqualTo(updated.file());
        assertThat(updated.createCommand("java", List.of("-Xmx256m", "--enable-native-access=ALL-UNNAMED"), jar.toString(),
                folder.resolve("x.tmp"))).as("the assembling JVM gets the child's heap bound and module options")
                .containsSubsequence("java", "-XX:AOTMode=create", "-XX:AOTCache=" + folder.resolve("x.tmp"),
                        "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp", jar.toString());
    }

    /**
     * The real JVM: a short training run of a jar, the assembly, the one run that trains again, runs
     * with the cache, and a failed assembly.
     */
    @Test
    void theJvmTrainsAssemblesAndUsesTheCacheAndAFailedAssemblyIsNotTriedAgain() throws Exception {
        RealJvm jvm = realJvm();
        int feature = jvm.feature();
        Path jar = jvm.jar();
        Path folder = jvm.folder();
        String java = jvm.java();
        AotCache aot = AotCache.of(folder, "capture", "abc", jar.toString(), feature, 7);

        Run training = run(java, aot.options(), jar);
        assertThat(training.code()).as(training.err()).isZero();
        assertThat(training.out()).as("the JVM's notes stay off stdout").isEqualTo("hello\n");
        assertThat(training.err()).as("and off stderr").isEmpty();
        assertThat(aot.afterTraining(training.code(), 500, java, List.of(), jar.toString())).isTrue();
        assertThat(aot.file()).isRegularFile();

        // a short training run: the next run trains once more, the one beside it uses the cache
        AotCache again = AotCache.of(folder, "capture", "abc", jar.toString(), feature, 8);
        assertThat(again.training()).isTrue();
        AotCache beside = AotCache.of(folder, "capture", "abc", jar.toString(), feature, 9);
        assertThat(beside.training()).isFalse();
        Run cached = run(java, beside.options(), jar);
        assertThat(cached.code()).as(cached.err()).isZero();
        assertThat(cached.out()).isEqualTo("hello\n");
        assertThat(cached.err()).isEmpty();

        Run retraining = run(java, again.options(), jar);
        assertThat(again.afterTraining(retraining.code(), 500, java, List.of(), jar.toString())).isTrue();
        assertThat(AotCache.of(folder, "capture", "abc", jar.toString(), feature, 10).training())
                .as("the second training is final, however short").isFalse();
        assertThat(Files.list(folder)).as("only the cache is left").containsExactly(aot.file());

        // a damaged training configuration: the assembly fails, and the next run is not a training run
        AotCache other = AotCache.of(folder, "import", "abc", jar.toString(), feature, 11);
        Files.writeString(Path.of(other.options().getLast().substring("-XX:AOTConfiguration=".length())), "not a configuration");
        assertThat(other.afterTraining(0, 60_000, java, List.of(), jar.toString())).isFalse();
        assertThat(AotCache.of(folder, "import", "abc", jar.toString(), feature, 12)).isNull();
        assertThat(AotCache.of(folder, "capture", "abc", jar.toString(), feature, 12).training()).isFalse();
    }

    /**
     * A training run is judged by how long its command ran, as it reported it, not by the launcher's
     * wall time (which includes the JVM's start and its dump of the recording): a reported 5 s gives
     * a final cache after 4 s of wall time, a reported 0.5 s a provisional one after 60 s.
     */
    @Test
    void aTrainingRunIsJudgedByTheRunTimeItReported() throws Exception {
        RealJvm jvm = realJvm();
        Path jar = jvm.jar();
        String java = jvm.java();

        AotCache longRun = AotCache.of(jvm.folder(), "capture", "abc", jar.toString(), jvm.feature(), 7);
        Run training = run(java, longRun.options(), jar);
        assertThat(training.code()).as(training.err()).isZero();
        Files.writeString(reportOf(longRun), "5000");
        assertThat(longRun.afterTraining(0, 4_000, java, List.of(), jar.toString())).isTrue();
        assertThat(AotCache.of(jvm.folder(), "capture", "abc", jar.toString(), jvm.feature(), 8).training())
                .as("a 5 s run trained a final cache").isFalse();
        assertThat(reportOf(longRun)).as("the report is deleted").doesNotExist();

        AotCache shortRun = AotCache.of(jvm.folder(), "import", "abc", jar.toString(), jvm.feature(), 9);
        assertThat(run(java, shortRun.options(), jar).code()).isZero();
        Files.writeString(reportOf(shortRun), "500");
        assertThat(shortRun.afterTraining(0, 60_000, java, List.of(), jar.toString())).isTrue();
        assertThat(AotCache.of(jvm.folder(), "import", "abc", jar.toString(), jvm.feature(), 10).training())
                .as("a 0.5 s run trained a provisional cache").isTrue();
    }

    @Test
    void aTrainingChildReportsHowLongItsCommandRan() throws IOException {
        Path report = dir.resolve("run.ran");
        BoundedMemoryLaunch.endTraining(report, System.nanoTime() - 2_000_000_000L);

        assertThat(Long.parseLong(Files.readString(report))).isBetween(2_000L, 60_000L);
    }

    private static Path reportOf(AotCache aot) {
        String prefix = "-D" + AotCache.TRAINING_PROPERTY + "=";
        return Path.of(aot.options().stream().filter(o -> o.startsWith(prefix)).findFirst().orElseThrow().substring(prefix.length()));
    }

    /**
     * A child with compact object headers (the headless default on Java 25+): its cache is assembled
     * with the same layout, and a run that must use the cache ({@code -XX:AOTMode=on}) can.
     */
    @Test
    void aCacheTrainedWithCompactHeadersIsAssembledAndUsedWithThem() throws Exception {
        RealJvm jvm = realJvm();
        List<String> layout = BoundedMemoryLaunch.layoutOptions(BoundedMemoryLaunch.childJvmOptions(List.of()));
        assertThat(layout).contains(BoundedMemoryLaunch.COMPACT_HEADERS);
        String jar = jvm.jar().toString();
        AotCache aot = AotCache.of(jvm.folder(), "capture", "coh", jar, jvm.feature(), 7);
        List<String> training = new ArrayList<>(aot.options());
        training.addAll(layout);
        assertThat(run(jvm.java(), training, jvm.jar()).code()).isZero();
        assertThat(aot.afterTraining(0, 60_000, jvm.java(), layout, jar)).isTrue();

        List<String> using = new ArrayList<>(AotCache.of(jvm.folder(), "capture", "coh", jar, jvm.feature(), 8).options());
        using.addAll(layout);
        using.add("-XX:AOTMode=on");   // fails the run when the cache cannot be used
        Run cached = run(jvm.java(), using, jvm.jar());
        assertThat(cached.code()).as(cached.err()).isZero();
        assertThat(cached.out()).isEqualTo("hello\n");
    }

    @Test
    void aFailedTrainingRunLeavesNoFilesAndIsTriedAgain() throws IOException {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1});
        Path folder = Files.createDirectories(dir.resolve("cds"));
        AotCache aot = AotCache.of(folder, "capture", "abc", jar.toString(), 25, 7);
        Path configuration = Path.of(aot.options().getLast().substring("-XX:AOTConfiguration=".length()));
        Files.writeString(configuration, "recorded");

        assertThat(aot.afterTraining(3, 60_000, "java", List.of(), jar.toString())).isFalse();
        assertThat(Files.list(folder)).isEmpty();

        assertThat(AotCache.of(folder, "capture", "abc", jar.toString(), 25, 8)).isNotNull();
    }

    private record Run(int code, String out, String err) {
    }

    /** This JVM's feature release, a small jar, an empty cache folder and the java executable. */
    private record RealJvm(int feature, Path jar, Path folder, String java) {
    }

    /** What a test with the real JVM needs; skips the test before Java 25. */
    private RealJvm realJvm() throws IOException {
        int feature = Runtime.version().feature();
        assumeTrue(feature >= AotCache.MIN_FEATURE, "the JVM running the tests is older than Java 25");
        return new RealJvm(feature, helloJar(), Files.createDirectories(dir.resolve("cds")),
                BoundedMemoryLaunch.javaExecutable().orElseThrow());
    }

    private Run run(String java, List<String> options, Path jar) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(List.of("-cp", jar.toString(), "Hello"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path helloJar() throws IOException {
        Path src = Files.writeString(dir.resolve("Hello.java"),
                "public class Hello { public static void main(String[] a) { System.out.println(\"hello\"); } }");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString());
        assertThat(rc).isZero();
        Path jar = dir.resolve("hello.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("Hello.class"));
            out.write(Files.readAllBytes(classes.resolve("Hello.class")));
            out.closeEntry();
        }
        return jar;
    }
}
