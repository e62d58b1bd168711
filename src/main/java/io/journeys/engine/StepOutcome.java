package io.journeys.engine;

import io.journeys.expr.ExpressionFailure;

/** What a step processor decided. A failure is a value with an error code, not an exception. */
sealed interface StepOutcome {

    /** Go on to another step in the same instant. */
    record Next(String stepId) implements StepOutcome {}

    /** Park the instance until {@code wakeAt} (epoch milliseconds). */
    record Park(long wakeAt) implements StepOutcome {}

    /** The instance reached its end. */
    record Complete() implements StepOutcome {}

    /** The step failed; the instance ends with status error. */
    record Fail(String errorCode, String message) implements StepOutcome {

        /**
         * An expression of the step failed at run time: its code (EXP-001 failed, EXP-002 wrong type, EXP-003
         * over a limit) and, in the one format every expression failure has, the JSON pointer of the field in
         * the journey and what went wrong.
         */
        static Fail expression(String pointer, ExpressionFailure failure) {
            return new Fail(ErrorCodes.of(failure), ExpressionFailures.message(pointer, failure));
        }
    }
}
