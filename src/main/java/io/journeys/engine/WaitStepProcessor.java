package io.journeys.engine;

import io.journeys.dsl.Step;
import io.journeys.expr.Evaluation;
import java.time.Instant;

/**
 * Parks the instance for a fixed duration (reached at t, resumes at exactly t + d) or until the instant
 * its {@code until} expression gives; an instant already past goes on at once.
 */
final class WaitStepProcessor implements StepProcessor<Step.Wait> {

    @Override
    public StepOutcome run(Step.Wait wait, StepContext context) {
        if (wait.duration() != null) {
            return new StepOutcome.Park(context.now().plus(wait.duration()).toEpochMilli());
        }
        if (wait.sendTime() != null) {
            var choice = context.profile().sendTimes().choose(wait.sendTime(), wait.id(), context);
            return choice.at().isAfter(context.now())
                    ? StepOutcome.Park.untilSendTime(choice)
                    : StepOutcome.withSendTime(StepOutcome.Next.to(wait.next(), Step.Port.NEXT), choice);
        }
        Evaluation<Instant> evaluated = context.journey().waitUntil(wait.id()).evaluateTimestamp(context.variables());
        if (evaluated.failed()) {
            return StepOutcome.Fail.expression(ExpressionFailures.stepField(wait.id(), "until"), evaluated.failure());
        }
        Instant until = evaluated.value();
        if (!until.isAfter(context.now())) {
            return StepOutcome.Next.to(wait.next(), Step.Port.NEXT);
        }
        return new StepOutcome.Park(until.toEpochMilli());
    }

    @Override
    public StepOutcome wakeUp(Step.Wait step, StepContext context) {
        return StepOutcome.Next.to(step.next(), Step.Port.NEXT);
    }
}
