package io.journeys.bench;

import io.journeys.avro.EngineInput;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.avro.StepEvent;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.GuardRails;
import io.journeys.engine.StepStatus;
import io.journeys.job.InputParser;
import io.journeys.job.JourneyJob;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Waiting profiles (issue 7). N profiles each enter, at one instant, a journey that parks them in a wait of
 * an hour. Once all are parked, a native savepoint gives the state kept per waiting instance and the JVM's
 * heap is read; then the watermark jumps an hour, so every wake-up is due at once, and the rate at which
 * they fire is measured while checkpoints go on every 10 s: a checkpoint that fails or times out (Flink's
 * default of 10 minutes) fails the job and the run, and the longest time between two completed checkpoints
 * shows how long the wake-ups held them up.
 *
 * <p>It runs in event time because only the watermark can make a million timers due at one moment the
 * benchmark chooses (after the savepoint); a wake-up runs the same code in processing time, on the other
 * kind of Flink timer. The floor, measured in the same run with the same source, parsing and key: a bare
 * keyed function that keeps one value per profile and sets one timer at the same instant, and emits one
 * record when it fires. Local cluster, parallelism 2, RocksDB with incremental checkpoints and 2 GB of
 * managed memory.
 */
public final class WaitingBenchmark {

    /** The figures of one run. */
    public record Figures(long instances, double parkSeconds, double stateBytesPerInstance,
            double heapBytesPerInstance, double wakeSeconds, long checkpointsWhileWaking,
            double longestCheckpointGapSeconds) {

        double wakeUpsPerSecond() {
            return instances / wakeSeconds;
        }
    }

    private static final String JOURNEY = """
            {"id": "parked", "version": 1,
             "entry": {"type": "event", "event": "start"},
             "start": "wait",
             "steps": {
               "wait": {"type": "wait", "duration": "PT1H", "next": "send"},
               "send": {"type": "action", "channel": "push", "template": "woken",
                        "params": {"plan": "event.plan"}, "next": "done"},
               "done": {"type": "end"}}}""";

    private final int profiles;
    private final PrintWriter out;
    /** When every profile enters (event time), and when they are all due. */
    static final Instant ENTERED_AT = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant DUE_AT = ENTERED_AT.plus(Duration.ofHours(1));

    public WaitingBenchmark(int profiles, PrintWriter out) {
        this.profiles = profiles;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int profiles = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        PrintWriter out = new PrintWriter(System.out, true);
        new WaitingBenchmark(profiles, out).run();
    }

    /** Runs the floor then the journey; prints both and their ratios. */
    public Figures[] run() throws Exception {
        out.printf("%,d profiles parked in a wait of an hour, then all due at once%n", profiles);
        out.flush();
        Figures floor = measure(false);
        Figures journey = measure(true);
        out.printf("%-9s %12s %13s %12s %14s %12s %12s %16s%n", "", "parked in s", "state B/inst", "heap B/inst",
                "wake-ups in s", "wake-ups/s", "checkpoints", "longest gap in s");
        for (Figures figures : List.of(floor, journey)) {
            out.printf("%-9s %,12.1f %,13.0f %,12.0f %,14.1f %,12.0f %12d %16.1f%n",
                    figures == floor ? "floor" : "journey", figures.parkSeconds(), figures.stateBytesPerInstance(),
                    figures.heapBytesPerInstance(), figures.wakeSeconds(), figures.wakeUpsPerSecond(),
                    figures.checkpointsWhileWaking(), figures.longestCheckpointGapSeconds());
        }
        out.printf("journey/floor: state %.2f, wake-up rate %.2f%n",
                journey.stateBytesPerInstance() / floor.stateBytesPerInstance(),
                journey.wakeUpsPerSecond() / floor.wakeUpsPerSecond());
        out.flush();
        return new Figures[] {floor, journey};
    }

