package io.eventlens.core.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimeParsingTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T04:00:00Z", "2026-11-22T04:00:00.1Z", "2026-11-22T04:00:00.123Z",
            "2026-11-22T04:00:00.123456789Z", "2024-02-29T23:59:59.999+02:00", "1969-12-31T23:59:59-05:30",
            "2026-01-01t00:00:00z", "0001-01-01T00:00:00Z"})
    void fastPathAgreesWithTheJdkParser(String text) {
        Instant expected = OffsetDateTime.parse(text.toUpperCase()).toInstant();
        assertThat(EventExtractor.parseIsoFast(text)).as(text).isEqualTo(expected);
        assertThat(EventExtractor.parseTime(text)).as(text).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-22T04:00:00",
            "2026-11-22 04:00:00Z", "2026-11-22T04:00:00+0200", "2026-11-22", "", "not a time", "12:00"})
    void invalidOrZonelessTextIsNotATime(String text) {
        assertThat(EventExtractor.parseTime(text)).as(text).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T04:00:00+02:00:30", "2026-11-22T04:00:00.5-01:00:15"})
    void unusualShapesFallBackToTheJdkParser(String text) {
        assertThat(EventExtractor.parseIsoFast(text)).isNull();
        assertThat(EventExtractor.parseTime(text)).isEqualTo(Instant.parse(text));
    }
}
