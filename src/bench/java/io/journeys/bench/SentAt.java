package io.journeys.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The generation time ({@link System#nanoTime()}) the latency benchmark writes into each event's data as
 * {@code "sentAt"}, and that its journeys copy into each action request's params.
 */
final class SentAt {

    static final String FIELD = "sentAt";
    private static final JsonFactory JSON = new JsonFactory();

    private SentAt() {}

    /** The {@code sentAt} of a JSON object's text (an event's data, an action request's params). */
    static long read(String json) {
        // streamed, no tree: this runs once per sample, on the task thread whose latency is measured
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    if (name.equals(FIELD)) {
                        return parser.getLongValue();
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Expected a JSON object, but it does not parse: " + json, e);
        }
        throw new IllegalStateException("Expected a \"" + FIELD + "\" field, but found " + json);
    }
}
