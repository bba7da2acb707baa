package io.eventlens.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ahead-of-time cache of one headless command's child JVM on Java 25 and later
 * (docs/decisions/0010-bounded-memory-launch.md, "an ahead-of-time cache per headless command"): the classes it loads,
 * already parsed and linked (JEP 483), and the method profiles of a run (JEP 515), so that the JIT
 * compiles the hot code sooner and with fewer recompilations.
 *
 * <p>The JVM builds such a cache in two steps: a training run records what it loaded and how
 * it ran ({@code -XX:AOTMode=record -XX:AOTConfiguration=<file>}, written when the run exits), and
 * a second JVM assembles the cache from that ({@code -XX:AOTMode=create}, about 1.5 s and 50 MB).
 * The first run of a command is the training run; the launcher assembles the cache after that run
 * exited with 0, or stopped in order when the launcher was stopped (Ctrl-C, SIGTERM: a capture
 * usually ends so; its exit then waits for the assembly, once), into a temporary file that is
 * then moved into place, so that two commands started at once never leave half a cache. Later
 * runs start with {@code -XX:AOTCache=<file>}; the JVM checks the cache against itself and the
 * jar and runs without it when they do not match. A
 * training run whose command ran shorter than {@value #SHORT_RUN_MILLIS} ms (a 5-event capture,
 * say; the run reports it, {@link #TRAINING_PROPERTY}) records few method profiles: its cache is
 * used, but the next run trains once more and replaces it.
 *
 * <p>Only for a class path of jar files ({@code java -jar}): the JVM cannot record a class path
 * with a non-empty folder and then fails the run (exit code 1). After a failed assembly, a marker
 * file keeps later runs on the class-sharing archive instead ({@link BoundedMemoryLaunch#classSharing}).
 *
 * <p>Files, in the user's cache folder: {@code eventlens-<command>-<java>-<installation>-<jar>.aot}
 * where {@code <installation>} hashes the runtime and class path (as the class-sharing archive's
 * name does) and {@code <jar>} the size and time of each jar, so an updated jar gets a new cache and
 * the old one is deleted.
 */
final class AotCache {

    /** The first Java feature version whose JVM records method profiles into the cache (JEP 515). */
    static final int MIN_FEATURE = 25;
    /**
     * A training run shorter than this (ms, as the launcher measures it: JVM start and the
     * recording's dump at exit included) gives a provisional cache, which the next run replaces;
     * used only when the run did not report its own length ({@link #SHORT_RUN_MILLIS}).
     */
    static final long SHORT_TRAINING_MILLIS = 10_000;
    /**
     * A training run whose command ran shorter than this (ms, from {@code main} to the start of the
     * JVM's exit, as the run reports it) gives a provisional cache. A 5-event capture runs about 1 s,
     * a 1M-record capture 5–6 s; the recording's dump at exit, 2–5 s, is left out, so a fast machine's
     * real capture is no longer taken for a short one (docs/decisions/0010-bounded-memory-launch.md).
     */
    static final long SHORT_RUN_MILLIS = 3_000;
    /**
     * How long the assembly of a cache may take before it is given up (it takes 1.5–3 s on a 2-core
     * machine; after Ctrl-C the user waits for it).
     */
    private static final long CREATE_TIMEOUT_SECONDS = 30;
    /**
     * The JVM's notes about the cache are not the command's output: its logging is silenced but for
     * other warnings, which go to stderr, and so does the rest of its own output (stdout carries the
     * command's output).
     */
    static final List<String> LOGGING = List.of("-Xlog:disable", "-Xlog:all=warning,aot*=off,cds*=off:stderr",
            "-XX:+DisplayVMOutputToStderr");
    /**
     * A training run's JVM prints where it wrote its configuration on its own output, outside its
     * logging; that output is switched off for that run (a diagnostic option).
     */
    static final List<String> TRAINING_QUIET = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput");
    /**
     * Set on a training run's JVM to the file where it reports how long its command ran, in ms
     * ({@code -Deventlens.aotTraining=<file>}): when it exits it writes that file and collects its
     * heap once more, before the JVM writes the recording ({@link BoundedMemoryLaunch#exitWithParent}).
     */
    static final String TRAINING_PROPERTY = "eventlens.aotTraining";

    private final Path folder;
    private final String prefix;
    private final Path cache;
    private final Path configuration;
    private final Path failed;
    private final Path provisional;
    /** Where a training run reports how long its command ran ({@link #TRAINING_PROPERTY}). */
    private final Path report;
    /** Whether this run trains (records) rather than uses the cache; decided once, when the run starts. */
    private final boolean training;
    /** Whether this run trains again after a short training run: its cache is final, however short it is. */
    private final boolean retraining;

    private AotCache(Path folder, String prefix, String jarStamp, long pid) {
        this.folder = folder;
        this.prefix = prefix;
        this.cache = folder.resolve(prefix + jarStamp + ".aot");
        this.configuration = folder.resolve(prefix + jarStamp + "-" + pid + ".aotconf");
        this.failed = folder.resolve(prefix + jarStamp + ".failed");
        this.provisional = folder.resolve(prefix + jarStamp + ".provisional");
        this.report = folder.resolve(prefix + jarStamp + "-" + pid + ".ran");
        boolean cached = Files.isRegularFile(cache);
        // a cache from a short training run is replaced once, by the next run's training: the
        // first of two runs started at once to delete the marker takes that turn
        this.retraining = cached && deleted(provisional);
        this.training = !cached || retraining;
    }

    private static boolean deleted(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The cache of {@code command} for this runtime and class path, or null when this runtime is
     * older than {@value #MIN_FEATURE}, the class path holds anything but jar files, or a cache
     * could not be assembled for it before.
     *
     * @param folder       the cache folder (written by this user), or null for none
     * @param installation the hash of runtime and class path that also names the class-sharing archive
     */
    static AotCache of(Path folder, String command, String installation, String classPath, int feature, long pid) {
        if (folder == null || feature < MIN_FEATURE || classPath == null || classPath.isBlank()) {
            return null;
        }
        String stamp = jarStamp(classPath);
        if (stamp == null) {
            return null;
        }
        AotCache aot = new AotCache(folder, "eventlens-" + command + "-" + feature + "-" + installation + "-", stamp, pid);
        return Files.exists(aot.failed) ? null : aot;
    }

    /**
     * The size and modification time of every class path entry, hashed; null when an entry is not
     * a regular {@code .jar} file.
     */
    static String jarStamp(String classPath) {
        StringBuilder identity = new StringBuilder();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
                return null;
            }
            try {
                identity.append(entry).append('|').append(Files.size(jar)).append('|')
                        .append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            } catch (IOException e) {
                return null;
            }
        }
        return Integer.toHexString(identity.toString().hashCode());
    }

    /**
     * Whether this run trains: no cache was assembled yet, or the one there came from a short
     * training run ({@link #SHORT_RUN_MILLIS}) and this run is the one that replaces it.
     */
    boolean training() {
        return training;
    }

    /** The cache file. */
    Path file() {
        return cache;
    }

    /**
     * The child JVM's options: {@code -XX:AOTCache} when this run uses the cache, those of a
     * {@linkplain #training training run} (recording into this process's own configuration file) otherwise.
     */
    List<String> options() {
        List<String> options = new ArrayList<>(LOGGING);
        if (!training) {
            options.add("-XX:AOTCache=" + cache);
        } else {
            options.addAll(TRAINING_QUIET);
            options.add("-D" + TRAINING_PROPERTY + "=" + report);
            options.add("-XX:AOTMode=record");
            options.add("-XX:AOTConfiguration=" + configuration);
        }
        return options;
    }

    /**
     * The command line that assembles the cache from the training run's configuration into
     * {@code target}: the same runtime, layout options, heap bound, module options and class path as the child.
     *
     * @param jvmOptions the child's layout options ({@link BoundedMemoryLaunch#layoutOptions}), heap bound and module options
     */
    List<String> createCommand(String java, List<String> jvmOptions, String classPath, Path target) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(LOGGING);
        command.add("-XX:AOTMode=create");
        command.add("-XX:AOTConfiguration=" + configuration);
        command.add("-XX:AOTCache=" + target);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        return command;
    }

    /**
     * After a training run: assembles the cache when the run exited with 0 and left its
     * configuration, moves it into place and deletes this installation's older caches; otherwise
     * only removes what the run left. A cache from a run whose command ran shorter than
     * {@value #SHORT_RUN_MILLIS} ms as it reported (without a report: a run shorter than
     * {@value #SHORT_TRAINING_MILLIS} ms of {@code runMillis}), a 5-event capture say, holds few
     * method profiles, so it is marked provisional unless this run already replaced such a cache.
     * A failed assembly leaves the marker that keeps later runs from training again. Never throws:
     * a run without a cache is only slower.
     *
     * @param exitCode   the training run's exit code (0 also for a run the launcher stopped in order)
     * @param runMillis  how long the training run took, in ms of wall time (used without a report)
     * @param jvmOptions the child's layout options ({@link BoundedMemoryLaunch#layoutOptions}), heap bound and
     *                   module options, for the assembling JVM
     * @return whether a cache is in place now
     */
    boolean afterTraining(int exitCode, long runMillis, String java, List<String> jvmOptions, String classPath) {
        try {
            if (exitCode != 0 || !Files.isRegularFile(configuration) || Files.size(configuration) == 0) {
                return false;
            }
            Path target = folder.resolve(configuration.getFileName() + ".tmp");
            Process create = new ProcessBuilder(createCommand(java, jvmOptions, classPath, target))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            boolean done = create.waitFor(CREATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!done) {
                create.destroyForcibly();
            }
            if (!done || create.exitValue() != 0 || !Files.isRegularFile(target)) {
                Files.deleteIfExists(target);
                Files.writeString(failed, "the JVM could not assemble an ahead-of-time cache here; delete this file to try again\n");
                return false;
            }
            Files.move(target, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            deleteOthers();
            long ran = reportedRunMillis();
            boolean shortRun = ran >= 0 ? ran < SHORT_RUN_MILLIS : runMillis < SHORT_TRAINING_MILLIS;
            if (shortRun && !retraining) {
                Files.writeString(provisional, "trained by a run of " + (ran >= 0 ? ran : runMillis)
                        + " ms: the next run trains again\n");
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            try {
                Files.deleteIfExists(configuration);
                Files.deleteIfExists(report);
            } catch (IOException ignored) {
                // a leftover configuration is deleted with the next cache of this installation
            }
        }
    }

    /** How long the training run's command ran (ms) as it reported it, or -1 when it did not (or not readably). */
    private long reportedRunMillis() {
        try {
            return Files.isRegularFile(report) ? Math.max(0, Long.parseLong(Files.readString(report).trim())) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Deletes this installation's other files of this command: the caches and markers of older jars,
     * and what killed runs left more than an hour ago (a run started at the same time as this one
     * may still be recording or assembling).
     */
    private void deleteOthers() throws IOException {
        long anHourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, prefix + "*")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean leftover = name.endsWith(".aotconf") || name.endsWith(".tmp") || name.endsWith(".ran");
                if (!f.equals(cache) && !f.equals(provisional) && (!leftover || Files.getLastModifiedTime(f).toMillis() < anHourAgo)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
