package io.journeys.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a published document is: a journey (the default), an action definition, or a rule set. */
public enum DefinitionKind {
    JOURNEY,
    ACTION,
    RULES;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The document's {@code kind}; a document that does not parse is a journey (its parser says why). */
    public static DefinitionKind of(String document) {
        try {
            JsonNode kind = JSON.readTree(document).get("kind");
            if (kind == null) {
                return JOURNEY;
            }
            return switch (kind.asText()) {
                case "action" -> ACTION;
                case "rules" -> RULES;
                default -> JOURNEY;
            };
        } catch (Exception notJson) {
            return JOURNEY;
        }
    }
}
