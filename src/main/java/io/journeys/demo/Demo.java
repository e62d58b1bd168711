package io.journeys.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.dsl.Journey;
import io.journeys.dsl.RuleSet;
import io.journeys.job.DefinitionPublisher;
import io.journeys.job.JobConfig;
import io.journeys.job.KafkaJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The embedded demo: a Kafka broker in this JVM, the real job on a local Flink cluster with RocksDB and
 * exactly-once sinks, the demo journeys published to the definitions topic, made-up traffic, and the
 * action requests printed as a downstream connector would read them (read-committed), with the goals' conversions
 * as they come and live counts (per journey, per goal and per arm of an experiment).
 */
public final class Demo {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TICK = Duration.ofMillis(700);
    private static final Duration COUNTS_EVERY = Duration.ofSeconds(10);

    private final List<Journey> journeys;
    private final List<RuleSet> ruleSets;
    private final Duration duration;
    private final boolean keepRunning;
    private final PrintWriter out;
    private final Clock clock;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final DemoCounts counts;

    public Demo(List<Journey> journeys, Duration duration, boolean keepRunning, PrintWriter out, Clock clock) {
        this(List.of(), journeys, duration, keepRunning, out, clock);
    }

    /** A demo that publishes these rule sets first, then the journeys (some of which may name them). */
    public Demo(List<RuleSet> ruleSets, List<Journey> journeys, Duration duration, boolean keepRunning, PrintWriter out,
            Clock clock) {
        this.ruleSets = ruleSets;
        this.journeys = journeys;
        this.duration = duration;
        this.keepRunning = keepRunning;
        this.out = out;
        this.clock = clock;
        this.counts = new DemoCounts(journeys);
    }

    /** Asks a running demo to stop (Ctrl-C); it then ends cleanly. */
    public void stop() {
        stopping.set(true);
    }

    public void run() throws Exception {
        Path checkpoints = Files.createTempDirectory("journeys-demo-checkpoints");
        out.println("Starting an Apache Kafka broker (KRaft) in this JVM...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = JobConfig.load(null, List.of(
                    "kafka.bootstrapServers=" + kafka.bootstrapServers(),
                    "checkpoints.interval=PT1S", // exactly-once sinks commit on checkpoints: keep the demo lively
                    "checkpoints.dir=" + checkpoints.toUri(),
                    "parallelism=2"));
            kafka.createTopics(config, 2);
            out.println("Kafka is up at " + kafka.bootstrapServers() + "; starting the job on a local Flink cluster"
                    + " (RocksDB, exactly-once)...");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    KafkaJob.flinkConfiguration(config));
            KafkaJob.build(env, config);
            JobClient job = env.executeAsync("journeys-demo");
            try {
                DefinitionPublisher publisher = new DefinitionPublisher(kafka.bootstrapServers(), "journey-definitions");
                // a journey that names a rule set is refused until the set is loaded: the sets go first
                publisher.publishRules(ruleSets);
                ruleSets.forEach(r -> out.println("Published rules " + r.id() + " v" + r.version() + " (" + r.name() + ")"));
                publisher.publish(journeys);
                journeys.forEach(j -> out.println("Published " + j.id() + " v" + j.version() + " (" + j.name() + ")"));
                if (keepRunning) {
                    printHowToProduce(kafka.bootstrapServers());
                }
                out.println("Producing sample traffic; action requests as the connectors read them:");
                out.flush();
                play(kafka.bootstrapServers());
            } finally {
                job.cancel().get();
            }
            printSummary();
        }
    }

    private void play(String bootstrapServers) throws IOException {
        DemoTraffic traffic = new DemoTraffic(clock);
        Instant start = clock.instant();
        Instant nextTick = start;
        Instant nextCounts = start.plus(COUNTS_EVERY);
        try (KafkaProducer<String, String> producer = producer(bootstrapServers);
                KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            while (!stopping.get() && (keepRunning || clock.instant().isBefore(start.plus(duration)))) {
                Instant now = clock.instant();
                if (!now.isBefore(nextTick)) {
                    traffic.next().forEach(r -> produce(producer, r));
                    nextTick = now.plus(TICK);
                }
                // polling waits for output: the demo's pace comes from the broker, not from sleeps
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode value = JSON.readTree(new String(record.value(), StandardCharsets.UTF_8));
                    if (record.topic().startsWith("actions.")) {
                        printAction(value, start);
                        traffic.reactionsTo(value).forEach(r -> produce(producer, r));
                    } else {
                        counts.count(value);
                        if ("converted".equals(value.path("status").asText())) {
                            printConversion(value, start);
                        } else if (value.path("errorCode").asText("").startsWith("RUL-")) {
                            printRuled(value, start);
                        }
                    }
                }
                if (!clock.instant().isBefore(nextCounts)) {
                    printCounts();
                    nextCounts = clock.instant().plus(COUNTS_EVERY);
                }
            }
        }
    }

    private void printAction(JsonNode action, Instant start) {
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        out.printf("[%6.1fs] %-6s %-28s %-6s %-14s %s%n", seconds, action.get("channel").asText(),
                action.get("journeyId").asText() + "/" + action.get("stepId").asText(),
                action.get("profileId").asText(), action.get("template").asText(), action.get("params"));
        out.flush();
    }

    private void produce(KafkaProducer<String, String> producer, DemoTraffic.Record record) {
        producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value()));
        if (record.note() != null) {
            out.printf("%9s %s%n", "", record.note());
        }
    }

    /** A conversion, as the step event that reports it: goal, profile, and the arms of experiments on the goal. */
    private void printConversion(JsonNode step, Instant start) {
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        String journeyId = step.get("journeyId").asText();
        String goal = step.get("goal").asText();
        List<String> about = new java.util.ArrayList<>();
        counts.armsOnGoal(journeyId, step.get("instanceId").asText(), goal)
                .forEach((experiment, arm) -> about.add(experiment + " arm " + arm));
        about.add(step.hasNonNull("stepId") ? "at step " + step.get("stepId").asText() : "after the journey ended");
        out.printf("[%6.1fs] %-6s %-28s %-6s %-14s %s%n", seconds, "goal", journeyId + "/" + goal,
                step.get("profileId").asText(), "converted", String.join(", ", about));
        out.flush();
    }

    /** What a delivery rule did (skipped, held, ended or refused), as its step event says it, with the rule. */
    private void printRuled(JsonNode step, Instant start) {
        double seconds = Duration.between(start, clock.instant()).toMillis() / 1000.0;
        out.printf("[%6.1fs] %-6s %-28s %-6s %-14s %s%n", seconds, "rules",
                step.get("journeyId").asText() + "/" + step.path("stepId").asText(), step.get("profileId").asText(),
                step.get("status").asText() + " " + step.get("errorCode").asText(), step.path("message").asText());
        out.flush();
    }

    private void printCounts() {
        counts.lines().forEach(line -> out.println("          " + line));
        out.flush();
    }

    private void printSummary() {
        out.println("Demo over. Per journey:");
        printCounts();
    }

    private void printHowToProduce(String bootstrapServers) {
        out.println("Kafka bootstrap address: " + bootstrapServers);
        out.println("  produce events to profile-events, profile updates to profile-updates (JSON, see README);");
        out.println("  read actions.email, actions.push, actions.sms, actions.inapp, step-events, dead-letters.");
        out.println("  Ctrl-C stops everything.");
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "journeys-demo-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of("actions.email", "actions.push", "actions.sms", "actions.inapp", "actions.custom",
                "step-events"));
        return consumer;
    }
}
