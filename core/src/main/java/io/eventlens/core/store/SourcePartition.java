package io.eventlens.core.store;

import java.util.Objects;

/**
 * One resumable stream of a source: for Kafka, one partition of one topic of one cluster.
 *
 * @param source    identifies the cluster or broker (Kafka: the cluster ID when known, else the
 *                  bootstrap servers as given)
 * @param channel   topic (or queue) name
 * @param partition partition number (0 for sources without partitions)
 */
public record SourcePartition(String source, String channel, int partition) {
    public SourcePartition {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(channel, "channel");
    }
}
