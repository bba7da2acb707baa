package io.eventlens.core.flowmodel;

import io.eventlens.core.analysis.Timeline;
import io.eventlens.core.analysis.TimelineAnalyzer;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: a synthetic capture of flows with known families. Each flow is a list of steps
 * ({@code Type@channel}) with the observed time of each, in ms after {@link #T0}.
 */
final class SyntheticFlows {

    static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");

    private final List<CapturedEvent> events = new ArrayList<>();
    private long seq;

    /** Adds a flow: {@code steps[i]} ({@code "OrderPlaced@orders"}) observed at {@code atMs[i]}. */
    SyntheticFlows flow(String correlationId, String[] steps, long[] atMs) {
        for (int i = 0; i < steps.length; i++) {
            String[] tc = steps[i].split("@");
            add(correlationId, tc[0], tc[1], atMs[i]);
        }
        return this;
    }

    /** Adds one event. */
    SyntheticFlows add(String correlationId, String type, String channel, long atMs) {
        seq++;
        Channel ch = Channel.kafkaTopic(channel);
        String eventId = correlationId + "-" + seq;
        byte[] payload = ("{\"type\":\"" + type + "\",\"n\":" + seq + "}").getBytes(StandardCharsets.UTF_8);
        DerivedFields d = new DerivedFields(new Derived<>(correlationId, "header correlationId"),
                new Derived<>(eventId, "header eventId"), new Derived<>(type, "json /type"), null, null, null);
        Instant at = T0.plusMillis(atMs);
        events.add(new CapturedEvent(seq, ch, new SourcePosition.Kafka(0, seq, TimestampType.CREATE_TIME), at, at,
                correlationId.getBytes(StandardCharsets.UTF_8),
                List.of(Header.ofString("correlationId", correlationId), Header.ofString("eventId", eventId)),
                payload, d));
        return this;
    }

    List<CapturedEvent> events() {
        return events;
    }

    /** The events of each correlation ID, in store order. */
    Map<String, List<CapturedEvent>> byFlow() {
        Map<String, List<CapturedEvent>> out = new LinkedHashMap<>();
        for (CapturedEvent e : events) {
            out.computeIfAbsent(e.derived().correlationIdValue(), k -> new ArrayList<>()).add(e);
        }
        return out;
    }

    /** Learns the model from every flow, as {@link FlowModelLearner#learn(io.eventlens.core.store.CaptureStore, FlowModelSettings, java.util.function.LongConsumer, java.util.function.BooleanSupplier)} does from a store. */
    FlowModel learn(FlowModelSettings settings) {
        List<FlowPath> paths = new ArrayList<>();
        byFlow().forEach((id, list) -> {
            List<CapturedEvent> sorted = new ArrayList<>(list);
            sorted.sort(Comparator.comparing(CapturedEvent::observedAt).thenComparingLong(CapturedEvent::seq));
            paths.add(FlowPath.of(id, sorted));
        });
        long start = events.stream().mapToLong(FlowPath::nanos).min().orElse(0);
        long end = events.stream().mapToLong(FlowPath::nanos).max().orElse(0);
        return FlowModelLearner.learn(paths, start, end, settings);
    }

    FlowModel learn() {
        return learn(FlowModelSettings.defaults());
    }

    /** The judged timeline of one flow. */
    Timeline timeline(FlowModel model, String correlationId) {
        Timeline t = TimelineAnalyzer.withDefaults().analyze(correlationId, byFlow().getOrDefault(correlationId, List.of()));
        return new FlowJudge(model).apply(t);
    }

    static String[] steps(String... s) {
        return s;
    }

    static long[] at(long... ms) {
        return ms;
    }
}
