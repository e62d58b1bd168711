package io.journeys.engine;

/** The {@code status} of a step event. Documented in README.md. */
public final class StepStatus {

    private StepStatus() {}

    /** The profile entered the journey; the step is the journey's start. */
    public static final String ENTERED = "entered";
    /** The step ran and moved on to {@code next} at once. */
    public static final String EXECUTED = "executed";
    /** The profile is parked in the step until a wake-up. */
    public static final String WAITING = "waiting";
    /** The wait is over; the profile moves on to {@code next}. */
    public static final String RESUMED = "resumed";
    /** The profile reached an end step. */
    public static final String COMPLETED = "completed";
    /** An exit criterion ended the instance where it was. */
    public static final String EXITED = "exited";
    /** The journey timeout after entry ended the instance where it was. */
    public static final String TIMED_OUT = "timedOut";
    /** A goal converted the instance ({@code goal}); its step, or none once the instance has ended. */
    public static final String CONVERTED = "converted";
    /** A delivery rule kept an action from being sent ({@code errorCode} RUL-001); the instance went on. */
    public static final String SKIPPED = "skipped";
    /** A rule set refused an entry (RUL-004, RUL-005): no instance was made; the step is the journey's start. */
    public static final String EXCLUDED = "excluded";
    /** A step failed; {@code errorCode} says why. */
    public static final String ERROR = "error";
}
