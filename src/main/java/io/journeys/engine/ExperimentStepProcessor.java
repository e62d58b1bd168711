package io.journeys.engine;

import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.Step;
import java.util.Map;
import java.util.Optional;

/**
 * Assigns an arm: the profile's stable hash (as a split's) gives one, and the experiment's counter, which
 * counts arms and conversions across the job, answers with it or with the winner once there is one. In
 * simulation the counter answers in line; in the job the instance waits for its answer on action-results,
 * and an answer that does not come in time leaves it on the arm of its hash.
 */
final class ExperimentStepProcessor implements StepProcessor<Step.Experiment> {

    /** How long a profile waits for the counter's answer. */
    static final long ANSWER_WITHIN_MILLIS = CapStepProcessor.ANSWER_WITHIN_MILLIS;

    @Override
    public StepOutcome run(Step.Experiment step, StepContext context) {
        InstanceState instance = context.instance();
        String hashed = hashedArm(step, context);
        InlineExperiments inline = context.profile().inlineExperiments();
        if (inline != null) {
            ExperimentTally.Assignment assigned = inline.assign(ExperimentRequests.assignment(step,
                    context.requestId(step.id()), context.profileId(), instance.getJourneyId(),
                    instance.getJourneyVersion(), hashed, context.now().toEpochMilli()));
            return assigned(step, context, assigned.arm(), assigned.byWinner());
        }
        String requestId = context.recordRequest(step.id());
        context.emitter().experimentRequest(ExperimentRequests.assignment(step, requestId, context.profileId(),
                instance.getJourneyId(), instance.getJourneyVersion(), hashed, context.now().toEpochMilli()));
        return new StepOutcome.Park(context.now().toEpochMilli() + ANSWER_WITHIN_MILLIS);
    }

    @Override
    public StepOutcome wakeUp(Step.Experiment step, StepContext context) {
        return assigned(step, context, hashedArm(step, context), false);
    }

    @Override
    public Optional<StepOutcome> onEvent(Step.Experiment step, StepContext context, ArrivingEvent event) {
        if (!context.isAnswerTo(step.id(), event)) {
            return Optional.empty();
        }
        Map<String, Object> answer = event.payload();
        String arm = String.valueOf(answer.get("arm"));
        if (step.arm(arm) == null) {
            arm = hashedArm(step, context); // an answer of another version's counter: keep the hash
        }
        return Optional.of(assigned(step, context, arm, Boolean.TRUE.equals(answer.get("winner"))));
    }

    /** The arm of the profile's stable hash of profile, journey and step. */
    static String hashedArm(Step.Experiment step, StepContext context) {
        int bucket = SplitStepProcessor.bucket(context.profileId(), context.journey().id(), step.id());
        return step.arms().get(SplitStepProcessor.share(bucket,
                step.arms().stream().mapToDouble(Step.Arm::percent).toArray())).id();
    }

    private static StepOutcome assigned(Step.Experiment step, StepContext context, String armId, boolean byWinner) {
        context.instance().getArms().put(step.id(), armId);
        // later steps may read it: journey.results['<step>'].arm
        context.keepResult(step.id(), ExperimentAnswers.of(armId, byWinner));
        int index = step.arms().indexOf(step.arm(armId));
        return new StepOutcome.Next(step.arms().get(index).next(), Step.Port.item("arms", index), armId,
                byWinner ? Boolean.TRUE : null);
    }
}
