package io.eventlens.app;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a long headless command ({@code capture}, {@code demo}, {@code import}, {@code report}) or the desktop app in a child JVM
 * whose heap is bounded, when EventLens was started with {@code java -jar} and no heap option
 * (docs/decisions/0010-bounded-memory-launch.md).
 *
 * <p>Why: a JVM started without {@code -Xmx} may grow its heap to a quarter of the machine's memory,
 * and G1 does grow it under a capture's allocation rate even though the capture holds little
 * (the pipeline bounds what is in flight): about 2 GB of resident memory for a 1M-event capture on
 * a 24 GiB machine. A jar cannot set JVM options itself, so the command is run again in a child
 * JVM with {@value #CAPTURE_HEAP} and the parent only waits for it: the child inherits stdin,
 * stdout and stderr, its exit code becomes the parent's, and stopping the parent (SIGTERM, Ctrl-C)
 * stops the child gracefully (SIGTERM; it commits its last batch) before the parent exits.
 *
 * <p>Not done when the user gave a heap option ({@code -Xmx}, {@code -XX:MaxRAMPercentage},
 * {@code -XX:MaxRAM}) or any {@code -XX:MaxHeapSize}, when {@value #CHILD_PROPERTY} is set (the
 * child itself, or a user who opts out with {@code -Deventlens.boundedLaunch=false}), or when the
 * running Java's executable is unknown.
 */
final class BoundedMemoryLaunch {

    /** The heap of the child JVM: enough for the pipeline's bounded in-flight data and H2's cache. */
    static final String CAPTURE_HEAP = "-Xmx256m";
    /**
     * JIT and GC options of a headless child (docs/decisions/0010-bounded-memory-launch.md,
     * amendments), placed before the user's options, which win:
     * <ul>
     *   <li>C2 inlines hot callees of at most 100 bytecode bytes (default 325) and none whose
     *       compiled code exceeds 1,000 bytes (default 2,500). A short command spends a large part
     *       of its CPU compiling: of a 1M-record capture's 18 s of CPU, about 7 s went to the
     *       compiler threads, most of it to a few large methods compiled again and again as their
     *       inlined callees met new types. Smaller compilation units cost less to compile and
     *       recompile: 15 to 20% less wall time and CPU.</li>
     *   <li>G1's survivor space a third of the young generation and filled to 80% (defaults an
     *       eighth and 50%): the events a capture holds in flight (about 6 MB) outgrew the default
     *       survivor space, so G1 promoted them to the old generation after one collection, where
     *       they died and had to be collected by concurrent and mixed collections: 8 to 12% less
     *       wall time on 1M and 5M records.</li>
     *   <li>Objects promoted after surviving 4 young collections (G1 chose 15 with the larger
     *       survivor space): the events in flight die within 2 or 3, while about 6 MB allocated at
     *       start-up and never freed (age table, {@code -Xlog:gc+age=trace}) were copied by 15
     *       collections before: a third less GC pause time on 1M records, the same on 5M (with
     *       2: nine mixed collections at 5M).</li>
     * </ul>
     */
    static final List<String> HEADLESS_OPTIONS = List.of("-XX:FreqInlineSize=100", "-XX:InlineSmallCode=1000",
            "-XX:SurvivorRatio=3", "-XX:TargetSurvivorRatio=80", "-XX:MaxTenuringThreshold=4");
    /**
     * Compact object headers (JEP 519, a product option since Java 25): 8-byte instead of 12-byte
     * object headers. A capture's young collections copy its events in flight, most of them small
     * objects (headers, positions, derived fields), so they copy less: about 10% less GC pause time
     * and 2 to 4% less wall time on a 1M-record capture (docs/decisions/0010-bounded-memory-launch.md).
     */
    static final String COMPACT_HEADERS = "-XX:+UseCompactObjectHeaders";
    /** The first Java feature release where {@link #COMPACT_HEADERS} is a product option. */
    static final int COMPACT_HEADERS_SINCE = 25;
    /**
     * Options of a {@code capture} child only, before the user's options, which win
     * (docs/decisions/0010-bounded-memory-launch.md, amendments):
     * <ul>
     *   <li>{@code -XX:NewSize=128m}: the least young generation, half its heap (G1 sizes it between
     *       this and its default 60%). G1 starts with a young generation of 5% of the heap and grows it
     *       over its first collections, which a capture runs while the JIT compilers take both CPUs:
     *       they copy the same start-up objects and events in flight as later ones, at 35–75 ms each
     *       instead of 6–15 ms. From 128 MiB the first collection comes about 2.5 s in: a GC pause
     *       share of 4.6% instead of 5.0% at 1M records, the same at 5M.</li>
     *   <li>{@code -XX:-UseOnStackReplacement}: no on-stack replacement. The C2 compiler otherwise
     *       compiles the loops of the writer, the block encoder and the source's batch as they run,
     *       and then their methods again as a whole: during the first seconds, when the compilers
     *       compete with the capture for the two CPUs. Each of those methods runs a batch at a time,
     *       so it is compiled whole after a few batches all the same. 1M records: 3.75 s against
     *       4.04 s (median of 8 alternating rounds), 5M: the same.</li>
     *   <li>C2 compiles a method after three times the default invocations and loop iterations
     *       ({@code -XX:Tier4InvocationThreshold=15000 -XX:Tier4MinInvocationThreshold=2000
     *       -XX:Tier4CompileThreshold=45000}): methods that run only while the capture starts (option
     *       parsing, the store's schema, the clients' set-up) are no longer compiled by C2, and the hot
     *       path reaches C2 with a fuller profile. With no on-stack replacement: 1M records 3.36 s
     *       against 3.55 s (6 alternating rounds, each faster), 5M 11.13 s against 11.19 s (3 rounds).</li>
     * </ul>
     */
    static final List<String> CAPTURE_OPTIONS = List.of("-XX:NewSize=128m", "-XX:-UseOnStackReplacement",
            "-XX:Tier4InvocationThreshold=15000", "-XX:Tier4MinInvocationThreshold=2000", "-XX:Tier4CompileThreshold=45000");
    /** The heap of the desktop app's child JVM: the app, a live capture and the demo's broker. */
    static final String DESKTOP_HEAP = "-Xmx512m";
    /** The system property that the packaged launcher (jpackage) sets to the path of its executable. */
    static final String PACKAGED_LAUNCHER_PROPERTY = "jpackage.app-path";
    /** Set on the child JVM (and honoured as an opt-out when the user sets it to {@code false}). */
    static final String CHILD_PROPERTY = "eventlens.boundedLaunch";
    /** {@code -Deventlens.classSharing=false} on the command line keeps the child JVM from class data sharing. */
    static final String CLASS_SHARING_PROPERTY = "eventlens.classSharing";
    private static final List<String> LONG_COMMANDS = List.of("capture", "demo", "import", "report");

    private BoundedMemoryLaunch() {
    }

    /**
     * In the child JVM: stops this process gracefully (its shutdown hooks commit the last batch)
     * when the parent that launched it is gone, so killing the parent with SIGKILL leaves no
     * capture running behind the user's back. In a training run's child ({@link AotCache#TRAINING_PROPERTY})
     * it also registers {@link #endTraining} as a shutdown hook. Does nothing in a JVM
     * that is not such a child.
     */
    static void exitWithParent() {
        if (!"child".equals(System.getProperty(CHILD_PROPERTY))) {
            return;
        }
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(143)));
        String report = System.getProperty(AotCache.TRAINING_PROPERTY);
        if (report != null && !report.isBlank()) {
            long started = System.nanoTime();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> endTraining(Path.of(report), started), "eventlens-aot-training"));
        }
    }

    /**
     * In a training run's child, when it exits: a full collection, after which G1 gives the heap
     * it no longer needs back to the system. The JVM then writes the run's recording
     * (docs/decisions/0010-bounded-memory-launch.md, "the training run's exit"): it collects again
     * and copies every loaded class's metadata, about 200 MB more resident memory for a moment,
     * which came on top of the capture's whole 256 MiB heap (a 5M-record first capture peaked at
     * 563 MiB, against 340–400 MiB for every later run).
     */
    static void shrinkHeapBeforeRecording() {
        System.gc();
    }

    /**
     * A training run's exit: reports how long the command ran, in ms since {@code startedNanos}, to
     * {@code report} (the launcher judges the training by it, {@link AotCache#SHORT_RUN_MILLIS}; a
     * report that cannot be written only makes it fall back to the wall time), then
     * {@link #shrinkHeapBeforeRecording}.
     */
    static void endTraining(Path report, long startedNanos) {
        try {
            Files.writeString(report, Long.toString((System.nanoTime() - startedNanos) / 1_000_000));
        } catch (java.io.IOException | RuntimeException e) {
            // the launcher then judges the training by the run's wall time
        }
        shrinkHeapBeforeRecording();
    }

    /**
     * Whether {@code args} name a long headless command that should run in a bounded child JVM,
     * given this JVM's input arguments.
     */
    static boolean wanted(String[] args, List<String> jvmArguments) {
        if (args.length == 0 || !LONG_COMMANDS.contains(args[0]) || System.getProperty(CHILD_PROPERTY) != null) {
            return false;
        }
        return !heapGiven(jvmArguments);
    }

    /**
     * The {@code java} launcher of the running runtime ({@code java.home}): the JDK's, or the
     * packaged image's own {@code runtime/bin/java} (never the image's native launcher, which the
     * process command names there); empty when the runtime has none.
     */
    static Optional<String> javaExecutable() {
        String home = System.getProperty("java.home");
        if (home == null) {
            return Optional.empty();
        }
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        Path launcher = Path.of(home, "bin", windows ? "java.exe" : "java");
        return Files.isExecutable(launcher) ? Optional.of(launcher.toString()) : Optional.empty();
    }

    /**
     * Runs {@code args} in a bounded child JVM when {@link #wanted}; returns its exit code, or empty
     * when the command should run in this JVM.
     */
    static Optional<Integer> runIfWanted(String[] args) {
        if (args.length == 0 || !LONG_COMMANDS.contains(args[0])) {
            return Optional.empty(); // decided without java.management: short commands start faster
        }
        List<String> all = jvmArguments();
        if (all == null) {
            return Optional.empty();
        }
        // the packaged launcher's options are the desktop app's: a headless child starts without them
        List<String> jvmArguments = withoutLauncherOptions(all,
                launcherOptions(System.getProperty(PACKAGED_LAUNCHER_PROPERTY), System.getProperty("java.class.path")));
        if (!wanted(args, jvmArguments)) {
            return Optional.empty();
        }
        return relaunch(args, jvmArguments, CAPTURE_HEAP, false);
    }

    /**
     * The JVM options that the packaged launcher (jpackage) gave this JVM from its configuration
     * file, in their order, with {@code $APPDIR} expanded; an empty list when this JVM was not
     * started by the packaged launcher or its configuration cannot be read.
     *
     * <p>They are the desktop app's (packaging/src/main/jpackage.sh): its class-sharing archive
     * {@code -XX:SharedArchiveFile=$APPDIR/eventlens.jsa}, made at packaging time from the window's
     * start, JavaFX's module grants and exports, and the launcher's logging. A headless child
     * inherited them before: the desktop archive kept it from its own ahead-of-time cache and from
     * compact object headers ({@link #sharingChosen}, {@link #archiveNamed}), and the launcher's
     * {@code -Xlog:all=warning} turned the cache's notes back on. Without them a 1M-record
     * {@code capture} from the launcher runs as fast as from {@code java -jar}
     * (docs/decisions/0010-bounded-memory-launch.md, "the packaged launcher's headless child").
     * The user's own options reach the child as they reached the launcher: through
     * {@code JAVA_TOOL_OPTIONS}, which the child inherits.
     *
     * @param appPath   the launcher's executable, the {@value #PACKAGED_LAUNCHER_PROPERTY} system
     *                  property that the packaged launcher sets (null when there is none)
     * @param classPath this JVM's class path, whose first entry is the app's jar in the
     *                  launcher's {@code $APPDIR}, beside the configuration file
     *                  {@code <launcher name>.cfg} (section {@code [JavaOptions]}, lines
     *                  {@code java-options=<option>})
     */
    static List<String> launcherOptions(String appPath, String classPath) {
        if (appPath == null || appPath.isBlank() || classPath == null || classPath.isBlank()) {
            return List.of();
        }
        Path appDir = Path.of(classPath.split(java.io.File.pathSeparator)[0]).toAbsolutePath().getParent();
        String name = Path.of(appPath).getFileName().toString().replaceFirst("(?i)\\.exe$", "");
        Path cfg = appDir == null ? null : appDir.resolve(name + ".cfg");
        if (cfg == null || !Files.isRegularFile(cfg)) {
            return List.of();
        }
        List<String> options = new ArrayList<>();
        try {
            boolean javaOptions = false;
            for (String line : Files.readAllLines(cfg, java.nio.charset.StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.startsWith("[")) {
                    javaOptions = l.equals("[JavaOptions]");
                } else if (javaOptions && l.startsWith("java-options=")) {
                    options.add(l.substring("java-options=".length()).replace("$APPDIR", appDir.toString()));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return List.of();   // the child then inherits them all, as before
        }
        return options;
    }

    /**
     * {@code jvmArguments} without {@code launcherOptions}: the last occurrence of each, as the
     * launcher's options come after those of {@code JAVA_TOOL_OPTIONS} among a JVM's input arguments.
     */
    static List<String> withoutLauncherOptions(List<String> jvmArguments, List<String> launcherOptions) {
        List<String> out = new ArrayList<>(jvmArguments);
        for (String option : launcherOptions) {
            int at = out.lastIndexOf(option);
            if (at >= 0) {
                out.remove(at);
            }
        }
        return out;
    }

    /**
     * Runs the desktop app ({@code args} as given to {@code main}) in a child JVM with
     * {@value #DESKTOP_HEAP} when this JVM has no heap option and is not such a child; returns the
     * child's exit code, or empty when the app should run in this JVM. The app holds about 100 MB
     * live even during a live capture at full rate, but without a bound G1 grows the heap towards a
     * quarter of the machine's memory (2.8 GB of resident memory seen on a 24 GiB machine).
     */
    static Optional<Integer> runDesktopIfWanted(String[] args) {
        if (System.getProperty(CHILD_PROPERTY) != null) {
            return Optional.empty();
        }
        List<String> jvmArguments = jvmArguments();
        if (jvmArguments == null || heapGiven(jvmArguments)) {
            return Optional.empty();
        }
        return relaunch(args, jvmArguments, DESKTOP_HEAP, true);
    }

    /** This JVM's input arguments, or null when they cannot be read. */
    private static List<String> jvmArguments() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * The options that give the child JVM class data sharing of EventLens's own classes (AppCDS,
     * {@code -XX:+AutoCreateSharedArchive}, JDK 19+): the first run dumps the classes it loaded into
     * {@code archive} when it exits, later runs map them instead of loading and verifying them from
     * the jar, and the JVM writes the archive again by itself when the jar or the JVM changed. Start-up
     * of a 5-event {@code capture} went from about 2.9 to 1.7 s of CPU (README "Speed"); the first run
     * takes about a second longer, to write the archive (about 40 MB).
     *
     * <p>The JVM's notes about the archive (written, out of date, rewritten) are silenced and its
     * other warnings go to stderr, as in the packaged launcher: stdout carries the command's output.
     *
     * @param jvmArguments this JVM's options: none are added when they already choose an archive or
     *                     turn sharing off ({@code -XX:SharedArchiveFile}, {@code -XX:ArchiveClassesAtExit},
     *                     {@code -Xshare}, the packaged launcher's own archive), or when they hold
     *                     {@code -D}{@value #CLASS_SHARING_PROPERTY}{@code =false}
     * @param archive      the archive file, or null for none (no cache folder that can be written)
     * @return the options, or an empty list
     */
    static List<String> classSharing(List<String> jvmArguments, Path archive) {
        if (archive == null || sharingChosen(jvmArguments)) {
            return List.of();
        }
        return List.of("-Xlog:disable", "-Xlog:all=warning,cds*=off:stderr",
                "-XX:SharedArchiveFile=" + archive, "-XX:+AutoCreateSharedArchive");
    }

    /**
     * Whether the user's JVM options already choose an archive or cache or turn sharing off
     * ({@code -XX:SharedArchiveFile}, {@code -XX:ArchiveClassesAtExit}, {@code -Xshare},
     * {@code -XX:AOTCache}, {@code -XX:AOTMode}, the packaged launcher's own archive), or hold
     * {@code -D}{@value #CLASS_SHARING_PROPERTY}{@code =false}: the child then gets neither an
     * archive nor an ahead-of-time cache of ours.
     */
    static boolean sharingChosen(List<String> jvmArguments) {
        if (archiveNamed(jvmArguments)) {
            return true;
        }
        for (String a : jvmArguments) {
            if (a.startsWith("-Xshare") || a.startsWith("-XX:AOTMode") || a.equals("-D" + CLASS_SHARING_PROPERTY + "=false")) {
                return true;
            }
        }
        return false;
    }

    /** Whether the user's JVM options name a class-sharing archive or an ahead-of-time cache or configuration to use or write. */
    static boolean archiveNamed(List<String> jvmArguments) {
        for (String a : jvmArguments) {
            if (a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:ArchiveClassesAtExit")
                    || a.startsWith("-XX:AOTCache") || a.startsWith("-XX:AOTConfiguration")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The folder of class-sharing archives and ahead-of-time caches in the user's cache folder
     * ({@code cds}), or null when it cannot be made or written.
     */
    static Path sharingFolder() {
        try {
            Path folder = io.eventlens.app.ui.services.UserFolders.userCache().resolve("cds");
            Files.createDirectories(folder);
            return Files.isWritable(folder) ? folder : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;   // no cache: the child starts as a plain JVM does
        }
    }

    /** The hash of this Java runtime and {@code classPath} that names their archives and caches. */
    static String installation(String classPath) {
        String identity = System.getProperty("java.home") + '\n' + System.getProperty("java.vm.version") + '\n' + classPath;
        return Integer.toHexString(identity.hashCode()) + Integer.toHexString(identity.length());
    }

    /**
     * The class-sharing archive of this kind of child ({@code desktop} or {@code cli}, which load
     * different classes), Java runtime and class path in {@code folder}
     * ({@code eventlens-<kind>-<feature version>-<hash>.jsa}; each installation and runtime has its
     * own, so two of them never rewrite each other's), or null without a folder.
     */
    static Path archiveFile(Path folder, String kind, String classPath) {
        return folder == null ? null
                : folder.resolve("eventlens-" + kind + "-" + Runtime.version().feature() + "-" + installation(classPath) + ".jsa");
    }

    /**
     * What the jar's manifest grants under {@code java -jar} ({@code Enable-Native-Access}), for
     * JavaFX's and LZ4's native libraries (the child runs with {@code -cp}, where the manifest does
     * not count); and on JDK 24+ the {@code sun.misc.Unsafe} use of JavaFX and Kafka's clients (JEP 498).
     */
    static List<String> moduleOptions() {
        return Runtime.version().feature() >= 24
                ? List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow")
                : List.of("--enable-native-access=ALL-UNNAMED");
    }

    /** A headless child's JVM options before the heap bound: its own, then the user's (the JVM takes the last of each). */
    static List<String> childJvmOptions(List<String> jvmArguments) {
        List<String> options = new ArrayList<>(headlessOptions(Runtime.version().feature(), jvmArguments));
        options.addAll(jvmArguments);
        return options;
    }

    /**
     * The options that the JVM requires to be the same when it assembles an ahead-of-time
     * cache and when it runs with it, among a child's options ({@link #childJvmOptions}): the
     * collector, compressed or compact object headers, object alignment ({@code -XX:+Use...},
     * {@code -XX:ObjectAlignmentInBytes}) and the unlocking flags some of them need, in their order.
     * Nothing else is given to the assembling JVM: a user's agent, flight recording or log file
     * there would run or write a second time.
     */
    static List<String> layoutOptions(List<String> jvmArguments) {
        List<String> out = new ArrayList<>();
        for (String a : jvmArguments) {
            if (a.matches("-XX:[+-](Use|Unlock)\\w+") || a.startsWith("-XX:ObjectAlignmentInBytes=")) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * The options a headless child starts with on this Java feature release: {@link #HEADLESS_OPTIONS},
     * and {@link #COMPACT_HEADERS} from Java 25 unless the user's options name an archive or cache
     * of their own (the packaged launcher's archive, say): the JVM maps one only with the object
     * layout it was made with, which is the default one.
     */
    static List<String> headlessOptions(int javaFeature, List<String> jvmArguments) {
        if (javaFeature < COMPACT_HEADERS_SINCE || archiveNamed(jvmArguments)) {
            return HEADLESS_OPTIONS;
        }
        List<String> options = new ArrayList<>(HEADLESS_OPTIONS);
        options.add(COMPACT_HEADERS);
        return options;
    }

    /** Whether the user gave a heap option. */
    static boolean heapGiven(List<String> jvmArguments) {
        for (String a : jvmArguments) {
            if (a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAM") || a.startsWith("-XX:MaxHeapSize")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The command line of the child JVM: the sharing options (a class-sharing archive,
     * {@link #classSharing}, or an ahead-of-time cache, {@link AotCache#options}), for
     * {@code capture} {@link #CAPTURE_OPTIONS}, for a headless command {@link #HEADLESS_OPTIONS},
     * then this JVM's own options (so the user's options win),
     * the heap bound, the child marker and the {@linkplain #moduleOptions native-access grants}, and
     * {@code Main} with {@code args}.
     *
     * @param sharing the sharing options, possibly none
     */
    static List<String> childCommand(String java, String classPath, String[] args, List<String> jvmArguments,
                                     String heap, boolean desktop, List<String> sharing) {
        List<String> command = new ArrayList<>();
        command.add(java);
        // before the user's options, so that their own -Xlog, sharing, JIT and GC options still win
        command.addAll(sharing);
        if (!desktop && args.length > 0 && "capture".equals(args[0])) {
            command.addAll(CAPTURE_OPTIONS);
        }
        command.addAll(desktop ? jvmArguments : childJvmOptions(jvmArguments));
        command.add(heap);
        command.add("-D" + CHILD_PROPERTY + "=child");
        command.addAll(moduleOptions());
        command.add("-cp");
        command.add(classPath);
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    private static Optional<Integer> relaunch(String[] args, List<String> jvmArguments, String heap, boolean desktop) {
        Optional<String> java = javaExecutable();
        String classPath = System.getProperty("java.class.path");
        if (java.isEmpty() || classPath == null || classPath.isBlank()) {
            return Optional.empty();
        }
        Path folder = sharingFolder();
        // a headless command on Java 25+ from a jar: its own ahead-of-time cache; otherwise AppCDS
        // what the cache must match beside the runtime and jars: the layout options of the child
        List<String> layout = desktop ? List.of() : layoutOptions(childJvmOptions(jvmArguments));
        AotCache aot = desktop || folder == null || sharingChosen(jvmArguments) ? null
                : AotCache.of(folder, args[0], installation(classPath + layout), classPath, Runtime.version().feature(),
                        ProcessHandle.current().pid());
        boolean training = aot != null && aot.training();
        List<String> sharing = aot != null ? aot.options()
                : classSharing(jvmArguments, archiveFile(folder, desktop ? "desktop" : "cli", classPath));
        List<String> command = childCommand(java.get(), classPath, args, jvmArguments, heap, desktop, sharing);
        Process child;
        long started = System.nanoTime();
        try {
            child = new ProcessBuilder(command).inheritIO().start();
        } catch (java.io.IOException e) {
            return Optional.empty(); // run in this JVM instead
        }
        List<String> assemblyOptions = new ArrayList<>(layout);
        assemblyOptions.add(heap);
        assemblyOptions.addAll(moduleOptions());
        java.util.function.IntConsumer endTraining = code -> aot.afterTraining(code,
                (System.nanoTime() - started) / 1_000_000, java.get(), assemblyOptions, classPath);
        Thread stopChild = new Thread(() -> {
            boolean stopped = true;
            if (child.isAlive()) {
                child.destroy(); // SIGTERM: the child's own hook commits its last batch
                try {
                    if (!child.waitFor(60, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                        stopped = false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopped = false;
                }
            }
            if (training) {
                // a capture that runs until Ctrl-C is the usual one: a child that stopped in order
                // trained as well as one that ended by itself, so its cache is assembled (once)
                endTraining.accept(stopped ? 0 : 1);
            }
        }, "eventlens-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try {
            int code = child.waitFor();
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                return Optional.of(code);   // this JVM is being stopped: its hook ends the training
            }
            if (training) {
                endTraining.accept(code);
            }
            return Optional.of(code);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(4);
        }
    }
}
