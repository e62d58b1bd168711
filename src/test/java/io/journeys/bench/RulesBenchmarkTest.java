package io.journeys.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.EngineInput;
import io.journeys.dsl.DocumentSet;
import io.journeys.engine.GuardRails;
import io.journeys.job.InputParser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The delivery-rules benchmark's documents and inputs (its jobs run only in ./journeys bench). */
class RulesBenchmarkTest {

    @Test
    void shouldRunTheThroughputJourneysAsTheyAreAndUnderOneValidRuleSetPublishedFirst() {
        List<String> plain = RulesBenchmark.documents(false);
        List<String> ruled = RulesBenchmark.documents(true);

        assertThat(plain).isEqualTo(EventBenchmark.journeys());
        assertThat(ruled).hasSize(EventBenchmark.JOURNEYS + 1).first().isEqualTo(RulesBenchmark.RULE_SET);
        assertThat(ruled.subList(1, ruled.size())).allMatch(journey -> journey.contains("\"rules\": \"bench-rules\""));
        DocumentSet documents = DocumentSet.parse(ruled, GuardRails.DEFAULTS.maxStepsPerJourney());
        assertThat(documents.allValid()).isTrue();
        assertThat(documents.completeSetProblems()).isEmpty();
        assertThat(documents.ruleSets()).singleElement().satisfies(rules -> {
            assertThat(rules.frequency()).hasSize(2);
            assertThat(rules.quietHours()).hasSize(1);
            assertThat(rules.entries().max()).isEqualTo(15);
        });
    }

    @Test
    void shouldGiveEveryProfileItsZoneInItsFirstInput() {
        int profiles = 101;
        InputParser parser = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());
        Set<String> updated = new HashSet<>();
        for (long i = 0; i < profiles; i++) {
            EngineInput input = parser.parse(RulesBenchmark.ZonedInput.input(i, profiles)).input();
            assertThat(input.getUpdate().getAttributes()).contains("\"timeZone\"");
            updated.add(input.getProfileId());
        }
        assertThat(updated).hasSize(profiles);
        assertThat(parser.parse(RulesBenchmark.ZonedInput.input(profiles + 1, profiles)).input().getEvent())
                .isNotNull();
        assertThat(parser.parse(RulesBenchmark.ZonedInput.input(10L * profiles, profiles)).input().getUpdate())
                .isNotNull();
    }

    @Test
    void shouldMeasureWhatADeliveryAndAnEntryAddToARuleLog() throws Exception {
        long[] bytes = RulesBenchmark.bytesPerLoggedItem();

        assertThat(bytes[0]).isGreaterThan(bytes[1]).isPositive();
        assertThat(bytes[1]).isPositive();
    }
}
