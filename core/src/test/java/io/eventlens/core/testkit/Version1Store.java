package io.eventlens.core.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.flywaydb.core.Flyway;

/**
 * Builds a capture store as the first release wrote it: schema version 1 only (Flyway
 * {@code target("1")}), with Kafka positions in its {@code source_position} table.
 */
public final class Version1Store {

    private Version1Store() {
    }

    /** One V1 position row: the next offset of one partition of one topic of one cluster. */
    public record Row(String source, String channel, int partition, long nextOffset) {
    }

    /**
     * Creates {@code file} (without {@code .mv.db}) at schema version 1 holding {@code rows}.
     *
     * @return the file with {@code .mv.db}
     */
    public static Path create(Path file, Row... rows) throws Exception {
        String url = "jdbc:h2:file:" + file.toAbsolutePath();
        Flyway.configure(Version1Store.class.getClassLoader()).dataSource(url, "sa", "")
                .locations("classpath:db/migration").target("1").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO source_position (source, channel, partition_no, next_offset) VALUES (?, ?, ?, ?)")) {
            for (Row r : rows) {
                ps.setString(1, r.source());
                ps.setString(2, r.channel());
                ps.setInt(3, r.partition());
                ps.setLong(4, r.nextOffset());
                ps.executeUpdate();
            }
        }
        return file.resolveSibling(file.getFileName() + ".mv.db");
    }
}
