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

    public Object evaluate(Variables variables) throws ExpressionException {
        try {
            // a resolver, not the map: evaluating with a map copies it into an immutable one first
            return program.eval(variables.resolver(),
                    CalendarFunctions.of(variables, readsProfileHistory, callsMatches));
        } catch (CelEvaluationException e) {
            throw new ExpressionException(reason(e), "Expression \"" + source + "\" failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // CEL reports some failures (arithmetic overflow in a bound function, bad argument) unchecked.
            throw new ExpressionException(ExpressionException.Reason.FAILED,
                    "Expression \"" + source + "\" failed: " + e, e);
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

    public boolean evaluateBoolean(Variables variables) throws ExpressionException {
        Object value = evaluate(variables);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ExpressionException(ExpressionException.Reason.WRONG_TYPE,
                "Expected expression \"" + source + "\" to return a bool, but it returned "
                + describe(value));
    }

    public Instant evaluateTimestamp(Variables variables) throws ExpressionException {
        Object value = evaluate(variables);
        if (value instanceof Instant t) {
            return t;
        }
        throw new ExpressionException(ExpressionException.Reason.WRONG_TYPE,
                "Expected expression \"" + source + "\" to return a timestamp, but it returned "
                + describe(value));
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    @Override
    public String toString() {
        return source;
    }
}
