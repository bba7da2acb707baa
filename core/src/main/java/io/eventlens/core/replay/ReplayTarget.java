package io.eventlens.core.replay;

import io.eventlens.core.amqp.AmqpCaptureConfig;
import java.util.Map;
import java.util.Objects;

/**
 * Where a replay sends: a Kafka cluster or a RabbitMQ broker, with the environment label its
 * connection carries (null: unlabelled, which a replay refuses).
 */
public sealed interface ReplayTarget {

    /** {@code kafka} or {@code amqp}. */
    String kind();

    /** The target as people read it, without secrets: {@code Kafka at host:9092}, {@code RabbitMQ at amqp://host:5672 vhost /}. */
    String endpoint();

    /** The environment label, or null when the connection has none. */
    EnvironmentLabel label();

    /**
     * A Kafka cluster.
     *
     * @param bootstrapServers {@code bootstrap.servers}
     * @param clientProperties extra client properties (security); never logged in full
     * @param label            the environment label, or null
     */
    record Kafka(String bootstrapServers, Map<String, String> clientProperties, EnvironmentLabel label)
            implements ReplayTarget {
        public Kafka {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException("bootstrapServers: must not be blank (e.g. localhost:9092)");
            }
            bootstrapServers = bootstrapServers.strip();
            clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
        }

        @Override
        public String kind() {
            return "kafka";
        }

        @Override
        public String endpoint() {
            return "Kafka at " + bootstrapServers;
        }
    }

    /**
     * A RabbitMQ broker, through the connection settings of docs/decisions/0011-amqp-source.md (only
     * host, port, vhost, credentials, TLS and the connect timeout are used).
     *
     * @param connection the connection settings
     * @param label      the environment label, or null
     */
    record Amqp(AmqpCaptureConfig connection, EnvironmentLabel label) implements ReplayTarget {
        public Amqp {
            Objects.requireNonNull(connection, "connection");
        }

        @Override
        public String kind() {
            return "amqp";
        }

        @Override
        public String endpoint() {
            return connection.endpoint();
        }
    }
}
