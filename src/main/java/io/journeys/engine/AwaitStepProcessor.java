package io.journeys.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.Evaluation;
import io.journeys.expr.JsonValues;
import io.journeys.expr.Variables;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Parks the profile until the first event that matches one of the step's reactions (type, optional
 * {@code to} and {@code when}), which is captured for later steps; at the timeout, takes {@code onTimeout}.
 */
final class AwaitStepProcessor implements StepProcessor<Step.Await> {

    @Override
    public StepOutcome run(Step.Await step, StepContext context) {
        return new StepOutcome.Park(context.now().plus(step.timeout()).toEpochMilli());
    }

    @Override
    public StepOutcome wakeUp(Step.Await step, StepContext context) {
        return StepOutcome.Next.to(step.onTimeout(), Step.Port.ON_TIMEOUT);
    }

    @Override
    public Optional<StepOutcome> onEvent(Step.Await await, StepContext context, ArrivingEvent event) {
        List<CompiledExpression> whens = context.journey().reactionWhens(await.id());
        for (int i = 0; i < await.events().size(); i++) {
            Step.Reaction reaction = await.events().get(i);
            if (!reaction.event().equals(event.type()) || !reactsTo(reaction, context, event)) {
                continue;
            }
            if (whens.get(i) != null) {
                // "event" is the arriving one for this filter only
                Variables variables = context.variables().withEvent(event.type(), event.time(), event.payload());
                Evaluation<Boolean> holds = whens.get(i).evaluateBoolean(variables);
                if (holds.failed()) {
                    return Optional.of(StepOutcome.Fail.expression(
                            ExpressionFailures.stepField(await.id(), "events/" + i + "/when"), holds.failure()));
                }
                if (!holds.value()) {
                    continue;
                }
            }
            capture(await.id(), context, event);
            return Optional.of(StepOutcome.Next.to(reaction.next(), Step.Port.item("events", i)));
        }
        return Optional.empty();
    }

    /** A reaction with {@code to} only matches an event carrying the request id that step of this instance sent. */
    private static boolean reactsTo(Step.Reaction reaction, StepContext context, ArrivingEvent event) {
        if (reaction.to() == null) {
            return true;
        }
        String sent = context.sentRequestId(reaction.to());
        return sent != null && Objects.equals(sent, event.event().getRequestId());
    }

    private static void capture(String stepId, StepContext context, ArrivingEvent event) {
        ObjectNode captured = JsonNodeFactory.instance.objectNode();
        captured.put("eventId", event.event().getEventId());
        captured.put("type", event.type());
        captured.put("time", event.time().toString());
        captured.set("data", JsonValues.toJson(event.payload()));
        context.keepCaptured(stepId, captured.toString());
    }
}
