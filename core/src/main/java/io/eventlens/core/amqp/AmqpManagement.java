package io.eventlens.core.amqp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The few reads EventLens makes from RabbitMQ's management HTTP API (plugin
 * {@code rabbitmq_management}) where it is enabled: a queue's type, consumers, message count and
 * delivery limit, and a queue's bindings. Every method answers empty when the API cannot be read
 * (plugin off, refused, unreachable within 3 s): callers then fall back to what the user gave.
 */
final class AmqpManagement {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** What the API says about one queue. */
    record QueueInfo(String type, int consumers, long messages, Long deliveryLimit) {
    }

    private final String base;
    private final String vhost;
    private final String auth;
    private final HttpClient http;

    AmqpManagement(AmqpCaptureConfig config) {
        this.base = config.managementUrl().replaceAll("/+$", "");
        this.vhost = enc(config.virtualHost());
        this.auth = "Basic " + Base64.getEncoder().encodeToString(
                (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The base URL, for messages. */
    String url() {
        return base;
    }

    /** The queue's type ({@code classic}, {@code quorum}, {@code stream}), consumers, messages and delivery limit. */
    Optional<QueueInfo> queue(String name) {
        return get("/api/queues/" + vhost + "/" + enc(name)).map(q -> {
            Long limit = null;
            JsonNode arg = q.path("arguments").path("x-delivery-limit");
            JsonNode pol = q.path("effective_policy_definition").path("delivery-limit");
            if (arg.canConvertToLong()) {
                limit = arg.asLong();
            } else if (pol.canConvertToLong()) {
                limit = pol.asLong();
            }
            return new QueueInfo(q.path("type").asText("classic"), q.path("consumers").asInt(0),
                    q.path("messages").asLong(-1), limit);
        });
    }

    /** The queue's bindings (without the default exchange's implicit one), or empty when unknown. */
    Optional<List<AmqpCaptureConfig.Binding>> bindings(String queue) {
        return get("/api/queues/" + vhost + "/" + enc(queue) + "/bindings").map(array -> {
            List<AmqpCaptureConfig.Binding> out = new ArrayList<>();
            for (JsonNode b : array) {
                String source = b.path("source").asText("");
                if (!source.isEmpty()) {
                    out.add(new AmqpCaptureConfig.Binding(source, b.path("routing_key").asText("")));
                }
            }
            return out;
        });
    }

    /** The exchange's type ({@code direct}, {@code topic}, {@code fanout}, {@code headers}), or empty. */
    Optional<String> exchangeType(String exchange) {
        return get("/api/exchanges/" + vhost + "/" + enc(exchange)).map(e -> e.path("type").asText(null));
    }

    private Optional<JsonNode> get(String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                    .header("Authorization", auth).GET().build();
            HttpResponse<byte[]> resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (resp.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(resp.body()));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
