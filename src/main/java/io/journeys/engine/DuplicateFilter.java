package io.journeys.engine;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Remembers a profile's event ids for a while, so that an event sent twice (same id within the TTL) is
 * processed once. The ids live in the profile's record as 64-bit hashes: no state access of their own, 16
 * bytes per id, and a false duplicate only if two ids of one profile collide on 64 bits within the TTL.
 * Expired ids are forgotten whenever the record is written (see {@link ProfileRecord#forgetExpired}).
 */
final class DuplicateFilter {

    private static final long MINUTE = 60_000L;
    private static final HashFunction HASH = Hashing.murmur3_128();

    private final Duration ttl;

    DuplicateFilter(Duration ttl) {
        this.ttl = ttl;
    }

    /** Whether the id was seen within the TTL; if not, it is remembered from now. */
    boolean seenBefore(ProfileRecord record, String eventId, long now) {
        long idHash = HASH.hashString(eventId, StandardCharsets.UTF_8).asLong();
        return record.seenBefore(idHash, now, forgetAt(now));
    }

    /** When an id seen at {@code now} is forgotten (rounded up to the minute, so clean-ups batch). */
    long forgetAt(long now) {
        return ((now + ttl.toMillis()) / MINUTE + 1) * MINUTE;
    }
}
