package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.dsl.ActionParser;
import io.journeys.dsl.JourneyParser;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.LocalHttpServer;
import io.journeys.testing.LocalHttpServer.Response;
import io.journeys.testing.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
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
 * The streaming job at parallelism 2 with a cap and a call: the cap admits exactly its limit across both
 * subtasks even when the TaskManager dies in the middle, and admitted profiles branch on the answer of a
 * real local HTTP service, through the executor and the action-results topic.
 */
class CallsITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    @TempDir(cleanup = CleanupMode.NEVER)
    Path home;

    @Test
    void shouldAdmitExactlyTheLimitAndBranchOnHttpAnswersAcrossATaskManagerFailure(
            @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        int profiles = 120;
        int limit = 40;
        try (LocalHttpServer crm = new LocalHttpServer()) {
            crm.on("/tier", request -> new Response(200, "{\"tier\": \""
                    + (request.query().contains("p-1") ? "gold" : "silver") + "\"}"));
            RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), home.resolve("checkpoints"), "parallelism=2",
                    "http.allowedHosts=127.0.0.1", "kafka.groupId=calls", "kafka.transactionalIdPrefix=calls",
                    "topics.journeyDefinitions=calls-definitions", "topics.actionsPrefix=calls-actions.",
                    "topics.profileEvents=calls-events", "topics.actionResults=calls-results");
            DefinitionPublisher publisher = new DefinitionPublisher(BROKER.bootstrapServers(), "calls-definitions");
            publisher.publishActions(List.of(ActionParser.parse("""
                    {"kind": "action", "id": "crm-tier", "version": 1, "method": "GET", "url": "%s",
                     "timeout": "PT5S", "retries": 2}""".formatted(crm.url("/tier"))).action()));
            publisher.publish(List.of(JourneyParser.parse("""
                    {"id": "ramp-up", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "cap",
                     "steps": {
                       "cap": {"type": "cap", "limit": %d, "next": "lookup", "overflow": "waitlist"},
                       "lookup": {"type": "call", "action": "crm-tier", "params": {"profile": "event.who"},
                                  "next": "offer", "onError": "waitlist"},
                       "offer": {"type": "action", "channel": "email", "template": "offer",
                                 "params": {"tier": "journey.results['lookup'].body.tier"}, "next": "done"},
                       "waitlist": {"type": "action", "channel": "email", "template": "waitlist", "next": "done"},
                       "done": {"type": "end"}}}""".formatted(limit)).journey()));
            try (KafkaProducer<String, String> producer = BROKER.producer();
                    TopicReader emails = new TopicReader(BROKER.bootstrapServers(), List.of("calls-actions.email"))) {
                // the job may read events before the definitions: a warm-up profile until the journey answers
                for (int attempt = 0; attempt < 60 && emails.rawValues().isEmpty(); attempt++) {
                    producer.send(new ProducerRecord<>("calls-events", "warm-" + attempt, signup("warm-" + attempt))).get();
                    emails.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(2));
                }
                int warmUps = emails.readUntil(values -> false, Duration.ofSeconds(2)).size();
                for (int i = 0; i < profiles; i++) {
                    producer.send(new ProducerRecord<>("calls-events", "p-" + i, signup("p-" + i)));
                }
                producer.flush();
                emails.readUntil(values -> values.size() >= warmUps + profiles / 4, Duration.ofSeconds(60));
                miniCluster.terminateTaskManager(0).get();
                miniCluster.startTaskManager();
                List<String> all = emails.readUntil(values -> perProfile(values).keySet().stream()
                        .filter(p -> p.startsWith("p-")).count() >= profiles, Duration.ofSeconds(180));
                // a little longer: a duplicate would show now
                all = emails.readUntil(values -> false, Duration.ofSeconds(3));

                Map<String, List<JsonNode>> byProfile = perProfile(all);
                Set<String> ours = new HashSet<>();
                byProfile.keySet().stream().filter(p -> p.startsWith("p-")).forEach(ours::add);
                assertThat(ours).hasSize(profiles);
                assertThat(ours).allSatisfy(p -> assertThat(byProfile.get(p)).as("emails of " + p).hasSize(1));
                long admitted = byProfile.values().stream().flatMap(List::stream)
                        .filter(email -> email.get("template").asText().equals("offer")).count();
                // the warm-up profiles went through the same cap
                assertThat(admitted).isEqualTo(limit);
                assertThat(byProfile.values().stream().flatMap(List::stream)
                        .filter(email -> email.get("template").asText().equals("offer")))
                        .allSatisfy(email -> assertThat(email.at("/params/tier").asText())
                                .isEqualTo(email.get("profileId").asText().startsWith("p-1") ? "gold" : "silver"));
                // every call carried its request id as idempotency key; calls made before the failure and not
                // covered by a checkpoint were made again after it, under their new instance's request id
                assertThat(crm.received("/tier")).allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isNotBlank());
                assertThat(crm.received("/tier").stream().map(r -> r.header("Idempotency-Key")).distinct().count())
                        .isGreaterThanOrEqualTo(admitted);
            } finally {
                job.close();
            }
        }
    }

    private static Map<String, List<JsonNode>> perProfile(List<String> values) {
        return values.stream().map(CallsITCase::json)
                .collect(Collectors.groupingBy(v -> v.get("profileId").asText()));
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String signup(String profileId) {
        return "{\"eventId\": \"signup-" + profileId + "\", \"profileId\": \"" + profileId
                + "\", \"type\": \"signup\", \"timestamp\": \"" + Instant.now() + "\", \"data\": {\"who\": \""
                + profileId + "\"}}";
    }

}
