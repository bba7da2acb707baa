package io.eventlens.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventlens.app.demo.SagaSimulator.Fault;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class SagaSimulatorTest {

    @Test
    void everyFaultKindIsScheduledWithinTheFirstTwentyFlowsAndThenRecurs() {
        List<Fault> first = SagaSimulator.scheduleOfFirst(60, 4);

        // 20 flows at the default 400 ms interval = 8 s, well inside the 15 s promise.
        assertThat(first.subList(0, 20).stream().filter(Objects::nonNull).distinct())
                .as("faults of the first 20 flows").containsExactlyInAnyOrder(Fault.values());
        assertThat(first.subList(20, 60).stream().filter(Objects::nonNull))
                .as("faults of flows 20..59").hasSize(10).containsAll(List.of(Fault.values()));
    }

    @Test
    void mostFlowsAreHealthySoTheFaultsStandOut() {
        List<Fault> first = SagaSimulator.scheduleOfFirst(100, 4);

        assertThat(first.stream().filter(Objects::isNull).count()).isEqualTo(75);
        assertThat(first.subList(0, 2)).containsOnlyNulls();
    }

    @Test
    void faultEveryZeroGivesOnlyHealthyFlows() {
        assertThat(SagaSimulator.scheduleOfFirst(50, 0)).containsOnlyNulls();
    }
}
