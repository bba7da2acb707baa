package io.eventlens.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class InProcessKafkaTest {

    @RegisterExtension
    static final InProcessKafka KAFKA = new InProcessKafka();

    @Test
    void brokerStartsAndCreatesTopics() throws Exception {
        KAFKA.createTopic("testkit-topic", 2);
        try (var admin = KAFKA.admin()) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("testkit-topic");
            assertThat(admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS)).isNotBlank();
        }
    }
}
