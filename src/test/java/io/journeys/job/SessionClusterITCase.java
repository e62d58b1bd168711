package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.dsl.JourneyParser;
import io.journeys.testing.FlinkSessionCluster;
import io.journeys.testing.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * The cluster jar on a real Flink session cluster (JobManager and TaskManager in their own JVMs),
 * submitted with Flink's own CLI, against a real Kafka broker fed by a plain Kafka producer: it emits the
 * expected action requests; a TaskManager killed with waits pending loses and duplicates none of them;
 * a stop with a savepoint and a restart from it keeps waiting profiles waiting.
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

    private static List<String> jobArgs(String name) throws IOException {
        return List.of("--bootstrap-servers", kafka.bootstrapServers(),
                "--set", "checkpoints.interval=PT1S",
                "--set", "checkpoints.dir=" + Files.createDirectories(home.resolve("checkpoints-" + name)).toUri(),
                "--set", "kafka.groupId=journeys-" + name,
                "--set", "kafka.transactionalIdPrefix=journeys-" + name,
                "--set", "parallelism=2");
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
