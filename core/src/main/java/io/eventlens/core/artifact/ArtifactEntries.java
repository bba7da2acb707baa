package io.eventlens.core.artifact;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Walks a CI run's artifacts: files, folders (nested, in name order, symbolic links not followed)
 * and zips (detected by their {@code PK} signature, not their name), handing each file's content to
 * a visitor as a stream. Zip entries are streamed, never extracted to disk. Entry names with a
 * {@code ..} segment, an absolute path or a drive letter are refused (zip slip), and a zip that
 * inflates beyond its {@link ZipLimits} is refused from there on (zip bomb); both are reported as
 * problems naming the zip and the entry. A zip inside a zip is skipped with a note.
 */
final class ArtifactEntries {

    /** Receives each artifact file. */
    interface Visitor {
        /**
         * One file; {@code in} is valid during the call only.
         *
         * @param name     the file's name for people: a path, or {@code run.zip!/dir/file}
         * @param in       its content (buffered, supports mark/reset)
         * @param modified the file's modification time, or null
         * @throws IOException when reading fails; reported as a problem of the file
         */
        void visit(String name, InputStream in, Instant modified) throws IOException, InterruptedException;
    }

    /** A zip that inflated beyond its limits. */
    static final class ZipBombException extends IOException {
        ZipBombException(String message) {
            super(message);
        }
    }

    private final ZipLimits limits;
    private final java.util.function.Consumer<ArtifactProblem> problems;
    private final java.util.concurrent.atomic.AtomicLong bytesRead;

    ArtifactEntries(ZipLimits limits, java.util.function.Consumer<ArtifactProblem> problems) {
        this(limits, problems, new java.util.concurrent.atomic.AtomicLong());
    }

