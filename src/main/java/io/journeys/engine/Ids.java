package io.journeys.engine;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids: the same input always yields the same id, so replays and retries can be deduplicated.
 *
 * <p>A root id (an instance, an event without one) is a 128-bit MurmurHash3 of its parts, written as a
 * UUID: a stable name, not a secret. The ids of what an instance emits (requests, step events) are its id
 * followed by their own parts: unique because the instance id is, readable, and free of a hash per output.
 */
public final class Ids {

    private static final HashFunction HASH = Hashing.murmur3_128();

    private Ids() {}

    public static String of(Object... parts) {
        StringBuilder key = new StringBuilder(64);
        for (Object part : parts) {
            String text = String.valueOf(part);
            // length-prefixed: ("ab", "c") and ("a", "bc") differ
            key.append(text.length()).append(':').append(text);
        }
        byte[] hash = HASH.hashBytes(key.toString().getBytes(StandardCharsets.UTF_8)).asBytes();
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (hash[i] & 0xff);
            low = (low << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(high, low).toString();
    }

    /**
     * The id of something an instance emits from one visit of a step: {@code instanceId:stepId:visit}, then
     * {@code :suffix} when there is one (a step event's status). Step ids cannot contain ':' and the parts after
     * them are numbers and fixed words, so two different outputs never share an id. Typed parts, not varargs:
     * this runs for every step event and request.
     */
    static String within(String instanceId, String stepId, int visit, String suffix) {
        StringBuilder id = new StringBuilder(instanceId.length() + stepId.length() + 24)
                .append(instanceId).append(':').append(stepId).append(':').append(visit);
        if (suffix != null) {
            id.append(':').append(suffix);
        }
        return id.toString();
    }
}
