package io.journeys.engine;

import io.journeys.avro.HttpCall;
import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.Step;
import io.journeys.expr.JsonValues;
import io.journeys.http.CallAnswers;
import io.journeys.http.HttpCalls;
import io.journeys.http.InlineCalls;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a published action and waits for its answer (DESIGN §2: requests out, answers back on
 * action-results by request id). The answer is kept as {@code journey.results['<step>']}; an HTTP 2xx goes
 * on to {@code next}, another answer to {@code onError}, no answer in time to {@code onTimeout}. In
 * simulation the answer comes in line, at the instant the step runs.
 */
final class CallStepProcessor implements StepProcessor<Step.Call> {

    @Override
    public StepOutcome run(Step.Call call, StepContext context) {
        ActionDefinition action = context.profile().action(call.action());
        if (action == null) {
            return new StepOutcome.Fail(ErrorCodes.UNKNOWN_ACTION,
                    "Expected action " + call.action() + " to be published, but it is not");
        }
        ActionStepProcessor.Params params = ActionStepProcessor.evaluateParams(call, context);
        if (params.failure() != null) {
            return params.failure();
        }
        HttpCall http;
        try {
            http = HttpCalls.render(action, params.values(), true);
        } catch (HttpCalls.MissingParam e) {
            return new StepOutcome.Fail(ErrorCodes.MISSING_CALL_PARAM, e.getMessage());
        }
        String requestId = context.sendRequest(call.id(), "custom", action.id(), JsonValues.text(params.values()), http);
        InlineCalls inline = context.profile().inlineCalls();
        if (inline != null) {
            String answer = inline.answer(http, requestId, context.profileId(), context.now());
            return answered(call, context, answer, JsonValues.objectFromText(answer));
        }
        return new StepOutcome.Park(context.now().toEpochMilli() + HttpCalls.answerWithinMillis(action));
    }

    /** No answer came in time. */
    @Override
    public StepOutcome wakeUp(Step.Call step, StepContext context) {
        String answer = CallAnswers.of(CallAnswers.TIMED_OUT, 0, null, "no answer within the action's timeouts and retries");
        return answered(step, context, answer, JsonValues.objectFromText(answer));
    }

    @Override
    public Optional<StepOutcome> onEvent(Step.Call step, StepContext context, ArrivingEvent event) {
        if (!context.isAnswerTo(step.id(), event)) {
            return Optional.empty();
        }
        return Optional.of(answered(step, context, event.event().getData(), event.payload()));
    }

    /** Keeps the answer (its text, and its fields already read) for journey.results, and routes on it. */
    private static StepOutcome answered(Step.Call call, StepContext context, String answer, Map<String, Object> fields) {
        context.keepResult(call.id(), answer);
        String status = String.valueOf(fields.get("status"));
        if (CallAnswers.succeeded(status)) {
            return StepOutcome.Next.to(call.next(), Step.Port.NEXT);
        }
        if (status.equals(CallAnswers.TIMED_OUT)) {
            return call.onTimeout() != null ? StepOutcome.Next.to(call.onTimeout(), Step.Port.ON_TIMEOUT)
                    : new StepOutcome.Fail(ErrorCodes.CALL_TIMED_OUT, "call of " + call.action() + " timed out");
        }
        return new StepOutcome.Fail(ErrorCodes.CALL_FAILED, "call of " + call.action() + " answered " + status
                + (fields.get("message") instanceof String message ? ": " + message : ""));
    }
}
