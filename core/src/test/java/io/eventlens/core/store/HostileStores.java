package io.eventlens.core.store;

import io.eventlens.core.testkit.TestEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.DataType;
import org.h2.mvstore.type.MetaType;
import org.h2.mvstore.type.StringDataType;

/**
 * A hostile corpus of capture files (issue 5), built in the tests from a genuine store with plain
 * H2 JDBC: each file carries a payload that, if H2 ever ran it, writes a marker file outside the
 * file's folder. Used by core's {@code HostileCaptureFilesTest} and, through core's test-jar, by the
 * app's CLI tests.
 *
 * <p>Layout under the corpus folder: {@code <case>/<file>.mv.db}, one folder per case (so "no new
 * file beside it" is checked per case), and {@code markers/<case>.marker}.
 */
public final class HostileStores {

    /**
     * The tables of a fresh store of the newest schema version, read from a genuine store so that
     * every table a new schema version adds is attacked too (Flyway's history table is added apart).
     */
    public static final List<String> STORE_TABLES = storeTables();
    private static final String FLYWAY_TABLE = "\"flyway_schema_history\"";

    /** Marker files of {@link MarkerTrigger}, by trigger name. */
    private static final Map<String, Path> CLASS_TRIGGER_MARKERS = new ConcurrentHashMap<>();

    private HostileStores() {
    }

