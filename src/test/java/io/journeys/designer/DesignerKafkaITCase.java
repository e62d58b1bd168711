package io.journeys.designer;

import static io.journeys.designer.DesignerClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.demo.EmbeddedKafka;
import io.journeys.job.JobConfig;
import io.journeys.job.KafkaJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Publishing and live counts on a real broker (KRaft, in this JVM) with the real streaming job running: a
 * journey published from the designer is picked up by the job, and the counts of the events it then handles
 * reach {@code GET /api/live} from the step-events topic (read committed, the job's sinks being transactional).
 */
class DesignerKafkaITCase {

    private static EmbeddedKafka kafka;

    @TempDir
    Path temp;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldPublishAJourneyAndShowTheCountsOfTheEventsTheJobThenHandles() throws Exception {
        JobConfig config = JobConfig.load(null, List.of("kafka.bootstrapServers=" + kafka.bootstrapServers(),
                "checkpoints.interval=PT1S", "checkpoints.dir=" + temp.resolve("checkpoints").toUri(), "parallelism=1"));
        kafka.createTopics(config, 2);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                KafkaJob.flinkConfiguration(config));
        env.setParallelism(1);
        KafkaJob.build(env, config);
        JobClient job = env.executeAsync("designer-live-test");
        Path folder = Files.createDirectories(temp.resolve("nudge"));
        Files.copy(Path.of("jobs/nudge/journey.json"), folder.resolve("journey.json"));

        try (DesignerServer server = DesignerServer.start(new DesignerServer.Settings(folder, 0, config,
                kafka.bootstrapServers()));
                KafkaProducer<String, String> producer = producer()) {
            DesignerClient client = new DesignerClient(server);
            JsonNode before = json(client.get("/api/live"));
            assertThat(before.get("events").asLong()).isZero();
            assertThat(before.get("report").get("journeys")).isEmpty();

            String journey = Files.readString(folder.resolve("journey.json"));
            JsonNode refused = json(client.post("/api/publish", journey.replace("\"next\": \"reaction\"", "\"next\": \"nowhere\"")));
            assertThat(refused.get("error").asText()).contains("nothing was published");
            assertThat(refused.get("problems").get(0).get("code").asText()).isEqualTo("JRN-013");
            JsonNode published = json(client.post("/api/publish?file=journey.json", journey));
            assertThat(published.toString()).isEqualTo(
                    "{\"published\":{\"kind\":\"journey\",\"id\":\"nudge\",\"version\":1},\"topic\":\"journey-definitions\"}");

            // the job may read an event before the definition: one more abandoned cart until one enters
            long events = 0;
            JsonNode nudge = null;
            List<String> profiles = new ArrayList<>();
            for (int attempt = 0; attempt < 60 && (nudge == null || nudge.get("entered").asLong() == 0); attempt++) {
                String profile = "p-" + attempt;
                profiles.add(profile);
                producer.send(abandonedCart(profile)).get();
                JsonNode live = json(client.get("/api/live?since=" + events + "&wait=3"));
                events = live.get("events").asLong();
                nudge = journey(live.get("report"), "nudge", 1);
            }

            assertThat(nudge).as("live counts of nudge v1").isNotNull();
            long entered = nudge.get("entered").asLong();
            assertThat(entered).isBetween(1L, (long) profiles.size());
            assertThat(nudge.get("inside").asLong()).isEqualTo(entered);
            // after the split and an email, every profile waits in the await
            assertThat(nudge.get("steps").get("ab-test").get("reached").asLong()).isEqualTo(entered);
            assertThat(nudge.get("steps").get("reaction").get("waiting").asLong()).isEqualTo(entered);
            // the document published from the designer drew the graph: a step no event names is there
            assertThat(nudge.get("steps").get("thank").get("reached").asLong()).isZero();
        } finally {
            job.cancel().get();
        }
    }

    private static JsonNode journey(JsonNode report, String id, int version) {
        for (JsonNode journey : report.get("journeys")) {
            if (journey.get("journeyId").asText().equals(id) && journey.get("journeyVersion").asInt() == version) {
                return journey;
            }
        }
        return null;
    }

    private static ProducerRecord<String, String> abandonedCart(String profile) {
        String event = "{\"eventId\": \"" + profile + "-cart\", \"profileId\": \"" + profile
                + "\", \"type\": \"cart.abandoned\", \"timestamp\": \"" + Instant.now() + "\", \"data\": {\"total\": 80}}";
        return new ProducerRecord<>("profile-events", profile, event);
    }

    private static KafkaProducer<String, String> producer() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }
}
