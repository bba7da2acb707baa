package io.eventlens.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The empty capture store that a new capture file starts from: a store that Flyway migrated to the
 * newest schema, made when EventLens is built (Maven's {@code process-classes} phase runs
 * {@link #main}) and shipped as the resource {@value #RESOURCE}. Creating a store copies it instead
 * of running Flyway, which took about 0.2 s of every capture's start
 * (docs/decisions/0001-capture-store.md, "A new store from a template").
 *
 * <p>The template is EventLens's own file, not one from a stranger; it is still opened like any
 * other existing file, through {@link CaptureFileCheck}.
 */
public final class CaptureTemplate {

    /** The class-path resource of the template. */
    static final String RESOURCE = "store/template/capture.mv.db";

    private CaptureTemplate() {
    }

    /**
     * Writes the template: Flyway migrates a new store at {@code args[0]} (a {@code .mv.db} path,
     * replaced when it exists) to the newest schema, then H2 compacts and closes it.
     *
     * @throws IOException  when the file cannot be replaced
     * @throws SQLException when H2 cannot create or compact it
     */
    public static void main(String[] args) throws IOException, SQLException {
        if (args.length != 1 || !args[0].endsWith(".mv.db")) {
            throw new IllegalArgumentException("usage: CaptureTemplate <file>.mv.db");
        }
        // Flyway reports each migration at INFO through java.util.logging in a Maven build: keep it to warnings
        java.util.logging.Logger flywayLog = java.util.logging.Logger.getLogger("org.flywaydb");
        flywayLog.setLevel(java.util.logging.Level.WARNING);
        Path out = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        String url = H2CaptureStore.url(out);
        H2CaptureStore.migrate(out, url);
        try (Connection c = org.h2.Driver.load().connect(url, H2CaptureStore.credentials()); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
    }

    /**
     * Creates {@code mvFile} as a copy of the template, through a temporary file in the same folder
     * moved into place (a process stopped meanwhile leaves no half file under that name).
     *
     * @param mvFile the new store's {@code .mv.db} path, absolute; its folder exists
     * @return false when this build has no template (a class path without the built resources, as
     *         in some IDE runs): the caller then migrates a new file itself
     * @throws IOException when the copy cannot be written
     */
    static boolean copyTo(Path mvFile) throws IOException {
        try (InputStream in = CaptureTemplate.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return false;
            }
            Path tmp = Files.createTempFile(mvFile.getParent(), "." + mvFile.getFileName(), ".tmp");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, mvFile, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return true;
        }
    }
}
