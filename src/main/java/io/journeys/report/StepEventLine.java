package io.journeys.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One step event as {@code OutputJson.step} writes it (steps.jsonl, the step-events topic): the fields the
 * report reads. Optional fields are null when absent.
 *
 * @param stepId the step the instance is at; null for a conversion after the instance ended
 * @param branch the port taken to {@code next} ({@code next}, {@code choices/0}, {@code onTimeout} ...)
 * @param winner true when the arm was assigned as the experiment's winner
 * @param sendAt send-time optimisation: the instant chosen for the step's message (ISO-8601), on the event of
 *     the step where it was chosen; null on any other event, and in files written before it existed
 * @param sendHourOfWeek the local hour of the week of {@code sendAt} (0 = Monday 00:00-01:00), or null
 * @param sendBasis why {@code sendAt}: profile, population, atOnce, explore; or null
 */
public record StepEventLine(String eventId, String profileId, String journeyId, int journeyVersion,
        String instanceId, String stepId, String status, String timestamp, String next, String errorCode,
        String message, String branch, String arm, boolean winner, String goal, String sendAt,
        Integer sendHourOfWeek, String sendBasis) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public StepStatus statusKind() {
        return StepStatus.fromJson(status);
    }

    public JourneyKey journey() {
        return new JourneyKey(journeyId, journeyVersion);
    }

    /** Reads one line; throws {@link Malformed} naming what is wrong with it. */
    public static StepEventLine parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new Malformed("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Malformed("not a JSON object");
        }
        JsonNode version = node.get("journeyVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new Malformed("journeyVersion missing or not an integer");
        }
        JsonNode winner = node.get("winner");
        JsonNode hour = node.get("sendHourOfWeek");
        return new StepEventLine(required(node, "eventId"), optional(node, "profileId"), required(node, "journeyId"),
                version.intValue(), required(node, "instanceId"), optional(node, "stepId"), required(node, "status"),
                optional(node, "timestamp"), optional(node, "next"), optional(node, "errorCode"),
                optional(node, "message"), optional(node, "branch"), optional(node, "arm"),
                winner != null && winner.asBoolean(false), optional(node, "goal"), optional(node, "sendAt"),
                hour != null && hour.canConvertToInt() ? Integer.valueOf(hour.intValue()) : null,
                optional(node, "sendBasis"));
    }

    private static String required(JsonNode node, String field) {
        String value = optional(node, field);
        if (value == null) {
            throw new Malformed(field + " missing");
        }
        return value;
    }

    private static String optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A line that is not a step event; the message says why, for the user. */
    public static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super("not a step event (" + message + ")");
        }
    }
}
