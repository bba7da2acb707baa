package io.eventlens.core.store;

import io.eventlens.core.model.CapturedEvent;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
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
 * (or about {@value #BLOCK_BYTES} bytes) with {@link EventBlockCodec}, and inserts the blocks and
 * the source positions in one transaction. A background indexer thread then writes one
 * {@code event_index} row per event and {@code index_state.indexed_through_seq} in one transaction.
 * Reads by correlation ID or event ID use the index through {@code indexed_through_seq} and decode
 * the blocks past it, so they are always complete.
 *
 * <p>A block that cannot be decoded ({@link DamagedBlockException}) is skipped by every read and by
 * the indexer, logged once and listed by {@link #damagedBlocks()}; the other blocks stay readable.
 *
 * <p>Threads: one writer (appends are serialized), any number of readers (a connection pool),
 * and the indexer. A file may be open only once per process; another process holding it open
 * makes {@link #open} fail.
 *
 * <p>Untrusted files (docs/decisions/0007-untrusted-capture-files.md): an existing file is opened
 * only after {@link CaptureFileCheck} found, without the SQL engine, exactly the definitions of one
 * released schema version in it; {@link #openReadOnly} then opens it so that H2 never writes
 * ({@code ACCESS_MODE_DATA=r}), creates nothing ({@code IFEXISTS}, no trace file), runs no
 * migration and starts no indexer. Closing a writable store first lets the indexer finish, so a
 * later read-only open finds the index complete.
 */
public final class H2CaptureStore implements CaptureStore {

    private static final Logger LOG = LoggerFactory.getLogger(H2CaptureStore.class);

    /** Maximum events per block. */
    static final int BLOCK_EVENTS = 1024;
    /** A block is closed once its encoding reaches this many bytes. */
    static final int BLOCK_BYTES = 4 * 1024 * 1024;
    /** Blocks the indexer handles per transaction. */
    private static final int INDEX_BLOCKS_PER_TX = 8;
    /** The indexer defers to a busy writer only while the index lags by more than this many events. */
    private static final long DEFER_LAG = 8_192;
    /** The writer counts as busy when it appended within this many ms. */
    private static final long WRITER_IDLE_MS = 250;
    private static final long DEFER_CHECK_MS = 50;
    /** Blocks fetched per query when scanning. */
    private static final int SCAN_BLOCKS = 8;
    private static final String MV_DB = ".mv.db";
    /** Closing waits this long for the indexer quietly, then logs and waits up to {@link #CLOSE_INDEX_WAIT}. */
    private static final Duration CLOSE_INDEX_QUIET = Duration.ofSeconds(2);
    private static final Duration CLOSE_INDEX_WAIT = Duration.ofMinutes(2);

    private static final Set<Path> OPEN_FILES = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final JdbcConnectionPool readers;
    private final Connection writer;
    private final Object writeLock = new Object();
    private final EventBlockCodec codec = new EventBlockCodec();
    private final AtomicLong lastSeq = new AtomicLong();
    private final BlockCache cache = new BlockCache();
    /** Damaged blocks met so far, by first sequence, named with the file. */
    private final ConcurrentSkipListMap<Long, DamagedBlockException> damaged = new ConcurrentSkipListMap<>();
    private final Indexer indexer;
    private final boolean readOnly;
    private volatile boolean closed;
    private volatile long lastAppendNanos;

    private H2CaptureStore(Path file, JdbcConnectionPool readers, Connection writer, long lastSeq,
                           long indexedThrough, boolean readOnly) {
        this.file = file;
        this.readOnly = readOnly;
        this.readers = readers;
        this.writer = writer;
        this.lastSeq.set(lastSeq);
        this.indexer = new Indexer(indexedThrough);
    }

    /**
     * Opens or creates the store in {@code file} (the {@code .mv.db} suffix may be left off) for
     * writing and starts its indexer, which first catches up with blocks not yet indexed. An
     * existing file is first checked without the SQL engine ({@link CaptureFileCheck}), then
     * migrated to the newest schema version.
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
     * read-only: the file's bytes stay unchanged, no file is created beside it, no migration runs
     * (an older schema version is read as it is) and no indexer starts (lookups scan the blocks
     * past {@code indexed_through_seq}). {@link #append} fails on the store.
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
        String base = mvFile.toString().substring(0, mvFile.toString().length() - MV_DB.length());
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would otherwise close the database while a
        // capture's shutdown hook (Ctrl-C) is still committing its last batch; close() closes it.
        String url = "jdbc:h2:file:" + base + ";DB_CLOSE_ON_EXIT=FALSE"
                + (readOnly ? ";ACCESS_MODE_DATA=r;IFEXISTS=TRUE;TRACE_LEVEL_FILE=0" : "");
        Connection writer = null;
        JdbcConnectionPool pool = null;
        try {
            if (Files.exists(mvFile)) {
                CaptureFileCheck.check(mvFile);
            } else if (mvFile.getParent() != null) {
                Files.createDirectories(mvFile.getParent());
            }
            writer = org.h2.Driver.load().connect(url, credentials());
            if (writer == null) {
                throw CaptureStoreException.of(mvFile, "H2 refused the URL " + url, null);
            }
            if (!readOnly) {
                migrate(mvFile, url);
                try (Statement st = writer.createStatement()) {
                    // H2 writes commits to the file up to a second later: make the migrated schema
                    // durable now, so a capture killed at once leaves a whole store, not half a schema
                    st.execute("CHECKPOINT");
                }
            }
            long last;
            long indexed;
            try (Statement st = writer.createStatement()) {
                try (ResultSet rs = st.executeQuery(
                        "SELECT first_seq + event_count - 1 FROM event_block ORDER BY first_seq DESC LIMIT 1")) {
                    last = rs.next() ? rs.getLong(1) : 0;
                }
                try (ResultSet rs = st.executeQuery("SELECT indexed_through_seq FROM index_state WHERE id = 1")) {
                    indexed = rs.next() ? rs.getLong(1) : 0;
                }
            }
            if (readOnly) {
                writer.setReadOnly(true);   // only keeps the database open for the pool
            } else {
                writer.setAutoCommit(false);
            }
            pool = JdbcConnectionPool.create(url, "sa", "");
            pool.setMaxConnections(16);
            H2CaptureStore store = new H2CaptureStore(mvFile, pool, writer, last, indexed, readOnly);
            if (!readOnly) {
                store.indexer.start();
            }
            return store;
        } catch (SQLException e) {
            cleanup(writer, pool, mvFile);
            throw CaptureStoreException.of(mvFile, describe(e), e);
        } catch (IOException e) {
            cleanup(writer, pool, mvFile);
            throw CaptureStoreException.of(mvFile, "cannot create the capture store's folder", e);
        } catch (CaptureStoreException e) {
            cleanup(writer, pool, mvFile);
            throw e;
        } catch (RuntimeException | Error e) {   // H2 reading damaged data can throw anything
            cleanup(writer, pool, mvFile);
            throw CaptureStoreException.of(mvFile, "not an EventLens capture store, or it is damaged", e);
        }
    }

    private static java.util.Properties credentials() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", "sa");
        p.setProperty("password", "");
        return p;
    }

    private static void migrate(Path mvFile, String url) {
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
            try {
                if (!events.isEmpty()) {
                    try (PreparedStatement ins = writer.prepareStatement("INSERT INTO event_block"
                            + " (first_seq, event_count, min_observed_ms, max_observed_ms, payload_bytes, data)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")) {
                        codec.reset();
                        long blockFirst = seq;
                        for (CapturedEvent e : events) {
                            codec.add(e);
                            seq++;
                            if (codec.count() >= BLOCK_EVENTS || codec.size() >= BLOCK_BYTES) {
                                addBlock(ins, blockFirst);
                                blockFirst = seq;
                                codec.reset();
                            }
                        }
                        if (codec.count() > 0) {
                            addBlock(ins, blockFirst);
                        }
                        ins.executeBatch();
                    }
                }
                if (!nextPositions.isEmpty()) {
                    try (PreparedStatement merge = writer.prepareStatement("MERGE INTO stream_position"
                            + " (source, stream, token) KEY (source, stream) VALUES (?, ?, ?)")) {
                        for (StreamPosition p : nextPositions) {
                            merge.setString(1, p.source());
                            merge.setString(2, p.stream());
                            merge.setString(3, p.token());
                            merge.addBatch();
                        }
                        merge.executeBatch();
                    }
                }
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    writer.rollback();
                } catch (SQLException re) {
                    e.addSuppressed(re);
                }
                throw CaptureStoreException.of(file, "appending " + events.size() + " events failed; nothing of"
                        + " them was stored", e);
            }
            lastSeq.set(seq - 1);
            lastAppendNanos = System.nanoTime();
        }
        if (!events.isEmpty()) {
            indexer.wake();
        }
        return events.isEmpty() ? 0 : lastSeq.get() - events.size() + 1;
    }

    private void addBlock(PreparedStatement ins, long blockFirst) throws SQLException {
        ins.setLong(1, blockFirst);
        ins.setInt(2, codec.count());
        ins.setLong(3, codec.minObservedMs());
        ins.setLong(4, codec.maxObservedMs());
        ins.setLong(5, codec.payloadBytes());
        ins.setBytes(6, codec.toCompressedBytes());
        ins.addBatch();
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
                b = out.size() < limit ? blockStartingAt(c, next) : null;
            }
            return out;
        });
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
    public List<CapturedEvent> findByCorrelationId(String correlationId) {
        if (correlationId == null) {
            return List.of();
        }
        return lookup("correlation_id", correlationId, f -> correlationId.equals(f.correlationId()));
    }

    @Override
    public List<CapturedEvent> findByEventId(String eventId) {
        if (eventId == null) {
            return List.of();
        }
        return lookup("event_id", eventId, f -> eventId.equals(f.eventId()));
    }

    private List<CapturedEvent> lookup(String column, String value, Predicate<EventBlockCodec.IndexFields> matches) {
        return read("looking up " + column + " " + value, c -> {
            long indexed = indexedThrough(c);
            TreeMap<Long, List<Long>> seqsByBlock = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, block_seq FROM event_index WHERE "
                    + column + " = ? AND seq <= ? ORDER BY seq")) {
                ps.setString(1, value);
                ps.setLong(2, indexed);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        seqsByBlock.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(rs.getLong(1));
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
                    continue;
                }
                for (long seq : entry.getValue()) {
                    out.add(b.events().get((int) (seq - b.firstSeq())));
                }
            }
            scanAfter(c, indexed, (first, count, data) -> {
                Block b = null;
                for (EventBlockCodec.IndexFields f : indexFields(first, count, data)) {
                    if (matches.test(f)) {
                        b = b != null ? b : decoded(first, count, data);
                        if (!b.isDamaged()) {
                            out.add(b.events().get((int) (f.seq() - first)));
                        }
                    }
                }
            });
            return out;
        });
    }

    @Override
    public List<String> correlationIds(String prefix, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: must be 1 or more, was " + limit);
        }
        String p = prefix == null ? "" : prefix;
        return read("completing correlation IDs for '" + p + "'", c -> {
            long indexed = indexedThrough(c);
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
        });
    }

    /** {@inheritDoc} Damaged blocks met by reads and by the indexer of this store, by first sequence. */
    @Override
    public List<DamagedBlockException> damagedBlocks() {
        return List.copyOf(damaged.values());
    }

    @Override
    public long indexedThroughSeq() {
        return indexer.indexedThrough();
    }

    @Override
    public boolean awaitIndexed(Duration timeout) {
        if (readOnly) {
            return indexer.indexedThrough() >= lastSeq.get();   // nothing indexes a read-only store
        }
        return indexer.awaitThrough(lastSeq.get(), timeout);
    }

    @Override
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Tests only: pauses or resumes the background indexer, to make the index lag on purpose. */
    void pauseIndexer(boolean pause) {
        indexer.pause(pause);
    }

    // ------------------------------------------------------------------ blocks

    /** One decoded block; {@code events} is {@code null} when the block is damaged. */
    private record Block(long firstSeq, int count, List<CapturedEvent> events) {
        boolean isDamaged() {
            return events == null;
        }
    }

    @FunctionalInterface
    private interface SqlFunction<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Receives one stored block, still encoded. */
    @FunctionalInterface
    private interface BlockConsumer {
        void accept(long firstSeq, int count, byte[] data) throws SQLException;
    }

    private <T> T read(String what, SqlFunction<T> body) {
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
                + " WHERE first_seq > ? ORDER BY first_seq LIMIT " + SCAN_BLOCKS)) {
            while (true) {
                ps.setLong(1, next);
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        next = rs.getLong(1);
                        consumer.accept(next, rs.getInt(2), rs.getBytes(3));
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
        return decoded(first, rs.getInt(2), rs.getBytes(3));
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
            cache.put(first, b);
        }
        return b;
    }

    /** The index fields of a block, or none (the block recorded as damaged) when its bytes cannot be decoded. */
    private List<EventBlockCodec.IndexFields> indexFields(long first, int count, byte[] data) {
        if (damaged.containsKey(first)) {
            return List.of();
        }
        try {
            return EventBlockCodec.decodeIndexFields(data, first, count);
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

    /** A small LRU of decoded blocks for paging tables (blocks never change once written). */
    private static final class BlockCache {
        /** Blocks whose payloads add up to more than this are not cached (at most 16 x 2 MB). */
        static final int MAX_CACHED_BLOCK_BYTES = 2 * 1024 * 1024;
        private static final int ENTRIES = 16;
        private final LinkedHashMap<Long, Block> map = new LinkedHashMap<>(32, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Block> eldest) {
                return size() > ENTRIES;
            }
        };

        synchronized Block get(long firstSeq) {
            return map.get(firstSeq);
        }

        synchronized void put(long firstSeq, Block b) {
            map.put(firstSeq, b);
        }
    }

    // ------------------------------------------------------------------ indexer

    /**
     * Writes {@code event_index} rows for committed blocks, oldest first, {@value #INDEX_BLOCKS_PER_TX}
     * blocks per transaction together with the new {@code indexed_through_seq}; so a crash leaves
     * either all rows of a block and the watermark past it, or neither.
     */
    private final class Indexer implements Runnable {
        private final Thread thread;
        private final Object signal = new Object();
        private long through;
        private boolean pending = true;
        private volatile SQLException failure;
        private volatile boolean paused;
        private volatile int hurry;

        Indexer(long indexedThrough) {
            this.through = indexedThrough;
            this.thread = new Thread(this, "eventlens-indexer-" + file.getFileName());
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        long indexedThrough() {
            synchronized (signal) {
                return through;
            }
        }

        void wake() {
            synchronized (signal) {
                pending = true;
                signal.notifyAll();
            }
        }

        /**
         * True while the indexer should leave the CPU to a capture: the index lags by more than
         * {@value #DEFER_LAG} events and an append happened within the last {@value #WRITER_IDLE_MS}
         * ms, and nobody waits for the index. A slow, steady capture never lags that far, so it is
         * indexed as it goes; a burst is indexed once it pauses. Lookups stay complete meanwhile.
         */
        private boolean deferToWriter() {
            synchronized (signal) {
                if (hurry > 0 || lastSeq.get() - through <= DEFER_LAG) {
                    return false;
                }
            }
            return System.nanoTime() - lastAppendNanos < WRITER_IDLE_MS * 1_000_000L;
        }

        boolean awaitThrough(long seq, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (signal) {
                hurry++;
                signal.notifyAll();
                try {
                    return awaitLocked(seq, deadline);
                } finally {
                    hurry--;
                }
            }
        }

        private boolean awaitLocked(long seq, long deadline) {
            synchronized (signal) {
                while (through < seq) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closed || failure != null) {
                        return through >= seq;
                    }
                    try {
                        signal.wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                return true;
            }
        }

        @Override
        public void run() {
            try (Connection c = readers.getConnection()) {
                c.setAutoCommit(false);
                while (!closed) {
                    synchronized (signal) {
                        while (!pending && !closed) {
                            signal.wait(1000);
                        }
                        pending = false;
                    }
                    while (!closed && !paused) {
                        if (deferToWriter()) {
                            synchronized (signal) {
                                signal.wait(DEFER_CHECK_MS);
                            }
                        } else if (!indexSome(c)) {
                            break;
                        }
                    }
                }
            } catch (SQLException e) {
                if (!closed) {
                    failure = e;
                    LOG.error("{}: indexing stopped; lookups scan the unindexed blocks instead", file, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (signal) {
                    signal.notifyAll();
                }
            }
        }

        /** Indexes up to a few blocks; true when it did some work (more may be waiting). */
        private boolean indexSome(Connection c) throws SQLException {
            long from = indexedThrough();
            long newThrough = from;
            int rows = 0;
            try (PreparedStatement sel = c.prepareStatement("SELECT first_seq, event_count, data FROM event_block"
                    + " WHERE first_seq > ? ORDER BY first_seq LIMIT " + INDEX_BLOCKS_PER_TX);
                 PreparedStatement ins = c.prepareStatement("INSERT INTO event_index (seq, block_seq,"
                         + " correlation_id, event_id, event_type, channel, observed_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement upd = c.prepareStatement(
                         "UPDATE index_state SET indexed_through_seq = ? WHERE id = 1")) {
                sel.setLong(1, from);
                try (ResultSet rs = sel.executeQuery()) {
                    while (rs.next()) {
                        long first = rs.getLong(1);
                        int count = rs.getInt(2);
                        for (EventBlockCodec.IndexFields f : indexFields(first, count, rs.getBytes(3))) {
                            ins.setLong(1, f.seq());
                            ins.setLong(2, first);
                            ins.setString(3, f.correlationId());
                            ins.setString(4, f.eventId());
                            ins.setString(5, f.eventType());
                            ins.setString(6, f.channel());
                            ins.setLong(7, f.observedMs());
                            ins.addBatch();
                            rows++;
                        }
                        // a damaged block's count is trusted only within the codec's limits
                        long last = first + (count >= 1 && count <= EventBlockCodec.MAX_EVENTS ? count - 1 : 0);
                        newThrough = Math.max(newThrough, last);
                    }
                }
                if (newThrough == from) {
                    c.rollback();
                    return false;
                }
                if (rows > 0) {
                    ins.executeBatch();
                }
                upd.setLong(1, newThrough);
                upd.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e instanceof SQLException se ? se : new SQLException("indexing block after seq " + from, e);
            }
            synchronized (signal) {
                through = newThrough;
                signal.notifyAll();
            }
            return true;
        }

        void pause(boolean pause) {
            paused = pause;
            wake();
        }

        void stop() {
            wake();
            try {
                thread.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
    public void writeFlowSummaries(Collection<FlowRecord> flows, long summarizedThroughSeq) {
        if (readOnly) {
            throw CaptureStoreException.of(file, "capture store is open read-only: writing flow summaries is not allowed", null);
        }
        synchronized (writeLock) {
            ensureOpen();
            try {
                if (!flows.isEmpty()) {
                    try (PreparedStatement merge = writer.prepareStatement("MERGE INTO flow_summary (correlation_id,"
                            + " category, category_rank, verdict_message, event_count, first_observed_ms, last_observed_ms,"
                            + " channel_count, channels, anomaly_counts) KEY (correlation_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        for (FlowRecord f : flows) {
                            merge.setString(1, f.correlationId());
                            merge.setString(2, f.category());
                            merge.setInt(3, f.rank());
                            merge.setString(4, f.verdictMessage());
                            merge.setLong(5, f.eventCount());
                            merge.setLong(6, f.firstObservedMs());
                            merge.setLong(7, f.lastObservedMs());
                            merge.setInt(8, f.channelCount());
                            merge.setString(9, FlowColumns.encodeChannels(f.channels()));
                            merge.setString(10, FlowColumns.encodeCounts(f.anomalyCounts()));
                            merge.addBatch();
                        }
                        merge.executeBatch();
                    }
                }
                try (PreparedStatement upd = writer.prepareStatement(
                        "UPDATE flow_summary_state SET summarized_through_seq = ? WHERE id = 1")) {
                    upd.setLong(1, summarizedThroughSeq);
                    upd.executeUpdate();
                }
                writer.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    writer.rollback();
                } catch (SQLException re) {
                    e.addSuppressed(re);
                }
                throw CaptureStoreException.of(file, "writing " + flows.size() + " flow summaries failed; none of"
                        + " them was stored", e);
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

    @Override
    public List<FlowRecord> flowSummaries(FlowRecord after, int belowRank, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit: must be 1 to 10000, was " + limit);
        }
        return read("reading flow summaries", c -> {
            if (!hasFlowTables(c)) {
                return List.of();
            }
            String sql = FLOW_COLUMNS + " WHERE category_rank < ?" + (after == null ? "" : " AND (category_rank > ?"
                    + " OR (category_rank = ? AND (last_observed_ms < ? OR (last_observed_ms = ? AND correlation_id > ?))))")
                    + " ORDER BY category_rank, last_observed_ms DESC, correlation_id LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setInt(i++, belowRank);
                if (after != null) {
                    ps.setInt(i++, after.rank());
                    ps.setInt(i++, after.rank());
                    ps.setLong(i++, after.lastObservedMs());
                    ps.setLong(i++, after.lastObservedMs());
                    ps.setString(i++, after.correlationId());
                }
                ps.setInt(i, limit);
                List<FlowRecord> out = new ArrayList<>(Math.min(limit, 1024));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(flowRecord(rs));
                    }
                }
                return out;
            }
        });
    }

    private static FlowRecord flowRecord(ResultSet rs) throws SQLException {
        return new FlowRecord(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getInt(8), FlowColumns.decodeChannels(rs.getString(9)),
                FlowColumns.decodeCounts(rs.getString(10)));
    }

    @Override
    public Map<String, Long> flowCountsByCategory() {
        return read("counting flow summaries", c -> {
            Map<String, Long> out = new LinkedHashMap<>();
            if (!hasFlowTables(c)) {
                return out;
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT category, COUNT(*) FROM flow_summary GROUP BY category")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    @Override
    public FlowRecord flowSummary(String correlationId) {
        if (correlationId == null) {
            return null;
        }
        return read("reading the flow summary of " + correlationId, c -> {
            if (!hasFlowTables(c)) {
                return null;
            }
            try (PreparedStatement ps = c.prepareStatement(FLOW_COLUMNS + " WHERE correlation_id = ?")) {
                ps.setString(1, correlationId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? flowRecord(rs) : null;
                }
            }
        });
    }

    @Override
    public List<String> summarizedFlowIds(String after, int limit) {
        if (limit < 1 || limit > 100_000) {
            throw new IllegalArgumentException("limit: must be 1 to 100000, was " + limit);
        }
        return read("listing summarized flows", c -> {
            if (!hasFlowTables(c)) {
                return List.of();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT correlation_id FROM flow_summary"
                    + (after == null ? "" : " WHERE correlation_id > ?") + " ORDER BY correlation_id LIMIT ?")) {
                int i = 1;
                if (after != null) {
                    ps.setString(i++, after);
                }
                ps.setInt(i, limit);
                List<String> out = new ArrayList<>(Math.min(limit, 4096));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            }
        });
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

    /**
     * Waits (at most {@link #CLOSE_INDEX_WAIT}, logging after {@link #CLOSE_INDEX_QUIET}) until the
     * indexer covers every stored event, so the store is left with a complete index and reading it
     * later, read-only, needs no index writes. A store whose indexer is paused (tests) or failed is
     * closed at once; reads then scan the unindexed tail.
     */
    private void finishIndex() {
        long last = lastSeq.get();
        if (indexer.paused || indexer.indexedThrough() >= last || indexer.awaitThrough(last, CLOSE_INDEX_QUIET)) {
            return;
        }
        long startNanos = System.nanoTime();
        LOG.info("{}: indexing the last {} events before closing", file, last - indexer.indexedThrough());
        if (indexer.awaitThrough(last, CLOSE_INDEX_WAIT)) {
            LOG.info("{}: index complete after {} ms", file, (System.nanoTime() - startNanos) / 1_000_000);
        } else {
            LOG.warn("{}: closing with {} events not indexed; reading them scans their blocks", file,
                    last - indexer.indexedThrough());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw CaptureStoreException.of(file, "capture store is closed", null);
        }
    }

    @Override
    public void close() {
        if (!readOnly && !closed) {
            finishIndex();
        }
        synchronized (writeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        indexer.stop();
        readers.dispose();
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
