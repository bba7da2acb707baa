package io.eventlens.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.LongDataType;
import org.h2.mvstore.type.StringDataType;
import org.h2.security.SHA256;

/**
 * Reads every schema definition an H2 2.x file stores, without the SQL engine: the file is opened
 * with the MVStore API, read-only, the way {@code org.h2.tools.Recover} reads it, and nothing in
 * it is run, compiled, loaded or deserialized (docs/decisions/0007-untrusted-capture-files.md).
 *
 * <p>What an H2 database file holds, and what is read of it:
 * <ul>
 *   <li>the MVStore meta map: one entry per MVStore map (its name and the registry keys of its key
 *       and value types);</li>
 *   <li>the type registry map {@code _}: the class name and state of each map's key and value type.
 *       H2 itself instantiates these classes by name when it opens a map, so each entry is parsed
 *       here by its known format, and a class name that is not one of H2's own plain types is
 *       refused;</li>
 *   <li>the {@code SYS} table (map {@code table.0}): one row per schema object, {@code (ID, HEAD,
 *       TYPE, SQL)}, the SQL that H2 runs when it opens the database (tables, indexes, constraints,
 *       users, rights, settings, schemas, sequences, triggers, aliases, constants, domains, views,
 *       linked tables, ...). The rows are decoded here by their value tags; no SQL is parsed or run.</li>
 * </ul>
 *
 * <p>The result is one canonical line per definition, sorted, in which what legitimately varies
 * between two stores of the same schema is replaced: the SA user's salt and hash (checked to be
 * those of the empty password), the H2 build that created the file (within the builds EventLens
 * shipped), object ids and MVStore map ids (maps are named by the object they belong to). Table
 * data (events, positions, Flyway's history rows) is not read.
 *
 * <p>Stateless and thread-safe: every call opens and closes the file.
 */
final class StoredDefinitions {

    /** The H2 builds whose files EventLens accepts ({@code SET CREATE_BUILD n}): 2.3.232 only. */
    static final int MIN_CREATE_BUILD = 232;
    static final int MAX_CREATE_BUILD = 232;

    /** Guards against a damaged or crafted file: more definitions than this is not a store. */
    private static final int MAX_DEFINITIONS = 10_000;
    private static final int MAX_MAPS = 10_000;
    /** Nesting of type descriptions ({@code VersionedValue(Row(...))} is 2 deep). */
    private static final int MAX_TYPE_DEPTH = 4;
    /** Longest SQL text of one definition, in characters. */
    private static final int MAX_SQL_CHARS = 1 << 20;

    /** The SYS table's row type: (ID INT, HEAD INT, TYPE INT, SQL VARCHAR), no stored keys. */
    static final String SYS_VALUE_TYPE = "VersionedValue(Row(columns=4,sort=[0,0,0,0],indexes=-,storeKeys=false))";

    /** H2's {@code org.h2.engine.DbObject} type numbers (H2 2.3.232), by index. */
    private static final String[] OBJECT_TYPES = {"TABLE_OR_VIEW", "INDEX", "USER", "SEQUENCE", "TRIGGER",
        "CONSTRAINT", "SETTING", "ROLE", "RIGHT", "FUNCTION_ALIAS", "SCHEMA", "CONSTANT", "DOMAIN", "COMMENT",
        "AGGREGATE", "SYNONYM"};
    static final int TABLE_OR_VIEW = 0;
    static final int INDEX = 1;

    /** Maps every H2 2.x database has, named as they are. */
    private static final List<String> FIXED_MAPS = List.of("_", "openTransactions", "lobMap", "tempLobMap",
            "lobRef", "lobData");

    private static final Pattern USER = Pattern.compile(
            "CREATE USER IF NOT EXISTS (\"(?:[^\"]|\"\")*\") SALT '([0-9a-f]*)' HASH '([0-9a-f]*)'( ADMIN)?");
    private static final Pattern CREATE_BUILD = Pattern.compile("SET CREATE_BUILD (\\d{1,9})");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("\"(?:[^\"]|\"\")*\"(?:\\.\"(?:[^\"]|\"\")*\")*");
    private static final Pattern SELECTIVITY = Pattern.compile(
            "(    \"(?:[^\"]|\"\")*\" .*?) SELECTIVITY \\d{1,3}((?: NOT NULL)?,?)");
    private static final Pattern UNDO_LOG = Pattern.compile("undoLog[.-]\\d{1,9}");
    private static final Pattern OBJECT_MAP = Pattern.compile("(table|index)\\.(\\d{1,9})");

    private StoredDefinitions() {
    }