    /**
     * One hostile file.
     *
     * @param name            the case, e.g. {@code trigger-source-EVENT_BLOCK}
     * @param file            the {@code .mv.db} file
     * @param marker          the file its payload would write (null when it has no payload)
     * @param password        the SA password that H2 would need (the payload runs before it is checked)
     * @param expectedMessage what the refusal must say, besides the file name
     */
    public record Hostile(String name, Path file, Path marker, String password, String expectedMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * A genuine capture store with 20 events (correlation IDs {@code c-0} .. {@code c-3}), a flow summary and a logged replay, closed,
     * its index complete, one flow summary stored.
     */
    public static Path genuine(Path file) {
        return genuine(file, true);
    }

    /**
     * As {@link #genuine(Path)}; with {@code legacySummaryRow}, also a {@code flow_summary} row as schema
     * V4 to V6 wrote them (V7 writes summary blocks), written by plain H2 after the store closed, so
     * that every table has a row. Without it the file is written by one store session only (the
     * truncated case relies on that: half of a file of several sessions can hold a whole earlier one).
     */
    static Path genuine(Path file, boolean legacySummaryRow) {
        Path stored;
        try (CaptureStore s = CaptureStore.open(file)) {
            s.append(TestEvents.events("orders", 0, 20), List.of(new StreamPosition("cluster", "orders/0", Long.toString(20L))));
            s.writeFlowSummaries(List.of(new FlowRecord("c-0", "HEALTHY", 7, "healthy: 5 events", 5, 0, 4, 1,
                    List.of("orders"), java.util.Map.of())), 20);
            s.appendPolls(List.of(new SourcePoll("http://probe.test", "c-0", 1_000, 200, 12, 5, 5, null)));
            // one logged replay (schema V6), so that every table has a row for the hostile views to run on
            s.replayLog().start(new ReplayLog.Run("r-0", 0, "c-0", "fresh-0", "kafka", "Kafka at localhost:9092", "test",
                    null, "{}", "COMPLETED", 1L), List.of(new ReplayLog.Send(0, 0, 1, "orders", "orders-replay", null, 0, 0,
                    "e-0", null, List.of(), null, ReplayLog.Outcome.SENT, 1, 1L, 0, 0L, "p0@0", null)));
            // one poll of the consumer-group follower (schema V8)
            s.appendConsumerProgress(
                    List.of(new io.eventlens.core.consumers.ConsumerCommit("inventory-service", "orders", 0, 5, 1_000, 500,
                            io.eventlens.core.consumers.TimePrecision.BETWEEN_POLLS)),
                    List.of(new io.eventlens.core.consumers.GroupPoll("inventory-service", 1_000, "Stable", 1,
                            "c-1@127.0.0.1 [orders-0]", 15, null)),
                    List.of(new io.eventlens.core.consumers.PartitionEnd("inventory-service", "orders", 0, 5, 20, 1_000)));
            stored = s.file();
        }
        if (legacySummaryRow) {
            String base = stored.toString().replaceFirst("\\.mv\\.db$", "");
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "sa", "");
                 Statement st = c.createStatement()) {
                st.execute("INSERT INTO flow_summary (correlation_id, category, category_rank, verdict_message, event_count,"
                        + " first_observed_ms, last_observed_ms, channel_count, channels, anomaly_counts)"
                        + " VALUES ('c-1', 'HEALTHY', 7, 'healthy: 5 events', 5, 0, 4, 1, '6:orders', '')");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return stored;
    }

    private static List<String> storeTables() {
        try {
            Path dir = Files.createTempDirectory("eventlens-store-tables");
            Path file = dir.resolve("fresh.mv.db");
            CaptureStore.open(file).close();
            List<String> tables = new ArrayList<>();
            String base = file.toString().replaceFirst("\\.mv\\.db$", "");
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "sa", "");
                 Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                         + " WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME <> 'flyway_schema_history' ORDER BY TABLE_NAME")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
            return List.copyOf(tables);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("reading the tables of a fresh capture store failed", e);
        }
    }

    /** Builds every case of the corpus under {@code dir}; markers written while building are removed. */
    public static List<Hostile> corpus(Path dir) {
        try {
            Files.createDirectories(dir.resolve("markers"));
            List<Hostile> out = new ArrayList<>();
            List<String> tables = new ArrayList<>(STORE_TABLES);
            tables.add(FLYWAY_TABLE);
            for (String table : tables) {
                String bare = table.replace("\"", "");
                Hostile h = hostile(dir, "trigger-source-" + bare, "",
                        "holds a TRIGGER \"PUBLIC\".\"T_" + bare + "\" on \"PUBLIC\".\"" + bare + "\", which no EventLens capture store has");
                withGenuine(h, st -> st.execute("CREATE TRIGGER \"T_" + bare + "\" AFTER INSERT ON " + table
                        + " AS $$" + triggerSource(h.marker()) + "$$"));
                out.add(h);
            }
            Hostile byClass = hostile(dir, "trigger-class", "",
                    "holds a TRIGGER \"PUBLIC\".\"T_CLASS\" on \"PUBLIC\".\"EVENT_BLOCK\"");
            String triggerName = "T_CLASS";
            CLASS_TRIGGER_MARKERS.put(triggerName, byClass.marker());
            withGenuine(byClass, st -> st.execute("CREATE TRIGGER " + triggerName + " AFTER INSERT ON EVENT_BLOCK"
                    + " CALL '" + MarkerTrigger.class.getName() + "'"));
            out.add(byClass);

            Hostile password = hostile(dir, "wrong-password-trigger", "secret",
                    "holds a TRIGGER \"PUBLIC\".\"T_PW\" on \"PUBLIC\".\"EVENT_BLOCK\"");
            withGenuine(password, st -> {
                st.execute("CREATE TRIGGER T_PW AFTER INSERT ON EVENT_BLOCK AS $$" + triggerSource(password.marker()) + "$$");
                st.execute("ALTER USER SA SET PASSWORD 'secret'");
            });
            out.add(password);

            Hostile passwordOnly = hostile(dir, "wrong-password", "secret",
                    "its user \"SA\" has a password; the SA user of an EventLens capture store has none");
            withGenuine(passwordOnly, st -> st.execute("ALTER USER SA SET PASSWORD 'secret'"));
            out.add(new Hostile(passwordOnly.name(), passwordOnly.file(), null, "secret", passwordOnly.expectedMessage()));

            for (String table : STORE_TABLES) {
                Hostile h = hostile(dir, "alias-view-" + table, "",
                        "holds an ALIAS \"PUBLIC\".\"MARK_" + table + "\", which no EventLens capture store has");
                withGenuine(h, st -> {
                    st.execute("ALTER TABLE " + table + " RENAME TO " + table + "_DATA");
                    st.execute("CREATE ALIAS MARK_" + table + " AS $$" + aliasSource(h.marker()) + "$$");
                    st.execute("CREATE VIEW " + table + " AS SELECT * FROM " + table + "_DATA WHERE MARK_" + table + "()");
                });
                out.add(h);
            }
            Hostile fileWrite = hostile(dir, "file-write-view", "",
                    "holds a VIEW \"PUBLIC\".\"BLOCK_KEY\", which no EventLens capture store has");
            withGenuine(fileWrite, st -> {
                st.execute("ALTER TABLE BLOCK_KEY RENAME TO BLOCK_KEY_DATA");
                st.execute("CREATE VIEW BLOCK_KEY AS SELECT * FROM BLOCK_KEY_DATA WHERE FILE_WRITE('ran', '"
                        + sqlString(fileWrite.marker()) + "') > 0");
            });
            out.add(fileWrite);

            Hostile linked = hostile(dir, "linked-table", "",
                    "holds a LINKED TABLE \"PUBLIC\".\"LINKED\", which no EventLens capture store has");
            Path linkedTarget = dir.resolve("markers").resolve("linked-target");
            linked = new Hostile(linked.name(), linked.file(), linkedTarget.resolveSibling("linked-target.mv.db"), "",
                    linked.expectedMessage());
            withGenuine(linked, st -> st.execute("CREATE FORCE LINKED TABLE LINKED('org.h2.Driver', 'jdbc:h2:file:"
                    + sqlString(linkedTarget) + "', 'sa', '', 'NO_SUCH_TABLE')"));
            out.add(linked);

            Hostile typeClass = hostile(dir, "type-registry-class", "",
                    "holds the MVStore data type \"" + MarkerType.class.getName() + "\", which no EventLens capture store uses");
            MarkerType.marker = typeClass.marker();
            genuine(typeClass.file());
            try (MVStore mv = new MVStore.Builder().fileName(typeClass.file().toString()).open()) {
                // H2 instantiates every type of the registry page it reads when it opens a table
                mv.openMap("_", new MVMap.Builder<String, DataType<?>>().keyType(StringDataType.INSTANCE)
                        .valueType(new MetaType<>(null, null))).put("00000000", new MarkerType());
                mv.commit();
            }
            out.add(typeClass);

            Hostile foreign = hostile(dir, "foreign-with-trigger", "",
                    "it is an H2 database without the capture store's tables; it holds a TRIGGER \"PUBLIC\".\"T_CUSTOMERS\"");
            try (Connection c = connect(foreign.file(), ""); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE CUSTOMERS (ID INT PRIMARY KEY, NAME VARCHAR)");
                st.execute("CREATE TRIGGER T_CUSTOMERS AFTER INSERT ON CUSTOMERS AS $$" + triggerSource(foreign.marker()) + "$$");
            }
            out.add(foreign);

            Hostile empty = hostile(dir, "foreign-empty", "", "it is an H2 database without the capture store's tables");
            connect(empty.file(), "").close();
            out.add(new Hostile(empty.name(), empty.file(), null, "", empty.expectedMessage()));

            Path urlDir = Files.createDirectories(dir.resolve("url-settings"));
            Path urlFile = urlDir.resolve("run;INIT=RUNSCRIPT FROM 'x.sql'.mv.db");
            Files.copy(genuine(urlDir.resolve("genuine.mv.db")), urlFile);
            Files.delete(urlDir.resolve("genuine.mv.db"));
            out.add(new Hostile("url-settings", urlFile, urlDir.resolve("run.mv.db"), "", "contains ';'"));

            Path truncDir = Files.createDirectories(dir.resolve("truncated"));
            Path whole = genuine(truncDir.resolve("whole.mv.db"), false);
            byte[] bytes = Files.readAllBytes(whole);
            Files.delete(whole);
            Path truncated = truncDir.resolve("truncated.mv.db");
            Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            out.add(new Hostile("truncated", truncated, null, "", "not an EventLens capture store, or it is damaged"));

            Path randomDir = Files.createDirectories(dir.resolve("random-bytes"));
            byte[] noise = new byte[64 * 1024];
            new Random(5).nextBytes(noise);
            Path random = randomDir.resolve("random.mv.db");
            Files.write(random, noise);
            out.add(new Hostile("random-bytes", random, null, "", "not an EventLens capture store, or it is damaged"));

            for (Hostile h : out) {
                if (h.marker() != null) {
                    Files.deleteIfExists(h.marker());   // compiling an alias or creating a linked table ran it
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("building the hostile corpus failed", e);
        }
    }

    /**
     * Opens {@code h}'s file with plain H2 JDBC, as EventLens did before issue 5, and queries the
     * store tables: the control that shows the corpus's payloads are live and their markers
     * observable. Run it on a copy: it may write to the file.
     */
    public static void openWithPlainH2(Path file, String password) {
        String base = file.toAbsolutePath().toString().replaceFirst("\\.mv\\.db$", "");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + base, "sa", password);
             Statement st = c.createStatement()) {
            for (String t : STORE_TABLES) {
                try {
                    st.executeQuery("SELECT * FROM " + t).close();
                } catch (SQLException missing) {
                    // a foreign database lacks the store's tables
                }
            }
        } catch (SQLException e) {
            // a wrong password: the stored definitions ran before the login failed
        }
    }

    /** A trigger that writes its marker when H2 loads it (the class-name trigger case). */
    public static final class MarkerTrigger implements org.h2.api.Trigger {
        @Override
        public void init(Connection conn, String schemaName, String triggerName, String tableName, boolean before,
                         int type) throws SQLException {
            Path marker = CLASS_TRIGGER_MARKERS.get(triggerName);
            if (marker != null) {
                try {
                    Files.writeString(marker, "ran");
                } catch (IOException e) {
                    throw new SQLException(e);
                }
            }
        }

        @Override
        public void fire(Connection conn, Object[] oldRow, Object[] newRow) {
            // the payload is init
        }
    }

    /**
     * An MVStore data type whose construction writes its marker: stored by class name in a file's
     * type registry ({@code _}), it shows H2 loading a class named by the file.
     */
    public static final class MarkerType extends BasicDataType<Object> {
        static volatile Path marker;

        public MarkerType() {
            Path m = marker;
            if (m != null) {
                try {
                    Files.writeString(m, "ran");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public int getMemory(Object obj) {
            return 0;
        }

        @Override
        public void write(WriteBuffer buff, Object obj) {
        }

        @Override
        public Object read(ByteBuffer buff) {
            return null;
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }
    }

    /** SHA-256 of a file, hex. */
    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the files in {@code folder}. */
    public static Set<String> listing(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ building

    @FunctionalInterface
    private interface SqlWork {
        void run(Statement st) throws SQLException;
    }

    private static Hostile hostile(Path dir, String name, String password, String message) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        return new Hostile(name, folder.resolve("capture.mv.db").toAbsolutePath(),
                dir.resolve("markers").resolve(name + ".marker").toAbsolutePath(), password, message);
    }

    private static void withGenuine(Hostile h, SqlWork work) throws SQLException {
        genuine(h.file());
        try (Connection c = connect(h.file(), ""); Statement st = c.createStatement()) {
            work.run(st);
        }
    }

    private static Connection connect(Path mvFile, String password) throws SQLException {
        String base = mvFile.toString().replaceFirst("\\.mv\\.db$", "");
        return DriverManager.getConnection("jdbc:h2:file:" + base, "sa", password);
    }

    /** Java source of a trigger whose creation (when H2 loads it, i.e. opens the file) writes {@code marker}. */
    private static String triggerSource(Path marker) {
        return "org.h2.api.Trigger create() throws Exception {"
                + " java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + javaString(marker) + "\"), \"ran\");"
                + " return new org.h2.api.Trigger() {"
                + " public void fire(java.sql.Connection c, Object[] o, Object[] n) { } }; }";
    }

    /** Java source of an alias whose call writes {@code marker}. */
    private static String aliasSource(Path marker) {
        return "boolean mark() throws Exception {"
                + " java.nio.file.Files.writeString(java.nio.file.Path.of(\"" + javaString(marker) + "\"), \"ran\");"
                + " return true; }";
    }

    private static String javaString(Path p) {
        return p.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String sqlString(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }
}
