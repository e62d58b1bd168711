package io.journeys.job;

import io.journeys.avro.InputSource;
import io.journeys.avro.RawRecord;
import io.journeys.dsl.DefinitionKind;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Step;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.GuardRails;
import io.journeys.exports.AudienceExports;
import io.journeys.http.InlineCalls;
import io.journeys.http.InlineHttpCalls;
import io.journeys.sendtime.EngagementTypes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple4;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Runs the real job in event time on a local Flink cluster (RocksDB state) over files of events and
 * profiles, and collects its outputs in a stable order: by timestamp, then profile, then emission order.
 *
 * <pre>{@code
 * Simulation.Result result = Simulation.builder()
 *         .journeys(List.of(journeyJson)).eventLines(lines).parallelism(2).run();
 * }</pre>
 */
public final class Simulation {

    private static final TypeInformation<Tuple4<String, Long, String, String>> LINE_TYPE =
            Types.TUPLE(Types.STRING, Types.LONG, Types.STRING, Types.STRING);

    private final List<String> journeys;
    private final List<String> eventLines;
    private final List<String> profileLines;
    private final List<String> qualificationLines;
    private final List<RawRecord> audienceMembers;
    private final Instant until;
    private final int parallelism;
    private final GuardRails guardRails;
    private final InlineCalls inlineCalls;
    private final EngagementTypes engagements;

