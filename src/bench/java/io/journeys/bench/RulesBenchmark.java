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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * What delivery rules cost (issue 17): the 20 journeys of the throughput benchmark, once as they are and once
 * each naming one rule set (two frequency caps, quiet hours, an entry cap), on the same generated inputs, in
 * alternating runs of the same process so that the machine's drift shows. Every profile's first input is a
 * profile update with a {@code timeZone} in one of five zones, which the rules read local times in. The
 * rules run in processing time, so quiet hours hold the actions of the profiles whose zone is at night when
 * the benchmark runs: the zones are spread so that at least one always is. Each run prints what the rules
 * did (actions capped, held, entries refused), so that the ratio is not of rules that never applied.
 *
 * <p>Then two untimed runs, plain and ruled, measure the state each profile is left with: the bytes of its
 * record as Flink's serializer writes them for RocksDB, and the part of them its rule logs take.
 */
public final class RulesBenchmark {

    static final String RULE_SET_ID = "bench-rules";
    /** Spread so that 22:00-07:00 (nine hours) is under way in at least one of them at any instant. */
    static final String[] ZONES = {"Europe/Paris", "Asia/Kolkata", "Asia/Tokyo", "America/New_York",
            "America/Los_Angeles"};
    static final String RULE_SET = """
            {"kind": "rules", "id": "%s", "version": 1, "fallbackTimeZone": "UTC",
             "frequency": [
               {"id": "email-daily", "channels": ["email"], "max": 3, "per": "day", "timeZone": "profile"},
               {"id": "all-weekly", "channels": ["email", "push", "sms", "inApp", "custom"], "max": 10,
                "per": "week"}],
             "quietHours": [{"id": "night", "channels": ["email", "push", "sms", "inApp", "custom"],
                             "from": "22:00", "to": "07:00", "timeZone": "profile", "then": "queue"}],
             "entries": {"max": 15, "per": "day"}}""".formatted(RULE_SET_ID);
    /** Plain, ruled, plain, ruled: two of each. */
    static final int ROUNDS = 2;

    private final long events;
    private final int profiles;
    private final PrintWriter out;

    public RulesBenchmark(long events, int profiles, PrintWriter out) {
        this.events = events;
        this.profiles = profiles;
        this.out = out;
    }

    /** What one run did: its rate, and what the rules did to its journeys. */
    record Run(boolean ruled, double inputsPerSecond, long actions, long entered, long capped, long held,
            long refused) {}

    /** The state a run leaves, summed over the profiles that keep some. */
    record State(long profiles, long bytes, long ruleLogBytes, long deliveries, long entries) {
        double perProfile(long sum) {
            return profiles == 0 ? 0 : (double) sum / profiles;
        }
    }

    /** The mean rate of the ruled runs over the mean rate of the plain ones, and each run's state. */
    public record Figures(double plain, double ruled, State plainState, State ruledState) {
        public double ratio() {
            return ruled / plain;
        }
    }

