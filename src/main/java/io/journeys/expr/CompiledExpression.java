package io.journeys.expr;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.time.Instant;

/** An expression parsed and type-checked once, evaluated many times. Thread-safe. */
public final class CompiledExpression {

    private final String source;
    private final CelRuntime.Program program;
    private final boolean readsProfileHistory;

    CompiledExpression(String source, CelRuntime.Program program, boolean readsProfileHistory) {
        this.source = source;
        this.program = program;
        this.readsProfileHistory = readsProfileHistory;
    }

    public String source() {
        return source;
    }

    public Object evaluate(Variables variables) throws ExpressionException {
        try {
            // a resolver, not the map: evaluating with a map copies it into an immutable one first
            return program.eval(variables.resolver(), CalendarFunctions.of(variables, readsProfileHistory));
        } catch (CelEvaluationException e) {
            throw new ExpressionException("Expression \"" + source + "\" failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // CEL reports some failures (arithmetic overflow in a bound function, bad argument) unchecked.
            throw new ExpressionException("Expression \"" + source + "\" failed: " + e, e);
        }
    }

    public boolean evaluateBoolean(Variables variables) throws ExpressionException {
        Object value = evaluate(variables);
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ExpressionException("Expected expression \"" + source + "\" to return a bool, but it returned "
                + describe(value));
    }

    public Instant evaluateTimestamp(Variables variables) throws ExpressionException {
        Object value = evaluate(variables);
        if (value instanceof Instant t) {
            return t;
        }
        throw new ExpressionException("Expected expression \"" + source + "\" to return a timestamp, but it returned "
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
