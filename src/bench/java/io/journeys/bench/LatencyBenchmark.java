package io.journeys.bench;

import io.journeys.avro.EngineInput;
import io.journeys.avro.RawRecord;
import io.journeys.engine.AvroRecords;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Event-to-action-request latency (issue 7): inputs generated at a fixed rate, each event stamped with the
 * {@link System#nanoTime()} of its generation, through the 20 journeys of {@link EventBenchmark} whose actions
 * copy that stamp into their params; each action request's latency is the time from its event's generation
 * to its arrival at the end of the job. Beside it, in the same run and at the same rate, a floor: the same
 * paced source, parsing and key with one value-state read and write per input, forwarding each event's stamp.
 * Local cluster, parallelism 2, RocksDB with 2 GB of managed memory and incremental at-least-once checkpoints
 * every 10 s, processing time. The journeys run in each variant asked for (plain, {@link FeaturedJourneys featured}),
 * then the last one a second time with Flink's changelog state backend configured as README "Operations"
 * recommends, against the same floor. Featured, only the actions sent at once are samples: those waiting for a
 * send time or held by quiet hours are due hours later; those behind the experiment go on at once, as the
 * experiment step does (its counter only counts).
 *
 * <p>Each pair of jobs runs once per network buffer timeout given: at a moderate rate, records wait in a
 * partly filled buffer after the key shuffle until it fills or the timeout flushes it (100 ms by default).
 *
 * <p>Besides the percentiles, each job reports the rate its source held (below the asked rate, the job could
 * not keep up and its latencies are queueing), the 99.9th percentile of the samples that arrived within 3 s
 * of a checkpoint and of the others, and the worst latency of each second with the checkpoints marked.
 *
 * <pre>{@code
 * new LatencyBenchmark(10_000, Duration.ofSeconds(60), 200_000, new PrintWriter(System.out)).run();
 * }</pre>
 */
public final class LatencyBenchmark {

    /** Flink's default and a low value. */
    public static final List<Duration> DEFAULT_BUFFER_TIMEOUTS = List.of(Duration.ofMillis(100), Duration.ofMillis(5));
    /**
     * Long enough for the start: class loading, JIT and a cold RocksDB held the journeys' first inputs for up to
     * 6 s at 4,000 inputs/s on the shared 2-core machine, and that backlog took about 15 s to drain. The job's
     * first checkpoint (at a random time within the first 10 s) falls in it too.
     */
    static final Duration WARM_UP = Duration.ofSeconds(20);
    /**
     * Long enough to cover a checkpoint's synchronous phase, which held the journeys' task up to a second at
     * 4,000 inputs/s, and the backlog it leaves behind.
     */
    static final Duration AFTER_CHECKPOINT = Duration.ofSeconds(3);

    private final double inputsPerSecond;
    private final Duration duration;
    private final int profiles;
    private final List<Duration> bufferTimeouts;
    private final List<BenchJourneys.Variant> variants;
    private final PrintWriter out;

    /** Latencies of one job in milliseconds, and the input rate its source actually held. */
    public record Latencies(double heldInputsPerSecond, long samples, double p50, double p99, double p999,
            double max, long afterCheckpointSamples, double afterCheckpointP999, double elsewhereP999,
            String worstPerSecond) {}

    /** One variant's latencies, and what its features did. */
    public record Run(BenchJourneys.Variant variant, Latencies latencies, FeatureTally.Counts counts) {}

    /**
     * The floor and each variant of the journeys at one buffer timeout; then the last variant again with Flink's
     * changelog state backend.
     */
    public record Result(Duration bufferTimeout, Latencies floor, List<Run> journeys, Run journeysChangelog) {}

    public LatencyBenchmark(double inputsPerSecond, Duration duration, int profiles, PrintWriter out) {
        this(inputsPerSecond, duration, profiles, DEFAULT_BUFFER_TIMEOUTS, out);
    }

    public LatencyBenchmark(double inputsPerSecond, Duration duration, int profiles, List<Duration> bufferTimeouts,
            PrintWriter out) {
        this(inputsPerSecond, duration, profiles, bufferTimeouts, List.of(BenchJourneys.Variant.PLAIN), out);
    }

    /** Each variant of the journeys in the order given, the last one also with the changelog backend. */
    LatencyBenchmark(double inputsPerSecond, Duration duration, int profiles, List<Duration> bufferTimeouts,
            List<BenchJourneys.Variant> variants, PrintWriter out) {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one variant of the journeys");
        }
        if (inputsPerSecond <= 0 || profiles <= 0) {
            throw new IllegalArgumentException("Expected a positive rate and number of profiles, but found "
                    + inputsPerSecond + " and " + profiles);
        }
        if (duration.compareTo(WARM_UP) <= 0) {
            throw new IllegalArgumentException("Expected a duration longer than the " + WARM_UP.toSeconds()
                    + " s warm-up, but found " + duration.toSeconds() + " s");
        }
        if (bufferTimeouts.isEmpty() || bufferTimeouts.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("Expected buffer timeouts of 0 ms or more, but found " + bufferTimeouts);
        }
        this.inputsPerSecond = inputsPerSecond;
        this.duration = duration;
        this.profiles = profiles;
        this.bufferTimeouts = List.copyOf(bufferTimeouts);
        this.variants = List.copyOf(variants);
        this.out = out;
    }

    public List<Result> run() throws Exception {
        Path root = Files.createTempDirectory("journeys-bench-latency");
        try {
            out.printf("%,.0f inputs/s for %d s (1 in 10 a profile update) over %,d profiles, %d journeys (%s); "
                    + "the first %d s not counted; latencies in ms%n", inputsPerSecond, duration.toSeconds(), profiles,
                    EventBenchmark.JOURNEYS, variants, WARM_UP.toSeconds());
            out.printf("%-7s %-9s %9s %9s %7s %7s %7s %7s | %-22s | %s%n", "buffer", "job", "held in/s", "samples",
                    "p50", "p99", "p99.9", "max", "<" + AFTER_CHECKPOINT.toSeconds() + " s after checkpoint",
                    "elsewhere");
            out.printf("%-7s %-9s %9s %9s %7s %7s %7s %7s | %9s %12s | %9s%n", "", "", "", "", "", "", "", "",
                    "samples", "p99.9", "p99.9");
            out.flush();
            List<Result> results = new ArrayList<>();
            for (Duration bufferTimeout : bufferTimeouts) {
                String buffer = bufferTimeout.toMillis() + " ms";
                Latencies floor = measure(root.resolve("floor-" + buffer), bufferTimeout, null, null).latencies();
                print(buffer, "floor", floor);
                List<Run> journeys = new ArrayList<>();
                for (BenchJourneys.Variant variant : variants) {
                    Run run = measure(root.resolve(variant + "-" + buffer), bufferTimeout, variant, null);
                    print(buffer, variant.toString(), run.latencies());
                    printRatio(buffer, "ratio", run.latencies(), floor);
                    journeys.add(run);
                }
                BenchJourneys.Variant last = variants.get(variants.size() - 1);
                Run changelog = measure(root.resolve("changelog-" + buffer), bufferTimeout, last,
                        root.resolve("changelog-log-" + buffer).toUri().toString());
                print(buffer, "changelog", changelog.latencies());
                printRatio(buffer, "ratio", changelog.latencies(), floor);
                for (Run run : journeys) {
                    EventBenchmark.printCounts(out, run.variant(), run.counts());
                }
                EventBenchmark.printCounts(out, changelog.variant(), changelog.counts());
                out.flush();
                results.add(new Result(bufferTimeout, floor, journeys, changelog));
            }
            return results;
        } finally {
            ExportBenchmark.deleteRecursively(root);
        }
    }

    private void printRatio(String buffer, String label, Latencies journeys, Latencies floor) {
        if (journeys.samples() == 0) {
            return; // said by print
        }
        out.printf("%-7s %-9s %9s %9s %7.1f %7.1f %7.1f   (journeys / floor)%n", buffer, label, "", "",
                journeys.p50() / floor.p50(), journeys.p99() / floor.p99(), journeys.p999() / floor.p999());
        out.flush();
    }

    private void print(String buffer, String job, Latencies l) {
        if (l.samples() == 0) {
            // the featured journeys at night in most of their profiles' zones: quiet hours hold every action
            out.printf("%-7s %-9s no action request was sent at once (quiet hours or a send time held each: see"
                    + " the counts below), so there is no latency to give%n", buffer, job);
            out.flush();
            return;
        }
        out.printf("%-7s %-9s %,9.0f %,9d %7.1f %7.1f %7.1f %7.1f | %,9d %12.1f | %9.1f%n", buffer, job,
                l.heldInputsPerSecond(), l.samples(), l.p50(), l.p99(), l.p999(), l.max(), l.afterCheckpointSamples(),
                l.afterCheckpointP999(), l.elsewhereP999());
        out.printf("        worst ms per second (* a checkpoint, | end of warm-up): %s%n", l.worstPerSecond());
        out.flush();
    }

    /**
     * @param variant the journeys, or null for the floor
     * @param changelog where the changelog state backend logs state changes, or null for the job's default
     */
    private Run measure(Path checkpoints, Duration bufferTimeout, BenchJourneys.Variant variant, String changelog)
            throws Exception {
        Configuration conf = BenchmarkConfiguration.local(checkpoints);
        if (changelog != null) {
            BenchmarkConfiguration.withChangelog(conf, changelog);
        }
        // at-least-once: barriers are not aligned, so a checkpoint never holds back a channel's records
        conf.setString("execution.checkpointing.mode", "AT_LEAST_ONCE");
        // how long a record may wait in a partly filled network buffer before it is sent anyway
        conf.setString("execution.buffer-timeout.interval", bufferTimeout.toMillis() + " ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        long inputs = Math.round(inputsPerSecond * duration.toSeconds());
        // the rate limiter gives each of the 2 source subtasks half the rate, without a busy loop
        DataStream<RawRecord> raw = env.fromSource(new DataGeneratorSource<>(new TimedInput(profiles), inputs,
                RateLimiterStrategy.perSecond(inputsPerSecond), AvroRecords.typeInfo(RawRecord.class)),
                WatermarkStrategy.noWatermarks(), "paced-inputs");
        String loop = ExperimentLoop.open("latency-" + variant + "-" + System.nanoTime());
        try {
            DataStream<Long> sentAt;
            if (variant != null) {
                sentAt = BenchJourneys.build(env, raw, variant, true, loop)
                        .map(request -> SentAt.read(request.getParams()), Types.LONG).name("sent-at");
            } else {
                sentAt = ExportBenchmark.floor(raw, new OneStateUpdateForwardingSentAt());
            }
            sentAt.process(new LatencyRecorder(WARM_UP, AFTER_CHECKPOINT), Types.VOID).name("latency")
                    .sinkTo(new DiscardingSink<>());
            JobExecutionResult result = env.execute(
                    variant != null ? "bench-latency-" + variant : "bench-latency-floor");
            FeatureTally.Counts counts = FeatureTally.counts(result);
            if (variant != null) {
                FeatureTally.requireValid(variant, counts, FeatureTally.EXPERIMENTS);
            }
            return new Run(variant, latencies(result, inputs), counts);
        } finally {
            ExperimentLoop.close(loop);
        }
    }

    private static Latencies latencies(JobExecutionResult result, long inputs) {
        Histogram all = result.getAccumulatorResult(LatencyRecorder.LATENCY);
        Histogram afterCheckpoint = result.getAccumulatorResult(LatencyRecorder.AFTER_CHECKPOINT);
        Histogram elsewhere = all.copy();
        elsewhere.subtract(afterCheckpoint);
        long first = result.<Long>getAccumulatorResult(LatencyRecorder.FIRST_SENT);
        long last = result.<Long>getAccumulatorResult(LatencyRecorder.LAST_SENT);
        // below the asked rate, the source was held back: its stamps are late and latencies understated
        double held = inputs / ((last - first) / 1e9);
        return new Latencies(held, all.getTotalCount(), millis(all, 50), millis(all, 99), millis(all, 99.9),
                all.getMaxValue() / 1000.0, afterCheckpoint.getTotalCount(), millis(afterCheckpoint, 99.9),
                millis(elsewhere, 99.9), worstPerSecond(result.getAccumulatorResult(LatencyRecorder.TIMELINE)));
    }

    /** A timeline, e.g. {@code 9 2100* 40 | 4 3 5 310* 42 - 4} ({@code |}: end of warm-up, {@code -}: nothing arrived). */
    private static String worstPerSecond(LatencyTimeline.Seconds timeline) {
        long[] max = timeline.maxMicros();
        int end = max.length;
        while (end > 0 && max[end - 1] == 0) {
            end--; // the array grows ahead of the run
        }
        StringBuilder line = new StringBuilder();
        for (int s = 0; s < end; s++) {
            if (s == WARM_UP.toSeconds()) {
                line.append("| ");
            }
            line.append(max[s] == 0 ? "-" : Long.toString(Math.round(max[s] / 1000.0)))
                    .append(timeline.checkpoints()[s] ? "* " : " ");
        }
        return line.toString().trim();
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The inputs of {@link EventBenchmark}, each event stamped with its generation time. */
    static final class TimedInput implements GeneratorFunction<Long, RawRecord> {
        private final int profiles;

        TimedInput(int profiles) {
            this.profiles = profiles;
        }

        @Override
        public RawRecord map(Long i) {
            // stamped when the rate limiter lets the input go, so a wait for a permit is not counted
            return EventBenchmark.GeneratedInput.input(i, profiles, ", \"" + SentAt.FIELD + "\": " + System.nanoTime());
        }
    }

    /** The floor's keyed function: one value-state read and write per input; an event's stamp goes on. */
    static final class OneStateUpdateForwardingSentAt extends ExportBenchmark.OneStateUpdate {
        @Override
        void emit(EngineInput input, Collector<Long> out) {
            if (input.getEvent() != null) {
                out.collect(SentAt.read(input.getEvent().getData()));
            }
        }
    }

    /** {@code LatencyBenchmark RATE SECONDS [PROFILES] [BUFFER_TIMEOUT_MS,...]}, e.g. {@code 10000 60}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 4) {
            System.err.println("Usage: LatencyBenchmark INPUTS_PER_SECOND SECONDS [PROFILES (default 200000)] "
                    + "[BUFFER_TIMEOUTS_MS (default 100,5)]");
            System.exit(2);
        }
        int profiles = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        List<Duration> bufferTimeouts = args.length > 3
                ? Arrays.stream(args[3].split(",")).map(ms -> Duration.ofMillis(Long.parseLong(ms.trim()))).toList()
                : DEFAULT_BUFFER_TIMEOUTS;
        PrintWriter out = new PrintWriter(System.out, true);
        new LatencyBenchmark(Double.parseDouble(args[0]), Duration.ofSeconds(Long.parseLong(args[1])), profiles,
                bufferTimeouts, out).run();
    }
}
