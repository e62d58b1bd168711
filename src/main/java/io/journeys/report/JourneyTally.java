package io.journeys.report;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The running counts of one journey version, fed one (new) step event at a time. Every count is a sum over
 * events or a function of each instance's own events, so events of different instances may come in any
 * interleaving and give the same tally; events of one instance must come in their order.
 */
final class JourneyTally {

    long entered;
    long completed;
    long exited;
    long timedOut;
    long errors;
    long excluded;
    /** Events carrying a delivery rule's code, by code. */
    final Map<String, Long> rules = new TreeMap<>();
    final Map<String, StepTally> steps = new HashMap<>();
    final Map<StepGraph.Port, Long> edges = new HashMap<>();
    final Map<String, InstancePlace> instances = new HashMap<>();
    /** Instances converted, by goal id. */
    final Map<String, Set<String>> conversions = new HashMap<>();
    /** Instances assigned to each arm, by experiment step id, then arm id. */
    final Map<String, Map<String, Set<String>>> arms = new HashMap<>();
    /** The experiment steps that assigned each instance an arm so far, by instance id. */
    final Map<String, Set<String>> experimentsOfInstance = new HashMap<>();
    /**
     * Instances converted after an experiment step assigned them an arm, by that step, then goal: as the
     * engine's counter counts, a conversion before the assignment does not count for the arm.
     */
    final Map<String, Map<String, Set<String>>> convertedAfterArm = new HashMap<>();
    /** The arms events named as the winner, by experiment step id (sorted, so a stray second one is stable). */
    final Map<String, TreeSet<String>> winners = new HashMap<>();
    /** Send-time choices, by step id. */
    final Map<String, SendTimeTally> sendTimes = new HashMap<>();

    /** Counts of the events at one step. */
    static final class StepTally {
        long entered;
        long executed;
        long completed;
        long exited;
        long timedOut;
        long skipped;
        long excluded;
        /** Arrivals whose action quiet hours held, once each however often the hold was renewed. */
        long held;
        /** Error codes of events that are not a delivery rule's. */
        final Map<String, Long> errors = new TreeMap<>();
        /** Delivery rules' codes of events at the step. */
        final Map<String, Long> rules = new TreeMap<>();
    }

    /** Where an instance is after its latest event that places it, and whether it has ended. */
    static final class InstancePlace {
        String stepId;
        StepStatus status;
        boolean ended;
        /** Whether quiet hours hold the instance at {@code stepId} since its latest arrival there. */
        boolean held;
    }

    void add(StepEventLine event) {
        StepStatus status = event.statusKind();
        countJourney(status);
        if (RuleCodes.isRule(event.errorCode())) {
            rules.merge(event.errorCode(), 1L, Long::sum);
        }
        if (event.stepId() != null) {
            countStep(event, status);
        }
        if (event.next() != null && event.stepId() != null) {
            edges.merge(new StepGraph.Port(event.stepId(), event.branch(), event.next()), 1L, Long::sum);
        }
        if (status.placesInstance()) {
            place(event, status);
        }
        if (status == StepStatus.CONVERTED && event.goal() != null) {
            conversions.computeIfAbsent(event.goal(), g -> new HashSet<>()).add(event.instanceId());
            for (String experiment : experimentsOfInstance.getOrDefault(event.instanceId(), Set.of())) {
                convertedAfterArm.computeIfAbsent(experiment, e -> new HashMap<>())
                        .computeIfAbsent(event.goal(), g -> new HashSet<>()).add(event.instanceId());
            }
        }
        if (event.stepId() != null && SendTimeTally.carriesChoice(event)) {
            sendTimes.computeIfAbsent(event.stepId(), s -> new SendTimeTally()).add(event);
        }
        if (event.arm() != null && event.stepId() != null) {
            arms.computeIfAbsent(event.stepId(), s -> new HashMap<>())
                    .computeIfAbsent(event.arm(), a -> new HashSet<>()).add(event.instanceId());
            experimentsOfInstance.computeIfAbsent(event.instanceId(), i -> new HashSet<>()).add(event.stepId());
            if (event.winner()) {
                winners.computeIfAbsent(event.stepId(), s -> new TreeSet<>()).add(event.arm());
            }
        }
    }

    private void countJourney(StepStatus status) {
        switch (status) {
            case ENTERED -> entered++;
            case COMPLETED -> completed++;
            case EXITED -> exited++;
            case TIMED_OUT -> timedOut++;
            case ERROR -> errors++;
            case EXCLUDED -> excluded++;
            default -> { }
        }
    }

    private void countStep(StepEventLine event, StepStatus status) {
        StepTally step = steps.computeIfAbsent(event.stepId(), s -> new StepTally());
        switch (status) {
            case ENTERED -> step.entered++;
            case EXECUTED -> step.executed++;
            case COMPLETED -> step.completed++;
            case EXITED -> step.exited++;
            case TIMED_OUT -> step.timedOut++;
            case SKIPPED -> step.skipped++;
            case EXCLUDED -> step.excluded++;
            default -> { }
        }
        if (RuleCodes.isRule(event.errorCode())) {
            step.rules.merge(event.errorCode(), 1L, Long::sum);
        } else if (event.errorCode() != null) {
            step.errors.merge(event.errorCode(), 1L, Long::sum);
        }
        if (status == StepStatus.WAITING && RuleCodes.HELD.equals(event.errorCode()) && !heldHere(event)) {
            step.held++;
        }
    }

    /** Whether this hold renews one of the same stay (a later quiet period right after the first). */
    private boolean heldHere(StepEventLine event) {
        InstancePlace place = instances.get(event.instanceId());
        return place != null && place.held && event.stepId().equals(place.stepId);
    }

    private void place(StepEventLine event, StepStatus status) {
        InstancePlace place = instances.computeIfAbsent(event.instanceId(), i -> new InstancePlace());
        // every placing event but a hold ends a hold: the action was sent or skipped, or the instance moved on
        place.held = status == StepStatus.WAITING && RuleCodes.HELD.equals(event.errorCode());
        place.stepId = event.stepId();
        place.status = status;
        // an ended instance stays ended: nothing after its end may park it again
        place.ended |= status.endsInstance();
    }

    /** Instances parked at each step now: their latest placing event is {@code waiting} there, and not ended. */
    Map<String, Long> waitingByStep() {
        Map<String, Long> waiting = new HashMap<>();
        for (InstancePlace place : instances.values()) {
            if (!place.ended && place.status == StepStatus.WAITING && place.stepId != null) {
                waiting.merge(place.stepId, 1L, Long::sum);
            }
        }
        return waiting;
    }
}
