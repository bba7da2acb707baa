package io.eventlens.core.replay;

import io.eventlens.core.extract.ExtractionRules;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a replay does to the selected events (docs/reference/replay.md). Immutable; build with
 * {@link #builder()}.
 *
 * @param channelMap        source channel name → target: a Kafka topic, or for AMQP
 *                          {@code EXCHANGE} or {@code EXCHANGE:ROUTING_KEY}; channels not named
 *                          here go to the channel of the same name
 * @param freshCorrelationId write one fresh correlation ID for the whole set (default true)
 * @param correlationId     the fresh correlation ID to use, or null to generate one (32 lowercase
 *                          hex digits, also valid as a W3C trace-id)
 * @param keepEventIds      keep event IDs (to test consumers' idempotency) instead of renewing them
 * @param setHeaders        headers added or overridden, by name (case-insensitive override)
 * @param removeHeaders     header names removed (case-insensitive)
 * @param keepPartitions    keep each Kafka event's partition (default true); off: the key decides
 * @param redrive           send dead-lettered events back to their original channel as their
 *                          dead-letter headers name it, instead of through {@code channelMap}
 * @param keepDeadLetterHeaders keep the dead-letter headers of redriven events (default: stripped)
 * @param shiftEventTimes   move each declared event time by as much as the replay moves its event
 *                          (planned send time − original observed time), so the replayed flow is not
 *                          judged late by its old times (default true)
 * @param repeat            send the whole set this many times, 1 to 1000
 * @param timing            when each send is due
 * @param rules             the extraction rules that found the correlation and event IDs
 */
public record ReplayOptions(Map<String, String> channelMap, boolean freshCorrelationId, String correlationId,
                            boolean keepEventIds, Map<String, String> setHeaders, Set<String> removeHeaders,
                            boolean keepPartitions, boolean redrive, boolean keepDeadLetterHeaders, boolean shiftEventTimes, int repeat,
                            ReplayTiming timing, ExtractionRules rules) {

    /** The most repeats of a set. */
    public static final int MAX_REPEAT = 1000;

    /** @throws IllegalArgumentException naming the field when a value is out of range */
    public ReplayOptions {
        channelMap = Map.copyOf(channelMap);
        setHeaders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(setHeaders));
        removeHeaders = Set.copyOf(removeHeaders);
        if (repeat < 1 || repeat > MAX_REPEAT) {
            throw new IllegalArgumentException("repeat: must be 1 to " + MAX_REPEAT + ", was " + repeat);
        }
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(rules, "rules");
        if (correlationId != null && correlationId.isBlank()) {
            throw new IllegalArgumentException("correlation ID: must not be blank");
        }
        for (String name : setHeaders.keySet()) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("header to set: name must not be blank");
            }
        }
    }

    /** A builder with the defaults: fresh correlation ID, event IDs renewed, partitions kept, once, as fast as possible. */
    public static Builder builder() {
        return new Builder();
    }

    /** Fluent builder. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> channelMap = new LinkedHashMap<>();
        private boolean freshCorrelationId = true;
        private String correlationId;
        private boolean keepEventIds;
        private final Map<String, String> setHeaders = new LinkedHashMap<>();
        private final Set<String> removeHeaders = new LinkedHashSet<>();
        private boolean keepPartitions = true;
        private boolean redrive;
        private boolean keepDeadLetterHeaders;
        private boolean shiftEventTimes = true;
        private int repeat = 1;
        private ReplayTiming timing = ReplayTiming.AS_FAST_AS_POSSIBLE;
        private ExtractionRules rules = ExtractionRules.defaults();

        private Builder() {
        }

        /** Maps a source channel to a target (topic, or {@code EXCHANGE[:ROUTING_KEY]}). */
        public Builder map(String source, String target) {
            channelMap.put(Objects.requireNonNull(source, "source"), Objects.requireNonNull(target, "target"));
            return this;
        }

        /** Writes a fresh correlation ID (default) or keeps the original. */
        public Builder freshCorrelationId(boolean fresh) {
            this.freshCorrelationId = fresh;
            return this;
        }

        /** The fresh correlation ID to use (default: generated). */
        public Builder correlationId(String id) {
            this.correlationId = id;
            return this;
        }

        /** Keeps event IDs instead of renewing them. */
        public Builder keepEventIds(boolean keep) {
            this.keepEventIds = keep;
            return this;
        }

        /** Adds or overrides a header. */
        public Builder setHeader(String name, String value) {
            setHeaders.put(name, value);
            return this;
        }

        /** Removes a header. */
        public Builder removeHeader(String name) {
            removeHeaders.add(name);
            return this;
        }

        /** Keeps Kafka partitions (default) or lets the key decide. */
        public Builder keepPartitions(boolean keep) {
            this.keepPartitions = keep;
            return this;
        }

        /** Redrives dead-lettered events to their original channel. */
        public Builder redrive(boolean r) {
            this.redrive = r;
            return this;
        }

        /** Keeps the dead-letter headers of redriven events. */
        public Builder keepDeadLetterHeaders(boolean keep) {
            this.keepDeadLetterHeaders = keep;
            return this;
        }

        /** Shifts declared event times with the replay (default) or keeps them. */
        public Builder shiftEventTimes(boolean shift) {
            this.shiftEventTimes = shift;
            return this;
        }

        /** Sends the set this many times. */
        public Builder repeat(int n) {
            this.repeat = n;
            return this;
        }

        /** The timing. */
        public Builder timing(ReplayTiming t) {
            this.timing = t;
            return this;
        }

        /** The extraction rules (default: docs/reference/extraction-rules.md). */
        public Builder rules(ExtractionRules r) {
            this.rules = r;
            return this;
        }

        /** @throws IllegalArgumentException naming the field when a value is out of range */
        public ReplayOptions build() {
            return new ReplayOptions(channelMap, freshCorrelationId, correlationId, keepEventIds, setHeaders,
                    removeHeaders, keepPartitions, redrive, keepDeadLetterHeaders, shiftEventTimes, repeat, timing, rules);
        }
    }
}
