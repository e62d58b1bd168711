package io.journeys.expr;

/** Why an evaluation failed, and what went wrong, in words that name the expression. */
public record ExpressionFailure(ExpressionException.Reason reason, String message) {

    /** The failure as an exception, for callers that treat it as exceptional (tests, benchmarks). */
    ExpressionException toException() {
        return new ExpressionException(reason, message);
    }
}
