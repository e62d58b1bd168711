package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.dsl.JourneyParser;
import io.journeys.sendtime.HoursOfWeek;
import io.journeys.testing.Json;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka job's population model of send times, end to end at parallelism 2: many profiles' opens, on both
 * subtasks, are counted job-wide by the population counter, its snapshot lands on the compacted population topic,
 * comes back on the broadcast, and a profile with no habit of its own is then sent in the hour before the
 * population's (the model's attention: a message is opened in the hours after it goes). The population's hour is
 * two hours ahead of now (UTC), so the test reads the chosen instant from the waiting step event instead of
 * waiting for it.
 */
class SendTimePopulationITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    static final String JOURNEY = """
            {"id": "campaign", "version": 1, "timeZone": "UTC", "entry": {"event": "campaign.started"},
             "start": "mail",
             "steps": {"mail": {"type": "action", "channel": "email", "template": "spring",
                                "sendTime": {"optimize": "opens", "within": "PT24H"}, "next": "done"},
                       "done": {"type": "end"}}}""";

    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    @Test
    void shouldCountEngagementsJobWideAndSendAColdProfileAtThePopulationsHour() throws Exception {
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), home.resolve("checkpoints"), "parallelism=2",
                "kafka.groupId=stp", "kafka.transactionalIdPrefix=stp", "sendTime.publishEvery=PT1S",
                "topics.journeyDefinitions=stp-definitions", "topics.actionsPrefix=stp-actions.",
                "topics.profileEvents=stp-events", "topics.stepEvents=stp-steps",
                "topics.sendTimePopulation=stp-population");
        new DefinitionPublisher(BROKER.bootstrapServers(), "stp-definitions")
                .publish(List.of(JourneyParser.parse(JOURNEY).journey()));
        Instant peak = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2));
        int peakHour = HoursOfWeek.of(peak, ZoneOffset.UTC);
        try (KafkaProducer<String, String> producer = BROKER.producer();
                TopicReader emails = new TopicReader(BROKER.bootstrapServers(), List.of("stp-actions.email"));
                TopicReader population = new TopicReader(BROKER.bootstrapServers(), List.of("stp-population"));
                TopicReader steps = new TopicReader(BROKER.bootstrapServers(), List.of("stp-steps"))) {
            // engagements count only once a journey optimises send times: until the journey answers a first profile
            for (int attempt = 0; attempt < 30 && emails.rawValues().isEmpty(); attempt++) {
                producer.send(event("probe-" + attempt, "campaign.started", Instant.now())).get();
                emails.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(2));
            }
            assertThat(emails.rawValues()).as("the journey is loaded").isNotEmpty();

            // 80 profiles opened an email in the peak's hour of the week, a week ago (decayed: about 67 opens)
            int fans = 80;
            for (int i = 0; i < fans; i++) {
                producer.send(event("fan-" + i, "email.opened", peak.minus(Duration.ofDays(7)).plusSeconds(60 + i)));
            }
            producer.flush();
            List<String> snapshots = population.readUntil(values -> values.stream().anyMatch(v -> peakWeight(v, peakHour) > 60),
                    Duration.ofSeconds(30));
            JsonNode last = Json.read(snapshots.get(snapshots.size() - 1));
            assertThat(last.get("kind").asText()).isEqualTo("population");
            assertThat(last.get("engagement").asText()).isEqualTo("email/opens");
            assertThat(last.get("weights")).hasSize(HoursOfWeek.COUNT);
            assertThat(peakWeight(snapshots.get(snapshots.size() - 1), peakHour)).as("every fan, from both subtasks")
                    .isGreaterThan(60);

            // the snapshot comes back on the broadcast a moment later: until a cold profile is chosen by population
            Optional<JsonNode> chosen = Optional.empty();
            List<String> seen = List.of();
            for (int attempt = 0; attempt < 30 && chosen.isEmpty(); attempt++) {
                String cold = "cold-" + attempt;
                producer.send(event(cold, "campaign.started", Instant.now())).get();
                List<String> values = steps.readUntil(all -> mail(all, cold).isPresent(), Duration.ofSeconds(10));
                seen = values;
                chosen = mail(values, cold).filter(step -> step.path("message").asText().contains("by population"));
            }
            List<String> tried = seen;
            assertThat(chosen).as(() -> "a cold profile sent by the population, among " + tried.stream()
                    .filter(v -> v.contains("cold-")).toList()).isPresent();
            assertThat(chosen.get().get("status").asText()).isEqualTo("waiting");
            Instant hourBefore = peak.minus(Duration.ofHours(1));
            assertThat(chosen.get().get("message").asText()).contains("send time " + hourBefore + " (")
                    .contains(HoursOfWeek.name(HoursOfWeek.of(hourBefore, ZoneOffset.UTC)) + " local");
        } finally {
            job.close();
        }
    }

    private static double peakWeight(String document, int peakHour) {
        return Json.read(document).get("weights").get(peakHour).asDouble();
    }

    /** The mail step's outcome for a profile: waiting for the chosen instant, or executed at once. */
    private static Optional<JsonNode> mail(List<String> stepEvents, String profileId) {
        return stepEvents.stream().map(Json::read).filter(s -> s.get("profileId").asText().equals(profileId)
                && s.get("stepId").asText().equals("mail") && !s.get("status").asText().equals("entered")).findFirst();
    }

    private static ProducerRecord<String, String> event(String profileId, String type, Instant at) {
        return new ProducerRecord<>("stp-events", profileId, "{\"eventId\": \"" + profileId + "-" + type
                + "\", \"profileId\": \"" + profileId + "\", \"type\": \"" + type + "\", \"timestamp\": \"" + at
                + "\", \"data\": {}}");
    }
}
