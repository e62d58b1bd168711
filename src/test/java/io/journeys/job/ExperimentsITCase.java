package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.dsl.JourneyParser;
import io.journeys.report.ReportBuilder;
import io.journeys.report.ReportJson;
import io.journeys.report.StepEventsTopic;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.Json;
import io.journeys.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
 * The streaming job at parallelism 2 with a goal and an experiment: the experiment's counter counts arms and
 * conversions across both subtasks and a TaskManager failure, decides the winner and publishes it, and every
 * profile after the subtasks have read it back takes it; conversions count once, on the same cart only; and the report read from the job's step-events
 * topic counts the same.
 */
class ExperimentsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String JOURNEY = """
            {"id": "basket", "version": 1, "entry": {"type": "event", "event": "cart.abandoned"},
             "goals": [{"id": "purchase", "event": "order.placed", "when": "event.cartId == journey.entry.data.cartId",
                        "within": "PT1H"}],
             "start": "test",
             "steps": {
               "test": {"type": "experiment", "goal": "purchase",
                        "arms": [{"id": "a", "percent": 50, "next": "email-a"}, {"id": "b", "percent": 50, "next": "email-b"}],
                        "winner": {"after": "PT0S", "confidence": 0.95, "minPerArm": 15}},
               "email-a": {"type": "action", "channel": "email", "template": "a", "next": "done"},
               "email-b": {"type": "action", "channel": "email", "template": "b", "next": "done"},
               "done": {"type": "end"}}}""";

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    @Test
    void shouldCountArmsAndConversionsAcrossTheJobAndAFailureAndMoveLaterProfilesToTheWinner(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), home.resolve("checkpoints"), "parallelism=2",
                "kafka.groupId=experiments", "kafka.transactionalIdPrefix=experiments",
                "topics.journeyDefinitions=exp-definitions", "topics.actionsPrefix=exp-actions.",
                "topics.profileEvents=exp-events", "topics.actionResults=exp-results", "topics.stepEvents=exp-steps");
        new DefinitionPublisher(BROKER.bootstrapServers(), "exp-definitions")
                .publish(List.of(JourneyParser.parse(JOURNEY).journey()));
        try (KafkaProducer<String, String> producer = BROKER.producer();
                TopicReader emails = new TopicReader(BROKER.bootstrapServers(), List.of("exp-actions.email"));
                TopicReader steps = new TopicReader(BROKER.bootstrapServers(), List.of("exp-steps"))) {
            // the job may read events before the definition: until a first profile is answered
            for (int attempt = 0; attempt < 60 && emails.rawValues().isEmpty(); attempt++) {
                producer.send(abandoned("first-" + attempt, "c-0")).get();
                emails.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(2));
            }
            int early = 60;
            for (int i = 0; i < early; i++) {
                producer.send(abandoned("p-" + i, "c-" + i));
            }
            producer.flush();
            List<JsonNode> firstEmails = read(emails.readUntil(values -> ours(read(values)).size() >= early,
                    Duration.ofSeconds(90)));
            // arm b's profiles buy their cart, and some buy another one too; arm a's buy another cart only
            long buyers = 0;
            for (JsonNode email : ours(firstEmails)) {
                String profile = email.get("profileId").asText();
                String cart = "c-" + profile.substring(2);
                if (email.get("template").asText().equals("b")) {
                    producer.send(event(profile, "order.placed", profile + "-buy", cart));
                    producer.send(event(profile, "order.placed", profile + "-again", cart));
                    buyers++;
                } else {
                    producer.send(event(profile, "order.placed", profile + "-other", "x-" + profile));
                }
            }
            producer.flush();
            long expectedBuyers = buyers;
            steps.readUntil(values -> conversions(read(values)) >= expectedBuyers, Duration.ofSeconds(90));

            // the counts survive a failure: they are keyed state, checkpointed with the journeys' state
            miniCluster.terminateTaskManager(0).get();
            miniCluster.startTaskManager();
            // the conversions decided the winner; its counter published it, and the subtasks read it back on their
            // broadcast (about a checkpoint later): until then a profile takes its hash's arm
            boolean tookIt = false;
            for (int attempt = 0; attempt < 60 && !tookIt; attempt++) {
                producer.send(abandoned("probe-" + attempt, "e-" + attempt)).get();
                tookIt = tookTheWinner(read(steps.readUntil(values -> tookTheWinner(read(values)), Duration.ofSeconds(2))));
            }
            assertThat(tookIt).as("a profile took the published winner").isTrue();
            int late = 30;
            for (int i = 0; i < late; i++) {
                producer.send(abandoned("q-" + i, "d-" + i));
            }
            producer.flush();
            List<JsonNode> all = read(emails.readUntil(values -> ours(read(values)).size() >= early + late,
                    Duration.ofSeconds(180)));
            List<JsonNode> stepEvents = read(steps.readUntil(values -> false, Duration.ofSeconds(3)));

            assertThat(ours(all).stream().map(e -> e.get("profileId").asText())).as("one email per profile")
                    .doesNotHaveDuplicates().hasSize(early + late);
            assertThat(ours(all).stream().filter(e -> e.get("profileId").asText().startsWith("q-")))
                    .as("every later profile takes the winner").allSatisfy(e -> assertThat(e.get("template").asText())
                            .isEqualTo("b"));
            List<JsonNode> assignments = stepEvents.stream().filter(s -> s.has("arm")).toList();
            Map<String, Long> perInstance = assignments.stream().collect(Collectors.groupingBy(
                    s -> s.get("instanceId").asText(), Collectors.counting()));
            assertThat(perInstance.values()).as("one assignment per instance").containsOnly(1L);
            assertThat(assignments.stream().filter(s -> s.get("profileId").asText().startsWith("q-")))
                    .allSatisfy(s -> assertThat(s.get("winner").asBoolean()).isTrue());
            assertThat(conversions(stepEvents)).as("once per instance, on the same cart only").isEqualTo(buyers);
            Set<String> converted = stepEvents.stream().filter(s -> s.get("status").asText().equals("converted"))
                    .map(s -> s.get("profileId").asText()).collect(Collectors.toSet());
            assertThat(converted).allSatisfy(p -> assertThat(firstEmails.stream().anyMatch(e ->
                    e.get("profileId").asText().equals(p) && e.get("template").asText().equals("b"))).isTrue());

            // the report of the running job's step-events topic (read committed) says the same
            ReportBuilder builder = new ReportBuilder(List.of(JourneyParser.parse(JOURNEY).journey()));
            try (StepEventsTopic topic = new StepEventsTopic(BROKER.bootstrapServers(), "exp-steps", warning -> { })) {
                topic.catchUp(builder);
            }
            JsonNode report = ReportJson.tree(builder.build()).at("/journeys/0");
            JsonNode arms = report.at("/experiments/test/arms");
            for (String arm : List.of("a", "b")) {
                assertThat(arms.at("/" + arm + "/profiles").asLong()).as("profiles of arm " + arm).isEqualTo(
                        assignments.stream().filter(s -> s.get("arm").asText().equals(arm)).count());
            }
            assertThat(arms.at("/b/conversions").asLong()).isEqualTo(buyers);
            assertThat(arms.at("/a/conversions").asLong()).isZero();
            assertThat(report.at("/experiments/test/winner").asText()).isEqualTo("b");
            assertThat(report.at("/goals/purchase/conversions").asLong()).isEqualTo(buyers);
            assertThat(report.get("entered").asLong()).isEqualTo(assignments.size());
            assertThat(report.get("completed").asLong()).isEqualTo(assignments.size());
            assertThat(report.get("inside").asLong()).isZero();
        } finally {
            job.close();
        }
    }

    private static List<JsonNode> ours(List<JsonNode> emails) {
        return emails.stream().filter(e -> !e.get("profileId").asText().startsWith("first-")
                && !e.get("profileId").asText().startsWith("probe-")).toList();
    }

    private static boolean tookTheWinner(List<JsonNode> stepEvents) {
        return stepEvents.stream().anyMatch(s -> s.get("profileId").asText().startsWith("probe-") && s.has("winner")
                && s.get("winner").asBoolean());
    }

    private static long conversions(List<JsonNode> stepEvents) {
        return stepEvents.stream().filter(s -> s.get("status").asText().equals("converted")).count();
    }

    private static List<JsonNode> read(List<String> values) {
        return values.stream().map(Json::read).toList();
    }

    private static ProducerRecord<String, String> abandoned(String profileId, String cartId) {
        return event(profileId, "cart.abandoned", profileId + "-abandoned", cartId);
    }

    private static ProducerRecord<String, String> event(String profileId, String type, String eventId, String cartId) {
        return new ProducerRecord<>("exp-events", profileId, "{\"eventId\": \"" + eventId + "\", \"profileId\": \""
                + profileId + "\", \"type\": \"" + type + "\", \"timestamp\": \"" + Instant.now()
                + "\", \"data\": {\"cartId\": \"" + cartId + "\"}}");
    }

}
