package io.journeys.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer of an experiment's counter, and what {@code journey.results['<step>']} holds after the step:
 * {@code {"status": "assigned", "arm": ..., "winner": ...}}.
 */
public final class ExperimentAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExperimentAnswers() {}

    public static String of(String arm, boolean byWinner) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("status", "assigned");
        answer.put("arm", arm);
        answer.put("winner", byWinner);
        return answer.toString();
    }
}
