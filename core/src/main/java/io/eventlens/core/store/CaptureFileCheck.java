package io.eventlens.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStoreException;

/**
 * The check every capture file passes before EventLens lets H2's SQL engine open it
 * (docs/decisions/0007-untrusted-capture-files.md): H2 runs the definitions stored in a database
 * file while it opens it (a trigger's Java source is compiled and run, aliases and views are
 * registered) and before it checks the password, so a file from someone else is first read with
 * {@link StoredDefinitions} (the MVStore API, read-only, nothing run) and accepted only when its
 * definitions are exactly those of one released schema version of the capture store.
 *
 * <p>The expected definitions of schema version {@code n} are the resource
 * {@code store/schema/V<n>.defs}: the canonical lines {@link StoredDefinitions#read} gives for a
 * fresh store migrated by Flyway to version {@code n} ({@code StoreSchemaGoldenTest} writes them).
 * Versions are numbered like the migrations in {@code db/migration}, from 1; a number a branch
 * reserved and has not merged yet may be missing.
 *
 * <p>Also refuses file names that H2 would read as JDBC URL syntax ({@link #checkName}).
 */
final class CaptureFileCheck {

    /** Resource of schema version {@code n}'s expected definitions. */
    static final String DEFS_RESOURCE = "store/schema/V%d.defs";

    private static final Pattern TRIGGER_TABLE = Pattern.compile(
            " ON (\"(?:[^\"]|\"\")*\"(?:\\.\"(?:[^\"]|\"\")*\")*)");
    private static final Pattern KIND = Pattern.compile(
            "^(?:CREATE|ALTER|GRANT|COMMENT|SET)\\b.*?\\b(LINKED TABLE|TABLE|VIEW|TRIGGER|ALIAS|AGGREGATE|CONSTANT"
                    + "|DOMAIN|SEQUENCE|SCHEMA|SYNONYM|ROLE|USER|PRIMARY KEY|INDEX|CONSTRAINT)\\b");

    /** Consecutive missing versions after which no later {@code .defs} is looked for. */
    private static final int VERSION_GAP_MAX = 3;
    private static final List<List<String>> SCHEMAS = loadSchemas();

    private CaptureFileCheck() {
    }

    /**
     * Checks {@code mvFile} without the SQL engine: it must be an H2 file whose definitions are
     * exactly those of one schema version of the capture store.
     *
     * @param mvFile an existing {@code .mv.db} file, absolute
     * @return the file's schema version (1 = {@code V1__capture_store.sql}), at most
     *         {@link #latestVersion()}
     * @throws CaptureStoreException naming the file and saying what was found: a definition no
     *                               capture store has, a missing one, that it is damaged or not an
     *                               H2 file, or that another process has it open
     */
    static int check(Path mvFile) {
        List<String> found;
        try {
            found = StoredDefinitions.read(mvFile);
        } catch (StoredDefinitions.ForeignContentException e) {
            throw CaptureStoreException.of(mvFile, "not an EventLens capture store: it " + e.getMessage(), null);
        } catch (Throwable t) {   // damaged or crafted bytes can make H2's reader throw anything
            throw damaged(mvFile, t);
        }
        for (int v = SCHEMAS.size(); v >= 1; v--) {
            if (found.equals(SCHEMAS.get(v - 1))) {
                return v;
            }
        }
        String difference = difference(found);
        throw CaptureStoreException.of(mvFile, "not an EventLens capture store" + (difference.startsWith("or ") ? ", " : ": ")
                + difference, null);
    }

    private static CaptureStoreException damaged(Path mvFile, Throwable t) {
        if (t instanceof MVStoreException e && e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
            return CaptureStoreException.of(mvFile, "capture store is locked: another process has it open", null);
        }
        String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (detail.length() > 300) {
            detail = detail.substring(0, 300) + "…";
        }
        return new CaptureStoreException(mvFile + ": not an EventLens capture store, or it is damaged (" + detail + ")", t);
    }

