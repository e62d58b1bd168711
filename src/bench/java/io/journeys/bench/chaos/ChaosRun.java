package io.journeys.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.bench.cluster.FlinkSessionCluster;
import io.journeys.job.DefinitionPublisher;
import io.journeys.dsl.JourneyParser;
import io.journeys.job.JobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * One chaos run, start to verdict: three brokers, a Flink session cluster with two TaskManagers (one slot each,
 * so that every kill fails the job), the HTTP service, the cluster jar submitted with the chaos journeys; the
 * generator's traffic while the schedule's faults strike; then the drain, a stop with a savepoint (the last
 * transactions committed), and the oracle on what a read-committed consumer saw.
 */
public final class ChaosRun {

    /** What a run is asked to do. */
    public record Settings(Duration traffic, long seed, int profiles, String delivery, boolean httpDedup,
            Duration await, Path home, Path jobJar, Path flinkDistribution) {}

    static final List<String> OUTPUTS = List.of("actions.email", "actions.push", "actions.sms", "actions.inapp",
            "actions.custom", "step-events", "action-results", "dead-letters");
    private static final String WARM = """
            {"id": "chaos-warm", "version": 1, "entry": {"type": "event", "event": "chaos.ping"}, "start": "pong",
             "steps": {"pong": {"type": "action", "channel": "email", "template": "chaos-pong", "next": "done"},
                       "done": {"type": "end"}}}""";

    private final Settings settings;
    private final PrintWriter out;

    public ChaosRun(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs it and prints every figure; true when every invariant held. */
    public boolean run() throws Exception {
        Path home = Files.createDirectories(settings.home());
        ChaosSchedule schedule = ChaosSchedule.of(settings.seed(), settings.traffic());
        out.printf("chaos run: seed %d, %d profiles over %s, delivery %s, HTTP deduplication %s, in %s%n",
                settings.seed(), settings.profiles(), settings.traffic(), settings.delivery(),
                settings.httpDedup() ? "on" : "off", home);
        out.println("schedule:");
        schedule.faults().forEach(fault -> out.println("  " + fault));
        out.flush();
        ExecutorService background = Executors.newSingleThreadExecutor();
        Instant started = Instant.now();
        // the two clusters start side by side: their JVMs take most of a minute each on a small machine
        Future<FlinkSessionCluster> starting = background.submit(() -> FlinkSessionCluster.start(
                Files.createDirectories(home.resolve("flink")), new FlinkSessionCluster.Layout(2, 1, "1280m", "768m",
                        List.of(
                                // back-offs of the restarts: Flink's own 1 s at first, at most 10 s (not 1 min)
                                "restart-strategy.exponential-delay.max-backoff: 10 s",
                                "restart-strategy.exponential-delay.reset-backoff-threshold: 2 min",
                                // the REST API keeps 16 failures by default: the run counts them all
                                "web.exception-history-size: 10000")),
                settings.flinkDistribution()));
        try (ChaosHttpService http = new ChaosHttpService(settings.httpDedup(),
                new ChaosHttpService.Faults(4, 4, 4, 2_500), settings.seed());
                KafkaCluster kafka = KafkaCluster.start(Files.createDirectories(home.resolve("kafka")),
                        System.getProperty("java.class.path"));
                FlinkSessionCluster flink = starting.get(5, TimeUnit.MINUTES)) {
            out.printf("cluster up in %.0f s (3 brokers, JobManager, 2 TaskManagers)%n",
                    Duration.between(started, Instant.now()).toMillis() / 1000.0);
            out.flush();
            kafka.createTopics(JobConfig.defaults(), 2);
            ChaosFaults.CheckpointStorage checkpoints = new ChaosFaults.CheckpointStorage(home);
            ChaosJourneys journeys = new ChaosJourneys(settings.profiles() * 35 / 100, settings.await().toString(),
                    http.url("/apply"));
            journeys.publish(kafka.bootstrapServers(), "journey-definitions", 1);
            new DefinitionPublisher(kafka.bootstrapServers(), "journey-definitions")
                    .publish(List.of(JourneyParser.parse(WARM).journey()));
            String job = flink.submit(settings.jobJar(), "io.journeys.cli.JobMain", jobArgs(kafka, checkpoints), null);
            out.println("job " + job + " submitted");
            out.flush();

            try (OutputCollector collector = new OutputCollector(kafka.bootstrapServers(), OUTPUTS);
                    ChaosGenerator generator = new ChaosGenerator(kafka.bootstrapServers(), settings.profiles(),
                            settings.seed())) {
                collector.onRecord(generator::onOutput);
                collector.start();
                warmUp(generator, collector);
                out.printf("job answering after %.0f s; traffic starts%n",
                        Duration.between(started, Instant.now()).toMillis() / 1000.0);
                out.flush();
                ChaosFaults faults = new ChaosFaults(flink, kafka, collector, checkpoints,
                        () -> journeys.publish(kafka.bootstrapServers(), "journey-definitions", 2),
                        probe -> generator.ping(probe, 0), out);
                Instant trafficStart = Instant.now();
                generator.start(settings.traffic());
                Future<List<ChaosFaults.Struck>> struck = background.submit(() -> faults.run(schedule, job, trafficStart));
                List<ChaosFaults.Struck> done = struck.get(settings.traffic().toMinutes() * 4 + 20, TimeUnit.MINUTES);
                Instant drainStart = Instant.now();
                boolean drained = drain(generator, collector, Duration.ofMinutes(4).plus(settings.await()));
                Instant drainedAt = Instant.now();
                out.printf("drained %s after %.0f s%n", drained ? "" : "(NOT: deadline passed)",
                        Duration.between(drainStart, drainedAt).toMillis() / 1000.0);
                generator.flush();
                int jobFailures = flink.failuresOf(job);
                String savepoint = flink.stopWithSavepoint(job);
                out.println("job stopped with a savepoint (its last transactions committed): " + savepoint);
                int open = openTransactions(kafka);
                collector.readToEnd(Duration.ofMinutes(2));
                dump(collector, Files.createDirectories(home.resolve("outputs")));
                // the service's effects by key, to trace a key the outputs lack
                Files.write(home.resolve("http-applied.txt"), http.appliedByKey().entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue()).sorted().toList());
                List<String> failedCommits = failedCommits(flink.home());
                java.util.Map<String, String> brokerSays = transactionStates(kafka, failedCommits);
                out.printf("job failures (restarts) %d; inputs sent %d; output records read %d%n", jobFailures,
                        generator.sent(), collector.records());
                ChaosOracle.Verdict verdict = ChaosOracle.judge(new ChaosOracle.Observations(
                        withoutWarmUp(collector.records(OUTPUTS.subList(0, 5))), withoutWarmUp(collector.records(
                                List.of("step-events"))), collector.records("action-results"),
                        collector.records("dead-letters"), generator.intents(), generator.clicked(), generator.upgraded(),
                        http.requestsByKey(), http.appliedByKey(), journeys.cap(), open, brokerSays,
                        done, drainedAt));
                out.printf("HTTP service: 503 answers %d, resets after applying %d, slow answers %d, requests without "
                        + "a key %d%n", http.unavailableAnswers(), http.resetsAfterApplying(), http.slowAnswers(),
                        http.requestsWithoutKey());
                verdict.print(out);
                Files.writeString(home.resolve("verdict.txt"), render(verdict));
                return verdict.passed();
            }
        } finally {
            background.shutdownNow();
        }
    }

