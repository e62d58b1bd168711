package io.journeys.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer of a call or cap, as journeys read it from {@code journey.results['<step>']}:
 * {@code {"status": "http_200" | "timedout" | "capped" | "error" | "admitted" | "overflow", "code": 200,
 * "body": {...}}}.
 */
public final class CallAnswers {

    public static final String TIMED_OUT = "timedout";
    public static final String CAPPED = "capped";
    public static final String ERROR = "error";
    /** The event type of answers arriving on action-results. */
    public static final String RESULT_EVENT = "action.result";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CallAnswers() {}

    /** An answer; {@code code} is the HTTP status (0 when there was no response), {@code body} may be null. */
    public static String of(String status, int code, JsonNode body, String message) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("status", status);
        answer.put("code", code);
        answer.set("body", body == null ? JSON.nullNode() : body);
        if (message != null) {
            answer.put("message", message);
        }
        return answer.toString();
    }

    public static String http(int code, JsonNode body) {
        return of("http_" + code, code, body, null);
    }

    /** Whether an answer's status is an HTTP 2xx. */
    public static boolean succeeded(String status) {
        return status != null && status.startsWith("http_2");
    }
}
