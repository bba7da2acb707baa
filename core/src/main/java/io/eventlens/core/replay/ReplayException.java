package io.eventlens.core.replay;

/**
 * A replay that cannot be planned or run: an event that cannot be mapped to a target channel, an
 * unreachable target, a missing target topic. The message names the event, channel or endpoint.
 */
public final class ReplayException extends RuntimeException {

    /** An error with this message. */
    public ReplayException(String message) {
        super(message);
    }

    /** An error with this message and cause. */
    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
