package io.journeys.engine;

import io.journeys.dsl.Step;
import io.journeys.dsl.StepType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry: one processor per step type, each given its step as the record of its type (the registry
 * checks the type once, so processors need no casts).
 */
final class StepProcessors {

    /** A processor and the record type of its steps. */
    private record Typed<S extends Step>(Class<S> stepType, StepProcessor<S> processor) {
        StepOutcome run(Step step, StepContext context) {
            return processor.run(stepType.cast(step), context);
        }

        StepOutcome wakeUp(Step step, StepContext context) {
            return processor.wakeUp(stepType.cast(step), context);
        }

        Optional<StepOutcome> onEvent(Step step, StepContext context, ArrivingEvent event) {
            return processor.onEvent(stepType.cast(step), context, event);
        }
    }

    private final Map<StepType, Typed<?>> byType = new EnumMap<>(StepType.class);

    StepProcessors() {
        register(StepType.ACTION, Step.Action.class, new ActionStepProcessor());
        register(StepType.CONDITION, Step.Condition.class, new ConditionStepProcessor());
        register(StepType.WAIT, Step.Wait.class, new WaitStepProcessor());
        register(StepType.SPLIT, Step.Split.class, new SplitStepProcessor());
        register(StepType.AWAIT, Step.Await.class, new AwaitStepProcessor());
        register(StepType.CALL, Step.Call.class, new CallStepProcessor());
        register(StepType.CAP, Step.Cap.class, new CapStepProcessor());
        register(StepType.EXPERIMENT, Step.Experiment.class, new ExperimentStepProcessor());
        register(StepType.UPDATE_PROFILE, Step.UpdateProfile.class, new UpdateProfileStepProcessor());
        register(StepType.JUMP, Step.Jump.class, new JumpStepProcessor());
        register(StepType.WINDOW, Step.Window.class, new WindowStepProcessor());
        register(StepType.END, Step.End.class, new EndStepProcessor());
        for (StepType type : StepType.values()) {
            if (!byType.containsKey(type)) {
                throw new IllegalStateException("Expected a processor for every step type, but " + type + " has none");
            }
        }
    }

    private <S extends Step> void register(StepType type, Class<S> stepType, StepProcessor<S> processor) {
        byType.put(type, new Typed<>(stepType, processor));
    }

    /** The instance has just reached {@code step}. */
    StepOutcome run(Step step, StepContext context) {
        return byType.get(step.type()).run(step, context);
    }

    /** A wake-up the step asked for is due. */
    StepOutcome wakeUp(Step step, StepContext context) {
        return byType.get(step.type()).wakeUp(step, context);
    }

    /** An event arrived while the instance is parked in {@code step}. */
    Optional<StepOutcome> onEvent(Step step, StepContext context, ArrivingEvent event) {
        return byType.get(step.type()).onEvent(step, context, event);
    }
}
