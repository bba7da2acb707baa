package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventlens.core.model.CapturedEvent;
import io.eventlens.core.replay.ReplayEvents;
import io.eventlens.core.store.CaptureStore;
import io.eventlens.core.testkit.LocalRabbit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code eventlens replay --to-amqp} against the real RabbitMQ on 127.0.0.1:5672. */
class ReplayAmqpCommandTest {

    @RegisterExtension
    final LocalRabbit rabbit = new LocalRabbit();

    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFlowIsReplayedToTheMappedExchangeAndRoutingKeyInOrder() throws Exception {
        String exchange = rabbit.exchange("cli-replay", "direct");
        String queue = rabbit.queue("cli-replay-q", Map.of());
        rabbit.bind(queue, exchange, "order.created");
        Path capture = dir.resolve("amqp.mv.db");
        List<CapturedEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(ReplayEvents.order(i + 1, 0, "k", i * 5L, "c-amqp", "e-" + i, i + 1, "OrderPlaced"));
        }
        try (CaptureStore store = CaptureStore.open(capture)) {
            store.append(events, List.of());
        }
        CliRun run = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-amqp", "--to-amqp",
                "amqp://127.0.0.1:5672", "--target-env", "local", "--map", "orders=" + exchange + ":order.created",
                "--header", "x-replayed-by=test");
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(0);
        JsonNode json = JSON.readTree(run.out());
        assertThat(json.get("target").get("kind").asText()).isEqualTo("amqp");
        assertThat(json.get("sends").findValuesAsText("position")).containsOnly("confirmed");
        String fresh = json.get("replayCorrelationId").asText();
        List<String> bodies = rabbit.bodies(queue);
        assertThat(bodies).hasSize(4);
        for (int i = 0; i < bodies.size(); i++) {
            JsonNode b = JSON.readTree(bodies.get(i));
            assertThat(b.get("sequence").asInt()).isEqualTo(i + 1);
            assertThat(b.get("correlationId").asText()).isEqualTo(fresh);
        }

        CliRun refused = CliRun.of("replay", "--capture", capture.toString(), "--correlation-id", "c-amqp", "--to-amqp",
                "amqp://127.0.0.1:5672/prod", "--target-env", "test", "--map", "orders=" + exchange + ":order.created");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("virtual host").contains("production pattern");
        assertThat(rabbit.messageCount(queue)).as("only the first replay's messages").isEqualTo(4);
    }
}