    /**
     * Refuses a store path that H2 would not open as the file it names: H2 reads {@code ;} in a
     * database URL as the start of settings (there is no escape, so {@code run;INIT=RUNSCRIPT FROM
     * 'x.sql'} would run a script), and turns {@code \} into the path separator on Linux and macOS.
     * Checked before the file is touched or a URL is built. H2's other name syntax needs no check
     * here because store paths are absolute: {@code ~} (the home folder) and {@code scheme:}
     * prefixes ({@code mem:}, {@code tcp:}, {@code zip:}, {@code nio:}, ...) are read only at the
     * start of a name, which is {@code /} (or a drive letter on Windows).
     *
     * @param mvFile the absolute store path
     * @throws CaptureStoreException naming the file and the character
     */
    static void checkName(Path mvFile) {
        String s = mvFile.toString();
        if (s.indexOf(';') >= 0) {
            throw CaptureStoreException.of(mvFile, "EventLens cannot open a capture file whose path contains ';'"
                    + " (H2 would read what follows as database settings); rename the file or its folder", null);
        }
        if (java.io.File.separatorChar == '/' && s.indexOf('\\') >= 0) {
            throw CaptureStoreException.of(mvFile, "EventLens cannot open a capture file whose path contains '\\'"
                    + " (H2 would read it as a folder separator); rename the file or its folder", null);
        }
    }

    /** The newest schema version this EventLens knows. */
    static int latestVersion() {
        return SCHEMAS.size();
    }

    /** The expected definitions of schema version {@code version} (1-based), or null for a version not released by this build. */
    static List<String> expected(int version) {
        return SCHEMAS.get(version - 1);
    }

