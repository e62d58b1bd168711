package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.bench.cluster.FlinkSessionCluster;
import io.journeys.demo.EmbeddedKafka;
import io.journeys.dsl.ActionParser;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.RulesParser;
import io.journeys.testing.LocalHttpServer;
import io.journeys.testing.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster jar on a real Flink session cluster as a data engineer has one: JobManager and TaskManager in
 * their own JVMs, on a stock Flink distribution's classpath with no project-specific JVM option, the job
 * submitted with Flink's own CLI, against a real Kafka broker fed by plain Kafka producers. Journeys that use
 * every step type and expression feature run, under delivery rules (quiet hours, a frequency cap, a concurrency
 * cap) read on the real clock; a TaskManager killed with waits pending loses and duplicates
 * no action; a stop with a savepoint and a restart from it keeps waiting profiles waiting.
 */
class SessionClusterITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JOB_JAR = Path.of("target/journeys-0.1.0-SNAPSHOT-job.jar");

    // the job may still write a checkpoint while it is being cancelled: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    static Path home;

    private static EmbeddedKafka kafka;
    private static FlinkSessionCluster flink;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(JobConfig.defaults(), 2);
        flink = FlinkSessionCluster.start(home);
    }

    @AfterAll
    static void stop() throws Exception {
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldRunJourneysThatUseEveryStepTypeAndExpressionFeature() throws Exception {
        try (LocalHttpServer crm = new LocalHttpServer()) {
            crm.on("/tier", request -> new LocalHttpServer.Response(200, "{\"tier\": \"gold\"}"));
            Path exports = Files.createDirectories(home.resolve("exports"));
            kafka.createTopics(JobConfig.defaults().with(JobConfig.Key.TOPIC_DEFINITIONS, "tour-definitions"), 2);
            DefinitionPublisher publisher = new DefinitionPublisher(kafka.bootstrapServers(), "tour-definitions");
            publisher.publishActions(List.of(ActionParser.parse(EveryFeature.crmAction(crm.url("/tier"))).action()));
            // the rule set before the journeys that name it (the job refuses a journey whose rule set it lacks)
            publisher.publishRules(List.of(RulesParser.parse(EveryFeature.document("tour-rules.json")).rules()));
            publisher.publish(List.of(EveryFeature.document("tour.json"), EveryFeature.document("sequel.json"),
                    EveryFeature.document("listed.json"), EveryFeature.document("offer.json"), EveryFeature.WARM)
                    .stream().map(text -> JourneyParser.parse(text).journey()).toList());
            String job = flink.submit(JOB_JAR, "io.journeys.cli.JobMain", jobArgs("tour",
                    "topics.journeyDefinitions=tour-definitions", "http.allowedHosts=127.0.0.1",
                    "exports.dir=" + exports.toUri(), "exports.interval=PT1S"), null);
            try (KafkaProducer<String, String> producer = producer();
                    TopicReader actions = new TopicReader(kafka.bootstrapServers(), List.of("actions.email",
                            "actions.push", "actions.sms", "actions.inapp"));
                    TopicReader writes = new TopicReader(kafka.bootstrapServers(), List.of("profile-writes"));
                    TopicReader steps = new TopicReader(kafka.bootstrapServers(), List.of("step-events"))) {
                List<String> profiles = List.of("t-0", "t-1", "t-2", "t-3", "t-4", "t-5");
                // the real clock: the tour's profiles live where it is midday, so its rules' night never holds the
                // tour. Sent before the warm-up: the profiles' zones are in the job before any of their events
                ZoneOffset midday = EveryFeature.middayZone(Instant.now());
                for (String profile : profiles) {
                    producer.send(new ProducerRecord<>("profile-updates", profile, EveryFeature.attributes(profile, midday)));
                }
                producer.flush();
                EveryFeature.warmUp(producer, actions);
                for (String profile : profiles) {
                    if (EveryFeature.isVip(profile)) {
                        producer.send(new ProducerRecord<>("audience-qualifications", profile,
                                EveryFeature.qualification(profile, "vip")));
                    }
                    for (int login = 0; login < 2; login++) {
                        producer.send(new ProducerRecord<>("profile-events", profile,
                                EveryFeature.event(profile + "-login-" + login, profile, "tour.login", "{}")));
                    }
                }
                producer.send(new ProducerRecord<>("profile-events", "t-trial", EveryFeature.event("t-trial-start",
                        "t-trial", "tour.start", "{\"plan\": \"trial\", \"who\": \"t-trial\"}")));
                for (String profile : profiles) {
                    producer.send(new ProducerRecord<>("profile-events", profile, EveryFeature.event(profile + "-start",
                            profile, "tour.start", "{\"plan\": \"pro\", \"who\": \"" + profile + "\"}")));
                }
                producer.flush();
                EveryFeature.writeExport(exports.resolve("newsletter/x1"), List.of("l-0", "l-1", "l-2"));

                // the admitted profiles get the welcome email: open it, which the await waits for
                List<JsonNode> sent = actions.readUntil(values -> count(values, "tour-welcome") >= 4
                        && count(values, "tour-overflow") >= 2, Duration.ofSeconds(120)).stream()
                        .map(SessionClusterITCase::read).toList();
                List<JsonNode> welcomes = sent.stream().filter(a -> a.get("template").asText().equals("tour-welcome"))
                        .toList();
                // the offer, under the tour's rules: refused to a profile still in the tour (its await is waiting
                // for the open sent below, on the same partition), its SMS skipped for the profiles the overflow
                // texted today, and held for the trial profile, whose zone makes its quiet hours end (08:00 there)
                // a few seconds from now: time enough for the job to reach the SMS first, and little to wait
                String excluded = welcomes.get(0).get("profileId").asText();
                Set<String> overflowed = sent.stream().filter(a -> a.get("template").asText().equals("tour-overflow"))
                        .map(a -> a.get("profileId").asText()).collect(Collectors.toSet());
                Instant heldUntil = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(6);
                producer.send(new ProducerRecord<>("profile-events", EveryFeature.TRIAL, EveryFeature.offer(
                        EveryFeature.TRIAL, EveryFeature.zoneWhereClockReads(heldUntil, LocalTime.of(8, 0)))));
                producer.send(new ProducerRecord<>("profile-events", excluded, EveryFeature.offer(excluded, midday)));
                for (String profile : overflowed) {
                    producer.send(new ProducerRecord<>("profile-events", profile, EveryFeature.offer(profile, midday)));
                }
                for (JsonNode welcome : welcomes) {
                    String profile = welcome.get("profileId").asText();
                    producer.send(new ProducerRecord<>("profile-events", profile, EveryFeature.reaction(profile,
                            welcome.get("requestId").asText())));
                }
                producer.flush();
                List<String> all = actions.readUntil(values -> count(values, "sequel-bye") >= 4
                        && count(values, "listed-hello") >= 3 && count(values, "offer-code") >= 1
                        && count(values, "offer-call") >= 2, Duration.ofSeconds(120));
                // a little longer: a duplicate or a late surprise would show now
                all = actions.readUntil(values -> false, Duration.ofSeconds(2));
                List<JsonNode> profileWrites = writes.readUntil(values -> values.size() >= 4 + 3, Duration.ofSeconds(30))
                        .stream().map(SessionClusterITCase::read).toList();
                List<JsonNode> stepEvents = steps.readToEnd(Duration.ofSeconds(30)).stream()
                        .map(SessionClusterITCase::read).toList();

                List<JsonNode> actionRequests = all.stream().map(SessionClusterITCase::read).toList();
                EveryFeature.check(actionRequests, profileWrites, crm.received().size());
                EveryFeature.checkRules(actionRequests, stepEvents, profileWrites, excluded, overflowed, heldUntil);
                assertThat(flink.failuresOf(job)).as("failures of the job").isZero();
            } finally {
                flink.cancel(job);
            }
        }
    }

    @Test
    void shouldLoseAndDuplicateNoActionWhenTheTaskManagerDiesWithWaitsPending() throws Exception {
        publish("""
                {"id": "relay", "version": 1, "entry": {"type": "event", "event": "relay.signup"}, "start": "hello",
                 "steps": {
                   "hello": {"type": "action", "channel": "email", "template": "relay-hello", "next": "wait"},
                   "wait": {"type": "wait", "duration": "PT4S", "next": "nudge"},
                   "nudge": {"type": "action", "channel": "push", "template": "relay-nudge", "next": "done"},
                   "done": {"type": "end"}}}""");
        String job = flink.submit(JOB_JAR, "io.journeys.cli.JobMain", jobArgs("relay"), null);
        int profiles = 30;
        try (KafkaProducer<String, String> producer = producer();
                TopicReader actions = new TopicReader(kafka.bootstrapServers(), List.of("actions.email", "actions.push"))) {
            for (int i = 0; i < profiles; i++) {
                producer.send(new ProducerRecord<>("profile-events", "r-" + i, event("r-" + i, "relay.signup"))).get();
                if (i == 12) {
                    // some actions are out and some waits pending: kill the TaskManager
                    actions.readUntil(values -> count(values, "relay-hello") >= 3, Duration.ofSeconds(90));
                    flink.killTaskManager();
                    flink.startTaskManager();
                }
            }
            List<String> all = actions.readUntil(values -> count(values, "relay-nudge") >= profiles
                    && count(values, "relay-hello") >= profiles, Duration.ofSeconds(180));

            Map<String, Long> byProfileAndTemplate = all.stream().map(SessionClusterITCase::read)
                    .filter(a -> a.get("journeyId").asText().equals("relay"))
                    .collect(Collectors.groupingBy(a -> a.get("profileId").asText() + ":" + a.get("template").asText(),
                            Collectors.counting()));
            assertThat(byProfileAndTemplate).hasSize(2 * profiles).allSatisfy((key, count) ->
                    assertThat(count).as("copies of %s", key).isEqualTo(1L));
            assertThat(all.stream().map(a -> read(a).get("requestId").asText())).doesNotHaveDuplicates();
            assertThat(flink.failuresOf(job)).as("failures the job recovered from").isPositive();
        } finally {
            flink.cancel(job);
        }
    }

    @Test
    void shouldKeepWaitingProfilesWaitingAcrossAStopWithSavepointAndARestart() throws Exception {
        publish("""
                {"id": "patient", "version": 1, "entry": {"type": "event", "event": "patient.signup"}, "start": "hello",
                 "steps": {
                   "hello": {"type": "action", "channel": "email", "template": "patient-hello", "next": "wait"},
                   "wait": {"type": "wait", "duration": "PT15S", "next": "later"},
                   "later": {"type": "action", "channel": "sms", "template": "patient-later", "next": "done"},
                   "done": {"type": "end"}}}""");
        String job = flink.submit(JOB_JAR, "io.journeys.cli.JobMain", jobArgs("patient"), null);
        int profiles = 5;
        try (KafkaProducer<String, String> producer = producer();
                TopicReader actions = new TopicReader(kafka.bootstrapServers(), List.of("actions.email", "actions.sms"))) {
            for (int i = 0; i < profiles; i++) {
                producer.send(new ProducerRecord<>("profile-events", "w-" + i, event("w-" + i, "patient.signup"))).get();
            }
            actions.readUntil(values -> count(values, "patient-hello") >= profiles, Duration.ofSeconds(90));
            String savepoint = flink.stopWithSavepoint(job);
            assertThat(count(actions.readUntil(values -> false, Duration.ofSeconds(1)), "patient-later")).isZero();

            job = flink.submit(JOB_JAR, "io.journeys.cli.JobMain", jobArgs("patient"), savepoint);
            List<String> all = actions.readUntil(values -> count(values, "patient-later") >= profiles,
                    Duration.ofSeconds(120));

            assertThat(all.stream().map(SessionClusterITCase::read)
                    .filter(a -> a.get("template").asText().equals("patient-later"))
                    .map(a -> a.get("profileId").asText()))
                    .containsExactlyInAnyOrder("w-0", "w-1", "w-2", "w-3", "w-4");
        } finally {
            flink.cancel(job);
        }
    }

    private static List<String> jobArgs(String name, String... settings) throws IOException {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--set", "checkpoints.interval=PT1S",
                "--set", "checkpoints.dir=" + Files.createDirectories(home.resolve("checkpoints-" + name)).toUri(),
                "--set", "kafka.groupId=journeys-" + name,
                "--set", "kafka.transactionalIdPrefix=journeys-" + name,
                "--set", "parallelism=2"));
        for (String setting : settings) {
            args.addAll(List.of("--set", setting));
        }
        return args;
    }

    private static void publish(String journey) throws Exception {
        new DefinitionPublisher(kafka.bootstrapServers(), "journey-definitions")
                .publish(List.of(JourneyParser.parse(journey).journey()));
    }

    private static long count(List<String> actions, String template) {
        return actions.stream().filter(a -> read(a).get("template").asText().equals(template)).count();
    }

    private static String event(String profileId, String type) {
        return "{\"eventId\": \"" + profileId + "-" + type + "\", \"profileId\": \"" + profileId + "\", \"type\": \""
                + type + "\", \"timestamp\": \"" + Instant.now() + "\", \"data\": {}}";
    }

    private static KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static JsonNode read(String value) {
        try {
            return JSON.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
