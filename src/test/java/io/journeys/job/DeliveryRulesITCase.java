package io.journeys.job;

import static io.journeys.job.DeliveryRulesChecks.at;
import static io.journeys.job.DeliveryRulesChecks.checkPriority;
import static io.journeys.job.DeliveryRulesChecks.checkProfile;
import static io.journeys.job.DeliveryRulesChecks.checkRules;
import static io.journeys.job.DeliveryRulesChecks.count;
import static io.journeys.job.DeliveryRulesChecks.endOfQuiet;
import static io.journeys.job.DeliveryRulesChecks.inside;
import static io.journeys.job.DeliveryRulesChecks.isCap;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.ParseResult;
import io.journeys.dsl.RuleSet;
import io.journeys.dsl.RulesParser;
import io.journeys.testing.Json;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.RestoredCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three journeys sharing a rule set, on Kafka at parallelism 2 (RocksDB, checkpoints every second), across a
 * TaskManager failure while actions are held by quiet hours: every held action is sent once, at the end of the
 * quiet period in the profile's zone, within the daily cap (or skipped then, over it); no ruled email goes out
 * inside quiet hours in any profile's zone, no profile gets more than the cap on a local day, and entries go by
 * priority within the entry and concurrency caps. Expectations come from {@link DeliveryRulesModel}.
 *
 * <p>The job runs in processing time, as in production, so the quiet period is set to end at the first whole
 * minute at least {@link #SET_UP} from now, in Europe/Paris; profiles in zones at Paris's offset (Paris itself,
 * with daylight saving; a zone without it; no zone, falling back to Europe/Berlin) are inside it, and profiles in
 * New York and Tokyo are hours away from it and are sent at once.
 */
class DeliveryRulesITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ZoneId FALLBACK = ZoneId.of("Europe/Berlin");
    private static final Duration QUIET_LENGTH = Duration.ofHours(2);
    /** From choosing the quiet period's end to the failure: publishing, checking the job has it, holding. */
    private static final Duration SET_UP = Duration.ofSeconds(10);
    /** Event sequences; each is sent by two profiles in each zone. */
    private static final Map<String, List<String>> SEQUENCES = new LinkedHashMap<>();

    static {
        SEQUENCES.put("A", List.of("promo"));
        SEQUENCES.put("B", List.of("news", "promo"));
        SEQUENCES.put("C", List.of("news", "news", "promo"));
        SEQUENCES.put("D", List.of("promo", "news"));
        SEQUENCES.put("N", List.of("news"));
    }

    private static final String RULES = """
            {"kind": "rules", "id": "marketing", "version": 1, "fallbackTimeZone": "Europe/Berlin",
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": %d, "per": "day"}],
             "quietHours": [{"id": "quiet", "channels": ["email"], "from": "%s", "to": "%s"}],
             "entries": {"max": %d, "per": "day", "maxConcurrent": %d}}""";
    private static final String VIP = """
            {"id": "vip", "version": 1, "rules": "marketing", "priority": 90, "entry": {"type": "event", "event": "promo"},
             "start": "mail", "steps": {
               "mail": {"type": "action", "channel": "email", "template": "vip", "next": "reminder"},
               "reminder": {"type": "action", "channel": "email", "template": "vip-reminder", "next": "linger"},
               "linger": {"type": "wait", "duration": "PT1H", "next": "done"},
               "done": {"type": "end"}}}""";
    private static final String BASIC = """
            {"id": "basic", "version": 1, "rules": "marketing", "priority": 10, "entry": {"type": "event", "event": "promo"},
             "start": "mail", "steps": {
               "mail": {"type": "action", "channel": "email", "template": "basic", "next": "linger"},
               "linger": {"type": "wait", "duration": "PT1H", "next": "done"},
               "done": {"type": "end"}}}""";
    private static final String DIGEST = """
            {"id": "digest", "version": 1, "rules": "marketing", "entry": {"type": "event", "event": "news"},
             "reentry": {"allowed": true, "waitPeriod": "PT0S"},
             "start": "receipt", "steps": {
               "receipt": {"type": "action", "channel": "email", "template": "receipt", "rules": false, "next": "mail"},
               "mail": {"type": "action", "channel": "email", "template": "digest", "next": "done"},
               "done": {"type": "end"}}}""";
    /** Outside the rules: its answer says which version the profile's subtask has, and whether its update is in. */
    private static final String PROBE = """
            {"id": "probe", "version": %1$d, "entry": {"type": "event", "event": "probe"},
             "reentry": {"allowed": true, "waitPeriod": "PT0S"},
             "start": "ask", "steps": {
               "ask": {"type": "action", "channel": "email", "template": "probe-%1$d", "params": {"ready": "profile.ready"},
                       "next": "done"},
               "done": {"type": "end"}}}""";

    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    /** A profile of the test; {@code timeZone} is its attribute, null for none. */
    record Profile(String id, List<String> events, String timeZone, boolean quiet) {
        ZoneId zone() {
            return timeZone == null ? FALLBACK : ZoneId.of(timeZone);
        }
    }

    @Test
    void shouldSendEachHeldActionOnceAtTheEndOfQuietHoursWithinTheCapsAcrossAFailure(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), home.resolve("checkpoints"), "parallelism=2",
                "kafka.groupId=rules", "kafka.transactionalIdPrefix=rules", "topics.journeyDefinitions=rul-definitions",
                "topics.actionsPrefix=rul-actions.", "topics.profileEvents=rul-events",
                "topics.profileUpdates=rul-profiles", "topics.actionResults=rul-results", "topics.stepEvents=rul-steps");
        DefinitionPublisher publisher = new DefinitionPublisher(BROKER.bootstrapServers(), "rul-definitions");
        publisher.publish(List.of(journey(PROBE.formatted(1))));
        List<Profile> profiles = profiles(Instant.now());
        Set<String> ids = profiles.stream().map(Profile::id).collect(Collectors.toSet());
        try (KafkaProducer<String, String> producer = BROKER.producer();
                TopicReader emails = new TopicReader(BROKER.bootstrapServers(), List.of("rul-actions.email"));
                TopicReader steps = new TopicReader(BROKER.bootstrapServers(), List.of("rul-steps"))) {
            // the job may read events before the probe: until a first step event (the probe fails on profiles
            // without "ready", which is all the job has to do here)
            for (int attempt = 0; attempt < 60 && steps.rawValues().isEmpty(); attempt++) {
                producer.send(event("warm-up-" + attempt, "probe", "warm-up-" + attempt)).get();
                steps.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(2));
            }
            for (Profile profile : profiles) {
                producer.send(update(profile));
            }
            producer.flush();

            // the quiet period ends on a whole minute; no zone's local day may turn while the profiles' events come
            Instant now = Instant.now();
            Instant end = wholeMinuteFrom(now.plus(SET_UP));
            Instant calm = calmAfter(now, end, profiles);
            if (calm != null) {
                end = wholeMinuteFrom(calm.plus(SET_UP));
            }
            LocalTime to = end.atZone(PARIS).toLocalTime();
            LocalTime from = to.minus(QUIET_LENGTH);
            publisher.publishRules(List.of(rules(RULES.formatted(DeliveryRulesModel.DAILY_EMAILS, from, to,
                    DeliveryRulesModel.DAILY_ENTRIES, DeliveryRulesModel.CONCURRENT))));
            publisher.publish(List.of(journey(VIP), journey(BASIC), journey(DIGEST), journey(PROBE.formatted(2))));
            confirm(producer, emails, ids);
            if (calm != null) {
                Instant after = calm;
                steps.readUntil(values -> Instant.now().isAfter(after), Duration.between(Instant.now(), after).plusSeconds(1));
            }

            Instant sentAt = Instant.now();
            assertThat(sentAt).as("the set-up leaves time to hold actions before the quiet period ends")
                    .isBefore(end.minusSeconds(5));
            Map<String, DeliveryRulesModel.Outcome> expected = new HashMap<>();
            for (Profile profile : profiles) {
                assertThat(inside(sentAt, profile.zone(), from, to)).as("quiet hours for " + profile)
                        .isEqualTo(profile.quiet());
                if (profile.quiet()) {
                    assertThat(endOfQuiet(sentAt, profile.zone(), to)).as("the end in the zone of " + profile)
                            .isEqualTo(end);
                }
                expected.put(profile.id(), DeliveryRulesModel.expect(profile.events(), profile.quiet()));
                for (int i = 0; i < profile.events().size(); i++) {
                    producer.send(event(profile.id(), profile.events().get(i), profile.id() + "-" + i));
                }
            }
            producer.flush();

            // held: their waiting step events are committed (so is the checkpoint that has them), their emails not
            long held = expected.values().stream().mapToLong(o -> o.held.size()).sum();
            List<JsonNode> stepsWhileHeld = read(steps.readUntil(
                    values -> count(read(values), DeliveryRulesChecks::isHold) >= held, Duration.between(Instant.now(), end)));
            assertThat(count(stepsWhileHeld, DeliveryRulesChecks::isHold)).as("held before the end").isEqualTo(held);
            Set<String> heldSteps = stepsWhileHeld.stream().filter(DeliveryRulesChecks::isHold)
                    .map(DeliveryRulesChecks::instanceStep).collect(Collectors.toSet());
            List<JsonNode> emailsWhileHeld = read(emails.readToEnd(Duration.ofSeconds(30)));
            assertThat(emailsWhileHeld.stream().map(DeliveryRulesChecks::instanceStep)).as("not sent while held")
                    .noneMatch(heldSteps::contains);
            Instant failed = Instant.now();
            miniCluster.terminateTaskManager(0).get();
            miniCluster.startTaskManager();
            assertThat(Instant.now()).as("failed while the actions are held").isBefore(end);
            steps.readUntil(values -> restoredAfter(miniCluster, job, failed), Duration.ofSeconds(60));
            assertThat(restoredAfter(miniCluster, job, failed)).as("restored from a checkpoint after the failure").isTrue();

            long dueSends = expected.values().stream().mapToLong(o -> o.sentAtEnd).sum();
            long dueSkips = expected.values().stream().mapToLong(o -> o.dueAtEnd.size() - o.sentAtEnd).sum();
            Instant quietEnd = end;
            emails.readUntil(values -> count(ours(read(values), ids), e -> !at(e).isBefore(quietEnd)) >= dueSends,
                    Duration.between(Instant.now(), end).plusSeconds(90));
            steps.readUntil(values -> count(read(values), s -> isCap(s) && !at(s).isBefore(quietEnd)) >= dueSkips,
                    Duration.ofSeconds(30));
            // whatever a replay would add is committed by now, with what the checkpoints after the end commit
            List<JsonNode> requests = ours(read(emails.readUntil(values -> false, Duration.ofSeconds(3))), ids);
            List<JsonNode> stepEvents = ours(read(steps.readToEnd(Duration.ofSeconds(30))), ids);

            assertThat(requests.stream().map(r -> r.get("requestId").asText())).as("request ids").doesNotHaveDuplicates();
            assertThat(requests.stream().map(DeliveryRulesChecks::instanceStep)).as("one request per instance and step")
                    .doesNotHaveDuplicates();
            for (Profile profile : profiles) {
                checkProfile(profile, expected.get(profile.id()), end, of(requests, profile),
                        of(stepEvents, profile));
            }
            checkRules(profiles, requests, from, to);
            checkPriority(stepEvents);
        } finally {
            job.close();
        }
    }

    /** Two profiles per sequence in each zone; the first three zones are at Paris's offset now. */
    private static List<Profile> profiles(Instant now) {
        // a zone without daylight saving at Paris's offset now (West Africa in winter, South Africa in summer)
        ZoneId steady = ZoneId.of(PARIS.getRules().getOffset(now).equals(ZoneId.of("Africa/Lagos").getRules().getOffset(now))
                ? "Africa/Lagos" : "Africa/Johannesburg");
        assertThat(steady.getRules().getOffset(now)).isEqualTo(PARIS.getRules().getOffset(now));
        Map<String, String> zones = new LinkedHashMap<>();
        zones.put("paris", PARIS.getId());
        zones.put("steady", steady.getId());
        zones.put("nozone", null);
        zones.put("newyork", "America/New_York");
        zones.put("tokyo", "Asia/Tokyo");
        List<Profile> profiles = new ArrayList<>();
        for (Map.Entry<String, String> zone : zones.entrySet()) {
            boolean quiet = List.of("paris", "steady", "nozone").contains(zone.getKey());
            for (Map.Entry<String, List<String>> sequence : SEQUENCES.entrySet()) {
                for (int copy = 1; copy <= 2; copy++) {
                    profiles.add(new Profile(zone.getKey() + "-" + sequence.getKey() + "-" + copy, sequence.getValue(),
                            zone.getValue(), quiet));
                }
            }
        }
        return profiles;
    }

    /**
     * Sends a probe for every profile until each is answered by the probe's second version with its update in:
     * its subtask has the rule set and the journeys (published before), and its zone.
     */
    private static void confirm(KafkaProducer<String, String> producer, TopicReader emails, Set<String> ids) throws Exception {
        Set<String> unconfirmed = new HashSet<>(ids);
        for (int round = 0; round < 20 && !unconfirmed.isEmpty(); round++) {
            for (String id : unconfirmed) {
                producer.send(event(id, "probe", id + "-probe-" + round));
            }
            producer.flush();
            Set<String> pending = Set.copyOf(unconfirmed);
            unconfirmed.removeAll(confirmed(emails.readUntil(values -> confirmed(values).containsAll(pending),
                    Duration.ofSeconds(3))));
        }
        assertThat(unconfirmed).as("profiles the job has not answered with the new definitions").isEmpty();
    }

    private static Set<String> confirmed(List<String> values) {
        return read(values).stream().filter(e -> e.get("template").asText().equals("probe-2")
                && e.at("/params/ready").asText().equals("yes")).map(e -> e.get("profileId").asText())
                .collect(Collectors.toSet());
    }

    private static Instant wholeMinuteFrom(Instant at) {
        Instant minute = at.truncatedTo(ChronoUnit.MINUTES);
        return minute.equals(at) ? minute : minute.plus(Duration.ofMinutes(1));
    }

    /**
     * When a profile's local day turns between now and a little after {@code end}, an instant after that midnight
     * (the events are sent then, so caps count on one day per profile); else null.
     */
    private static Instant calmAfter(Instant now, Instant end, List<Profile> profiles) {
        Instant calm = null;
        for (ZoneId zone : profiles.stream().map(Profile::zone).collect(Collectors.toSet())) {
            Instant midnight = now.minusSeconds(5).atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
            if (midnight.isBefore(end.plusSeconds(5)) && (calm == null || midnight.isAfter(calm))) {
                calm = midnight.plusSeconds(5);
            }
        }
        return calm;
    }

    private static boolean restoredAfter(MiniCluster miniCluster, RunningKafkaJob job, Instant failed) {
        try {
            RestoredCheckpointStats restored = miniCluster.getExecutionGraph(job.jobId()).get()
                    .getCheckpointStatsSnapshot().getLatestRestoredCheckpoint();
            return restored != null && restored.getRestoreTimestamp() >= failed.toEpochMilli();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("Expected the job's execution graph, but could not get it", e);
        }
    }

    /** The records of the test's profiles and ruled journeys (not the probe's). */
    private static List<JsonNode> ours(List<JsonNode> records, Set<String> ids) {
        return records.stream().filter(r -> ids.contains(r.get("profileId").asText())
                && !r.get("journeyId").asText().equals("probe")).toList();
    }

    private static List<JsonNode> of(List<JsonNode> records, Profile profile) {
        return records.stream().filter(r -> r.get("profileId").asText().equals(profile.id())).toList();
    }

    private static List<JsonNode> read(List<String> values) {
        return values.stream().map(Json::read).toList();
    }

    private static Journey journey(String document) {
        ParseResult parsed = JourneyParser.parse(document);
        assertThat(parsed.problems()).as(document).isEmpty();
        return parsed.journey();
    }

    private static RuleSet rules(String document) {
        RulesParser.Result parsed = RulesParser.parse(document);
        assertThat(parsed.problems()).as(document).isEmpty();
        return parsed.rules();
    }

    private static ProducerRecord<String, String> update(Profile profile) {
        String zone = profile.timeZone() == null ? "" : ", \"timeZone\": \"" + profile.timeZone() + "\"";
        return new ProducerRecord<>("rul-profiles", profile.id(), "{\"profileId\": \"" + profile.id()
                + "\", \"timestamp\": \"" + Instant.now() + "\", \"attributes\": {\"ready\": \"yes\"" + zone + "}}");
    }

    private static ProducerRecord<String, String> event(String profileId, String type, String eventId) {
        return new ProducerRecord<>("rul-events", profileId, "{\"eventId\": \"" + eventId + "\", \"profileId\": \""
                + profileId + "\", \"type\": \"" + type + "\", \"timestamp\": \"" + Instant.now() + "\", \"data\": {}}");
    }
}
