package io.journeys.expr;

/** What an expression must return where it is used. */
public enum ExpressionType {
    /** Conditions and filters. */
    BOOL("a bool"),
    /** {@code until} of a wait. */
    TIMESTAMP("a timestamp"),
    /** Action params: any value that can be written as JSON. */
    ANY("a value");

    private final String description;

    ExpressionType(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
