package io.journeys.expr;

/**
 * What evaluating an expression gave: its value, or why it failed (a domain failure, not a bug: a missing
 * field, another type than its place needs, a limit). The engine turns a failure into the error code and
 * message of its step.
 */
public final class Evaluation<T> {

    // conditions and filters are the most frequent expressions: their results need no allocation
    private static final Evaluation<Boolean> TRUE = new Evaluation<>(true, null);
    private static final Evaluation<Boolean> FALSE = new Evaluation<>(false, null);

    private final T value;
    private final ExpressionFailure failure;

    private Evaluation(T value, ExpressionFailure failure) {
        this.value = value;
        this.failure = failure;
    }

    static <T> Evaluation<T> of(T value) {
        return new Evaluation<>(value, null);
    }

    static Evaluation<Boolean> of(boolean value) {
        return value ? TRUE : FALSE;
    }

    static <T> Evaluation<T> failed(ExpressionFailure failure) {
        return new Evaluation<>(null, failure);
    }

    public boolean failed() {
        return failure != null;
    }

    /** The value; only when it did not fail. */
    public T value() {
        if (failure != null) {
            throw new IllegalStateException("Expected a value, but the evaluation failed: " + failure.message());
        }
        return value;
    }

    /** Why it failed; null when it did not. */
    public ExpressionFailure failure() {
        return failure;
    }

    /** The value, or the failure as an exception. */
    public T orThrow() throws ExpressionException {
        if (failure != null) {
            throw failure.toException();
        }
        return value;
    }
}