    /**
     * The file holds something no H2 capture store holds, found while reading (an unknown type
     * class, an unfinished change to the definitions, a map of an unknown kind). Not damage.
     */
    static final class ForeignContentException extends Exception {
        ForeignContentException(String message) {
            super(message);
        }
    }

    /**
     * Reads the definitions of {@code mvFile}.
     *
     * @param mvFile an existing {@code .mv.db} file, absolute
     * @return canonical definition lines, sorted (see the class comment)
     * @throws ForeignContentException when the file holds what no H2 capture store can hold
     * @throws RuntimeException        (of any kind, from H2's MVStore) when the file is not an
     *                                 MVStore file, is damaged, or is locked by another process
     */
    static List<String> read(Path mvFile) throws ForeignContentException {
        try (MVStore mv = new MVStore.Builder().fileName(mvFile.toString()).readOnly().autoCommitDisabled().open()) {
            checkLength(mv, mvFile);
            return read(mv);
        }
    }

    /**
     * Refuses a file that ends before the chunk its header names: MVStore would silently read an
     * older version of a truncated file (from a chunk still whole), which is not what was saved.
     */
    private static void checkLength(MVStore mv, Path mvFile) {
        Map<String, Object> header = mv.getStoreHeader();
        Object block = header.get("block");
        Object blockSize = header.get("blockSize");
        if (block == null || blockSize == null) {
            return;
        }
        long end = Long.parseLong(block.toString(), 16) * Long.parseLong(blockSize.toString(), 16);
        long length;
        try {
            length = Files.size(mvFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (end >= length) {
            throw new IllegalStateException("the file ends at byte " + length + ", before its last chunk at byte " + end
                    + ": it was cut short");
        }
    }

    private static List<String> read(MVStore mv) throws ForeignContentException {
        MVMap<String, String> meta = mv.getMetaMap();
        Map<String, Map<String, String>> maps = new HashMap<>();   // map name -> its meta fields
        int entries = 0;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (++entries > 2 * MAX_MAPS) {
                throw new ForeignContentException("holds more than " + MAX_MAPS + " MVStore maps");
            }
            String key = e.getKey();
            if (key.startsWith(DataUtils.META_MAP)) {
                Map<String, String> fields = DataUtils.parseMap(e.getValue());
                String name = fields.get("name");
                if (name == null) {
                    throw new ForeignContentException("holds an MVStore map without a name");
                }
                if (!key.substring(DataUtils.META_MAP.length()).equals(meta.get(DataUtils.META_NAME + name))) {
                    throw new ForeignContentException("holds an MVStore map \"" + name + "\" whose id does not match");
                }
                maps.put(name, fields);
            } else if (key.startsWith(DataUtils.META_NAME)) {
                String map = meta.get(DataUtils.META_MAP + e.getValue());
                String name = key.substring(DataUtils.META_NAME.length());
                if (map == null || !name.equals(DataUtils.parseMap(map).get("name"))) {
                    throw new ForeignContentException("holds an MVStore map name \"" + name + "\" without its map");
                }
            } else {
                throw new ForeignContentException("holds the MVStore setting \"" + key + "\"");
            }
        }
        for (String name : FIXED_MAPS) {
            if (!maps.containsKey(name)) {
                throw new ForeignContentException("lacks the MVStore map \"" + name + "\" every H2 2.x database has");
            }
        }
        if (!maps.containsKey("table.0")) {
            throw new ForeignContentException("lacks H2's SYS table (map table.0)");
        }
        if (mv.hasData("openTransactions")) {
            // values of this map are Java-serialized by H2 (ObjectDataType): never read them
            throw new ForeignContentException("holds prepared (two-phase) transactions, which EventLens never makes");
        }
        Map<String, String> types = readTypes(mv);
        String sysType = typeOf(maps.get("table.0"), "val", types);
        if (!SYS_VALUE_TYPE.equals(sysType) || !"Long".equals(typeOf(maps.get("table.0"), "key", types))) {
            throw new ForeignContentException("has a SYS table of another shape: " + sysType);
        }
        Map<Integer, SysRow> sys = readSys(mv);

        List<String> lines = new ArrayList<>();
        for (SysRow row : sys.values()) {
            lines.add("sys " + objectType(row.type()) + " " + escape(normalize(row)));
        }
        for (Map.Entry<String, Map<String, String>> m : maps.entrySet()) {
            String name = m.getKey();
            Map<String, String> fields = m.getValue();
            if (UNDO_LOG.matcher(name).matches()) {
                // transaction undo logs (named by transaction id; one with data is a capture killed
                // mid-transaction): their types are fixed by H2's code, their records name maps by id
                requireOnly(name, fields, "name", "createVersion");
                continue;
            }
            requireOnly(name, fields, "name", "createVersion", "key", "val");
            String role;
            Matcher om = OBJECT_MAP.matcher(name);
            if (FIXED_MAPS.contains(name)) {
                role = "h2 " + name;
            } else if (om.matches()) {
                int id = Integer.parseInt(om.group(2));
                boolean table = om.group(1).equals("table");
                SysRow owner = sys.get(id);
                if (id == 0 && table) {
                    role = "table SYS";
                } else if (owner == null || owner.type() != (table ? TABLE_OR_VIEW : INDEX)) {
                    throw new ForeignContentException("holds the MVStore map \"" + name
                            + "\", which belongs to no " + (table ? "table" : "index") + " it defines");
                } else {
                    role = om.group(1) + " " + objectName(owner.sql());
                }
            } else {
                role = "other " + name;
            }
            lines.add("map " + role + " key=" + typeOf(fields, "key", types) + " value=" + typeOf(fields, "val", types));
        }
        Collections.sort(lines);
        return List.copyOf(lines);
    }

    private static void requireOnly(String map, Map<String, String> fields, String... allowed) throws ForeignContentException {
        List<String> ok = List.of(allowed);
        for (String k : fields.keySet()) {
            if (!ok.contains(k)) {
                throw new ForeignContentException("holds an MVStore map \"" + map + "\" with the option \"" + k + "\"");
            }
        }
    }

    private static String typeOf(Map<String, String> fields, String which, Map<String, String> types)
            throws ForeignContentException {
        String key = fields.get(which);
        if (key == null) {
            return "-";
        }
        String type = types.get(key);
        if (type == null) {
            throw new ForeignContentException("holds an MVStore map \"" + fields.get("name")
                    + "\" whose " + which + " type is not registered");
        }
        return type;
    }

    // ------------------------------------------------------------------ the type registry "_"

    /** Every registered type, by registry key, described; refuses unknown type classes. */
    private static Map<String, String> readTypes(MVStore mv) throws ForeignContentException {
        Map<String, String> out = new HashMap<>();
        try {
            MVMap<String, String> registry = mv.openMap("_", new MVMap.Builder<String, String>()
                    .keyType(StringDataType.INSTANCE).valueType(new TypeDescription()));
            for (Map.Entry<String, String> e : registry.entrySet()) {
                if (out.size() >= MAX_MAPS) {
                    throw new ForeignContentException("holds more than " + MAX_MAPS + " MVStore types");
                }
                out.put(e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            // MVStore wraps what a value type throws while it reads a page
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ForeignTypeException f) {
                    throw new ForeignContentException(f.getMessage());
                }
            }
            throw e;
        }
        return out;
    }

    /** Unchecked carrier of a refusal out of a {@link BasicDataType#read(ByteBuffer)}. */
    private static final class ForeignTypeException extends RuntimeException {
        ForeignTypeException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads an entry of H2's type registry ({@code org.h2.mvstore.type.MetaType}'s format: the
     * class name, then the state of a stateful type) as a description, for the classes H2 2.3.232
     * registers for a database; any other class name is refused, never loaded.
     */
    private static final class TypeDescription extends ReadOnlyType {
        @Override
        public String read(ByteBuffer buff) {
            return describe(buff, 0);
        }

        private static String describe(ByteBuffer buff, int depth) {
            if (depth > MAX_TYPE_DEPTH) {
                throw new ForeignTypeException("holds MVStore types nested too deep");
            }
            String className = string(buff, DataUtils.readVarInt(buff));
            return switch (className) {
                case "org.h2.mvstore.type.LongDataType" -> "Long";
                case "org.h2.mvstore.type.StringDataType" -> "String";
                case "org.h2.mvstore.type.ByteArrayDataType" -> "ByteArray";
                case "org.h2.mvstore.db.NullValueDataType" -> "Null";
                case "org.h2.mvstore.db.LobStorageMap$BlobMeta$Type" -> "BlobMeta";
                case "org.h2.mvstore.db.LobStorageMap$BlobReference$Type" -> "BlobReference";
                case "org.h2.mvstore.tx.VersionedValueType$Factory" -> "VersionedValue(" + describe(buff, depth + 1) + ")";
                case "org.h2.mvstore.db.RowDataType$Factory" -> {
                    int columns = DataUtils.readVarInt(buff);
                    String sort = ints(buff);
                    String indexes = ints(buff);
                    yield "Row(columns=" + columns + ",sort=" + sort + ",indexes=" + indexes
                            + ",storeKeys=" + (buff.get() != 0) + ")";
                }
                case "org.h2.mvstore.db.ValueDataType$Factory" -> {
                    String sort = ints(buff);
                    int columns = DataUtils.readVarInt(buff);
                    String indexes = ints(buff);
                    yield "Value(sort=" + sort + ",columns=" + columns + ",indexes=" + indexes
                            + ",storeKeys=" + (buff.get() != 0) + ")";
                }
                default -> throw new ForeignTypeException("holds the MVStore data type " + quote(className)
                        + ", which no EventLens capture store uses (H2 would load that class)");
            };
        }

        /** An int array as H2's RowDataType writes it: length + 1 (0 = null), then the values. */
        private static String ints(ByteBuffer buff) {
            int len = DataUtils.readVarInt(buff) - 1;
            if (len < 0) {
                return "-";
            }
            if (len > buff.remaining()) {
                throw new IllegalArgumentException("int array of " + len + " past the end of the page");
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < len; i++) {
                sb.append(i == 0 ? "" : ",").append(DataUtils.readVarInt(buff));
            }
            return sb.append(']').toString();
        }
    }

    // ------------------------------------------------------------------ the SYS table

    /** One row of H2's SYS table. */
    record SysRow(int id, int head, int type, String sql) {
    }

    /** An uncommitted change of a SYS row: {@code before} null for an insert, {@code after} null for a delete. */
    record Unfinished(SysRow before, SysRow after) {
        @Override
        public String toString() {
            return before == null ? "a new definition" : after == null ? "a removed definition"
                    : "a changed definition";
        }
    }

    private static Map<Integer, SysRow> readSys(MVStore mv) throws ForeignContentException {
        MVMap<Long, Object> table = mv.openMap("table.0", new MVMap.Builder<Long, Object>()
                .keyType(LongDataType.INSTANCE).valueType(new SysRowType()));
        Map<Integer, SysRow> rows = new HashMap<>();
        for (Map.Entry<Long, Object> e : table.entrySet()) {
            SysRow row;
            if (e.getValue() instanceof SysRow committed) {
                row = committed;
            } else if (e.getValue() instanceof Unfinished u && u.before() != null && u.after() != null
                    && u.before().id() == u.after().id() && u.before().type() == u.after().type()
                    && normalize(u.before()).equals(normalize(u.after()))) {
                // a writer killed while H2 updated a table's statistics: either way the same definition
                row = u.before();
            } else {
                throw new ForeignContentException("holds an unfinished change to its definitions (" + e.getValue()
                        + "), which H2 would complete or undo when opening it");
            }
            if (row.id() != e.getKey() || rows.putIfAbsent(row.id(), row) != null) {
                throw new ForeignContentException("holds a definition whose id does not match its row (" + row.id() + ")");
            }
            if (rows.size() > MAX_DEFINITIONS) {
                throw new ForeignContentException("holds more than " + MAX_DEFINITIONS + " definitions");
            }
        }
        return rows;
    }

    /**
     * Reads the SYS table's values as H2's {@code VersionedValueType} over a 4-column
     * {@code RowDataType} writes them: a committed row is a {@link SysRow}; an uncommitted entry is
     * an {@link Unfinished}.
     */
    private static final class SysRowType extends ReadOnlyType {
        @Override
        public void read(ByteBuffer buff, Object storage, int len) {
            Object[] out = (Object[]) storage;
            boolean allCommitted = buff.get() == 0;
            for (int i = 0; i < len; i++) {
                out[i] = allCommitted ? row(buff) : read(buff);
            }
        }

        @Override
        public Object read(ByteBuffer buff) {
            long operationId = DataUtils.readVarLong(buff);
            if (operationId == 0) {
                return row(buff);
            }
            byte flags = buff.get();
            SysRow value = (flags & 1) != 0 ? row(buff) : null;
            SysRow committed = (flags & 2) != 0 ? row(buff) : null;
            return new Unfinished(committed, value);
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }

        private static SysRow row(ByteBuffer buff) {
            int id = intValue(buff);
            int head = intValue(buff);
            int type = intValue(buff);
            int tag = buff.get() & 255;
            String sql;
            if (tag == 13) {            // ValueDataType.VARCHAR
                sql = string(buff, DataUtils.readVarInt(buff));
            } else if (tag >= 68 && tag < 100) {   // VARCHAR_0_31
                sql = string(buff, tag - 68);
            } else {
                throw new IllegalArgumentException("SYS.SQL has value tag " + tag);
            }
            return new SysRow(id, head, type, sql);
        }

        /** An INTEGER as ValueDataType writes it. */
        private static int intValue(ByteBuffer buff) {
            int tag = buff.get() & 255;
            if (tag == 4) {              // INTEGER
                return DataUtils.readVarInt(buff);
            } else if (tag == 66) {      // INT_NEG
                return -DataUtils.readVarInt(buff);
            } else if (tag >= 32 && tag < 48) {   // INT_0_15
                return tag - 32;
            }
            throw new IllegalArgumentException("SYS integer column has value tag " + tag);
        }
    }

    /** A value type for reading only: writing, comparing and sizing are never needed here. */
    private abstract static class ReadOnlyType extends BasicDataType<Object> {
        @Override
        public int getMemory(Object obj) {
            return 64;
        }

        @Override
        public void write(WriteBuffer buff, Object obj) {
            throw new UnsupportedOperationException("the capture file check never writes");
        }

        @Override
        public Object[] createStorage(int size) {
            return new String[size];
        }

        @Override
        public int compare(Object a, Object b) {
            throw new UnsupportedOperationException("values are not compared");
        }
    }

    /**
     * A modified-UTF-8 string of {@code len} characters as H2's {@code DataUtils.readString} reads
     * it, checking the length against what is left before allocating.
     */
    private static String string(ByteBuffer buff, int len) {
        if (len < 0 || len > buff.remaining() || len > MAX_SQL_CHARS) {
            throw new IllegalArgumentException("string of " + len + " characters with " + buff.remaining() + " bytes left");
        }
        return DataUtils.readString(buff, len);
    }

    // ------------------------------------------------------------------ canonical lines

    /** The SQL of a row with what legitimately varies replaced. */
    private static String normalize(SysRow row) {
        String sql = row.sql();
        if (row.head() != 0) {
            return "HEAD " + row.head() + " " + sql;
        }
        if (row.type() == TABLE_OR_VIEW && sql.startsWith("CREATE CACHED TABLE ")) {
            return withoutSelectivity(sql);
        }
        Matcher build = CREATE_BUILD.matcher(sql);
        if (build.matches()) {
            int n = Integer.parseInt(build.group(1));
            return n >= MIN_CREATE_BUILD && n <= MAX_CREATE_BUILD ? "SET CREATE_BUILD <an H2 build EventLens shipped>" : sql;
        }
        Matcher user = USER.matcher(sql);
        if (user.matches()) {
            String name = user.group(1);
            boolean noPassword = isEmptyPassword(name.substring(1, name.length() - 1).replace("\"\"", "\""),
                    user.group(2), user.group(3));
            return "CREATE USER IF NOT EXISTS " + name + " SALT '<salt>' HASH '"
                    + (noPassword ? "<the empty password>" : "<a password>") + "'"
                    + (user.group(4) == null ? "" : user.group(4));
        }
        return sql;
    }

    /**
     * A table's SQL without the {@code SELECTIVITY n} statistics that H2's automatic ANALYZE adds to
     * column definitions as rows arrive (one per column line, after the type, before
     * {@code NOT NULL}); nothing else in it changes.
     */
    private static String withoutSelectivity(String sql) {
        String[] lines = sql.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = SELECTIVITY.matcher(lines[i]);
            if (m.matches()) {
                lines[i] = m.group(1) + m.group(2);
            }
        }
        return String.join("\n", lines);
    }

    /** True when {@code hashHex} is H2's hash of the empty password for this user and salt. */
    private static boolean isEmptyPassword(String user, String saltHex, String hashHex) {
        if (saltHex.length() % 2 != 0 || hashHex.length() % 2 != 0) {
            return false;
        }
        byte[] salt = HexFormat.of().parseHex(saltHex);
        byte[] expected = SHA256.getHashWithSalt(SHA256.getKeyPasswordHash(user, new char[0]), salt);
        return java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(hashHex));
    }

    /** The name of H2's object type {@code n}. */
    static String objectType(int n) {
        return n >= 0 && n < OBJECT_TYPES.length ? OBJECT_TYPES[n] : "TYPE_" + n;
    }

    /** The first (qualified, quoted) name in a definition's SQL: the object it creates. */
    static String objectName(String sql) {
        Matcher m = QUALIFIED_NAME.matcher(sql);
        return m.find() ? m.group() : "?";
    }

    /** One line per definition: backslash, CR, LF and other control characters escaped. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "\"" + escape(s.length() > 200 ? s.substring(0, 200) + "…" : s) + "\"";
    }
}
