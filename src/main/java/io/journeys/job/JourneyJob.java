package io.journeys.job;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.CapRequest;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.EngineInput;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.RawRecord;
import io.journeys.avro.StepEvent;
import io.journeys.engine.AvroRecords;
import io.journeys.engine.EngineSettings;
import io.journeys.engine.JourneyProcessor;
import io.journeys.engine.OutputTags;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's topology, independent of where its inputs come from and where its outputs go: callers plug in
 * the sources (files in simulation, Kafka in production, generated data in tests) and the sinks.
 */
public final class JourneyJob {

    private JourneyJob() {}

    /** The job's output streams. */
    public record Outputs(DataStream<ActionRequest> actions, DataStream<StepEvent> stepEvents,
            DataStream<ProfileWrite> profileWrites, DataStream<DeadLetter> deadLetters,
            DataStream<CapRequest> capRequests, DataStream<ExperimentRequest> experimentRequests,
            DataStream<EngagementCount> engagements) {}

    /**
     * Builds the job on raw inputs (profile events and profile updates, in any order, in one stream) and
     * journey documents published while it runs (broadcast to every subtask).
     */
    public static Outputs build(DataStream<RawRecord> inputs, DataStream<String> definitions, EngineSettings settings,
            InputParser parser) {
        return build(inputs, definitions, parser, new JourneyProcessor(settings));
    }

    /**
     * The same topology around a given journey processor: a benchmark's subclass reads the state the engine
     * leaves after each input (the state per profile of the delivery-rules benchmark).
     */
    public static Outputs build(DataStream<RawRecord> inputs, DataStream<String> definitions, InputParser parser,
            JourneyProcessor processor) {
        BroadcastStream<String> published = definitions.broadcast(JourneyProcessor.DEFINITIONS);
        SingleOutputStreamOperator<EngineInput> parsed = inputs
                .process(new ParseInputs(parser), AvroRecords.typeInfo(EngineInput.class))
                .name("parse-inputs")
                .uid("parse-inputs");
        SingleOutputStreamOperator<ActionRequest> actions = parsed
                .keyBy(EngineInput::getProfileId)
                .connect(published)
                .process(processor, AvroRecords.typeInfo(ActionRequest.class))
                .name("journeys")
                .uid("journeys");
        DataStream<DeadLetter> deadLetters = parsed.getSideOutput(OutputTags.DEAD_LETTERS)
                .union(actions.getSideOutput(OutputTags.DEAD_LETTERS));
        return new Outputs(actions, actions.getSideOutput(OutputTags.STEP_EVENTS),
                actions.getSideOutput(OutputTags.PROFILE_WRITES), deadLetters,
                actions.getSideOutput(OutputTags.CAP_REQUESTS), actions.getSideOutput(OutputTags.EXPERIMENT_REQUESTS),
                actions.getSideOutput(OutputTags.ENGAGEMENTS));
    }
}
