package io.journeys.designer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.Problem;
import java.util.List;

/** Problems as the API gives them (DESIGN §9.5): {@code [{code, pointer, message}]}, pointer "" for the whole document. */
final class ProblemsJson {

    private ProblemsJson() {}

    static ArrayNode array(List<Problem> problems) {
        ArrayNode array = Answer.JSON.createArrayNode();
        problems.forEach(p -> array.add(object(p)));
        return array;
    }

    static ObjectNode object(Problem problem) {
        return Answer.JSON.createObjectNode()
                .put("code", problem.code().code())
                .put("pointer", problem.pointer())
                .put("message", problem.message());
    }

    /** {@code {"problems": [...]}}. */
    static ObjectNode answer(List<Problem> problems) {
        ObjectNode body = Answer.JSON.createObjectNode();
        body.set("problems", array(problems));
        return body;
    }
}
