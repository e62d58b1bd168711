package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.dsl.JourneyParser;
import io.journeys.testing.KafkaBroker;
import io.journeys.testing.Json;
import io.journeys.testing.TopicReader;
import io.journeys.avro.ActionRequest;
import io.journeys.avro.ProfileEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/** The streaming job against a real (in-process, KRaft) Kafka broker, exactly-once, in processing time. */
class KafkaJobITCase {


    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final KafkaBroker BROKER = new KafkaBroker();

    // the job may still write a checkpoint while it is being cancelled: leave the folder for the OS to clean
    @TempDir(cleanup = CleanupMode.NEVER)
    Path checkpoints;

    @Test
    void shouldRunAJourneyPublishedWhileTheJobRunsFromKafkaToKafka() throws Exception {
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), checkpoints, "parallelism=2");
        try (KafkaProducer<String, String> producer = BROKER.producer();
                TopicReader actions = new TopicReader(BROKER.bootstrapServers(), List.of("actions.email", "actions.push"));
                TopicReader deadLetters = new TopicReader(BROKER.bootstrapServers(), List.of("dead-letters"))) {
            new DefinitionPublisher(BROKER.bootstrapServers(), "journey-definitions").publish(List.of(
                    JourneyParser.parse("""
                            {"id": "hello", "version": 1, "entry": {"type": "event", "event": "signup"},
                             "start": "send", "steps": {
                               "send": {"type": "action", "channel": "email", "template": "hello",
                                        "params": {"plan": "event.plan"}, "next": "wait"},
                               "wait": {"type": "wait", "duration": "PT2S", "next": "nudge"},
                               "nudge": {"type": "action", "channel": "push", "template": "nudge", "next": "done"},
                               "done": {"type": "end"}}}""").journey()));
            // the job may read the events before the definition: send events until the journey is live
            List<String> firstActions = List.of();
            for (int attempt = 0; attempt < 30 && firstActions.isEmpty(); attempt++) {
                producer.send(new ProducerRecord<>("profile-events", "p-" + attempt, event("p-" + attempt))).get();
                firstActions = actions.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(2));
            }
            producer.send(new ProducerRecord<>("profile-events", "bad", "not json")).get();

            // several profiles may have entered before the first action came out: each gets both actions
            List<String> all = actions.readUntil(KafkaJobITCase::everyHelloHasItsNudge, Duration.ofSeconds(60));
            assertThat(all).isNotEmpty();
            assertThat(everyHelloHasItsNudge(all)).as("every profile's nudge after its hello: %s", all).isTrue();
            assertThat(all).extracting(v -> read(v).get("requestId").asText()).doesNotHaveDuplicates();
            assertThat(read(all.get(0)).get("params").get("plan").asText()).isEqualTo("pro");

            List<String> letters = deadLetters.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(30));
            assertThat(letters).extracting(v -> read(v).get("errorCode").asText()).contains("INP-001");
            assertThat(read(letters.get(0)).get("position").asText()).startsWith("profile-events/");
        } finally {
            job.close();
        }
    }

    @Test
    void shouldReadAndWriteAvroBinaryWhereTheConfigurationSaysSo() throws Exception {
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), checkpoints,
                "kafka.groupId=avro-test", "kafka.transactionalIdPrefix=avro-test",
                "topics.profileEvents=avro-events", "topics.actionsPrefix=avro-actions.",
                "topics.journeyDefinitions=avro-definitions", "formats.profileEvents=avro", "formats.actions=avro");
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties, new ByteArraySerializer(),
                        new ByteArraySerializer());
                TopicReader actions = new TopicReader(BROKER.bootstrapServers(), List.of("avro-actions.sms"))) {
            new DefinitionPublisher(BROKER.bootstrapServers(), "avro-definitions").publish(List.of(JourneyParser.parse("""
                    {"id": "binary", "version": 1, "entry": {"type": "event", "event": "order"}, "start": "send",
                     "steps": {"send": {"type": "action", "channel": "sms", "template": "thanks",
                                        "params": {"total": "event.total"}, "next": "done"},
                               "done": {"type": "end"}}}""").journey()));
            for (int attempt = 0; attempt < 30 && actions.rawValues().isEmpty(); attempt++) {
                ProfileEvent order = new ProfileEvent("o-" + attempt, "p-" + attempt, "order",
                        Instant.now().toEpochMilli(), "{\"total\": 12.5}", null);
                producer.send(new ProducerRecord<>("avro-events", avroBytes(order))).get();
                actions.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(2));
            }

            ActionRequest action = new SpecificDatumReader<>(ActionRequest.class)
                    .read(null, DecoderFactory.get().binaryDecoder(actions.rawValues().get(0), null));
            assertThat(action.getTemplate()).isEqualTo("thanks");
            assertThat(action.getParams()).isEqualTo("{\"total\":12.5}");
        } finally {
            job.close();
        }
    }

    @Test
    void shouldEnterOnAudienceQualificationsFromKafkaAndKnowMemberships() throws Exception {
        RunningKafkaJob job = RunningKafkaJob.start(BROKER.kafka(), checkpoints,
                "kafka.groupId=qualification-test", "kafka.transactionalIdPrefix=qualification-test",
                "topics.journeyDefinitions=qualification-definitions");
        try (KafkaProducer<String, String> producer = BROKER.producer();
                TopicReader actions = new TopicReader(BROKER.bootstrapServers(), List.of("actions.inapp"))) {
            new DefinitionPublisher(BROKER.bootstrapServers(), "qualification-definitions").publish(List.of(
                    JourneyParser.parse("""
                            {"id": "vip-badge", "version": 1,
                             "entry": {"type": "qualification", "audience": "vip", "on": "enter"},
                             "start": "check", "steps": {
                               "check": {"type": "condition", "choices": [{"when": "inAudience('vip')", "next": "badge"}],
                                         "default": "done"},
                               "badge": {"type": "action", "channel": "inApp", "template": "vip-badge", "next": "done"},
                               "done": {"type": "end"}}}""").journey()));
            for (int attempt = 0; attempt < 30 && actions.rawValues().isEmpty(); attempt++) {
                producer.send(new ProducerRecord<>("audience-qualifications", "q-" + attempt,
                        "{\"profileId\": \"q-" + attempt + "\", \"audienceId\": \"vip\", \"status\": \"enter\", "
                                + "\"timestamp\": \"" + Instant.now() + "\"}")).get();
                actions.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(2));
            }

            assertThat(actions.readUntil(values -> !values.isEmpty(), Duration.ofSeconds(5)))
                    .extracting(v -> read(v).get("template").asText()).contains("vip-badge");
        } finally {
            job.close();
        }
    }

    private static byte[] avroBytes(ProfileEvent event) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(ProfileEvent.class).write(event, encoder);
        encoder.flush();
        return bytes.toByteArray();
    }

    private static boolean everyHelloHasItsNudge(List<String> actions) {
        Set<String> hello = new HashSet<>();
        Set<String> nudge = new HashSet<>();
        for (String action : actions) {
            (read(action).get("template").asText().equals("hello") ? hello : nudge)
                    .add(read(action).get("profileId").asText());
        }
        return !hello.isEmpty() && nudge.equals(hello);
    }

    private static String event(String profileId) {
        return "{\"profileId\": \"" + profileId + "\", \"type\": \"signup\", \"timestamp\": \"" + Instant.now()
                + "\", \"data\": {\"plan\": \"pro\"}}";
    }


    private static JsonNode read(String value) {
        return Json.read(value);
    }
}
