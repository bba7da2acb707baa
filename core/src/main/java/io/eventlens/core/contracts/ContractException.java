package io.eventlens.core.contracts;

import java.nio.file.Path;

/**
 * Contracts could not be loaded: a schema, AsyncAPI or mapping file is missing, damaged, refers to
 * something that is not among the given files, or breaks the mapping-file rules
 * (docs/reference/contracts.md). The message names the file and, where known, the line or entry.
 */
public final class ContractException extends Exception {

    private final transient Path file;

    /**
     * @param file    the file at fault, or null when the problem is not one file's
     * @param message what is wrong, starting with the file's name when there is one
     */
    public ContractException(Path file, String message) {
        super(message);
        this.file = file;
    }

    /** Same, with the cause. */
    public ContractException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file at fault, or null. */
    public Path file() {
        return file;
    }
}
