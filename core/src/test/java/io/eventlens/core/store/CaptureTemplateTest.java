package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template a new store is copied from ({@link CaptureTemplate}, made by the build) is a store
 * at the newest schema that Flyway agrees is up to date, and a store is only migrated by Flyway
 * when its history does not record the newest version.
 */
class CaptureTemplateTest {

    @TempDir
    Path dir;

    private Path templateCopy() throws IOException {
        Path copy = dir.resolve("template.mv.db");
        try (InputStream in = CaptureTemplate.class.getClassLoader().getResourceAsStream(CaptureTemplate.RESOURCE)) {
            assertThat(in).as("the build made " + CaptureTemplate.RESOURCE).isNotNull();
            Files.copy(in, copy);
        }
        return copy;
    }

    private static String url(Path mvFile) {
        return "jdbc:h2:file:" + mvFile.toString().replaceFirst("\\.mv\\.db$", "") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** Flyway's history rows of a closed store: version, checksum and installed_on. */
    private static List<String> history(Path mvFile) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url(mvFile), "sa", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"version\", \"checksum\", \"installed_on\" FROM \"flyway_schema_history\""
                     + " ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
        }
        return out;
    }

    @Test
    void theTemplateIsAStoreAtTheNewestSchemaThatFlywayFindsUpToDate() throws IOException {
        Path copy = templateCopy();

        assertThat(CaptureFileCheck.check(copy)).isEqualTo(CaptureFileCheck.latestVersion());
        Flyway flyway = StoreSchemaGoldenTest.flyway(copy, null);
        assertThat(flyway.info().pending()).as("migrations the template lacks").isEmpty();
        assertThat(flyway.validateWithResult().validationSuccessful).as("Flyway's validation of the template").isTrue();
    }

    @Test
    void aNewStoreIsACopyOfTheTemplateNotMigratedAgain() throws Exception {
        List<String> template = history(templateCopy());
        Path file = dir.resolve("sub").resolve("new.mv.db");

        try (H2CaptureStore store = H2CaptureStore.open(file)) {
            assertThat(store.eventCount()).isZero();
        }

        assertThat(history(file)).as("Flyway's history, installation times included").isEqualTo(template);
        try (var names = Files.list(file.getParent())) {
            assertThat(names.map(p -> p.getFileName().toString())).as("no temporary copy left beside it")
                    .containsExactly("new.mv.db");
        }
    }

    @Test
    void aStoreWhoseHistoryLacksTheNewestVersionIsLeftToFlyway() throws Exception {
        Path file = templateCopy();
        try (Connection c = DriverManager.getConnection(url(file), "sa", ""); Statement st = c.createStatement()) {
            st.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + CaptureFileCheck.latestVersion() + "'");
        }

        // the definitions are the newest schema's, so Flyway's attempt to apply its last migration again fails
        assertThatThrownBy(() -> H2CaptureStore.open(file).close())
                .isInstanceOf(CaptureStoreException.class)
                .hasMessageContaining("schema migration failed");
    }
}
