package io.journeys.bench;

import io.journeys.avro.EngineInput;
import io.journeys.avro.RawRecord;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.GuardRails;
import io.journeys.exports.ExportSources;
import io.journeys.job.InputParser;
import io.journeys.job.JourneyJob;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Ingests a generated audience export (CSV, then Avro) into a read-audience journey and reports profiles
 * per second beside a floor measured in the same run: the same file source and parsing feeding a bare
 * keyed function with one state update per record. Local cluster, parallelism 2, RocksDB with
 * incremental checkpoints every 10 s, processing time.
 */
public final class ExportBenchmark {

    private static final String JOURNEY = """
            {"id": "bench-audience", "version": 1,
             "entry": {"type": "audience", "audience": "bench", "rate": 1000000, "when": "audience.score >= 0"},
             "start": "send", "steps": {
               "send": {"type": "action", "channel": "email", "template": "hello",
                        "params": {"segment": "audience.segment"}, "next": "done"},
               "done": {"type": "end"}}}""";

    private final int members;
    private final int parts;
    private final List<String> formats;
    private final PrintWriter out;

    public ExportBenchmark(int members, int parts, PrintWriter out) {
        this(members, parts, List.of("csv", "avro"), out);
    }

    /** Only the given formats ("csv", "avro"), in that order: one format's run takes half the time. */
    public ExportBenchmark(int members, int parts, List<String> formats, PrintWriter out) {
        for (String format : formats) {
            if (!format.equals("csv") && !format.equals("avro")) {
                throw new IllegalArgumentException("Expected the formats csv or avro, but got " + format);
            }
        }
        this.members = members;
        this.parts = parts;
        this.formats = List.copyOf(formats);
        this.out = out;
    }

    public void run() throws Exception {
        Path root = Files.createTempDirectory("journeys-bench-exports");
        out.printf("Generating %,d members in %d part files, %s, under %s%n", members, parts,
                String.join(" and ", formats), root);
        out.flush();
        try {
            List<Path> generated = new java.util.ArrayList<>();
            for (String format : formats) {
                generated.add(generate(root.resolve(format), format));
            }
            // CPU µs/member: the process's CPU time (the local cluster runs in it) over the members, which other
            // processes on a shared machine move less than the rates; its ratio is floor CPU / journey CPU
            out.printf("%-6s %12s %16s %18s %8s %14s %16s %10s%n", "format", "members", "floor prof/s",
                    "journey prof/s", "ratio", "floor CPU µs", "journey CPU µs", "CPU ratio");
            for (Path exports : generated) {
                Run floor = profilesPerSecond(exports, false);
                Run journey = profilesPerSecond(exports, true);
                out.printf("%-6s %,12d %,16.0f %,18.0f %8.2f %14.2f %16.2f %10.2f%n", exports.getFileName(), members,
                        floor.profilesPerSecond(), journey.profilesPerSecond(),
                        journey.profilesPerSecond() / floor.profilesPerSecond(), floor.cpuMicrosPerMember(),
                        journey.cpuMicrosPerMember(), floor.cpuMicrosPerMember() / journey.cpuMicrosPerMember());
                out.flush();
            }
        } finally {
            deleteRecursively(root);
        }
    }

