package io.journeys.engine;

import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.Evaluation;
import java.util.List;

/** Takes the first choice whose expression holds, else the default. */
final class ConditionStepProcessor implements StepProcessor<Step.Condition> {

    @Override
    public StepOutcome run(Step.Condition condition, StepContext context) {
        List<CompiledExpression> whens = context.journey().choiceWhens(condition.id());
        for (int i = 0; i < whens.size(); i++) {
            Evaluation<Boolean> holds = whens.get(i).evaluateBoolean(context.variables());
            if (holds.failed()) {
                return StepOutcome.Fail.expression(ExpressionFailures.stepField(condition.id(), "choices/" + i + "/when"),
                        holds.failure());
            }
            if (holds.value()) {
                return StepOutcome.Next.to(condition.choices().get(i).next(), Step.Port.item("choices", i));
            }
        }
        return StepOutcome.Next.to(condition.defaultNext(), Step.Port.DEFAULT);
    }
}
