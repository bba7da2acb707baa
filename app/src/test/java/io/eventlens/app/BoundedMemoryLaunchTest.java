package io.eventlens.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedMemoryLaunchTest {

    @Test
    void captureAndDemoWithoutAHeapOptionRunInABoundedChild() {
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"capture", "--kafka", "h:9092"}, List.of("-Dfoo=1"))).isTrue();
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"demo"}, List.of())).isTrue();
    }

    @Test
    void aHeapOptionOfTheUserIsRespected() {
        for (String option : List.of("-Xmx2g", "-XX:MaxRAMPercentage=50", "-XX:MaxRAM=4g", "-XX:MaxHeapSize=1g")) {
            assertThat(BoundedMemoryLaunch.wanted(new String[] {"capture"}, List.of(option))).as(option).isFalse();
        }
    }

    @Test
    void shortCommandsRunInThisJvmAndTheDesktopIsNotALongCommand() {
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"timeline", "--capture", "x"}, List.of())).isFalse();
        assertThat(BoundedMemoryLaunch.wanted(new String[] {"--help"}, List.of())).isFalse();
        assertThat(BoundedMemoryLaunch.wanted(new String[0], List.of())).isFalse();
    }

    @Test
    void heapOptionsAreRecognisedWhateverTheirSpelling() {
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-Dx=1", "-Xmx2g"))).isTrue();
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-XX:MaxRAMPercentage=50"))).isTrue();
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-XX:MaxHeapSize=1g"))).isTrue();
        assertThat(BoundedMemoryLaunch.heapGiven(List.of("-Xms64m", "-Deventlens.uiProbe=x"))).isFalse();
    }
}
