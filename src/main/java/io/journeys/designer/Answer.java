package io.journeys.designer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** What a handler answers: a status, a content type and the body's bytes. */
record Answer(int status, String contentType, byte[] body) {

    static final String JSON_TYPE = "application/json";
    static final ObjectMapper JSON = new ObjectMapper();

    static Answer json(int status, JsonNode body) {
        try {
            return new Answer(status, JSON_TYPE, JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Answer ok(JsonNode body) {
        return json(200, body);
    }

    /** The API's one error shape: {@code {"error": "..."}}. */
    static Answer error(int status, String message) {
        return json(status, errorBody(message));
    }

    static ObjectNode errorBody(String message) {
        return JSON.createObjectNode().put("error", message == null ? "unknown error" : message);
    }

    static Answer html(String page) {
        return new Answer(200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }
}
