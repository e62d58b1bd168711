package io.journeys.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.ExperimentWinner;
import java.util.HashMap;
import java.util.Map;

/**
 * The experiments' winners as the journeys' subtasks know them. An experiment's counter decides a winner once
 * and publishes it to the Kafka job's {@code experiment-winners} topic, which comes back on the definitions'
 * broadcast; each subtask keeps it here (and in the broadcast state, under {@value #KEY_PREFIX}) and every profile
 * reaching that step from then on takes it, without asking the counter. The document is written and read here
 * only, so the two ends cannot drift: {@code {"kind": "experimentWinner", "journeyId", "journeyVersion",
 * "stepId", "arm", "decidedAt"}}.
 */
public final class ExperimentWinners {

    /** The {@code kind} that tells a winner from a journey, action, rule set or population. */
    public static final String KIND = "experimentWinner";

    /** The broadcast state's key prefix of winners, before {@link #keyOf}. */
    static final String KEY_PREFIX = "winner:";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A document that is not a valid winner: why. */
    static final class InvalidWinner extends Exception {
        InvalidWinner(String message) {
            super(message);
        }
    }

    private final Map<String, String> arms = new HashMap<>();

    /** The key of one experiment step of one journey version, as the counters are keyed. */
    public static String keyOf(String journeyId, int journeyVersion, String stepId) {
        return journeyId + "@" + journeyVersion + "/" + stepId;
    }

    public static String keyOf(ExperimentWinner winner) {
        return keyOf(winner.getJourneyId(), winner.getJourneyVersion(), winner.getStepId());
    }

    /** The winner of that step, or null while there is none. */
    String of(String journeyId, int journeyVersion, String stepId) {
        return arms.isEmpty() ? null : arms.get(keyOf(journeyId, journeyVersion, stepId));
    }

    void add(ExperimentWinner winner) {
        arms.put(keyOf(winner), winner.getArm());
    }

    public static String write(ExperimentWinner winner) {
        return JSON.createObjectNode().put("kind", KIND).put("journeyId", winner.getJourneyId())
                .put("journeyVersion", winner.getJourneyVersion()).put("stepId", winner.getStepId())
                .put("arm", winner.getArm()).put("decidedAt", winner.getDecidedAt()).toString();
    }

    /** Whether a document says it is a winner (valid or not): cheap enough for every published document. */
    static boolean isWinner(String document) {
        if (!document.contains("\"" + KIND + "\"")) {
            return false;
        }
        try {
            JsonNode kind = JSON.readTree(document).get("kind");
            return kind != null && KIND.equals(kind.asText());
        } catch (Exception notJson) {
            return false;
        }
    }

    static ExperimentWinner read(String document) throws InvalidWinner {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (Exception notJson) {
            throw new InvalidWinner("not JSON: " + notJson.getMessage());
        }
        for (String text : new String[] {"journeyId", "stepId", "arm"}) {
            if (!root.path(text).isTextual() || root.path(text).asText().isEmpty()) {
                throw new InvalidWinner("expected a non-empty text " + text);
            }
        }
        if (!root.path("journeyVersion").canConvertToInt() || !root.path("journeyVersion").isIntegralNumber()) {
            throw new InvalidWinner("expected an integer journeyVersion");
        }
        if (!root.path("decidedAt").isIntegralNumber()) {
            throw new InvalidWinner("expected decidedAt in epoch milliseconds");
        }
        return new ExperimentWinner(root.get("journeyId").asText(), root.get("journeyVersion").asInt(),
                root.get("stepId").asText(), root.get("arm").asText(), root.get("decidedAt").asLong());
    }
}