    public Figures run() throws Exception {
        out.printf("%,d inputs over %,d profiles in %d zones (each profile's first input a profile update with its"
                + " timeZone, then 1 in 10), %d journeys, plain and under rule set %s: email at most 3 a day and"
                + " any channel 10 a week in the profile's zone, quiet hours 22:00-07:00 (queue), at most 15"
                + " entries a day%n", events, profiles, ZONES.length, EventBenchmark.JOURNEYS, RULE_SET_ID);
        out.printf("%-6s %-8s %12s %10s %10s %16s %14s %16s%n", "run", "journeys", "inputs/s", "actions",
                "entered", "capped RUL-001", "held RUL-006", "refused RUL-004");
        out.flush();
        List<Run> runs = new ArrayList<>();
        Path root = Files.createTempDirectory("journeys-bench-rules");
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                for (boolean ruled : new boolean[] {false, true}) {
                    Run run = timed(root.resolve("run-" + round + (ruled ? "-ruled" : "-plain")), ruled);
                    runs.add(run);
                    out.printf("%-6d %-8s %,12.0f %,10d %,10d %,16d %,14d %,16d%n", round, ruled ? "ruled" : "plain",
                            run.inputsPerSecond(), run.actions(), run.entered(), run.capped(), run.held(),
                            run.refused());
                    out.flush();
                }
            }
            double plain = mean(runs, false);
            double ruled = mean(runs, true);
            StringBuilder byRound = new StringBuilder();
            for (int round = 0; round < ROUNDS; round++) {
                byRound.append(String.format("run %d %.2f, ", round + 1,
                        runs.get(2 * round + 1).inputsPerSecond() / runs.get(2 * round).inputsPerSecond()));
            }
            out.printf("ruled / plain: %smean %.2f (target at least 0.80)%n", byRound, ruled / plain);
            out.flush();
            State plainState = measured(root.resolve("state-plain"), false);
            State ruledState = measured(root.resolve("state-ruled"), true);
            printState(plainState, ruledState);
            return new Figures(plain, ruled, plainState, ruledState);
        } finally {
            ExportBenchmark.deleteRecursively(root);
        }
    }

    private static double mean(List<Run> runs, boolean ruled) {
        return runs.stream().filter(run -> run.ruled() == ruled).mapToDouble(Run::inputsPerSecond).average()
                .orElseThrow();
    }

    private Run timed(Path checkpoints, boolean ruled) throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints);
        JourneyJob.Outputs outputs = JourneyJob.build(inputs(env), env.fromData(documents(ruled), Types.STRING),
                new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()), new JourneyProcessor(settings()));
        sinks(outputs);
        long start = System.nanoTime(); // benchmark timing, not engine logic
        JobExecutionResult result = env.execute(ruled ? "bench-rules-ruled" : "bench-rules-plain");
        double rate = events / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
        return new Run(ruled, rate, RuleTally.count(result, RuleTally.ACTIONS),
                RuleTally.count(result, RuleTally.ENTERED), RuleTally.count(result, RuleTally.CAPPED),
                RuleTally.count(result, RuleTally.HELD), RuleTally.count(result, RuleTally.REFUSED));
    }

    private State measured(Path checkpoints, boolean ruled) throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints);
        JourneyJob.Outputs outputs = JourneyJob.build(inputs(env), env.fromData(documents(ruled), Types.STRING),
                new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()), new StateMeasuringProcessor(settings()));
        sinks(outputs);
        JobExecutionResult result = env.execute(ruled ? "bench-rules-state-ruled" : "bench-rules-state-plain");
        return new State(StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.PROFILES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.BYTES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.RULE_LOG_BYTES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.DELIVERIES),
                StateMeasuringProcessor.sum(result, StateMeasuringProcessor.Measure.ENTRIES));
    }

    private void printState(State plain, State ruled) throws IOException {
        out.printf("State per profile at the end (untimed runs; Flink's serializer of the profile record, as"
                + " RocksDB keeps it):%n");
        out.printf("%-8s %10s %14s %22s %20s %18s%n", "journeys", "profiles", "bytes/profile", "rule-log bytes/profile",
                "deliveries/profile", "entries/profile");
        for (State state : List.of(plain, ruled)) {
            out.printf("%-8s %,10d %,14.1f %,22.1f %,20.2f %,18.2f%n", state == plain ? "plain" : "ruled",
                    state.profiles(), state.perProfile(state.bytes()), state.perProfile(state.ruleLogBytes()),
                    state.perProfile(state.deliveries()), state.perProfile(state.entries()));
        }
        long[] item = bytesPerLoggedItem();
        out.printf("ruled - plain: %+.1f bytes per profile (%.2fx); a delivery logged takes %d bytes, an entry %d,"
                        + " and a profile's log of the rule set %d bytes more%n",
                ruled.perProfile(ruled.bytes()) - plain.perProfile(plain.bytes()),
                ruled.perProfile(ruled.bytes()) / plain.perProfile(plain.bytes()), item[0], item[1], item[2]);
        out.flush();
    }

    /**
     * The bytes a delivery and an entry add to a rule log, and an empty log's own, as Flink's serializer of the
     * record writes them (the log's map key, the rule set id, is in the record's and not counted here).
     */
    static long[] bytesPerLoggedItem() throws IOException {
        TypeSerializer<RuleLog> serializer = AvroRecords.typeInfo(RuleLog.class)
                .createSerializer(new SerializerConfigImpl());
        long at = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
        long empty = bytes(serializer, new RuleLog(List.of(), List.of()));
        long delivery = bytes(serializer, new RuleLog(List.of(new Delivery(at, "email")), List.of()));
        long entry = bytes(serializer, new RuleLog(List.of(), List.of(at)));
        return new long[] {delivery - empty, entry - empty, empty};
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

    /** The throughput benchmark's journeys, each naming the rule set when ruled, which is published first. */
    static List<String> documents(boolean ruled) {
        List<String> documents = new ArrayList<>();
        if (ruled) {
            documents.add(RULE_SET);
        }
        for (String journey : EventBenchmark.journeys()) {
            documents.add(ruled ? journey.replaceFirst("\"version\": 1,",
                    "\"version\": 1, \"rules\": \"" + RULE_SET_ID + "\",") : journey);
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
                return EventBenchmark.GeneratedInput.input(i, profiles, "");
            }
            int profile = (int) Math.floorMod(i * 7_919L, profiles);
            return new RawRecord(InputSource.PROFILES, i, "{\"profileId\": \"p" + profile + "\", \"timestamp\": \""
                    + BEGINNING.plusMillis(i) + "\", \"attributes\": {\"tier\": \"" + (i % 20 == 0 ? "gold" : "silver")
                    + "\", \"logins\": " + (i % 7) + ", \"timeZone\": \"" + ZONES[profile % ZONES.length] + "\"}}",
                    InputFormat.JSON, null, null, null);
        }
    }
}
