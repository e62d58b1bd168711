package io.journeys.engine;

import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.ExpressionException;
import java.util.List;

/** Takes the first choice whose expression holds, else the default. */
final class ConditionStepProcessor implements StepProcessor<Step.Condition> {

    @Override
    public StepOutcome run(Step.Condition condition, StepContext context) {
        List<CompiledExpression> whens = context.journey().choiceWhens(condition.id());
        for (int i = 0; i < whens.size(); i++) {
            try {
                if (whens.get(i).evaluateBoolean(context.variables())) {
                    return new StepOutcome.Next(condition.choices().get(i).next());
                }
            } catch (ExpressionException e) {
                return StepOutcome.Fail.expression(ExpressionFailures.stepField(condition.id(), "choices/" + i + "/when"), e);
            }
        }
        return new StepOutcome.Next(condition.defaultNext());
    }
}
