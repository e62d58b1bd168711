package io.journeys.expr;

/**
 * One reason an expression cannot be used, found when it is compiled.
 *
 * @param kind whether it is wrong or merely too large
 * @param message what is wrong, "Expected X, but Y"
 */
public record ExpressionProblem(Kind kind, String message) {

    public enum Kind {
        /** It does not parse, type-check, or would always fail (an invalid regular expression literal). */
        INVALID,
        /** It is beyond one of the {@link ExpressionLimits}. */
        OVER_LIMIT
    }

    static ExpressionProblem invalid(String message) {
        return new ExpressionProblem(Kind.INVALID, message);
    }

    static ExpressionProblem overLimit(String message) {
        return new ExpressionProblem(Kind.OVER_LIMIT, message);
    }
}
