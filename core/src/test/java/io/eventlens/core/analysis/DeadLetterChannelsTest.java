package io.eventlens.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.Header;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeadLetterChannelsTest {

    private static Header str(String name, String value) {
        return Header.ofString(name, value);
    }

    private static Header int4(String name, int value) {
        return new Header(name, ByteBuffer.allocate(4).putInt(value).array());
    }

    private static Header long8(String name, long value) {
        return new Header(name, ByteBuffer.allocate(8).putLong(value).array());
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders.DLT", "orders.dlt", "orders.dlq", "orders-dlq", "orders-DLQ", "orders_dlq",
            "orders-dlt", "my-dead-letter-queue", "DEAD-LETTER", "orders.deadletter", "dead_letter.orders"})
    void deadLetterNamesAreRecognised(String name) {
        assertThat(DeadLetterChannels.isDeadLetter(name)).as(name).isTrue();
        assertThat(DeadLetterChannels.isRetry(name)).as(name).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "dlq", "DLT", "dltorders", "orders.DLTX", "orders.dlq.archive", "payments-retry", "letters"})
    void otherNamesAreNotDeadLetter(String name) {
        assertThat(DeadLetterChannels.isDeadLetter(name)).as(name).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders-retry", "orders-retry-0", "orders-retry-5000", "orders.retry", "orders_RETRY"})
    void retryNamesAreRecognised(String name) {
        assertThat(DeadLetterChannels.isRetry(name)).as(name).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"orders", "retry", "retry-orders", "orders-retrying", "orders-retry-x"})
    void otherNamesAreNotRetry(String name) {
        assertThat(DeadLetterChannels.isRetry(name)).as(name).isFalse();
    }

    @Test
    void nullNameIsNeither() {
        assertThat(DeadLetterChannels.isDeadLetter(null)).isFalse();
        assertThat(DeadLetterChannels.isRetry(null)).isFalse();
        assertThat(DeadLetterChannels.originalChannelOf(null)).isNull();
    }

    @Test
    void originalChannelComesFromTheName() {
        assertThat(DeadLetterChannels.originalChannelOf("orders.DLT")).isEqualTo("orders");
        assertThat(DeadLetterChannels.originalChannelOf("shop.orders-dlq")).isEqualTo("shop.orders");
        assertThat(DeadLetterChannels.originalChannelOf("orders-retry-1000")).isEqualTo("orders");
        assertThat(DeadLetterChannels.originalChannelOf("dead-letter-queue")).isNull();
        assertThat(DeadLetterChannels.originalChannelOf("orders")).isNull();
    }

    @Test
    void springDeadLetterPublishingRecovererHeadersAreDecoded() {
        List<Header> h = List.of(
                str("kafka_dlt-original-topic", "orders"),
                int4("kafka_dlt-original-partition", 2),
                long8("kafka_dlt-original-offset", 1234L),
                long8("kafka_dlt-original-timestamp", 1_700_000_000_000L),
                str("kafka_dlt-exception-fqcn", "org.springframework.kafka.listener.ListenerExecutionFailedException"),
                str("kafka_dlt-exception-message", "For input string: \"abc\"\n  more"),
                int4("kafka_deliveryAttempt", 3));
        assertThat(DeadLetterChannels.hasDeadLetterHeaders(h)).isTrue();
        DeadLetterInfo info = DeadLetterChannels.inspect("orders.DLT", h);
        assertThat(info).isEqualTo(new DeadLetterInfo(DeadLetterInfo.Convention.SPRING_DLT, "orders", 2, 1234L,
                "org.springframework.kafka.listener.ListenerExecutionFailedException", "For input string: \"abc\"\n  more", 3));
        assertThat(info.reasonText()).startsWith("ListenerExecutionFailedException: For input string");
    }

    @Test
    void springKeyExceptionHeadersAreUsedWhenNoValueException() {
        List<Header> h = List.of(str("kafka_dlt-key-exception-fqcn", "a.b.KeyException"), str("kafka_dlt-key-exception-message", "bad key"));
        assertThat(DeadLetterChannels.inspect("x.DLT", h).reasonText()).isEqualTo("KeyException: bad key");
    }

    @Test
    void springRetryableTopicHeadersAreDecodedWithOneOrFourByteAttempts() {
        List<Header> four = List.of(str("kafka_original-topic", "orders"), int4("kafka_original-partition", 0),
                long8("kafka_original-offset", 7L), str("kafka_exception-fqcn", "java.lang.IllegalStateException"),
                str("kafka_exception-message", "boom"), int4("retry_topic-attempts", 2));
        DeadLetterInfo info = DeadLetterChannels.inspect("orders-retry-0", four);
        assertThat(info).isEqualTo(new DeadLetterInfo(DeadLetterInfo.Convention.SPRING_RETRY_TOPIC, "orders", 0, 7L,
                "java.lang.IllegalStateException", "boom", 2));
        List<Header> one = List.of(new Header("retry_topic-attempts", new byte[] {4}));
        assertThat(DeadLetterChannels.deliveryAttempts(one)).isEqualTo(4);
        assertThat(DeadLetterChannels.deliveryAttempts(List.of(str("retry_topic-attempts", "5")))).isEqualTo(5);
    }

    @Test
    void originalHeadersAloneAreNotDeadLetterHeaders() {
        assertThat(DeadLetterChannels.hasDeadLetterHeaders(List.of(str("kafka_original-topic", "orders")))).isFalse();
        assertThat(DeadLetterChannels.hasDeadLetterHeaders(List.of(str("kafka_exception-message", "x")))).isFalse();
        assertThat(DeadLetterChannels.hasDeadLetterHeaders(List.of(str("correlationId", "c")))).isFalse();
        assertThat(DeadLetterChannels.hasDeadLetterHeaders(null)).isFalse();
    }

    @Test
    void kafkaConnectHeadersAreDecoded() {
        List<Header> h = List.of(str("__connect.errors.topic", "orders"), str("__connect.errors.partition", "1"),
                str("__connect.errors.offset", "99"), str("__connect.errors.connector.name", "sink"),
                str("__connect.errors.exception.class.name", "org.apache.kafka.connect.errors.DataException"),
                str("__connect.errors.exception.message", "Converting byte[] to Kafka Connect data failed"));
        assertThat(DeadLetterChannels.inspect("dlq-sink", h)).isEqualTo(new DeadLetterInfo(DeadLetterInfo.Convention.KAFKA_CONNECT,
                "orders", 1, 99L, "org.apache.kafka.connect.errors.DataException",
                "Converting byte[] to Kafka Connect data failed", null));
    }

    @Test
    void rabbitMqHeadersAreDecodedBestEffort() {
        List<Header> h = List.of(str("x-death", "[{count=3, reason=rejected, queue=orders, exchange=shop}]"),
                str("x-first-death-queue", "orders"), str("x-first-death-reason", "rejected"));
        assertThat(DeadLetterChannels.inspect("orders.dlq", h)).isEqualTo(new DeadLetterInfo(DeadLetterInfo.Convention.RABBITMQ,
                "orders", null, null, null, "rejected", 3));
    }

    @Test
    void noHeadersGiveTheChannelNameConvention() {
        DeadLetterInfo info = DeadLetterChannels.inspect("orders.DLT", List.of());
        assertThat(info).isEqualTo(new DeadLetterInfo(DeadLetterInfo.Convention.CHANNEL_NAME, "orders", null, null, null, null, null));
        assertThat(info.reasonText()).isNull();
    }

    @Test
    void garbageHeaderBytesDecodeToNothing() {
        List<Header> h = List.of(new Header("kafka_dlt-original-partition", new byte[] {1, 2, 3}),
                new Header("kafka_dlt-original-offset", null), new Header("kafka_deliveryAttempt", new byte[] {0, 0}),
                new Header("x-death", new byte[] {(byte) 0xff}));
        DeadLetterInfo info = DeadLetterChannels.inspect("orders.DLT", h);
        assertThat(info.convention()).isEqualTo(DeadLetterInfo.Convention.SPRING_DLT);
        assertThat(info.originalPartition()).isNull();
        assertThat(info.originalOffset()).isNull();
        assertThat(info.attempts()).isNull();
    }

    @Test
    void deliveryAttemptsTakesTheLargestPositiveCount() {
        assertThat(DeadLetterChannels.deliveryAttempts(List.of(int4("kafka_deliveryAttempt", 2), int4("retry_topic-attempts", 4))))
                .isEqualTo(4);
        assertThat(DeadLetterChannels.deliveryAttempts(List.of(int4("kafka_deliveryAttempt", 0)))).isNull();
        assertThat(DeadLetterChannels.deliveryAttempts(List.of())).isNull();
    }

    private static final String X_DEATH = "[{\"count\":2,\"reason\":\"expired\",\"queue\":\"orders.retry\","
            + "\"time\":\"2026-03-04T05:06:08Z\",\"exchange\":\"retry\",\"routing-keys\":[\"orders.retry\"]},"
            + "{\"count\":2,\"reason\":\"rejected\",\"queue\":\"orders\",\"time\":\"2026-03-04T05:06:07Z\","
            + "\"exchange\":\"shop\",\"routing-keys\":[\"order.placed\",\"order.any\"]}]";

    @Test
    void rabbitMqXDeathAsJsonGivesReasonOriginalQueueExchangeRoutingKeysAndTime() {
        List<Header> h = List.of(str("x-death", X_DEATH), str("x-first-death-queue", "orders"),
                str("x-first-death-reason", "rejected"), str("x-first-death-exchange", "shop"),
                str("x-last-death-queue", "orders.retry"), str("x-last-death-reason", "expired"));
        DeadLetterInfo info = DeadLetterChannels.inspect("orders.dlq", h);
        assertThat(info).isEqualTo(new DeadLetterInfo(DeadLetterInfo.Convention.RABBITMQ, "orders", null, null, null,
                "expired", 2, "shop", List.of("order.placed", "order.any"), java.time.Instant.parse("2026-03-04T05:06:08Z"), null));
        assertThat(info.reasonText()).isEqualTo("expired");
    }

    @Test
    void rabbitMqWithoutXDeathFallsBackToFirstAndLastDeathHeaders() {
        DeadLetterInfo info = DeadLetterChannels.inspect("q", List.of(str("x-last-death-queue", "orders"),
                str("x-last-death-reason", "maxlen")));
        assertThat(info.originalChannel()).isEqualTo("orders");
        assertThat(info.reason()).isEqualTo("maxlen");
        assertThat(info.deadLetteredAt()).isNull();
        assertThat(info.originalRoutingKeys()).isEmpty();
    }

    @Test
    void springAmqpRepublishHeadersGiveTheExceptionAndOriginalExchange() {
        String stack = "java.lang.IllegalStateException: stock is negative\n\tat com.shop.Stock.take(Stock.java:12)";
        List<Header> h = List.of(str("x-exception-message", "stock is negative"), str("x-exception-stacktrace", stack),
                str("x-original-exchange", "shop"), str("x-original-routingKey", "order.placed"));
        DeadLetterInfo info = DeadLetterChannels.inspect("orders.dlq", h);
        assertThat(info).isEqualTo(new DeadLetterInfo(DeadLetterInfo.Convention.SPRING_AMQP, "shop", null, null,
                "java.lang.IllegalStateException", "stock is negative", null, "shop", List.of("order.placed"), null, stack));
        assertThat(info.reasonText()).isEqualTo("IllegalStateException: stock is negative");
    }

    @Test
    void rabbitMqDeadLetteringWithSpringAmqpHeadersKeepsBoth() {
        List<Header> h = List.of(str("x-death", X_DEATH), str("x-first-death-queue", "orders"),
                str("x-exception-message", "boom"), str("x-exception-stacktrace", "com.shop.BoomException: boom"));
        DeadLetterInfo info = DeadLetterChannels.inspect("orders.dlq", h);
        assertThat(info.convention()).isEqualTo(DeadLetterInfo.Convention.RABBITMQ);
        assertThat(info.exceptionClass()).isEqualTo("com.shop.BoomException");
        assertThat(info.reason()).isEqualTo("expired: boom");
    }

    @Test
    void damagedXDeathValuesDecodeToNothingAndNeverThrow() {
        List<String> corpus = List.of("[", "[{", "[1,2]", "[{\"count\":\"x\"}]", "[{\"time\":\"yesterday\"}]",
                "[{\"routing-keys\":{}}]", "[null]", "{\"count\":3}", "[" + "[".repeat(5000) + "]".repeat(5000) + "]",
                "[{\"count\":99999999999999999999999}]", "\u0000\u0001", "");
        for (String c : corpus) {
            List<Header> h = List.of(str("x-death", c));
            DeadLetterInfo info = DeadLetterChannels.inspect("q.dlq", h);
            assertThat(info.convention()).as(c).isEqualTo(DeadLetterInfo.Convention.RABBITMQ);
            assertThat(info.deadLetteredAt()).as(c).isNull();
        }
    }

    @Test
    void fuzzedXDeathValuesNeverThrow() {
        java.util.Random random = new java.util.Random(7);
        byte[] seed = X_DEATH.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = seed.clone();
            for (int m = 0, n = 1 + random.nextInt(6); m < n; m++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            List<Header> h = List.of(new Header("x-death", b), new Header("x-first-death-queue", b),
                    new Header("x-exception-stacktrace", b));
            DeadLetterInfo info = DeadLetterChannels.inspect("q", h);
            assertThat(info.convention()).isEqualTo(DeadLetterInfo.Convention.RABBITMQ);
            assertThat(DeadLetterChannels.deliveryAttempts(h)).satisfiesAnyOf(a -> assertThat(a).isNull(),
                    a -> assertThat(a).isPositive());
        }
    }

    @Test
    void headerNamesCompareAsTheirLowerCaseWithoutMakingIt() {
        // crafted names: the Kelvin sign lower-cases to 'k', the dotted capital I to two chars ("i" and U+0307)
        List<String> names = new java.util.ArrayList<>(List.of("kafka_dlt-x", "KAFKA_DLT-X", "\u212Afka_dlt-", "\u212Aafka_dlt-x",
                "x-death", "X-DEATH", "x-deat", "x-death!", "x-f\u0130rst-death-queue", "x-first-death-", "retry_topic-attempts",
                "kafka_deliveryAttempt", "KAFKA_DELIVERYATTEMPT\u0130", "\u0130", "", "k", "kafka_original-", "\u00e9x-death"));
        java.util.Random random = new java.util.Random(6);
        String alphabet = "kafKA_dlt-xX\u212A\u0130\u0131\u00e9i";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(sb.toString());
        }
        List<String> targets = List.of("kafka_dlt-", "x-death", "kafka_deliveryattempt", "k", "ka", "kafka_dlt-x", "xk");
        for (String name : names) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            for (String t : targets) {
                assertThat(DeadLetterChannels.lowerEquals(name, t)).as("%s equals %s", name, t).isEqualTo(lower.equals(t));
                assertThat(DeadLetterChannels.lowerStartsWith(name, t)).as("%s starts with %s", name, t)
                        .isEqualTo(lower.startsWith(t));
            }
        }
        // what that decides: a Kelvin-sign Spring header marks a dead letter, as its lower case does
        assertThat(DeadLetterChannels.hasDeadLetterHeaders(List.of(str("\u212Aafka_dlt-exception-message", "boom")))).isTrue();
        assertThat(DeadLetterChannels.deliveryAttempts(List.of(int4("\u212AAFKA_DELIVERYATTEMPT", 3)))).isEqualTo(3);
        assertThat(DeadLetterChannels.deliveryAttempts(List.of(int4("kafka_del\u0130veryattempt", 3)))).isNull();
    }
}
