package io.journeys.dsl;

/** Stable codes of journey and action validation problems. Documented in README.md; never renumber. */
public enum ProblemCode {
    INVALID_JSON("JRN-001", "the document is not a JSON object"),
    MISSING_FIELD("JRN-002", "a required field is missing"),
    UNKNOWN_FIELD("JRN-003", "a field the format does not define"),
    WRONG_TYPE("JRN-004", "a field holds the wrong JSON type"),
    BAD_ID("JRN-005", "a journey id that does not match [a-z0-9][a-z0-9._-]{0,63}"),
    BAD_VERSION("JRN-006", "a version that is not a positive integer"),
    BAD_STATUS("JRN-007", "a status other than live, closed, stopped"),
    BAD_DURATION("JRN-008", "a duration that is not ISO-8601 days/hours/minutes/seconds"),
    BAD_INSTANT("JRN-009", "an instant that is not ISO-8601"),
    BAD_TIME_ZONE("JRN-010", "an unknown time zone"),
    UNKNOWN_STEP_TYPE("JRN-011", "a step type the engine does not know"),
    BAD_STEP_ID("JRN-012", "a step id that does not match [A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
    UNKNOWN_STEP("JRN-013", "a reference to a step that does not exist"),
    UNREACHABLE_STEP("JRN-014", "a step no path from start reaches"),
    NO_END("JRN-015", "a journey without an end step"),
    CYCLE_WITHOUT_WAIT("JRN-016", "a cycle of steps that never waits"),
    WAIT_NEEDS_ONE("JRN-017", "a wait without exactly one of duration, until and sendTime"),
    BAD_EXPRESSION("JRN-018", "an expression that does not parse or type-check"),
    UNKNOWN_CHANNEL("JRN-019", "an action channel other than email, push, sms, inApp, custom"),
    DURATION_OUT_OF_RANGE("JRN-020", "a duration that is not positive (a waitPeriod may be PT0S) or longer than allowed"),
    EMPTY_LIST("JRN-021", "a list that must not be empty is empty"),
    BAD_ENTRY_TYPE("JRN-022", "an entry type the engine does not know"),
    UNKNOWN_KIND("JRN-023", "a document kind other than journey, action or rules"),
    BAD_SPLIT("JRN-024", "split percents that are not in (0, 100] or do not sum to 100"),
    NOT_AN_ACTION("JRN-025", "an await reaction whose to does not name an action step"),
    JUMP_LOOP("JRN-026", "journeys that jump into each other in a loop"),
    UNKNOWN_JOURNEY("JRN-027", "a jump to a journey that is not loaded"),
    TOO_MANY_STEPS("JRN-028", "more steps than the guard rail allows"),
    BAD_LIMIT("JRN-029", "a limit or count that is not a whole number in its range"),
    UNKNOWN_ACTION("JRN-030", "a call of an action that is not loaded"),
    EXPRESSION_OVER_LIMIT("JRN-031", "an expression beyond a limit of expressions (length, nesting, regex, iterations)"),
    UNKNOWN_GOAL("JRN-032", "an experiment on a goal the journey does not declare"),
    DUPLICATE_ID("JRN-033", "two goals, two arms of one experiment, or two rules of one rule set with the same id"),
    BAD_EXPERIMENT("JRN-034", "an experiment with fewer than two or more than ten arms, more than one control arm, or a winner confidence not in [0.5, 1)"),
    UNKNOWN_RULES("JRN-035", "a journey that names a rule set that is not loaded"),
    BAD_CLOCK("JRN-036", "a clock time that is not HH:MM, a day not from 1 (Monday) to 7, or a period that is empty"),
    BAD_RULE("JRN-037", "a rule with a period other than day, week or month, a max below 1, a then other than queue or discard, or a priority not in 0-100"),
    BAD_SEND_TIME("JRN-038", "a sendTime on a channel other than email or push, an optimize other than opens or clicks (clicks: email only), or a within not from PT2H to P7D"),
    BAD_METHOD("ACT-001", "an HTTP method other than GET, POST, PUT, PATCH, DELETE"),
    BAD_URL("ACT-002", "a URL that is not http(s) with a host, or a placeholder without a name"),
    SECRET_IN_DEFINITION("ACT-003", "a credential written into a definition instead of ${env:NAME} or ${file:PATH}");

    private final String code;
    private final String meaning;

    ProblemCode(String code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public String code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