    private List<String> jobArgs(KafkaCluster kafka, ChaosFaults.CheckpointStorage checkpoints) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", kafka.bootstrapServers()));
        for (String setting : List.of("checkpoints.interval=PT2S", "checkpoints.dir=" + checkpoints.uri(),
                "kafka.groupId=chaos", "kafka.transactionalIdPrefix=chaos", "parallelism=2",
                "http.allowedHosts=127.0.0.1", "delivery.guarantee=" + settings.delivery())) {
            args.addAll(List.of("--set", setting));
        }
        return args;
    }

    /** Pings until every pinger is answered: the definitions (published before the ping's journey) are in. */
    private static void warmUp(ChaosGenerator generator, OutputCollector collector) throws Exception {
        List<String> pingers = List.of("warm-0", "warm-1", "warm-2", "warm-3", "warm-4", "warm-5", "warm-6", "warm-7");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        int attempt = 0;
        while (Instant.now().isBefore(deadline)) {
            Set<String> answered = new java.util.HashSet<>();
            for (JsonNode action : collector.records("actions.email")) {
                if (action.get("template").asText().equals("chaos-pong")) {
                    answered.add(action.get("profileId").asText());
                }
            }
            if (answered.containsAll(pingers)) {
                return;
            }
            for (String pinger : pingers) {
                if (!answered.contains(pinger)) {
                    generator.ping(pinger, attempt);
                }
            }
            generator.flush();
            attempt++;
            Instant wait = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(wait) && collector.records("actions.email").size() < pingers.size()) {
                collector.checkHealthy();
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        throw new IllegalStateException("Expected the job to answer the warm-up pings within 3 minutes, but it did not");
    }

    /**
     * Waits until the generator has sent everything and every instance has ended (but those parked on a send time
     * hours away), with committed output quiet for a few seconds; false when {@code timeout} passed first.
     */
    private static boolean drain(ChaosGenerator generator, OutputCollector collector, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            collector.checkHealthy();
            if (generator.allSent() && Duration.between(collector.lastRecordAt(), Instant.now()).toSeconds() >= 6
                    && unfinished(collector.records("step-events")) == 0) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return false;
    }

    /** Instances entered and not ended, but for those waiting on a send time after the next minute. */
    static long unfinished(List<JsonNode> steps) {
        java.util.Map<String, JsonNode> last = new java.util.HashMap<>();
        Set<String> ended = new java.util.HashSet<>();
        for (JsonNode step : steps) {
            String instance = step.get("instanceId").asText();
            last.put(instance, step);
            if (Set.of("completed", "exited", "error").contains(step.get("status").asText())) {
                ended.add(instance);
            }
        }
        Instant soon = Instant.now().plusSeconds(60);
        return last.entrySet().stream().filter(e -> !ended.contains(e.getKey()))
                .filter(e -> !(e.getValue().has("sendAt") && Instant.parse(e.getValue().get("sendAt").asText()).isAfter(soon)))
                .count();
    }

    private static List<JsonNode> withoutWarmUp(List<JsonNode> records) {
        return records.stream().filter(r -> !r.get("journeyId").asText().equals("chaos-warm")).toList();
    }

    /** Transactions the brokers still hold open (or half-way through a commit or an abort). */
    private static int openTransactions(KafkaCluster kafka) throws Exception {
        try (Admin admin = kafka.admin()) {
            Instant deadline = Instant.now().plusSeconds(30);
            int open;
            do {
                open = admin.listTransactions(new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING,
                        TransactionState.PREPARE_COMMIT, TransactionState.PREPARE_ABORT))).all().get().size();
                if (open == 0) {
                    return 0;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            } while (Instant.now().isBefore(deadline));
            return open;
        }
    }

    private static final java.util.regex.Pattern FAILED_COMMIT = java.util.regex.Pattern.compile(
            "WatchedKafkaSink - Kafka transaction (\\S+) of sink .* was not committed");

    /**
     * The transactional ids of the commits WatchedKafkaSink logged as failed, in every TaskManager's log (the
     * killed ones' too), once per log line.
     */
    private static List<String> failedCommits(Path flinkHome) throws IOException {
        List<String> failed = new ArrayList<>();
        try (Stream<Path> logs = Files.list(flinkHome)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("taskmanager-")).sorted().toList()) {
                try (Stream<String> lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    lines.map(FAILED_COMMIT::matcher).filter(java.util.regex.Matcher::find)
                            .forEach(m -> failed.add(m.group(1)));
                }
            }
        }
        return failed;
    }

    /**
     * What the brokers say became of each transaction a failed commit was logged for: its transactional id names
     * one checkpoint of one subtask, so the id's last transaction is that one (CompleteCommit: its records are
     * visible after all; CompleteAbort: they are lost).
     */
    private static java.util.Map<String, String> transactionStates(KafkaCluster kafka, List<String> ids)
            throws Exception {
        java.util.Map<String, String> states = new java.util.LinkedHashMap<>();
        if (ids.isEmpty()) {
            return states;
        }
        try (Admin admin = kafka.admin()) {
            admin.describeTransactions(new java.util.HashSet<>(ids)).all().get()
                    .forEach((id, description) -> states.put(id, description.state().toString()));
        }
        java.util.Map<String, String> perLine = new java.util.LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            perLine.put(ids.get(i) + (perLine.containsKey(ids.get(i)) ? "#" + i : ""), states.get(ids.get(i)));
        }
        return perLine;
    }

    /** Every output record read, one JSON line per record and topic, for a look after the run. */
    private static void dump(OutputCollector collector, Path folder) throws IOException {
        for (String topic : OUTPUTS) {
            Files.write(folder.resolve(topic + ".jsonl"), collector.records(topic).stream().map(JsonNode::toString)
                    .toList());
        }
    }

    private static String render(ChaosOracle.Verdict verdict) {
        java.io.StringWriter text = new java.io.StringWriter();
        verdict.print(new PrintWriter(text));
        return text.toString();
    }
}
