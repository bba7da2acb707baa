package io.eventlens.core.store;

import java.nio.file.Path;

/** A capture store could not be opened, read or written. The message names the file. */
public class CaptureStoreException extends RuntimeException {

    public CaptureStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public CaptureStoreException(String message) {
        super(message);
    }

    /** An exception whose message starts with the store file. */
    public static CaptureStoreException of(Path file, String what, Throwable cause) {
        return new CaptureStoreException(file + ": " + what
                + (cause != null && cause.getMessage() != null ? ": " + cause.getMessage() : ""), cause);
    }
}
