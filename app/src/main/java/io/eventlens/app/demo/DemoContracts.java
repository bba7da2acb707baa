package io.eventlens.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The contracts of the demo's checkout saga: a mapping file and an AsyncAPI 3 document describing
 * every event {@link SagaSimulator} produces (class-path resources of this package's
 * {@code contracts/} folder). The saga's unparseable poison order ({@code "total": "123,45"}) breaks
 * them at {@code /total}, so the demo shows a contract violation linked to its dead letter
 * (docs/reference/contracts.md).
 */
public final class DemoContracts {

    /** The files, written side by side. */
    public static final List<String> FILES = List.of("eventlens-contracts.yaml", "checkout-saga.asyncapi.yaml");

    private DemoContracts() {
    }

    /**
     * Writes the demo contracts into a folder (created when missing; the files are replaced).
     *
     * @return the folder, to give to {@code --contracts} or {@code Contracts.load}
     * @throws UncheckedIOException when a file cannot be written
     */
    public static Path writeTo(Path folder) {
        try {
            Files.createDirectories(folder);
            for (String name : FILES) {
                try (InputStream in = DemoContracts.class.getResourceAsStream("contracts/" + name)) {
                    if (in == null) {
                        throw new IOException("the demo contract " + name + " is missing from the application");
                    }
                    Files.copy(in, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo contracts to " + folder, e);
        }
    }
}
