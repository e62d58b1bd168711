package io.journeys.engine;

import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.GoalWatch;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.Evaluation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Conversions: the first event after entry, within a goal's window, that matches the goal converts the
 * instance on it, once, whether the instance is still live or has ended (then through its {@link GoalWatch}).
 * A conversion emits a {@code converted} step event, counts for the arms of experiments on that goal, and,
 * for a goal with {@code exit}, ends a live instance.
 */
final class Goals {

    private final JourneyCatalog catalog;
    private final InstanceLifecycle lifecycle;
    private final GoalWatches watches;

    Goals(JourneyCatalog catalog, InstanceLifecycle lifecycle, GoalWatches watches) {
        this.catalog = catalog;
        this.lifecycle = lifecycle;
        this.watches = watches;
    }

    /** An event arrived: the live and ended instances whose goals it matches convert. */
    void convertOn(ArrivingEvent event, Instant now, ProfileUnit unit) {
        if (!catalog.hasGoalOn(event.type())) {
            return;
        }
        for (InstanceState instance : unit.liveInstancesReactingTo(event.type())) {
            convertLive(instance, event, now, unit);
        }
        if (!unit.goalWatches().isEmpty()) {
            for (Map.Entry<String, GoalWatch> watched : new ArrayList<>(unit.goalWatches().entrySet())) {
                convertEnded(watched.getKey(), watched.getValue(), event, now, unit);
            }
        }
    }

    private void convertLive(InstanceState instance, ArrivingEvent event, Instant now, ProfileUnit unit) {
        CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
        if (journey == null) {
            return;
        }
        List<Journey.Goal> goals = journey.journey().goals();
        for (int i = 0; i < goals.size(); i++) {
            Journey.Goal goal = goals.get(i);
            if (instance.getConverted().contains(goal.id()) || !inWindow(goal, instance.getEnteredAt(), event, now)
                    || !holds(journey, i, instance, event, now, unit)) {
                continue;
            }
            instance.getConverted().add(goal.id());
            unit.putInstance(instance);
            unit.emitter().step(StepEvents.converted(instance, instance.getStepId(), goal.id(), unit.profileId(), now));
            countForExperiments(journey, goal, instance.getInstanceId(), instance.getArms(), now, unit);
            if (goal.exit()) {
                lifecycle.end(instance, journey, now, StepStatus.EXITED, null, "goal " + goal.id() + " reached", unit);
                return;
            }
        }
    }

    private void convertEnded(String instanceId, GoalWatch watch, ArrivingEvent event, Instant now, ProfileUnit unit) {
        CompiledJourney journey = catalog.version(watch.getJourneyId(), watch.getJourneyVersion());
        if (journey == null) {
            return;
        }
        InstanceState ended = null; // built only for a goal the event may convert on
        List<Journey.Goal> goals = journey.journey().goals();
        boolean changed = false;
        for (int i = 0; i < goals.size(); i++) {
            Journey.Goal goal = goals.get(i);
            if (!watch.getPending().contains(goal.id()) || !inWindow(goal, watch.getEnteredAt(), event, now)) {
                continue;
            }
            if (ended == null) {
                ended = GoalWatches.asEndedInstance(instanceId, watch);
            }
            if (!holds(journey, i, ended, event, now, unit)) {
                continue;
            }
            List<String> pending = new ArrayList<>(watch.getPending()); // Avro's arrays cannot remove elements
            pending.remove(goal.id());
            watch.setPending(pending);
            changed = true;
            unit.emitter().step(StepEvents.converted(ended, null, goal.id(), unit.profileId(), now));
            countForExperiments(journey, goal, instanceId, watch.getArms(), now, unit);
        }
        if (watch.getPending().isEmpty()) {
            watches.done(instanceId, unit);
        } else if (changed) {
            unit.putGoalWatch(instanceId, watch);
        }
    }

    /** Whether the event is of the goal's type and within its window, [entry, entry + within). */
    private static boolean inWindow(Journey.Goal goal, long enteredAt, ArrivingEvent event, Instant now) {
        long at = now.toEpochMilli();
        return goal.event().equals(event.type()) && at >= enteredAt && at < enteredAt + goal.within().toMillis();
    }

    /**
     * Whether goal {@code index}'s filter holds (it sees the arriving event as {@code event}). A filter that
     * fails does not convert, and the event goes to the dead letters with the failure, so that it is not
     * silently lost.
     */
    private static boolean holds(CompiledJourney journey, int index, InstanceState instance, ArrivingEvent event,
            Instant now, ProfileUnit unit) {
        Journey.Goal goal = journey.journey().goals().get(index);
        CompiledExpression when = journey.goalWhen(index);
        if (when == null) {
            return true;
        }
        StepContext context = new StepContext(journey, instance, now, unit, unit.emitter());
        Evaluation<Boolean> result = when.evaluateBoolean(
                context.variables().withEvent(event.type(), event.time(), event.payload()));
        if (result.failed()) {
            String pointer = "/goals/" + index + "/when";
            unit.emitter().deadLetter(DeadLetters.ofEvent(ErrorCodes.of(result.failure()),
                    Ids.of("goal", instance.getInstanceId(), goal.id(), event.event().getEventId()),
                    "journey " + journey.id() + " v" + journey.version() + " "
                            + ExpressionFailures.message(pointer, result.failure()),
                    event.event()));
            return false;
        }
        return result.value();
    }

    /** Each experiment on this goal that assigned the instance an arm counts a conversion of that arm. */
    private static void countForExperiments(CompiledJourney journey, Journey.Goal goal, String instanceId,
            Map<String, String> arms, Instant now, ProfileUnit unit) {
        for (Step.Experiment experiment : journey.experimentsOn(goal.id())) {
            String arm = arms.get(experiment.id());
            if (arm == null) {
                continue; // converted before it reached the experiment
            }
            ExperimentRequest conversion = ExperimentRequests.conversion(experiment, instanceId, unit.profileId(),
                    journey.id(), journey.version(), arm, now.toEpochMilli());
            if (unit.inlineExperiments() != null) {
                unit.inlineExperiments().convert(conversion);
            } else {
                unit.emitter().experimentRequest(conversion);
            }
        }
    }
}
