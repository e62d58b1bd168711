package io.journeys.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.EngineInput;
import io.journeys.dsl.DocumentSet;
import io.journeys.dsl.RuleSet;
import io.journeys.dsl.WeeklyPeriod;
import io.journeys.engine.GuardRails;
import io.journeys.job.InputParser;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The delivery-rules benchmark's documents and inputs (its jobs run only in ./journeys bench). */
class RulesBenchmarkTest {

    @Test
    void shouldRunTheThroughputJourneysAsTheyAreAndUnderOneValidRuleSetPublishedFirst() {
        String counting = RulesBenchmark.countingRuleSet(Instant.parse("2026-12-01T16:00:00Z")); // a Tuesday
        assertThat(RulesBenchmark.documents(RulesBenchmark.Variant.PLAIN, counting))
                .isEqualTo(EventBenchmark.journeys());
        for (RulesBenchmark.Variant variant : List.of(RulesBenchmark.Variant.COUNTED, RulesBenchmark.Variant.RULED)) {
            List<String> ruled = RulesBenchmark.documents(variant, counting);
            assertThat(ruled).hasSize(EventBenchmark.JOURNEYS + 1).first()
                    .isEqualTo(variant == RulesBenchmark.Variant.RULED ? RulesBenchmark.RULE_SET : counting);
            assertThat(ruled.subList(1, ruled.size()))
                    .allMatch(journey -> journey.contains("\"rules\": \"bench-rules\""));
            DocumentSet documents = DocumentSet.parse(ruled, GuardRails.DEFAULTS.maxStepsPerJourney());
            assertThat(documents.allValid()).isTrue();
            assertThat(documents.completeSetProblems()).isEmpty();
            assertThat(documents.ruleSets()).singleElement().satisfies(rules -> {
                assertThat(rules.frequency()).hasSize(2);
                assertThat(rules.quietHours()).hasSize(1);
                assertThat(rules.entries().max()).isEqualTo(variant == RulesBenchmark.Variant.RULED ? 15 : 1_000);
            });
        }
    }

    @Test
    void shouldCountWithQuietHoursOnAWeekdayNoZoneReachesWithinADay() {
        RuleSet counting = DocumentSet.parse(List.of(RulesBenchmark.countingRuleSet(
                Instant.parse("2026-12-01T23:30:00Z"))), GuardRails.DEFAULTS.maxStepsPerJourney()).ruleSets().get(0);
        WeeklyPeriod night = counting.quietHours().get(0).period();

        assertThat(night.days()).containsExactly(DayOfWeek.FRIDAY);
        for (String zone : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata")) {
            for (int hour = 0; hour < 24; hour++) {
                Instant at = Instant.parse("2026-12-01T23:30:00Z").plusSeconds(3_600L * hour);
                assertThat(night.activeUntil(at, ZoneId.of(zone))).isEmpty();
            }
        }
        assertThat(counting.frequency()).allMatch(cap -> cap.max() == 1_000);
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

        // Flink's Avro encoder writes a long in 8 bytes; a channel is a string of its length and characters
        assertThat(bytes[1]).isEqualTo(8);
        assertThat(bytes[0]).isGreaterThan(8 + "email".length());
    }
}
