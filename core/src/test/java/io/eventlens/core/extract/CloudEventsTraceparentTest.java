package io.eventlens.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.core.model.Channel;
import io.eventlens.core.model.DerivedFields;
import io.eventlens.core.model.Header;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CloudEvents Distributed Tracing extension {@code traceparent} is read in both modes (issue 8):
 * binary mode headers {@code ce_traceparent} (Kafka), {@code cloudEvents_traceparent} /
 * {@code cloudEvents:traceparent} (AMQP), {@code ce-traceparent} (HTTP), and the top-level
 * {@code /traceparent} of a structured-mode envelope; its trace-id is the correlation ID of last resort.
 */
class CloudEventsTraceparentTest {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final EventExtractor X = EventExtractor.withDefaults();
    private static final Channel ORDERS = Channel.kafkaTopic("orders");

    private static DerivedFields extract(List<Header> headers, String payload) {
        return X.extract(ORDERS, null, headers, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void binaryModeTraceparentHeadersOfEveryBindingGiveTheTraceId() {
        for (String name : List.of("ce_traceparent", "cloudEvents_traceparent", "cloudEvents:traceparent", "ce-traceparent")) {
            DerivedFields d = extract(List.of(Header.ofString(name, TRACEPARENT)), null);
            assertThat(d.correlationIdValue()).as(name).isEqualTo(TRACE_ID);
            assertThat(d.correlationId().rule()).as(name).isEqualTo("CloudEvents " + name + " trace-id");
        }
    }

    @Test
    void structuredModeTraceparentGivesTheTraceIdOnlyInAnEnvelope() {
        DerivedFields envelope = extract(List.of(),
                "{\"specversion\":\"1.0\",\"id\":\"e\",\"type\":\"T\",\"source\":\"/s\",\"traceparent\":\"" + TRACEPARENT + "\"}");
        assertThat(envelope.correlationIdValue()).isEqualTo(TRACE_ID);
        assertThat(envelope.correlationId().rule()).isEqualTo("CloudEvents json /traceparent trace-id");
        DerivedFields plain = extract(List.of(), "{\"id\":\"e\",\"traceparent\":\"" + TRACEPARENT + "\"}");
        assertThat(plain.correlationId()).as("not a CloudEvent: no extension attribute").isNull();
    }

    @Test
    void anInvalidTraceparentOrAnExplicitCorrelationIdLeavesTheTraceIdOut() {
        assertThat(extract(List.of(Header.ofString("ce_traceparent", "00-nothex-00f067aa0ba902b7-01")), null).correlationId())
                .isNull();
        DerivedFields d = extract(List.of(Header.ofString("ce_traceparent", TRACEPARENT),
                Header.ofString("ce_correlationid", "c-1")), null);
        assertThat(d.correlationIdValue()).isEqualTo("c-1");
    }
}
