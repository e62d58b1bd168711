package io.journeys.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.journeys.avro.EngineInput;
import io.journeys.avro.RawRecord;
import io.journeys.dsl.DocumentSet;
import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.GuardRails;
import io.journeys.job.InputParser;
import io.journeys.sendtime.PopulationDocument;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The throughput and latency parts' featured journeys, and the inputs both variants run on (issue 19). */
class FeaturedJourneysTest {

    private static final Instant NOW = Instant.parse("2026-12-01T18:00:00Z");

    @Test
    void shouldGiveEveryJourneyAGoalAnExperimentOnItAndTheRuleSetAndSomeActionsASendTime() {
        for (boolean stamped : List.of(false, true)) {
            List<String> documents = FeaturedJourneys.documents(stamped, NOW);
            // the rule set, the email and push populations, then the journeys
            assertThat(documents).hasSize(3 + EventBenchmark.JOURNEYS);
            DocumentSet set = DocumentSet.parse(documents.stream().filter(d -> !PopulationDocument.isPopulation(d))
                    .toList(), GuardRails.DEFAULTS.maxStepsPerJourney());
            assertThat(set.allValid()).as(set.entries().toString()).isTrue();
            assertThat(set.completeSetProblems()).isEmpty();
            assertThat(set.ruleSets()).singleElement().satisfies(rules -> {
                assertThat(rules.frequency()).hasSize(2);
                assertThat(rules.quietHours()).hasSize(1);
            });
            int emailSendTimes = 0;
            int pushSendTimes = 0;
            for (Journey journey : set.journeys()) {
                assertThat(journey.rules()).isEqualTo(RulesBenchmark.RULE_SET_ID);
                assertThat(journey.goals()).singleElement().satisfies(goal -> assertThat(goal.within()).isPositive());
                Step.Experiment experiment = (Step.Experiment) journey.steps().get(FeaturedJourneys.EXPERIMENT_STEP);
                assertThat(experiment.goal()).isEqualTo(FeaturedJourneys.GOAL);
                assertThat(experiment.arms()).hasSizeBetween(2, 3).anyMatch(Step.Arm::control);
                for (Step step : journey.steps().values()) {
                    if (step instanceof Step.Action action && action.sendTime() != null) {
                        if (action.channel().jsonName().equals("email")) {
                            emailSendTimes++;
                        } else {
                            pushSendTimes++;
                        }
                    }
                }
            }
            assertThat(emailSendTimes).isEqualTo(4);
            assertThat(pushSendTimes).isEqualTo(2);
            assertThat(documents.stream().filter(PopulationDocument::isPopulation)).hasSize(2)
                    .allSatisfy(population -> assertThat(PopulationDocument.read(population).asOf())
                            .isEqualTo(NOW.toEpochMilli()));
        }
        // every action of the stamped journeys carries its entry event's stamp, which the latency part reads
        assertThat(FeaturedJourneys.journeys(true))
                .allMatch(journey -> journey.split("\"event.sentAt\"", -1).length == 4);
        assertThat(FeaturedJourneys.journeys(false)).noneMatch(journey -> journey.contains("sentAt"));
    }

    @Test
    void shouldPutThePopulationsBestHourHoursAwayInEveryZoneSoThatSendTimesWaitAtAnyHourOfTheRun() throws Exception {
        for (int hour = 0; hour < 24; hour++) {
            Instant now = NOW.plusSeconds(3_600L * hour);
            double[] weights = PopulationDocument.read(FeaturedJourneys.populations(now).get(0)).weights();
            int best = 0;
            for (int h = 1; h < weights.length; h++) {
                best = weights[h] > weights[best] ? h : best;
            }
            for (String zone : java.util.stream.Stream.concat(java.util.Arrays.stream(RulesBenchmark.ZONES),
                    java.util.stream.Stream.of("UTC")).toList()) {
                int local = now.atZone(java.time.ZoneId.of(zone)).getHour();
                int away = Math.floorMod(best % 24 - local, 24);
                assertThat(away).as(zone + " at " + now).isBetween(2, 22);
            }
        }
    }

