package io.journeys.engine;

import io.journeys.expr.ExpressionFailure;

/** What a step processor decided. A failure is a value with an error code, not an exception. */
sealed interface StepOutcome {

    /**
     * Go on to another step in the same instant, through the step's port {@code branch} (see
     * {@code Step.ports()}); an experiment also names the {@code arm} it assigned and whether that arm is its
     * {@code winner}.
     */
    record Next(String stepId, String branch, String arm, Boolean winner) implements StepOutcome {

        static Next to(String stepId, String branch) {
            return new Next(stepId, branch, null, null);
        }
    }

    /**
     * Park the instance until {@code wakeAt} (epoch milliseconds); a rule that holds an action says which, in
     * the waiting step event's {@code errorCode} and {@code message} (else both null).
     */
    record Park(long wakeAt, String errorCode, String message) implements StepOutcome {

        Park(long wakeAt) {
            this(wakeAt, null, null);
        }
    }

    /**
     * A delivery rule kept the step from acting: it is {@code skipped} with the rule's code, and the instance goes
     * on to {@code stepId} through the step's {@code next} port.
     */
    record Skip(String stepId, String errorCode, String message) implements StepOutcome {}

    /** A delivery rule ends the instance where it is, with {@code status} (exited) and the rule's code. */
    record Stop(String status, String errorCode, String message) implements StepOutcome {}

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
