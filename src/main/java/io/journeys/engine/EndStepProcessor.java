package io.journeys.engine;

import io.journeys.dsl.Step;

/** Completes the instance. */
final class EndStepProcessor implements StepProcessor<Step.End> {

    @Override
    public StepOutcome run(Step.End step, StepContext context) {
        return new StepOutcome.Complete();
    }
}
