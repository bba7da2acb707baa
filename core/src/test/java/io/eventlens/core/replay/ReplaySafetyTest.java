package io.eventlens.core.replay;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.amqp.AmqpCaptureConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ReplaySafety}: labels and production patterns. */
class ReplaySafetyTest {

    private final ReplaySafety safety = ReplaySafety.withPatterns(List.of("kafka-eu-1\\.acme\\.com", "^lkc-prd"));

    private static ReplayTarget.Kafka kafka(String servers, EnvironmentLabel label) {
        return new ReplayTarget.Kafka(servers, Map.of(), label);
    }

    @Test
    void productionAndUnlabelledTargetsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> safety.checkStatic(kafka("localhost:9092", EnvironmentLabel.PRODUCTION)))
                .isInstanceOf(ReplayRefusedException.class).hasMessageContaining("labelled production");
        assertThatThrownBy(() -> safety.checkStatic(kafka("localhost:9092", null)))
                .isInstanceOf(ReplayRefusedException.class).hasMessageContaining("no environment label");
        assertThatCode(() -> safety.checkStatic(kafka("localhost:9092", EnvironmentLabel.TEST))).doesNotThrowAnyException();
    }

    @Test
    void aProductionPatternOnServersHostOrClusterIdIsRefusedWhateverTheLabel() {
        assertThatThrownBy(() -> safety.checkStatic(kafka("kafka-eu-1.acme.com:9092", EnvironmentLabel.TEST)))
                .hasMessageContaining("bootstrap servers").hasMessageContaining("kafka-eu-1");
        assertThatThrownBy(() -> safety.checkStatic(kafka("broker.prod.internal:9092", EnvironmentLabel.STAGING)))
                .hasMessageContaining("production pattern");
        assertThatCode(() -> safety.checkStatic(kafka("product-svc:9092", EnvironmentLabel.TEST))).doesNotThrowAnyException();
        assertThatThrownBy(() -> safety.checkClusterId(kafka("localhost:9092", EnvironmentLabel.TEST), "lkc-prd-42"))
                .hasMessageContaining("cluster ID").hasMessageContaining("lkc-prd-42");
        ReplayTarget.Amqp amqp = new ReplayTarget.Amqp(AmqpCaptureConfig.builder().uri("amqp://rabbit-prod.acme.com").buildConnection(),
                EnvironmentLabel.TEST);
        assertThatThrownBy(() -> safety.checkStatic(amqp)).hasMessageContaining("host");
    }

    @Test
    void labelsParseAndABadPatternIsNamed() {
        assertThatCode(() -> EnvironmentLabel.parse("Staging")).doesNotThrowAnyException();
        assertThatThrownBy(() -> EnvironmentLabel.parse("dev")).hasMessageContaining("'dev'");
        assertThatThrownBy(() -> ReplaySafety.withPatterns(List.of("(")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'('");
    }
}
