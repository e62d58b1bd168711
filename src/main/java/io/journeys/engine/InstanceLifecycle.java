package io.journeys.engine;

import io.journeys.avro.InstanceState;
import java.time.Instant;
import java.util.Optional;

/**
 * The life of a journey instance: it starts, reacts to events while parked, wakes when something of it is
 * due, and ends. Every change settles in one place ({@link #settle}): a parked instance is put back with
 * its timers registered, an ended one is removed with every timer reason it had, wherever it was.
 */
final class InstanceLifecycle {

    private final JourneyCatalog catalog;
    private final InstanceRunner runner = new InstanceRunner();
    private final GoalWatches goalWatches;

    InstanceLifecycle(JourneyCatalog catalog, GoalWatches goalWatches) {
        this.catalog = catalog;
        this.goalWatches = goalWatches;
    }

    /** A new instance at its journey's start step: it runs until it parks or ends. */
    void start(CompiledJourney journey, InstanceState instance, Instant now, ProfileUnit unit) {
        StepContext context = new StepContext(journey, instance, now, unit, unit.emitter());
        settle(instance, runner.enter(context), now, unit);
    }

    /** An event reached the live instances: each whose parked step it means something to moves on. */
    void react(ArrivingEvent event, Instant now, ProfileUnit unit) {
        for (InstanceState instance : unit.liveInstancesReactingTo(event.type())) {
            CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
            if (journey == null || instance.getWakeAt() == 0) {
                continue;
            }
            long parkedUntil = instance.getWakeAt();
            StepContext context = new StepContext(journey, instance, now, unit, unit.emitter());
            Optional<InstanceRunner.Result> reacted = runner.react(context, event);
            if (reacted.isPresent()) {
                unit.release(parkedUntil, reasonOf(instance));
                settle(instance, reacted.get(), now, unit);
            }
        }
    }

    /** Something of the instance of a journey is due now: a stop, its journey timeout, or its wake-up. */
    void wake(String journeyId, Instant now, ProfileUnit unit) {
        InstanceState instance = unit.instance(journeyId);
        if (instance == null) {
            return; // ended already
        }
        long at = now.toEpochMilli();
        CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
        if (journey == null) {
            end(instance, null, now, StepStatus.ERROR, ErrorCodes.VERSION_GONE, "Expected journey "
                    + instance.getJourneyId() + " v" + instance.getJourneyVersion() + " to be loaded, but it is not",
                    unit);
        } else if (catalog.isStoppedAt(instance.getJourneyId(), now)) {
            end(instance, journey, now, StepStatus.EXITED, null, "journey stopped", unit);
        } else if (instance.getDeadline() <= at) {
            end(instance, journey, now, StepStatus.TIMED_OUT, null, null, unit);
        } else if (instance.getWakeAt() > 0 && instance.getWakeAt() <= at) {
            StepContext context = new StepContext(journey, instance, now, unit, unit.emitter());
            settle(instance, runner.wakeUp(context), now, unit);
        }
    }

    /**
     * Ends the instance where it is, for a reason from outside its steps (an exit criterion, its timeout, a
     * stop, a version no longer loaded: {@code journey} is then null).
     */
    void end(InstanceState instance, CompiledJourney journey, Instant now, String status, String errorCode,
            String message, ProfileUnit unit) {
        if (journey != null) {
            runner.stop(new StepContext(journey, instance, now, unit, unit.emitter()), status, errorCode, message);
        } else {
            unit.emitter().step(StepEvents.of(instance, unit.profileId(), now, status, null, errorCode, message));
        }
        settle(instance, InstanceRunner.Result.ENDED, now, unit);
    }

    /**
     * The one place an instance's change is kept: parked, it is put back and woken at its wake-up, its
     * deadline and the next stop of its journey; ended, it is removed with every reason it had (its entry
     * history stays, for re-entry, until it expires).
     */
    private void settle(InstanceState instance, InstanceRunner.Result result, Instant now, ProfileUnit unit) {
        TimerReason reason = reasonOf(instance);
        if (result == InstanceRunner.Result.ENDED) {
            unit.removeInstance(instance.getJourneyId());
            unit.releaseEverywhere(reason);
            goalWatches.keep(instance, now, unit);
            return;
        }
        unit.putInstance(instance);
        unit.register(instance.getWakeAt(), reason);
        unit.register(instance.getDeadline(), reason);
        Instant stop = catalog.nextStopAfter(instance.getJourneyId(), now);
        if (stop != null) {
            unit.register(stop.toEpochMilli(), reason);
        }
    }

    private static TimerReason reasonOf(InstanceState instance) {
        return new TimerReason.Instance(instance.getJourneyId());
    }
}
