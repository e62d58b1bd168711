package io.journeys.engine;

import io.journeys.avro.ExperimentCounts;
import io.journeys.avro.ExperimentRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Simulation: experiment steps counted in line, in event-time order, by the same rule as the job's keyed
 * counter ({@link ExperimentTally}). Exact because a simulation with experiments runs the engine at
 * parallelism 1 (see {@code Simulation}).
 */
final class InlineExperiments {

    private final Map<String, ExperimentCounts> counts = new HashMap<>();

    ExperimentTally.Assignment assign(ExperimentRequest request) {
        ExperimentCounts of = counts.computeIfAbsent(ExperimentRequests.keyOf(request),
                key -> ExperimentTally.empty(request.getTimestamp()));
        return ExperimentTally.assign(of, request);
    }

    void convert(ExperimentRequest conversion) {
        ExperimentCounts of = counts.get(ExperimentRequests.keyOf(conversion));
        if (of != null) {
            ExperimentTally.convert(of, conversion);
        }
    }
}
