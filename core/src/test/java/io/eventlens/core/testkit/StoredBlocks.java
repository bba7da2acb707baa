package io.eventlens.core.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and rewrites the {@code data} of one {@code event_block} row of a closed capture store
 * with plain H2 JDBC: how tests damage a genuine store file.
 */
public final class StoredBlocks {

    private StoredBlocks() {
    }

    /** The stored bytes of the block whose first sequence is {@code firstSeq}. */
    public static byte[] read(Path mvFile, long firstSeq) throws SQLException {
        try (Connection c = connect(mvFile);
             PreparedStatement ps = c.prepareStatement("SELECT data FROM event_block WHERE first_seq = ?")) {
            ps.setLong(1, firstSeq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("no block " + firstSeq + " in " + mvFile);
                }
                return rs.getBytes(1);
            }
        }
    }

    /** Replaces the stored bytes of the block whose first sequence is {@code firstSeq}. */
    public static void replace(Path mvFile, long firstSeq, byte[] data) throws SQLException {
        try (Connection c = connect(mvFile);
             PreparedStatement ps = c.prepareStatement("UPDATE event_block SET data = ? WHERE first_seq = ?")) {
            ps.setBytes(1, data);
            ps.setLong(2, firstSeq);
            if (ps.executeUpdate() != 1) {
                throw new IllegalArgumentException("no block " + firstSeq + " in " + mvFile);
            }
        }
    }

    /**
     * The first sequences of the blocks that have no {@code block_key} row (schema version 3),
     * ascending.
     */
    public static List<Long> blocksWithoutKeys(Path mvFile) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = connect(mvFile);
             ResultSet rs = c.createStatement().executeQuery("SELECT b.first_seq FROM event_block b LEFT JOIN block_key k"
                     + " ON k.first_seq = b.first_seq WHERE k.first_seq IS NULL ORDER BY b.first_seq")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** The number of rows of {@code table}. */
    public static long count(Path mvFile, String table) throws SQLException {
        try (Connection c = connect(mvFile);
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Replaces column {@code column} of the {@code block_key} row of block {@code firstSeq} (every
     * block when {@code firstSeq} is 0) with {@code value}.
     */
    public static void replaceKeys(Path mvFile, long firstSeq, String column, byte[] value) throws SQLException {
        try (Connection c = connect(mvFile);
             PreparedStatement ps = c.prepareStatement("UPDATE block_key SET " + column + " = ?"
                     + (firstSeq == 0 ? "" : " WHERE first_seq = " + firstSeq))) {
            ps.setBytes(1, value);
            if (ps.executeUpdate() == 0) {
                throw new IllegalArgumentException("no block_key row " + firstSeq + " in " + mvFile);
            }
        }
    }

    private static Connection connect(Path mvFile) throws SQLException {
        String name = mvFile.toAbsolutePath().toString();
        String base = name.endsWith(".mv.db") ? name.substring(0, name.length() - ".mv.db".length()) : name;
        return DriverManager.getConnection("jdbc:h2:file:" + base + ";IFEXISTS=TRUE", "sa", "");
    }
}
