package io.eventlens.core.store;

import io.eventlens.core.consumers.ConsumerCommit;
import io.eventlens.core.consumers.ConsumerProgress;
import io.eventlens.core.consumers.GroupPoll;
import io.eventlens.core.consumers.PartitionEnd;
import io.eventlens.core.consumers.TimePrecision;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.StoredPosition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The H2 capture store (docs/decisions/0001-capture-store.md). One H2 file per store; schema by
 * Flyway migrations in {@code db/migration}.
 *
 * <p>Writes: {@link #append} encodes events into blocks of up to {@value #BLOCK_EVENTS} events
 * (or about {@value #BLOCK_BYTES} bytes) with {@link EventBlockCodec}, and inserts the blocks, their
 * lookup keys ({@link BlockKeys}: one {@code block_key} row per block) and the source positions in
 * one transaction, so the index is complete the moment a block commits
 * (docs/decisions/0008-block-keys.md). Lookups by correlation ID or event ID test each block's
 * filter in memory (loaded from {@code block_key} on first use, then kept current by
 * {@link #append}), decode only the blocks whose filter may hold the ID and keep the exact
 * matches; the correlation ID completion merges the blocks' sorted ID lists.
 *
 * <p>A store of schema version 1 or 2 (a per-event {@code event_index} written by a background
 * thread, up to {@code index_state.indexed_through_seq}) opened read-only is read the way those
 * versions read it: the index through the watermark, then the blocks past it scanned. Opened for
 * writing, it is migrated to version 3 and the keys of its blocks are built in one pass.
 *
 * <p>A block that cannot be decoded ({@link DamagedBlockException}), or whose stored data H2 cannot
 * read, is skipped by every read, logged once and listed by {@link #damagedBlocks()}; the other
 * blocks stay readable.
 *
 * <p>Threads: one writer (appends are serialized) and any number of readers (a connection pool).
 * A file may be open only once per process; another process holding it open makes {@link #open} fail.
 *
 * <p>Untrusted files (docs/decisions/0007-untrusted-capture-files.md): an existing file is opened
 * only after {@link CaptureFileCheck} found, without the SQL engine, exactly the definitions of one
 * released schema version in it; {@link #openReadOnly} then opens it so that H2 never writes
 * ({@code ACCESS_MODE_DATA=r}), creates nothing ({@code IFEXISTS}, no trace file) and runs no
 * migration.
 */
public final class H2CaptureStore implements CaptureStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2CaptureStore.class);

    /** Maximum events per block. */
    static final int BLOCK_EVENTS = 1024;
    /** A block is closed once its encoding reaches this many bytes. */
    static final int BLOCK_BYTES = 4 * 1024 * 1024;
    /** Blocks whose keys are built per transaction when an older store is migrated. */
    private static final int KEY_BLOCKS_PER_TX = 64;
    /** Blocks fetched per query when scanning. */
    private static final int SCAN_BLOCKS = 8;
    private static final String MV_DB = ".mv.db";

    private static final Set<Path> OPEN_FILES = ConcurrentHashMap.newKeySet();
    /** How long {@link #close()} waits at most for reads still running on other threads. */
    static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Path file;
    private final JdbcConnectionPool readers;
    private final Connection writer;
    private final Object writeLock = new Object();
    private final EventBlockCodec codec = new EventBlockCodec();
    private final BlockKeys.Builder keys = new BlockKeys.Builder();
    private final AtomicLong lastSeq = new AtomicLong();
    private final BlockCache cache = new BlockCache();
    /** Damaged blocks met so far, by first sequence, named with the file. */
    private final ConcurrentSkipListMap<Long, DamagedBlockException> damaged = new ConcurrentSkipListMap<>();
    /**
     * Schema version 3 or later: lookups use {@code block_key}. False only for a store of version 1
     * or 2 opened read-only, read through its {@code event_index} ({@link #legacyIndexedThrough}).
     */
    private final boolean blockKeys;
    /** Version 1 or 2 only: {@code index_state.indexed_through_seq}, how far its {@code event_index} reaches. */
    private final long legacyIndexedThrough;
    private final KeyColumn<BlockKeys.Filter> correlationKeys =
            new KeyColumn<>("correlation_keys", BlockKeys.Filter::read);
    private final KeyColumn<BlockKeys.Filter> eventKeys = new KeyColumn<>("event_keys", BlockKeys.Filter::read);
    private final KeyColumn<BlockKeys.IdList> correlationIdLists =
            new KeyColumn<>("correlation_ids", BlockKeys.IdList::read);
    private final boolean readOnly;
    private volatile boolean closed;

    private H2CaptureStore(Path file, JdbcConnectionPool readers, Connection writer, long lastSeq,
                           boolean blockKeys, long legacyIndexedThrough, boolean readOnly) {
        this.file = file;
        this.readOnly = readOnly;
        this.readers = readers;
        this.writer = writer;
        this.lastSeq.set(lastSeq);
        this.blockKeys = blockKeys;
        this.legacyIndexedThrough = legacyIndexedThrough;
    }

    /**
     * Opens or creates the store in {@code file} (the {@code .mv.db} suffix may be left off) for
     * writing. An existing file is first checked without the SQL engine ({@link CaptureFileCheck}),
     * then migrated to the newest schema version; blocks without lookup keys (a store written by a
     * version before schema 3) get them, in one pass, before this returns.
     *
     * @throws CaptureStoreException naming the file when its name holds H2 URL syntax, it is not an
     *                               H2 file or is damaged, holds any definition a capture store of a
     *                               released schema version does not, is locked, or cannot be created
     */
    public static H2CaptureStore open(Path file) {
        return open(file, false);
    }

    /**
     * Opens the existing store in {@code file} (the {@code .mv.db} suffix may be left off) for
     * reading, after checking it without the SQL engine ({@link CaptureFileCheck}). H2 then opens it
     * read-only: the file's bytes stay unchanged, no file is created beside it and no migration runs
     * (an older schema version is read as it is: lookups in a version 1 or 2 store use its
     * per-event index and scan the blocks past {@code indexed_through_seq}). {@link #append} fails
     * on the store.
     *
     * @throws CaptureStoreException naming the file when it is missing, its name holds H2 URL
     *                               syntax, it is not an H2 file or is damaged, holds any
     *                               definition a capture store does not, or is locked
     */
    public static H2CaptureStore openReadOnly(Path file) {
        return open(file, true);
    }

    private static H2CaptureStore open(Path file, boolean readOnly) {
        Path mvFile = normalize(file);
        CaptureFileCheck.checkName(mvFile);
        if (Files.isDirectory(mvFile)) {
            throw CaptureStoreException.of(mvFile, "is a directory, not a capture store file", null);
        }
        if (readOnly && !Files.isRegularFile(mvFile)) {
            throw CaptureStoreException.of(mvFile, "capture file not found", null);
        }
        if (!OPEN_FILES.add(mvFile)) {
            throw CaptureStoreException.of(mvFile, "capture store is already open in this process", null);
        }
        String url = url(mvFile) + (readOnly ? ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE;TRACE_LEVEL_FILE=0" : "");
        Connection writer = null;
        JdbcConnectionPool pool = null;
        try {
            // the schema version of the file, 0 for a new file that Flyway creates
            int version = 0;
            if (Files.exists(mvFile)) {
                version = CaptureFileCheck.check(mvFile);
            } else {
                Files.createDirectories(mvFile.getParent());
                if (CaptureTemplate.copyTo(mvFile)) {
                    version = CaptureFileCheck.latestVersion();
                }
            }
            writer = org.h2.Driver.load().connect(url, credentials());
            if (writer == null) {
                throw CaptureStoreException.of(mvFile, "H2 refused the URL " + url, null);
            }
            if (!readOnly) {
                tuneForWriting(writer);
                if (version < CaptureFileCheck.latestVersion() || !migratedTo(writer, version)) {
                    migrate(mvFile, url);
                    try (Statement st = writer.createStatement()) {
                        // H2 writes commits to the file up to a second later: make the migrated schema
                        // durable now, so a capture killed at once leaves a whole store, not half a schema
                        st.execute("CHECKPOINT");
                    }
                }
            }
            long last;
            long legacyIndexed = 0;
            boolean keyed = hasTable(writer, "BLOCK_KEY");
            try (Statement st = writer.createStatement()) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT first_seq + event_count - 1 FROM event_block ORDER BY first_seq DESC LIMIT 1")) {
                    last = rs.next() ? rs.getLong(1) : 0;
                }
                if (readOnly) {
                    last = lastWholeSeq(writer, mvFile, last);
                }
                if (!keyed) {   // schema version 1 or 2, read-only
                    try (ResultSet rs = st.executeQuery("SELECT indexed_through_seq FROM index_state WHERE id = 1")) {
                        legacyIndexed = rs.next() ? rs.getLong(1) : 0;
                    }
                }
            }
            if (readOnly) {
                writer.setReadOnly(true);   // only keeps the database open for the pool
            } else {
                writer.setAutoCommit(false);
            }
            pool = JdbcConnectionPool.create(url, "sa", "");
            pool.setMaxConnections(16);
            H2CaptureStore store = new H2CaptureStore(mvFile, pool, writer, last, keyed, legacyIndexed, readOnly);
            if (!readOnly) {
                store.buildMissingKeys();
            }
            return store;
        } catch (SQLException e) {
            cleanup(writer, pool, mvFile);
            throw CaptureStoreException.of(mvFile, describe(e), e);
        } catch (IOException e) {
            cleanup(writer, pool, mvFile);
            throw CaptureStoreException.of(mvFile, "cannot create the capture store (its folder or file)", e);
        } catch (CaptureStoreException e) {
            cleanup(writer, pool, mvFile);
            throw e;
        } catch (RuntimeException | Error e) {   // H2 reading damaged data can throw anything
            cleanup(writer, pool, mvFile);
            throw CaptureStoreException.of(mvFile, "not an EventLens capture store, or it is damaged", e);
        }
    }

    /**
     * H2's page cache of a store opened for writing, in KiB (H2 rounds it to whole MiB; its default is
     * 16 MiB): docs/decisions/0006-capture-pipeline.md, "H2's page cache and write delay while writing".
     */
    static final int WRITER_PAGE_CACHE_KB = 1024;
    /**
     * How long H2 keeps committed changes of a store opened for writing in memory before it writes
     * them to the file as one chunk, in ms (H2's default {@code WRITE_DELAY} is 500 ms): the same decision.
     */
    static final int WRITER_WRITE_DELAY_MS = 100;

    /**
     * Sets H2's page cache ({@value #WRITER_PAGE_CACHE_KB} KiB) and write delay
     * ({@value #WRITER_WRITE_DELAY_MS} ms) of the store that {@code writer} opened, for this process
     * only (docs/decisions/0006-capture-pipeline.md).
     * <ul>
     *   <li>H2 keeps the pages of every chunk it writes in its page cache, the event blocks' data
     *       included, although a capture never reads them back (reads of decoded blocks go through
     *       {@link BlockCache}); once 16 MiB of them had outlived the young generation, each page
     *       that the cache dropped died in the old one, and from about 1M events on a capture spent
     *       its time in G1's concurrent and mixed collections.</li>
     *   <li>H2 holds what was committed since its last chunk in memory, then writes it through one
     *       buffer: after 500 ms of a full-rate capture, 6 to 10 MB, more than H2 reuses (4 MB), so
     *       each chunk allocated new buffers outside G1's young generation. A chunk every 100 ms is
     *       about 1.3 MB: 55 MB less resident memory for 1M events.</li>
     * </ul>
     * {@code SET CACHE_SIZE} and {@code SET WRITE_DELAY} would store the settings in the file, which a
     * capture file must not carry (docs/decisions/0007-untrusted-capture-files.md), so they are made
     * on H2's {@code Database} object of this connection instead.
     */
    private static void tuneForWriting(Connection writer) throws SQLException {
        org.h2.engine.Database database = database(writer);
        if (database != null) {
            database.setCacheSize(WRITER_PAGE_CACHE_KB);
            database.setWriteDelay(WRITER_WRITE_DELAY_MS);
        }
    }

    /** H2's database object behind an embedded connection, or null for another kind of connection. */
    private static org.h2.engine.Database database(Connection c) throws SQLException {
        return c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession() instanceof org.h2.engine.SessionLocal local
                ? local.getDatabase() : null;
    }

    /** H2's write delay of this store in ms (its {@code WRITE_DELAY}); for tests. */
    int writeDelayMs() throws SQLException {
        return database(writer).getWriteDelay();
    }

    /** H2's page cache of this store in MiB, as H2 reports it ({@code info.CACHE_MAX_SIZE}); for tests. */
    int pageCacheMiB() throws SQLException {
        try (Connection c = readers.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'info.CACHE_MAX_SIZE'")) {
            return rs.next() ? Integer.parseInt(rs.getString(1)) : -1;
        }
    }

    /** How many blocks at the end of a file {@link #lastWholeSeq} may set aside: more than one append writes. */
    private static final int INTERRUPTED_TAIL_BLOCKS = 64;

    /**
     * The last event of a read-only store that reading can rely on: {@code last} unless the file
     * ends with blocks whose data H2 cannot read. A writer killed while H2 wrote a commit to the
     * file can leave that transaction in part: its block rows without their data (H2 keeps a BLOB's
     * bytes apart from its row). A writable open completes or undoes such a commit; a read-only one
     * must not write, so it reads the store as of the last whole block and says so. Blocks that
     * cannot be read before a readable one are damaged, not interrupted, and stay (reported as such).
     */
    private static long lastWholeSeq(Connection c, Path mvFile, long last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, event_count, data FROM event_block"
                + " ORDER BY first_seq DESC LIMIT " + INTERRUPTED_TAIL_BLOCKS);
             ResultSet rs = ps.executeQuery()) {
            int unreadable = 0;
            while (rs.next()) {
                long first = rs.getLong(1);
                try {
                    if (rs.getBytes(3) != null) {
                        if (unreadable > 0) {
                            LOG.warn("{}: the last {} events were being written when the writer stopped; reading"
                                    + " the store as of event {} (a writable open completes that write)", mvFile,
                                    last - (first + rs.getInt(2) - 1), first + rs.getInt(2) - 1);
                        }
                        return first + rs.getInt(2) - 1;
                    }
                } catch (SQLException | RuntimeException e) {
                    LOG.debug("{}: block {} at the end of the file cannot be read", mvFile, first, e);
                }
                unreadable++;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("{}: the end of the file cannot be read; its blocks are checked as they are read", mvFile, e);
        }
        return last;
    }

    /**
     * H2's URL of the store file {@code mvFile} (a normalized {@code .mv.db} path) for writing.
     * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would otherwise close the database while a
     * capture's shutdown hook (Ctrl-C) is still committing its last batch; close() closes it.
     */
    static String url(Path mvFile) {
        String base = mvFile.toString().substring(0, mvFile.toString().length() - MV_DB.length());
        return "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** The user and password of every store (H2's defaults: the file, not a password, is what is protected). */
    static java.util.Properties credentials() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return p;
    }

    /**
     * Whether Flyway's history records schema {@code version} as applied: then a file whose
     * definitions are those of the newest schema needs no migration, and Flyway (about 0.2 s of
     * a capture's start) is not run (docs/decisions/0001-capture-store.md, "A new store from a
     * template"). A file whose last migration stopped half-way is left to Flyway, which says so.
     */
    private static boolean migratedTo(Connection writer, int version) {
        try (PreparedStatement ps = writer.prepareStatement(
                "SELECT 1 FROM \"flyway_schema_history\" WHERE \"version\" = ? AND \"success\"")) {
            ps.setString(1, Integer.toString(version));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** Flyway migrates the store at {@code url} to the newest schema (package-private for {@link CaptureTemplate}). */
    static void migrate(Path mvFile, String url) {
        try {
            Flyway.configure(H2CaptureStore.class.getClassLoader())
                    .dataSource(url, "sa", "")
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw CaptureStoreException.of(mvFile, "is an H2 database but not an EventLens capture store"
                    + " (schema migration failed)", e);
        }
    }

    private static String describe(SQLException e) {
        return switch (e.getErrorCode()) {
            case ErrorCode.DATABASE_ALREADY_OPEN_1 -> "capture store is locked: another process has it open";
            case ErrorCode.FILE_CORRUPTED_1, ErrorCode.FILE_VERSION_ERROR_1, ErrorCode.IO_EXCEPTION_1, ErrorCode.IO_EXCEPTION_2,
                 ErrorCode.GENERAL_ERROR_1 -> "not an EventLens capture store, or it is damaged";
            default -> "cannot open the capture store";
        };
    }

    private static void cleanup(Connection writer, JdbcConnectionPool pool, Path mvFile) {
        if (pool != null) {
            pool.dispose();
        }
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException e) {
                LOG.debug("closing {} after a failed open", mvFile, e);
            }
        }
        OPEN_FILES.remove(mvFile);
    }

    /** The absolute {@code ....mv.db} path for a store file given with or without the suffix. */
    static Path normalize(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        String name = abs.getFileName().toString();
        return name.endsWith(MV_DB) ? abs : abs.resolveSibling(name + MV_DB);
    }

    @Override
    public Path file() {
        return file;
    }

    // ------------------------------------------------------------------ writing

    @Override
    public long append(List<CapturedEvent> events, Collection<StreamPosition> nextPositions) {
        if (readOnly) {
            throw CaptureStoreException.of(file, "capture store is open read-only: appending events is not allowed", null);
        }
        if (events.isEmpty() && nextPositions.isEmpty()) {
            return 0;
        }
        synchronized (writeLock) {
            ensureOpen();
            long first = lastSeq.get() + 1;
            long seq = first;
            List<KeyedBlock> written = new ArrayList<>();
            try {
                if (!events.isEmpty()) {
                    List<CapturedEvent> list = events instanceof RandomAccess ? events : new ArrayList<>(events);
                    PreparedStatement ins = appendStatement(0, "INSERT INTO event_block"
                            + " (first_seq, event_count, min_observed_ms, max_observed_ms, payload_bytes, data)"
                            + " VALUES (?, ?, ?, ?, ?, ?)");
                    PreparedStatement insKeys = appendStatement(1, INSERT_KEYS);
                    codec.reset();
                    keys.reset();
                    long blockFirst = seq;
                    int total = list.size();
                    for (int i = 0; i < total; i++) {
                        int w = i % CHECK_WINDOW;
                        if (w == 0) {
                            // the next events are checked before any is encoded: a refused one fails the
                            // append as before, and these quick reads of every event bring its objects
                            // (made by other threads, often no longer in this core's caches) close
                            // before the encoding needs them (StoreWriteBenchmark: 10-20% less
                            // CPU in the encoding)
                            for (int j = 0, end = Math.min(CHECK_WINDOW, total - i); j < end; j++) {
                                checkedPositions[j] = EventBlockCodec.check(list.get(i + j));
                            }
                        }
                        CapturedEvent e = list.get(i);
                        codec.addChecked(e, checkedPositions[w]);
                        keys.add(e.derived());
                        seq++;
                        if (codec.count() >= BLOCK_EVENTS || codec.size() >= BLOCK_BYTES) {
                            written.add(addBlock(ins, insKeys, blockFirst));
                            blockFirst = seq;
                            codec.reset();
                            keys.reset();
                        }
                    }
                    Arrays.fill(checkedPositions, null);
                    if (codec.count() > 0) {
                        written.add(addBlock(ins, insKeys, blockFirst));
                    }
                    ins.executeBatch();
                    insKeys.executeBatch();
                }
                if (!nextPositions.isEmpty()) {
                    PreparedStatement merge = appendStatement(2, "MERGE INTO stream_position"
                            + " (source, stream, token) KEY (source, stream) VALUES (?, ?, ?)");
                    for (StreamPosition p : nextPositions) {
                        merge.setString(1, p.source());
                        merge.setString(2, p.stream());
                        merge.setString(3, p.token());
                        merge.addBatch();
                    }
                    merge.executeBatch();
                }
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                throw rolledBack(e, "appending " + events.size() + " events failed; nothing of them was stored");
            }
            for (KeyedBlock b : written) {
                correlationKeys.added(b.firstSeq(), b.keys().correlationKeys());
                eventKeys.added(b.firstSeq(), b.keys().eventKeys());
                correlationIdLists.added(b.firstSeq(), b.keys().correlationIds());
            }
            lastSeq.set(seq - 1);
        }
        return events.isEmpty() ? 0 : lastSeq.get() - events.size() + 1;
    }

    private static final String INSERT_KEYS = "INSERT INTO block_key (first_seq, correlation_keys, event_keys,"
            + " correlation_ids) VALUES (?, ?, ?, ?)";

    /** A block written by {@link #append} (or {@link #buildMissingKeys}) with its keys. */
    private record KeyedBlock(long firstSeq, BlockKeys.Stored keys) {
    }

    /** Events {@link #append} checks ahead of encoding them. */
    private static final int CHECK_WINDOW = 64;
    /** What {@link EventBlockCodec#check} returned for the events of the current window; guarded by {@code writeLock}. */
    private final StoredPosition[] checkedPositions = new StoredPosition[CHECK_WINDOW];
    /**
     * The statements {@link #append} runs, prepared once on the writer connection instead of for
     * every append; guarded by {@code writeLock}.
     */
    private final PreparedStatement[] appendStatements = new PreparedStatement[3];

    /** Prepared statement {@code i} of {@link #appendStatements}, with no batch left from a failed append. */
    private PreparedStatement appendStatement(int i, String sql) throws SQLException {
        PreparedStatement ps = appendStatements[i];
        if (ps == null) {
            ps = writer.prepareStatement(sql);
            appendStatements[i] = ps;
        } else {
            ps.clearBatch();
        }
        return ps;
    }

    /** Adds the block in {@link #codec} and its keys in {@link #keys} to the two batches. */
    private KeyedBlock addBlock(PreparedStatement ins, PreparedStatement insKeys, long blockFirst) throws SQLException {
        ins.setLong(1, blockFirst);
        ins.setInt(2, codec.count());
        ins.setLong(3, codec.minObservedMs());
        ins.setLong(4, codec.maxObservedMs());
        ins.setLong(5, codec.payloadBytes());
        int length = codec.compress();
        ins.setObject(6, blob(Arrays.copyOf(codec.stored(), length)));
        ins.addBatch();
        return addKeys(insKeys, blockFirst, keys.build());
    }

    /**
     * A BLOB parameter holding {@code bytes} themselves: {@code setBytes} would copy them once more
     * (H2 clones a byte array it is given, then converts it to the very same in-memory BLOB value).
     * What is stored is the same: H2 moves a BLOB longer than its in-place limit into its LOB storage
     * when the row is inserted, either way. {@code bytes} must not change afterwards.
     */
    private static org.h2.value.ValueBlob blob(byte[] bytes) {
        return org.h2.value.ValueBlob.createSmall(bytes);
    }

    private static KeyedBlock addKeys(PreparedStatement insKeys, long blockFirst, BlockKeys.Stored stored)
            throws SQLException {
        insKeys.setLong(1, blockFirst);
        insKeys.setBytes(2, stored.correlationKeys());
        insKeys.setObject(3, blob(stored.eventKeys()));
        insKeys.setObject(4, blob(stored.correlationIds()));
        insKeys.addBatch();
        return new KeyedBlock(blockFirst, stored);
    }

    /**
     * Builds the lookup keys of every block that has none: the blocks of a store written before
     * schema version 3 (its {@code event_index} was dropped by the V3 migration), or of one whose
     * key building was cut short. One pass, {@value #KEY_BLOCKS_PER_TX} blocks per transaction; the
     * keys are derived data, so a crash midway leaves blocks without keys, which reads scan and the
     * next writable open keys. A damaged block gets no keys (every lookup then meets and counts it).
     */
    private void buildMissingKeys() throws SQLException {
        List<long[]> missing = new ArrayList<>();
        try (Statement st = writer.createStatement();
             ResultSet rs = st.executeQuery("SELECT b.first_seq, b.event_count FROM event_block b"
                     + " LEFT JOIN block_key k ON k.first_seq = b.first_seq WHERE k.first_seq IS NULL ORDER BY b.first_seq")) {
            while (rs.next()) {
                missing.add(new long[] {rs.getLong(1), rs.getInt(2)});
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        long startNanos = System.nanoTime();
        LOG.info("{}: building the lookup keys of {} event blocks written by an older version", file, missing.size());
        BlockKeys.Builder builder = new BlockKeys.Builder();
        try (PreparedStatement sel = writer.prepareStatement("SELECT data FROM event_block WHERE first_seq = ?");
             PreparedStatement insKeys = writer.prepareStatement(INSERT_KEYS)) {
            int inBatch = 0;
            for (long[] block : missing) {
                long first = block[0];
                int count = (int) block[1];
                byte[] data;
                sel.setLong(1, first);
                try (ResultSet rs = sel.executeQuery()) {
                    data = rs.next() ? blockData(rs, 1, first, count) : null;
                }
                if (data == null) {
                    continue;
                }
                List<EventBlockCodec.IndexFields> fields = indexFields(first, count, data);
                if (fields.isEmpty()) {
                    continue;   // damaged: recorded; no keys, so every lookup meets it
                }
                builder.reset();
                for (EventBlockCodec.IndexFields f : fields) {
                    builder.add(f.correlationId(), f.eventId());
                }
                addKeys(insKeys, first, builder.build());
                if (++inBatch == KEY_BLOCKS_PER_TX) {
                    insKeys.executeBatch();
                    writer.commit();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                insKeys.executeBatch();
            }
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            writer.rollback();
            throw e;
        }
        LOG.info("{}: lookup keys built in {} ms", file, (System.nanoTime() - startNanos) / 1_000_000);
    }

    // ------------------------------------------------------------------ reading

    @Override
    public List<StreamPosition> positions(String source) {
        return read("reading source positions", c -> {
            List<StreamPosition> out = new ArrayList<>();
            // A store of schema version 1 opened read-only is not migrated: its source_position rows
            // are read as the V2 migration would convert them.
            String sql = hasTable(c, "STREAM_POSITION") ? "SELECT stream, token FROM stream_position WHERE source = ?"
                    + " ORDER BY stream" : "SELECT channel || '/' || CAST(partition_no AS VARCHAR) AS stream,"
                    + " CAST(next_offset AS VARCHAR) FROM source_position WHERE source = ? ORDER BY stream";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, source);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StreamPosition(source, rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Rolls back the writer's transaction after {@code e} and returns the error to throw, naming the file. */
    private CaptureStoreException rolledBack(Exception e, String message) {
        try {
            writer.rollback();
        } catch (SQLException re) {
            e.addSuppressed(re);
        }
        return CaptureStoreException.of(file, message, e);
    }

    private static boolean hasTable(Connection c, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", table, null)) {
            return rs.next();
        }
    }

    @Override
    public long eventCount() {
        ensureOpen();
        return lastSeq.get();
    }

    @Override
    public List<CapturedEvent> page(long fromSeq, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit: must be 1 to 10000, was " + limit);
        }
        long from = Math.max(1, fromSeq);
        if (from > lastSeq.get()) {
            ensureOpen();
            return List.of();
        }
        return read("reading events from seq " + from, c -> {
            List<CapturedEvent> out = new ArrayList<>(Math.min(limit, 1024));
            long next = from;
            Block b = blockContaining(c, from);
            while (b != null && out.size() < limit) {
                for (CapturedEvent e : b.isDamaged() ? List.<CapturedEvent>of() : b.events()) {
                    if (e.seq() >= next && out.size() < limit) {
                        out.add(e);
                    }
                }
                next = b.firstSeq() + Math.max(1, b.count());
                b = out.size() < limit && next <= lastSeq.get() ? blockStartingAt(c, next) : null;
            }
            return out;
        });
    }

    @Override
    public ScanPage scan(long fromSeq, int maxEvents, EventSelector selector) {
        return scan(fromSeq, maxEvents, selector, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public ScanPage scan(long fromSeq, int maxEvents, EventSelector selector, long minObservedMs, long maxObservedMs) {
        if (maxEvents < 1 || maxEvents > 100_000) {
            throw new IllegalArgumentException("maxEvents: must be 1 to 100000, was " + maxEvents);
        }
        java.util.Objects.requireNonNull(selector, "selector");
        long from = Math.max(1, fromSeq);
        if (from > lastSeq.get()) {
            ensureOpen();
            return new ScanPage(List.of(), from);
        }
        long lastAtStart = lastSeq.get();
        boolean timeBounded = minObservedMs != Long.MIN_VALUE || maxObservedMs != Long.MAX_VALUE;
        return read("scanning events from seq " + from, c -> {
            List<CapturedEvent> out = new ArrayList<>();
            long next = from;
            boolean exhausted = false;
            // a block holding `from` starts at most BLOCK_EVENTS - 1 before it; the bound keeps the primary key usable
            try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, event_count, data FROM event_block"
                    + " WHERE first_seq >= ? AND first_seq + event_count > ? AND first_seq <= ?"
                    + (timeBounded ? " AND max_observed_ms >= ? AND min_observed_ms <= ?" : "") + " ORDER BY first_seq")) {
                ps.setLong(1, from - BLOCK_EVENTS + 1);
                ps.setLong(2, from);
                ps.setLong(3, lastAtStart);
                if (timeBounded) {
                    ps.setLong(4, minObservedMs);
                    ps.setLong(5, maxObservedMs);
                }
                ps.setFetchSize(1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (next - from < maxEvents) {
                        if (!rs.next()) {
                            exhausted = true;
                            break;
                        }
                        long first = rs.getLong(1);
                        int count = rs.getInt(2);
                        Block cached = cache.get(first);
                        List<CapturedEvent> selected;
                        if (cached != null) {
                            selected = new ArrayList<>();
                            for (CapturedEvent e : cached.isDamaged() ? List.<CapturedEvent>of() : cached.events()) {
                                if (selector.wants(e.channel().name(), e.headers().stream().map(Header::name).toList())) {
                                    selected.add(e);
                                }
                            }
                        } else {
                            selected = selected(first, count, blockData(rs, 3, first, count), selector);
                        }
                        for (CapturedEvent e : selected) {
                            if (e.seq() >= from) {
                                out.add(e);
                            }
                        }
                        next = first + Math.max(1, count);
                    }
                }
            }
            // past the end (or a gap in a damaged file's rows): the next step starts after what was stored
            return new ScanPage(out, exhausted ? Math.max(next, lastAtStart + 1) : next);
        });
    }

    /** The events of a block the selector wants, or none (the block recorded as damaged) when its bytes cannot be decoded. */
    private List<CapturedEvent> selected(long first, int count, byte[] data, EventSelector selector) {
        if (data == null || damaged.containsKey(first)) {
            return List.of();
        }
        try {
            return EventBlockCodec.decodeSelected(data, first, count, selector);
        } catch (DamagedBlockException e) {
            skipDamaged(e);
            return List.of();
        }
    }

    @Override
    public CapturedEvent event(long seq) {
        if (seq < 1 || seq > lastSeq.get()) {
            ensureOpen();
            return null;
        }
        return read("reading event " + seq, c -> {
            Block b = blockContaining(c, seq);
            return b == null || b.isDamaged() || seq >= b.firstSeq() + b.count() ? null
                    : b.events().get((int) (seq - b.firstSeq()));
        });
    }

    @Override
    public Lookup findByCorrelationId(String correlationId, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be 1 or more, was " + limit);
        }
        if (correlationId == null) {
            ensureOpen();
            return new Lookup(List.of(), 0);
        }
        return lookup(IdKind.CORRELATION, correlationId, limit);
    }

    @Override
    public List<CapturedEvent> findByEventId(String eventId) {
        if (eventId == null) {
            ensureOpen();
            return List.of();
        }
        return lookup(IdKind.EVENT, eventId, DEFAULT_LOOKUP_LIMIT).events();
    }

    /** The two looked-up IDs: their column in {@code event_index} (schema 1 and 2) and their keys. */
    private enum IdKind {
        CORRELATION("correlation_id"),
        EVENT("event_id");

        final String legacyColumn;

        IdKind(String legacyColumn) {
            this.legacyColumn = legacyColumn;
        }

        String of(EventBlockCodec.IndexFields f) {
            return this == CORRELATION ? f.correlationId() : f.eventId();
        }

        String of(CapturedEvent e) {
            return this == CORRELATION ? e.derived().correlationIdValue() : e.derived().eventIdValue();
        }
    }

    private Lookup lookup(IdKind kind, String value, int limit) {
        return read("looking up " + kind.legacyColumn + " " + value, c -> blockKeys
                ? lookupByKeys(c, kind, value, limit)
                : lookupInEventIndex(c, kind, value, limit));
    }

    /**
     * Schema 3: tests every block's filter, then takes the exact matches of each candidate block
     * from the block cache when it holds the block; a block looked up for the first time in a while
     * gets only its matching events decoded and is not cached, one looked up again is decoded whole
     * and cached ({@link BlockCache#admit}); once {@code limit} events are found, the later
     * candidates' index fields only, to count their matches.
     */
    private Lookup lookupByKeys(Connection c, IdKind kind, String value, int limit) throws SQLException {
        long hash = BlockKeys.hash(value);
        List<CapturedEvent> out = new ArrayList<>();
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT event_count, data FROM event_block WHERE first_seq = ?")) {
            for (Keyed<BlockKeys.Filter> k : (kind == IdKind.CORRELATION ? correlationKeys : eventKeys).blocks(c)) {
                if (k.keys() != null && !k.keys().mightContain(hash)) {
                    continue;
                }
                long first = k.firstSeq();
                Block cached = cache.get(first);
                List<CapturedEvent> matches;
                if (cached != null) {
                    matches = matchesIn(cached, kind, value);
                } else {
                    int count;
                    byte[] data;
                    ps.setLong(1, first);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        count = rs.getInt(1);
                        data = blockData(rs, 2, first, count);
                    }
                    if (data == null) {
                        continue;
                    }
                    if (total >= limit) {
                        for (EventBlockCodec.IndexFields f : indexFields(first, count, data)) {
                            if (value.equals(kind.of(f))) {
                                total++;
                            }
                        }
                        continue;
                    }
                    // looked up again: decoded whole and cached, as lookups in a row often want the same block;
                    // else only the matching events, not cached (docs/decisions/0009-flow-summaries.md)
                    matches = cache.admit(first) ? matchesIn(decoded(first, count, data), kind, value)
                            : unlessDamaged(first, () -> EventBlockCodec.decodeMatching(data, first, count, kind == IdKind.EVENT, value));
                }
                for (CapturedEvent e : matches) {
                    if (++total <= limit) {
                        out.add(e);
                    }
                }
            }
        }
        return new Lookup(out, Math.max(total, out.size()));
    }

    /**
     * Schema 1 and 2 (read-only): the per-event index through {@code indexed_through_seq}, then the
     * blocks past it scanned. Its total counts index rows of blocks past the limit without reading
     * them, so it may count events of a block that turns out damaged.
     */
    private Lookup lookupInEventIndex(Connection c, IdKind kind, String value, int limit) throws SQLException {
        long indexed = legacyIndexedThrough;
        long total = 0;
        TreeMap<Long, List<Long>> seqsByBlock = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, block_seq FROM event_index WHERE "
                + kind.legacyColumn + " = ? AND seq <= ? ORDER BY seq")) {
            ps.setString(1, value);
            ps.setLong(2, indexed);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (++total <= limit) {
                        seqsByBlock.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(rs.getLong(1));
                    }
                }
            }
        }
        List<CapturedEvent> out = new ArrayList<>();
        for (Map.Entry<Long, List<Long>> entry : seqsByBlock.entrySet()) {
            Block b = blockStartingAt(c, entry.getKey());
            if (b == null) {
                throw new SQLException("index names block " + entry.getKey() + " which is missing");
            }
            if (b.isDamaged()) {
                total -= entry.getValue().size();
                continue;
            }
            for (long seq : entry.getValue()) {
                out.add(b.events().get((int) (seq - b.firstSeq())));
            }
        }
        long[] tail = {total};
        scanAfter(c, indexed, (first, count, data) -> {
            Block b = null;
            for (EventBlockCodec.IndexFields f : indexFields(first, count, data)) {
                if (value.equals(kind.of(f)) && ++tail[0] <= limit) {
                    b = b != null ? b : decoded(first, count, data);
                    if (!b.isDamaged()) {
                        out.add(b.events().get((int) (f.seq() - first)));
                    }
                }
            }
        });
        return new Lookup(out, Math.max(tail[0], out.size()));
    }

    @Override
    public List<String> correlationIds(String prefix, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be 1 or more, was " + limit);
        }
        String p = prefix == null ? "" : prefix;
        return read("completing correlation IDs for '" + p + "'", c -> blockKeys
                ? correlationIdsByKeys(c, p, limit)
                : correlationIdsInEventIndex(c, p, limit));
    }

    /**
     * Schema 3: merges the blocks' sorted ID lists (each skipped to {@code p} first; a list whose
     * first and last ID rule {@code p} out is not read), dropping the IDs several blocks share. A
     * block without a usable list is scanned.
     */
    private List<String> correlationIdsByKeys(Connection c, String p, int limit) throws SQLException {
        PriorityQueue<BlockKeys.IdCursor> heads = new PriorityQueue<>(BlockKeys.IdCursor::compareTo);
        for (Keyed<BlockKeys.IdList> k : correlationIdLists.blocks(c)) {
            BlockKeys.IdList ids = k.keys() != null ? k.keys() : BlockKeys.IdList.read(scannedIdList(c, k.firstSeq()));
            if (!ids.mayHavePrefix(p)) {
                continue;
            }
            BlockKeys.IdCursor cursor = ids.cursor();
            if (cursor.skipTo(p) && cursor.startsWith(p)) {
                heads.add(cursor);
            }
        }
        List<String> out = new ArrayList<>(Math.min(limit, 1024));
        String lastId = null;
        while (!heads.isEmpty() && out.size() < limit) {
            BlockKeys.IdCursor head = heads.poll();
            if (lastId == null || head.compareTo(lastId) != 0) {
                lastId = head.current();
                out.add(lastId);
            }
            if (head.next() && head.startsWith(p)) {
                heads.add(head);
            }
        }
        return out;
    }

    /** The ID list of a block without a usable stored one, from its index fields (empty when damaged). */
    private byte[] scannedIdList(Connection c, long first) throws SQLException {
        TreeSet<String> ids = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_count, data FROM event_block WHERE first_seq = ?")) {
            ps.setLong(1, first);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    int count = rs.getInt(1);
                    byte[] data = blockData(rs, 2, first, count);
                    for (EventBlockCodec.IndexFields f : data == null ? List.<EventBlockCodec.IndexFields>of()
                            : indexFields(first, count, data)) {
                        if (f.correlationId() != null) {
                            ids.add(f.correlationId());
                        }
                    }
                }
            }
        }
        return BlockKeys.idList(ids.toArray(new String[0]));
    }

    /** Schema 1 and 2 (read-only): the per-event index's sorted correlation IDs, then the blocks past it. */
    private List<String> correlationIdsInEventIndex(Connection c, String p, int limit) throws SQLException {
        long indexed = legacyIndexedThrough;
        TreeSet<String> ids = new TreeSet<>();
        String upper = p + '\uFFFF';
        try (PreparedStatement first = c.prepareStatement("SELECT correlation_id FROM event_index"
                + " WHERE correlation_id >= ? AND correlation_id < ? ORDER BY correlation_id LIMIT 1");
             PreparedStatement next = c.prepareStatement("SELECT correlation_id FROM event_index"
                     + " WHERE correlation_id > ? AND correlation_id < ? ORDER BY correlation_id LIMIT 1")) {
            String last = null;
            while (ids.size() < limit) {
                PreparedStatement ps = last == null ? first : next;
                ps.setString(1, last == null ? p : last);
                ps.setString(2, upper);
                String found;
                try (ResultSet rs = ps.executeQuery()) {
                    found = rs.next() ? rs.getString(1) : null;
                }
                if (found == null) {
                    break;
                }
                if (found.startsWith(p)) {
                    ids.add(found);
                }
                last = found;
            }
        }
        scanAfter(c, indexed, (first, count, data) -> {
            for (EventBlockCodec.IndexFields f : indexFields(first, count, data)) {
                String id = f.correlationId();
                if (id != null && id.startsWith(p)) {
                    ids.add(id);
                }
            }
        });
        List<String> out = new ArrayList<>(limit);
        for (String id : ids) {
            if (out.size() == limit) {
                break;
            }
            out.add(id);
        }
        return out;
    }

    /** {@inheritDoc} Damaged blocks met by reads (and by building keys on open) of this store, by first sequence. */
    @Override
    public List<DamagedBlockException> damagedBlocks() {
        return List.copyOf(damaged.values());
    }

    @Override
    public long indexedThroughSeq() {
        return blockKeys ? eventCount() : Math.min(legacyIndexedThrough, eventCount());
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /** The schema version's lookup structures: true for {@code block_key} (version 3 or later). */
    boolean hasBlockKeys() {
        return blockKeys;
    }

    // ------------------------------------------------------------------ block keys in memory

    /** One block's keys of one column; {@code keys} is {@code null} when the block has none usable (it is scanned). */
    private record Keyed<T>(long firstSeq, T keys) {
    }

    /**
     * One column of {@code block_key} held in memory, for every block in store order: read from the
     * file on first use (one query, blocks without a usable key included as {@code null}), then kept
     * current by {@link #append}. Memory: a filter takes about {@value BlockKeys#BITS_PER_KEY} bits per
     * distinct ID of a block, so about 2 MB per million distinct IDs; an ID list a few bytes per ID.
     *
     * <p>No block is missed while the column loads during appends: {@link #tracking} is set under
     * the write lock before the query runs, so a block committed before sees it in the query and a
     * block committed after is added by {@link #append} (both add the same entry).
     */
    private final class KeyColumn<T> {
        private final String column;
        private final java.util.function.Function<byte[], T> parse;
        private final ConcurrentSkipListMap<Long, Keyed<T>> blocks = new ConcurrentSkipListMap<>();
        private volatile boolean tracking;
        private volatile boolean loaded;

        KeyColumn(String column, java.util.function.Function<byte[], T> parse) {
            this.column = column;
            this.parse = parse;
        }

        /** Every block's keys of this column, in store order (loads them on first use). */
        Collection<Keyed<T>> blocks(Connection c) throws SQLException {
            if (!loaded) {
                load(c);
            }
            return blocks.values();
        }

        private synchronized void load(Connection c) throws SQLException {
            if (loaded) {
                return;
            }
            synchronized (writeLock) {
                tracking = true;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT b.first_seq, k." + column
                    + " FROM event_block b LEFT JOIN block_key k ON k.first_seq = b.first_seq"
                    + " WHERE b.first_seq <= ? ORDER BY b.first_seq")) {
                ps.setLong(1, lastSeq.get());   // read after tracking is set: a later block comes from added()
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long first = rs.getLong(1);
                        T value = null;
                        try {
                            byte[] stored = rs.getBytes(2);
                            value = stored == null ? null : parse.apply(stored);
                        } catch (SQLException | RuntimeException e) {
                            LOG.debug("{}: {} of block {} cannot be read; the block is scanned instead", file, column, first, e);
                        }
                        blocks.putIfAbsent(first, new Keyed<>(first, value));
                    }
                }
            }
            loaded = true;
        }

        /** A block {@link #append} committed, with its stored keys of this column. */
        void added(long firstSeq, byte[] stored) {
            if (tracking) {
                blocks.put(firstSeq, new Keyed<>(firstSeq, parse.apply(stored)));
            }
        }
    }

    // ------------------------------------------------------------------ blocks

    /** One decoded block; {@code events} is {@code null} when the block is damaged. */
    private record Block(long firstSeq, int count, List<CapturedEvent> events) {
        boolean isDamaged() {
            return events == null;
        }
    }

    @FunctionalInterface
    interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code body} on the writer connection under the write lock and commits it: one
     * transaction, rolled back when it fails (for {@link ReplayLog}).
     *
     * @throws CaptureStoreException naming the file when the store is read-only or the write fails
     */
    <T> T writeTransaction(String what, SqlFunction<T> body) {
        if (readOnly) {
            throw CaptureStoreException.of(file, "capture store is open read-only: " + what + " is not allowed", null);
        }
        synchronized (writeLock) {
            ensureOpen();
            try {
                T result = body.apply(writer);
                writer.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                throw rolledBack(e, what + " failed; nothing of it was stored");
            }
        }
    }

    /** Runs {@code body} on a reader connection (for {@link ReplayLog}). */
    <T> T readTransaction(String what, SqlFunction<T> body) {
        return read(what, body);
    }

    /** Whether the store has this table (a store of an older schema opened read-only may lack it). */
    boolean hasTableNamed(String table) {
        return read("reading the schema", c -> hasTable(c, table));
    }

    @Override
    public ReplayLog replayLog() {
        return new ReplayLog(this);
    }

    /** Receives one stored block, still encoded. */
    @FunctionalInterface
    private interface BlockConsumer {
        void accept(long firstSeq, int count, byte[] data) throws SQLException;
    }

    /** Runs {@code body} on a reader connection (package-private for tests). */
    <T> T read(String what, SqlFunction<T> body) {
        ensureOpen();
        try (Connection c = readers.getConnection()) {
            return body.apply(c);
        } catch (SQLException | IllegalStateException e) {
            throw CaptureStoreException.of(file, what + " failed", e);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw CaptureStoreException.of(file, what + " failed: an event block is damaged", e);
        }
    }

    private static long indexedThrough(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexed_through_seq FROM index_state WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private Block blockContaining(Connection c, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, event_count, data FROM event_block"
                + " WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? toBlock(rs) : null;
            }
        }
    }

    private Block blockStartingAt(Connection c, long firstSeq) throws SQLException {
        Block cached = cache.get(firstSeq);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, event_count, data FROM event_block"
                + " WHERE first_seq = ?")) {
            ps.setLong(1, firstSeq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? toBlock(rs) : null;
            }
        }
    }

    /** Hands every block with events past {@code afterSeq} to {@code consumer}, a few blocks per query. */
    private void scanAfter(Connection c, long afterSeq, BlockConsumer consumer) throws SQLException {
        long next = afterSeq;
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, event_count, data FROM event_block"
                + " WHERE first_seq > ? AND first_seq <= ? ORDER BY first_seq LIMIT " + SCAN_BLOCKS)) {
            while (true) {
                ps.setLong(1, next);
                ps.setLong(2, lastSeq.get());
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        next = rs.getLong(1);
                        int count = rs.getInt(2);
                        consumer.accept(next, count, blockData(rs, 3, next, count));
                        n++;
                    }
                }
                if (n < SCAN_BLOCKS) {
                    return;
                }
            }
        }
    }

    private Block toBlock(ResultSet rs) throws SQLException {
        long first = rs.getLong(1);
        Block cached = cache.get(first);
        if (cached != null) {
            return cached;
        }
        int count = rs.getInt(2);
        return decoded(first, count, blockData(rs, 3, first, count));
    }

    /**
     * The stored bytes of a block (column {@code column} of {@code rs}), or {@code null} when H2
     * cannot read them: the block is then recorded as damaged like one whose bytes cannot be
     * decoded. A writer killed while H2 applied a commit can leave a block row whose LOB data or
     * metadata is missing (docs/decisions/0007-untrusted-capture-files.md); that must cost the
     * read one block, not fail it.
     */
    private byte[] blockData(ResultSet rs, int column, long first, int count) {
        if (damaged.containsKey(first)) {
            return null;
        }
        try {
            byte[] data = rs.getBytes(column);
            if (data != null) {
                return data;
            }
            skipDamaged(new DamagedBlockException(null, first, count, "its data is null", null));
        } catch (SQLException | RuntimeException e) {
            skipDamaged(new DamagedBlockException(null, first, count, "H2 cannot read its data: " + e.getMessage(), e));
        }
        return null;
    }

    /** The decoded block, or a damaged one (recorded) when its bytes cannot be decoded. */
    private Block decoded(long first, int count, byte[] data) {
        Block cached = cache.get(first);
        if (cached != null) {
            return cached;
        }
        if (damaged.containsKey(first)) {
            return new Block(first, count, null);
        }
        Block b;
        try {
            b = new Block(first, count, EventBlockCodec.decode(data, first, count));
        } catch (DamagedBlockException e) {
            skipDamaged(e);
            return new Block(first, count, null);
        }
        long payloadBytes = 0;
        for (CapturedEvent e : b.events()) {
            payloadBytes += e.payloadSize();
        }
        if (payloadBytes <= BlockCache.MAX_CACHED_BLOCK_BYTES) {
            cache.put(first, b, payloadBytes);
        }
        return b;
    }

    /** The events of a decoded block with this ID (none for a damaged block). */
    private static List<CapturedEvent> matchesIn(Block b, IdKind kind, String value) {
        List<CapturedEvent> out = new ArrayList<>();
        for (CapturedEvent e : b.isDamaged() ? List.<CapturedEvent>of() : b.events()) {
            if (value.equals(kind.of(e))) {
                out.add(e);
            }
        }
        return out;
    }

    /** The index fields of a block, or none (the block recorded as damaged) when its bytes cannot be decoded. */
    private List<EventBlockCodec.IndexFields> indexFields(long first, int count, byte[] data) {
        return unlessDamaged(first, () -> EventBlockCodec.decodeIndexFields(data, first, count));
    }

    /**
     * What {@code decode} reads of block {@code first} (its index fields, or only its events with
     * one ID), or nothing when the block is recorded as damaged or its bytes cannot be decoded (then
     * it is recorded).
     */
    private <T> List<T> unlessDamaged(long first, java.util.function.Supplier<List<T>> decode) {
        if (damaged.containsKey(first)) {
            return List.of();
        }
        try {
            return decode.get();
        } catch (DamagedBlockException e) {
            skipDamaged(e);
            return List.of();
        }
    }

    /** Records a damaged block, naming the file, and logs it the first time. */
    private void skipDamaged(DamagedBlockException e) {
        DamagedBlockException named = e.in(file);
        if (damaged.putIfAbsent(named.firstSeq(), named) == null) {
            LOG.warn("{}; its events are skipped, the other blocks stay readable", named.getMessage());
        }
    }

    /**
     * A small LRU of decoded blocks for paging tables and repeated lookups (blocks never change
     * once written; a lookup adds a block only when it looks it up a second time, {@link #admit}),
     * bounded by the estimated heap bytes of the decoded events ({@value #MAX_HEAP_BYTES} bytes, at most
     * {@value #ENTRIES} blocks): a capture runs in a 256 MiB heap (docs/decisions/0010), and decoded
     * events take several times their encoded size.
     */
    private static final class BlockCache {
        /** Blocks whose payloads add up to more than this are not cached. */
        static final int MAX_CACHED_BLOCK_BYTES = 2 * 1024 * 1024;
        /** Estimated heap bytes of the cached blocks at most. */
        static final long MAX_HEAP_BYTES = 12L * 1024 * 1024;
        /** Estimated heap bytes of a decoded event beyond its payload. */
        private static final int EVENT_OVERHEAD = 400;
        private static final int ENTRIES = 16;
        private final LinkedHashMap<Long, Cached> map = new LinkedHashMap<>(32, 0.75f, true);
        private long heapBytes;

        /** A cached block and its estimated heap bytes. */
        private record Cached(Block block, long weight) {
        }

        /** Blocks looked up lately without being cached, most recent last; a ring of {@value #RECENT} first sequences. */
        private final long[] recent = new long[RECENT];
        private int recentNext;
        private static final int RECENT = 64;

        synchronized Block get(long firstSeq) {
            Cached c = map.get(firstSeq);
            return c == null ? null : c.block();
        }

        /**
         * Whether a lookup should decode this block whole and cache it: true when it was looked up
         * among the last {@value #RECENT} uncached blocks (a second lookup: lookups in a row, such
         * as a capture's flow summaries reading back flows spread over lagging partitions, often want
         * the same block), else remembers it and says false (one lookup decodes only its matches).
         */
        synchronized boolean admit(long firstSeq) {
            for (long r : recent) {
                if (r == firstSeq) {
                    return true;
                }
            }
            recent[recentNext] = firstSeq;
            recentNext = (recentNext + 1) % RECENT;
            return false;
        }

        synchronized void put(long firstSeq, Block b, long payloadBytes) {
            long weight = payloadBytes + (long) EVENT_OVERHEAD * b.events().size();
            if (weight > MAX_HEAP_BYTES / 2 || map.containsKey(firstSeq)) {
                return;
            }
            map.put(firstSeq, new Cached(b, weight));
            heapBytes += weight;
            for (var it = map.values().iterator(); it.hasNext() && (heapBytes > MAX_HEAP_BYTES || map.size() > ENTRIES); ) {
                heapBytes -= it.next().weight();
                it.remove();
            }
        }
    }

    // ------------------------------------------------------------------ flow summaries (schema V4)

    /** Whether the file has the flow summary tables (schema V4; an older store opened read-only has not); null until asked. */
    private volatile Boolean flowTables;

    private boolean hasFlowTables(Connection c) throws SQLException {
        Boolean has = flowTables;
        if (has == null) {
            has = hasTable(c, "FLOW_SUMMARY") && hasTable(c, "FLOW_SUMMARY_STATE");
            flowTables = has;
        }
        return has;
    }

    @Override
    public void appendPolls(Collection<SourcePoll> polls) {
        if (readOnly) {
            throw CaptureStoreException.of(file, "capture store is open read-only: recording polls is not allowed", null);
        }
        if (polls.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            ensureOpen();
            try (PreparedStatement ins = writer.prepareStatement("INSERT INTO source_poll (source, stream, polled_at_ms,"
                    + " status, latency_ms, records, new_records, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (SourcePoll p : polls) {
                    ins.setString(1, p.source());
                    ins.setString(2, p.stream());
                    ins.setLong(3, p.polledAtMs());
                    ins.setInt(4, p.status());
                    ins.setLong(5, p.latencyMs());
                    ins.setInt(6, p.records());
                    ins.setInt(7, p.newRecords());
                    ins.setString(8, p.error());
                    ins.addBatch();
                }
                ins.executeBatch();
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                throw rolledBack(e, "recording " + polls.size() + " polls failed; none of them was stored");
            }
        }
    }

    @Override
    public void appendConsumerProgress(List<ConsumerCommit> commits, List<GroupPoll> polls, List<PartitionEnd> ends) {
        if (readOnly) {
            throw CaptureStoreException.of(file, "capture store is open read-only: recording consumer groups is not allowed", null);
        }
        if (commits.isEmpty() && polls.isEmpty() && ends.isEmpty()) {
            return;
        }
        synchronized (writeLock) {
            ensureOpen();
            try {
                try (PreparedStatement ins = writer.prepareStatement("INSERT INTO consumer_commit (group_id, topic,"
                        + " partition_no, committed_offset, committed_at_ms, committed_after_ms, time_precision)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (ConsumerCommit c : commits) {
                        ins.setString(1, c.group());
                        ins.setString(2, c.topic());
                        ins.setInt(3, c.partition());
                        ins.setLong(4, c.committedOffset());
                        ins.setLong(5, c.committedAtMs());
                        ins.setLong(6, c.committedAfterMs());
                        ins.setString(7, c.precision().label());
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
                try (PreparedStatement ins = writer.prepareStatement("INSERT INTO consumer_group_poll (group_id,"
                        + " polled_at_ms, state, members, member_info, lag_records, error) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (GroupPoll p : polls) {
                        ins.setString(1, p.group());
                        ins.setLong(2, p.polledAtMs());
                        ins.setString(3, p.state().length() > 32 ? p.state().substring(0, 32) : p.state());
                        ins.setInt(4, p.members());
                        ins.setString(5, p.memberInfo());
                        ins.setLong(6, p.lagRecords());
                        ins.setString(7, p.error());
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
                try (PreparedStatement merge = writer.prepareStatement("MERGE INTO consumer_partition_end (group_id, topic,"
                        + " partition_no, committed_offset, log_end_offset, polled_at_ms) KEY (group_id, topic, partition_no)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (PartitionEnd e : ends) {
                        merge.setString(1, e.group());
                        merge.setString(2, e.topic());
                        merge.setInt(3, e.partition());
                        merge.setLong(4, e.committedOffset());
                        merge.setLong(5, e.logEndOffset());
                        merge.setLong(6, e.polledAtMs());
                        merge.addBatch();
                    }
                    merge.executeBatch();
                }
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                throw rolledBack(e, "recording consumer-group progress (" + commits.size() + " commits, " + polls.size()
                        + " group polls) failed; none of it was stored");
            }
        }
    }

    @Override
    public ConsumerProgress consumerProgress() {
        return read("reading the consumer groups", c -> {
            if (!hasTable(c, "CONSUMER_COMMIT")) {
                return ConsumerProgress.NONE;
            }
            List<String> skipped = new ArrayList<>();
            List<ConsumerCommit> commits = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT group_id, topic, partition_no, committed_offset,"
                    + " committed_at_ms, committed_after_ms, time_precision FROM consumer_commit"
                    + " ORDER BY committed_at_ms, _ROWID_ LIMIT " + MAX_CONSUMER_ROWS)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            commits.add(new ConsumerCommit(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                                    rs.getLong(5), rs.getLong(6), TimePrecision.ofLabel(rs.getString(7))));
                        } catch (IllegalArgumentException | NullPointerException e) {
                            skipped.add("consumer_commit: " + e.getMessage());
                        }
                    }
                }
            }
            List<GroupPoll> polls = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT group_id, polled_at_ms, state, members, member_info,"
                    + " lag_records, error FROM consumer_group_poll ORDER BY polled_at_ms, _ROWID_ LIMIT " + MAX_CONSUMER_ROWS)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            polls.add(new GroupPoll(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                                    rs.getString(5), rs.getLong(6), rs.getString(7)));
                        } catch (IllegalArgumentException | NullPointerException e) {
                            skipped.add("consumer_group_poll: " + e.getMessage());
                        }
                    }
                }
            }
            List<PartitionEnd> ends = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT group_id, topic, partition_no, committed_offset,"
                    + " log_end_offset, polled_at_ms FROM consumer_partition_end ORDER BY group_id, topic, partition_no"
                    + " LIMIT " + MAX_CONSUMER_ROWS)) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        try {
                            ends.add(new PartitionEnd(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                                    rs.getLong(5), rs.getLong(6)));
                        } catch (IllegalArgumentException | NullPointerException e) {
                            skipped.add("consumer_partition_end: " + e.getMessage());
                        }
                    }
                }
            }
            if (!skipped.isEmpty()) {
                LOG.warn("{}: left out {} invalid consumer-group rows (first: {})", file, skipped.size(), skipped.get(0));
            }
            return new ConsumerProgress(commits, polls, ends);
        });
    }

    @Override
    public List<SourcePoll> polls(String source, int limit) {
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit: must be 1 to 100000, was " + limit);
        }
        return read("reading the polls of " + source, c -> {
            if (!hasTable(c, "SOURCE_POLL")) {
                return List.of();
            }
            List<SourcePoll> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT source, stream, polled_at_ms, status, latency_ms,"
                    + " records, new_records, error FROM source_poll WHERE source = ? ORDER BY polled_at_ms DESC, _ROWID_ DESC LIMIT ?")) {
                ps.setString(1, source);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SourcePoll(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getInt(4),
                                Math.max(0, rs.getLong(5)), Math.max(0, rs.getInt(6)), Math.max(0, rs.getInt(7)),
                                rs.getString(8)));
                    }
                }
            }
            java.util.Collections.reverse(out);
            return out;
        });
    }

    /** The next {@code flow_summary_block.block_no} to write; 0 until read; guarded by {@code writeLock}. */
    private long nextSummaryBlockNo;

    @Override
    public void writeFlowSummaries(Collection<FlowRecord> flows, long summarizedThroughSeq) {
        if (readOnly) {
            throw CaptureStoreException.of(file, "capture store is open read-only: writing flow summaries is not allowed", null);
        }
        synchronized (writeLock) {
            ensureOpen();
            try {
                if (!flows.isEmpty()) {
                    // one block per flush (schema V7, docs/decisions/0020-flow-summary-blocks.md)
                    if (nextSummaryBlockNo == 0) {
                        try (Statement st = writer.createStatement();
                             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(block_no), 0) FROM flow_summary_block")) {
                            nextSummaryBlockNo = (rs.next() ? rs.getLong(1) : 0) + 1;
                        }
                    }
                    try (PreparedStatement ins = writer.prepareStatement(
                            "INSERT INTO flow_summary_block (block_no, summaries) VALUES (?, ?)")) {
                        ins.setLong(1, nextSummaryBlockNo);
                        ins.setBytes(2, FlowSummaryBlock.encode(flows));
                        ins.executeUpdate();
                    }
                }
                try (PreparedStatement upd = writer.prepareStatement(
                        "UPDATE flow_summary_state SET summarized_through_seq = ? WHERE id = 1")) {
                    upd.setLong(1, summarizedThroughSeq);
                    upd.executeUpdate();
                }
                writer.commit();
                if (!flows.isEmpty()) {
                    nextSummaryBlockNo++;
                }
            } catch (SQLException | RuntimeException e) {
                nextSummaryBlockNo = 0;   // read again: the insert may or may not have been the one that failed
                throw rolledBack(e, "writing " + flows.size() + " flow summaries failed; none of them was stored");
            }
        }
    }

    @Override
    public long summarizedThroughSeq() {
        return read("reading the flow summaries' watermark", c -> {
            if (!hasFlowTables(c)) {
                return 0L;
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT summarized_through_seq FROM flow_summary_state WHERE id = 1")) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static final String FLOW_COLUMNS = "SELECT correlation_id, category, category_rank, verdict_message,"
            + " event_count, first_observed_ms, last_observed_ms, channel_count, channels, anomaly_counts FROM flow_summary";

    /** The flow summaries as read so far (docs/decisions/0020-flow-summary-blocks.md); null until first asked. */
    private FlowSummaryIndex flowIndex;
    private final Object flowIndexLock = new Object();
    /** Whether the file has {@code flow_summary_block} (schema V7); null until asked; guarded by {@code flowIndexLock}. */
    private Boolean flowBlocks;
    private boolean damagedSummaryLogged;

    /**
     * The flow summaries with every block stored now: on first use the rows of a store from before
     * V7 and every block, later only the blocks written since (blocks are only ever added).
     */
    private FlowSummaryIndex flowIndex(Connection c) throws SQLException {
        synchronized (flowIndexLock) {
            FlowSummaryIndex index = flowIndex;
            if (index == null) {
                index = new FlowSummaryIndex();
                loadLegacyFlowRows(c, index);
                flowIndex = index;
            }
            if (flowBlocks == null) {
                flowBlocks = hasTable(c, "FLOW_SUMMARY_BLOCK");
            }
            if (!flowBlocks) {
                return index;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT block_no, summaries FROM flow_summary_block"
                    + " WHERE block_no > ? ORDER BY block_no")) {
                ps.setLong(1, index.readThroughBlockNo());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long no = rs.getLong(1);
                        try {
                            byte[] data = rs.getBytes(2);
                            index.add(no, FlowSummaryBlock.decode(data));
                        } catch (SQLException | RuntimeException e) {
                            index.skip(no);
                            if (!damagedSummaryLogged) {
                                damagedSummaryLogged = true;
                                LOG.warn("{}: flow summary block {} is damaged and left out: {}", file, no, e.getMessage());
                            }
                        }
                    }
                }
            }
            return index;
        }
    }

    /** The one-row-per-flow summaries of schema V4 to V6 (kept in a migrated store, never written again). */
    private void loadLegacyFlowRows(Connection c, FlowSummaryIndex index) throws SQLException {
        if (!hasTable(c, "FLOW_SUMMARY")) {
            return;
        }
        List<FlowRecord> chunk = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FLOW_COLUMNS)) {
            while (rs.next()) {
                chunk.add(flowRecord(rs));
                if (chunk.size() == 16_384) {
                    index.add(0, FlowSummaryBlock.decode(FlowSummaryBlock.encode(chunk)));
                    chunk.clear();
                }
            }
        }
        if (!chunk.isEmpty()) {
            index.add(0, FlowSummaryBlock.decode(FlowSummaryBlock.encode(chunk)));
        }
    }

    @Override
    public List<FlowRecord> flowSummaries(FlowRecord after, int belowRank, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit: must be 1 to 10000, was " + limit);
        }
        return read("reading flow summaries", c -> hasFlowTables(c) ? flowIndex(c).page(after, belowRank, limit) : List.of());
    }

    private static FlowRecord flowRecord(ResultSet rs) throws SQLException {
        return new FlowRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getInt(8), FlowColumns.decodeChannels(rs.getString(9)),
                FlowColumns.decodeCounts(rs.getString(10)));
    }

    @Override
    public Map<String, Long> flowCountsByCategory() {
        return read("counting flow summaries", c -> hasFlowTables(c) ? flowIndex(c).counts() : new LinkedHashMap<>());
    }

    @Override
    public FlowRecord flowSummary(String correlationId) {
        if (correlationId == null) {
            return null;
        }
        return read("reading the flow summary of " + correlationId,
                c -> hasFlowTables(c) ? flowIndex(c).get(correlationId) : null);
    }

    @Override
    public List<String> summarizedFlowIds(String after, int limit) {
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit: must be 1 to 100000, was " + limit);
        }
        return read("listing summarized flows", c -> hasFlowTables(c) ? flowIndex(c).ids(after, limit) : List.of());
    }

    // ------------------------------------------------------------------ copy and close

    @Override
    public void copyTo(Path target) {
        Path to = normalize(target);
        if (to.equals(file)) {
            throw CaptureStoreException.of(to, "cannot copy a capture store onto itself", null);
        }
        ensureOpen();
        Path zip = null;
        try {
            Path dir = to.getParent();
            Files.createDirectories(dir);
            zip = Files.createTempFile(dir, ".eventlens-copy", ".zip");
            Files.delete(zip);
            try (Connection c = readers.getConnection(); Statement st = c.createStatement()) {
                st.execute("BACKUP TO '" + zip.toString().replace("'", "''") + "'");
            }
            Path tmp = Files.createTempFile(dir, ".eventlens-copy", MV_DB);
            boolean found = false;
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    if (entry.getName().endsWith(MV_DB)) {
                        copy(in, tmp);
                        found = true;
                        break;
                    }
                }
            }
            if (!found) {
                Files.deleteIfExists(tmp);
                throw CaptureStoreException.of(to, "H2 backup held no database file", null);
            }
            Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException | IOException e) {
            throw CaptureStoreException.of(to, "saving a copy of " + file + " failed", e);
        } finally {
            if (zip != null) {
                try {
                    Files.deleteIfExists(zip);
                } catch (IOException e) {
                    LOG.warn("could not delete temporary backup {}", zip, e);
                }
            }
        }
    }

    private static void copy(InputStream in, Path to) throws IOException {
        Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private void ensureOpen() {
        if (closed) {
            throw CaptureStoreException.of(file, "capture store is closed", null);
        }
    }

    /**
     * Closes the database. A read still running on another thread keeps the file open until it
     * ends (H2 closes a database with its last connection), so this waits for such reads, at most
     * {@link #CLOSE_WAIT_NANOS}: the file is then closed when this returns and can be opened again
     * at once, by this process or another.
     */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        readers.dispose();
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (readers.getActiveConnections() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(1_000_000);
        }
        try {
            writer.close();
        } catch (SQLException e) {
            throw CaptureStoreException.of(file, "closing the capture store failed", e);
        } finally {
            OPEN_FILES.remove(file);
        }
    }

    @Override
    public String toString() {
        return "H2CaptureStore[" + file + "]";
    }
}
