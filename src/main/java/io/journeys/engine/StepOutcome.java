package io.journeys.engine;

import io.journeys.expr.ExpressionFailure;
import io.journeys.sendtime.SendTimeChooser;

/** What a step processor decided. A failure is a value with an error code, not an exception. */
sealed interface StepOutcome {

    /**
     * Go on to another step in the same instant, through the step's port {@code branch} (see
     * {@code Step.ports()}); an experiment also names the {@code arm} it assigned and whether that arm is its
     * {@code winner}; a step with {@code sendTime} whose chosen instant is now names that {@code sendTime}
     * choice (else null), for the step event.
     */
    record Next(String stepId, String branch, String arm, Boolean winner, SendTimeChooser.Choice sendTime)
            implements StepOutcome {

        Next(String stepId, String branch, String arm, Boolean winner) {
            this(stepId, branch, arm, winner, null);
        }

        static Next to(String stepId, String branch) {
            return new Next(stepId, branch, null, null, null);
        }
    }

    /**
     * Park the instance until {@code wakeAt} (epoch milliseconds); a rule that holds an action says which, in
     * the waiting step event's {@code errorCode} and {@code message} (else both null); a step with
     * {@code sendTime} names the choice it parks for (else null), which the step event carries.
     */
    record Park(long wakeAt, String errorCode, String message, SendTimeChooser.Choice sendTime)
            implements StepOutcome {

        Park(long wakeAt) {
            this(wakeAt, null, null, null);
        }

        Park(long wakeAt, String errorCode, String message) {
            this(wakeAt, errorCode, message, null);
        }

        /** Wait in the step until the instant a send time was chosen for, which the step event names. */
        static Park untilSendTime(SendTimeChooser.Choice choice) {
            return new Park(choice.at().toEpochMilli(), null, SendTimes.describe(choice), choice);
        }
    }

    /**
     * The outcome of a step whose send time was chosen, carrying the choice on its step event: on the wait
     * (the instant is later) or on the move (it is now; a hold by quiet hours carries it too, as the one event
     * of that choice). Other outcomes (a skip, a failure) send nothing and are left as they are.
     */
    static StepOutcome withSendTime(StepOutcome outcome, SendTimeChooser.Choice choice) {
        if (outcome instanceof Next next && next.sendTime() == null) {
            return new Next(next.stepId(), next.branch(), next.arm(), next.winner(), choice);
        }
        if (outcome instanceof Park park && park.sendTime() == null) {
            return new Park(park.wakeAt(), park.errorCode(), park.message(), choice);
        }
        return outcome;
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
