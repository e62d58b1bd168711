package io.journeys.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/**
 * Remembers a profile's event ids for a while, so that an event sent twice (same id within the TTL) is
 * processed once. Ids are forgotten on minute boundaries, so a burst shares one clean-up timer.
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

    void forgetExpired(long now) throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> seen : forgetAtById.entries()) {
            if (seen.getValue() <= now) {
                expired.add(seen.getKey());
            }
        }
        for (String eventId : expired) {
            forgetAtById.remove(eventId);
        }
    }

    boolean needsTimerAt(long at) throws Exception {
        for (Long forgetAt : forgetAtById.values()) {
            if (forgetAt == at) {
                return true;
            }
        }
        return false;
    }
}
