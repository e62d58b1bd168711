package io.journeys.dsl;

import static io.journeys.dsl.JourneyFields.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.expr.ExpressionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what a journey measures: its goals, and its experiment steps with their arms and winner rule.
 * Problems go to the journey parser's list, each with its code and JSON pointer.
 */
final class ExperimentReader {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Beyond this, a winner rule would never decide in a journey's life; it also keeps counts in a long. */
    static final long MAX_PER_ARM = 1_000_000_000L;

    /** The winner rule compares at most this many arms (see BetaPosteriors). */
    static final int MAX_ARMS = 10;

    private final DocumentReader reader;

    ExperimentReader(DocumentReader reader) {
        this.reader = reader;
    }

    List<Journey.Goal> readGoals(JsonNode node) {
        String at = DocumentReader.pointer("", GOALS);
        List<Journey.Goal> goals = new ArrayList<>();
        if (node == null) {
            return goals;
        }
        if (!node.isArray()) {
            reader.wrongType(at, "an array", node);
            return goals;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String goalAt = at + "/" + i;
            JsonNode item = node.get(i);
            if (!reader.isObject(item, goalAt)) {
                continue;
            }
            reader.unknownFields(item, goalAt, GOAL_FIELDS);
            String id = id(item, goalAt, ids, "goal");
            String event = reader.requiredString(item, goalAt, EVENT).orElse(null);
            String when = reader.optionalExpression(item, goalAt, WHEN, ExpressionType.BOOL);
            Duration within = reader.requiredString(item, goalAt, WITHIN)
                    .flatMap(text -> reader.duration(text, DocumentReader.pointer(goalAt, WITHIN),
                            JourneyParser.LONGEST_TIMEOUT))
                    .orElse(null);
            boolean exit = reader.optionalBoolean(item, goalAt, EXIT_FLAG, false);
            goals.add(new Journey.Goal(id, event, when, within, exit));
        }
        return goals;
    }

    Step readExperiment(String stepId, JsonNode node, String at) {
        String goal = reader.requiredString(node, at, GOAL).orElse(null);
        String armsAt = DocumentReader.pointer(at, ARMS);
        List<JsonNode> items = reader.requiredArray(node, at, ARMS);
        List<Step.Arm> arms = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        double total = 0;
        for (int i = 0; i < items.size(); i++) {
            String armAt = armsAt + "/" + i;
            JsonNode item = items.get(i);
            if (!reader.isObject(item, armAt)) {
                continue;
            }
            reader.unknownFields(item, armAt, ARM_FIELDS);
            String id = id(item, armAt, ids, "arm");
            double percent = reader.percent(item, armAt);
            total += percent;
            String next = reader.requiredString(item, armAt, NEXT).orElse(null);
            arms.add(new Step.Arm(id, percent, next, reader.optionalBoolean(item, armAt, CONTROL, false)));
        }
        reader.percentsSumTo100(items, total, armsAt);
        checkArms(arms, items.size(), armsAt);
        return new Step.Experiment(stepId, goal, arms, readWinner(node.get(WINNER), DocumentReader.pointer(at, WINNER)));
    }

    /** Every experiment names a goal of the journey. */
    void checkGoalsOf(Map<String, Step> steps, List<Journey.Goal> goals) {
        Set<String> declared = new HashSet<>();
        goals.forEach(g -> declared.add(g.id()));
        for (Step step : steps.values()) {
            if (step instanceof Step.Experiment experiment && experiment.goal() != null
                    && !declared.contains(experiment.goal())) {
                reader.problem(ProblemCode.UNKNOWN_GOAL,
                        DocumentReader.pointer(DocumentReader.pointer("/steps", step.id()), GOAL),
                        "Expected one of the journey's goals " + declared + ", but found \"" + experiment.goal() + "\"");
            }
        }
    }

    private void checkArms(List<Step.Arm> arms, int written, String armsAt) {
        long controls = arms.stream().filter(Step.Arm::control).count();
        if (controls > 1) {
            reader.problem(ProblemCode.BAD_EXPERIMENT, armsAt,
                    "Expected at most one control arm, but found " + controls);
        }
        if (written > MAX_ARMS) {
            reader.problem(ProblemCode.BAD_EXPERIMENT, armsAt, "Expected at most " + MAX_ARMS + " arms, but found " + written);
        }
        // with two arms or more and at most one control, some arm is not the control
        if (written == 1) {
            reader.problem(ProblemCode.BAD_EXPERIMENT, armsAt, "Expected at least two arms, but found one");
        }
    }

    private Step.Winner readWinner(JsonNode node, String at) {
        if (node == null || !reader.isObject(node, at)) {
            return null;
        }
        reader.unknownFields(node, at, WINNER_FIELDS);
        Duration after = reader.requiredString(node, at, AFTER)
                // PT0S: decide as soon as every arm has its minimum
                .flatMap(text -> reader.durationOrZero(text, DocumentReader.pointer(at, AFTER),
                        JourneyParser.LONGEST_TIMEOUT))
                .orElse(null);
        double confidence = 0.95;
        JsonNode confidenceNode = node.get(CONFIDENCE);
        String confidenceAt = DocumentReader.pointer(at, CONFIDENCE);
        if (confidenceNode == null) {
            reader.problem(ProblemCode.MISSING_FIELD, confidenceAt, "Expected confidence, but there is none");
        } else if (!confidenceNode.isNumber()) {
            reader.wrongType(confidenceAt, "a number", confidenceNode);
        } else if (confidenceNode.doubleValue() < 0.5 || confidenceNode.doubleValue() >= 1) {
            reader.problem(ProblemCode.BAD_EXPERIMENT, confidenceAt,
                    "Expected a confidence in [0.5, 1), such as 0.95, but found " + confidenceNode);
        } else {
            confidence = confidenceNode.doubleValue();
        }
        long minPerArm = 1;
        JsonNode minNode = node.get(MIN_PER_ARM);
        String minAt = DocumentReader.pointer(at, MIN_PER_ARM);
        if (minNode == null) {
            reader.problem(ProblemCode.MISSING_FIELD, minAt, "Expected minPerArm, but there is none");
        } else if (!minNode.isIntegralNumber() || !minNode.canConvertToLong() || minNode.longValue() < 1
                || minNode.longValue() > MAX_PER_ARM) {
            reader.problem(ProblemCode.BAD_LIMIT, minAt,
                    "Expected a whole number from 1 to " + MAX_PER_ARM + ", but found " + minNode);
        } else {
            minPerArm = minNode.longValue();
        }
        return new Step.Winner(after, confidence, minPerArm);
    }

    /** The item's id, checked for its form and against the ids seen so far in the same list. */
    private String id(JsonNode item, String itemAt, Set<String> seen, String what) {
        String id = reader.requiredString(item, itemAt, JourneyFields.ID).orElse(null);
        String idAt = DocumentReader.pointer(itemAt, JourneyFields.ID);
        if (id == null) {
            return null;
        }
        if (!ID.matcher(id).matches()) {
            reader.problem(ProblemCode.BAD_STEP_ID, idAt,
                    "Expected a " + what + " id matching [A-Za-z0-9][A-Za-z0-9._-]{0,63}, but found \"" + id + "\"");
        }
        if (!seen.add(id)) {
            reader.problem(ProblemCode.DUPLICATE_ID, idAt, "Expected each " + what + " id once, but \"" + id
                    + "\" is there twice");
        }
        return id;
    }
}
