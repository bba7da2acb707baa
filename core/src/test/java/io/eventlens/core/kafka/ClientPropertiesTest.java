package io.eventlens.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required"
            + " username=\"alice\" password=\"s3cr3t-jaas\";";

    @Test
    void captureConfigToStringHidesEverySecretClientPropertyAndShowsTheOthers() {
        KafkaCaptureConfig config = KafkaCaptureConfig.builder("broker:9093").topic("orders")
                .clientProperty("security.protocol", "SASL_SSL")
                .clientProperty("sasl.mechanism", "PLAIN")
                .clientProperty("sasl.jaas.config", JAAS)
                .clientProperty("ssl.truststore.password", "s3cr3t-trust")
                .clientProperty("ssl.keystore.password", "s3cr3t-keystore")
                .clientProperty("ssl.key.password", "s3cr3t-key")
                .clientProperty("ssl.keystore.key", "-----BEGIN PRIVATE KEY----- s3cr3t-pem")
                .clientProperty("basic.auth.user.info", "bob:s3cr3t-registry")
                .clientProperty("sasl.oauthbearer.token.endpoint.url", "https://idp/s3cr3t-path")
                .clientProperty("my.custom.thing", "s3cr3t-unknown")
                .build();

        String printed = config.toString();

        assertThat(printed).doesNotContain("s3cr3t").doesNotContain("alice")
                .contains("security.protocol=SASL_SSL", "sasl.mechanism=PLAIN", "sasl.jaas.config=[hidden]",
                        "ssl.key.password=[hidden]", "my.custom.thing=[hidden]", "bootstrapServers=broker:9093");
    }

    @Test
    void onlyKnownNonPasswordPropertiesAreShown() {
        assertThat(ClientProperties.isShown("request.timeout.ms")).isTrue();
        assertThat(ClientProperties.isShown("ssl.truststore.location")).isTrue();
        assertThat(ClientProperties.isShown("sasl.jaas.config")).isFalse();
        assertThat(ClientProperties.isShown("ssl.truststore.password")).isFalse();
        assertThat(ClientProperties.isShown("schema.registry.basic.auth.user.info")).isFalse();
        assertThat(ClientProperties.isShown("not.a.kafka.property")).isFalse();
        assertThat(ClientProperties.isShown(null)).isFalse();
    }
}
