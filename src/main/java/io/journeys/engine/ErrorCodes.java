package io.journeys.engine;

import io.journeys.expr.ExpressionFailure;

/** Run-time error codes of step events and dead letters. Documented in README.md; never renumber. */
public final class ErrorCodes {

    private ErrorCodes() {}

    /** An expression failed at run time (missing field, wrong type). */
    public static final String EXPRESSION_FAILED = "EXP-001";
    /** An expression returned a value of the wrong type. */
    public static final String EXPRESSION_WRONG_TYPE = "EXP-002";
    /** An evaluation stopped by a limit of expressions (comprehension iterations, regular expressions). */
    public static final String EXPRESSION_OVER_LIMIT = "EXP-003";
    /** An instance ran more steps in one instant than the engine allows. */
    public static final String TOO_MANY_STEPS = "ENG-001";
    /** An instance's journey version is no longer loaded. */
    public static final String VERSION_GONE = "ENG-002";
    /** An input arrived after the watermark had passed its timestamp (event time only). */
    public static final String LATE_INPUT = "ENG-003";
    /** An event whose id was already seen within the duplicate TTL; it is processed once only. */
    public static final String DUPLICATE_EVENT = "ENG-004";
    /** An entry refused because the profile is already in as many journeys as the guard rail allows. */
    public static final String TOO_MANY_INSTANCES = "ENG-005";
    /** A send-time population document on the definitions' broadcast that cannot be read; the one before stays. */
    public static final String INVALID_POPULATION = "ENG-006";
    /** An experiment winner document on the definitions' broadcast that cannot be read; it is ignored. */
    public static final String INVALID_WINNER = "ENG-007";
    /** A call of an action that is not published. */
    public static final String UNKNOWN_ACTION = "CAL-001";
    /** A call answered with anything but an HTTP 2xx: another status, capped, refused, an error. */
    public static final String CALL_FAILED = "CAL-002";
    /** A call not answered in time, with no onTimeout step. */
    public static final String CALL_TIMED_OUT = "CAL-003";
    /** A call whose URL needs a param the step does not give. */
    public static final String MISSING_CALL_PARAM = "CAL-004";

    /** An action not sent: a frequency cap of its rule set was reached (step event {@code skipped}). */
    public static final String FREQUENCY_CAPPED = "RUL-001";
    /** An action reached inside quiet hours that discard: the instance ends ({@code exited}). */
    public static final String QUIET_HOURS_DISCARD = "RUL-002";
    /** An action that quiet hours would hold longer than their maxHold: the instance ends ({@code exited}). */
    public static final String HELD_TOO_LONG = "RUL-003";
    /** An entry refused: the profile reached its rule set's entry cap for the window ({@code excluded}). */
    public static final String ENTRY_CAPPED = "RUL-004";
    /** An entry refused: the profile has as many live instances as its rule set's maxConcurrent ({@code excluded}). */
    public static final String CONCURRENCY_CAPPED = "RUL-005";
    /** An action held by quiet hours until they end (step event {@code waiting} at the action step). */
    public static final String HELD_BY_QUIET_HOURS = "RUL-006";

    /** The code of an expression that failed at run time, by why it failed. */
    public static String of(ExpressionFailure failure) {
        return switch (failure.reason()) {
            case FAILED -> EXPRESSION_FAILED;
            case WRONG_TYPE -> EXPRESSION_WRONG_TYPE;
            case OVER_LIMIT -> EXPRESSION_OVER_LIMIT;
        };
    }
}
