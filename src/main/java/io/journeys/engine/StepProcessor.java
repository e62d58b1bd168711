package io.journeys.engine;

import io.journeys.dsl.Step;
import java.util.Optional;

/** Runs one step type. Processors are stateless; all they need comes through the {@link StepContext}. */
interface StepProcessor {

    /** The instance has just reached {@code step}. */
    StepOutcome run(Step step, StepContext context);

    /** A wake-up the step asked for (by parking) is due. */
    default StepOutcome wakeUp(Step step, StepContext context) {
        throw new IllegalStateException("Expected no wake-up for a " + step.type().jsonName() + " step, but got one at "
                + step.id());
    }

    /** An event arrived while the instance is parked in {@code step}: the outcome, or empty to keep waiting. */
    default Optional<StepOutcome> onEvent(Step step, StepContext context, ArrivingEvent event) {
        return Optional.empty();
    }
}
