package io.journeys.dsl;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks how the steps of a journey connect: references resolve, every step is reachable from start,
 * there is an end, and every cycle passes through a step that waits (else one event would loop forever).
 */
final class GraphChecker {

    private final List<Problem> problems;

    GraphChecker(List<Problem> problems) {
        this.problems = problems;
    }

    void check(String start, Map<String, Step> steps) {
        if (steps.isEmpty()) {
            return;
        }
        if (start != null && !steps.containsKey(start)) {
            problems.add(new Problem(ProblemCode.UNKNOWN_STEP, "/start", "unknown step \"" + start + "\""));
        }
        for (Step step : steps.values()) {
            checkReferences(step, steps);
        }
        if (steps.values().stream().noneMatch(s -> s.type() == StepType.END)) {
            problems.add(new Problem(ProblemCode.NO_END, "/steps",
                    "Expected at least one step of type end, but there is none"));
        }
        if (start != null && steps.containsKey(start)) {
            Set<String> reachable = reachableFrom(start, steps);
            for (String stepId : steps.keySet()) {
                if (!reachable.contains(stepId)) {
                    problems.add(new Problem(ProblemCode.UNREACHABLE_STEP, JourneyParser.pointer("/steps", stepId),
                            "step \"" + stepId + "\" is not reachable from start \"" + start + "\""));
                }
            }
        }
        findCyclesWithoutWait(steps);
    }

    private void checkReferences(Step step, Map<String, Step> steps) {
        String at = JourneyParser.pointer("/steps", step.id());
        for (Step.Port port : step.ports()) {
            reference(port.target(), at + "/" + fieldOf(port), steps);
        }
        if (step instanceof Step.Await a) {
            for (int i = 0; i < a.events().size(); i++) {
                String to = a.events().get(i).to();
                String toAt = at + "/events/" + i + "/to";
                if (to != null && reference(to, toAt, steps) && steps.get(to).type() != StepType.ACTION) {
                    problems.add(new Problem(ProblemCode.NOT_AN_ACTION, toAt,
                            "Expected an action step, but \"" + to + "\" is a " + steps.get(to).type().jsonName()));
                }
            }
        }
    }

    /** The pointer, within the step, of the field that names a port's target: a list item's is its next. */
    private static String fieldOf(Step.Port port) {
        return port.name().contains("/") ? port.name() + "/" + JourneyFields.NEXT : port.name();
    }

    /** Whether {@code target} names a step; records the problem when it does not. */
    private boolean reference(String target, String at, Map<String, Step> steps) {
        if (target != null && !steps.containsKey(target)) {
            problems.add(new Problem(ProblemCode.UNKNOWN_STEP, at, "unknown step \"" + target + "\""));
            return false;
        }
        return target != null;
    }

    private static Set<String> reachableFrom(String start, Map<String, Step> steps) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(start);
        while (!todo.isEmpty()) {
            String id = todo.pop();
            Step step = steps.get(id);
            if (step == null || !seen.add(id)) {
                continue;
            }
            step.targets().forEach(todo::push);
        }
        return seen;
    }

    /** Depth-first search over the edges that run at once (a waiting step's edges break cycles). */
    private void findCyclesWithoutWait(Map<String, Step> steps) {
        Map<String, Integer> state = new HashMap<>(); // absent: new, 1: on the path, 2: done
        Set<Set<String>> reported = new HashSet<>();
        for (String id : steps.keySet()) {
            if (!state.containsKey(id)) {
                visit(id, steps, state, new ArrayList<>(), reported);
            }
        }
    }

    private void visit(String id, Map<String, Step> steps, Map<String, Integer> state, List<String> path,
            Set<Set<String>> reported) {
        state.put(id, 1);
        path.add(id);
        Step step = steps.get(id);
        if (!waits(step)) {
            for (String target : step.targets()) {
                if (target == null || !steps.containsKey(target)) {
                    continue;
                }
                Integer targetState = state.get(target);
                if (targetState == null) {
                    visit(target, steps, state, path, reported);
                } else if (targetState == 1) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(target), path.size()));
                    if (reported.add(new LinkedHashSet<>(cycle))) {
                        cycle.add(target);
                        problems.add(new Problem(ProblemCode.CYCLE_WITHOUT_WAIT, JourneyParser.pointer("/steps", target),
                                "Expected every cycle to pass through a wait, but " + String.join(" -> ", cycle)
                                        + " never waits"));
                    }
                }
            }
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
    }

    private static boolean waits(Step step) {
        return step.type().waits();
    }
}
