package io.journeys.engine;

import io.journeys.dsl.Step;
import java.util.Optional;

/**
 * Runs one step type, given as its own record type. Processors are stateless; all they need comes through
 * the {@link StepContext}.
 */
interface StepProcessor<S extends Step> {

    /** The instance has just reached {@code step}. */
    StepOutcome run(S step, StepContext context);

    /** A wake-up the step asked for (by parking) is due. */
    default StepOutcome wakeUp(S step, StepContext context) {
        throw new IllegalStateException("Expected no wake-up for a " + step.type().jsonName() + " step, but got one at "
                + step.id());
    }

    /** An event arrived while the instance is parked in {@code step}: the outcome, or empty to keep waiting. */
    default Optional<StepOutcome> onEvent(S step, StepContext context, ArrivingEvent event) {
        return Optional.empty();
    }
}
