package io.eventlens.core.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpServer;
import io.eventlens.core.analysis.ContractCheck;
import io.eventlens.core.analysis.ContractViolation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AsyncAPI 2 and 3 documents, CloudEvents envelopes and dataschema, and the local-only rule:
 * a remote $ref is refused and never fetched (docs/reference/contracts.md).
 */
class ContractSourcesTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static ContractCheck check(Contracts c, String channel, String type, String payload) {
        return c.check(payload.getBytes(StandardCharsets.UTF_8), channel, type);
    }

    static final String ASYNCAPI_3 = """
            asyncapi: 3.0.0
            info:
              title: shop
              version: 1.2.0
            channels:
              orderEvents:
                address: shop.orders
                messages:
                  orderPlaced:
                    $ref: '#/components/messages/OrderPlaced'
                  orderCancelled:
                    $ref: '#/components/messages/OrderCancelled'
              paymentEvents:
                address: shop.payments
                messages:
                  paymentCaptured:
                    name: PaymentCaptured
                    payload:
                      type: object
                      required: [paymentId, amountCents]
                      properties:
                        paymentId: {type: string}
                        amountCents: {type: integer}
            operations:
              onOrder:
                action: receive
                channel: {$ref: '#/channels/orderEvents'}
            components:
              messages:
                OrderPlaced:
                  name: OrderPlaced
                  payload:
                    $ref: '#/components/schemas/Order'
                OrderCancelled:
                  payload:
                    type: object
                    required: [orderId, reason]
                    properties:
                      reason: {enum: [customer, fraud]}
              schemas:
                Order:
                  type: object
                  required: [orderId, total]
                  properties:
                    orderId: {type: string}
                    total: {type: number}
                    placedAt: {type: string, format: date-time}
            """;

    @Test
    void anAsyncApi3DocumentWithTwoChannelsMapsEachMessage() throws Exception {
        Path doc = write("shop.asyncapi.yaml", ASYNCAPI_3);
        Contracts c = Contracts.load(doc);
        assertThat(c.contracts()).extracting(Contract::channel, Contract::type).contains(
                tuple("shop.orders", "OrderPlaced"), tuple("shop.orders", "OrderCancelled"),
                tuple("shop.payments", "PaymentCaptured"), tuple("shop.payments", null));

        ContractCheck order = check(c, "shop.orders", "OrderPlaced", "{\"orderId\":\"o-1\",\"total\":\"12,50\",\"placedAt\":\"now\"}");
        assertThat(order.contract()).isEqualTo("shop 1.2.0");
        assertThat(order.schema()).isEqualTo("shop.asyncapi.yaml#/components/messages/OrderPlaced/payload");
        assertThat(order.matchedBy()).contains("channel shop.orders and type OrderPlaced")
                .contains("AsyncAPI shop.asyncapi.yaml channel shop.orders message OrderPlaced");
        assertThat(order.violations()).extracting(ContractViolation::pointer, ContractViolation::rule)
                .containsExactlyInAnyOrder(tuple("/total", "type"), tuple("/placedAt", "format"));

        ContractCheck cancelled = check(c, "shop.orders", "OrderCancelled", "{\"orderId\":\"o-1\",\"reason\":\"bored\"}");
        assertThat(cancelled.violations()).extracting(ContractViolation::pointer).containsExactly("/reason");

        assertThat(check(c, "shop.payments", "PaymentCaptured", "{\"paymentId\":\"p\",\"amountCents\":5}").passed()).isTrue();
        ContractCheck anyType = check(c, "shop.payments", "SomethingElse", "{\"paymentId\":\"p\"}");
        assertThat(anyType.matchedBy()).contains("the channel's only message");
        assertThat(anyType.violations()).extracting(ContractViolation::pointer).containsExactly("/amountCents");
        // two messages on shop.orders: an unknown type there has no contract
        assertThat(check(c, "shop.orders", "OrderShipped", "{}")).isNull();
    }

    @Test
    void anAsyncApi2DocumentInJsonWithOneOfMessages() throws Exception {
        write("api.json", """
                {"asyncapi": "2.6.0", "info": {"title": "legacy", "version": "1"},
                 "channels": {"orders": {"subscribe": {"message": {"oneOf": [
                    {"$ref": "#/components/messages/Placed"},
                    {"messageId": "OrderShipped", "payload": {"type": "object", "required": ["carrier"]}}]}}}},
                 "components": {"messages": {"Placed": {"payload": {"type": "object", "required": ["total"],
                    "properties": {"total": {"type": "number"}}}}},
                   "schemas": {}}}
                """);
        Contracts c = Contracts.load(dir);
        assertThat(check(c, "orders", "Placed", "{}").violations()).extracting(ContractViolation::pointer).containsExactly("/total");
        assertThat(check(c, "orders", "OrderShipped", "{}").violations()).extracting(ContractViolation::pointer).containsExactly("/carrier");
    }

    @Test
    void avroPayloadsAreSkippedWithAWarning() throws Exception {
        write("api.yaml", """
                asyncapi: 3.0.0
                info: {title: t, version: '1'}
                channels:
                  a:
                    address: avro-topic
                    messages:
                      m:
                        payload:
                          schemaFormat: application/vnd.apache.avro;version=1.9.0
                          schema: {type: record, name: M, fields: []}
                  b:
                    address: json-topic
                    messages:
                      n: {name: N, payload: {type: object}}
                """);
        Contracts c = Contracts.load(dir);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("avro").contains("skipped"));
        assertThat(c.contracts()).extracting(Contract::channel).containsOnly("json-topic");
    }

    @Test
    void cloudEventsEnvelopesMissingRequiredAttributesAreViolationsEvenWithoutAMappedSchema() throws Exception {
        write("x.json", "{\"title\": \"Unrelated\"}");
        Contracts c = Contracts.load(dir);
        ContractCheck r = check(c, "any", "com.example.order.placed", """
                {"specversion": "0.3", "type": "com.example.order.placed", "time": "tuesday", "data": {}}""");
        assertThat(r.contract()).isEqualTo(Contracts.CLOUDEVENTS);
        assertThat(r.schema()).isNull();
        assertThat(r.violations()).extracting(ContractViolation::pointer, ContractViolation::rule).contains(
                tuple("/id", "required"), tuple("/source", "required"), tuple("/specversion", "const"),
                tuple("/time", "format"));
        assertThat(check(c, "any", "t", """
                {"specversion":"1.0","id":"1","source":"/orders","type":"t","time":"2026-11-22T04:00:00Z"}""").passed()).isTrue();
        // not a CloudEvent and no contract: nothing checked
        assertThat(check(c, "any", "t", "{\"id\":1}")).isNull();
    }

    @Test
    void aCloudEventsContractChecksDataAndDataschemaPicksTheSchema() throws Exception {
        write("placed.json", """
                {"$id": "https://schemas.example.com/order-placed/1", "type": "object", "required": ["total"],
                 "properties": {"total": {"type": "number"}}}""");
        write("cancelled.json", """
                {"$id": "https://schemas.example.com/order-cancelled/1", "type": "object", "required": ["reason"]}""");
        write("eventlens-contracts.yaml", """
                contracts:
                  - {name: orders/placed, channel: orders, type: com.example.order.placed, schema: placed.json, envelope: cloudevents}
                  - {name: orders/cancelled, type: com.example.order.cancelled, schema: cancelled.json, envelope: cloudevents}
                """);
        Contracts c = Contracts.load(dir);
        ContractCheck r = check(c, "orders", "com.example.order.placed", """
                {"specversion":"1.0","id":"1","source":"/o","type":"com.example.order.placed","data":{"total":"1,5"}}""");
        assertThat(r.contract()).isEqualTo("orders/placed");
        assertThat(r.violations()).extracting(ContractViolation::pointer).containsExactly("/data/total");
        // dataschema wins over channel and type
        ContractCheck byDataschema = check(c, "orders", "com.example.order.placed", """
                {"specversion":"1.0","id":"1","source":"/o","type":"com.example.order.placed",
                 "dataschema":"https://schemas.example.com/order-cancelled/1","data":{}}""");
        assertThat(byDataschema.contract()).isEqualTo("orders/cancelled");
        assertThat(byDataschema.matchedBy()).isEqualTo("dataschema https://schemas.example.com/order-cancelled/1");
        assertThat(byDataschema.violations()).extracting(ContractViolation::pointer).containsExactly("/data/reason");
        // a CloudEvents contract without data
        ContractCheck noData = check(c, "orders", "com.example.order.placed", """
                {"specversion":"1.0","id":"1","source":"/o","type":"com.example.order.placed"}""");
        assertThat(noData.violations()).extracting(ContractViolation::pointer, ContractViolation::found)
                .containsExactly(tuple("/data", "missing"));
    }

    @Test
    void binaryModeCloudEventsHaveTheirHeadersCheckedAndTheirPayloadIsTheData() throws Exception {
        write("placed.json", """
                {"$id": "https://schemas.example.com/order-placed/1", "title": "com.example.order.placed",
                 "type": "object", "required": ["total"]}""");
        Contracts c = Contracts.load(dir);
        io.eventlens.core.model.Channel orders = io.eventlens.core.model.Channel.kafkaTopic("orders");
        java.util.function.BiFunction<java.util.List<io.eventlens.core.model.Header>, String, ContractCheck> check = (headers, payload) -> {
            byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
            java.time.Instant now = java.time.Instant.parse("2026-11-22T04:00:00Z");
            io.eventlens.core.model.CapturedEvent e = new io.eventlens.core.model.CapturedEvent(1, orders,
                    new io.eventlens.core.model.SourcePosition.Kafka(0, 1, io.eventlens.core.model.TimestampType.CREATE_TIME),
                    now, now, null, headers, bytes,
                    io.eventlens.core.extract.EventExtractor.withDefaults().extract(orders, null, headers, bytes));
            return c.check(e, "orders");
        };
        ContractCheck good = check.apply(java.util.List.of(
                io.eventlens.core.model.Header.ofString("ce_specversion", "1.0"), io.eventlens.core.model.Header.ofString("ce_id", "1"),
                io.eventlens.core.model.Header.ofString("ce_source", "/orders"),
                io.eventlens.core.model.Header.ofString("ce_type", "com.example.order.placed")), "{\"total\": 5}");
        assertThat(good.passed()).as(good.toString()).isTrue();
        assertThat(good.contract()).isEqualTo("placed");

        ContractCheck bad = check.apply(java.util.List.of(
                io.eventlens.core.model.Header.ofString("ce_specversion", "1.0"),
                io.eventlens.core.model.Header.ofString("ce_type", "com.example.order.placed"),
                io.eventlens.core.model.Header.ofString("ce_time", "yesterday")), "{}");
        assertThat(bad.violations()).extracting(ContractViolation::message).contains(
                "header ce_id: required attribute missing", "header ce_source: required attribute missing",
                "header ce_time: not a valid date-time", "required property missing");
        assertThat(bad.violations()).filteredOn(v -> v.message().startsWith("header ")).allSatisfy(v -> assertThat(v.pointer()).isEmpty());
        assertThat(bad.violations()).filteredOn(v -> v.rule().equals("required") && !v.pointer().isEmpty())
                .extracting(ContractViolation::pointer).containsExactly("/total");
        assertThat(bad.summary()).startsWith("placed: header ce_");

        // no specversion header: not a CloudEvent, and no contract for the type
        assertThat(check.apply(java.util.List.of(io.eventlens.core.model.Header.ofString("ce_id", "1")), "{}")).isNull();
    }

    @Test
    void aRemoteRefIsRefusedAndNeverFetched() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "{\"type\":\"string\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String remote = "http://127.0.0.1:" + server.getAddress().getPort() + "/money.json";
            write("payment.json", """
                    {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                     "properties": {"money": {"$ref": "%s"}}}""".formatted(remote));
            assertThatThrownBy(() -> Contracts.load(dir.resolve("payment.json")))
                    .isInstanceOf(ContractException.class)
                    .hasMessageContaining("payment.json")
                    .hasMessageContaining(remote)
                    .hasMessageContaining("never fetched");
            // the same in an AsyncAPI document, and as a draft-07 $schema-less file in a folder
            Files.delete(dir.resolve("payment.json"));
            write("api.yaml", """
                    asyncapi: 2.6.0
                    info: {title: t, version: '1'}
                    channels:
                      orders:
                        publish:
                          message:
                            payload: {$ref: '%s'}
                    """.formatted(remote));
            assertThatThrownBy(() -> Contracts.load(dir)).isInstanceOf(ContractException.class)
                    .hasMessageContaining("api.yaml#/channels/orders/publish/message/payload/$ref")
                    .hasMessageContaining("never fetched");
            // a meta-schema on the network is not fetched either
            Files.delete(dir.resolve("api.yaml"));
            write("meta.json", "{\"$schema\": \"%s\", \"type\": \"object\"}".formatted(remote));
            assertThatThrownBy(() -> Contracts.load(dir)).isInstanceOf(ContractException.class)
                    .hasMessageContaining("meta.json").hasMessageContaining(remote).hasMessageContaining("never fetched");
            Files.delete(dir.resolve("meta.json"));
            write("api.yaml", "asyncapi: 3.0.0\n");
            // an https $ref whose $id is among the files resolves locally
            Files.delete(dir.resolve("api.yaml"));
            write("money.json", "{\"$id\": \"https://schemas.example.com/money.json\", \"type\": \"integer\"}");
            write("pay.json", """
                    {"title": "Pay", "type": "object", "properties": {"m": {"$ref": "https://schemas.example.com/money.json"}}}""");
            Contracts c = Contracts.load(dir);
            assertThat(check(c, "x", "Pay", "{\"m\":\"1\"}").violations()).extracting(ContractViolation::pointer).containsExactly("/m");
        } finally {
            server.stop(0);
        }
        assertThat(requests.get()).as("requests the loopback server saw").isZero();
    }
}
