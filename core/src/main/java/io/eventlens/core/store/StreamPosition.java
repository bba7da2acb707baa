package io.eventlens.core.store;

import java.util.Objects;

/**
 * Where one stream of a source resumes: an opaque token that only the source kind that wrote it
 * reads (docs/decisions/0006-capture-pipeline.md, "Positions are tokens"). The store keeps one
 * per {@code (source, stream)} and commits it in the same transaction as the events before it
 * (docs/decisions/0001-capture-store.md).
 *
 * <p>Kafka: {@code source} is the cluster ID (the bootstrap servers when the cluster has none),
 * {@code stream} is {@code "topic/partition"} and {@code token} the next offset to read, in
 * decimal. A source without replayable positions (an AMQP queue, a probe) stores none.
 *
 * @param source identifies one source instance, for example one Kafka cluster; not blank
 * @param stream one resumable stream of that source; not blank
 * @param token  the source's resume token for the stream; not null
 */
public record StreamPosition(String source, String stream, String token) {

    /**
     * @throws NullPointerException     when a component is null
     * @throws IllegalArgumentException when {@code source} or {@code stream} is blank
     */
    public StreamPosition {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(token, "token");
        if (source.isBlank()) {
            throw new IllegalArgumentException("source: must not be blank");
        }
        if (stream.isBlank()) {
            throw new IllegalArgumentException("stream: must not be blank (source " + source + ")");
        }
    }
}
