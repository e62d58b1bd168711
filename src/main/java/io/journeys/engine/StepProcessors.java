package io.journeys.engine;

import io.journeys.dsl.StepType;
import java.util.EnumMap;
import java.util.Map;

/** The registry: one processor per step type. */
final class StepProcessors {

    private final Map<StepType, StepProcessor> byType = new EnumMap<>(StepType.class);

    StepProcessors() {
        byType.put(StepType.ACTION, new ActionStepProcessor());
        byType.put(StepType.CONDITION, new ConditionStepProcessor());
        byType.put(StepType.WAIT, new WaitStepProcessor());
        byType.put(StepType.SPLIT, new SplitStepProcessor());
        byType.put(StepType.AWAIT, new AwaitStepProcessor());
        byType.put(StepType.CALL, new CallStepProcessor());
        byType.put(StepType.CAP, new CapStepProcessor());
        byType.put(StepType.UPDATE_PROFILE, new UpdateProfileStepProcessor());
        byType.put(StepType.JUMP, new JumpStepProcessor());
        byType.put(StepType.END, new EndStepProcessor());
        for (StepType type : StepType.values()) {
            if (!byType.containsKey(type)) {
                throw new IllegalStateException("Expected a processor for every step type, but " + type + " has none");
            }
        }
    }

    StepProcessor forType(StepType type) {
        return byType.get(type);
    }
}
