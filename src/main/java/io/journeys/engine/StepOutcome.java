package io.journeys.engine;

/** What a step processor decided. A failure is a value with an error code, not an exception. */
sealed interface StepOutcome {

    /** Go on to another step in the same instant. */
    record Next(String stepId) implements StepOutcome {}

    /** Park the instance until {@code wakeAt} (epoch milliseconds). */
    record Park(long wakeAt) implements StepOutcome {}

    /** The instance reached its end. */
    record Complete() implements StepOutcome {}

    /** The step failed; the instance ends with status error. */
    record Fail(String errorCode, String message) implements StepOutcome {}
}
