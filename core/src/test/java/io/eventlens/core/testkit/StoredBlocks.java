package io.eventlens.core.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

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

    private static Connection connect(Path mvFile) throws SQLException {
        String name = mvFile.toAbsolutePath().toString();
        String base = name.endsWith(".mv.db") ? name.substring(0, name.length() - ".mv.db".length()) : name;
        return DriverManager.getConnection("jdbc:h2:file:" + base + ";IFEXISTS=TRUE", "sa", "");
    }
}
