package io.journeys.dsl;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of step a journey can hold, by the name used in journey JSON. */
public enum StepType {
    ACTION("action"),
    CONDITION("condition"),
    WAIT("wait"),
    SPLIT("split"),
    AWAIT("await"),
    UPDATE_PROFILE("updateProfile"),
    JUMP("jump"),
    CALL("call"),
    CAP("cap"),
    EXPERIMENT("experiment"),
    WINDOW("window"),
    END("end");

    private final String jsonName;

    StepType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** Whether the profile parks in this step: such a step breaks a cycle. */
    public boolean waits() {
        return this == WAIT || this == AWAIT;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<StepType> fromJson(String name) {
        return Arrays.stream(values()).filter(t -> t.jsonName.equals(name)).findFirst();
    }
}
