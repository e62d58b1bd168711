package io.journeys.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.ActionRequest;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.ExpressionException;
import io.journeys.expr.JsonValues;
import java.util.Map;

/** Evaluates the params and emits an action request for the step's channel, then goes on at once. */
final class ActionStepProcessor implements StepProcessor {

    @Override
    public StepOutcome run(Step step, StepContext context) {
        Step.Action action = (Step.Action) step;
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, CompiledExpression> param : context.journey().actionParams(step.id()).entrySet()) {
            try {
                params.set(param.getKey(), JsonValues.toJson(param.getValue().evaluate(context.variables())));
            } catch (ExpressionException e) {
                return new StepOutcome.Fail(ErrorCodes.EXPRESSION_FAILED,
                        "param " + param.getKey() + ": " + e.getMessage());
            }
        }
        InstanceState instance = context.instance();
        String requestId = context.requestId(step.id());
        // an await may later match reactions to this very request ("to": step)
        instance.getRequests().put(step.id(), requestId);
        context.emitter().action(new ActionRequest(requestId, instance.getJourneyId(), instance.getJourneyVersion(),
                instance.getInstanceId(), step.id(), context.profileId(), action.channel().jsonName(),
                action.template(), params.toString(), context.now().toEpochMilli()));
        return new StepOutcome.Next(action.next());
    }
}
