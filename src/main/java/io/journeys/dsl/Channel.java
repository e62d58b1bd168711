package io.journeys.dsl;

import java.util.Arrays;
import java.util.Optional;

/** Delivery channels of an action step; each has its own output topic. */
public enum Channel {
    EMAIL("email"),
    PUSH("push"),
    SMS("sms"),
    IN_APP("inApp"),
    CUSTOM("custom");

    private final String jsonName;

    Channel(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<Channel> fromJson(String name) {
        return Arrays.stream(values()).filter(c -> c.jsonName.equals(name)).findFirst();
    }
}
