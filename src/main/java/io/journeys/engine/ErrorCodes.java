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
    /** A call of an action that is not published. */
    public static final String UNKNOWN_ACTION = "CAL-001";
    /** A call answered with anything but an HTTP 2xx: another status, capped, refused, an error. */
    public static final String CALL_FAILED = "CAL-002";
    /** A call not answered in time, with no onTimeout step. */
    public static final String CALL_TIMED_OUT = "CAL-003";
    /** A call whose URL needs a param the step does not give. */
    public static final String MISSING_CALL_PARAM = "CAL-004";

    /** The code of an expression that failed at run time, by why it failed. */
    public static String of(ExpressionFailure failure) {
        return switch (failure.reason()) {
            case FAILED -> EXPRESSION_FAILED;
            case WRONG_TYPE -> EXPRESSION_WRONG_TYPE;
            case OVER_LIMIT -> EXPRESSION_OVER_LIMIT;
        };
    }
}
