package io.journeys.job;

/** Dead-letter codes of malformed inputs. Documented in README.md; never renumber. */
public final class InputErrors {

    private InputErrors() {}

    public static final String NOT_JSON = "INP-001";
    public static final String MISSING_PROFILE_ID = "INP-002";
    public static final String MISSING_TYPE = "INP-003";
    public static final String MISSING_TIMESTAMP = "INP-004";
    public static final String BAD_TIMESTAMP = "INP-005";
    public static final String WRONG_FIELD_TYPE = "INP-006";
    public static final String TOO_LARGE = "INP-007";
    /** A record of an audience export that cannot be read (bad CSV row, bad JSON line, no profileId). */
    public static final String BAD_EXPORT_RECORD = "AUD-001";
}
