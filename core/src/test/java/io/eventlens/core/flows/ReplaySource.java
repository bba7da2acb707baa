package io.eventlens.core.flows;

import io.eventlens.core.capture.CaptureSource;
import io.eventlens.core.capture.SourceBatch;
import io.eventlens.core.capture.SourceContext;
import io.eventlens.core.capture.SourceHealth;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.store.StreamPosition;
import java.time.Instant;
import java.util.List;

/** A finite source that delivers prepared events (derived fields included) in batches of a fixed size. */
final class ReplaySource implements CaptureSource {

    private final List<CapturedEvent> events;
    private final int batchSize;
    private volatile boolean opened;

    ReplaySource(List<CapturedEvent> events, int batchSize) {
        this.events = events;
        this.batchSize = batchSize;
    }

    @Override
    public String kind() {
        return "replay";
    }

    @Override
    public String endpoint() {
        return "replay of " + events.size() + " events";
    }

    @Override
    public void open(StoredPositions stored) {
        opened = true;
    }

    @Override
    public String sourceId() {
        return opened ? "replay" : null;
    }

    @Override
    public void run(SourceContext context) throws InterruptedException {
        for (int i = 0; i < events.size() && !context.stopping(); i += batchSize) {
            List<CapturedEvent> batch = events.subList(i, Math.min(events.size(), i + batchSize));
            long bytes = batch.stream().mapToLong(CapturedEvent::payloadSize).sum();
            context.deliver(new SourceBatch<>(batch, (e, capturedAt, derive) -> e, Instant.now(), bytes,
                    SourceBatch.BatchPositions.NONE, SourceBatch.Acknowledgement.NONE));
        }
    }

    @Override
    public SourceHealth health() {
        return SourceHealth.connected(endpoint());
    }

    @Override
    public String describe(StreamPosition position) {
        return position.stream();
    }

    @Override
    public void close() {
    }
}
