package io.journeys.dsl;

import java.util.Set;

/** Field names of the journey format, in one place. */
final class JourneyFields {

    private JourneyFields() {}

    static final String KIND = "kind";
    static final String ID = "id";
    static final String VERSION = "version";
    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String STATUS = "status";
    static final String TIME_ZONE = "timeZone";
    static final String REENTRY = "reentry";
    static final String TIMEOUT = "timeout";
    static final String ENTRY = "entry";
    static final String EXIT = "exit";
    static final String START = "start";
    static final String STEPS = "steps";
    static final String START_AT = "startAt";
    static final String END_AT = "endAt";
    static final String PUBLISHED_AT = "publishedAt";
    static final String USE_PROFILE_TIME_ZONE = "useProfileTimeZone";

    static final String ALLOWED = "allowed";
    static final String WAIT_PERIOD = "waitPeriod";

    static final String TYPE = "type";
    static final String AUDIENCE = "audience";
    static final String ON = "on";
    static final String RATE = "rate";
    static final String RECURRENCE = "recurrence";
    static final String INCREMENTAL = "incremental";
    static final String AUDIENCE_EXIT = "audienceExit";
    static final String EVENT = "event";
    static final String WHEN = "when";

    static final String CHANNEL = "channel";
    static final String TEMPLATE = "template";
    static final String PARAMS = "params";
    static final String NEXT = "next";
    static final String CHOICES = "choices";
    static final String DEFAULT = "default";
    static final String DURATION = "duration";
    static final String UNTIL = "until";
    static final String ON_ERROR = "onError";
    static final String BRANCHES = "branches";
    static final String PERCENT = "percent";
    static final String EVENTS = "events";
    static final String TO = "to";
    static final String ON_TIMEOUT = "onTimeout";
    static final String SET = "set";
    static final String JOURNEY_FIELD = "journey";
    static final String ACTION_FIELD = "action";
    static final String LIMIT = "limit";
    static final String OVERFLOW = "overflow";
    static final String GOALS = "goals";
    static final String WITHIN = "within";
    static final String EXIT_FLAG = "exit";
    static final String GOAL = "goal";
    static final String ARMS = "arms";
    static final String CONTROL = "control";
    static final String WINNER = "winner";
    static final String AFTER = "after";
    static final String CONFIDENCE = "confidence";
    static final String MIN_PER_ARM = "minPerArm";
    static final String RULES = "rules";
    static final String SEND_TIME = "sendTime";
    static final String OPTIMIZE = "optimize";
    static final Set<String> SEND_TIME_FIELDS = Set.of(OPTIMIZE, WITHIN, CHANNEL);
    static final String PRIORITY = "priority";
    static final String DAYS = PeriodReader.DAYS;
    static final String FROM = PeriodReader.FROM;

    static final Set<String> JOURNEY = Set.of(KIND, ID, VERSION, NAME, DESCRIPTION, STATUS, TIME_ZONE, REENTRY,
            TIMEOUT, ENTRY, EXIT, START, STEPS, START_AT, END_AT, PUBLISHED_AT, USE_PROFILE_TIME_ZONE, GOALS, RULES, PRIORITY);
    static final Set<String> REENTRY_FIELDS = Set.of(ALLOWED, WAIT_PERIOD);
    static final Set<String> ENTRY_FIELDS = Set.of(TYPE, EVENT, WHEN, AUDIENCE, ON, RATE, RECURRENCE, INCREMENTAL);
    static final Set<String> EXIT_FIELDS = Set.of(EVENT, WHEN, AUDIENCE_EXIT);

    /** The entry fields each entry type takes. */
    static Set<String> entryFields(EntryType type) {
        return switch (type) {
            case EVENT -> Set.of(TYPE, EVENT, WHEN);
            case AUDIENCE -> Set.of(TYPE, AUDIENCE, RATE, RECURRENCE, INCREMENTAL, WHEN);
            case QUALIFICATION -> Set.of(TYPE, AUDIENCE, ON, WHEN);
        };
    }
    static final Set<String> CHOICE_FIELDS = Set.of(WHEN, NEXT);
    static final Set<String> BRANCH_FIELDS = Set.of(PERCENT, NEXT);
    static final Set<String> REACTION_FIELDS = Set.of(EVENT, WHEN, TO, NEXT);
    static final Set<String> GOAL_FIELDS = Set.of(ID, EVENT, WHEN, WITHIN, EXIT_FLAG);
    static final Set<String> ARM_FIELDS = Set.of(ID, PERCENT, NEXT, CONTROL);
    static final Set<String> WINNER_FIELDS = Set.of(AFTER, CONFIDENCE, MIN_PER_ARM);

    /** Fields every step may carry beside those of its type. */
    static final Set<String> COMMON_STEP = Set.of(TYPE, NAME, DESCRIPTION);

    static Set<String> stepFields(StepType type) {
        return switch (type) {
            case ACTION -> Set.of(CHANNEL, TEMPLATE, PARAMS, NEXT, ON_ERROR, RULES, SEND_TIME);
            case CONDITION -> Set.of(CHOICES, DEFAULT, ON_ERROR);
            case WAIT -> Set.of(DURATION, UNTIL, SEND_TIME, NEXT, ON_ERROR);
            case SPLIT -> Set.of(BRANCHES);
            case AWAIT -> Set.of(EVENTS, TIMEOUT, ON_TIMEOUT, ON_ERROR);
            case UPDATE_PROFILE -> Set.of(SET, NEXT, ON_ERROR);
            case JUMP -> Set.of(JOURNEY_FIELD, NEXT);
            case CALL -> Set.of(ACTION_FIELD, PARAMS, NEXT, ON_ERROR, ON_TIMEOUT);
            case CAP -> Set.of(LIMIT, NEXT, OVERFLOW);
            case EXPERIMENT -> Set.of(GOAL, ARMS, WINNER);
            case WINDOW -> Set.of(DAYS, FROM, TO, TIME_ZONE, NEXT);
            case END -> Set.of();
        };
    }
}
