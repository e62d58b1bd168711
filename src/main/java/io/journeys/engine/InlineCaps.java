package io.journeys.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Simulation: cap steps counted in line, in event-time order. Exact because a simulation with cap steps
 * runs the engine at parallelism 1 (see {@code Simulation}); production counts in the keyed cap counter.
 */
final class InlineCaps {

    private final Map<String, Long> admitted = new HashMap<>();

    /** Whether the profile is among the first {@code limit} to reach this cap of this journey version. */
    boolean admit(String journeyId, int version, String stepId, long limit) {
        String key = journeyId + "@" + version + "/" + stepId;
        long count = admitted.getOrDefault(key, 0L);
        if (count >= limit) {
            return false;
        }
        admitted.put(key, count + 1);
        return true;
    }
}