    /** The content of a {@code V<n>.defs} resource holding {@code lines}. */
    static String format(int version, List<String> lines) {
        StringBuilder sb = new StringBuilder()
                .append("# EventLens capture store, schema version ").append(version)
                .append(": every definition a fresh store migrated by Flyway to V").append(version)
                .append(" holds, as the\n# capture file check reads them (docs/decisions/0007-untrusted-capture-files.md).")
                .append("\n# Generated; regenerate with:")
                .append(" mvn -pl core test -Dtest=StoreSchemaGoldenTest -Deventlens.updateSchemaGolden=true\n");
        for (String l : lines) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /** The definition lines of a {@code .defs} file's content (comments and blank lines dropped). */
    static List<String> parse(String content) {
        List<String> out = new ArrayList<>();
        for (String l : content.split("\n")) {
            if (!l.isBlank() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        out.sort(null);
        return List.copyOf(out);
    }

    /**
     * The {@code .defs} of versions 1, 2, ... up to the last one present; a missing version in between
     * (a migration number reserved by a branch not merged yet) is a null entry and matches no file.
     */
    private static List<List<String>> loadSchemas() {
        List<List<String>> out = new ArrayList<>();
        for (int v = 1, missing = 0; missing < VERSION_GAP_MAX; v++) {
            try (InputStream in = CaptureFileCheck.class.getClassLoader().getResourceAsStream(DEFS_RESOURCE.formatted(v))) {
                if (in == null) {
                    out.add(null);
                    missing++;
                    continue;
                }
                missing = 0;
                out.add(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the resource " + DEFS_RESOURCE.formatted(v), e);
            }
        }
        while (!out.isEmpty() && out.get(out.size() - 1) == null) {
            out.remove(out.size() - 1);
        }
        return java.util.Collections.unmodifiableList(out);
    }

    // ------------------------------------------------------------------ saying what differs

    /** What {@code found} holds or lacks compared with the schema version it is closest to. */
    static String difference(List<String> found) {
        if (SCHEMAS.isEmpty()) {
            return "this EventLens build knows no capture store schema (" + DEFS_RESOURCE.formatted(1) + " is missing)";
        }
        int best = SCHEMAS.size();
        List<String> extra = null;
        List<String> missing = null;
        for (int v = SCHEMAS.size(); v >= 1; v--) {
            if (SCHEMAS.get(v - 1) == null) {
                continue;
            }
            List<String> e = minus(found, SCHEMAS.get(v - 1));
            List<String> m = minus(SCHEMAS.get(v - 1), found);
            if (extra == null || e.size() + m.size() < extra.size() + missing.size()) {
                best = v;
                extra = e;
                missing = m;
            }
        }
        extra.sort(Comparator.comparingInt(CaptureFileCheck::priority));
        if (missing.size() == SCHEMAS.get(best - 1).size() - commonH2Lines(best)) {
            return "it is an H2 database without the capture store's tables"
                    + (extra.isEmpty() ? "" : "; it holds " + describe(extra.get(0)));
        }
        if (!extra.isEmpty()) {
            String worst = extra.get(0);
            boolean changed = missing.stream().anyMatch(m -> key(m).equals(key(worst)));
            String more = more(extra.size() + missing.size() - (changed ? 2 : 1), best);
            if (worst.contains("HASH '<a password>'")) {
                return "its user " + StoredDefinitions.objectName(body(worst))
                        + " has a password; the SA user of an EventLens capture store has none" + more;
            }
            return "it holds " + describe(worst) + (changed
                    ? " that differs from capture store schema version " + best + "'s"
                    : ", which no EventLens capture store has") + more;
        }
        String more = more(missing.size() - 1, best);
        return "or it is damaged: it lacks " + describe(missing.get(0)) + " of capture store schema version " + best + more;
    }

    private static String more(int others, int version) {
        return others <= 0 ? "" : " (and " + others + " other difference" + (others == 1 ? "" : "s")
                + " from capture store schema version " + version + ")";
    }

    /** Lines of version {@code v} that every H2 database has (its settings, users and built-in maps). */
    private static int commonH2Lines(int v) {
        int n = 0;
        for (String l : SCHEMAS.get(v - 1)) {
            if (l.startsWith("map h2 ") || l.startsWith("map table SYS ") || l.startsWith("sys SETTING ")
                    || l.startsWith("sys USER ")) {
                n++;
            }
        }
        return n;
    }

    private static List<String> minus(List<String> a, List<String> b) {
        Map<String, Integer> counts = new HashMap<>();
        for (String s : b) {
            counts.merge(s, 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        for (String s : a) {
            Integer c = counts.get(s);
            if (c == null || c == 0) {
                out.add(s);
            } else {
                counts.put(s, c - 1);
            }
        }
        return out;
    }

    /** The SQL (or map description) of a canonical line. */
    private static String body(String line) {
        int first = line.indexOf(' ');
        int second = line.indexOf(' ', first + 1);
        return line.substring(second + 1);
    }

    /** What a line defines, by kind and name: equal for two versions of one object. */
    private static String key(String line) {
        if (line.startsWith("map ")) {
            int nameEnd = line.indexOf(" key=");
            return nameEnd < 0 ? line : line.substring(0, nameEnd);
        }
        return describe(line);
    }

    /** A canonical line in words: {@code a TRIGGER "PUBLIC"."T" on "PUBLIC"."EVENT_BLOCK"}. */
    static String describe(String line) {
        if (line.startsWith("map ")) {
            String[] parts = line.split(" ", 4);
            return switch (parts[1]) {
                case "table", "index" -> "the storage of the " + parts[1] + " " + parts[2];
                default -> "the MVStore map \"" + parts[2] + "\"";
            };
        }
        String type = line.substring(4, line.indexOf(' ', 4));
        String sql = body(line);
        String name = StoredDefinitions.objectName(sql);
        return switch (type) {
            case "SETTING" -> "the setting " + shorten(sql);
            case "RIGHT" -> "a GRANT (" + shorten(sql) + ")";
            case "COMMENT" -> "a COMMENT (" + shorten(sql) + ")";
            case "TRIGGER" -> {
                Matcher on = TRIGGER_TABLE.matcher(sql);
                yield "a TRIGGER " + name + (on.find() ? " on " + on.group(1) : "");
            }
            case "CONSTRAINT" -> {
                int at = sql.indexOf(" ADD CONSTRAINT ");
                String constraint = at < 0 ? name : StoredDefinitions.objectName(sql.substring(at));
                yield "a CONSTRAINT " + constraint + " on " + name;
            }
            default -> {
                Matcher k = KIND.matcher(sql);
                String kind = k.find() ? k.group(1) : type;
                yield (kind.matches("[AEIO].*") ? "an " : "a ") + kind + " " + name;
            }
        };
    }

    /** An (escaped) SQL text cut to 120 characters. */
    private static String shorten(String sql) {
        return sql.length() > 120 ? sql.substring(0, 120) + "…" : sql;
    }

    /** Lines that can run code or reach outside the file first, so the message names the worst. */
    private static int priority(String line) {
        if (line.startsWith("sys TABLE_OR_VIEW ") && !line.startsWith("sys TABLE_OR_VIEW CREATE CACHED TABLE ")) {
            return 3;   // a view, a linked or a memory table before a plain table
        }
        String[] order = {"sys TRIGGER ", "sys FUNCTION_ALIAS ", "sys AGGREGATE ", "", "sys TABLE_OR_VIEW ", "sys CONSTANT ",
            "sys DOMAIN ", "sys SETTING ", "sys USER ", "sys RIGHT ", "sys ROLE ", "sys SCHEMA ", "sys SEQUENCE ",
            "sys SYNONYM ", "sys CONSTRAINT ", "sys INDEX "};
        for (int i = 0; i < order.length; i++) {
            if (!order[i].isEmpty() && line.startsWith(order[i])) {
                return i;
            }
        }
        return order.length;
    }
}
