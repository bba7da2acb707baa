package io.eventlens.core.kafka;

/**
 * A capture's progress.
 *
 * @param events              events stored by this capture so far
 * @param bytes               payload bytes stored so far
 * @param eventsPerSecond     rate over the last second or so
 * @param elapsedMs           time since the capture started, in ms
 * @param brokerUnreachableMs how long the capture has had no connection to any broker of the
 *                            cluster, in ms; 0 while connected. Reported only once the outage has
 *                            lasted the connect timeout; the capture keeps retrying meanwhile
 */
public record CaptureStats(long events, long bytes, double eventsPerSecond, long elapsedMs, long brokerUnreachableMs) {

    /** Stats of a connected capture. */
    public CaptureStats(long events, long bytes, double eventsPerSecond, long elapsedMs) {
        this(events, bytes, eventsPerSecond, elapsedMs, 0);
    }

    /** True when the capture has lost every broker connection for at least the connect timeout. */
    public boolean brokerUnreachable() {
        return brokerUnreachableMs > 0;
    }
}
