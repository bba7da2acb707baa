package io.eventlens.core.capture;

import java.time.Instant;
import java.util.Objects;

/**
 * A source's connection state.
 *
 * @param endpoint  the source's endpoint ({@link CaptureSource#endpoint()})
 * @param lostSince when the source last lost its connection to the endpoint and has not regained it
 *                  since; {@code null} while connected
 */
public record SourceHealth(String endpoint, Instant lostSince) {

    public SourceHealth {
        Objects.requireNonNull(endpoint, "endpoint");
    }

    /** Connected to {@code endpoint}. */
    public static SourceHealth connected(String endpoint) {
        return new SourceHealth(endpoint, null);
    }

    /** Without a connection to {@code endpoint} since {@code since}. */
    public static SourceHealth lost(String endpoint, Instant since) {
        return new SourceHealth(endpoint, Objects.requireNonNull(since, "since"));
    }

    /** True while connected. */
    public boolean isConnected() {
        return lostSince == null;
    }
}
