package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.avro.StepEvent;
import io.journeys.sendtime.SendTimeChooser;
import java.time.Instant;

/** Builds the step event of an instance where it stands; its id is the same on every replay. */
final class StepEvents {

    private StepEvents() {}

    static StepEvent of(InstanceState instance, String profileId, Instant now, String status, String next,
            String errorCode, String message) {
        return of(instance, profileId, now, status, next, null, errorCode, message);
    }

    /** The instance moved on through a port of its step (and, from an experiment, to an arm). */
    static StepEvent moved(InstanceState instance, String profileId, Instant now, String status, StepOutcome.Next next) {
        StepEvent event = of(instance, profileId, now, status, next.stepId(), next.branch(), null, null);
        event.setArm(next.arm());
        event.setWinner(next.winner());
        return withSendTime(event, next.sendTime());
    }

    /**
     * The event of the step where a send time was chosen carries the choice as fields (the report's histogram
     * of send hours reads them; the message says the same for people): unchanged without a choice.
     */
    static StepEvent withSendTime(StepEvent event, SendTimeChooser.Choice choice) {
        if (choice != null) {
            event.setSendAt(choice.at().toEpochMilli());
            event.setSendHourOfWeek(choice.hourOfWeek());
            event.setSendBasis(basisName(choice.basis()));
        }
        return event;
    }

    /** The basis as the step event's {@code sendBasis} names it: profile, population, atOnce, explore. */
    static String basisName(SendTimeChooser.Basis basis) {
        return switch (basis) {
            case PROFILE -> "profile";
            case POPULATION -> "population";
            case AT_ONCE -> "atOnce";
            case EXPLORE -> "explore";
        };
    }

    static StepEvent of(InstanceState instance, String profileId, Instant now, String status, String next,
            String branch, String errorCode, String message) {
        // the all-fields constructor: a builder validates and looks up defaults on every build
        return new StepEvent(Ids.within(instance.getInstanceId(), instance.getStepId(), instance.getVisits(), status),
                profileId, instance.getJourneyId(), instance.getJourneyVersion(), instance.getInstanceId(),
                instance.getStepId(), status, now.toEpochMilli(), next, errorCode, message, branch, null, null, null,
                null, null, null);
    }

    /** The instance converted on a goal: at its step, or at none ({@code stepId} null) once it has ended. */
    static StepEvent converted(InstanceState instance, String stepId, String goalId, String profileId, Instant now) {
        return new StepEvent(Ids.within(instance.getInstanceId(), goalId, 0, StepStatus.CONVERTED), profileId,
                instance.getJourneyId(), instance.getJourneyVersion(), instance.getInstanceId(), stepId,
                StepStatus.CONVERTED, now.toEpochMilli(), null, null, null, null, null, null, goalId, null, null, null);
    }
}
