package io.journeys.engine;

import io.journeys.avro.ExperimentRequest;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.Step;
import java.util.Map;
import java.util.Optional;

/**
 * Assigns an arm and goes on at once. In the job the instance takes the winner if its subtask has heard of one
 * ({@link ExperimentWinners}), else the arm of the profile's stable hash (as a split's), and tells the
 * experiment's counter, which counts arms and conversions across the job and publishes the winner when its rule
 * decides. In simulation the in-line counter decides the arm. Instances of releases before 0.4.0 may still wait
 * in the step for their counter's answer on action-results: they take it when it comes, and the arm of their
 * hash when it does not come in time.
 */
final class ExperimentStepProcessor implements StepProcessor<Step.Experiment> {

    /** How long an instance of an earlier release waits for the counter's answer. */
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
        String winner = context.profile().experimentWinners().of(instance.getJourneyId(),
                instance.getJourneyVersion(), step.id());
        boolean byWinner = winner != null && step.arm(winner) != null;
        String arm = byWinner ? winner : hashed;
        context.emitter().experimentRequest(ExperimentRequests.taken(step, context.requestId(step.id()),
                context.profileId(), instance.getJourneyId(), instance.getJourneyVersion(), arm,
                context.now().toEpochMilli()));
        return assigned(step, context, arm, byWinner);
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
        return step.arms().get(SplitStepProcessor.share(bucket, step.arms(), Step.Arm::percent)).id();
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
