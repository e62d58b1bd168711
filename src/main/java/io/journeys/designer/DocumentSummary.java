package io.journeys.designer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Problem;
import java.util.List;

/**
 * One line of {@code GET /api/documents}: a file, its kind ({@code journey} when it says none), id and version,
 * as the JSON says them ({@code journey}, {@code action} or {@code rules}), without validating the rest (that is
 * {@code POST /api/validate}'s job, and a kind the engine does not know is listed all the same). A file that is
 * not a JSON object has null fields and the parser's problem.
 */
record DocumentSummary(String file, String kind, String id, Integer version, List<Problem> problems) {

    static final String DEFAULT_KIND = "journey";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static DocumentSummary of(String file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            // the engine's own wording of what is wrong (JRN-001)
            return new DocumentSummary(file, null, null, null, DefinitionParser.parse(text).problems());
        }
        JsonNode kind = root.get("kind");
        JsonNode id = root.get("id");
        JsonNode version = root.get("version");
        return new DocumentSummary(file,
                kind == null ? DEFAULT_KIND : kind.isTextual() ? kind.textValue() : null,
                id != null && id.isTextual() ? id.textValue() : null,
                version != null && version.isIntegralNumber() && version.canConvertToInt() ? version.intValue() : null,
                List.of());
    }

    ObjectNode toJson() {
        ObjectNode node = Answer.JSON.createObjectNode();
        node.put("file", file);
        node.put("kind", kind);
        node.put("id", id);
        node.put("version", version);
        if (!problems.isEmpty()) {
            node.set("problems", ProblemsJson.array(problems));
        }
        return node;
    }
}
