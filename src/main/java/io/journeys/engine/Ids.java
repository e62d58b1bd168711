package io.journeys.engine;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic ids: the same input always yields the same id, so replays and retries can be deduplicated. */
public final class Ids {

    private Ids() {}

    public static String of(Object... parts) {
        StringBuilder key = new StringBuilder();
        for (Object part : parts) {
            key.append(part).append('\u0000');
        }
        return UUID.nameUUIDFromBytes(key.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
