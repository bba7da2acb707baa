package io.eventlens.core.extract;

import static io.eventlens.core.extract.ExtractionRules.cloudEvents;
import static io.eventlens.core.extract.ExtractionRules.header;
import static io.eventlens.core.extract.ExtractionRules.json;
import static io.eventlens.core.extract.ExtractionRules.traceparent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventlens.core.extract.ExtractionRules.Field;
import io.eventlens.core.extract.ExtractionRules.Source;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractionRulesTest {

    @Test
    void defaultsFollowDesignOrder() {
        ExtractionRules d = ExtractionRules.defaults();
        assertThat(d.sources(Field.CORRELATION_ID)).extracting(Source::describe).containsExactly(
                "CloudEvents ce_correlationid", "header correlationId", "header correlation-id",
                "header x-correlation-id", "header kafka_correlationId", "header amqp.correlation_id", "json /correlationId", "json /correlation_id",
                "json /metadata/correlationId", "json /data/correlationId", "traceparent trace-id");
        assertThat(d.sources(Field.EVENT_ID)).extracting(Source::describe).containsExactly(
                "CloudEvents ce_id", "header eventId", "header event-id", "header message-id", "header amqp.message_id", "json /eventId", "json /id");
        assertThat(d.sources(Field.EVENT_TYPE)).extracting(Source::describe).containsExactly(
                "CloudEvents ce_type", "header eventType", "header type", "header amqp.type", "json /eventType", "json /type");
        assertThat(d.sources(Field.EVENT_TIME)).extracting(Source::describe).containsExactly(
                "CloudEvents ce_time", "json /timestamp", "json /createdAt", "json /time", "header amqp.timestamp");
        assertThat(d.sources(Field.SEQUENCE)).extracting(Source::describe).containsExactly(
                "CloudEvents ce_sequence", "header sequence", "header seq", "header version", "json /sequence", "json /seq", "json /version");
        assertThat(d.sources(Field.CAUSATION_ID)).extracting(Source::describe).containsExactly(
                "header causationId", "header causation-id", "json /causationId");
    }

    @Test
    void rulesAreImmutable() {
        List<Source> list = new java.util.ArrayList<>(List.of(header("a")));
        ExtractionRules.Builder b = ExtractionRules.builder().sources(Field.EVENT_ID, list);
        ExtractionRules r = b.build();
        list.add(header("b"));
        b.eventId(header("c"));
        assertThat(r.sources(Field.EVENT_ID)).containsExactly(header("a"));
        assertThatThrownBy(() -> r.sources(Field.EVENT_ID).add(header("d"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderChangesOnlyTheGivenField() {
        ExtractionRules r = ExtractionRules.defaults().toBuilder().eventType(json("/kind")).build();
        assertThat(r.sources(Field.EVENT_TYPE)).containsExactly(json("/kind"));
        assertThat(r.sources(Field.EVENT_ID)).isEqualTo(ExtractionRules.defaults().sources(Field.EVENT_ID));
        assertThat(ExtractionRules.defaults().sources(Field.EVENT_TYPE)).hasSize(6);
    }

    @Test
    void blankHeaderNameIsRejected() {
        assertThatThrownBy(() -> header(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header name");
    }

    @Test
    void badJsonPointerIsRejected() {
        assertThatThrownBy(() -> json("correlationId")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '/'").hasMessageContaining("'correlationId'");
        assertThatThrownBy(() -> json("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badCloudEventsAttributeIsRejected() {
        assertThatThrownBy(() -> cloudEvents("Type")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Type'");
    }

    @Test
    void buildNamesTheFieldAndPositionOfABadSource() {
        assertThatThrownBy(() -> ExtractionRules.builder().eventId(header("a"), new ExtractionRules.JsonSource("nope")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("extraction rules: eventId[1]:");
        assertThatThrownBy(() -> ExtractionRules.builder().sources(Field.SEQUENCE, Arrays.asList(header("a"), null)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("extraction rules: sequence[1] is null");
    }

    @Test
    void traceparentIsOnlyForTheCorrelationId() {
        assertThatThrownBy(() -> ExtractionRules.builder().eventId(traceparent()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eventId[0]");
        assertThat(ExtractionRules.builder().correlationId(traceparent()).build().sources(Field.CORRELATION_ID)).hasSize(1);
    }

    @Test
    void describedRulesParseBack() {
        for (Field f : Field.values()) {
            for (Source s : ExtractionRules.defaults().sources(f)) {
                assertThat(ExtractionRules.parse(s.describe())).as(s.describe()).isEqualTo(s);
            }
        }
        assertThatThrownBy(() -> ExtractionRules.parse("xml //id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'xml //id'");
    }
}
