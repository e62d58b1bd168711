package io.journeys.bench;

import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.GuardRails;
import io.journeys.job.InputParser;
import io.journeys.job.JourneyJob;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * Throughput of the job on profile events (issue 7): 20 live journeys (event entries with filters,
 * conditions on profile attributes, actions, waits and awaits) over a million profiles, events generated
 * in memory, beside a floor measured in the same run: the same source, parsing, key and state backend with
 * a bare keyed function doing one value-state read and write per event. Local cluster, parallelism 2,
 * RocksDB with incremental checkpoints every 10 s and 2 GB of managed memory, processing time.
 */
public final class EventBenchmark {

    static final int JOURNEYS = 20;
    private static final String[] ENTRY_TYPES = {"view", "cart", "purchase", "signup", "login"};

    private final long events;
    private final int profiles;
    private final PrintWriter out;

    public EventBenchmark(long events, int profiles, PrintWriter out) {
        this.events = events;
        this.profiles = profiles;
        this.out = out;
    }

    /** Inputs per second of the floor and of the journeys, measured one after the other. */
    public record Figures(double floor, double journeys) {
        public double ratio() {
            return journeys / floor;
        }
    }

    public Figures run() throws Exception {
        Path root = Files.createTempDirectory("journeys-bench-events");
        try {
            out.printf("%,d inputs (1 in 10 a profile update) over %,d profiles, %d journeys%n", events, profiles,
                    JOURNEYS);
            out.flush();
            double floor = inputsPerSecond(root.resolve("floor"), false);
            double engine = inputsPerSecond(root.resolve("journeys"), true);
            out.printf("%-10s %16s %18s %8s%n", "inputs", "floor inputs/s", "journeys inputs/s", "ratio");
            out.printf("%,-10d %,16.0f %,18.0f %8.2f%n", events, floor, engine, engine / floor);
            out.flush();
            return new Figures(floor, engine);
        } finally {
            ExportBenchmark.deleteRecursively(root);
        }
    }

    private double inputsPerSecond(Path checkpoints, boolean throughJourneys) throws Exception {
        Configuration conf = BenchmarkConfiguration.local(checkpoints);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        DataStream<RawRecord> raw = env.fromSequence(0, events - 1)
                .map(new GeneratedInput(profiles))
                .returns(AvroRecords.typeInfo(RawRecord.class))
                .name("generated-inputs");
        if (throughJourneys) {
            JourneyJob.Outputs outputs = JourneyJob.build(raw, env.fromData(journeys(), Types.STRING),
                    EngineSettings.processingTime(List.of()), new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()));
            outputs.actions().sinkTo(new DiscardingSink<>());
            outputs.stepEvents().sinkTo(new DiscardingSink<>());
            outputs.deadLetters().sinkTo(new DiscardingSink<>());
            outputs.profileWrites().sinkTo(new DiscardingSink<>());
            outputs.capRequests().sinkTo(new DiscardingSink<>());
        } else {
            ExportBenchmark.floor(raw).sinkTo(new DiscardingSink<>());
        }
        long start = System.nanoTime(); // benchmark timing, not engine logic
        env.execute(throughJourneys ? "bench-journeys" : "bench-floor");
        return events / (Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
    }

    /** Input number i: a profile update one time in ten, else an event of one of six types. */
    static final class GeneratedInput implements MapFunction<Long, RawRecord> {
        private static final Instant BEGINNING = Instant.parse("2026-06-01T00:00:00Z");
        private static final String[] TYPES = {"view", "cart", "purchase", "signup", "login", "opened"};
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
            // a stride prime to the number of profiles visits every profile before any repeats
            String profileId = "p" + Math.floorMod(i * 7_919L, profiles);
            String timestamp = BEGINNING.plusMillis(i).toString();
            if (i % 10 == 0) {
                return new RawRecord(InputSource.PROFILES, i, "{\"profileId\": \"" + profileId + "\", \"timestamp\": \""
                        + timestamp + "\", \"attributes\": {\"tier\": \"" + (i % 20 == 0 ? "gold" : "silver")
                        + "\", \"logins\": " + (i % 7) + "}}", InputFormat.JSON, null, null, null);
            }
            return new RawRecord(InputSource.EVENTS, i, "{\"eventId\": \"e" + i + "\", \"profileId\": \"" + profileId
                    + "\", \"type\": \"" + TYPES[(int) (i % TYPES.length)] + "\", \"timestamp\": \"" + timestamp
                    + "\", \"data\": {\"amount\": " + (i % 100) + ", \"plan\": \"" + (i % 3 == 0 ? "pro" : "basic")
                    + "\"" + extraData + "}}", InputFormat.JSON, null, null, null);
        }
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
                       "opened": {"type": "await", "events": [{"event": "opened", "to": "send", "next": "done"}],
                                  "timeout": "P1D", "onTimeout": "done"},
                       "done": {"type": "end"}}}""".formatted(k, ENTRY_TYPES[k % ENTRY_TYPES.length], (k * 7) % 90, k,
                    goldParams, k, sendParams));
        }
        return documents;
    }
}
