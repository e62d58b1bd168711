package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.avro.StepEvent;
import java.time.Instant;

/** Builds the step event of an instance where it stands; its id is the same on every replay. */
final class StepEvents {

    private StepEvents() {}

    static StepEvent of(InstanceState instance, String profileId, Instant now, String status, String next,
            String errorCode, String message) {
        // the all-fields constructor: a builder validates and looks up defaults on every build
        return new StepEvent(Ids.within(instance.getInstanceId(), instance.getStepId(), instance.getVisits(), status),
                profileId, instance.getJourneyId(), instance.getJourneyVersion(), instance.getInstanceId(),
                instance.getStepId(), status, now.toEpochMilli(), next, errorCode, message);
    }
}
