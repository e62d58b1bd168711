package io.journeys.designer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * One API request: its path parameter (the {@code {file}} of {@code /api/documents/{file}}), its query and its
 * body, read at most once and never beyond the server's limit.
 */
final class Request {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final HttpExchange exchange;
    private final String parameter;
    private final int bodyLimit;
    private byte[] body;

    Request(HttpExchange exchange, String parameter, int bodyLimit) {
        this.exchange = exchange;
        this.parameter = parameter;
        this.bodyLimit = bodyLimit;
    }

    /** The decoded last path segment of a route with a parameter, else null. */
    String parameter() {
        return parameter;
    }

    /** The first value of a query parameter, or null; 400 for a query that is not percent-encoded properly. */
    String query(String name) throws ApiException {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        try {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                if (key.equals(name)) {
                    return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Expected a percent-encoded query, but got " + query);
        }
        return null;
    }

    /** The body's bytes as sent; 413 beyond the limit. */
    byte[] body() throws IOException, ApiException {
        if (body == null) {
            body = read();
        }
        return body;
    }

    String bodyText() throws IOException, ApiException {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** The body as JSON; 400 when it is not. */
    JsonNode bodyJson() throws IOException, ApiException {
        try {
            return JSON.readTree(body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("Expected a JSON body, but it does not parse: " + e.getOriginalMessage());
        }
    }

    private byte[] read() throws IOException, ApiException {
        if (declaredLength() > bodyLimit) {
            throw tooLarge(); // refused before reading: nothing of it is kept
        }
        try (InputStream in = exchange.getRequestBody()) {
            byte[] read = in.readNBytes(bodyLimit + 1); // one byte more tells a body over the limit
            if (read.length > bodyLimit) {
                throw tooLarge();
            }
            return read;
        }
    }

    private long declaredLength() {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // the body read says
        }
    }

    private ApiException tooLarge() {
        return new ApiException(413, "Expected a body of at most " + bodyLimit + " bytes, but it is larger");
    }
}
