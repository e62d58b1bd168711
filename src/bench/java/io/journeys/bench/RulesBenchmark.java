package io.journeys.bench;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.Delivery;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.avro.RuleLog;
import io.journeys.avro.StepEvent;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.GuardRails;
import io.journeys.engine.JourneyProcessor;
import io.journeys.job.InputParser;
import io.journeys.job.JourneyJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * What delivery rules cost (issue 17): the 20 journeys of the throughput benchmark on the same generated inputs,
 * three ways, in alternating runs of the same process so that the machine's drift shows:
 * <ul>
 *   <li>plain: as they are;</li>
 *   <li>counted: each naming a rule set whose caps and quiet hours never bind (caps of 1,000; quiet hours on a
 *       weekday no zone reaches during the run), so that every rule is evaluated and every delivery and entry
 *       logged, but the journeys do the plain run's work: the cost of the rules themselves;</li>
 *   <li>ruled: each naming a rule set that binds (email 3 a day and any channel 10 a week, quiet hours
 *       22:00-07:00, 15 entries a day): capped and held actions are not sent, so this run does less work.</li>
 * </ul>
 * Every profile's first input is a profile update with a {@code timeZone} in one of five zones, which the rules
 * read local times in. The rules run in processing time, so quiet hours hold the actions of the profiles whose
 * zone is at night when the benchmark runs: the zones are spread so that at least one always is. Each run
 * prints what the rules did (actions capped, held, entries refused), so that no ratio is of rules that never
 * ran.
 *
 * <p>A warm-up run first (the JIT compiles the engine meanwhile), then two rounds in opposite orders. Each run
 * gives its wall-clock rate and the process's CPU time per input: on a shared machine the second moves less.
 *
 * <p>Then one untimed run of each measures the state each profile is left with: the bytes of its record as
 * Flink's serializer writes them for RocksDB, and the part of them its rule logs take.
 */
public final class RulesBenchmark {

    static final String RULE_SET_ID = "bench-rules";
    /** Spread so that 22:00-07:00 (nine hours) is under way in at least one of them at any instant. */
    static final String[] ZONES = {"Europe/Paris", "Asia/Kolkata", "Asia/Tokyo", "America/New_York",
            "America/Los_Angeles"};
    /** The binding rule set. */
    static final String RULE_SET = ruleSet(3, 10, 15, "");
    /** How the journeys run. */
    enum Variant { PLAIN, COUNTED, RULED }

    /**
     * A rule set of the benchmark's shape: email {@code emailsPerDay} a day and any channel {@code perWeek} a week in
     * the profile's zone, quiet hours 22:00-07:00 (on {@code days}, e.g. {@code , "days": [3]}, default every day),
     * and {@code entriesPerDay} entries a day.
     */
    static String ruleSet(int emailsPerDay, int perWeek, int entriesPerDay, String days) {
        return """
                {"kind": "rules", "id": "%s", "version": 1, "fallbackTimeZone": "UTC",
                 "frequency": [
                   {"id": "email-daily", "channels": ["email"], "max": %d, "per": "day", "timeZone": "profile"},
                   {"id": "all-weekly", "channels": ["email", "push", "sms", "inApp", "custom"], "max": %d,
                    "per": "week"}],
                 "quietHours": [{"id": "night", "channels": ["email", "push", "sms", "inApp", "custom"],
                                 "from": "22:00", "to": "07:00"%s, "timeZone": "profile", "then": "queue"}],
                 "entries": {"max": %d, "per": "day"}}""".formatted(RULE_SET_ID, emailsPerDay, perWeek, days,
                entriesPerDay);
    }

    /**
     * The same rules with limits that never bind: caps of 1,000, and quiet hours only on the weekday three days
     * after {@code today} (UTC), which no zone's local date reaches within a day (they are at most a day apart).
     */
    static String countingRuleSet(Instant today) {
        int weekday = today.atZone(ZoneOffset.UTC).getDayOfWeek().plus(3).getValue();
        return ruleSet(1_000, 1_000, 1_000, ", \"days\": [" + weekday + "]");
    }

    private final long events;
    private final int profiles;
    /** Rounds of the three variants, in alternating orders (see {@link #order}). */
    private final int rounds;
    private final PrintWriter out;

