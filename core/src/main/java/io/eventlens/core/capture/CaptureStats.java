package io.eventlens.core.capture;

/**
 * A capture's progress.
 *
 * @param events              events stored by this capture so far
 * @param bytes               payload bytes stored so far
 * @param eventsPerSecond     rate over the last second or so; in the final stats, the average
 *                            over the whole capture
 * @param elapsedMs           time since the capture started, in ms
 * @param sourceUnreachableMs how long the source has had no connection to its endpoint (for Kafka:
 *                            to any broker of the cluster), in ms; 0 while connected. Reported only
 *                            once the outage has lasted the source's grace
 *                            ({@link CaptureSource#outageGrace()}); the source keeps retrying meanwhile
 */
public record CaptureStats(long events, long bytes, double eventsPerSecond, long elapsedMs, long sourceUnreachableMs) {

    /** Stats of a connected capture. */
    public CaptureStats(long events, long bytes, double eventsPerSecond, long elapsedMs) {
        this(events, bytes, eventsPerSecond, elapsedMs, 0);
    }

    /** True when the source has been unreachable for at least its outage grace. */
    public boolean sourceUnreachable() {
        return sourceUnreachableMs > 0;
    }
}
