package io.journeys.engine;

import io.journeys.avro.CapRequest;
import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngagementCount;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import org.apache.flink.util.OutputTag;

/** Side outputs of the job's operators. */
public final class OutputTags {

    private OutputTags() {}

    public static final OutputTag<StepEvent> STEP_EVENTS =
            new OutputTag<>("step-events", AvroRecords.typeInfo(StepEvent.class));

    public static final OutputTag<ProfileWrite> PROFILE_WRITES =
            new OutputTag<>("profile-writes", AvroRecords.typeInfo(ProfileWrite.class));

    public static final OutputTag<CapRequest> CAP_REQUESTS =
            new OutputTag<>("cap-requests", AvroRecords.typeInfo(CapRequest.class));
    public static final OutputTag<ExperimentRequest> EXPERIMENT_REQUESTS =
            new OutputTag<>("experiment-requests", AvroRecords.typeInfo(ExperimentRequest.class));

    /** Engagements of profiles, for the Kafka job's population model of send times (none in simulation). */
    public static final OutputTag<EngagementCount> ENGAGEMENTS =
            new OutputTag<>("engagements", AvroRecords.typeInfo(EngagementCount.class));

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", AvroRecords.typeInfo(DeadLetter.class));
}
