package io.journeys.expr;

import dev.cel.common.CelErrorCode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.time.Instant;

/** An expression parsed and type-checked once, evaluated many times. Thread-safe. */
public final class CompiledExpression {

    private final String source;
    private final CelRuntime.Program program;
    private final boolean readsProfileHistory;
    private final boolean callsMatches;

    CompiledExpression(String source, CelRuntime.Program program, boolean readsProfileHistory, boolean callsMatches) {
        this.source = source;
        this.program = program;
        this.readsProfileHistory = readsProfileHistory;
        this.callsMatches = callsMatches;
    }

    public String source() {
        return source;
    }

    /** The expression's value on these variables, or why it failed. */
    public Evaluation<Object> evaluate(Variables variables) {
        try {
            // a resolver, not the map: evaluating with a map copies it into an immutable one first
            return Evaluation.of(program.eval(variables.resolver(),
                    CalendarFunctions.of(variables, readsProfileHistory, callsMatches)));
        } catch (CelEvaluationException e) {
            return Evaluation.failed(new ExpressionFailure(reason(e),
                    "Expression \"" + source + "\" failed: " + e.getMessage()));
        } catch (RuntimeException e) {
            // CEL reports some failures (arithmetic overflow in a bound function, bad argument) unchecked.
            return Evaluation.failed(new ExpressionFailure(ExpressionException.Reason.FAILED,
                    "Expression \"" + source + "\" failed: " + e));
        }
    }

    /** A limit stopped it when CEL ran out of iterations, or when a pattern or its matching was beyond bounds. */
    private static ExpressionException.Reason reason(CelEvaluationException e) {
        if (e.getErrorCode() == CelErrorCode.ITERATION_BUDGET_EXCEEDED) {
            return ExpressionException.Reason.OVER_LIMIT;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (BoundedRegex.stoppedByLimit(cause)) {
                return ExpressionException.Reason.OVER_LIMIT;
            }
        }
        return ExpressionException.Reason.FAILED;
    }

    /** A condition's or a filter's value, or why it failed (another type than bool is a failure). */
    public Evaluation<Boolean> evaluateBoolean(Variables variables) {
        Evaluation<Object> evaluation = evaluate(variables);
        if (evaluation.failed()) {
            return Evaluation.failed(evaluation.failure());
        }
        if (evaluation.value() instanceof Boolean b) {
            return Evaluation.of(b.booleanValue());
        }
        return Evaluation.failed(new ExpressionFailure(ExpressionException.Reason.WRONG_TYPE,
                "Expected expression \"" + source + "\" to return a bool, but it returned "
                + describe(evaluation.value())));
    }

    /** An instant's value ({@code until}), or why it failed (another type than timestamp is a failure). */
    public Evaluation<Instant> evaluateTimestamp(Variables variables) {
        Evaluation<Object> evaluation = evaluate(variables);
        if (evaluation.failed()) {
            return Evaluation.failed(evaluation.failure());
        }
        if (evaluation.value() instanceof Instant t) {
            return Evaluation.of(t);
        }
        return Evaluation.failed(new ExpressionFailure(ExpressionException.Reason.WRONG_TYPE,
                "Expected expression \"" + source + "\" to return a timestamp, but it returned "
                + describe(evaluation.value())));
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    @Override
    public String toString() {
        return source;
    }
}
