package io.journeys.engine;

import io.journeys.avro.CapRequest;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.Step;
import io.journeys.http.CallAnswers;
import java.util.Optional;

/**
 * Admits exactly the first {@code limit} profiles of a journey version that reach the step, across the
 * whole job: the profile asks the job's counter of that step (keyed by journey, version and step) and
 * waits for its answer on action-results, "admitted" to {@code next}, "overflow" to {@code overflow}. An
 * answer that does not come in time counts as overflow: a cap never admits more than its limit.
 */
final class CapStepProcessor implements StepProcessor<Step.Cap> {

    /** How long a profile waits for the counter's answer. */
    static final long ANSWER_WITHIN_MILLIS = 10 * 60_000;

    @Override
    public StepOutcome run(Step.Cap cap, StepContext context) {
        InstanceState instance = context.instance();
        InlineCaps inline = context.profile().inlineCaps();
        if (inline != null) {
            return answered(cap, context, inline.admit(instance.getJourneyId(), instance.getJourneyVersion(), cap.id(),
                    cap.limit()) ? CapAnswers.ADMITTED : CapAnswers.OVERFLOW);
        }
        String requestId = context.recordRequest(cap.id());
        context.emitter().capRequest(new CapRequest(requestId, context.profileId(), instance.getJourneyId(),
                instance.getJourneyVersion(), cap.id(), cap.limit(), context.now().toEpochMilli()));
        return new StepOutcome.Park(context.now().toEpochMilli() + ANSWER_WITHIN_MILLIS);
    }

    @Override
    public StepOutcome wakeUp(Step.Cap step, StepContext context) {
        return answered(step, context, CapAnswers.OVERFLOW);
    }

    @Override
    public Optional<StepOutcome> onEvent(Step.Cap step, StepContext context, ArrivingEvent event) {
        if (!context.isAnswerTo(step.id(), event)) {
            return Optional.empty();
        }
        return Optional.of(answered(step, context, String.valueOf(event.payload().get("status"))));
    }

    private static StepOutcome answered(Step.Cap cap, StepContext context, String status) {
        context.keepResult(cap.id(), CallAnswers.of(status, 0, null, null));
        return status.equals(CapAnswers.ADMITTED) ? StepOutcome.Next.to(cap.next(), Step.Port.NEXT)
                : StepOutcome.Next.to(cap.overflow(), Step.Port.OVERFLOW);
    }
}