    /** @param bytesRead counts the (uncompressed) bytes read from files and zip entries, for progress */
    ArtifactEntries(ZipLimits limits, java.util.function.Consumer<ArtifactProblem> problems,
                    java.util.concurrent.atomic.AtomicLong bytesRead) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.problems = Objects.requireNonNull(problems, "problems");
        this.bytesRead = Objects.requireNonNull(bytesRead, "bytesRead");
    }

    /** Counts what is read through it into {@link #bytesRead}. */
    private final class Counting extends FilterInputStream {
        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bytesRead.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytesRead.addAndGet(n);
            }
            return n;
        }
    }

    /**
     * Visits every file under {@code root}.
     *
     * @throws IOException when {@code root} cannot be read at all (missing)
     */
    void walk(Path root, Visitor visitor) throws IOException, InterruptedException {
        if (!Files.exists(root)) {
            throw new java.nio.file.NoSuchFileException(root.toString(), null, "no such file or folder");
        }
        if (Files.isDirectory(root)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(root)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                visitFile(f, root.relativize(f).toString().replace('\\', '/'), visitor);
            }
        } else {
            visitFile(root, root.toString(), visitor);
        }
    }

    private void visitFile(Path file, String name, Visitor visitor) throws InterruptedException {
        try {
            if (isZip(file)) {
                visitZip(file, name, visitor);
                return;
            }
            Instant modified = Files.getLastModifiedTime(file).toInstant();
            try (InputStream in = new BufferedInputStream(new Counting(Files.newInputStream(file)), 1 << 16)) {
                visitor.visit(name, in, modified);
            }
        } catch (IOException | RuntimeException e) {
            problems.accept(new ArtifactProblem(name, 0, "cannot read: " + message(e)));
        }
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] sig = in.readNBytes(4);
            return sig.length == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 3 && sig[3] == 4;
        }
    }

    private void visitZip(Path file, String zipName, Visitor visitor) throws IOException, InterruptedException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long total = 0;
            int count = 0;
            List<? extends ZipEntry> entries = sortedEntries(zip);
            for (ZipEntry entry : entries) {
                String entryName = zipName + "!/" + entry.getName();
                if (++count > limits.maxEntries()) {
                    problems.accept(new ArtifactProblem(zipName, 0, "refused after " + limits.maxEntries()
                            + " entries (zip entry limit); " + (entries.size() - limits.maxEntries()) + " entries not read"));
                    return;
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String unsafe = unsafeName(entry.getName());
                if (unsafe != null) {
                    problems.accept(new ArtifactProblem(entryName, 0, "refused: the entry name " + unsafe
                            + " (it would escape the target folder: zip slip)"));
                    continue;
                }
                Instant modified = entry.getLastModifiedTime() == null ? null : entry.getLastModifiedTime().toInstant();
                long before = total;
                try (LimitedStream limited = new LimitedStream(zip.getInputStream(entry), entryName,
                        Math.max(1, entry.getCompressedSize()), limits.maxTotalBytes() - before);
                     InputStream in = new BufferedInputStream(new Counting(limited), 1 << 16)) {
                    if (startsWithZipSignature(in)) {
                        problems.accept(new ArtifactProblem(entryName, 0, "skipped: a zip inside a zip is not read"));
                    } else {
                        try {
                            visitor.visit(entryName, in, modified);
                        } catch (ZipBombException bomb) {
                            throw bomb;
                        } catch (IOException | RuntimeException e) {
                            if (e.getCause() instanceof ZipBombException bomb) {
                                throw bomb;
                            }
                            problems.accept(new ArtifactProblem(entryName, 0, "cannot read: " + message(e)));
                        }
                    }
                    total = before + limited.count;
                } catch (ZipBombException bomb) {
                    problems.accept(new ArtifactProblem(entryName, 0, "refused: " + bomb.getMessage()
                            + "; the rest of " + zipName + " is not read"));
                    return;
                }
            }
        }
    }

    private static List<? extends ZipEntry> sortedEntries(ZipFile zip) {
        List<ZipEntry> list = new ArrayList<>();
        Enumeration<? extends ZipEntry> e = zip.entries();
        while (e.hasMoreElements()) {
            list.add(e.nextElement());
        }
        list.sort(java.util.Comparator.comparing(ZipEntry::getName));
        return list;
    }

    private static boolean startsWithZipSignature(InputStream in) throws IOException {
        in.mark(4);
        byte[] sig = in.readNBytes(4);
        in.reset();
        return sig.length == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 3 && sig[3] == 4;
    }

    /** Why a zip entry name is unsafe ({@code "'../x' has a '..' segment"}), or null when it is safe. */
    static String unsafeName(String name) {
        String n = name.replace('\\', '/');
        if (n.startsWith("/")) {
            return "'" + name + "' is an absolute path";
        }
        if (n.length() >= 2 && n.charAt(1) == ':') {
            return "'" + name + "' has a drive letter";
        }
        for (String segment : n.split("/")) {
            if (segment.equals("..")) {
                return "'" + name + "' has a '..' segment";
            }
        }
        if (n.indexOf('\0') >= 0) {
            return "'" + name + "' has a NUL character";
        }
        return null;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Counts inflated bytes and throws {@link ZipBombException} past the ratio or the zip's total. */
    private final class LimitedStream extends FilterInputStream {
        private final String name;
        private final long compressed;
        private final long totalLeft;
        long count;

        LimitedStream(InputStream in, String name, long compressed, long totalLeft) {
            super(in);
            this.name = name;
            this.compressed = compressed;
            this.totalLeft = totalLeft;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(long n) throws ZipBombException {
            count += n;
            if (count > totalLeft) {
                throw new ZipBombException("the zip inflates beyond " + limits.maxTotalBytes() + " bytes in all (zip bomb limit)");
            }
            if (count > ZipLimits.RATIO_FLOOR_BYTES && count / compressed > limits.maxRatio()) {
                throw new ZipBombException(name + " inflates more than " + limits.maxRatio()
                        + " times its compressed size of " + compressed + " bytes (zip bomb limit)");
            }
        }
    }
}
