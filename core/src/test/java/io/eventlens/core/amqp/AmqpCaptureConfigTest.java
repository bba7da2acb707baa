package io.eventlens.core.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmqpCaptureConfigTest {

    @Test
    void aUriGivesHostPortVhostUserAndPasswordWhichToStringHides() {
        AmqpCaptureConfig.Builder b = AmqpCaptureConfig.builder().uri("amqps://bob:s%40cret@broker.example:5679/shop%2Fv1")
                .exchange("orders", List.of());
        AmqpCaptureConfig c = b.build();
        assertThat(c.host()).isEqualTo("broker.example");
        assertThat(c.port()).isEqualTo(5679);
        assertThat(c.virtualHost()).isEqualTo("shop/v1");
        assertThat(c.username()).isEqualTo("bob");
        assertThat(c.password()).isEqualTo("s@cret");
        assertThat(c.tls()).isTrue();
        assertThat(b.passwordInUri()).isTrue();
        assertThat(c.toString()).doesNotContain("s@cret").contains("password=***");
        assertThat(c.endpoint()).isEqualTo("RabbitMQ at amqps://broker.example:5679 vhost shop/v1");
        assertThat(c.managementUrl()).isEqualTo("https://broker.example:15672");
    }

    @Test
    void defaultsAreLocalGuestOnTheDefaultVhost() {
        AmqpCaptureConfig.Builder b = AmqpCaptureConfig.builder().uri("amqp://localhost").browseQueue("q.dlq");
        AmqpCaptureConfig c = b.build();
        assertThat(c.port()).isEqualTo(5672);
        assertThat(c.virtualHost()).isEqualTo("/");
        assertThat(c.username()).isEqualTo("guest");
        assertThat(b.passwordInUri()).isFalse();
        assertThat(c.browseOnly()).isTrue();
    }

    @Test
    void badFieldsAreNamed() {
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().uri("http://x").exchange("e", List.of()).build())
                .hasMessageStartingWith("uri:");
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().uri("amqp://u:pw@").exchange("e", List.of()).build())
                .hasMessageStartingWith("uri:").hasMessageNotContaining("pw");
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().build()).hasMessageStartingWith("exchanges:");
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().exchange(" ", List.of()).build()).hasMessageStartingWith("exchanges:");
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().browseQueue("").build()).hasMessageStartingWith("browseQueues:");
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().port(0).exchange("e", List.of()).build()).hasMessageStartingWith("port:");
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().exchange("e", List.of()).tapMaxBytes(0).build())
                .hasMessageStartingWith("tapMaxBytes:");
        assertThatThrownBy(() -> AmqpCaptureConfig.builder().exchange("e", List.of()).duration(Duration.ZERO).build())
                .hasMessageStartingWith("duration:");
    }
}
