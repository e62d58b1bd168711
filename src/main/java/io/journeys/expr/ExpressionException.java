package io.journeys.expr;

/** An expression failed at run time (missing field, wrong type, overflow, a limit...). A domain failure, not a bug. */
public final class ExpressionException extends Exception {

    /** Why an evaluation failed; the engine gives each its own error code. */
    public enum Reason {
        /** It could not be evaluated on these values (missing field, no such overload, overflow, bad argument). */
        FAILED,
        /** It returned a value of another type than its place needs. */
        WRONG_TYPE,
        /** It was stopped by one of the {@link ExpressionLimits} (iterations, regular expressions). */
        OVER_LIMIT
    }

    private final Reason reason;

    public ExpressionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public ExpressionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
