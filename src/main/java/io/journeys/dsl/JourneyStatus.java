package io.journeys.dsl;

import java.util.Arrays;
import java.util.Optional;

/** Lifecycle of a journey version. */
public enum JourneyStatus {
    /** Accepts new entries. */
    LIVE("live"),
    /** No new entries; profiles inside finish. */
    CLOSED("closed"),
    /** Every profile inside exits now. */
    STOPPED("stopped");

    private final String jsonName;

    JourneyStatus(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<JourneyStatus> fromJson(String name) {
        return Arrays.stream(values()).filter(s -> s.jsonName.equals(name)).findFirst();
    }
}
