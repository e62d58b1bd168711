package io.journeys.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Spreads the entries of audience exports so that a journey takes at most {@code rate} profiles per second
 * across the whole job: each of the {@code subtasks} parallel instances hands out entry slots at
 * {@code rate / subtasks} per second. Slots are per subtask and not checkpointed: after a restore the
 * pace simply starts again from the current time.
 */
final class EntryRateLimiter {

    private final int subtasks;
    private final Map<String, Double> nextSlotByJourney = new HashMap<>();

    EntryRateLimiter(int subtasks) {
        this.subtasks = subtasks;
    }

    /** The instant (epoch ms) at which the next entry into {@code journeyId} may happen; at least {@code now}. */
    long nextSlot(String journeyId, int ratePerSecond, long now) {
        double slot = Math.max(now, nextSlotByJourney.getOrDefault(journeyId, (double) now));
        nextSlotByJourney.put(journeyId, slot + 1000.0 * subtasks / ratePerSecond);
        // slots within the current millisecond are "now": a high rate lets many entries share one
        return (long) Math.floor(slot);
    }
}
