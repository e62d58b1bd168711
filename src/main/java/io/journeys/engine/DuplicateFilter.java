package io.journeys.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * Remembers a profile's event ids for a while, so that an event sent twice (same id within the TTL) is
 * processed once. A profile has at most one clean-up timer for them, at the earliest time one may be
 * forgotten; each clean-up sets the next, so an event costs no timer of its own.
 */
final class DuplicateFilter {

    private static final long MINUTE = 60_000L;

    private final MapState<String, Long> forgetAtById;
    private final Duration ttl;

    DuplicateFilter(MapState<String, Long> forgetAtById, Duration ttl) {
        this.forgetAtById = forgetAtById;
        this.ttl = ttl;
    }

    /** Whether the id was seen within the TTL; if not, it is remembered from now. */
    boolean seenBefore(String eventId, long now) throws Exception {
        Long forgetAt = forgetAtById.get(eventId);
        if (forgetAt != null && forgetAt > now) {
            return true;
        }
        forgetAtById.put(eventId, forgetAt(now));
        return false;
    }

    /** When an id seen at {@code now} is forgotten: the timer to register. */
    long forgetAt(long now) {
        return ((now + ttl.toMillis()) / MINUTE + 1) * MINUTE;
    }

    /** Forgets the ids whose time has come; when the next clean-up is due, or Long.MAX_VALUE for none. */
    long forgetExpired(long now) throws Exception {
        List<String> expired = new ArrayList<>();
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, Long> seen : forgetAtById.entries()) {
            if (seen.getValue() <= now) {
                expired.add(seen.getKey());
            } else {
                next = Math.min(next, seen.getValue());
            }
        }
        for (String eventId : expired) {
            forgetAtById.remove(eventId);
        }
        return next;
    }
}
