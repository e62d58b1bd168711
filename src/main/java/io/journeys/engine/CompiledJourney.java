package io.journeys.engine;

import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.ExpressionMap;
import io.journeys.expr.ExpressionType;
import io.journeys.expr.Expressions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A journey version with every expression compiled once, ready to run many times. */
public final class CompiledJourney {

    private final Journey journey;
    private final CompiledExpression entryWhen;
    private final List<CompiledExpression> exitWhens = new ArrayList<>();
    private final Map<String, Map<String, CompiledExpression>> actionParams = new HashMap<>();
    private final Map<String, List<CompiledExpression>> choiceWhens = new HashMap<>();
    private final Map<String, CompiledExpression> waitUntils = new HashMap<>();
    private final Map<String, List<CompiledExpression>> reactionWhens = new HashMap<>();
    private final Map<String, Map<String, CompiledExpression>> profileSets = new HashMap<>();
    private final List<CompiledExpression> goalWhens = new ArrayList<>();
    private final Map<String, List<Step.Experiment>> experimentsByGoal = new HashMap<>();
    private final Set<String> countedEventTypes = new HashSet<>();
    private final Map<String, Object> entryJourneyValues;
    private boolean countsEveryEventType;

    public CompiledJourney(Journey journey) {
        this.journey = journey;
        this.entryJourneyValues = ExpressionMap.of(Map.of("id", journey.id(),
                "version", (long) journey.version(), "results", ExpressionMap.empty(),
                "events", ExpressionMap.empty()));
        this.entryWhen = compileOrNull(journey.entry().when(), ExpressionType.BOOL);
        journey.exits().forEach(exit -> exitWhens.add(compileOrNull(exit.when(), ExpressionType.BOOL)));
        journey.goals().forEach(goal -> goalWhens.add(compileOrNull(goal.when(), ExpressionType.BOOL)));
        for (Step step : journey.steps().values()) {
            if (step instanceof Step.Action action) {
                actionParams.put(step.id(), compileAll(action.params()));
            } else if (step instanceof Step.Call call) {
                actionParams.put(step.id(), compileAll(call.params()));
            } else if (step instanceof Step.Condition condition) {
                List<CompiledExpression> whens = new ArrayList<>();
                condition.choices().forEach(c -> whens.add(Expressions.compile(c.when(), ExpressionType.BOOL)));
                choiceWhens.put(step.id(), whens);
            } else if (step instanceof Step.Wait wait && wait.until() != null) {
                waitUntils.put(step.id(), Expressions.compile(wait.until(), ExpressionType.TIMESTAMP));
            } else if (step instanceof Step.Await await) {
                List<CompiledExpression> whens = new ArrayList<>();
                await.events().forEach(r -> whens.add(compileOrNull(r.when(), ExpressionType.BOOL)));
                reactionWhens.put(step.id(), whens);
            } else if (step instanceof Step.Experiment experiment) {
                experimentsByGoal.computeIfAbsent(experiment.goal(), goal -> new ArrayList<>()).add(experiment);
            } else if (step instanceof Step.UpdateProfile update) {
                Map<String, CompiledExpression> sets = new LinkedHashMap<>();
                update.set().forEach((name, source) -> sets.put(name, Expressions.compile(source, ExpressionType.ANY)));
                profileSets.put(step.id(), sets);
            }
        }
        findCountedEventTypes();
    }

    private static Map<String, CompiledExpression> compileAll(Map<String, String> sources) {
        Map<String, CompiledExpression> compiled = new LinkedHashMap<>();
        sources.forEach((name, source) -> compiled.put(name, Expressions.compile(source, ExpressionType.ANY)));
        return compiled;
    }

    /**
     * The event types this journey's countEvents calls ask about, so the engine keeps a history of those
     * only. A type given by anything but a string literal makes every type counted.
     */
    private void findCountedEventTypes() {
        for (CompiledExpression expression : allExpressions()) {
            Matcher call = COUNT_EVENTS_CALL.matcher(expression.source());
            while (call.find()) {
                Matcher literal = STRING_LITERAL_ARGUMENT.matcher(expression.source().substring(call.end()));
                if (literal.lookingAt()) {
                    countedEventTypes.add(literal.group(2));
                } else {
                    countsEveryEventType = true;
                }
            }
        }
    }

    private static final Pattern COUNT_EVENTS_CALL = Pattern.compile("\\bcountEvents\\s*\\(");
    private static final Pattern STRING_LITERAL_ARGUMENT = Pattern.compile("\\s*(['\"])([^'\"\\\\]*)\\1\\s*,");

    private List<CompiledExpression> allExpressions() {
        List<CompiledExpression> all = new ArrayList<>();
        all.add(entryWhen);
        all.addAll(exitWhens);
        all.addAll(goalWhens);
        actionParams.values().forEach(m -> all.addAll(m.values()));
        choiceWhens.values().forEach(all::addAll);
        all.addAll(waitUntils.values());
        reactionWhens.values().forEach(all::addAll);
        profileSets.values().forEach(m -> all.addAll(m.values()));
        all.removeIf(Objects::isNull);
        return all;
    }

    Set<String> countedEventTypes() {
        return countedEventTypes;
    }

    boolean countsEveryEventType() {
        return countsEveryEventType;
    }

    private static CompiledExpression compileOrNull(String source, ExpressionType type) {
        return source == null ? null : Expressions.compile(source, type);
    }

    public Journey journey() {
        return journey;
    }

    public String id() {
        return journey.id();
    }

    public int version() {
        return journey.version();
    }

    /** The entry filter, or null when every event of the entry type enters. */
    /** What {@code journey} holds for an entry filter, before any instance exists: the same for every profile. */
    Map<String, Object> entryJourneyValues() {
        return entryJourneyValues;
    }

    CompiledExpression entryWhen() {
        return entryWhen;
    }

    /** The filter of goal {@code index}, or null. */
    CompiledExpression goalWhen(int index) {
        return goalWhens.get(index);
    }

    /**
     * Whether the filter of goal {@code index} may read the journey's variables (its entry event above all):
     * a watch of an ended instance keeps the entry event only then. Read from the text, so it may say yes
     * needlessly, never no wrongly.
     */
    boolean goalReadsJourney(int index) {
        CompiledExpression when = goalWhens.get(index);
        return when != null && when.source().contains(io.journeys.expr.Expressions.JOURNEY);
    }

    /** The experiment steps measured on a goal. */
    List<Step.Experiment> experimentsOn(String goalId) {
        return experimentsByGoal.getOrDefault(goalId, List.of());
    }

    /** The filter of exit criterion {@code index}, or null. */
    CompiledExpression exitWhen(int index) {
        return exitWhens.get(index);
    }

    /** The params of an action or call step, compiled. */
    Map<String, CompiledExpression> actionParams(String stepId) {
        return actionParams.get(stepId);
    }

    List<CompiledExpression> choiceWhens(String stepId) {
        return choiceWhens.get(stepId);
    }

    CompiledExpression waitUntil(String stepId) {
        return waitUntils.get(stepId);
    }

    /** Filters of an await step's reactions, in order; null where a reaction has none. */
    List<CompiledExpression> reactionWhens(String stepId) {
        return reactionWhens.get(stepId);
    }

    Map<String, CompiledExpression> profileSets(String stepId) {
        return profileSets.get(stepId);
    }
}
