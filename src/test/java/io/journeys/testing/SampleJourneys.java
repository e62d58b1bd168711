package io.journeys.testing;

/** Journey documents several tests use. */
public final class SampleJourneys {

    private SampleJourneys() {}

    /** A 30/70 split between two emails, templates "a" and "b". */
    public static final String SPLIT_30_70 = """
            {"id": "ab", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "split",
             "steps": {
               "split": {"type": "split", "branches": [{"percent": 30, "next": "a"}, {"percent": 70, "next": "b"}]},
               "a": {"type": "action", "channel": "email", "template": "a", "next": "done"},
               "b": {"type": "action", "channel": "email", "template": "b", "next": "done"},
               "done": {"type": "end"}}}""";

    /** Version 1 of "promo": waits a day after signup, then sends the email "v1". */
    public static final String PROMO_V1 = """
            {"id": "promo", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "wait",
             "steps": {
               "wait": {"type": "wait", "duration": "P1D", "next": "send"},
               "send": {"type": "action", "channel": "email", "template": "v1", "next": "done"},
               "done": {"type": "end"}}}""";

    /** PROMO_V1 as another version, with extra top-level fields (e.g. {@code "status": "stopped", }). */
    public static String promo(int version, String extraFields) {
        return PROMO_V1.replace("\"version\": 1,", "\"version\": " + version + ", " + extraFields);
    }
}