    /** The generated exports and checkpoints take gigabytes at 10 million members: none is left behind. */
    static void deleteRecursively(Path root) throws IOException {
        // a job that has just ended may still be disposing of its last checkpoint's files: walk again when one
        // vanished or appeared under the walk
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
                return;
            } catch (java.nio.file.NoSuchFileException | java.nio.file.DirectoryNotEmptyException
                    | java.io.UncheckedIOException changed) {
                if (attempt == 3) {
                    throw changed;
                }
            }
        }
    }

    /** One job's rate, and the process's CPU time per member while it ran. */
    record Run(double profilesPerSecond, double cpuMicrosPerMember) {}

    private Run profilesPerSecond(Path exports, boolean throughJourney) throws Exception {
        Configuration conf = BenchmarkConfiguration.local(exports.getParent().resolve("checkpoints"));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        DataStream<RawRecord> raw = ExportSources.once(env, exports.toUri().toString());
        if (throughJourney) {
            JourneyJob.Outputs outputs = JourneyJob.build(raw, env.fromData(List.of(JOURNEY), Types.STRING),
                    EngineSettings.processingTime(List.of()), new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()));
            outputs.actions().sinkTo(new DiscardingSink<>());
            outputs.stepEvents().sinkTo(new DiscardingSink<>());
            outputs.deadLetters().sinkTo(new DiscardingSink<>());
        } else {
            floor(raw).sinkTo(new DiscardingSink<>());
        }
        long start = System.nanoTime(); // benchmark timing, not engine logic
        long cpuBefore = RulesBenchmark.processCpuNanos();
        env.execute(throughJourney ? "bench-journey" : "bench-floor");
        double seconds = Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0;
        return new Run(members / seconds, (RulesBenchmark.processCpuNanos() - cpuBefore) / 1e3 / members);
    }

    /** The floor of a benchmark: the same inputs parsed, keyed by profile, one state update per record. */
    static DataStream<Long> floor(DataStream<RawRecord> raw) {
        return floor(raw, new OneStateUpdate());
    }

    /** The same, with a keyed function of the caller's that does the state update (and may emit). */
    static DataStream<Long> floor(DataStream<RawRecord> raw, KeyedProcessFunction<String, EngineInput, Long> perInput) {
        InputParser parser = new InputParser(GuardRails.DEFAULTS.maxPayloadBytes());
        return raw.map(record -> parser.parse(record).input())
                .returns(AvroRecords.typeInfo(EngineInput.class))
                .keyBy(EngineInput::getProfileId)
                .process(perInput).returns(Types.LONG);
    }

    /** One value-state read and write per record; a floor that must emit something says what in {@link #emit}. */
    static class OneStateUpdate extends KeyedProcessFunction<String, EngineInput, Long> {
        private transient ValueState<Long> seen;

        @Override
        public void open(OpenContext openContext) {
            seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.LONG));
        }

        @Override
        public void processElement(EngineInput input, Context ctx, Collector<Long> out) throws Exception {
            Long count = seen.value();
            seen.update(count == null ? 1L : count + 1);
            emit(input, out);
        }

        /** Nothing, unless a benchmark's floor forwards something of each input. */
        void emit(EngineInput input, Collector<Long> out) {}
    }

    private Path generate(Path root, String format) throws IOException {
        Path export = Files.createDirectories(root.resolve("bench").resolve("e1"));
        int perPart = (members + parts - 1) / parts;
        Schema schema = SchemaBuilder.record("Member").fields()
                .requiredString("profileId").requiredInt("score").requiredString("segment").endRecord();
        for (int part = 0; part < parts; part++) {
            int from = part * perPart;
            int to = Math.min(members, from + perPart);
            if (format.equals("csv")) {
                try (BufferedWriter writer = Files.newBufferedWriter(export.resolve("part-" + part + ".csv"),
                        StandardCharsets.UTF_8)) {
                    writer.write("profileId,score,segment\n");
                    for (int i = from; i < to; i++) {
                        writer.write("m-" + i + "," + (i % 100) + ",s" + (i % 7) + "\n");
                    }
                }
            } else {
                try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<>(schema))) {
                    writer.create(schema, export.resolve("part-" + part + ".avro").toFile());
                    GenericRecord record = new GenericData.Record(schema);
                    for (int i = from; i < to; i++) {
                        record.put("profileId", "m-" + i);
                        record.put("score", i % 100);
                        record.put("segment", "s" + (i % 7));
                        writer.append(record);
                    }
                }
            }
        }
        Files.writeString(export.resolve("_SUCCESS"), "{\"audienceId\": \"bench\", \"exportId\": \"e1\", "
                + "\"exportedAt\": \"2026-06-01T00:00:00Z\", \"records\": " + members + "}");
        return root;
    }
}
