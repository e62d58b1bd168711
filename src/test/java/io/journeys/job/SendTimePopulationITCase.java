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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
 * subtasks, are counted job-wide by the population counter, everyone's and per zone; its snapshots land on the
 * compacted population topic (one per zone), come back on the broadcast, and a profile with no habit of its own
 * is then sent in the hour before its zone's population's hour: a UTC profile before the hour of the UTC fans, a
 * Tokyo profile before the Tokyo fans' hour, although by everyone's it would go before the UTC fans' local hour
 * (more of them). The hours are
 * hours ahead of now, so the test reads the chosen instant from the waiting step event instead of waiting for it.
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

    /** Answers with the profile's zone: proves its attributes are in before its engagements count. */
    static final String PROBE = """
            {"id": "probe", "version": 1, "entry": {"event": "zone.probe"},
             "reentry": {"allowed": true, "waitPeriod": "PT0S"}, "start": "ask",
             "steps": {"ask": {"type": "action", "channel": "email", "template": "probe",
                               "params": {"zone": "profile.timeZone"}, "next": "done"},
                       "done": {"type": "end"}}}""";

    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    @Test
    void shouldCountEngagementsJobWideAndPerZoneAndSendAColdProfileAtItsZonesPopulationsHour() throws Exception {
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), home.resolve("checkpoints"), "parallelism=2",
                "kafka.groupId=stp", "kafka.transactionalIdPrefix=stp", "sendTime.publishEvery=PT1S",
                "topics.journeyDefinitions=stp-definitions", "topics.actionsPrefix=stp-actions.",
                "topics.profileEvents=stp-events", "topics.profileUpdates=stp-profiles", "topics.stepEvents=stp-steps",
                "topics.sendTimePopulation=stp-population");
        new DefinitionPublisher(BROKER.bootstrapServers(), "stp-definitions")
                .publish(List.of(JourneyParser.parse(JOURNEY).journey(), JourneyParser.parse(PROBE).journey()));
        // UTC's fans open at 12 h from now, their local hour; in Tokyo that local hour comes at 3 h from now
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Instant peak = hour.plus(Duration.ofHours(12));
        int peakHour = HoursOfWeek.of(peak, ZoneOffset.UTC);
        // Tokyo's fans open at 6 h from now, their local hour
        Instant tokyoPeak = hour.plus(Duration.ofHours(6));
        int tokyoHour = HoursOfWeek.of(tokyoPeak, TOKYO);
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

            // 60 profiles in Tokyo opened an email in their peak's hour of the week, a week ago (decayed: about 50
            // opens); their zone must be in before their opens count
            List<String> tokyoFans = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                tokyoFans.add("tokyo-fan-" + i);
            }
            inTokyo(producer, emails, tokyoFans);
            for (String fan : tokyoFans) {
                producer.send(event(fan, "email.opened", tokyoPeak.minus(Duration.ofDays(7)).plusSeconds(60)));
            }
            // 80 profiles without a zone (UTC) opened an email in the peak's hour of the week (decayed: about 67)
            int fans = 80;
            for (int i = 0; i < fans; i++) {
                producer.send(event("fan-" + i, "email.opened", peak.minus(Duration.ofDays(7)).plusSeconds(60 + i)));
            }
            producer.flush();
            List<String> snapshots = population.readUntil(values -> latest(values, null).filter(
                            everyone -> weight(everyone, peakHour) > 60 && weight(everyone, tokyoHour) > 45).isPresent()
                            && latest(values, "Asia/Tokyo").filter(tokyo -> weight(tokyo, tokyoHour) > 45).isPresent()
                            && latest(values, "UTC").filter(utc -> weight(utc, peakHour) > 60).isPresent(),
                    Duration.ofSeconds(30));
            JsonNode everyone = latest(snapshots, null).orElseThrow();
            assertThat(everyone.get("kind").asText()).isEqualTo("population");
            assertThat(everyone.get("engagement").asText()).isEqualTo("email/opens");
            assertThat(everyone.get("weights")).hasSize(HoursOfWeek.COUNT);
            assertThat(weight(everyone, peakHour)).as("every fan, from both subtasks").isGreaterThan(60);
            assertThat(weight(everyone, tokyoHour)).as("every Tokyo fan").isGreaterThan(45);
            JsonNode tokyo = latest(snapshots, "Asia/Tokyo").orElseThrow();
            assertThat(weight(tokyo, tokyoHour)).as("Tokyo's own").isGreaterThan(45);
            assertThat(weight(tokyo, peakHour)).as("no UTC fan in Tokyo's").isZero();
            JsonNode utc = latest(snapshots, "UTC").orElseThrow();
            assertThat(weight(utc, peakHour)).isGreaterThan(60);
            assertThat(weight(utc, tokyoHour)).as("no Tokyo fan in UTC's").isZero();
            // for a Tokyo profile, everyone's would choose the UTC fans' local hour (about 67 against 50)
            assertThat(HoursOfWeek.of(hour.plus(Duration.ofHours(3)), TOKYO)).isEqualTo(peakHour);

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
            // in the hour before the fans' (the model's attention: a message is opened in the hours after it goes)
            Instant beforePeak = peak.minus(Duration.ofHours(1));
            assertThat(chosen.get().get("message").asText()).contains("send time " + beforePeak + " (")
                    .contains(HoursOfWeek.name(HoursOfWeek.of(beforePeak, ZoneOffset.UTC)) + " local");

            // a Tokyo profile without a habit: its zone's hour, shrunk toward everyone's (about 50 + 50·50/117
            // against 50·67/117), not the UTC fans' local hour three hours from now
            Optional<JsonNode> tokyoChosen = Optional.empty();
            for (int attempt = 0; attempt < 10 && tokyoChosen.isEmpty(); attempt++) {
                String cold = "cold-tokyo-" + attempt;
                inTokyo(producer, emails, List.of(cold));
                producer.send(event(cold, "campaign.started", Instant.now())).get();
                List<String> values = steps.readUntil(all -> mail(all, cold).isPresent(), Duration.ofSeconds(10));
                tokyoChosen = mail(values, cold).filter(step -> step.path("message").asText().contains("by population"));
            }
            assertThat(tokyoChosen).as("a cold Tokyo profile sent by the population").isPresent();
            Instant beforeTokyoPeak = tokyoPeak.minus(Duration.ofHours(1));
            assertThat(tokyoChosen.get().get("message").asText()).contains("send time " + beforeTokyoPeak + " (")
                    .contains(HoursOfWeek.name(HoursOfWeek.of(beforeTokyoPeak, TOKYO)) + " local");
        } finally {
            job.close();
        }
    }

    private static double weight(JsonNode population, int hourOfWeek) {
        return population.get("weights").get(hourOfWeek).asDouble();
    }

    /** The latest snapshot of a zone (null: everyone's) among the population topic's values. */
    private static Optional<JsonNode> latest(List<String> values, String zone) {
        JsonNode found = null;
        for (String value : values) {
            JsonNode document = Json.read(value);
            if (zone == null ? !document.has("zone") : zone.equals(document.path("zone").asText())) {
                found = document;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Gives profiles the Tokyo zone and waits until the job answers each with it: their engagements and
     * choices after that are in Tokyo's hours (the update and later events come on different topics).
     */
    private static void inTokyo(KafkaProducer<String, String> producer, TopicReader emails, List<String> profiles)
            throws Exception {
        for (String profile : profiles) {
            producer.send(new ProducerRecord<>("stp-profiles", profile, "{\"profileId\": \"" + profile
                    + "\", \"timestamp\": \"" + Instant.now() + "\", \"attributes\": {\"timeZone\": \"Asia/Tokyo\"}}"));
        }
        producer.flush();
        Set<String> unconfirmed = new HashSet<>(profiles);
        for (int round = 0; round < 20 && !unconfirmed.isEmpty(); round++) {
            for (String profile : unconfirmed) {
                producer.send(event(profile, "zone.probe", Instant.now(), profile + "-probe-" + round));
            }
            producer.flush();
            Set<String> pending = Set.copyOf(unconfirmed);
            unconfirmed.removeAll(inTokyo(emails.readUntil(values -> inTokyo(values).containsAll(pending),
                    Duration.ofSeconds(5))));
        }
        assertThat(unconfirmed).as("profiles the job has not answered in Tokyo").isEmpty();
    }

    private static Set<String> inTokyo(List<String> emails) {
        return emails.stream().map(Json::read).filter(e -> e.get("template").asText().equals("probe")
                && e.at("/params/zone").asText().equals("Asia/Tokyo")).map(e -> e.get("profileId").asText())
                .collect(Collectors.toSet());
    }

    /** The mail step's outcome for a profile: waiting for the chosen instant, or executed at once. */
    private static Optional<JsonNode> mail(List<String> stepEvents, String profileId) {
        return stepEvents.stream().map(Json::read).filter(s -> s.get("profileId").asText().equals(profileId)
                && s.get("stepId").asText().equals("mail") && !s.get("status").asText().equals("entered")).findFirst();
    }

    private static ProducerRecord<String, String> event(String profileId, String type, Instant at) {
        return event(profileId, type, at, profileId + "-" + type);
    }

    private static ProducerRecord<String, String> event(String profileId, String type, Instant at, String eventId) {
        return new ProducerRecord<>("stp-events", profileId, "{\"eventId\": \"" + eventId
                + "\", \"profileId\": \"" + profileId + "\", \"type\": \"" + type + "\", \"timestamp\": \"" + at
                + "\", \"data\": {}}");
    }
}
