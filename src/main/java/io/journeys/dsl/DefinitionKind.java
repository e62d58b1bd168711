package io.journeys.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a published document is: a journey (the default) or an action definition. */
public enum DefinitionKind {
    JOURNEY,
    ACTION;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The document's {@code kind}; a document that does not parse is a journey (its parser says why). */
    public static DefinitionKind of(String document) {
        try {
            JsonNode kind = JSON.readTree(document).get("kind");
            return kind != null && "action".equals(kind.asText()) ? ACTION : JOURNEY;
        } catch (Exception notJson) {
            return JOURNEY;
        }
    }
}
