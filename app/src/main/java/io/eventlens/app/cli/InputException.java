package io.eventlens.app.cli;

/**
 * An input error of a CLI command (exit code {@link ExitCodes#INPUT}): a missing or unreadable
 * file, an unreachable broker. The message names the file or endpoint and is printed as is.
 */
public final class InputException extends RuntimeException {

    /** An input error with this message (it names the file or endpoint). */
    public InputException(String message) {
        super(message);
    }

    /** An input error with this message (it names the file or endpoint) and its cause. */
    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
