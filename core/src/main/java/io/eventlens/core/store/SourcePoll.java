package io.eventlens.core.store;

import java.util.Objects;

/**
 * One poll of a polled source (an HTTP test-probe endpoint), as the capture store keeps it
 * (table {@code source_poll}, schema version 5; docs/decisions/0019-probe-source.md).
 *
 * @param source     the source's ID (a probe: its base URL)
 * @param stream     what was polled (a probe: the correlation ID asked for)
 * @param polledAtMs when the poll was sent, epoch milliseconds
 * @param status     the HTTP status, or 0 when no answer came (connection refused, timeout)
 * @param latencyMs  from sending the request to the end of the answer's body (or the failure), ms
 * @param records    records the answer held
 * @param newRecords records not seen by an earlier poll (stored as new observations)
 * @param error      what was wrong with the answer, quoting at most its first 200 characters; null when nothing
 */
public record SourcePoll(String source, String stream, long polledAtMs, int status, long latencyMs, int records,
                         int newRecords, String error) {

    /** Longest error text kept, in characters. */
    public static final int MAX_ERROR_CHARS = 2000;

    /**
     * @throws NullPointerException     when {@code source} or {@code stream} is null
     * @throws IllegalArgumentException when a count or the latency is negative
     */
    public SourcePoll {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(stream, "stream");
        if (latencyMs < 0 || records < 0 || newRecords < 0) {
            throw new IllegalArgumentException("latencyMs, records and newRecords must be >= 0");
        }
        if (error != null && error.length() > MAX_ERROR_CHARS) {
            error = error.substring(0, MAX_ERROR_CHARS);
        }
    }

    /** True when the poll got an answer it could read. */
    public boolean ok() {
        return error == null;
    }
}
