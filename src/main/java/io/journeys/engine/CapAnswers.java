package io.journeys.engine;

import io.journeys.http.CallAnswers;

/** The answers of a cap step's counter, as {@code journey.results['<step>'].status}. */
public final class CapAnswers {

    public static final String ADMITTED = "admitted";
    public static final String OVERFLOW = "overflow";

    private CapAnswers() {}

    public static String of(boolean admitted) {
        return CallAnswers.of(admitted ? ADMITTED : OVERFLOW, 0, null, null);
    }
}
