package io.journeys.engine;

import io.journeys.dsl.Journey;
import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.ExpressionType;
import io.journeys.expr.Expressions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A journey version with every expression compiled once, ready to run many times. */
public final class CompiledJourney {

    private final Journey journey;
    private final CompiledExpression entryWhen;
    private final List<CompiledExpression> exitWhens = new ArrayList<>();
    private final Map<String, Map<String, CompiledExpression>> actionParams = new HashMap<>();
    private final Map<String, List<CompiledExpression>> choiceWhens = new HashMap<>();
    private final Map<String, CompiledExpression> waitUntils = new HashMap<>();

    public CompiledJourney(Journey journey) {
        this.journey = journey;
        this.entryWhen = compileOrNull(journey.entry().when(), ExpressionType.BOOL);
        journey.exits().forEach(exit -> exitWhens.add(compileOrNull(exit.when(), ExpressionType.BOOL)));
        for (Step step : journey.steps().values()) {
            if (step instanceof Step.Action action) {
                Map<String, CompiledExpression> params = new LinkedHashMap<>();
                action.params().forEach((name, source) -> params.put(name, Expressions.compile(source, ExpressionType.ANY)));
                actionParams.put(step.id(), params);
            } else if (step instanceof Step.Condition condition) {
                List<CompiledExpression> whens = new ArrayList<>();
                condition.choices().forEach(c -> whens.add(Expressions.compile(c.when(), ExpressionType.BOOL)));
                choiceWhens.put(step.id(), whens);
            } else if (step instanceof Step.Wait wait && wait.until() != null) {
                waitUntils.put(step.id(), Expressions.compile(wait.until(), ExpressionType.TIMESTAMP));
            }
        }
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
    CompiledExpression entryWhen() {
        return entryWhen;
    }

    /** The filter of exit criterion {@code index}, or null. */
    CompiledExpression exitWhen(int index) {
        return exitWhens.get(index);
    }

    Map<String, CompiledExpression> actionParams(String stepId) {
        return actionParams.get(stepId);
    }

    List<CompiledExpression> choiceWhens(String stepId) {
        return choiceWhens.get(stepId);
    }

    CompiledExpression waitUntil(String stepId) {
        return waitUntils.get(stepId);
    }
}
