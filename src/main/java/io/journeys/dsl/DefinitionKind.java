package io.journeys.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a published document is: a journey (the default), an action definition, or a rule set. */
public enum DefinitionKind {
    JOURNEY,
    ACTION,
    RULES;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The documents in the order to publish them: rule sets, then actions, then journeys (each kind in the order
     * given), so that a journey finds what it names already loaded.
     */
    public static java.util.List<String> publicationOrder(java.util.List<String> documents) {
        java.util.List<String> ordered = new java.util.ArrayList<>(documents);
        ordered.sort(java.util.Comparator.comparingInt(document -> switch (of(document)) {
            case RULES -> 0;
            case ACTION -> 1;
            case JOURNEY -> 2;
        }));
        return ordered;
    }

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
