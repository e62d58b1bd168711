package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.dsl.Step;
import java.util.Optional;

/**
 * Moves one instance through its steps: runs every step that does not wait in the same instant, until the
 * instance parks or ends, and emits a step event for every transition.
 */
final class InstanceRunner {

    /** Validation forbids cycles that never wait; this bound guards the invariant anyway. */
    static final int MAX_STEPS_PER_INSTANT = 1_000;

    private final StepProcessors processors = new StepProcessors();

    /** Whether the instance is still live after running: parked, or ended. */
    enum Result { PARKED, ENDED }

    /** The instance has just entered its journey at its start step. */
    Result enter(StepContext context) {
        emit(context, StepStatus.ENTERED, null, null, null);
        return runFromCurrentStep(context);
    }

    /** The instance's wake-up is due. */
    Result wakeUp(StepContext context) {
        InstanceState instance = context.instance();
        Step step = context.journey().journey().step(instance.getStepId());
        instance.setWakeAt(0L);
        StepOutcome outcome = processors.wakeUp(step, context);
        if (outcome instanceof StepOutcome.Park) {
            // parked again at the same step (a hold renewed, a window not open yet): a new visit, so that its step
            // event has an id of its own
            instance.setVisits(instance.getVisits() + 1);
        }
        // an action held by quiet hours is sent now: the step executes, it does not resume a wait
        String movedStatus = step instanceof Step.Action ? StepStatus.EXECUTED : StepStatus.RESUMED;
        return apply(context, step, outcome, movedStatus)
                ? runFromCurrentStep(context)
                : (instance.getWakeAt() > 0 ? Result.PARKED : Result.ENDED);
    }

    /**
     * An event arrived while the instance is parked: whether it reacted (and how it stands now), or empty
     * when the event means nothing to its current step.
     */
    Optional<Result> react(StepContext context, ArrivingEvent event) {
        InstanceState instance = context.instance();
        Step step = context.journey().journey().step(instance.getStepId());
        Optional<StepOutcome> outcome = processors.onEvent(step, context, event);
        if (outcome.isEmpty()) {
            return Optional.empty();
        }
        instance.setWakeAt(0L);
        boolean moved = apply(context, step, outcome.get(), StepStatus.RESUMED);
        if (moved) {
            return Optional.of(runFromCurrentStep(context));
        }
        return Optional.of(instance.getWakeAt() > 0 ? Result.PARKED : Result.ENDED);
    }

    /** Ends the instance where it is, for a reason from outside its steps (exit criterion, journey timeout). */
    void stop(StepContext context, String status, String errorCode, String message) {
        emit(context, status, null, errorCode, message);
    }

    private Result runFromCurrentStep(StepContext context) {
        InstanceState instance = context.instance();
        for (int ran = 0; ran < MAX_STEPS_PER_INSTANT; ran++) {
            Step step = context.journey().journey().step(instance.getStepId());
            StepOutcome outcome = processors.run(step, context);
            if (!apply(context, step, outcome, StepStatus.EXECUTED)) {
                return instance.getWakeAt() > 0 ? Result.PARKED : Result.ENDED;
            }
        }
        emit(context, StepStatus.ERROR, null, ErrorCodes.TOO_MANY_STEPS,
                "Expected at most " + MAX_STEPS_PER_INSTANT + " steps in one instant, but the instance ran more");
        return Result.ENDED;
    }

    /** Applies an outcome to the instance; true when it moved on to another step that should run now. */
    private boolean apply(StepContext context, Step step, StepOutcome outcome, String movedStatus) {
        InstanceState instance = context.instance();
        if (outcome instanceof StepOutcome.Next next) {
            context.emitter().step(StepEvents.moved(context.instance(), context.profileId(), context.now(), movedStatus,
                    next));
            moveTo(context, next.stepId());
            return true;
        }
        if (outcome instanceof StepOutcome.Park park) {
            instance.setWakeAt(park.wakeAt());
            context.emitter().step(StepEvents.withSendTime(StepEvents.of(context.instance(), context.profileId(),
                    context.now(), StepStatus.WAITING, null, park.errorCode(), park.message()), park.sendTime()));
            return false;
        }
        if (outcome instanceof StepOutcome.Skip skip) {
            context.emitter().step(StepEvents.of(context.instance(), context.profileId(), context.now(),
                    StepStatus.SKIPPED, skip.stepId(), Step.Port.NEXT, skip.errorCode(), skip.message()));
            moveTo(context, skip.stepId());
            return true;
        }
        if (outcome instanceof StepOutcome.Stop stop) {
            emit(context, stop.status(), null, stop.errorCode(), stop.message());
            return false;
        }
        if (outcome instanceof StepOutcome.Complete) {
            emit(context, StepStatus.COMPLETED, null, null, null);
            return false;
        }
        StepOutcome.Fail fail = (StepOutcome.Fail) outcome;
        if (step.onError() != null) {
            // a handled failure: the step ran, with an error code, and the instance goes on at onError
            context.emitter().step(StepEvents.of(context.instance(), context.profileId(), context.now(),
                    StepStatus.EXECUTED, step.onError(), Step.Port.ON_ERROR, fail.errorCode(), fail.message()));
            moveTo(context, step.onError());
            return true;
        }
        emit(context, StepStatus.ERROR, null, fail.errorCode(), fail.message());
        return false;
    }

    private static void moveTo(StepContext context, String stepId) {
        InstanceState instance = context.instance();
        instance.setVisits(instance.getVisits() + 1);
        instance.setStepId(stepId);
        instance.setStepEnteredAt(context.now().toEpochMilli());
    }

    private static void emit(StepContext context, String status, String next, String errorCode, String message) {
        context.emitter().step(StepEvents.of(context.instance(), context.profileId(), context.now(), status, next,
                errorCode, message));
    }
}
