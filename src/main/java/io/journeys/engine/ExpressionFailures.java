package io.journeys.engine;

import io.journeys.expr.ExpressionFailure;

/**
 * The one format of an expression that failed at run time: the JSON pointer of its field in the journey
 * ({@code /steps/send/params/plan}, {@code /entry/when}, {@code /exit/0/when}), then what went wrong.
 */
final class ExpressionFailures {

    private ExpressionFailures() {}

    static String message(String pointer, ExpressionFailure failure) {
        return pointer + ": " + failure.message();
    }

    /** The pointer of a field of a step. */
    static String stepField(String stepId, String field) {
        return "/steps/" + stepId + "/" + field;
    }
}
