package io.eventlens.app.ui.services;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A remembered connection of the desktop app (README "Files and settings").
 *
 * @param kind     {@code kafka}, {@code amqp} or {@code probe}
 * @param name     the user's name for it, unique per kind
 * @param endpoint Kafka bootstrap servers ({@code host:port,...}), an AMQP URI without a password,
 *                 or a probe URL
 * @param channels topics (Kafka) or queues (AMQP) chosen last; any number
 * @param username the SASL or AMQP user name, or {@code null}
 * @param secret   where the password or token comes from, or {@code null}; never the secret itself
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Connection(String kind, String name, String endpoint, List<String> channels, String username,
                         SecretRef secret) {

    /** Kind and name are required; {@code channels} is copied ({@code null} → empty). */
    public Connection {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        endpoint = endpoint == null ? "" : endpoint;
        channels = channels == null ? List.of() : List.copyOf(channels);
    }
}
