package io.eventlens.core.kafka;

/**
 * A capture's progress.
 *
 * @param events        events stored by this capture so far
 * @param bytes         payload bytes stored so far
 * @param eventsPerSecond rate over the last second or so
 * @param elapsedMs     time since the capture started, in ms
 */
public record CaptureStats(long events, long bytes, double eventsPerSecond, long elapsedMs) {
}
