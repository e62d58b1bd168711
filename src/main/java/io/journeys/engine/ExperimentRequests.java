package io.journeys.engine;

import io.journeys.avro.ExperimentRequest;
import io.journeys.dsl.Step;
import java.util.List;

/**
 * Builds what an instance tells the counter of an experiment step: an assignment it took (in the job), an
 * assignment to decide (in simulation's in-line counter), or a conversion.
 */
public final class ExperimentRequests {

    private ExperimentRequests() {}

    /** The key of an experiment's counter: journey, version and step. */
    public static String keyOf(ExperimentRequest request) {
        return request.getJourneyId() + "@" + request.getJourneyVersion() + "/" + request.getStepId();
    }

    /** An assignment the counter decides: the arm of the profile's hash, or the winner. */
    static ExperimentRequest assignment(Step.Experiment step, String requestId, String profileId, String journeyId,
            int version, String hashedArm, long at) {
        return of(step, requestId, profileId, journeyId, version, false, hashedArm, at, false);
    }

    /** An assignment the instance took at once (the winner it had heard of, else its hash), to be counted. */
    static ExperimentRequest taken(Step.Experiment step, String requestId, String profileId, String journeyId,
            int version, String arm, long at) {
        return of(step, requestId, profileId, journeyId, version, false, arm, at, true);
    }

    static ExperimentRequest conversion(Step.Experiment step, String instanceId, String profileId, String journeyId,
            int version, String arm, long at) {
        // one conversion per instance and experiment: the id is the same on every replay
        return of(step, Ids.within(instanceId, step.id(), 0, "converted"), profileId, journeyId, version, true, arm, at, false);
    }

    private static ExperimentRequest of(Step.Experiment step, String requestId, String profileId, String journeyId,
            int version, boolean conversion, String arm, long at, boolean taken) {
        List<String> arms = step.arms().stream().map(Step.Arm::id).toList();
        String control = step.arms().stream().filter(Step.Arm::control).map(Step.Arm::id).findFirst().orElse(null);
        Step.Winner winner = step.winner();
        return new ExperimentRequest(requestId, profileId, journeyId, version, step.id(), conversion, arm, at, arms,
                control, winner == null ? -1L : winner.after().toMillis(), winner == null ? 0.0 : winner.confidence(),
                winner == null ? 0L : winner.minPerArm(), taken);
    }
}
