package io.eventlens.core.kafka;

import io.eventlens.core.capture.CaptureLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a Kafka capture reads: bootstrap servers, topics (or a topic pattern), where to start,
 * and when to stop ({@link #limits()}, which the {@link io.eventlens.core.capture.CapturePipeline}
 * applies; {@link KafkaSource} reads the rest). Immutable; build with {@link #builder(String)}, validated by
 * {@link Builder#build()} with messages that name the bad field.
 *
 * @param bootstrapServers Kafka {@code bootstrap.servers}, e.g. {@code localhost:9092}
 * @param topics           topics to capture; empty when {@link #topicPattern()} is set
 * @param topicPattern     a regex of topics to capture, or {@code null}
 * @param startPosition    where each partition starts
 * @param maxEvents        stop after this many events (0 = no limit)
 * @param duration         stop after this long (null = until stopped)
 * @param connectTimeout   how long to wait for the cluster before failing (default 10 s)
 * @param clientProperties extra Kafka client properties (security, SASL, ...); {@link #toString()}
 *                         hides their secret values ({@link ClientProperties#redacted})
 */
public record KafkaCaptureConfig(
        String bootstrapServers,
        List<String> topics,
        Pattern topicPattern,
        StartPosition startPosition,
        long maxEvents,
        Duration duration,
        Duration connectTimeout,
        Map<String, String> clientProperties) {

    public KafkaCaptureConfig {
        Objects.requireNonNull(startPosition, "startPosition");
        topics = List.copyOf(topics);
        clientProperties = Map.copyOf(clientProperties);
    }

    /** When the capture ends by itself: {@link #maxEvents()} and {@link #duration()}. */
    public CaptureLimits limits() {
        return new CaptureLimits(maxEvents, duration);
    }

    /** A copy that starts at {@code position} (for example {@link StartPosition.Resume} to restart a stopped capture). */
    public KafkaCaptureConfig withStartPosition(StartPosition position) {
        return new KafkaCaptureConfig(bootstrapServers, topics, topicPattern, position, maxEvents, duration,
                connectTimeout, clientProperties);
    }

    /** The configuration with the values of secret client properties hidden: safe for logs. */
    @Override
    public String toString() {
        return "KafkaCaptureConfig[bootstrapServers=" + bootstrapServers + ", topics=" + topics
                + ", topicPattern=" + topicPattern + ", startPosition=" + startPosition + ", maxEvents=" + maxEvents
                + ", duration=" + duration + ", connectTimeout=" + connectTimeout
                + ", clientProperties=" + ClientProperties.redacted(clientProperties) + "]";
    }

    /** A builder for a capture from these bootstrap servers. */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Fluent builder; {@link #build()} validates. */
    public static final class Builder {
        private final String bootstrapServers;
        private final List<String> topics = new java.util.ArrayList<>();
        private Pattern topicPattern;
        private StartPosition startPosition = new StartPosition.Earliest();
        private long maxEvents;
        private Duration duration;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private final Map<String, String> clientProperties = new java.util.LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
        }

        /** Adds topics to capture. */
        public Builder topics(java.util.Collection<String> names) {
            topics.addAll(names);
            return this;
        }

        /** Adds one topic to capture. */
        public Builder topic(String name) {
            topics.add(name);
            return this;
        }

        /** Captures every topic matching this regex (instead of named topics). */
        public Builder topicPattern(Pattern pattern) {
            this.topicPattern = pattern;
            return this;
        }

        /** Where each partition starts (default earliest). */
        public Builder startPosition(StartPosition position) {
            this.startPosition = position;
            return this;
        }

        /** Stop after this many events (0 = no limit). */
        public Builder maxEvents(long max) {
            this.maxEvents = max;
            return this;
        }

        /** Stop after this long (null = until stopped). */
        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        /** How long to wait for the cluster before failing (default 10 s). */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** An extra Kafka client property. */
        public Builder clientProperty(String name, String value) {
            clientProperties.put(name, value);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException naming the bad field: blank bootstrap servers, no topics
         *                                  and no pattern, negative max events, non-positive durations
         */
        public KafkaCaptureConfig build() {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers: must not be blank (e.g. localhost:9092)");
            }
            if (topics.isEmpty() && topicPattern == null) {
                throw new IllegalArgumentException("topics: name at least one topic or a topic pattern");
            }
            if (!topics.isEmpty() && topicPattern != null) {
                throw new IllegalArgumentException("topics: give named topics or a topic pattern, not both");
            }
            for (String t : topics) {
                if (t == null || t.isBlank()) {
                    throw new IllegalArgumentException("topics: a topic name must not be blank");
                }
            }
            if (maxEvents < 0) {
                throw new IllegalArgumentException("maxEvents: must be 0 (no limit) or more, was " + maxEvents);
            }
            if (duration != null && (duration.isNegative() || duration.isZero())) {
                throw new IllegalArgumentException("duration: must be positive, was " + duration);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout: must be positive, was " + connectTimeout);
            }
            return new KafkaCaptureConfig(bootstrapServers.trim(), List.copyOf(new java.util.LinkedHashSet<>(topics)),
                    topicPattern, startPosition, maxEvents, duration, connectTimeout, clientProperties);
        }
    }
}
