package io.journeys.dsl;

import java.time.Duration;
import java.util.Map;

/**
 * A custom HTTP action, published and versioned like a journey ({@code "kind": "action"}). Its URL takes
 * {@code {name}} placeholders from the call's params; header values may hold {@code ${env:NAME}} and
 * {@code ${file:PATH}} references, resolved only where the request is sent, so a secret is never in a
 * definition, a record or a log.
 *
 * @param maxCallsPerMinute capping: at most this many calls per host over any sliding minute (0: none)
 * @param maxConcurrent throttling: at most this many calls in flight per host (0: none)
 */
public record ActionDefinition(String id, int version, String method, String url, Map<String, String> headers,
        Duration timeout, int retries, int maxCallsPerMinute, int maxConcurrent, int maxResponseBytes,
        String document) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_RETRIES = 2;
    public static final int MOST_RETRIES = 10;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;
    public static final int LARGEST_RESPONSE_BYTES = 16 << 20;

    /** Whether the params other than URL placeholders form a JSON body (POST, PUT, PATCH). */
    public boolean sendsBody() {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }
}
