package io.journeys.expr;

/** An expression failed at run time (missing field, wrong type, overflow...). A domain failure, not a bug. */
public final class ExpressionException extends Exception {

    public ExpressionException(String message, Throwable cause) {
        super(message, cause);
    }

    public ExpressionException(String message) {
        super(message);
    }
}