    private Figures measure(boolean throughJourneys) throws Exception {
        Path root = Files.createTempDirectory("journeys-bench-waiting");
        Progress.reset(profiles);
        try {
            StreamExecutionEnvironment env = environment(root.resolve("checkpoints"));
            long startEvents = profiles; // the watermark generator must not capture this (not serializable)
            DataStream<RawRecord> raw = env.fromSource(
                            new DataGeneratorSource<>(new StartEvent(), Long.MAX_VALUE, new ThenIdle(profiles),
                                    AvroRecords.typeInfo(RawRecord.class)),
                            WatermarkStrategy.<RawRecord>forGenerator(context -> new HeldWatermark(startEvents))
                                    .withTimestampAssigner((record, previous) -> ENTERED_AT.toEpochMilli()),
                            "start-events")
                    .setParallelism(1); // one split: indices 0..N-1 are the N profiles
            if (throughJourneys) {
                JourneyJob.Outputs outputs = JourneyJob.build(raw, env.fromData(List.of(JOURNEY), Types.STRING),
                        EngineSettings.eventTime(List.of()), new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()));
                count(outputs.stepEvents()
                        .filter(step -> step.getStatus().equals(StepStatus.WAITING))
                        .returns(AvroRecords.typeInfo(StepEvent.class))
                        .map(step -> 0L).returns(Types.LONG));
                count(outputs.actions().map(action -> 1L).returns(Types.LONG));
                outputs.deadLetters().sinkTo(new DiscardingSink<>());
                outputs.profileWrites().sinkTo(new DiscardingSink<>());
                outputs.capRequests().sinkTo(new DiscardingSink<>());
            } else {
                count(ExportBenchmark.floor(raw, new OneTimer(DUE_AT.toEpochMilli())));
            }
            return drive(env, root);
        } finally {
            ExportBenchmark.deleteRecursively(root);
        }
    }

    private StreamExecutionEnvironment environment(Path checkpoints) {
        Configuration conf = BenchmarkConfiguration.local(checkpoints);
        conf.setString("execution.checkpointing.tolerable-failed-checkpoints", "0");
        conf.setString("pipeline.auto-watermark-interval", "50 ms");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /** Parks every profile, measures state and heap, then times the wake-ups. */
    private Figures drive(StreamExecutionEnvironment env, Path root) throws Exception {
        long heapBefore = heapUsedAfterGc();
        long start = System.nanoTime();
        JobClient job = env.executeAsync("bench-waiting");
        // completes when the job ends; a local cluster shuts down then, and no longer answers status calls
        CompletableFuture<JobExecutionResult> ended = job.getJobExecutionResult();
        try {
            if (!awaitWhileRunning(Progress.allParked, ended)) {
                throw new IllegalStateException("Expected " + profiles + " profiles parked within 10 minutes, but "
                        + Progress.parked.get() + " were");
            }
            double parkSeconds = (System.nanoTime() - start) / 1e9;
            long heap = heapUsedAfterGc() - heapBefore;
            Path savepoint = Path.of(URI.create(job.triggerSavepoint(
                    root.resolve("savepoint").toUri().toString(), SavepointFormatType.NATIVE).get()));
            long stateBytes = sizeOf(savepoint);
            long checkpointsBefore = Progress.checkpoints.get();
            long releasedAt = System.nanoTime(); // benchmark timing
            Progress.measureCheckpointGapsFrom(releasedAt);
            Progress.released = true;
            if (!awaitWhileRunning(Progress.allWoken, ended)) {
                throw new IllegalStateException("Expected " + profiles + " wake-ups within 10 minutes, but "
                        + Progress.woken.get() + " came");
            }
            double wakeSeconds = (Progress.lastWokenAt.get() - releasedAt) / 1e9;
            long checkpointsWhileWaking = Progress.checkpoints.get() - checkpointsBefore;
            // one checkpoint more, so that the gap the wake-ups held checkpoints up for is closed and measured
            if (!awaitWhileRunning(Progress.nextCheckpoint(), ended)) {
                throw new IllegalStateException("Expected a checkpoint every 10 s, but none completed in 10 minutes");
            }
            return new Figures(profiles, parkSeconds, (double) stateBytes / profiles, (double) heap / profiles,
                    wakeSeconds, checkpointsWhileWaking, Progress.longestGap.get() / 1e9);
        } finally {
            if (!ended.isDone()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Waits up to 10 minutes for the latch; a job that ends first (a failed checkpoint) fails the run. */
    private static boolean awaitWhileRunning(CountDownLatch latch, CompletableFuture<JobExecutionResult> ended)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!latch.await(200, TimeUnit.MILLISECONDS)) {
            if (ended.isDone()) {
                ended.get(); // throws the job's failure
                throw new IllegalStateException("Expected the job to run until the benchmark ends, but it ended");
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
        }
        return true;
    }

    private static long heapUsedAfterGc() {
        System.gc(); // benchmark measurement: the heap the live objects hold, not the garbage
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long sizeOf(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static void count(DataStream<Long> kinds) {
        kinds.map(new Counting()).returns(Types.LONG).sinkTo(new DiscardingSink<>());
    }

    /**
     * What the jobs report to the benchmark, which runs them in this JVM: profiles parked (0) and woken
     * (1), completed checkpoints, and when the last wake-up came.
     */
    static final class Progress {
        static final AtomicLong parked = new AtomicLong();
        static final AtomicLong woken = new AtomicLong();
        static final AtomicLong checkpoints = new AtomicLong();
        static final AtomicLong lastWokenAt = new AtomicLong();
        static final AtomicLong lastCheckpointAt = new AtomicLong();
        static final AtomicLong longestGap = new AtomicLong();
        private static volatile CountDownLatch checkpointed = new CountDownLatch(1);
        static volatile CountDownLatch allParked = new CountDownLatch(1);
        static volatile CountDownLatch allWoken = new CountDownLatch(1);
        static volatile long expected;
        /** Set once every profile is parked and measured: the watermark may pass their wake-up instant. */
        static volatile boolean released;

        static synchronized void reset(long profiles) {
            parked.set(0);
            woken.set(0);
            checkpoints.set(0);
            // System.nanoTime() may be negative: "none yet" is MIN_VALUE, not 0
            lastWokenAt.set(Long.MIN_VALUE);
            lastCheckpointAt.set(Long.MIN_VALUE);
            longestGap.set(0);
            allParked = new CountDownLatch(1);
            allWoken = new CountDownLatch(1);
            expected = profiles;
            released = false;
        }

        /** From now on, the longest time between two completed checkpoints is kept. */
        static void measureCheckpointGapsFrom(long now) {
            lastCheckpointAt.set(now);
            longestGap.set(0);
        }

        static synchronized void checkpointCompleted(long now) {
            checkpoints.incrementAndGet();
            long last = lastCheckpointAt.getAndSet(now);
            if (last != Long.MIN_VALUE) {
                longestGap.accumulateAndGet(now - last, Math::max);
            }
            checkpointed.countDown();
            checkpointed = new CountDownLatch(1);
        }

        /** Counts down at the next completed checkpoint. */
        static CountDownLatch nextCheckpoint() {
            return checkpointed;
        }

        static void record(long kind, long now) {
            if (kind == 0 && parked.incrementAndGet() == expected) {
                allParked.countDown();
            } else if (kind == 1) {
                lastWokenAt.accumulateAndGet(now, Math::max);
                if (woken.incrementAndGet() == expected) {
                    allWoken.countDown();
                }
            }
        }
    }

    /** Counts what passes (see {@link Progress}) and the checkpoints its subtask completes. */
    static final class Counting extends RichMapFunction<Long, Long> implements CheckpointListener {
        @Override
        public Long map(Long kind) {
            Progress.record(kind, System.nanoTime()); // benchmark timing: the JVM's timer releasedAt is on
            return kind;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                Progress.checkpointCompleted(System.nanoTime()); // benchmark timing
            }
        }
    }

    /** The floor: one value per profile and one timer at the wake-up instant; 0 when parked, 1 when woken. */
    static final class OneTimer extends KeyedProcessFunction<String, EngineInput, Long> {
        private final long dueAt;
        private transient ValueState<Long> parkedAt;

        OneTimer(long dueAt) {
            this.dueAt = dueAt;
        }

        @Override
        public void open(OpenContext openContext) {
            parkedAt = getRuntimeContext().getState(new ValueStateDescriptor<>("parked-at", Types.LONG));
        }

        @Override
        public void processElement(EngineInput input, Context ctx, Collector<Long> out) throws Exception {
            parkedAt.update(input.getTimestamp());
            ctx.timerService().registerEventTimeTimer(dueAt);
            out.collect(0L);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<Long> out) throws Exception {
            parkedAt.value();
            parkedAt.clear();
            out.collect(1L);
        }
    }

    /** Input i: profile i's start event, at the one instant every profile enters. */
    static final class StartEvent implements GeneratorFunction<Long, RawRecord> {
        @Override
        public RawRecord map(Long i) {
            return new RawRecord(InputSource.EVENTS, i, "{\"eventId\": \"s" + i + "\", \"profileId\": \"p" + i
                    + "\", \"type\": \"start\", \"timestamp\": \"" + ENTERED_AT + "\", \"data\": {\"plan\": \""
                    + (i % 3 == 0 ? "pro" : "basic") + "\", \"amount\": " + (i % 100) + "}}", InputFormat.JSON, null,
                    null, null);
        }
    }

    /**
     * The source's watermark: just before the entry instant until all N start events are out (so none is
     * late), then the entry instant (so they are handled and parked), then, once the benchmark releases it,
     * the wake-up instant: every timer is due at once.
     */
    static final class HeldWatermark implements WatermarkGenerator<RawRecord> {
        private final long profiles;
        private long seen;

        HeldWatermark(long profiles) {
            this.profiles = profiles;
        }

        @Override
        public void onEvent(RawRecord record, long timestamp, WatermarkOutput output) {
            seen++;
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            long at = Progress.released ? DUE_AT.toEpochMilli()
                    : seen >= profiles ? ENTERED_AT.toEpochMilli() : ENTERED_AT.toEpochMilli() - 1;
            output.emitWatermark(new Watermark(at));
        }
    }

    /**
     * Lets the first N records through at full speed, then none: the source stays open (so the job keeps
     * running, timers and checkpoints included) without emitting anything more.
     */
    static final class ThenIdle implements RateLimiterStrategy<NumberSequenceSplit> {
        private final long permits;

        ThenIdle(long permits) {
            this.permits = permits;
        }

        @Override
        public RateLimiter<NumberSequenceSplit>
                createRateLimiter(int parallelism) {
            long perReader = permits / parallelism;
            return new RateLimiter<>() {
                private long granted;
                private final CompletableFuture<Void> never = new CompletableFuture<>();

                @Override
                public CompletionStage<Void> acquire(int requested) {
                    granted += requested;
                    return granted <= perReader ? CompletableFuture.completedFuture(null) : never;
                }
            };
        }
    }
}
