package io.journeys.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.HttpCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulation with canned answers ({@code simulate --responses FILE}): JSON lines
 * {@code {"action", "status", "body"}}, optionally with {@code "profileId"} for one profile's answer. A
 * call gets its profile's line for the action, else the action's line; an action without a line is
 * answered "error", so a missing answer shows in the step events instead of passing silently.
 */
public final class CannedCalls implements InlineCalls {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HTTP_STATUS = Pattern.compile("http_(\\d{3})");

    /** Answers by "action" or "action/profileId". */
    private final Map<String, String> answers;

    private CannedCalls(Map<String, String> answers) {
        this.answers = answers;
    }

    /** Reads the lines; a line that is not a valid answer fails with its number. */
    public static CannedCalls parse(List<String> lines) {
        Map<String, String> answers = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                JsonNode line = JSON.readTree(lines.get(i));
                String action = line.path("action").asText("");
                String status = line.path("status").asText("");
                if (action.isEmpty() || status.isEmpty()) {
                    throw new IllegalArgumentException("Expected \"action\" and \"status\" on line " + (i + 1)
                            + " of the responses, but found " + lines.get(i));
                }
                Matcher http = HTTP_STATUS.matcher(status);
                int code = http.matches() ? Integer.parseInt(http.group(1)) : 0;
                String key = line.hasNonNull("profileId") ? action + "/" + line.get("profileId").asText() : action;
                answers.put(key, CallAnswers.of(status, code, line.get("body"), null));
            } catch (IOException e) {
                throw new UncheckedIOException("Expected a JSON object on line " + (i + 1) + " of the responses", e);
            }
        }
        return new CannedCalls(answers);
    }

    @Override
    public String answer(HttpCall call, String requestId, String profileId, Instant now) {
        String answer = answers.getOrDefault(call.getActionId() + "/" + profileId, answers.get(call.getActionId()));
        return answer != null ? answer : CallAnswers.of(CallAnswers.ERROR, 0, null,
                "no canned response for action " + call.getActionId());
    }
}
