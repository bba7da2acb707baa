package io.eventlens.core.flowmodel;

/**
 * A flow file that cannot be read at all: unreadable, too large, or not well-formed YAML/JSON. The
 * message names the file and, where known, the line and column ({@code flows.yaml:7:3: ...}).
 * Problems within single flows are not thrown: {@link FlowFile#problems()} lists them and the
 * valid flows are kept.
 */
public final class FlowFileException extends RuntimeException {
    public FlowFileException(String message) {
        super(message);
    }

    public FlowFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
