package io.journeys.bench;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.PopulationSnapshot;
import io.journeys.avro.RawRecord;
import io.journeys.avro.StepEvent;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.ExperimentRequests;
import io.journeys.engine.GuardRails;
import io.journeys.job.ExperimentCounter;
import io.journeys.job.InputParser;
import io.journeys.job.JobConfig;
import io.journeys.job.JourneyJob;
import io.journeys.job.PopulationCounter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * The journeys job of the throughput and latency parts, in either variant: the plain 20 journeys, or the same with
 * goals, an experiment, delivery rules and send times ({@link FeaturedJourneys}). Wired as the Kafka job wires the
 * journeys operator's side outputs: the experiment requests go to the job's keyed counter, whose winners come back
 * on the definitions' broadcast ({@link ExperimentLoop}); the engagements go to the send-time population counter. Every output ends in
 * a discarding sink, the step events and dead letters through {@link FeatureTally}'s counters (both variants).
 */
final class BenchJourneys {

    /** Which journeys a run uses. */
    enum Variant {
        PLAIN, FEATURED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What {@code --journeys} asks for: one variant, or both (plain, then featured) against the same floor. */
    enum Choice {
        PLAIN(List.of(Variant.PLAIN)), FEATURED(List.of(Variant.FEATURED)),
        BOTH(List.of(Variant.PLAIN, Variant.FEATURED));

        final List<Variant> variants;

        Choice(List<Variant> variants) {
            this.variants = variants;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How often the population counter publishes, as the Kafka job's default (sendTime.publishEvery). */
    private static final Duration PUBLISH_EVERY = Duration.parse(JobConfig.Key.SEND_TIME_PUBLISH_EVERY.defaultValue());

    private BenchJourneys() {}

    /** The variant's documents, in publishing order; stamped: every action carries its entry event's sentAt. */
    static List<String> documents(Variant variant, boolean stamped, Instant now) {
        return variant == Variant.PLAIN ? EventBenchmark.journeys(stamped) : FeaturedJourneys.documents(stamped, now);
    }

    /**
     * Builds the journeys job on {@code generated} (a source's chain, where the experiment winners join) and returns
     * its action requests (counted), for the caller to sink. {@code loop}: an {@link ExperimentLoop#open open}
     * loop's name.
     */
    static DataStream<ActionRequest> build(StreamExecutionEnvironment env, DataStream<RawRecord> generated,
            Variant variant, boolean stamped, String loop) {
        DataStream<RawRecord> inputs = generated;
        DataStream<String> definitions = env.fromData(documents(variant, stamped, Instant.now()), Types.STRING);
        if (variant == Variant.FEATURED) {
            SingleOutputStreamOperator<RawRecord> withWinners = generated.process(new ExperimentLoop.In(loop))
                    .returns(AvroRecords.typeInfo(RawRecord.class)).name("inputs-and-experiment-winners");
            inputs = withWinners;
            definitions = definitions.union(withWinners.getSideOutput(ExperimentLoop.DOCUMENTS));
        }
        JourneyJob.Outputs outputs = JourneyJob.build(inputs, definitions,
                EngineSettings.processingTime(List.of()), new InputParser(GuardRails.DEFAULTS.maxPayloadBytes()));
        outputs.stepEvents().filter(new FeatureTally.Steps()).returns(AvroRecords.typeInfo(StepEvent.class))
                .sinkTo(new DiscardingSink<>());
        outputs.deadLetters().filter(new FeatureTally.DeadLetters()).sinkTo(new DiscardingSink<>());
        outputs.profileWrites().sinkTo(new DiscardingSink<>());
        outputs.capRequests().sinkTo(new DiscardingSink<>());
        // the experiment counters of the Kafka job, their winners back to the journeys' broadcast
        SingleOutputStreamOperator<ProfileEvent> counters = outputs.experimentRequests()
                .keyBy(ExperimentRequests::keyOf)
                .process(new ExperimentCounter(), AvroRecords.typeInfo(ProfileEvent.class))
                .name("experiment-counters");
        counters.sinkTo(new DiscardingSink<>());
        counters.getSideOutput(ExperimentCounter.WINNERS).filter(new ExperimentLoop.Out(loop))
                .sinkTo(new DiscardingSink<>());
        // the send-time population of the Kafka job; its snapshots would come back on the definitions' broadcast,
        // where the benchmark has published the population already (FeaturedJourneys.populations)
        outputs.engagements()
                .keyBy(EngagementCount::getKind)
                .process(new PopulationCounter(PUBLISH_EVERY), AvroRecords.typeInfo(PopulationSnapshot.class))
                .name("send-time-population")
                .sinkTo(new DiscardingSink<>());
        return outputs.actions().filter(new FeatureTally.Actions()).returns(AvroRecords.typeInfo(ActionRequest.class))
                .name("counted-actions");
    }
}
