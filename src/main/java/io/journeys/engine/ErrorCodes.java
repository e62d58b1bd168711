package io.journeys.engine;

/** Run-time error codes of step events and dead letters. Documented in README.md; never renumber. */
public final class ErrorCodes {

    private ErrorCodes() {}

    /** An expression failed at run time (missing field, wrong type). */
    public static final String EXPRESSION_FAILED = "EXP-001";
    /** An expression returned a value of the wrong type. */
    public static final String EXPRESSION_WRONG_TYPE = "EXP-002";
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
}
