package io.eventlens.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesShortFormsWithUnits() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse(" 45S ")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void parsesIso8601() {
        assertThat(Durations.parse("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void rejectsNonsenseWithAMessageQuotingTheValueAndTheAcceptedForms() {
        assertThatThrownBy(() -> Durations.parse("30 parsecs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'30 parsecs'").hasMessageContaining("30s").hasMessageContaining("PT30S");
        assertThatThrownBy(() -> Durations.parse("30")).hasMessageContaining("'30'");
        assertThatThrownBy(() -> Durations.parse("-PT5S")).hasMessageContaining("negative");
        assertThatThrownBy(() -> Durations.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