    @Test
    void shouldGiveEveryProfileUpdatesAndEventsOneInTenAnUpdateWhenTheProfilesAreAMultipleOfTen() {
        InputParser parser = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());
        for (int profiles : List.of(1_000, 2_011)) {
            Map<String, Integer> updates = new HashMap<>();
            Map<String, Integer> events = new HashMap<>();
            Set<String> tiersBeforeAnEvent = new HashSet<>();
            Map<String, String> tierOf = new HashMap<>();
            Set<String> zones = new HashSet<>();
            long inputs = 10L * profiles;
            for (long i = 0; i < inputs; i++) {
                EngineInput input = parser.parse(EventBenchmark.GeneratedInput.input(i, profiles, "")).input();
                if (input.getUpdate() != null) {
                    updates.merge(input.getProfileId(), 1, Integer::sum);
                    String attributes = input.getUpdate().getAttributes();
                    tierOf.put(input.getProfileId(), attributes.contains("gold") ? "gold" : "silver");
                    int zone = attributes.indexOf("\"timeZone\"");
                    zones.add(zone < 0 ? "none" : attributes.substring(zone).replaceAll("[^A-Za-z_/]", ""));
                } else {
                    events.merge(input.getProfileId(), 1, Integer::sum);
                    if (tierOf.containsKey(input.getProfileId())) {
                        tiersBeforeAnEvent.add(tierOf.get(input.getProfileId()));
                    }
                }
            }
            assertThat(updates.keySet()).hasSize(profiles);
            assertThat(events.keySet()).hasSize(profiles);
            int total = updates.values().stream().mapToInt(Integer::intValue).sum();
            assertThat((double) total / inputs).isBetween(0.095, 0.105);
            assertThat(tiersBeforeAnEvent).containsExactlyInAnyOrder("gold", "silver");
            assertThat(zones).hasSize(RulesBenchmark.ZONES.length + 1).contains("none");
        }
    }

    @Test
    void shouldRunEveryFeatureWithoutErrorsOnASmallRun(@TempDir Path checkpoints) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                BenchmarkConfiguration.local(checkpoints));
        env.setParallelism(2);
        int profiles = 2_000;
        DataStream<RawRecord> generated = env.fromSequence(0, 20_000 - 1)
                .map(new EventBenchmark.GeneratedInput(profiles)).returns(AvroRecords.typeInfo(RawRecord.class));
        String loop = ExperimentLoop.open("test-" + System.nanoTime());
        FeatureTally.Counts counts;
        try {
            BenchJourneys.build(env, generated, BenchJourneys.Variant.FEATURED, false, loop)
                    .sinkTo(new DiscardingSink<>());
            JobExecutionResult result = env.execute("featured-journeys-test");
            counts = FeatureTally.counts(result);
        } finally {
            ExperimentLoop.close(loop);
        }

        FeatureTally.requireValid(BenchJourneys.Variant.FEATURED, counts, FeatureTally.EVERY_FEATURE);
        assertThat(counts.get(FeatureTally.REFUSED_DOCUMENTS)).isZero();
        assertThat(counts.get(FeatureTally.DEAD_LETTERS)).isZero();
        assertThat(counts.get(FeatureTally.ERRORS)).isZero();
        assertThat(counts.get(FeatureTally.CONVERTED)).isPositive();
        assertThat(counts.get(FeatureTally.SEND_TIME_WAITS)).isPositive();
        // the arms convert alike: the winner rule looks, but decides nothing the journeys would take
        assertThat(counts.get(FeatureTally.ASSIGNED)).isPositive();
        assertThat(counts.get(ExperimentLoop.WINNERS)).isZero();
        // email 3 a day: a profile entering several journeys is capped (quiet hours depend on the hour of the run)
        assertThat(counts.get(FeatureTally.CAPPED)).isPositive();
        assertThat(counts.get(RuleTally.ACTIONS)).isPositive();
    }

    @Test
    void shouldRefuseARunWhoseDocumentsWereNotLoadedOrWhoseFeaturesNeverRan() {
        Map<String, Long> ran = new HashMap<>(Map.of(FeatureTally.CONVERTED, 1L, FeatureTally.ASSIGNED, 1L,
                FeatureTally.SEND_TIME_WAITS, 1L));
        FeatureTally.requireValid(BenchJourneys.Variant.FEATURED, new FeatureTally.Counts(ran),
                FeatureTally.EVERY_FEATURE);

        Map<String, Long> refused = new HashMap<>(ran);
        refused.put(FeatureTally.REFUSED_DOCUMENTS, 1L);
        assertThatThrownBy(() -> FeatureTally.requireValid(BenchJourneys.Variant.PLAIN,
                new FeatureTally.Counts(refused), FeatureTally.EVERY_FEATURE)).hasMessageContaining("without errors");
        Map<String, Long> noWaits = new HashMap<>(ran);
        noWaits.remove(FeatureTally.SEND_TIME_WAITS);
        assertThatThrownBy(() -> FeatureTally.requireValid(BenchJourneys.Variant.FEATURED,
                new FeatureTally.Counts(noWaits), FeatureTally.EVERY_FEATURE)).hasMessageContaining("send-time waits");
        FeatureTally.requireValid(BenchJourneys.Variant.FEATURED, new FeatureTally.Counts(noWaits),
                FeatureTally.EXPERIMENTS);
        FeatureTally.requireValid(BenchJourneys.Variant.PLAIN, new FeatureTally.Counts(Map.of()),
                FeatureTally.EVERY_FEATURE);
    }
}
