package io.journeys.http;

import io.journeys.avro.HttpCall;
import java.io.Serializable;
import java.time.Instant;

/**
 * Answers calls in line, at the instant their step runs, so that a simulation stays deterministic
 * (DESIGN §5, action definitions): by a real synchronous HTTP request, or from canned answers. Opened once
 * per subtask.
 */
public interface InlineCalls extends Serializable {

    /** Prepares the resources of one subtask (an HTTP client, say). */
    default void open() {}

    /** The answer to a call, as {@code {"status", "code", "body"}} JSON text (see {@link CallAnswers}). */
    String answer(HttpCall call, String requestId, String profileId, Instant now);
}
