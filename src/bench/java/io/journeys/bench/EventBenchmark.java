package io.journeys.bench;

import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.engine.AvroRecords;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput of the job on profile events (issue 7): 20 live journeys (event entries with filters,
 * conditions on profile attributes, actions, waits and awaits) over the profiles asked for (half a million by default), events generated
 * in memory, beside a floor measured in the same run: the same source, parsing, key and state backend with
 * a bare keyed function doing one value-state read and write per event. Local cluster, parallelism 2,
 * RocksDB with incremental checkpoints every 10 s and 2 GB of managed memory, processing time.
 *
 * <p>The journeys run plain, featured ({@link FeaturedJourneys}: goals, an experiment, delivery rules, send times)
 * or both, one after the other against the one floor (issue 19); each run prints what its features did
 * ({@link FeatureTally}) and fails if a document was refused or a feature never ran.
 */
public final class EventBenchmark {

    static final int JOURNEYS = 20;
    private static final String[] ENTRY_TYPES = {"view", "cart", "purchase", "signup", "login"};

    private final long events;
    private final int profiles;
    private final List<BenchJourneys.Variant> variants;
    private final PrintWriter out;

    public EventBenchmark(long events, int profiles, PrintWriter out) {
        this(events, profiles, List.of(BenchJourneys.Variant.PLAIN), out);
    }

