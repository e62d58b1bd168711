package io.journeys.engine;

import io.journeys.dsl.Step;

/** Completes the instance. */
final class EndStepProcessor implements StepProcessor {

    @Override
    public StepOutcome run(Step step, StepContext context) {
        return new StepOutcome.Complete();
    }
}
