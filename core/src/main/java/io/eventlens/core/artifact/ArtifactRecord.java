package io.eventlens.core.artifact;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One event read from an artifact file, before extraction: what {@link ArtifactSource} delivers to
 * the capture pipeline.
 *
 * @param channel    the channel (a Kafka topic for kcat records, else a probe channel)
 * @param position   where it was read
 * @param observedAt the artifact's own recorded time of it (never the import time)
 * @param key        key bytes or {@code null}
 * @param headers    headers in recorded order
 * @param payload    payload bytes or {@code null}
 * @param capturedAt when EventLens first captured it (an {@code export} keeps it), or {@code null}
 *                   for the import's own capture time
 */
public record ArtifactRecord(Channel channel, SourcePosition position, Instant observedAt, byte[] key,
                             List<Header> headers, byte[] payload, Instant capturedAt) {

    /** A record captured now (its capture time is the import's). */
    public ArtifactRecord(Channel channel, SourcePosition position, Instant observedAt, byte[] key,
                          List<Header> headers, byte[] payload) {
        this(channel, position, observedAt, key, headers, payload, null);
    }

    public ArtifactRecord {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(observedAt, "observedAt");
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** Key, header and payload bytes: what the pipeline counts against its in-flight bound. */
    public long bytes() {
        long n = (key == null ? 0 : key.length) + (payload == null ? 0 : payload.length);
        for (Header h : headers) {
            n += h.name().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }
}