    private Simulation(Builder builder) {
        this.journeys = List.copyOf(builder.journeys);
        this.eventLines = List.copyOf(builder.eventLines);
        this.profileLines = List.copyOf(builder.profileLines);
        this.qualificationLines = List.copyOf(builder.qualificationLines);
        this.audienceMembers = List.copyOf(builder.audienceMembers);
        this.until = builder.until;
        this.parallelism = builder.parallelism;
        this.guardRails = builder.guardRails;
        this.inlineCalls = builder.inlineCalls;
        this.engagements = builder.engagements;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The outputs, one JSON document per line, in the order they are written to files. */
    public record Result(List<String> actions, List<String> steps, List<String> profileWrites,
            List<String> deadLetters) {}

    public Result run() throws Exception {
        List<RawRecord> raw = new ArrayList<>();
        addLines(raw, InputSource.PROFILES, profileLines);
        addLines(raw, InputSource.EVENTS, eventLines);
        addLines(raw, InputSource.QUALIFICATIONS, qualificationLines);
        raw.addAll(audienceMembers);
        if (raw.isEmpty()) {
            return new Result(List.of(), List.of(), List.of(), List.of());
        }
        org.apache.flink.configuration.Configuration conf = JobEnvironment.baseConfiguration();
        conf.setString("restart-strategy.type", "none"); // a replay that fails is reported, not retried
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // caps and experiments count in line, in event-time order: exact only when one subtask sees every profile
        env.setParallelism(hasCountingStep(journeys) ? 1 : parallelism);
        // journeys reach the job the way they do in production: on the broadcast stream of definitions
        EngineSettings settings = EngineSettings.eventTime(List.of())
                .withHorizon(until == null ? Long.MAX_VALUE : until.toEpochMilli())
                .withGuardRails(guardRails)
                .withInlineCalls(inlineCalls)
                .withEngagements(engagements);
        DataStream<RawRecord> inputs = env.fromData(raw, AvroRecords.typeInfo(RawRecord.class)).rebalance();
        DataStream<String> definitions = env.fromData(DefinitionKind.publicationOrder(journeys), Types.STRING);
        JourneyJob.Outputs outputs = JourneyJob.build(inputs, definitions, settings, new InputParser(guardRails.maxPayloadBytes()));

        DataStream<Tuple4<String, Long, String, String>> lines = outputs.actions()
                .map(a -> Tuple4.of("action", a.getTimestamp(), a.getProfileId(), OutputJson.action(a)))
                .returns(LINE_TYPE)
                .union(outputs.stepEvents()
                                .map(s -> Tuple4.of("step", s.getTimestamp(), s.getProfileId(), OutputJson.step(s)))
                                .returns(LINE_TYPE),
                        outputs.profileWrites()
                                .map(w -> Tuple4.of("write", w.getTimestamp(), w.getProfileId(), OutputJson.profileWrite(w)))
                                .returns(LINE_TYPE),
                        outputs.deadLetters()
                                .map(d -> Tuple4.of("dead", d.getTimestamp() == null ? Long.MIN_VALUE : d.getTimestamp(),
                                        d.getProfileId() == null ? "" : d.getProfileId(), OutputJson.deadLetter(d)))
                                .returns(LINE_TYPE));

        Map<String, List<Tuple4<String, Long, String, String>>> byKind = new TreeMap<>();
        try (CloseableIterator<Tuple4<String, Long, String, String>> it = lines.executeAndCollect("journeys-simulation")) {
            while (it.hasNext()) {
                Tuple4<String, Long, String, String> line = it.next();
                byKind.computeIfAbsent(line.f0, kind -> new ArrayList<>()).add(line);
            }
        }
        return new Result(sorted(byKind.get("action")), sorted(byKind.get("step")), sorted(byKind.get("write")),
                sorted(byKind.get("dead")));
    }

    private static boolean hasCountingStep(List<String> documents) {
        return documents.stream()
                .map(DefinitionParser::parse)
                .filter(definition -> definition.valid() && definition.isJourney())
                .anyMatch(definition -> definition.journey().journey().steps().values().stream()
                        .anyMatch(step -> step instanceof Step.Cap || step instanceof Step.Experiment
                                || (step instanceof Step.Action action && action.sendTime() != null)
                                || (step instanceof Step.Wait wait && wait.sendTime() != null)));
    }

    private static void addLines(List<RawRecord> raw, InputSource source, List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                raw.add(new RawRecord(source, (long) i + 1, lines.get(i), io.journeys.avro.InputFormat.JSON, null, null, null));
            }
        }
    }

    /** Stable sort: equal timestamp and profile keep the order the engine emitted them in. */
    private static List<String> sorted(List<Tuple4<String, Long, String, String>> lines) {
        if (lines == null) {
            return List.of();
        }
        List<Tuple4<String, Long, String, String>> copy = new ArrayList<>(lines);
        copy.sort(Comparator.comparing((Tuple4<String, Long, String, String> l) -> l.f1).thenComparing(l -> l.f2));
        return copy.stream().map(l -> l.f3).toList();
    }

    public static final class Builder {
        private List<String> journeys = List.of();
        private List<String> eventLines = List.of();
        private List<String> profileLines = List.of();
        private List<String> qualificationLines = List.of();
        private List<RawRecord> audienceMembers = List.of();
        private Instant until;
        private int parallelism = 2;
        private GuardRails guardRails = GuardRails.DEFAULTS;
        private InlineCalls inlineCalls = new InlineHttpCalls(List.of());
        private EngagementTypes engagements = EngagementTypes.DEFAULT;

        /** The event types send times learn from (job option sendTime.engagements). */
        public Builder engagements(EngagementTypes engagements) {
            this.engagements = engagements;
            return this;
        }

        /** What answers calls (real HTTP by default, to any public host). */
        public Builder inlineCalls(InlineCalls inlineCalls) {
            this.inlineCalls = inlineCalls;
            return this;
        }

        public Builder guardRails(GuardRails guardRails) {
            this.guardRails = guardRails;
            return this;
        }

        public Builder journeys(List<String> journeys) {
            this.journeys = journeys;
            return this;
        }

        public Builder eventLines(List<String> eventLines) {
            this.eventLines = eventLines;
            return this;
        }

        public Builder profileLines(List<String> profileLines) {
            this.profileLines = profileLines;
            return this;
        }

        /** Audience qualifications, one JSON object per line: {"profileId", "audienceId", "status", "timestamp"}. */
        public Builder qualificationLines(List<String> qualificationLines) {
            this.qualificationLines = qualificationLines;
            return this;
        }

        /** Members of audience exports, as {@link AudienceExports#read} gives them (in event time at exportedAt). */
        public Builder audienceMembers(List<RawRecord> audienceMembers) {
            this.audienceMembers = audienceMembers;
            return this;
        }

        /** Simulate up to this instant only; null for "until every wait is over". */
        public Builder until(Instant until) {
            this.until = until;
            return this;
        }

        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        public Simulation build() {
            if (journeys.isEmpty()) {
                throw new IllegalArgumentException("Expected at least one journey, but found none");
            }
            if (parallelism < 1) {
                throw new IllegalArgumentException("Expected a positive parallelism, but found " + parallelism);
            }
            return new Simulation(this);
        }

        public Result run() throws Exception {
            return build().run();
        }
    }
}
