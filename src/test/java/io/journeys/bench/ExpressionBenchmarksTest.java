package io.journeys.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A ratio means something only if the expression and its baseline compute the same answer. */
class ExpressionBenchmarksTest {

    private final ExpressionBenchmarks benchmarks = new ExpressionBenchmarks();

    @BeforeEach
    void setUp() {
        benchmarks.setUp();
    }

    @Test
    void shouldLetTheEntryFilterAndItsJavaBaselineAgree() throws Exception {
        assertThat(benchmarks.entryFilterJava()).isTrue();
        assertThat(benchmarks.entryFilterCel()).isTrue();
        assertThat(benchmarks.entryFilterCelWithVariables()).isTrue();
    }

    @Test
    void shouldLetTheProfileConditionAndItsJavaBaselineAgree() throws Exception {
        assertThat(benchmarks.profileConditionJava()).isTrue();
        assertThat(benchmarks.profileConditionCel()).isTrue();
        assertThat(benchmarks.profileConditionCelWithVariables()).isTrue();
    }

    @Test
    void shouldCompileTheJourneyWhoseTextTheBaselineReads() throws Exception {
        assertThat(benchmarks.compileJourney()).isNotNull();
        assertThat(benchmarks.readJourneyTree().get("id").asText()).isEqualTo("bench-0");
    }
}
