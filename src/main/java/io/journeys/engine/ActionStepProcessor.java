package io.journeys.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.HttpCall;
import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.Channel;
import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.Evaluation;
import io.journeys.expr.JsonValues;
import io.journeys.http.HttpCalls;
import io.journeys.dsl.RuleSet;
import io.journeys.sendtime.SendTimeChooser;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates the params and emits an action request for the step's channel, then goes on at once. A custom
 * action whose template names a published action carries that action's HTTP request, which the executor
 * sends without the journey waiting for it. Under a rule set, quiet hours may hold the action (the instance waits
 * in this step, and the action is sent when they end) or end the instance, and a frequency cap may skip it.
 */
final class ActionStepProcessor implements StepProcessor<Step.Action> {

    @Override
    public StepOutcome run(Step.Action action, StepContext context) {
        if (action.sendTime() != null) {
            SendTimeChooser.Choice choice = context.profile().sendTimes()
                    .choose(action.sendTime(), action.id(), context);
            if (choice.at().isAfter(context.now())) {
                // the instance waits in the step; at the chosen instant the rules are checked and the action sent
                return StepOutcome.Park.untilSendTime(choice);
            }
            // chosen for now (at once, or the current hour): the step event of the send says so
            return StepOutcome.withSendTime(deliver(action, context), choice);
        }
        return deliver(action, context);
    }

    private StepOutcome deliver(Step.Action action, StepContext context) {
        RuleSet rules = action.ruled() ? context.ruleSet() : null;
        if (rules != null) {
            Optional<StepOutcome> instead = DeliveryRules.check(rules, action, context);
            if (instead.isPresent()) {
                return instead.get();
            }
        }
        Params params = evaluateParams(action, context);
        if (params.failure() != null) {
            return params.failure();
        }
        HttpCall http = null;
        ActionDefinition definition = action.channel() == Channel.CUSTOM && action.template() != null
                ? context.profile().action(action.template()) : null;
        if (definition != null) {
            try {
                http = HttpCalls.render(definition, params.values(), false);
            } catch (HttpCalls.MissingParam e) {
                return new StepOutcome.Fail(ErrorCodes.MISSING_CALL_PARAM, e.getMessage());
            }
        }
        // an await may later match reactions to this very request ("to": action)
        context.sendRequest(action.id(), action.channel().jsonName(), action.template(), JsonValues.text(params.values()), http);
        if (rules != null) {
            DeliveryRules.count(rules, action, context);
        }
        return StepOutcome.Next.to(action.next(), Step.Port.NEXT);
    }

    /**
     * The chosen send time, or the end of quiet hours that held the action, has come: the rules are checked
     * again, then it is sent.
     */
    @Override
    public StepOutcome wakeUp(Step.Action action, StepContext context) {
        return deliver(action, context);
    }

    /** The params of a step as a JSON object, or the failure of the first one that does not evaluate. */
    record Params(ObjectNode values, StepOutcome.Fail failure) {}

    static Params evaluateParams(Step step, StepContext context) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, CompiledExpression> param : context.journey().actionParams(step.id()).entrySet()) {
            Evaluation<Object> value = param.getValue().evaluate(context.variables());
            if (value.failed()) {
                return new Params(null, StepOutcome.Fail.expression(
                        ExpressionFailures.stepField(step.id(), "params/" + param.getKey()), value.failure()));
            }
            params.set(param.getKey(), JsonValues.toJson(value.value()));
        }
        return new Params(params, null);
    }
}
