package io.journeys.engine;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The answer of an experiment's counter, and what {@code journey.results['<step>']} holds after the step:
 * {@code {"status": "assigned", "arm": ..., "winner": ...}}.
 */
public final class ExperimentAnswers {

    private ExperimentAnswers() {}

    /** Written by hand, as a tree would write it: one per assignment, on the journeys' hottest path. */
    public static String of(String arm, boolean byWinner) {
        return "{\"status\":\"assigned\",\"arm\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(arm))
                + "\",\"winner\":" + byWinner + "}";
    }
}
