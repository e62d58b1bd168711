package io.journeys.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The demo's per-journey counts, from the step events it reads: instances by outcome, conversions per goal,
 * for each experiment step, profiles assigned and converted on the experiment's goal, per arm, and, for a journey
 * that follows a rule set, what the rules did: actions skipped by a frequency cap, held or ended by quiet hours,
 * entries refused by the entry or the concurrency cap.
 */
final class DemoCounts {

    private final Map<String, Journey> journeys;
    private final Map<String, Counts> byJourney = new TreeMap<>();
    /** The arms an instance was given, by instance id, then experiment step id. */
    private final Map<String, Map<String, String>> armsByInstance = new HashMap<>();

    private static final class Counts {
        int entered;
        int completed;
        int exited;
        int timedOut;
        int errors;
        final Map<String, Integer> conversionsByGoal = new LinkedHashMap<>();
        /** Experiment step id, then arm id: {profiles assigned, of them converted on the step's goal}. */
        final Map<String, Map<String, int[]>> arms = new LinkedHashMap<>();
        /** Step events of the journey's rule set, by error code (RUL-001 ...). */
        final Map<String, Integer> byRule = new TreeMap<>();
    }

    DemoCounts(List<Journey> journeys) {
        this.journeys = journeys.stream().collect(Collectors.toMap(Journey::id, Function.identity(), (a, b) -> b));
    }

    /** Counts one step event. */
    void count(JsonNode step) {
        String journeyId = step.get("journeyId").asText();
        Counts counts = byJourney.computeIfAbsent(journeyId, this::empty);
        String instanceId = step.get("instanceId").asText();
        if (step.hasNonNull("arm")) {
            String stepId = step.get("stepId").asText();
            String arm = step.get("arm").asText();
            armsByInstance.computeIfAbsent(instanceId, id -> new HashMap<>()).put(stepId, arm);
            counts.arms.computeIfAbsent(stepId, id -> new LinkedHashMap<>()).computeIfAbsent(arm, a -> new int[2])[0]++;
        }
        String code = step.path("errorCode").asText("");
        if (code.startsWith("RUL-")) {
            counts.byRule.merge(code, 1, Integer::sum);
        }
        switch (step.get("status").asText()) {
            case "entered" -> counts.entered++;
            case "completed" -> counts.completed++;
            case "exited" -> counts.exited++;
            case "timedOut" -> counts.timedOut++;
            case "error" -> counts.errors++;
            case "converted" -> converted(journeyId, counts, instanceId, step.get("goal").asText());
            default -> { }
        }
    }

    /** The arm of each experiment on that goal that the instance took ("" if none), by experiment step. */
    Map<String, String> armsOnGoal(String journeyId, String instanceId, String goal) {
        Map<String, String> arms = new LinkedHashMap<>();
        for (Step.Experiment experiment : experimentsOn(journeyId, goal)) {
            String arm = armsByInstance.getOrDefault(instanceId, Map.of()).get(experiment.id());
            if (arm != null) {
                arms.put(experiment.id(), arm);
            }
        }
        return arms;
    }

    private void converted(String journeyId, Counts counts, String instanceId, String goal) {
        counts.conversionsByGoal.merge(goal, 1, Integer::sum);
        armsOnGoal(journeyId, instanceId, goal).forEach((experiment, arm) -> counts.arms
                .computeIfAbsent(experiment, id -> new LinkedHashMap<>()).computeIfAbsent(arm, a -> new int[2])[1]++);
    }

    /**
     * Up to three lines a journey: its outcomes, its conversions and arms when it has goals, and what its rule set
     * did when it names one.
     */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        byJourney.forEach((journey, c) -> {
            lines.add(String.format("%-14s entered %d, completed %d, exited %d, timed out %d, errors %d, inside %d",
                    journey, c.entered, c.completed, c.exited, c.timedOut, c.errors,
                    c.entered - c.completed - c.exited - c.timedOut - c.errors));
            if (!c.conversionsByGoal.isEmpty() || !c.arms.isEmpty()) {
                lines.add(conversionsLine(journey, c));
            }
            Journey definition = journeys.get(journey);
            if (definition != null && definition.rules() != null) {
                lines.add(rulesLine(journey, definition.rules(), c.byRule));
            }
        });
        return lines;
    }

    private String conversionsLine(String journey, Counts c) {
        StringBuilder line = new StringBuilder(String.format("%-14s converted: ", journey));
        line.append(c.conversionsByGoal.entrySet().stream().map(g -> g.getKey() + " " + g.getValue())
                .collect(Collectors.joining(", ")));
        c.arms.forEach((experiment, arms) -> {
            Journey definition = journeys.get(journey);
            String goal = definition != null && definition.steps().get(experiment) instanceof Step.Experiment e ? e.goal() : "?";
            line.append("; ").append(experiment).append(" on ").append(goal).append(": ")
                    .append(arms.entrySet().stream()
                            .map(a -> a.getKey() + " " + a.getValue()[1] + " of " + a.getValue()[0])
                            .collect(Collectors.joining(", ")));
        });
        return line.toString();
    }

    private static String rulesLine(String journey, String ruleSet, Map<String, Integer> byRule) {
        return String.format("%-14s rules %s: skipped %d by caps, held %d, ended %d by quiet hours, excluded %d by"
                        + " entry caps and %d by concurrency", journey, ruleSet, byRule.getOrDefault("RUL-001", 0),
                byRule.getOrDefault("RUL-006", 0), byRule.getOrDefault("RUL-002", 0) + byRule.getOrDefault("RUL-003", 0),
                byRule.getOrDefault("RUL-004", 0), byRule.getOrDefault("RUL-005", 0));
    }

    /** Conversions on a goal of a journey so far. */
    int conversions(String journeyId, String goal) {
        Counts counts = byJourney.get(journeyId);
        return counts == null ? 0 : counts.conversionsByGoal.getOrDefault(goal, 0);
    }

    private Counts empty(String journeyId) {
        Counts counts = new Counts();
        Journey journey = journeys.get(journeyId);
        if (journey != null) {
            journey.goals().forEach(goal -> counts.conversionsByGoal.put(goal.id(), 0));
            journey.steps().values().stream().filter(Step.Experiment.class::isInstance).map(Step.Experiment.class::cast)
                    .forEach(e -> e.arms().forEach(arm -> counts.arms.computeIfAbsent(e.id(), id -> new LinkedHashMap<>())
                            .put(arm.id(), new int[2])));
        }
        return counts;
    }

    private List<Step.Experiment> experimentsOn(String journeyId, String goal) {
        Journey journey = journeys.get(journeyId);
        if (journey == null) {
            return List.of();
        }
        return journey.steps().values().stream().filter(Step.Experiment.class::isInstance).map(Step.Experiment.class::cast)
                .filter(e -> e.goal().equals(goal)).toList();
    }
}
