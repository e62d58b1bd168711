package io.journeys.engine;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.HttpCall;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.Step;
import io.journeys.expr.JsonValues;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Calls a published action and waits for its answer (DESIGN §2: requests out, answers back on
 * action-results by request id). The answer is kept as {@code journey.results['<step>']}; an HTTP 2xx goes
 * on to {@code next}, another answer to {@code onError}, no answer in time to {@code onTimeout}. In
 * simulation the answer comes in line, at the instant the step runs.
 */
final class CallStepProcessor implements StepProcessor {

    @Override
    public StepOutcome run(Step step, StepContext context) {
        Step.Call call = (Step.Call) step;
        ActionDefinition action = context.profile().action(call.action());
        if (action == null) {
            return new StepOutcome.Fail(ErrorCodes.UNKNOWN_ACTION,
                    "Expected action " + call.action() + " to be published, but it is not");
        }
        ActionStepProcessor.Params params = ActionStepProcessor.evaluateParams(step, context);
        if (params.failure() != null) {
            return params.failure();
        }
        HttpCall http;
        try {
            http = HttpCalls.render(action, params.values(), true);
        } catch (HttpCalls.MissingParam e) {
            return new StepOutcome.Fail(ErrorCodes.MISSING_CALL_PARAM, e.getMessage());
        }
        InstanceState instance = context.instance();
        String requestId = context.requestId(step.id());
        instance.getRequests().put(step.id(), requestId);
        context.emitter().action(new ActionRequest(requestId, instance.getJourneyId(), instance.getJourneyVersion(),
                instance.getInstanceId(), step.id(), context.profileId(), "custom", action.id(), params.values().toString(),
                context.now().toEpochMilli(), http));
        InlineCalls inline = context.profile().inlineCalls();
        if (inline != null) {
            return answered(call, context, inline.answer(http, requestId, context.profileId(), context.now()));
        }
        return new StepOutcome.Park(context.now().toEpochMilli() + HttpCalls.answerWithinMillis(action));
    }

    /** No answer came in time. */
    @Override
    public StepOutcome wakeUp(Step step, StepContext context) {
        return answered((Step.Call) step, context, CallAnswers.of(CallAnswers.TIMED_OUT, 0, null,
                "no answer within the action's timeouts and retries"));
    }

    @Override
    public Optional<StepOutcome> onEvent(Step step, StepContext context, ArrivingEvent event) {
        String sent = context.instance().getRequests().get(step.id());
        if (!event.type().equals(CallAnswers.RESULT_EVENT) || sent == null
                || !Objects.equals(sent, event.event().getRequestId())) {
            return Optional.empty();
        }
        return Optional.of(answered((Step.Call) step, context, event.event().getData()));
    }

    private static StepOutcome answered(Step.Call call, StepContext context, String answer) {
        context.instance().getResults().put(call.id(), answer);
        context.refreshVariables();
        Map<String, Object> fields = JsonValues.objectFromText(answer);
        String status = String.valueOf(fields.get("status"));
        if (CallAnswers.succeeded(status)) {
            return new StepOutcome.Next(call.next());
        }
        if (status.equals(CallAnswers.TIMED_OUT)) {
            return call.onTimeout() != null ? new StepOutcome.Next(call.onTimeout())
                    : new StepOutcome.Fail(ErrorCodes.CALL_TIMED_OUT, "call of " + call.action() + " timed out");
        }
        return new StepOutcome.Fail(ErrorCodes.CALL_FAILED, "call of " + call.action() + " answered " + status
                + (fields.get("message") instanceof String message ? ": " + message : ""));
    }
}