    public RulesBenchmark(long events, int profiles, int rounds, PrintWriter out) {
        this.events = events;
        this.profiles = profiles;
        this.rounds = rounds;
        this.out = out;
    }

    /** What one run did: its rate, and what the rules did to its journeys. */
    record Run(Variant variant, double inputsPerSecond, double cpuMicrosPerInput, long actions, long entered, long capped, long held,
            long refused) {}

    /** The state a run leaves, summed over the profiles that keep some. */
    record State(Variant variant, long profiles, long bytes, long ruleLogBytes, long deliveries, long entries) {
        double perProfile(long sum) {
            return profiles == 0 ? 0 : (double) sum / profiles;
        }
    }

    /** The mean rate of each variant's runs, and the state each left. */
    public record Figures(double plain, double counted, double ruled, List<State> states) {
        public double countedRatio() {
            return counted / plain;
        }

        public double ruledRatio() {
            return ruled / plain;
        }
    }

    public Figures run() throws Exception {
        String counting = countingRuleSet(Instant.now());
        out.printf("%,d inputs over %,d profiles in %d zones (each profile's first input a profile update with its"
                + " timeZone, then 1 in 10), %d journeys: plain; counted (rules that never bind: caps of 1,000,"
                + " quiet hours on a weekday no zone reaches); ruled (email at most 3 a day and any channel 10 a"
                + " week in the profile's zone, quiet hours 22:00-07:00 queue, at most 15 entries a day)%n", events,
                profiles, ZONES.length, EventBenchmark.JOURNEYS);
        out.printf("%-4s %-8s %12s %14s %10s %10s %16s %14s %16s%n", "run", "journeys", "inputs/s",
                "CPU µs/input", "actions", "entered", "capped RUL-001", "held RUL-006", "refused RUL-004");
        out.flush();
        List<Run> runs = new ArrayList<>();
        Path root = Files.createTempDirectory("journeys-bench-rules");
        try {
            // the first job of the process runs while the JIT compiles the engine: a ruled one, not counted
            print(0, timed(root.resolve("warm-up"), Variant.RULED, counting));
            for (int round = 1; round <= rounds; round++) {
                for (Variant variant : order(round)) {
                    Run run = timed(root.resolve("run-" + round + "-" + variant), variant, counting);
                    runs.add(run);
                    print(round, run);
                }
            }
            Figures figures = new Figures(mean(runs, Variant.PLAIN), mean(runs, Variant.COUNTED),
                    mean(runs, Variant.RULED), new ArrayList<>());
            out.printf("counted / plain: %smean %.2f; by CPU per input %.2f (the rules' own cost, the same work)%n",
                    byRound(runs, Variant.COUNTED), figures.countedRatio(), cpuRatio(runs, Variant.COUNTED));
            out.printf("ruled / plain:   %smean %.2f; by CPU per input %.2f (target at least 0.80; capped and held"
                    + " actions are not sent)%n", byRound(runs, Variant.RULED), figures.ruledRatio(),
                    cpuRatio(runs, Variant.RULED));
            out.flush();
            for (Variant variant : Variant.values()) {
                figures.states().add(measured(root.resolve("state-" + variant), variant, counting));
            }
            printState(figures.states());
            return figures;
        } finally {
            ExportBenchmark.deleteRecursively(root);
        }
    }

    private void print(int round, Run run) {
        out.printf("%-4s %-8s %,12.0f %,14.1f %,10d %,10d %,16d %,14d %,16d%n", round == 0 ? "warm" : round,
                label(run.variant()), run.inputsPerSecond(), run.cpuMicrosPerInput(), run.actions(), run.entered(),
                run.capped(), run.held(), run.refused());
        out.flush();
    }

    /**
     * Plain CPU per input over the variant's: what the throughput ratio would be on cores of its own. The machine
     * is shared, and other processes' load moves the wall-clock rates far more than the process's CPU time.
     */
    private static double cpuRatio(List<Run> runs, Variant variant) {
        return meanCpu(runs, Variant.PLAIN) / meanCpu(runs, variant);
    }

