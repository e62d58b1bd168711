package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.StepEvent;
import io.journeys.demo.EmbeddedKafka;
import io.journeys.dsl.DefinitionParser;
import io.journeys.job.JobConfig;
import io.journeys.job.OutputJson;
import io.journeys.report.Report;
import io.journeys.report.ReportBuilder;
import io.journeys.report.StepEventsTopic;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report command's Kafka path on a real broker (KRaft): step events written as the job's exactly-once sink
 * writes them, in transactions, one of which is aborted; the journey's document from the definitions topic.
 */
class ReportITCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "step-events";

    private static EmbeddedKafka kafka;

    @TempDir
    Path temp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Events of the committed transactions, in the order written: what a read-committed reader sees. */
    private static final List<String> COMMITTED = new ArrayList<>();

    @BeforeAll
    static void writeStepEventsInTransactions() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(JobConfig.defaults(), 2);
        int published = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "publish",
                "--bootstrap-servers", kafka.bootstrapServers(), "jobs/nudge/journey.json");
        assertThat(published).isZero();

        try (KafkaProducer<String, String> producer = transactional("report-test")) {
            producer.initTransactions();
            List<String> first = new ArrayList<>();
            first.addAll(parked("i1", "p-ana"));
            first.addAll(reminded("i2", "p-ben"));
            first.add(step("i2", "p-ben", null, "converted", null, null, "purchase"));
            commit(producer, first);

            // a transaction the sink aborted (a failure before its checkpoint completed): read-committed readers
            // never see it, and the job writes its events again after the restore (i1's exit is not one of them)
            producer.beginTransaction();
            for (String line : List.of(step("i3", "p-chloe", "ab-test", "entered", null, null, null),
                    step("i1", "p-ana", "reaction", "exited", null, null, null))) {
                producer.send(new ProducerRecord<>(TOPIC, profile(line), line));
            }
            producer.flush();
            producer.abortTransaction();

            List<String> second = new ArrayList<>(parked("i4", "p-dan"));
            second.add(step("i4", "p-dan", "reaction", "exited", null, null, null));
            second.add(first.get(0)); // an at-least-once replay of i1's entry
            commit(producer, second);
        }
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldCountOnlyCommittedEventsAndGiveTheFileReportOfThem() throws Exception {
        assertThat(run("report", "--bootstrap-servers", kafka.bootstrapServers(), "--json")).as(err.toString()).isZero();
        JsonNode fromKafka = JSON.readTree(out.toString());

        JsonNode nudge = fromKafka.get("journeys").get(0);
        assertThat(fromKafka.get("journeys")).hasSize(1);
        // i3 entered in the aborted transaction only; i1's exit there did not happen
        assertThat(nudge.get("entered").asLong()).isEqualTo(3);
        assertThat(nudge.get("exited").asLong()).isEqualTo(1);
        assertThat(nudge.get("completed").asLong()).isEqualTo(1);
        assertThat(nudge.get("inside").asLong()).isEqualTo(1);
        assertThat(nudge.get("steps").get("reaction").get("waiting").asLong()).isEqualTo(1);
        assertThat(nudge.get("steps").get("ab-test").get("reached").asLong()).isEqualTo(3);
        assertThat(nudge.get("goals").get("purchase").get("conversions").asLong()).isEqualTo(1);
        // the published document gave the graph: its untaken ports are there
        assertThat(nudge.get("steps").has("thank")).isTrue();
        assertThat(nudge.get("edges")).anySatisfy(e -> {
            assertThat(e.get("from").asText()).isEqualTo("thank");
            assertThat(e.get("count").asLong()).isZero();
        });

        Path steps = temp.resolve("steps.jsonl");
        Files.write(steps, COMMITTED);
        out.getBuffer().setLength(0);
        assertThat(run("report", "--steps", steps.toString(), "--journeys", "jobs/nudge", "--json")).isZero();
        assertThat(fromKafka).isEqualTo(JSON.readTree(out.toString()));
    }

    @Test
    void shouldPrintTheTableFromTheTopicAndWriteTheFiles() throws Exception {
        Path html = temp.resolve("report.html");
        Path json = temp.resolve("report.json");

        assertThat(run("report", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", TOPIC, "--journeys",
                "jobs/nudge/journey.json")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith(
                "nudge v1: entered 3, inside 1, completed 1, exited 1, timedOut 0, errors 0, excluded 0\n");
        assertThat(run("report", "--bootstrap-servers", kafka.bootstrapServers(), "--json", json.toString(), "--html",
                html.toString())).as(err.toString()).isZero();
        assertThat(JSON.readTree(json.toFile()).get("journeys").get(0).get("entered").asLong()).isEqualTo(3);
        assertThat(Files.readString(html)).contains("data-step-id=\"reaction\"");
    }

    @Test
    void shouldFollowTheTopicAndReportNewCommittedEvents() throws Exception {
        // a topic of its own: the other tests count the events of the shared one
        String followed = "step-events-followed";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(followed, 2, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> producer = transactional("report-follow-test")) {
            producer.initTransactions();
            commit(producer, followed, COMMITTED);
        }
        BlockingQueue<Report> reports = new LinkedBlockingQueue<>();
        ReportBuilder builder = new ReportBuilder(List.of(DefinitionParser.parse(
                Files.readString(Path.of("jobs/nudge/journey.json"))).journey().journey()));
        try (StepEventsTopic events = new StepEventsTopic(kafka.bootstrapServers(), followed, err::write)) {
            events.catchUp(builder);
            assertThat(builder.build().journey("nudge", 1).entered()).isEqualTo(3);
            Thread follower = new Thread(() -> events.follow(builder, Duration.ofMillis(100), reports::add));
            follower.start();

            try (KafkaProducer<String, String> producer = transactional("report-follow-test")) {
                producer.initTransactions();
                commit(producer, followed, List.of(step("i5", "p-eve", "ab-test", "entered", null, null, null)));
            }
            Report latest = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((latest == null || latest.journey("nudge", 1).entered() < 4) && System.nanoTime() < deadline) {
                Report next = reports.poll(5, TimeUnit.SECONDS);
                latest = next == null ? latest : next;
            }
            events.stop();
            follower.join(TimeUnit.SECONDS.toMillis(30));

            assertThat(latest).isNotNull();
            assertThat(latest.journey("nudge", 1).entered()).isEqualTo(4);
            assertThat(latest.journey("nudge", 1).inside()).isEqualTo(2);
            assertThat(follower.isAlive()).isFalse();
        }
    }

    @Test
    void shouldSayWhenTheTopicDoesNotExist() {
        assertThat(run("report", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "no-such-topic",
                "--journeys", "jobs/nudge")).isEqualTo(1);
        assertThat(err.toString()).contains("no-such-topic").doesNotContain("Exception");
    }

    // ---- helpers ----

    /** Entered, went down branches/1 to email-b, parked in reaction. */
    private static List<String> parked(String instance, String profile) {
        return List.of(step(instance, profile, "ab-test", "entered", null, null, null),
                step(instance, profile, "ab-test", "executed", "branches/1", "email-b", null),
                step(instance, profile, "email-b", "executed", "next", "reaction", null),
                step(instance, profile, "reaction", "waiting", null, null, null));
    }

    /** Entered, email-a, reaction timed out to the reminder, completed. */
    private static List<String> reminded(String instance, String profile) {
        return List.of(step(instance, profile, "ab-test", "entered", null, null, null),
                step(instance, profile, "ab-test", "executed", "branches/0", "email-a", null),
                step(instance, profile, "email-a", "executed", "next", "reaction", null),
                step(instance, profile, "reaction", "waiting", null, null, null),
                step(instance, profile, "reaction", "resumed", "onTimeout", "reminder", null),
                step(instance, profile, "reminder", "executed", "next", "done", null),
                step(instance, profile, "done", "completed", null, null, null));
    }

    /** A step event as the job writes it: the Avro record through {@link OutputJson#step}. */
    private static String step(String instance, String profile, String stepId, String status, String branch,
            String next, String goal) {
        String eventId = instance + ":" + stepId + ":" + status + ":" + (next == null ? "" : next);
        return OutputJson.step(new StepEvent(eventId, profile, "nudge", 1, instance, stepId, status,
                Instant.parse("2026-02-02T09:00:00Z").toEpochMilli(), next, null, null, branch, null, null, goal,
                null, null, null));
    }

    private static KafkaProducer<String, String> transactional(String id) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static void commit(KafkaProducer<String, String> producer, List<String> lines) {
        commit(producer, TOPIC, lines);
        COMMITTED.addAll(lines);
    }

    private static void commit(KafkaProducer<String, String> producer, String topic, List<String> lines) {
        producer.beginTransaction();
        for (String line : lines) {
            producer.send(new ProducerRecord<>(topic, profile(line), line));
        }
        producer.commitTransaction();
    }

    /** Keyed by profile as the job's sink does: a profile's events stay in order on one partition. */
    private static String profile(String line) {
        try {
            return JSON.readTree(line).get("profileId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
