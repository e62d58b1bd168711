package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.avro.StepEvent;
import java.time.Instant;

/** Builds the step event of an instance where it stands; its id is the same on every replay. */
final class StepEvents {

    private StepEvents() {}

    static StepEvent of(InstanceState instance, String profileId, Instant now, String status, String next,
            String errorCode, String message) {
        return StepEvent.newBuilder()
                .setEventId(Ids.of(instance.getInstanceId(), instance.getStepId(), instance.getVisits(), status))
                .setProfileId(profileId)
                .setJourneyId(instance.getJourneyId())
                .setJourneyVersion(instance.getJourneyVersion())
                .setInstanceId(instance.getInstanceId())
                .setStepId(instance.getStepId())
                .setStatus(status)
                .setTimestamp(now.toEpochMilli())
                .setNext(next)
                .setErrorCode(errorCode)
                .setMessage(message)
                .build();
    }
}
