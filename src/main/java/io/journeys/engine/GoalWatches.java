package io.journeys.engine;

import io.journeys.avro.GoalWatch;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.Journey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps watching an ended instance for its goals while their windows are open: the profile's record keeps a
 * small {@link GoalWatch} (the goals not converted yet, the arms of experiments on them, and the entry event
 * only when a goal's filter may read it), and forgets it when the last window closes.
 */
final class GoalWatches {

    private final JourneyCatalog catalog;

    GoalWatches(JourneyCatalog catalog) {
        this.catalog = catalog;
    }

    /** The instance has just ended at {@code now}: watch it for the goals that may still convert. */
    void keep(InstanceState instance, Instant now, ProfileUnit unit) {
        CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
        if (journey == null || journey.journey().goals().isEmpty()) {
            return;
        }
        List<Journey.Goal> goals = journey.journey().goals();
        List<String> pending = new ArrayList<>();
        Map<String, String> arms = new HashMap<>();
        long closesAt = 0;
        boolean readsEntry = false;
        for (int i = 0; i < goals.size(); i++) {
            Journey.Goal goal = goals.get(i);
            long goalClosesAt = instance.getEnteredAt() + goal.within().toMillis();
            if (instance.getConverted().contains(goal.id()) || goalClosesAt <= now.toEpochMilli()) {
                continue;
            }
            pending.add(goal.id());
            closesAt = Math.max(closesAt, goalClosesAt);
            readsEntry |= journey.goalReadsJourney(i);
            journey.experimentsOn(goal.id()).forEach(experiment -> {
                String arm = instance.getArms().get(experiment.id());
                if (arm != null) {
                    arms.put(experiment.id(), arm);
                }
            });
        }
        if (pending.isEmpty()) {
            return;
        }
        unit.putGoalWatch(instance.getInstanceId(), new GoalWatch(instance.getJourneyId(), instance.getJourneyVersion(),
                instance.getEnteredAt(), pending, arms, closesAt,
                readsEntry ? instance.getEntryEventType() : null,
                readsEntry ? instance.getEntryEventTime() : 0L,
                readsEntry ? instance.getEntryEventData() : null));
        unit.register(closesAt, new TimerReason.GoalWindow(instance.getInstanceId()));
    }

    /** The last window of an ended instance's goals has closed. */
    void forget(String instanceId, ProfileUnit unit) {
        unit.removeGoalWatch(instanceId);
    }

    /** Every goal of the watch has converted: nothing is left to watch for. */
    void done(String instanceId, ProfileUnit unit) {
        unit.removeGoalWatch(instanceId);
        unit.releaseEverywhere(new TimerReason.GoalWindow(instanceId));
    }

    /**
     * The watch as an instance that has ended (at no step, with none of its answers or captured events), so
     * that a goal's filter sees {@code journey.id}, {@code version}, {@code instanceId}, {@code entryTime} and,
     * when kept, {@code journey.entry}, as it would have while the instance was live.
     */
    static InstanceState asEndedInstance(String instanceId, GoalWatch watch) {
        return new InstanceState(watch.getJourneyId(), watch.getJourneyVersion(), instanceId, "", watch.getEnteredAt(),
                watch.getEnteredAt(), 0L, watch.getClosesAt(), 0, "",
                watch.getEntryEventType() == null ? "" : watch.getEntryEventType(), watch.getEntryEventTime(),
                watch.getEntryEventData() == null ? "{}" : watch.getEntryEventData(), new HashMap<>(), new HashMap<>(),
                new HashMap<>(), new HashMap<>(watch.getArms()), new ArrayList<>());
    }
}