    /** Measures the floor, then each variant of the journeys in the order given. */
    EventBenchmark(long events, int profiles, List<BenchJourneys.Variant> variants, PrintWriter out) {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one variant of the journeys");
        }
        this.events = events;
        this.profiles = profiles;
        this.variants = List.copyOf(variants);
        this.out = out;
    }

    /** One variant's rate, and what its features did. */
    public record Run(BenchJourneys.Variant variant, double inputsPerSecond, double cpuMicrosPerInput,
            FeatureTally.Counts counts) {}

    /**
     * Inputs per second of the floor and of each variant of the journeys, measured one after the other; and the CPU
     * time of the process per input of each (the local cluster runs in it), which other processes on a shared machine
     * move less than the rates.
     */
    public record Figures(double floor, double floorCpuMicrosPerInput, List<Run> runs) {
        /** The rate of the last variant measured: the featured one when both ran. */
        public double journeys() {
            return runs.get(runs.size() - 1).inputsPerSecond();
        }

        public double ratio() {
            return journeys() / floor;
        }
    }

    public Figures run() throws Exception {
        Path root = Files.createTempDirectory("journeys-bench-events");
        try {
            out.printf("%,d inputs (1 in 10 a profile update) over %,d profiles, %d journeys: %s%n", events, profiles,
                    JOURNEYS, variants);
            out.flush();
            long cpuBefore = RulesBenchmark.processCpuNanos();
            double floor = floorPerSecond(root.resolve("floor"));
            double floorCpu = (RulesBenchmark.processCpuNanos() - cpuBefore) / 1e3 / events;
            List<Run> runs = new ArrayList<>();
            for (BenchJourneys.Variant variant : variants) {
                runs.add(journeysPerSecond(root.resolve("journeys-" + variant), variant));
            }
            out.printf("%-10s %-9s %16s %18s %8s %22s%n", "inputs", "journeys", "floor inputs/s", "journeys inputs/s",
                    "ratio", "CPU µs/input (floor)");
            for (Run run : runs) {
                out.printf("%,-10d %-9s %,16.0f %,18.0f %8.2f %11.1f (%.1f)%n", events, run.variant(), floor,
                        run.inputsPerSecond(), run.inputsPerSecond() / floor, run.cpuMicrosPerInput(), floorCpu);
            }
            for (Run run : runs) {
                printCounts(out, run.variant(), run.counts());
            }
            out.flush();
            return new Figures(floor, floorCpu, runs);
        } finally {
            ExportBenchmark.deleteRecursively(root);
        }
    }

    /** What the features did in a run, e.g. to be sure the featured journeys' goals converted. */
    static void printCounts(PrintWriter out, BenchJourneys.Variant variant, FeatureTally.Counts counts) {
        StringBuilder line = new StringBuilder(String.format("%-9s", variant));
        counts.byName().forEach((name, count) -> line.append(String.format(" %s %,d;", name, count)));
        out.println(line);
    }

    private double floorPerSecond(Path checkpoints) throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints);
        ExportBenchmark.floor(generated(env)).sinkTo(new DiscardingSink<>());
        long start = System.nanoTime(); // benchmark timing, not engine logic
        env.execute("bench-floor");
        return events / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    }

    private Run journeysPerSecond(Path checkpoints, BenchJourneys.Variant variant) throws Exception {
        StreamExecutionEnvironment env = environment(checkpoints);
        String loop = ExperimentLoop.open("throughput-" + variant + "-" + System.nanoTime());
        try {
            BenchJourneys.build(env, generated(env), variant, false, loop).sinkTo(new DiscardingSink<>());
            long cpuBefore = RulesBenchmark.processCpuNanos();
            long start = System.nanoTime(); // benchmark timing, not engine logic
            JobExecutionResult result = env.execute("bench-journeys-" + variant);
            double rate = events / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
            double cpuMicros = (RulesBenchmark.processCpuNanos() - cpuBefore) / 1e3 / events;
            FeatureTally.Counts counts = FeatureTally.counts(result);
            FeatureTally.requireValid(variant, counts, FeatureTally.EVERY_FEATURE);
            return new Run(variant, rate, cpuMicros, counts);
        } finally {
            ExperimentLoop.close(loop);
        }
    }

    private StreamExecutionEnvironment environment(Path checkpoints) {
        Configuration conf = BenchmarkConfiguration.local(checkpoints);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private DataStream<RawRecord> generated(StreamExecutionEnvironment env) {
        return env.fromSequence(0, events - 1)
                .map(new GeneratedInput(profiles))
                .returns(AvroRecords.typeInfo(RawRecord.class))
                .name("generated-inputs");
    }

    /**
     * Input number i: a profile update one time in ten, else an event of one of six types. Inputs visit the
     * profiles in passes (a stride prime to their number visits each once per pass); in pass v, profile p gets an
     * update when (p + v) is a multiple of 10, so that every profile gets both kinds over ten passes and the
     * updates of a pass are spread over its profiles, whatever their number. (Choosing by i alone, as before,
     * gave a number of profiles that is a multiple of 10 only updates to some profiles and only events to the
     * others: their {@code tier} never reached a journey.)
     */
    static final class GeneratedInput implements MapFunction<Long, RawRecord> {
        private static final Instant BEGINNING = Instant.parse("2026-06-01T00:00:00Z");
        /** {@code email.opened}: the engagement send-time optimisation learns from. */
        private static final String[] TYPES = {"view", "cart", "purchase", "signup", "login", "email.opened"};
        /** The zones of the profiles that have one (a sixth have none: the rules fall back to UTC). */
        private static final String[] ZONES = RulesBenchmark.ZONES;
        private final int profiles;

        GeneratedInput(int profiles) {
            this.profiles = profiles;
        }

        @Override
        public RawRecord map(Long i) {
            return input(i, profiles, "");
        }

        /** Input number i; an event's data object ends with extraData (e.g. {@code , "sentAt": 12}). */
        static RawRecord input(long i, int profiles, String extraData) {
            int profile = profileOf(i, profiles);
            return isUpdate(i, profiles) ? update(i, profile) : event(i, profile, extraData);
        }

        static int profileOf(long i, int profiles) {
            return (int) Math.floorMod(i * 7_919L, profiles);
        }

        static boolean isUpdate(long i, int profiles) {
            return (profileOf(i, profiles) + i / profiles) % 10 == 0;
        }

        /**
         * A profile's update: its tier (gold for half the profiles, always the same for one profile), a login
         * count, and for five profiles in six a {@code timeZone} among {@link RulesBenchmark#ZONES}.
         */
        static RawRecord update(long i, int profile) {
            int zone = (profile / 10) % (ZONES.length + 1);
            String timeZone = zone < ZONES.length ? ", \"timeZone\": \"" + ZONES[zone] + "\"" : "";
            return new RawRecord(InputSource.PROFILES, i, "{\"profileId\": \"p" + profile + "\", \"timestamp\": \""
                    + BEGINNING.plusMillis(i) + "\", \"attributes\": {\"tier\": \""
                    + ((profile / 60) % 2 == 0 ? "gold" : "silver") + "\", \"logins\": " + (i % 7) + timeZone + "}}",
                    InputFormat.JSON, null, null, null);
        }

        /** Profile {@code profile}'s event for input number i. */
        static RawRecord event(long i, int profile, String extraData) {
            return new RawRecord(InputSource.EVENTS, i, "{\"eventId\": \"e" + i + "\", \"profileId\": \"p" + profile
                    + "\", \"type\": \"" + TYPES[(int) (i % TYPES.length)] + "\", \"timestamp\": \""
                    + BEGINNING.plusMillis(i) + "\", \"data\": {\"amount\": " + (i % 100) + ", \"plan\": \""
                    + (i % 3 == 0 ? "pro" : "basic") + "\"" + extraData + "}}", InputFormat.JSON, null, null, null);
        }
    }

    /** The event type journey k enters on. */
    static String entryType(int k) {
        return ENTRY_TYPES[k % ENTRY_TYPES.length];
    }

    /** The least amount of journey k's entry event. */
    static int entryThreshold(int k) {
        return (k * 7) % 90;
    }

    /** Twenty journeys: entry filters, a condition on profile attributes, actions, a wait and an await. */
    static List<String> journeys() {
        return journeys(false);
    }

    /**
     * The same journeys; when stamped, both actions also carry the entry event's {@code sentAt} in their
     * params, which the latency benchmark reads from each action request.
     */
    static List<String> journeys(boolean stamped) {
        String goldParams = stamped ? " \"params\": {\"sentAt\": \"event.sentAt\"}," : "";
        String sendParams = stamped ? ", \"sentAt\": \"event.sentAt\"" : "";
        List<String> documents = new ArrayList<>();
        for (int k = 0; k < JOURNEYS; k++) {
            documents.add("""
                    {"id": "bench-%d", "version": 1,
                     "entry": {"type": "event", "event": "%s", "when": "event.amount >= %d"},
                     "exit": [{"event": "unsubscribed"}],
                     "start": "check",
                     "steps": {
                       "check": {"type": "condition",
                                 "choices": [{"when": "has(profile.tier) && profile.tier == 'gold'", "next": "gold"}],
                                 "default": "send"},
                       "gold": {"type": "action", "channel": "push", "template": "gold-%d",%s "next": "wait"},
                       "send": {"type": "action", "channel": "email", "template": "offer-%d",
                                "params": {"amount": "event.amount", "plan": "event.plan"%s}, "next": "wait"},
                       "wait": {"type": "wait", "duration": "PT1H", "next": "opened"},
                       "opened": {"type": "await", "events": [{"event": "email.opened", "to": "send", "next": "done"}],
                                  "timeout": "P1D", "onTimeout": "done"},
                       "done": {"type": "end"}}}""".formatted(k, entryType(k), entryThreshold(k), k,
                    goldParams, k, sendParams));
        }
        return documents;
    }
}
