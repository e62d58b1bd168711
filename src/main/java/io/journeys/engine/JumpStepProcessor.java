package io.journeys.engine;

import io.journeys.dsl.Step;

/**
 * Enters the profile into another journey's highest live version at its start (re-entry rules apply;
 * the entry event goes along), then goes on at once. Validation rejects journeys that jump in a loop.
 */
final class JumpStepProcessor implements StepProcessor<Step.Jump> {

    @Override
    public StepOutcome run(Step.Jump jump, StepContext context) {
        try {
            context.profile().enter(jump.journey(), context.instance(), context.now());
        } catch (Exception e) {
            throw new IllegalStateException("Expected to enter journey " + jump.journey() + ", but could not", e);
        }
        return StepOutcome.Next.to(jump.next(), Step.Port.NEXT);
    }
}
