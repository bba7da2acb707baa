package io.eventlens.core.capture;

/**
 * A capture source could not be reached or refused what was asked (an unknown topic, no
 * authorization). The message names the endpoint and what failed; the CLI exits with 3.
 */
public class SourceException extends RuntimeException {

    /** A failure with a message naming the endpoint. */
    public SourceException(String message) {
        super(message);
    }

    /** A failure with a message naming the endpoint, and its cause. */
    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
