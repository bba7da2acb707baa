package io.eventlens.core.flows;

import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.model.Channel;
import io.eventlens.core.model.Derived;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import io.eventlens.core.model.SourcePosition;
import io.eventlens.core.model.TimestampType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Captures of many interleaved flows, each with one of the faults the analysis knows (or none), in
 * a seeded random store order so that every flow's events are spread over the whole capture.
 */
final class FlowScenarios {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    private FlowScenarios() {
    }

    /** A capture: its events in store order (seq 0) and its correlation IDs. */
    record Capture(List<CapturedEvent> events, Set<String> correlationIds) {
    }

    /**
     * {@code flows} flows of 3 to 12 events each, shuffled together with {@code seed}; about half are
     * healthy, the others dead-lettered, duplicated, conflicting, out of order, lagging or restarted.
     */
    static Capture mixed(int flows, long seed) {
        Random r = new Random(seed);
        List<CapturedEvent> all = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        long[] offsets = new long[8];
        for (int f = 0; f < flows; f++) {
            String id = "flow-" + f;
            ids.add(id);
            long base = f * 50L;
            int steps = 3 + r.nextInt(10);
            int fault = r.nextInt(12);
            int partition = r.nextInt(3);
            for (int s = 0; s < steps; s++) {
                long at = base + s * 100L + (fault == 5 && s == steps - 1 ? 3_000 : 0);
                long sequence = fault == 4 && s == 2 ? 0 : s + 1;   // 1, 2, 0, 4: a regression to 0 is a restart
                if (fault == 6 && s == steps - 1) {
                    sequence = 2;                                    // 1, 2, 3, .., 2: out of order
                }
                String topic = s % 3 == 0 ? "orders" : s % 3 == 1 ? "payments" : "inventory";
                all.add(event(topic, partition, offsets, at, id, id + "-e" + s, sequence, "{\"step\":" + s + "}"));
            }
            switch (fault) {
                case 1 -> all.add(event("orders.DLT", 0, offsets, base + steps * 100L, id, id + "-e0", 1, "{\"step\":0}"));
                case 2 -> all.add(event("orders", partition, offsets, base + 10, id, id + "-e0", 1, "{\"step\":0}"));
                case 3 -> all.add(event("orders", partition, offsets, base + 20, id, id + "-e0", 1, "{\"step\":\"other\"}"));
                default -> { }
            }
        }
        Collections.shuffle(all, r);
        return new Capture(all, ids);
    }

    /** One event on {@code topic}/{@code partition} at the next offset there, observed {@code atMs} after T0. */
    static CapturedEvent event(String topic, int partition, long[] offsets, long atMs, String correlationId,
                               String eventId, long sequence, String payload) {
        long offset = offsets[Math.floorMod((topic + partition).hashCode(), offsets.length)]++;
        Instant observed = T0.plusMillis(atMs);
        DerivedFields derived = new DerivedFields(
                new Derived<>(correlationId, "header correlationId"),
                new Derived<>(eventId, "header eventId"),
                new Derived<>("Step", "json /type"),
                null,
                new Derived<>(sequence, "json /sequence"),
                null);
        return new CapturedEvent(0, Channel.kafkaTopic(topic),
                new SourcePosition.Kafka(partition, offset, TimestampType.CREATE_TIME), observed, observed,
                ("key-" + correlationId).getBytes(StandardCharsets.UTF_8),
                List.of(Header.ofString("correlationId", correlationId), Header.ofString("eventId", eventId)),
                payload.getBytes(StandardCharsets.UTF_8), derived);
    }
}
