package io.eventlens.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The test JVM's assertion settings (the parent pom's surefire {@code argLine}): our own assertions
 * run, H2's internal self-checks do not, as in production. Two of those failed while H2 closed a
 * file, racing its own background threads, in tests whose checks had passed.
 */
class TestJvmAssertionsTest {

    @Test
    void ourAssertionsRunAndH2sDoNot() {
        assertThat(TestJvmAssertionsTest.class.desiredAssertionStatus()).as("ours").isTrue();
        assertThat(H2CaptureStore.class.desiredAssertionStatus()).as("the store's").isTrue();
        assertThat(org.h2.mvstore.MVStore.class.desiredAssertionStatus()).as("H2's").isFalse();
    }
}
