package io.journeys.dsl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks what no single journey can: jumps between journeys. A loop of jumps (A jumps to B, B to A) is
 * refused; a jump to a journey that is not in the set is refused when the set is complete (a job or a
 * simulation loads every journey it runs).
 */
public final class JourneySetChecker {

    private JourneySetChecker() {}

    /** A problem of one journey version of the set. */
    public record SetProblem(String journeyId, int version, Problem problem) {
        @Override
        public String toString() {
            return journeyId + " v" + version + ": " + problem;
        }
    }

    public static List<SetProblem> check(List<Journey> journeys, boolean setIsComplete) {
        Map<String, Set<String>> jumpsById = new TreeMap<>();
        for (Journey journey : journeys) {
            Set<String> targets = jumpsById.computeIfAbsent(journey.id(), id -> new LinkedHashSet<>());
            jumps(journey).forEach(jump -> targets.add(jump.journey()));
        }
        List<SetProblem> problems = new ArrayList<>();
        for (Journey journey : journeys) {
            for (Step.Jump jump : jumps(journey)) {
                String at = JourneyParser.pointer("/steps", jump.id()) + "/journey";
                if (setIsComplete && !jumpsById.containsKey(jump.journey())) {
                    problems.add(new SetProblem(journey.id(), journey.version(), new Problem(ProblemCode.UNKNOWN_JOURNEY,
                            at, "Expected a loaded journey, but \"" + jump.journey() + "\" is not one")));
                }
                List<String> loop = pathBack(jump.journey(), journey.id(), jumpsById);
                if (loop != null) {
                    List<String> cycle = new ArrayList<>();
                    cycle.add(journey.id());
                    cycle.addAll(loop);
                    problems.add(new SetProblem(journey.id(), journey.version(), new Problem(ProblemCode.JUMP_LOOP, at,
                            "Expected jumps without a loop, but " + String.join(" -> ", cycle) + " loops")));
                }
            }
        }
        return problems;
    }

    /** A jump path from {@code from} back to {@code origin}, or null when there is none. */
    private static List<String> pathBack(String from, String origin, Map<String, Set<String>> jumpsById) {
        Map<String, String> cameFrom = new HashMap<>();
        List<String> todo = new ArrayList<>(List.of(from));
        cameFrom.put(from, null);
        while (!todo.isEmpty()) {
            String current = todo.remove(0);
            if (current.equals(origin)) {
                List<String> path = new ArrayList<>();
                for (String at = current; at != null; at = cameFrom.get(at)) {
                    path.add(0, at);
                }
                return path;
            }
            for (String next : jumpsById.getOrDefault(current, Set.of())) {
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, current);
                    todo.add(next);
                }
            }
        }
        return null;
    }

    private static List<Step.Jump> jumps(Journey journey) {
        return journey.steps().values().stream()
                .filter(Step.Jump.class::isInstance)
                .map(Step.Jump.class::cast)
                .toList();
    }

    /** Calls of actions that are not among {@code actionIds} (the set of files being checked together). */
    public static List<SetProblem> unknownActions(List<Journey> journeys, java.util.Set<String> actionIds) {
        List<SetProblem> problems = new java.util.ArrayList<>();
        for (Journey journey : journeys) {
            for (Step step : journey.steps().values()) {
                if (step instanceof Step.Call call && !actionIds.contains(call.action())) {
                    problems.add(new SetProblem(journey.id(), journey.version(), new Problem(ProblemCode.UNKNOWN_ACTION,
                            "/steps/" + step.id() + "/action", "Expected action " + call.action()
                                    + " among the files given, but it is not there")));
                }
            }
        }
        return problems;
    }

    /** Journeys that name a rule set that is not among {@code ruleSetIds} (the rule sets loaded with them). */
    public static List<SetProblem> unknownRules(List<Journey> journeys, Set<String> ruleSetIds) {
        List<SetProblem> problems = new ArrayList<>();
        for (Journey journey : journeys) {
            if (journey.rules() != null && !ruleSetIds.contains(journey.rules())) {
                problems.add(new SetProblem(journey.id(), journey.version(), new Problem(ProblemCode.UNKNOWN_RULES,
                        "/rules", "Expected rule set " + journey.rules() + " to be loaded with the journey, but it is not")));
            }
        }
        return problems;
    }
}