    private static double meanCpu(List<Run> runs, Variant variant) {
        return runs.stream().filter(run -> run.variant() == variant).mapToDouble(Run::cpuMicrosPerInput).average()
                .orElseThrow();
    }

    private static String label(Variant variant) {
        return variant.name().toLowerCase();
    }

    /**
     * Plain, counted, ruled in odd rounds and the other way in even ones: a machine that speeds up or slows down
     * through the run (the JIT, other processes) then weighs on each variant alike over two rounds.
     */
    static List<Variant> order(int round) {
        List<Variant> order = new ArrayList<>(List.of(Variant.values()));
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    private String byRound(List<Run> runs, Variant variant) {
        StringBuilder ratios = new StringBuilder();
        int perRound = Variant.values().length;
        for (int round = 0; round < rounds; round++) {
            List<Run> ofRound = runs.subList(perRound * round, perRound * (round + 1));
            ratios.append(String.format("run %d %.2f, ", round + 1,
                    rate(ofRound, variant) / rate(ofRound, Variant.PLAIN)));
        }
        return ratios.toString();
    }

    private static double rate(List<Run> runs, Variant variant) {
        return runs.stream().filter(run -> run.variant() == variant).findFirst().orElseThrow().inputsPerSecond();
    }

    private static double mean(List<Run> runs, Variant variant) {
        return runs.stream().filter(run -> run.variant() == variant).mapToDouble(Run::inputsPerSecond).average()
                .orElseThrow();
    }

    private Run timed(Path checkpoints, Variant variant, String counting) throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints);
        JourneyJob.Outputs outputs = JourneyJob.build(inputs(env),
                env.fromData(documents(variant, counting), Types.STRING),
                new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()), new JourneyProcessor(settings()));
        sinks(outputs);
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime(); // benchmark timing, not engine logic
        JobExecutionResult result = env.execute("bench-rules-" + label(variant));
        double rate = events / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
        double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3 / events;
        return new Run(variant, rate, cpuMicros, RuleTally.count(result, RuleTally.ACTIONS),
                RuleTally.count(result, RuleTally.ENTERED), RuleTally.count(result, RuleTally.CAPPED),
                RuleTally.count(result, RuleTally.HELD), RuleTally.count(result, RuleTally.REFUSED));
    }

    /** The CPU time of every thread of this process (the local cluster runs in it), in ns. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private State measured(Path checkpoints, Variant variant, String counting) throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints);
        JourneyJob.Outputs outputs = JourneyJob.build(inputs(env),
                env.fromData(documents(variant, counting), Types.STRING),
                new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()), new StateMeasuringProcessor(settings()));
        sinks(outputs);
        JobExecutionResult result = env.execute("bench-rules-state-" + label(variant));
        return new State(variant, StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.PROFILES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.BYTES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.RULE_LOG_BYTES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.DELIVERIES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.ENTRIES));
    }

    private void printState(List<State> states) throws IOException {
        long[] item = bytesPerLoggedItem();
        out.printf("State per profile at the end (untimed runs; Flink's serializer of the profile record, as RocksDB"
                + " keeps it); a delivery logged takes %d bytes, an entry %d:%n", item[0], item[1]);
        out.printf("%-8s %10s %14s %10s %22s %12s %12s %14s%n", "journeys", "profiles", "bytes/profile",
                "x plain", "rule-log bytes/profile", "deliveries", "entries", "rest of log");
        double plain = states.get(0).perProfile(states.get(0).bytes());
        for (State state : states) {
            double logBytes = state.perProfile(state.ruleLogBytes());
            double deliveries = state.perProfile(state.deliveries());
            double entries = state.perProfile(state.entries());
            out.printf("%-8s %,10d %,14.1f %10.2f %,22.1f %,12.2f %,12.2f %,14.1f%n", label(state.variant()),
                    state.profiles(), state.perProfile(state.bytes()), state.perProfile(state.bytes()) / plain,
                    logBytes, deliveries, entries, logBytes - deliveries * item[0] - entries * item[1]);
        }
        out.println("(deliveries and entries: per profile; rest of log: the rule set's id and the log's framing)");
        out.flush();
    }

    /**
     * The bytes one more delivery and one more entry add to a rule log, as Flink's serializer of the record writes
     * them (the second of each, so that an array's block count is not counted in).
     */
    static long[] bytesPerLoggedItem() throws IOException {
        TypeSerializer<RuleLog> serializer = AvroRecords.typeInfo(RuleLog.class)
                .createSerializer(new SerializerConfigImpl());
        long at = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
        Delivery email = new Delivery(at, "email");
        long one = bytes(serializer, new RuleLog(List.of(email), List.of(at)));
        long twoDeliveries = bytes(serializer, new RuleLog(List.of(email, email), List.of(at)));
        long twoEntries = bytes(serializer, new RuleLog(List.of(email), List.of(at, at)));
        return new long[] {twoDeliveries - one, twoEntries - one};
    }

    private static long bytes(TypeSerializer<RuleLog> serializer, RuleLog log) throws IOException {
        DataOutputSerializer buffer = new DataOutputSerializer(64);
        serializer.serialize(log, buffer);
        return buffer.length();
    }

    private StreamExecutionEnvironment environment(Path checkpoints) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                BenchmarkConfiguration.local(checkpoints));
        env.setParallelism(2);
        return env;
    }

    private DataStream<RawRecord> inputs(StreamExecutionEnvironment env) {
        return env.fromSequence(0, events - 1)
                .map(new ZonedInput(profiles))
                .returns(AvroRecords.typeInfo(RawRecord.class))
                .name("generated-inputs");
    }

    private static EngineSettings settings() {
        return EngineSettings.processingTime(List.of());
    }

    private static void sinks(JourneyJob.Outputs outputs) {
        outputs.actions().filter(new RuleTally.Actions()).sinkTo(new DiscardingSink<>());
        outputs.stepEvents().filter(new RuleTally.Steps()).returns(AvroRecords.typeInfo(StepEvent.class))
                .sinkTo(new DiscardingSink<>());
        outputs.deadLetters().sinkTo(new DiscardingSink<>());
        outputs.profileWrites().sinkTo(new DiscardingSink<>());
        outputs.capRequests().sinkTo(new DiscardingSink<>());
    }

    /**
     * The throughput benchmark's journeys; under rules each names the rule set ({@link #RULE_SET} when ruled,
     * {@code counting} when counted), which is published first.
     */
    static List<String> documents(Variant variant, String counting) {
        List<String> documents = new ArrayList<>();
        if (variant != Variant.PLAIN) {
            documents.add(variant == Variant.RULED ? RULE_SET : counting);
        }
        for (String journey : EventBenchmark.journeys()) {
            documents.add(variant == Variant.PLAIN ? journey : journey.replaceFirst("\"version\": 1,",
                    "\"version\": 1, \"rules\": \"" + RULE_SET_ID + "\","));
        }
        return documents;
    }

    /**
     * Input number i: the throughput benchmark's, except that every profile update also gives the profile's zone,
     * and that each profile's first input is one (the first {@code profiles} inputs visit every profile once).
     */
    static final class ZonedInput implements MapFunction<Long, RawRecord> {
        private static final Instant BEGINNING = Instant.parse("2026-06-01T00:00:00Z");
        private final int profiles;

        ZonedInput(int profiles) {
            this.profiles = profiles;
        }

        @Override
        public RawRecord map(Long i) {
            return input(i, profiles);
        }

        static RawRecord input(long i, int profiles) {
            if (i >= profiles && i % 10 != 0) {
                return EventBenchmark.GeneratedInput.event(i, EventBenchmark.GeneratedInput.profileOf(i, profiles), "");
            }
            int profile = (int) Math.floorMod(i * 7_919L, profiles);
            return new RawRecord(InputSource.PROFILES, i, "{\"profileId\": \"p" + profile + "\", \"timestamp\": \""
                    + BEGINNING.plusMillis(i) + "\", \"attributes\": {\"tier\": \"" + (i % 20 == 0 ? "gold" : "silver")
                    + "\", \"logins\": " + (i % 7) + ", \"timeZone\": \"" + ZONES[profile % ZONES.length] + "\"}}",
                    InputFormat.JSON, null, null, null);
        }
    }
}
